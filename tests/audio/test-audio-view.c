/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/wait.h>

#include "audio-fixtures.h"
#include "fl-audio-view.h"

#define WINDOW_TITLE "Fairlabel audio view test"

static char *tmp_dir;
static char *speech_path;

typedef struct
{
  GtkWindow *window;
  FlAudioView *view;
  guint n_changed;
  char *failure;
} Fixture;

static void
on_changed (FlAudioView *view, Fixture *f)
{
  f->n_changed++;
}

static void
on_load_failed (FlAudioView *view, const char *message, Fixture *f)
{
  g_free (f->failure);
  f->failure = g_strdup (message);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
view_ready (gpointer data)
{
  Fixture *f = data;
  FlWaveform *wf = fl_audio_view_get_waveform (f->view);
  FlPlayer *player = fl_audio_view_get_player (f->view);

  return f->failure != NULL ||
         (wf != NULL && fl_waveform_get_complete (wf) && player != NULL &&
          fl_player_get_ready (player) &&
          fl_transcript_get_duration_ms (fl_audio_view_get_transcript (f->view)) > 0);
}

static void
fixture_load (Fixture *f, const char *path, const char *config_json, const char *pre_json)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (JsonNode) config = parse (config_json);
  g_autoptr (JsonNode) pre = pre_json != NULL ? parse (pre_json) : NULL;
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", TRUE, NULL);
  fl_audio_view_set_audio_sink (f->view, sink);
  fl_audio_view_load (f->view, file, json_node_get_object (config), pre);
  g_assert_true (fl_test_wait_until (view_ready, f, 30000));
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  memset (f, 0, sizeof *f);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, WINDOW_TITLE);
  gtk_window_set_default_size (f->window, 1000, 700);
  f->view = FL_AUDIO_VIEW (fl_audio_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  g_signal_connect (f->view, "changed", G_CALLBACK (on_changed), f);
  g_signal_connect (f->view, "load-failed", G_CALLBACK (on_load_failed), f);
  gtk_window_present (f->window);
  fl_test_sleep_in_loop (200);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  fl_test_sleep_in_loop (50);
  g_free (f->failure);
}

static void
save_screenshot (Fixture *f, const char *name)
{
  GtkWidget *widget = GTK_WIDGET (f->window);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = fl_test_log_path (name);
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);

  fl_test_sleep_in_loop (300);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture =
    gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot saved to %s", path);
  g_object_unref (paintable);
}

