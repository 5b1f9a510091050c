/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlAudioView"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-audio-view.h"

#define SETTINGS_SCHEMA_ID "io.github.fairlabel.Fairlabel"
#define SPEED_STEP 0.1

struct _FlAudioView
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkButton *play_button;
  GtkLabel *position_label;
  GtkButton *speed_button;
  GtkToggleButton *loop_button;
  GtkLabel *status_label;
  GtkScaleButton *volume_button;
  GtkWidget *segments_button;
  FlWaveformView *waveform_view;
  GtkScrollbar *scrollbar;
  GtkWidget *warning_box;
  GtkLabel *warning_label;
  FlTranscriptEditor *editor;
  AdwStatusPage *error_page;

  GstElement *audio_sink;
  FlPlayer *player;
  FlWaveform *waveform;
  FlTranscript *transcript;
  GCancellable *cancellable;
  GSettings *settings;
  GtkShortcutController *shortcuts;
  GString *warnings;

  gboolean whole_file;
  gboolean duration_applied;
  gboolean quiet; /* edits made by loading are not the worker's */
  int loop_index;
};

G_DEFINE_FINAL_TYPE (FlAudioView, fl_audio_view, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_LOAD_FAILED,
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_PLAYING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Rebindable keys: each GSettings key lists accelerators, so pedals and media keys can be used. */
static const struct
{
  const char *key;
  const char *action;
  const char *defaults[4];
} bindings[] = {
  { "audio-play-pause-keys", "audio.play-pause", { "<Control>space", "AudioPlay", "AudioPause" } },
  { "audio-skip-back-keys", "audio.skip-back", { "<Control>comma", "AudioRewind" } },
  { "audio-skip-forward-keys", "audio.skip-forward", { "<Control>period", "AudioForward" } },
  { "audio-slower-keys", "audio.slower", { "<Control>bracketleft" } },
  { "audio-faster-keys", "audio.faster", { "<Control>bracketright" } },
  { "audio-split-keys", "audio.split", { "Return", "KP_Enter" } },
  { "audio-merge-keys", "audio.merge", { "<Control>m" } },
  { "audio-jump-keys", "audio.jump-to-playhead", { "<Control>j" } },
  { "audio-timestamp-keys", "audio.insert-timestamp", { "<Control>t" } },
  { "audio-loop-keys", "audio.loop-segment", { "<Control>l" } },
};

static void
add_warning (FlAudioView *self, const char *message)
{
  if (self->warnings->len > 0)
    g_string_append_c (self->warnings, '\n');
  g_string_append (self->warnings, message);
  gtk_label_set_text (self->warning_label, self->warnings->str);
  gtk_widget_set_visible (self->warning_box, TRUE);
}

static void
add_warnings (FlAudioView *self, GPtrArray *warnings)
{
  for (guint i = 0; i < warnings->len; i++)
    add_warning (self, warnings->pdata[i]);
}

static void
on_dismiss_warnings (FlAudioView *self)
{
  g_string_truncate (self->warnings, 0);
  gtk_widget_set_visible (self->warning_box, FALSE);
}

static void
on_editor_warning (FlAudioView *self, const char *message)
{
  add_warning (self, message);
}

static void
update_position_label (FlAudioView *self)
{
  g_autofree char *position = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *text = NULL;

  if (self->player == NULL)
    return;
  position = fl_format_timestamp (fl_player_get_position_ms (self->player));
  duration = fl_format_timestamp (MAX (fl_player_get_duration_ms (self->player),
                                       fl_transcript_get_duration_ms (self->transcript)));
  text = g_strdup_printf ("%s / %s", position, duration);
  gtk_label_set_text (self->position_label, text);
}

static void
update_speed_label (FlAudioView *self)
{
  g_autofree char *text = g_strdup_printf ("%.1f×", fl_player_get_speed (self->player));

  gtk_button_set_label (self->speed_button, text);
}

static void
update_play_button (FlAudioView *self)
{
  gboolean playing = self->player != NULL && fl_player_get_playing (self->player);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
  gtk_button_set_icon_name (self->play_button, playing ? "media-playback-pause-symbolic"
                                                       : "media-playback-start-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->play_button), playing ? _ ("Pause") : _ ("Play"));
}

static void
update_status (FlAudioView *self)
{
  g_autofree char *text = NULL;

  if (self->waveform != NULL && !fl_waveform_get_complete (self->waveform) &&
      fl_waveform_get_duration_ms (self->waveform) > 0)
    text = g_strdup_printf (_ ("Reading the waveform… %d%%"),
                            (int) (100 * fl_waveform_get_loaded_ms (self->waveform) /
                                   fl_waveform_get_duration_ms (self->waveform)));
  gtk_label_set_text (self->status_label, text != NULL ? text : "");
}

static void
update_actions (FlAudioView *self)
{
  gboolean ready = self->transcript != NULL && fl_transcript_get_duration_ms (self->transcript) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audio.split", ready && !self->whole_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audio.merge", ready && !self->whole_file);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audio.use-segments",
                                 ready && self->whole_file);
  gtk_widget_set_visible (self->segments_button, self->whole_file);
}

