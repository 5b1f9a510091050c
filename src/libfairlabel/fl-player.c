/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlPlayer"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>

#include "fl-player.h"

/* While playing, the position is re-read this often; paused, nothing runs. */
#define POSITION_INTERVAL_MS 40
/* playbin's GstPlayFlags: audio only, software volume. */
#define PLAY_FLAGS_AUDIO_ONLY ((1 << 1) | (1 << 4))

struct _FlPlayer
{
  GObject parent_instance;

  GstElement *playbin;
  GstElement *audio_sink;
  guint bus_watch;
  guint position_timer;

  gboolean ready;
  gboolean playing;
  gboolean want_playing;
  gboolean has_audio_output;
  gint64 position_ms;
  gint64 duration_ms;
  gint64 pending_seek_ms;
  double speed;
  double volume;
  gint64 skip_ms;
  gint64 rewind_ms;
  gint64 loop_start_ms;
  gint64 loop_end_ms;
  char *error;
  char *missing_plugin;
};

G_DEFINE_FINAL_TYPE (FlPlayer, fl_player, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_AUDIO_SINK,
  PROP_READY,
  PROP_PLAYING,
  PROP_POSITION_MS,
  PROP_DURATION_MS,
  PROP_SPEED,
  PROP_VOLUME,
  PROP_SKIP_MS,
  PROP_REWIND_ON_PAUSE_MS,
  PROP_LOOPING,
  PROP_ERROR,
  PROP_HAS_AUDIO_OUTPUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_boolean (FlPlayer *self, gboolean *field, gboolean value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_position (FlPlayer *self, gint64 position_ms)
{
  if (self->position_ms == position_ms)
    return;
  self->position_ms = position_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION_MS]);
}

