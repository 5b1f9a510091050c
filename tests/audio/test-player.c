/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include "audio-fixtures.h"
#include "fl-player.h"

static char *tmp_dir;
static char *tone_path;

static FlPlayer *
new_player (void)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", TRUE, NULL);
  return fl_player_new (sink);
}

static gboolean
is_ready (gpointer data)
{
  return fl_player_get_ready (data) || fl_player_get_error (data) != NULL;
}

static FlPlayer *
open_tone (void)
{
  FlPlayer *player = new_player ();
  g_autoptr (GFile) file = g_file_new_for_path (tone_path);

  fl_player_open (player, file);
  g_assert_true (fl_test_wait_until (is_ready, player, 20000));
  g_assert_null (fl_player_get_error (player));
  return player;
}

typedef struct
{
  FlPlayer *player;
  gint64 at_least_ms;
} PositionWait;

static gboolean
position_reached (gpointer data)
{
  PositionWait *w = data;

  return fl_player_get_position_ms (w->player) >= w->at_least_ms;
}

static void
wait_position (FlPlayer *player, gint64 at_least_ms)
{
  PositionWait w = { player, at_least_ms };

  g_assert_true (fl_test_wait_until (position_reached, &w, 20000));
}

static void
settle (void)
{
  fl_test_sleep_in_loop (300);
}

static void
test_duration (void)
{
  g_autoptr (FlPlayer) player = open_tone ();

  g_assert_cmpint (fl_player_get_duration_ms (player), ==, 6000);
  g_assert_false (fl_player_get_playing (player));
  g_assert_true (fl_player_get_has_audio_output (player));
}

static void
test_seek_accuracy (void)
{
  g_autoptr (FlPlayer) player = open_tone ();
  const gint64 targets[] = { 1234, 4321, 17, 5990 };

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      fl_player_seek (player, targets[i]);
      settle ();
      g_assert_cmpint (fl_player_get_position_ms (player), ==, targets[i]);
      g_assert_cmpint (ABS (fl_player_query_position_ms (player) - targets[i]), <=, 1);
    }
  /* Seeks outside the file are clamped. */
  fl_player_seek (player, 99999);
  g_assert_cmpint (fl_player_get_position_ms (player), ==, 6000);
  fl_player_seek (player, -5);
  g_assert_cmpint (fl_player_get_position_ms (player), ==, 0);
}

/* Audio time per wall-clock time over a second of steady playback, leaving out start-up. */
static double
playback_rate (FlPlayer *player, gint64 from_ms)
{
  gint64 t1, t2, p1, p2;

  wait_position (player, from_ms + 200);
  t1 = g_get_monotonic_time ();
  p1 = fl_player_query_position_ms (player);
  fl_test_sleep_in_loop (1000);
  t2 = g_get_monotonic_time ();
  p2 = fl_player_query_position_ms (player);
  return (double) (p2 - p1) / ((t2 - t1) / 1000.0);
}

static void
test_playback_advances (void)
{
  g_autoptr (FlPlayer) player = open_tone ();
  double rate;

  fl_player_set_rewind_on_pause_ms (player, 0);
  fl_player_play (player);
  g_assert_true (fl_player_get_playing (player));
  rate = playback_rate (player, 0);
  fl_player_pause (player);
  /* A synchronised sink plays in real time. */
  g_assert_cmpfloat (rate, >, 0.85);
  g_assert_cmpfloat (rate, <, 1.15);
}

static void
test_speed_keeps_position (void)
{
  g_autoptr (FlPlayer) player = open_tone ();
  double rate;

  fl_player_set_rewind_on_pause_ms (player, 0);
  fl_player_seek (player, 2000);
  settle ();
  fl_player_set_speed (player, 1.5);
  settle ();
  g_assert_cmpfloat (fl_player_get_speed (player), ==, 1.5);
  g_assert_cmpint (ABS (fl_player_query_position_ms (player) - 2000), <=, 5);

  fl_player_play (player);
  rate = playback_rate (player, 2000);
  /* 1.5 s of audio a second. */
  g_assert_cmpfloat (rate, >, 1.3);
  g_assert_cmpfloat (rate, <, 1.7);

  /* Changing speed while playing keeps the place too. */
  {
    gint64 before = fl_player_query_position_ms (player);
    gint64 after;

    fl_player_set_speed (player, 0.5);
    after = fl_player_query_position_ms (player);
    g_assert_cmpint (ABS (after - before), <=, 60);
  }
  fl_player_set_speed (player, 9.0);
  g_assert_cmpfloat (fl_player_get_speed (player), ==, 2.0);
}

typedef struct
{
  GMutex lock;
  gint64 n_samples;
  gint64 crossings;
  gint16 last;
  gint64 first_us;
  gint64 last_us;
  gint64 heard_crossings;
  gint16 peak;
} Pitch;