static void
apply_duration (FlAudioView *self, gint64 duration_ms)
{
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  if (self->duration_applied || duration_ms <= 0)
    return;
  self->duration_applied = TRUE;
  self->quiet = TRUE;
  fl_transcript_set_duration_ms (self->transcript, duration_ms, warnings);
  if (self->whole_file)
    fl_transcript_set_whole_file (self->transcript, NULL);
  self->quiet = FALSE;
  add_warnings (self, warnings);
  update_actions (self);
  update_position_label (self);
}

static void
on_player_duration (FlAudioView *self)
{
  apply_duration (self, fl_player_get_duration_ms (self->player));
}

static void
on_player_error (FlAudioView *self)
{
  const char *error = fl_player_get_error (self->player);

  if (error != NULL)
    add_warning (self, error);
}

static void
on_waveform_progress (FlAudioView *self)
{
  update_status (self);
  if (fl_waveform_get_complete (self->waveform))
    apply_duration (self, fl_waveform_get_duration_ms (self->waveform));
}

static void
show_error (FlAudioView *self, const char *message)
{
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
  if (self->player != NULL)
    fl_player_close (self->player);
  g_signal_emit (self, signals[SIGNAL_LOAD_FAILED], 0, message);
}

static void
on_waveform_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlAudioView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!fl_waveform_load_finish (FL_WAVEFORM (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  update_status (self);
}

static void
on_transcript_edited (FlAudioView *self)
{
  if (self->quiet)
    return;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_segment_activated (FlAudioView *self, int index)
{
  fl_waveform_view_set_selected (self->waveform_view, index);
  fl_transcript_editor_focus_segment (self->editor, index, FALSE);
}

static void
on_segment_focused (FlAudioView *self, int index)
{
  fl_waveform_view_set_selected (self->waveform_view, index);
  if (self->loop_index >= 0 && index >= 0 && index != self->loop_index && self->player != NULL)
    {
      const FlSegment *seg = fl_transcript_get_segment (self->transcript, index);

      self->loop_index = index;
      fl_player_set_loop (self->player, seg->start_ms, seg->end_ms);
    }
}

static void
on_volume_changed (FlAudioView *self, double value)
{
  if (self->player != NULL)
    fl_player_set_volume (self->player, value);
}

static void
on_seek_requested (FlAudioView *self, gint64 position_ms)
{
  if (self->player != NULL)
    fl_player_seek (self->player, position_ms);
}

static void
play_pause_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);

  if (self->player != NULL)
    fl_player_toggle (self->player);
}

static void
skip_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);

  if (self->player != NULL)
    fl_player_skip (self->player, g_str_equal (name, "audio.skip-back") ? -1 : 1);
}

static void
speed_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  double speed;

  if (self->player == NULL)
    return;
  speed = fl_player_get_speed (self->player);
  if (g_str_equal (name, "audio.slower"))
    speed -= SPEED_STEP;
  else if (g_str_equal (name, "audio.faster"))
    speed += SPEED_STEP;
  else
    speed = 1.0;
  fl_player_set_speed (self->player, round (speed * 10) / 10);
}