static void
set_error (FlPlayer *self, const char *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static const char *
no_output_message (void)
{
  return _ ("No audio output was found. Connect speakers or headphones and check that the "
            "sound server (PipeWire or PulseAudio) is running.");
}

gint64
fl_player_query_position_ms (FlPlayer *self)
{
  gint64 position = 0;

  g_return_val_if_fail (FL_IS_PLAYER (self), 0);

  if (self->ready && self->pending_seek_ms < 0 &&
      gst_element_query_position (self->playbin, GST_FORMAT_TIME, &position) && position >= 0)
    return position / GST_MSECOND;
  return self->position_ms;
}

static void
do_seek (FlPlayer *self, gint64 position_ms)
{
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE;
  GstSeekType stop_type = GST_SEEK_TYPE_NONE;
  GstClockTime stop = GST_CLOCK_TIME_NONE;

  /* A loop is a segment seek: playback stops exactly at its end and SEGMENT_DONE brings it
   * back, with no timer watching the position. */
  if (self->loop_end_ms > self->loop_start_ms && position_ms >= self->loop_start_ms &&
      position_ms < self->loop_end_ms)
    {
      flags |= GST_SEEK_FLAG_SEGMENT;
      stop_type = GST_SEEK_TYPE_SET;
      stop = self->loop_end_ms * GST_MSECOND;
    }
  if (!gst_element_seek (self->playbin, self->speed, GST_FORMAT_TIME, flags, GST_SEEK_TYPE_SET,
                         position_ms * GST_MSECOND, stop_type, stop))
    g_debug ("Seek to %" G_GINT64_FORMAT " ms was refused", position_ms);
}

static void
stop_position_timer (FlPlayer *self)
{
  g_clear_handle_id (&self->position_timer, g_source_remove);
}

static gboolean
on_position_timer (gpointer user_data)
{
  FlPlayer *self = user_data;
  set_position (self, fl_player_query_position_ms (self));
  return G_SOURCE_CONTINUE;
}

static void
start_playing (FlPlayer *self)
{
  gint64 position = self->position_ms;

  if (self->duration_ms > 0 && position >= self->duration_ms)
    position = 0;
  if (self->loop_end_ms > self->loop_start_ms &&
      (position < self->loop_start_ms || position >= self->loop_end_ms))
    position = self->loop_start_ms;
  if (position != self->position_ms)
    {
      set_position (self, position);
      do_seek (self, position);
    }
  if (gst_element_set_state (self->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    return;
  set_boolean (self, &self->playing, TRUE, PROP_PLAYING);
  if (self->position_timer == 0)
    self->position_timer = g_timeout_add (POSITION_INTERVAL_MS, on_position_timer, self);
}

static gboolean
sink_is_fake (GstElement *sink)
{
  g_autoptr (GstIterator) it = NULL;
  GValue item = G_VALUE_INIT;
  gboolean fake = FALSE;

  if (!GST_IS_BIN (sink))
    return FALSE;
  it = gst_bin_iterate_recurse (GST_BIN (sink));
  while (!fake && gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElementFactory *factory = gst_element_get_factory (g_value_get_object (&item));
      const char *name = factory != NULL ? GST_OBJECT_NAME (factory) : "";

      fake = g_str_equal (name, "fakesink") || g_str_equal (name, "fakeaudiosink");
      g_value_reset (&item);
    }
  g_value_unset (&item);
  return fake;
}

static void
handle_error (FlPlayer *self, GstMessage *msg)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *debug = NULL;
  g_autofree char *message = NULL;
  GstObject *src = GST_MESSAGE_SRC (msg);

  gst_message_parse_error (msg, &error, &debug);
  g_debug ("Playback error from %s: %s (%s)", GST_OBJECT_NAME (src), error->message,
           debug != NULL ? debug : "");

  if (error->domain == GST_RESOURCE_ERROR && GST_IS_ELEMENT (src) &&
      GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_SINK))
    {
      set_boolean (self, &self->has_audio_output, FALSE, PROP_HAS_AUDIO_OUTPUT);
      message = g_strdup (no_output_message ());
    }
  else if (self->missing_plugin != NULL ||
           g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    message =
      g_strdup_printf (_ ("No decoder is installed for this audio (%s). Install the "
                          "GStreamer plugin that provides it, for example "
                          "gstreamer1.0-libav or gstreamer1.0-plugins-bad."),
                       self->missing_plugin != NULL ? self->missing_plugin : error->message);
  else if (g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
           g_error_matches (error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    message = g_strdup (_ ("This file is not audio in a format that can be read."));
  else
    message = g_strdup_printf (_ ("Playback failed: %s"), error->message);

  stop_position_timer (self);
  self->want_playing = FALSE;
  gst_element_set_state (self->playbin, GST_STATE_READY);
  set_boolean (self, &self->ready, FALSE, PROP_READY);
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  set_error (self, message);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *msg, gpointer user_data)
{
  FlPlayer *self = user_data;

  switch (GST_MESSAGE_TYPE (msg))
    {
      case GST_MESSAGE_ERROR:
        handle_error (self, msg);
        break;

      case GST_MESSAGE_ELEMENT:
        if (gst_is_missing_plugin_message (msg) && self->missing_plugin == NULL)
          self->missing_plugin = gst_missing_plugin_message_get_description (msg);
        break;

      case GST_MESSAGE_SEGMENT_DONE:
        if (self->loop_end_ms > self->loop_start_ms &&
            !gst_element_seek (self->playbin, self->speed, GST_FORMAT_TIME,
                               GST_SEEK_FLAG_SEGMENT | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
                               self->loop_start_ms * GST_MSECOND, GST_SEEK_TYPE_SET,
                               self->loop_end_ms * GST_MSECOND))
          g_debug ("Looping back was refused");
        else if (self->loop_end_ms <= self->loop_start_ms)
          do_seek (self, fl_player_query_position_ms (self));
        break;

      case GST_MESSAGE_EOS:
        if (self->loop_end_ms > self->loop_start_ms)
          {
            set_position (self, self->loop_start_ms);
            do_seek (self, self->loop_start_ms);
            break;
          }
        stop_position_timer (self);
        self->want_playing = FALSE;
        gst_element_set_state (self->playbin, GST_STATE_PAUSED);
        set_position (self, self->duration_ms);
        set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
        break;

      case GST_MESSAGE_DURATION_CHANGED:
      case GST_MESSAGE_ASYNC_DONE:
        {
          gint64 duration = 0;

          if (gst_element_query_duration (self->playbin, GST_FORMAT_TIME, &duration) &&
              duration > 0 && duration / GST_MSECOND != self->duration_ms)
            {
              self->duration_ms = duration / GST_MSECOND;
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
            }
          if (GST_MESSAGE_TYPE (msg) != GST_MESSAGE_ASYNC_DONE)
            break;
          if (!self->ready)
            {
              if (self->audio_sink == NULL && sink_is_fake (self->playbin))
                {
                  set_boolean (self, &self->has_audio_output, FALSE, PROP_HAS_AUDIO_OUTPUT);
                  set_error (self, no_output_message ());
                }
              set_boolean (self, &self->ready, TRUE, PROP_READY);
              if (self->pending_seek_ms >= 0 || self->speed != 1.0)
                {
                  gint64 target = MAX (self->pending_seek_ms, 0);

                  self->pending_seek_ms = -1;
                  do_seek (self, target);
                }
              if (self->want_playing)
                start_playing (self);
            }
          else if (!self->playing)
            set_position (self, fl_player_query_position_ms (self));
        }
        break;

      default:
        break;
    }
  return G_SOURCE_CONTINUE;
}

static void
fl_player_constructed (GObject *object)
{
  FlPlayer *self = FL_PLAYER (object);
  g_autoptr (GstBus) bus = NULL;
  GstElement *tempo;

  G_OBJECT_CLASS (fl_player_parent_class)->constructed (object);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  self->playbin = gst_element_factory_make ("playbin", NULL);
  g_assert (self->playbin != NULL);
  gst_object_ref_sink (self->playbin);
  g_object_set (self->playbin, "flags", PLAY_FLAGS_AUDIO_ONLY, NULL);
  tempo = gst_element_factory_make ("scaletempo", NULL);
  if (tempo != NULL)
    g_object_set (self->playbin, "audio-filter", tempo, NULL);
  if (self->audio_sink != NULL)
    g_object_set (self->playbin, "audio-sink", self->audio_sink, NULL);

  bus = gst_element_get_bus (self->playbin);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
}

static void
fl_player_dispose (GObject *object)
{
  FlPlayer *self = FL_PLAYER (object);

  stop_position_timer (self);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->playbin != NULL)
    {
      gst_element_set_state (self->playbin, GST_STATE_NULL);
      gst_clear_object (&self->playbin);
    }
  gst_clear_object (&self->audio_sink);
  G_OBJECT_CLASS (fl_player_parent_class)->dispose (object);
}

static void
fl_player_finalize (GObject *object)
{
  FlPlayer *self = FL_PLAYER (object);

  g_free (self->error);
  g_free (self->missing_plugin);
  G_OBJECT_CLASS (fl_player_parent_class)->finalize (object);
}

static void
fl_player_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlPlayer *self = FL_PLAYER (object);

  switch (prop_id)
    {
      case PROP_AUDIO_SINK:
        g_value_set_object (value, self->audio_sink);
        break;
      case PROP_READY:
        g_value_set_boolean (value, self->ready);
        break;
      case PROP_PLAYING:
        g_value_set_boolean (value, self->playing);
        break;
      case PROP_POSITION_MS:
        g_value_set_int64 (value, self->position_ms);
        break;
      case PROP_DURATION_MS:
        g_value_set_int64 (value, self->duration_ms);
        break;
      case PROP_SPEED:
        g_value_set_double (value, self->speed);
        break;
      case PROP_VOLUME:
        g_value_set_double (value, self->volume);
        break;
      case PROP_SKIP_MS:
        g_value_set_int64 (value, self->skip_ms);
        break;
      case PROP_REWIND_ON_PAUSE_MS:
        g_value_set_int64 (value, self->rewind_ms);
        break;
      case PROP_LOOPING:
        g_value_set_boolean (value, self->loop_end_ms > self->loop_start_ms);
        break;
      case PROP_ERROR:
        g_value_set_string (value, self->error);
        break;
      case PROP_HAS_AUDIO_OUTPUT:
        g_value_set_boolean (value, self->has_audio_output);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_player_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlPlayer *self = FL_PLAYER (object);

  switch (prop_id)
    {
      case PROP_AUDIO_SINK:
        self->audio_sink = g_value_get_object (value);
        if (self->audio_sink != NULL)
          gst_object_ref_sink (self->audio_sink);
        break;
      case PROP_SPEED:
        fl_player_set_speed (self, g_value_get_double (value));
        break;
      case PROP_VOLUME:
        fl_player_set_volume (self, g_value_get_double (value));
        break;
      case PROP_SKIP_MS:
        fl_player_set_skip_ms (self, g_value_get_int64 (value));
        break;
      case PROP_REWIND_ON_PAUSE_MS:
        fl_player_set_rewind_on_pause_ms (self, g_value_get_int64 (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_player_class_init (FlPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = fl_player_constructed;
  object_class->dispose = fl_player_dispose;
  object_class->finalize = fl_player_finalize;
  object_class->get_property = fl_player_get_property;
  object_class->set_property = fl_player_set_property;

  /* Tests pass "fakesink sync=true"; NULL picks the system's output. */
  properties[PROP_AUDIO_SINK] =
    g_param_spec_object ("audio-sink", NULL, NULL, GST_TYPE_ELEMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] = g_param_spec_boolean ("ready", NULL, NULL, FALSE, ro);
  properties[PROP_PLAYING] = g_param_spec_boolean ("playing", NULL, NULL, FALSE, ro);
  properties[PROP_POSITION_MS] =
    g_param_spec_int64 ("position-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, FL_PLAYER_MIN_SPEED, FL_PLAYER_MAX_SPEED, 1.0, rw);
  properties[PROP_VOLUME] = g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0, rw);
  properties[PROP_SKIP_MS] = g_param_spec_int64 ("skip-ms", NULL, NULL, 100, 600000, 5000, rw);
  properties[PROP_REWIND_ON_PAUSE_MS] =
    g_param_spec_int64 ("rewind-on-pause-ms", NULL, NULL, 0, 60000, 2000, rw);
  properties[PROP_LOOPING] = g_param_spec_boolean ("looping", NULL, NULL, FALSE, ro);
  properties[PROP_ERROR] = g_param_spec_string ("error", NULL, NULL, NULL, ro);
  properties[PROP_HAS_AUDIO_OUTPUT] =
    g_param_spec_boolean ("has-audio-output", NULL, NULL, TRUE, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_player_init (FlPlayer *self)
{
  self->speed = 1.0;
  self->volume = 1.0;
  self->skip_ms = 5000;
  self->rewind_ms = 2000;
  self->pending_seek_ms = -1;
  self->loop_start_ms = -1;
  self->loop_end_ms = -1;
  self->has_audio_output = TRUE;
}

FlPlayer *
fl_player_new (GstElement *audio_sink)
{
  return g_object_new (FL_TYPE_PLAYER, "audio-sink", audio_sink, NULL);
}

void
fl_player_open (FlPlayer *self, GFile *file)
{
  g_autofree char *uri = NULL;

  g_return_if_fail (FL_IS_PLAYER (self));
  g_return_if_fail (G_IS_FILE (file));

  fl_player_close (self);
  uri = g_file_get_uri (file);
  g_object_set (self->playbin, "uri", uri, NULL);
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
}

void
fl_player_close (FlPlayer *self)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  stop_position_timer (self);
  gst_element_set_state (self->playbin, GST_STATE_NULL);
  self->want_playing = FALSE;
  self->pending_seek_ms = -1;
  g_clear_pointer (&self->missing_plugin, g_free);
  g_object_freeze_notify (G_OBJECT (self));
  set_boolean (self, &self->ready, FALSE, PROP_READY);
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  set_position (self, 0);
  if (self->duration_ms != 0)
    {
      self->duration_ms = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
    }
  if (self->audio_sink != NULL || self->has_audio_output)
    set_error (self, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

void
fl_player_play (FlPlayer *self)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  self->want_playing = TRUE;
  if (self->ready)
    start_playing (self);
}

void
fl_player_pause (FlPlayer *self)
{
  gint64 position;

  g_return_if_fail (FL_IS_PLAYER (self));

  self->want_playing = FALSE;
  if (!self->playing)
    return;
  position = fl_player_query_position_ms (self);
  stop_position_timer (self);
  gst_element_set_state (self->playbin, GST_STATE_PAUSED);
  set_boolean (self, &self->playing, FALSE, PROP_PLAYING);
  /* Rewinding a little on pause lets the transcriber hear the last words again. */
  if (self->rewind_ms > 0)
    {
      position = MAX (position - self->rewind_ms, 0);
      if (self->loop_end_ms > self->loop_start_ms)
        position = MAX (position, self->loop_start_ms);
      do_seek (self, position);
    }
  set_position (self, position);
}

void
fl_player_toggle (FlPlayer *self)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  if (self->playing || self->want_playing)
    fl_player_pause (self);
  else
    fl_player_play (self);
}

void
fl_player_seek (FlPlayer *self, gint64 position_ms)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  position_ms = MAX (position_ms, 0);
  if (self->duration_ms > 0)
    position_ms = MIN (position_ms, self->duration_ms);
  set_position (self, position_ms);
  if (self->ready)
    do_seek (self, position_ms);
  else
    self->pending_seek_ms = position_ms;
}

void
fl_player_skip (FlPlayer *self, int direction)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  fl_player_seek (self,
                  fl_player_query_position_ms (self) + (direction < 0 ? -1 : 1) * self->skip_ms);
}

gboolean
fl_player_get_ready (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), FALSE);
  return self->ready;
}

gboolean
fl_player_get_playing (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), FALSE);
  return self->playing;
}

gint64
fl_player_get_position_ms (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 0);
  return self->position_ms;
}

gint64
fl_player_get_duration_ms (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 0);
  return self->duration_ms;
}

