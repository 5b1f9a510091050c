/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestAudio"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "audio-fixtures.h"

/* Runs a gst-launch style description to EOS; the tests' audio is made this way. */
void
fl_test_run_pipeline (const char *description)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
    {
      g_autoptr (GError) gst_error = NULL;

      gst_message_parse_error (msg, &gst_error, NULL);
      g_error ("Making test audio with “%s” failed: %s", description, gst_error->message);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

/* A sine at 440 Hz of @volume, followed by silence, as 16-bit mono WAV. */
char *
fl_test_make_tone (const char *dir, const char *name, double tone_seconds, double silence_seconds,
                   double volume, int rate)
{
  char *path = g_build_filename (dir, name, NULL);
  int spb = rate / 10;
  g_autofree char *description = NULL;
  g_autofree char *silence = NULL;

  if (silence_seconds > 0)
    silence = g_strdup_printf ("audiotestsrc wave=silence samplesperbuffer=%d num-buffers=%d ! "
                               "audio/x-raw,rate=%d,channels=1,format=S16LE ! c. ",
                               spb, (int) (silence_seconds * 10 + 0.5), rate);
  description = g_strdup_printf (
    "concat name=c ! audioconvert ! wavenc ! filesink location=\"%s\" "
    "audiotestsrc wave=sine freq=440 volume=%g samplesperbuffer=%d num-buffers=%d ! "
    "audio/x-raw,rate=%d,channels=1,format=S16LE ! c. %s",
    path, volume, spb, (int) (tone_seconds * 10 + 0.5), rate, silence != NULL ? silence : "");
  fl_test_run_pipeline (description);
  return path;
}

char *
fl_test_encode (const char *wav_path, const char *dir, const char *format)
{
  g_autofree char *base = g_path_get_basename (wav_path);
  g_autofree char *stem = g_strndup (base, strlen (base) - 4);
  g_autofree char *name = g_strconcat (stem, ".", format, NULL);
  char *path = g_build_filename (dir, name, NULL);
  const char *encoder;
  g_autofree char *description = NULL;

  if (g_str_equal (format, "flac"))
    encoder = "flacenc";
  else if (g_str_equal (format, "ogg"))
    encoder = "vorbisenc ! oggmux";
  else if (g_str_equal (format, "opus"))
    encoder = "audioresample ! opusenc ! oggmux";
  else if (g_str_equal (format, "mp3"))
    encoder = "lamemp3enc ! id3v2mux";
  else
    g_assert_not_reached ();
  description = g_strdup_printf ("filesrc location=\"%s\" ! wavparse ! audioconvert ! %s ! "
                                 "filesink location=\"%s\"",
                                 wav_path, encoder, path);
  fl_test_run_pipeline (description);
  return path;
}

char *
fl_test_make_speech (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "espeak-ng", "-w", path, text, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

char *
fl_test_make_video_only (const char *dir, const char *name)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *description =
    g_strdup_printf ("videotestsrc num-buffers=30 ! video/x-raw,width=64,height=48 ! "
                     "theoraenc ! oggmux ! filesink location=\"%s\"",
                     path);

  fl_test_run_pipeline (description);
  return path;
}