/* Real input through the X server, as a user would give it. */
static void
xdotool (const char *args)
{
  g_autofree char *command =
    g_strdup_printf ("xdotool search --sync --name \"%s\" %s", WINDOW_TITLE, args);
  g_auto (GStrv) argv = NULL;
  g_autoptr (GError) error = NULL;
  GPid pid;
  gboolean done = FALSE;
  int status = -1;

  g_assert_true (g_shell_parse_argv (command, NULL, &argv, &error));
  g_assert_true (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  while (!done)
    {
      if (waitpid (pid, &status, WNOHANG) == pid)
        done = TRUE;
      else
        g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  g_spawn_close_pid (pid);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  fl_test_sleep_in_loop (250);
}

static void
window_point (Fixture *f, GtkWidget *widget, double x, double y, int *wx, int *wy)
{
  graphene_point_t out;

  g_assert_true (
    gtk_widget_compute_point (widget, GTK_WIDGET (f->window), &GRAPHENE_POINT_INIT (x, y), &out));
  *wx = (int) out.x;
  *wy = (int) out.y;
}

static const char *speaker_config =
  "{\"speakers\":[{\"name\":\"A\",\"color\":\"#3584e4\"},{\"name\":\"B\",\"color\":\"#e66100\"}]}";

static void
test_create_split_merge (Fixture *f, gconstpointer data)
{
  FlTranscript *t;
  FlWaveformView *wv;
  FlTranscriptEditor *editor;
  g_autoptr (JsonNode) result = NULL;
  g_autofree char *json = NULL;
  g_autofree char *drag = NULL;
  JsonArray *segments;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  int x0, x1, y;
  gint64 t0, t1, split_at;
  const FlSegment *seg;

  fixture_load (f, speech_path, speaker_config,
                "{\"kind\":\"audio\",\"segments\":[{\"start\":0.0,\"end\":0.8,\"speaker\":\"A\","
                "\"text\":\"hello\"}]}");
  g_assert_null (f->failure);
  t = fl_audio_view_get_transcript (f->view);
  wv = fl_audio_view_get_waveform_view (f->view);
  editor = fl_audio_view_get_editor (f->view);
  g_assert_false (fl_transcript_editor_get_whole_file (editor));
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 1);
  f->n_changed = 0;

  /* Creating: drag across the waveform from 1.2 s to 2.6 s. */
  window_point (f, GTK_WIDGET (wv), fl_waveform_view_time_to_x (wv, 1200), 80, &x0, &y);
  window_point (f, GTK_WIDGET (wv), fl_waveform_view_time_to_x (wv, 2600), 80, &x1, &y);
  t0 = fl_waveform_view_x_to_time (wv, fl_waveform_view_time_to_x (wv, 1200));
  drag = g_strdup_printf ("mousemove --window %%1 %d %d mousedown 1 mousemove --window %%1 %d %d "
                          "mousemove --window %%1 %d %d mouseup 1",
                          x0, y, (x0 + x1) / 2, y, x1, y);
  xdotool (drag);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 2);
  seg = fl_transcript_get_segment (t, 1);
  t1 = seg->end_ms;
  g_assert_cmpint (ABS (seg->start_ms - t0), <=, 40);
  g_assert_cmpint (ABS (t1 - 2600), <=, 40);
  g_assert_cmpuint (f->n_changed, >, 0);

  /* The new segment's text has the focus; type into it for real. */
  xdotool ("windowfocus --sync %1 type --delay 20 \"first second\"");
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "first second");

  /* Splitting: playhead at 2.0 s, cursor after "first", Enter. */
  split_at = 2000;
  fl_player_seek (fl_audio_view_get_player (f->view), split_at);
  fl_test_sleep_in_loop (300);
  buffer = gtk_text_view_get_buffer (fl_transcript_editor_get_text_view (editor, 1));
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, 6);
  gtk_text_buffer_place_cursor (buffer, &iter);
  xdotool ("windowfocus --sync %1 key Return");
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 3);
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->end_ms, ==, split_at);
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->start_ms, ==, split_at);
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->end_ms, ==, t1);
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "first");
  g_assert_cmpstr (fl_transcript_get_segment (t, 2)->text, ==, "second");
  g_assert_cmpint (fl_transcript_editor_get_current_segment (editor), ==, 2);

  /* Playback keys work while the text keeps the focus. */
  xdotool ("windowfocus --sync %1 key ctrl+space");
  g_assert_true (fl_player_get_playing (fl_audio_view_get_player (f->view)));
  {
    gboolean playing = FALSE;

    /* The task page keeps the worker active while audio plays. */
    g_object_get (f->view, "playing", &playing, NULL);
    g_assert_true (playing);
  }
  g_assert_true (
    gtk_widget_has_focus (GTK_WIDGET (fl_transcript_editor_get_text_view (editor, 2))));
  xdotool ("windowfocus --sync %1 key ctrl+space");
  g_assert_false (fl_player_get_playing (fl_audio_view_get_player (f->view)));
  xdotool ("windowfocus --sync %1 key ctrl+bracketright");
  g_assert_cmpfloat (fl_player_get_speed (fl_audio_view_get_player (f->view)), ==, 1.1);

  save_screenshot (f, "audio-view.png");

  /* Merging: back into one segment with both texts. */
  fl_transcript_editor_focus_segment (editor, 1, FALSE);
  xdotool ("windowfocus --sync %1 key ctrl+m");
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 2);
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "first second");
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->end_ms, ==, t1);

  /* Speaker B for the second segment, through its drop-down. */
  fl_transcript_set_speaker (t, 1, "B");

  result = fl_audio_view_get_result (f->view);
  json = json_to_string (result, FALSE);
  g_test_message ("result: %s", json);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "kind"), ==,
                   "audio");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (result), "duration"), ==,
                     fl_transcript_get_duration_ms (t) / 1000.0);
  segments = json_object_get_array_member (json_node_get_object (result), "segments");
  g_assert_cmpuint (json_array_get_length (segments), ==, 2);
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (segments, 0), "text"), ==,
    "hello");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (segments, 0), "speaker"), ==,
    "A");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (segments, 1), "speaker"), ==,
    "B");
  g_assert_cmpfloat (
    json_object_get_double_member (json_array_get_object_element (segments, 1), "start"), ==,
    fl_transcript_get_segment (t, 1)->start_ms / 1000.0);
}