const char *
fl_player_get_error (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), NULL);
  return self->error;
}

gboolean
fl_player_get_has_audio_output (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), FALSE);
  return self->has_audio_output;
}

double
fl_player_get_speed (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 1.0);
  return self->speed;
}

void
fl_player_set_speed (FlPlayer *self, double speed)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  speed = CLAMP (speed, FL_PLAYER_MIN_SPEED, FL_PLAYER_MAX_SPEED);
  if (G_APPROX_VALUE (speed, self->speed, 1e-6))
    return;
  /* The rate travels in a seek from where playback is now, so the position is kept. */
  if (self->ready)
    {
      gint64 position = fl_player_query_position_ms (self);

      self->speed = speed;
      do_seek (self, position);
      set_position (self, position);
    }
  else
    self->speed = speed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEED]);
}

double
fl_player_get_volume (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 1.0);
  return self->volume;
}

void
fl_player_set_volume (FlPlayer *self, double volume)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (volume == self->volume)
    return;
  self->volume = volume;
  g_object_set (self->playbin, "volume", volume, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

gint64
fl_player_get_skip_ms (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 0);
  return self->skip_ms;
}

void
fl_player_set_skip_ms (FlPlayer *self, gint64 skip_ms)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  skip_ms = CLAMP (skip_ms, 100, 600000);
  if (skip_ms == self->skip_ms)
    return;
  self->skip_ms = skip_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_MS]);
}