static GstFlowReturn
on_output_sample (GstAppSink *sink, gpointer user_data)
{
  Pitch *p = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstMapInfo map;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;
  g_mutex_lock (&p->lock);
  /* Time between buffers arriving at a synchronised sink is the time a listener hears. */
  if (p->first_us == 0)
    p->first_us = g_get_monotonic_time ();
  p->last_us = g_get_monotonic_time ();
  p->heard_crossings = p->crossings;
  for (gsize i = 0; i < map.size / 2; i++)
    {
      gint16 v = ((const gint16 *) map.data)[i];

      p->peak = MAX (p->peak, ABS (v));
      if ((p->last < 0 && v >= 0) || (p->last >= 0 && v < 0))
        p->crossings++;
      p->last = v;
    }
  p->n_samples += map.size / 2;
  g_mutex_unlock (&p->lock);
  gst_buffer_unmap (buffer, &map);
  return GST_FLOW_OK;
}

/* The tone, played into an appsink that hands what reaches it to @heard
 * (its lock initialised here), ready to play. */
static FlPlayer *
open_tone_listened (Pitch *heard)
{
  GstElement *sink = gst_element_factory_make ("appsink", NULL);
  g_autoptr (GstCaps) caps =
    gst_caps_from_string ("audio/x-raw,format=S16LE,channels=1,rate=16000");
  GstAppSinkCallbacks callbacks = { NULL, NULL, on_output_sample };
  g_autoptr (GFile) file = g_file_new_for_path (tone_path);
  FlPlayer *player;

  g_mutex_init (&heard->lock);
  g_object_set (sink, "caps", caps, "sync", TRUE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, heard, NULL);
  player = fl_player_new (sink);
  fl_player_open (player, file);
  g_assert_true (fl_test_wait_until (is_ready, player, 20000));
  return player;
}

/* The frequency heard at double and half speed: scaletempo keeps 440 Hz at 440 Hz. */
static void
test_speed_keeps_pitch (void)
{
  const double speeds[] = { 2.0, 0.5 };

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      Pitch pitch = { 0 };
      g_autoptr (FlPlayer) player = open_tone_listened (&pitch);
      double hz;

      fl_player_set_speed (player, speeds[i]);
      settle ();
      g_mutex_lock (&pitch.lock);
      pitch.n_samples = pitch.crossings = 0;
      pitch.first_us = pitch.last_us = pitch.heard_crossings = 0;
      g_mutex_unlock (&pitch.lock);
      fl_player_play (player);
      fl_test_sleep_in_loop (1200);
      fl_player_pause (player);
      fl_player_close (player);

      g_mutex_lock (&pitch.lock);
      g_assert_cmpint (pitch.n_samples, >, 8000);
      g_assert_cmpint (pitch.last_us - pitch.first_us, >, 500000);
      /* Cycles heard per second: what the buffers before the last one held, over the time
       * between the first and the last buffer. */
      hz = pitch.heard_crossings / 2.0 / ((pitch.last_us - pitch.first_us) / 1e6);
      g_mutex_unlock (&pitch.lock);
      g_test_message ("speed %.1f: %.0f Hz", speeds[i], hz);
      g_assert_cmpfloat (hz, >, 400);
      g_assert_cmpfloat (hz, <, 480);
      g_mutex_clear (&pitch.lock);
    }
}

/* Half volume halves the samples that reach the output. */
static void
test_volume (void)
{
  const double volumes[] = { 1.0, 0.5 };

  for (guint i = 0; i < G_N_ELEMENTS (volumes); i++)
    {
      Pitch out = { 0 };
      g_autoptr (FlPlayer) player = open_tone_listened (&out);

      fl_player_set_volume (player, volumes[i]);
      g_assert_cmpfloat (fl_player_get_volume (player), ==, volumes[i]);
      fl_player_play (player);
      /* Buffers already past the volume stage when it changed keep the old level. */
      fl_test_sleep_in_loop (400);
      g_mutex_lock (&out.lock);
      out.peak = 0;
      g_mutex_unlock (&out.lock);
      fl_test_sleep_in_loop (400);
      fl_player_pause (player);
      fl_player_close (player);
      g_mutex_lock (&out.lock);
      g_test_message ("volume %.1f: peak %d", volumes[i], out.peak);
      /* The tone is at half scale. */
      g_assert_cmpint (ABS (out.peak - (int) (16384 * volumes[i])), <, 400);
      g_mutex_unlock (&out.lock);
      g_mutex_clear (&out.lock);
    }
}

static void
test_rewind_on_pause (void)
{
  g_autoptr (FlPlayer) player = open_tone ();
  gint64 before;

  g_assert_cmpint (fl_player_get_rewind_on_pause_ms (player), ==, 2000);
  fl_player_seek (player, 1000);
  settle ();
  fl_player_play (player);
  wait_position (player, 3000);
  before = fl_player_query_position_ms (player);
  fl_player_pause (player);
  g_assert_false (fl_player_get_playing (player));
  settle ();
  g_assert_cmpint (ABS (fl_player_query_position_ms (player) - (before - 2000)), <=, 60);

  /* Never before the start. */
  fl_player_seek (player, 0);
  settle ();
  fl_player_play (player);
  wait_position (player, 500);
  fl_player_pause (player);
  settle ();
  g_assert_cmpint (fl_player_query_position_ms (player), ==, 0);
}