typedef struct
{
  FlTranscript *transcript;
  const char *needle;
} TextWait;

static gboolean
text_contains (gpointer data)
{
  TextWait *w = data;

  return strstr (fl_transcript_get_segment (w->transcript, 0)->text, w->needle) != NULL;
}

static void
test_invalid_utf8_paste (Fixture *f, gconstpointer data)
{
  static const char pasted[] = "good \xff\xfe bytes";
  FlTranscriptEditor *editor;
  GtkTextView *view;
  g_autoptr (GBytes) bytes = g_bytes_new_static (pasted, sizeof pasted - 1);
  g_autoptr (GdkContentProvider) provider = NULL;
  FlTranscript *t;
  TextWait w;
  const char *text;

  fixture_load (f, speech_path, speaker_config,
                "{\"segments\":[{\"start\":0.5,\"end\":1.5,\"text\":\"kept \"}]}");
  t = fl_audio_view_get_transcript (f->view);
  editor = fl_audio_view_get_editor (f->view);
  fl_transcript_editor_focus_segment (editor, 0, FALSE);
  view = fl_transcript_editor_get_text_view (editor, 0);

  provider = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  g_assert_true (
    gdk_clipboard_set_content (gtk_widget_get_clipboard (GTK_WIDGET (view)), provider));
  g_signal_emit_by_name (view, "paste-clipboard");
  w.transcript = t;
  w.needle = "bytes";
  g_assert_true (fl_test_wait_until (text_contains, &w, 5000));

  text = fl_transcript_get_segment (t, 0)->text;
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_assert_true (g_str_has_prefix (text, "kept good "));
  g_assert_nonnull (strstr (text, "\xef\xbf\xbd"));
  g_assert_nonnull (strstr (fl_audio_view_get_warnings (f->view), "not valid UTF-8"));
}

static void
test_pre_segments_fixed_with_warnings (Fixture *f, gconstpointer data)
{
  FlTranscript *t;
  gint64 duration;

  fixture_load (f, speech_path, speaker_config,
                "{\"segments\":[{\"start\":0,\"end\":1,\"text\":\"a\"},"
                "{\"start\":0.5,\"end\":2,\"speaker\":\"C\",\"text\":\"b\"},"
                "{\"start\":1.5,\"end\":600,\"text\":\"c\"},"
                "{\"start\":700,\"end\":701,\"text\":\"d\"}]}");
  t = fl_audio_view_get_transcript (f->view);
  duration = fl_transcript_get_duration_ms (t);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 3);
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->start_ms, ==, 1000);
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->start_ms, ==, 2000);
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->end_ms, ==, duration);
  g_assert_cmpstr (fl_transcript_get_segment (t, 2)->text, ==, "c d");
  g_assert_nonnull (strstr (fl_audio_view_get_warnings (f->view), "overlapped"));
  g_assert_nonnull (strstr (fl_audio_view_get_warnings (f->view), "past the end"));
  g_assert_nonnull (strstr (fl_audio_view_get_warnings (f->view), "after the end"));
  /* Loading is not an edit. */
  g_assert_cmpuint (f->n_changed, ==, 0);
  save_screenshot (f, "audio-view-warnings.png");
}