gint64
fl_player_get_rewind_on_pause_ms (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), 0);
  return self->rewind_ms;
}

void
fl_player_set_rewind_on_pause_ms (FlPlayer *self, gint64 rewind_ms)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  rewind_ms = CLAMP (rewind_ms, 0, 60000);
  if (rewind_ms == self->rewind_ms)
    return;
  self->rewind_ms = rewind_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REWIND_ON_PAUSE_MS]);
}

void
fl_player_set_loop (FlPlayer *self, gint64 start_ms, gint64 end_ms)
{
  g_return_if_fail (FL_IS_PLAYER (self));
  g_return_if_fail (start_ms >= 0 && end_ms > start_ms);

  self->loop_start_ms = start_ms;
  self->loop_end_ms = end_ms;
  if (self->ready)
    {
      gint64 position = fl_player_query_position_ms (self);

      if (position < start_ms || position >= end_ms)
        position = start_ms;
      set_position (self, position);
      do_seek (self, position);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOPING]);
}

void
fl_player_clear_loop (FlPlayer *self)
{
  g_return_if_fail (FL_IS_PLAYER (self));

  if (self->loop_end_ms < 0)
    return;
  self->loop_start_ms = -1;
  self->loop_end_ms = -1;
  /* A seek without an end lets playback run on past the old loop. */
  if (self->ready)
    do_seek (self, fl_player_query_position_ms (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOPING]);
}

gboolean
fl_player_get_looping (FlPlayer *self)
{
  g_return_val_if_fail (FL_IS_PLAYER (self), FALSE);
  return self->loop_end_ms > self->loop_start_ms;
}