static gint64
playhead_ms (FlAudioView *self)
{
  return self->player != NULL ? fl_player_query_position_ms (self->player) : 0;
}

static void
split_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  g_autoptr (GError) error = NULL;
  gint64 at = playhead_ms (self);
  int index = fl_transcript_find_at (self->transcript, at);
  int offset = -1;

  if (index < 0)
    {
      add_warning (self, _ ("To split, put the playhead inside a segment."));
      return;
    }
  /* The words after the cursor go with the second half when the cursor is in that segment. */
  if (index == fl_transcript_editor_get_current_segment (self->editor))
    offset = fl_transcript_editor_get_cursor_offset (self->editor);
  if (!fl_transcript_split (self->transcript, index, at, offset, &error))
    {
      add_warning (self, error->message);
      return;
    }
  fl_transcript_editor_focus_segment (self->editor, index + 1, TRUE);
}

static void
merge_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  g_autoptr (GError) error = NULL;
  int index = fl_transcript_editor_get_current_segment (self->editor);

  if (index < 0)
    index = fl_transcript_find_at (self->transcript, playhead_ms (self));
  if (index < 0)
    return;
  if (!fl_transcript_merge_with_next (self->transcript, index, &error))
    {
      add_warning (self, error->message);
      return;
    }
  fl_transcript_editor_focus_segment (self->editor, index, FALSE);
}

static void
jump_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  int index = fl_transcript_find_at (self->transcript, playhead_ms (self));

  if (index >= 0)
    on_segment_activated (self, index);
}

static void
timestamp_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  g_autofree char *stamp = fl_format_timestamp (playhead_ms (self));
  g_autofree char *text = g_strdup_printf ("[%s] ", stamp);

  fl_transcript_editor_insert_at_cursor (self->editor, text);
}

static void
loop_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  int index;

  if (self->player == NULL)
    return;
  if (self->loop_index >= 0)
    {
      self->loop_index = -1;
      fl_player_clear_loop (self->player);
    }
  else
    {
      index = fl_transcript_editor_get_current_segment (self->editor);
      if (index < 0)
        index = fl_transcript_find_at (self->transcript, playhead_ms (self));
      if (index >= 0)
        {
          const FlSegment *seg = fl_transcript_get_segment (self->transcript, index);

          self->loop_index = index;
          fl_player_set_loop (self->player, seg->start_ms, seg->end_ms);
        }
    }
  gtk_toggle_button_set_active (self->loop_button, self->loop_index >= 0);
}

static void
zoom_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);

  fl_waveform_view_zoom (self->waveform_view, g_str_equal (name, "audio.zoom-in") ? 2.0 : 0.5);
}

static void
use_segments_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);

  /* The whole-file text becomes one segment; Enter then splits it at the playhead. */
  self->whole_file = FALSE;
  fl_transcript_editor_set_whole_file (self->editor, FALSE);
  update_actions (self);
  fl_transcript_editor_focus_segment (self->editor, 0, FALSE);
}

/* Editing keys such as Enter only act while a segment's text has the focus, so buttons and
 * the whole-file text keep their usual keys. */
static gboolean
activate_binding (GtkWidget *widget, GVariant *args, gpointer user_data)
{
  FlAudioView *self = FL_AUDIO_VIEW (widget);
  const char *action = user_data;
  GtkWidget *focus;

  if (g_str_equal (action, "audio.split") || g_str_equal (action, "audio.merge"))
    {
      GtkRoot *root = gtk_widget_get_root (widget);

      focus = root != NULL ? gtk_root_get_focus (root) : NULL;
      if (self->whole_file || !GTK_IS_TEXT_VIEW (focus) || !gtk_widget_is_ancestor (focus, widget))
        return FALSE;
    }
  return gtk_widget_activate_action_variant (widget, action, NULL);
}

static char **
binding_accels (FlAudioView *self, guint i)
{
  if (self->settings != NULL)
    return g_settings_get_strv (self->settings, bindings[i].key);
  return g_strdupv ((char **) bindings[i].defaults);
}