static void
test_whole_file_mode (Fixture *f, gconstpointer data)
{
  FlTranscriptEditor *editor;
  g_autoptr (JsonNode) result = NULL;
  JsonArray *segments;
  JsonObject *seg;

  fixture_load (f, speech_path, "{}", NULL);
  editor = fl_audio_view_get_editor (f->view);
  g_assert_true (fl_transcript_editor_get_whole_file (editor));
  fl_transcript_editor_focus_segment (editor, 0, FALSE);
  /* Enter makes a new line here instead of splitting. */
  xdotool ("windowfocus --sync %1 type --delay 20 \"line one\"");
  xdotool ("windowfocus --sync %1 key Return type --delay 20 \"line two\"");
  g_assert_cmpuint (fl_transcript_get_n_segments (fl_audio_view_get_transcript (f->view)), ==, 1);

  result = fl_audio_view_get_result (f->view);
  segments = json_object_get_array_member (json_node_get_object (result), "segments");
  g_assert_cmpuint (json_array_get_length (segments), ==, 1);
  seg = json_array_get_object_element (segments, 0);
  g_assert_cmpfloat (json_object_get_double_member (seg, "start"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (seg, "end"), ==,
                     json_object_get_double_member (json_node_get_object (result), "duration"));
  g_assert_cmpstr (json_object_get_string_member (seg, "text"), ==, "line one\nline two");
  g_assert_cmpuint (f->n_changed, >, 0);
  save_screenshot (f, "audio-view-whole-file.png");
}

static void
test_load_failure_shows_error (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.ogg", NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  fixture_load (f, path, "{}", NULL);
  g_assert_nonnull (f->failure);
  g_assert_nonnull (strstr (f->failure, "empty"));
  save_screenshot (f, "audio-view-error.png");
}

static void
test_rebound_keys_timestamp_and_jump (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.fairlabel.Fairlabel");
  const char *pedal[] = { "F9", NULL };
  FlTranscriptEditor *editor;
  FlTranscript *t;
  FlPlayer *player;

  fixture_load (f, speech_path, speaker_config,
                "{\"segments\":[{\"start\":0,\"end\":1.5,\"text\":\"one\"},"
                "{\"start\":1.5,\"end\":3,\"text\":\"two\"}]}");
  t = fl_audio_view_get_transcript (f->view);
  editor = fl_audio_view_get_editor (f->view);
  player = fl_audio_view_get_player (f->view);

  /* A foot pedal that sends F9 replaces Ctrl+Space. */
  g_assert_true (g_settings_set_strv (settings, "audio-play-pause-keys", pedal));
  fl_transcript_editor_focus_segment (editor, 0, FALSE);
  xdotool ("windowfocus --sync %1 key F9");
  g_assert_true (fl_player_get_playing (player));
  xdotool ("windowfocus --sync %1 key F9");
  g_assert_false (fl_player_get_playing (player));
  xdotool ("windowfocus --sync %1 key ctrl+space");
  g_assert_false (fl_player_get_playing (player));
  g_settings_reset (settings, "audio-play-pause-keys");

  /* Jump to the segment under the playhead, then stamp the time into its text. */
  fl_player_seek (player, 2250);
  fl_test_sleep_in_loop (300);
  xdotool ("windowfocus --sync %1 key ctrl+j");
  g_assert_cmpint (fl_transcript_editor_get_current_segment (editor), ==, 1);
  xdotool ("windowfocus --sync %1 key ctrl+t");
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "two[0:02.250] ");
  g_assert_cmpstr (fl_transcript_get_segment (t, 0)->text, ==, "one");
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;
  int ret;

  if (g_getenv ("DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no X display; run under xvfb-run\n");
      return 0;
    }
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("fl-test-audio-view-XXXXXX", NULL);
  cache = g_build_filename (tmp_dir, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  speech_path = fl_test_make_speech (tmp_dir, "speech.wav",
                                     "Fair pay for every hour. Transcribers live on the keyboard.");

  g_test_add ("/audio/view/create-split-merge-segments-and-result-json", Fixture, NULL,
              fixture_setup, test_create_split_merge, fixture_teardown);
  g_test_add ("/audio/view/invalid-utf8-paste-is-repaired-with-a-warning", Fixture, NULL,
              fixture_setup, test_invalid_utf8_paste, fixture_teardown);
  g_test_add ("/audio/view/pre-segments-are-fixed-with-warnings", Fixture, NULL, fixture_setup,
              test_pre_segments_fixed_with_warnings, fixture_teardown);
  g_test_add ("/audio/view/whole-file-mode", Fixture, NULL, fixture_setup, test_whole_file_mode,
              fixture_teardown);
  g_test_add ("/audio/view/rebound-play-key-jump-and-timestamp", Fixture, NULL, fixture_setup,
              test_rebound_keys_timestamp_and_jump, fixture_teardown);
  g_test_add ("/audio/view/empty-file-shows-an-error", Fixture, NULL, fixture_setup,
              test_load_failure_shows_error, fixture_teardown);

  ret = g_test_run ();
  fl_test_remove_tree (tmp_dir);
  g_free (speech_path);
  return ret;
}