static void
test_skip (void)
{
  g_autoptr (FlPlayer) player = open_tone ();

  g_assert_cmpint (fl_player_get_skip_ms (player), ==, 5000);
  fl_player_skip (player, 1);
  settle ();
  g_assert_cmpint (fl_player_query_position_ms (player), ==, 5000);
  fl_player_set_skip_ms (player, 1500);
  fl_player_skip (player, -1);
  settle ();
  g_assert_cmpint (fl_player_query_position_ms (player), ==, 3500);
  fl_player_skip (player, 1);
  fl_player_skip (player, 1);
  settle ();
  g_assert_cmpint (fl_player_query_position_ms (player), ==, 6000);
}

static void
test_loop (void)
{
  g_autoptr (FlPlayer) player = open_tone ();
  gint64 start_us;
  gint64 lowest = G_MAXINT64, highest = 0, previous = 0;
  guint wraps = 0;

  fl_player_set_loop (player, 1000, 1600);
  g_assert_true (fl_player_get_looping (player));
  fl_player_play (player);
  start_us = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start_us < 2000 * 1000)
    {
      gint64 p;

      g_main_context_iteration (NULL, TRUE);
      p = fl_player_get_position_ms (player);
      if (p + 300 < previous)
        wraps++;
      previous = p;
      lowest = MIN (lowest, p);
      highest = MAX (highest, p);
    }
  g_assert_true (fl_player_get_playing (player));
  g_assert_cmpint (lowest, >=, 1000);
  /* The segment seek stops exactly at the loop's end, and comes back: 2 s is three loops. */
  g_assert_cmpint (highest, <=, 1600);
  g_assert_cmpint (highest, >=, 1400);
  g_assert_cmpuint (wraps, >=, 2);

  /* Without the loop, playback runs on. */
  fl_player_clear_loop (player);
  g_assert_false (fl_player_get_looping (player));
  wait_position (player, 2000);
  fl_player_pause (player);
}

static void
test_plays_to_the_end (void)
{
  g_autoptr (FlPlayer) player = open_tone ();

  fl_player_seek (player, 5500);
  settle ();
  fl_player_play (player);
  wait_position (player, 6000);
  settle ();
  g_assert_false (fl_player_get_playing (player));
  /* Play again starts from the beginning. */
  fl_player_play (player);
  settle ();
  g_assert_cmpint (fl_player_get_position_ms (player), <, 1000);
  fl_player_pause (player);
}

static void
test_bad_file_reports_error (void)
{
  g_autoptr (FlPlayer) player = new_player ();
  g_autofree char *path = g_build_filename (tmp_dir, "garbage.ogg", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GString) junk = g_string_new (NULL);

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (junk, "not audio at all %u\n", i);
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  fl_player_open (player, file);
  g_assert_true (fl_test_wait_until (is_ready, player, 20000));
  g_assert_false (fl_player_get_ready (player));
  g_assert_cmpstr (fl_player_get_error (player), ==,
                   "This file is not audio in a format that can be read.");
  fl_player_play (player);
  g_assert_false (fl_player_get_playing (player));
}

static void
test_no_audio_output (void)
{
  GstElement *sink = gst_element_factory_make ("pulsesink", NULL);
  g_autoptr (FlPlayer) player = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (tone_path);
  g_autofree char *server = g_strdup_printf ("unix:%s/no-such-sound-server", tmp_dir);

  if (sink == NULL)
    {
      g_test_skip ("pulsesink is not installed");
      return;
    }
  g_object_set (sink, "server", server, NULL);
  player = fl_player_new (sink);
  fl_player_open (player, file);
  g_assert_true (fl_test_wait_until (is_ready, player, 20000));
  g_assert_false (fl_player_get_has_audio_output (player));
  g_assert_nonnull (g_strstr_len (fl_player_get_error (player), -1, "No audio output"));
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("fl-test-player-XXXXXX", NULL);
  tone_path = fl_test_make_tone (tmp_dir, "tone.wav", 6.0, 0, 0.5, 16000);

  g_test_add_func ("/audio/player/duration", test_duration);
  g_test_add_func ("/audio/player/seek-accuracy", test_seek_accuracy);
  g_test_add_func ("/audio/player/playback-advances-in-real-time", test_playback_advances);
  g_test_add_func ("/audio/player/speed-change-keeps-position", test_speed_keeps_position);
  g_test_add_func ("/audio/player/speed-change-keeps-pitch", test_speed_keeps_pitch);
  g_test_add_func ("/audio/player/volume-scales-the-output", test_volume);
  g_test_add_func ("/audio/player/rewind-on-pause", test_rewind_on_pause);
  g_test_add_func ("/audio/player/skip-back-and-forward", test_skip);
  g_test_add_func ("/audio/player/loop-segment", test_loop);
  g_test_add_func ("/audio/player/plays-to-the-end-and-restarts", test_plays_to_the_end);
  g_test_add_func ("/audio/player/bad-file-reports-error", test_bad_file_reports_error);
  g_test_add_func ("/audio/player/no-audio-output-is-reported", test_no_audio_output);

  ret = g_test_run ();
  fl_test_remove_tree (tmp_dir);
  g_free (tone_path);
  return ret;
}