static void
rebuild_shortcuts (FlAudioView *self)
{
  GListModel *model = G_LIST_MODEL (self->shortcuts);

  while (g_list_model_get_n_items (model) > 0)
    {
      g_autoptr (GtkShortcut) first = g_list_model_get_item (model, 0);

      gtk_shortcut_controller_remove_shortcut (self->shortcuts, first);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    {
      g_auto (GStrv) accels = binding_accels (self, i);

      for (guint j = 0; accels[j] != NULL; j++)
        {
          GtkShortcutTrigger *trigger = gtk_shortcut_trigger_parse_string (accels[j]);

          if (trigger == NULL)
            {
              g_warning ("Ignoring the unknown key “%s” in %s", accels[j], bindings[i].key);
              continue;
            }
          gtk_shortcut_controller_add_shortcut (
            self->shortcuts,
            gtk_shortcut_new (trigger, gtk_callback_action_new (
                                         activate_binding, (gpointer) bindings[i].action, NULL)));
        }
    }
}

static void
apply_playback_settings (FlAudioView *self)
{
  if (self->settings == NULL || self->player == NULL)
    return;
  fl_player_set_skip_ms (
    self->player, (gint64) (g_settings_get_double (self->settings, "audio-skip-seconds") * 1000));
  fl_player_set_rewind_on_pause_ms (
    self->player,
    (gint64) (g_settings_get_double (self->settings, "audio-rewind-on-pause-seconds") * 1000));
}

static void
on_settings_changed (FlAudioView *self, const char *key)
{
  if (g_str_has_suffix (key, "-keys"))
    rebuild_shortcuts (self);
  else
    apply_playback_settings (self);
}

static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "audio-play-pause-keys") ||
      !g_settings_schema_has_key (schema, "audio-skip-seconds"))
    {
      g_debug ("No audio keys in the settings schema; using the default keys");
      return NULL;
    }
  return g_settings_new (SETTINGS_SCHEMA_ID);
}

static void
reset (FlAudioView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->player != NULL)
    {
      gboolean was_playing = fl_player_get_playing (self->player);

      g_signal_handlers_disconnect_by_data (self->player, self);
      fl_player_close (self->player);
      g_clear_object (&self->player);
      if (was_playing)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
    }
  if (self->waveform != NULL)
    g_signal_handlers_disconnect_by_data (self->waveform, self);
  g_clear_object (&self->waveform);
  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  g_clear_object (&self->transcript);
  fl_waveform_view_set_player (self->waveform_view, NULL);
  fl_waveform_view_set_waveform (self->waveform_view, NULL);
  fl_waveform_view_set_transcript (self->waveform_view, NULL);
  fl_waveform_view_clear_speaker_colors (self->waveform_view);
  fl_transcript_editor_set_transcript (self->editor, NULL);
  on_dismiss_warnings (self);
  self->duration_applied = FALSE;
  self->loop_index = -1;
  gtk_toggle_button_set_active (self->loop_button, FALSE);
}

static void
fl_audio_view_dispose (GObject *object)
{
  FlAudioView *self = FL_AUDIO_VIEW (object);

  if (self->waveform_view != NULL)
    reset (self);
  g_clear_object (&self->settings);
  gst_clear_object (&self->audio_sink);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_AUDIO_VIEW);
  G_OBJECT_CLASS (fl_audio_view_parent_class)->dispose (object);
}

static void
fl_audio_view_finalize (GObject *object)
{
  FlAudioView *self = FL_AUDIO_VIEW (object);

  g_string_free (self->warnings, TRUE);
  G_OBJECT_CLASS (fl_audio_view_parent_class)->finalize (object);
}

static void
fl_audio_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlAudioView *self = FL_AUDIO_VIEW (object);

  switch (prop_id)
    {
      case PROP_PLAYING:
        g_value_set_boolean (value, self->player != NULL && fl_player_get_playing (self->player));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_audio_view_class_init (FlAudioViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_audio_view_dispose;
  object_class->finalize = fl_audio_view_finalize;
  object_class->get_property = fl_audio_view_get_property;

  /* Whether audio plays: the earnings clock does not count the worker idle meanwhile. */
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_LOAD_FAILED] =
    g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_WAVEFORM_VIEW);
  g_type_ensure (FL_TYPE_TRANSCRIPT_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-audio-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, stack);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, play_button);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, position_label);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, speed_button);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, loop_button);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, status_label);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, volume_button);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, segments_button);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, waveform_view);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, scrollbar);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, warning_box);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, warning_label);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, editor);
  gtk_widget_class_bind_template_child (widget_class, FlAudioView, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_warnings);
  gtk_widget_class_bind_template_callback (widget_class, on_editor_warning);
  gtk_widget_class_bind_template_callback (widget_class, on_segment_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_segment_focused);
  gtk_widget_class_bind_template_callback (widget_class, on_seek_requested);
  gtk_widget_class_bind_template_callback (widget_class, on_volume_changed);

  gtk_widget_class_install_action (widget_class, "audio.play-pause", NULL, play_pause_action);
  gtk_widget_class_install_action (widget_class, "audio.skip-back", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "audio.skip-forward", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "audio.slower", NULL, speed_action);
  gtk_widget_class_install_action (widget_class, "audio.faster", NULL, speed_action);
  gtk_widget_class_install_action (widget_class, "audio.normal-speed", NULL, speed_action);
  gtk_widget_class_install_action (widget_class, "audio.split", NULL, split_action);
  gtk_widget_class_install_action (widget_class, "audio.merge", NULL, merge_action);
  gtk_widget_class_install_action (widget_class, "audio.jump-to-playhead", NULL, jump_action);
  gtk_widget_class_install_action (widget_class, "audio.insert-timestamp", NULL, timestamp_action);
  gtk_widget_class_install_action (widget_class, "audio.loop-segment", NULL, loop_action);
  gtk_widget_class_install_action (widget_class, "audio.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "audio.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "audio.use-segments", NULL, use_segments_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK,
                                       "audio.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK,
                                       "audio.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK,
                                       "audio.zoom-out", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fl_audio_view_init (FlAudioView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->warnings = g_string_new (NULL);
  self->loop_index = -1;
  gtk_scrollbar_set_adjustment (self->scrollbar,
                                fl_waveform_view_get_adjustment (self->waveform_view));

  /* Capture phase: the playback keys work while a text area has the focus. */
  self->shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->shortcuts),
                                              GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_set_scope (self->shortcuts, GTK_SHORTCUT_SCOPE_LOCAL);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->shortcuts));

  self->settings = lookup_settings ();
  if (self->settings != NULL)
    g_signal_connect_swapped (self->settings, "changed", G_CALLBACK (on_settings_changed), self);
  rebuild_shortcuts (self);
  update_actions (self);
}

GtkWidget *
fl_audio_view_new (void)
{
  return g_object_new (FL_TYPE_AUDIO_VIEW, NULL);
}

void
fl_audio_view_set_audio_sink (FlAudioView *self, GstElement *sink)
{
  g_return_if_fail (FL_IS_AUDIO_VIEW (self));
  g_return_if_fail (sink == NULL || GST_IS_ELEMENT (sink));

  gst_clear_object (&self->audio_sink);
  if (sink != NULL)
    self->audio_sink = gst_object_ref_sink (sink);
}

static void
read_speakers (FlAudioView *self, JsonObject *label_config, GPtrArray *names)
{
  JsonArray *speakers;

  if (label_config == NULL || !json_object_has_member (label_config, "speakers") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (label_config, "speakers")))
    return;
  speakers = json_object_get_array_member (label_config, "speakers");
  for (guint i = 0; i < json_array_get_length (speakers); i++)
    {
      JsonNode *node = json_array_get_element (speakers, i);
      JsonObject *speaker;
      const char *name;
      const char *color;
      GdkRGBA rgba;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      speaker = json_node_get_object (node);
      name = json_object_get_string_member_with_default (speaker, "name", NULL);
      if (name == NULL || !g_utf8_validate (name, -1, NULL))
        continue;
      g_ptr_array_add (names, g_strdup (name));
      color = json_object_get_string_member_with_default (speaker, "color", NULL);
      if (color != NULL && gdk_rgba_parse (&rgba, color))
        fl_waveform_view_set_speaker_color (self->waveform_view, name, &rgba);
    }
}

void
fl_audio_view_load (FlAudioView *self, GFile *asset, JsonObject *label_config,
                    JsonNode *pre_annotation)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (FL_IS_AUDIO_VIEW (self));
  g_return_if_fail (G_IS_FILE (asset));

  reset (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
  self->cancellable = g_cancellable_new ();

  read_speakers (self, label_config, names);
  g_ptr_array_add (names, NULL);
  fl_transcript_editor_set_speakers (self->editor, (const char *const *) names->pdata);

  self->quiet = TRUE;
  self->transcript = fl_transcript_new (0);
  if (pre_annotation != NULL && !JSON_NODE_HOLDS_NULL (pre_annotation))
    {
      g_autoptr (GError) error = NULL;

      if (!fl_transcript_load_result (self->transcript, pre_annotation, warnings, &error))
        {
          g_autofree char *message =
            g_strdup_printf (_ ("The pre-annotation could not be used: %s"), error->message);

          add_warning (self, message);
        }
    }
  self->quiet = FALSE;
  add_warnings (self, warnings);
  /* Tasks without segments and without speakers are transcribed as one text. */
  self->whole_file = fl_transcript_get_n_segments (self->transcript) == 0 && names->len <= 1;
  g_signal_connect_swapped (self->transcript, "segments-changed", G_CALLBACK (on_transcript_edited),
                            self);
  g_signal_connect_swapped (self->transcript, "segment-changed", G_CALLBACK (on_transcript_edited),
                            self);
  fl_transcript_editor_set_transcript (self->editor, self->transcript);
  fl_transcript_editor_set_whole_file (self->editor, self->whole_file);
  fl_waveform_view_set_transcript (self->waveform_view, self->transcript);

  self->player = fl_player_new (self->audio_sink);
  apply_playback_settings (self);
  fl_player_set_volume (self->player, gtk_scale_button_get_value (self->volume_button));
  g_signal_connect_swapped (self->player, "notify::duration-ms", G_CALLBACK (on_player_duration),
                            self);
  g_signal_connect_swapped (self->player, "notify::position-ms", G_CALLBACK (update_position_label),
                            self);
  g_signal_connect_swapped (self->player, "notify::playing", G_CALLBACK (update_play_button), self);
  g_signal_connect_swapped (self->player, "notify::speed", G_CALLBACK (update_speed_label), self);
  g_signal_connect_swapped (self->player, "notify::error", G_CALLBACK (on_player_error), self);
  fl_waveform_view_set_player (self->waveform_view, self->player);
  fl_player_open (self->player, asset);
  update_speed_label (self);
  update_play_button (self);

  self->waveform = fl_waveform_new (NULL);
  g_signal_connect_swapped (self->waveform, "notify::loaded-ms", G_CALLBACK (on_waveform_progress),
                            self);
  g_signal_connect_swapped (self->waveform, "notify::complete", G_CALLBACK (on_waveform_progress),
                            self);
  fl_waveform_view_set_waveform (self->waveform_view, self->waveform);
  fl_waveform_load_async (self->waveform, asset, NULL, self->cancellable, on_waveform_loaded,
                          g_object_ref (self));
  update_actions (self);
  update_position_label (self);
}

JsonNode *
fl_audio_view_get_result (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  g_return_val_if_fail (self->transcript != NULL, NULL);

  return fl_transcript_to_result (self->transcript);
}

FlPlayer *
fl_audio_view_get_player (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->player;
}

FlWaveform *
fl_audio_view_get_waveform (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->waveform;
}

FlTranscript *
fl_audio_view_get_transcript (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->transcript;
}

FlWaveformView *
fl_audio_view_get_waveform_view (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->waveform_view;
}

FlTranscriptEditor *
fl_audio_view_get_editor (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->editor;
}

const char *
fl_audio_view_get_warnings (FlAudioView *self)
{
  g_return_val_if_fail (FL_IS_AUDIO_VIEW (self), NULL);
  return self->warnings->str;
}
