/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>

#include "audio-fixtures.h"
#include "fl-waveform.h"

static char *tmp_dir;

typedef struct
{
  gboolean done;
  gboolean ok;
  GError *error;
  gint64 last_loaded;
  guint n_progress;
  gboolean monotonic;
} Load;

static void
on_loaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Load *l = user_data;

  l->ok = fl_waveform_load_finish (FL_WAVEFORM (source), result, &l->error);
  l->done = TRUE;
}

static void
on_loaded_ms (FlWaveform *wf, GParamSpec *pspec, Load *l)
{
  gint64 loaded = fl_waveform_get_loaded_ms (wf);

  if (loaded < l->last_loaded)
    l->monotonic = FALSE;
  l->last_loaded = loaded;
  l->n_progress++;
}

static gboolean
load_done (gpointer data)
{
  return ((Load *) data)->done;
}

static FlWaveform *
load (const char *path, const char *cache, Load *l)
{
  FlWaveform *wf = fl_waveform_new (cache);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  memset (l, 0, sizeof *l);
  l->monotonic = TRUE;
  g_signal_connect (wf, "notify::loaded-ms", G_CALLBACK (on_loaded_ms), l);
  fl_waveform_load_async (wf, file, NULL, NULL, on_loaded, l);
  g_assert_true (fl_test_wait_until (load_done, l, 120000));
  return wf;
}

static char *
new_cache_dir (void)
{
  return g_dir_make_tmp ("fl-waveform-cache-XXXXXX", NULL);
}

static void
test_peaks_of_known_tone (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *path = fl_test_make_tone (tmp_dir, "tone-silence.wav", 1.0, 1.0, 0.5, 16000);
  g_autoptr (FlWaveform) wf = NULL;
  float mins[20], maxs[20];
  Load l;

  wf = load (path, cache, &l);
  g_assert_no_error (l.error);
  g_assert_true (l.ok);
  g_assert_true (fl_waveform_get_complete (wf));
  g_assert_false (fl_waveform_get_from_cache (wf));
  g_assert_cmpint (fl_waveform_get_duration_ms (wf), ==, 2000);
  g_assert_cmpint (fl_waveform_get_loaded_ms (wf), ==, 2000);
  g_assert_true (l.monotonic);
  g_assert_cmpuint (l.n_progress, >=, 1);

  /* 0.1 s a column: ten columns of tone at half scale, then ten of silence. */
  g_assert_cmpuint (fl_waveform_get_peaks (wf, 0, 0.1, 20, mins, maxs), ==, 20);
  for (guint c = 0; c < 10; c++)
    {
      g_assert_cmpfloat_with_epsilon (maxs[c], 0.5, 0.01);
      g_assert_cmpfloat_with_epsilon (mins[c], -0.5, 0.01);
    }
  for (guint c = 10; c < 20; c++)
    {
      g_assert_cmpfloat_with_epsilon (maxs[c], 0.0, 0.001);
      g_assert_cmpfloat_with_epsilon (mins[c], 0.0, 0.001);
    }
  /* A finer resolution resolves the edge between tone and silence to 5 ms. */
  g_assert_cmpuint (fl_waveform_get_peaks (wf, 0.99, 0.005, 4, mins, maxs), ==, 4);
  g_assert_cmpfloat (maxs[1], >, 0.3);
  g_assert_cmpfloat (maxs[2], <, 0.001);
  /* Past the end there is nothing. */
  g_assert_cmpuint (fl_waveform_get_peaks (wf, 2.5, 0.1, 5, mins, maxs), ==, 0);
  fl_test_remove_tree (cache);
}

static void
test_cache_hit_on_reopen (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *path = fl_test_make_tone (tmp_dir, "cached.wav", 3.0, 0.5, 0.25, 22050);
  g_autoptr (FlWaveform) first = NULL;
  g_autoptr (FlWaveform) second = NULL;
  float min1[64], max1[64], min2[64], max2[64];
  guint n1, n2;
  Load l;

  first = load (path, cache, &l);
  g_assert_no_error (l.error);
  g_assert_false (fl_waveform_get_from_cache (first));

  second = load (path, cache, &l);
  g_assert_no_error (l.error);
  g_assert_true (fl_waveform_get_from_cache (second));
  g_assert_true (fl_waveform_get_complete (second));
  g_assert_cmpint (fl_waveform_get_duration_ms (second), ==, fl_waveform_get_duration_ms (first));

  n1 = fl_waveform_get_peaks (first, 0, 0.0625, 64, min1, max1);
  n2 = fl_waveform_get_peaks (second, 0, 0.0625, 64, min2, max2);
  g_assert_cmpuint (n1, ==, 56);
  g_assert_cmpuint (n1, ==, n2);
  g_assert_cmpmem (min1, n1 * sizeof (float), min2, n2 * sizeof (float));
  g_assert_cmpmem (max1, n1 * sizeof (float), max2, n2 * sizeof (float));

  /* A changed file is decoded again rather than shown with stale peaks. */
  {
    g_autofree char *contents = NULL;
    gsize length;
    g_autoptr (FlWaveform) third = NULL;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_usleep (10000);
    g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
    third = load (path, cache, &l);
    g_assert_no_error (l.error);
    g_assert_false (fl_waveform_get_from_cache (third));
    g_assert_cmpint (fl_waveform_get_duration_ms (third), <, fl_waveform_get_duration_ms (first));
  }
  fl_test_remove_tree (cache);
}

static void
test_formats (void)
{
  const char *formats[] = { "flac", "ogg", "opus", "mp3" };
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *wav = fl_test_make_tone (tmp_dir, "formats.wav", 2.0, 0, 0.5, 44100);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = fl_test_encode (wav, tmp_dir, formats[i]);
      g_autoptr (FlWaveform) wf = NULL;
      float mins[10], maxs[10];
      Load l;

      g_test_message ("format %s", formats[i]);
      wf = load (path, cache, &l);
      g_assert_no_error (l.error);
      /* Encoders pad a little; the length stays within 60 ms. */
      g_assert_cmpint (ABS (fl_waveform_get_duration_ms (wf) - 2000), <=, 60);
      g_assert_cmpuint (fl_waveform_get_peaks (wf, 0.2, 0.1, 10, mins, maxs), ==, 10);
      for (guint c = 0; c < 10; c++)
        g_assert_cmpfloat_with_epsilon (maxs[c], 0.5, 0.08);
    }
  fl_test_remove_tree (cache);
}

/* A 16-bit mono file goes to the peaks as decoded, anything else through audioconvert: a
 * stereo 24-bit copy of the same tone gives the same waveform. */
static void
test_converted_file_matches_direct_one (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *mono = fl_test_make_tone (tmp_dir, "direct.wav", 1.0, 0.5, 0.5, 16000);
  g_autofree char *stereo = g_build_filename (tmp_dir, "converted.wav", NULL);
  g_autofree char *description = g_strdup_printf (
    "filesrc location=\"%s\" ! wavparse ! audioconvert ! audio/x-raw,channels=2,format=S24LE "
    "! wavenc ! filesink location=\"%s\"",
    mono, stereo);
  g_autoptr (FlWaveform) direct = NULL;
  g_autoptr (FlWaveform) converted = NULL;
  float dmin[300], dmax[300], cmin[300], cmax[300];
  Load l;

  fl_test_run_pipeline (description);
  direct = load (mono, cache, &l);
  g_assert_no_error (l.error);
  converted = load (stereo, cache, &l);
  g_assert_no_error (l.error);
  g_assert_cmpint (fl_waveform_get_duration_ms (converted), ==,
                   fl_waveform_get_duration_ms (direct));
  g_assert_cmpuint (fl_waveform_get_peaks (direct, 0, 0.005, 300, dmin, dmax), ==, 300);
  g_assert_cmpuint (fl_waveform_get_peaks (converted, 0, 0.005, 300, cmin, cmax), ==, 300);
  g_assert_cmpfloat_with_epsilon (dmax[100], 0.5, 0.01);
  g_assert_cmpfloat_with_epsilon (dmin[250], 0.0, 0.001);
  /* Reducing 24 bits to 16 dithers by a step or two. */
  for (guint c = 0; c < 300; c++)
    {
      g_assert_cmpfloat_with_epsilon (cmin[c], dmin[c], 3 / 32768.0);
      g_assert_cmpfloat_with_epsilon (cmax[c], dmax[c], 3 / 32768.0);
    }
  fl_test_remove_tree (cache);
}

static void
test_speech (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *path =
    fl_test_make_speech (tmp_dir, "speech.wav", "Fairlabel pays a fair wage for every hour.");
  g_autoptr (FlWaveform) wf = NULL;
  float mins[100], maxs[100];
  guint n, loud = 0, quiet = 0;
  Load l;

  wf = load (path, cache, &l);
  g_assert_no_error (l.error);
  g_assert_cmpint (fl_waveform_get_duration_ms (wf), >, 1000);
  n = fl_waveform_get_peaks (wf, 0, 0.02, 100, mins, maxs);
  g_assert_cmpuint (n, ==, 100);
  for (guint c = 0; c < n; c++)
    {
      if (maxs[c] - mins[c] > 0.1)
        loud++;
      else
        quiet++;
    }
  /* Speech has both words and pauses. */
  g_assert_cmpuint (loud, >, 10);
  g_assert_cmpuint (quiet, >, 0);
  fl_test_remove_tree (cache);
}

static void
expect_error (const char *path, int code, const char *needle)
{
  g_autofree char *cache = new_cache_dir ();
  g_autoptr (FlWaveform) wf = NULL;
  Load l;

  wf = load (path, cache, &l);
  g_assert_false (l.ok);
  g_assert_error (l.error, FL_WAVEFORM_ERROR, code);
  g_test_message ("%s: %s", path, l.error->message);
  if (needle != NULL)
    g_assert_nonnull (strstr (l.error->message, needle));
  g_assert_false (fl_waveform_get_complete (wf));
  g_clear_error (&l.error);
  fl_test_remove_tree (cache);
}

static void
test_empty_file (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "empty.wav", NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  expect_error (path, FL_WAVEFORM_ERROR_EMPTY_FILE, "empty");
}

static void
test_not_audio (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "notes.mp3", NULL);
  g_autoptr (GString) junk = g_string_new (NULL);

  for (guint i = 0; i < 4000; i++)
    g_string_append_printf (junk, "line %u of a text file that claims to be audio\n", i);
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  expect_error (path, FL_WAVEFORM_ERROR_NOT_AUDIO, NULL);
}

static void
test_no_audio_stream (void)
{
  g_autofree char *path = fl_test_make_video_only (tmp_dir, "video-only.ogg");

  expect_error (path, FL_WAVEFORM_ERROR_NO_AUDIO_STREAM, "no audio");
}

static void
test_truncated (void)
{
  const char *formats[] = { "wav", "ogg", "mp3", "flac" };
  g_autofree char *wav = fl_test_make_tone (tmp_dir, "whole.wav", 4.0, 0, 0.5, 16000);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *cache = new_cache_dir ();
      g_autofree char *path = g_str_equal (formats[i], "wav")
                                ? g_strdup (wav)
                                : fl_test_encode (wav, tmp_dir, formats[i]);
      g_autofree char *cut_path = g_strdup_printf ("%s/cut-%u.%s", tmp_dir, i, formats[i]);
      g_autofree char *contents = NULL;
      g_autoptr (FlWaveform) wf = NULL;
      gsize length;
      Load l;

      g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (cut_path, contents, length / 2, NULL));
      wf = load (cut_path, cache, &l);
      g_test_message ("truncated %s: %s, %" G_GINT64_FORMAT " ms", formats[i],
                      l.ok ? "loaded" : l.error->message, fl_waveform_get_duration_ms (wf));
      /* What is there is shown; the length reflects the audio actually present. */
      if (l.ok)
        g_assert_cmpint (ABS (fl_waveform_get_duration_ms (wf) - 2000), <=, 300);
      else
        g_assert_error (l.error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_CORRUPT);
      g_clear_error (&l.error);
      fl_test_remove_tree (cache);
    }
}

static void
test_corrupt (void)
{
  g_autofree char *wav = fl_test_make_tone (tmp_dir, "to-corrupt.wav", 3.0, 0, 0.5, 16000);
  g_autofree char *mp3 = fl_test_encode (wav, tmp_dir, "mp3");
  g_autofree char *contents = NULL;
  g_autofree char *cache = new_cache_dir ();
  g_autoptr (FlWaveform) wf = NULL;
  gsize length;
  Load l;

  /* Garbage in the middle of an MP3: the decoder resyncs, the file still loads. */
  g_assert_true (g_file_get_contents (mp3, &contents, &length, NULL));
  for (gsize i = length / 3; i < length / 2; i++)
    contents[i] = (char) (i * 7919);
  g_assert_true (g_file_set_contents (mp3, contents, length, NULL));
  wf = load (mp3, cache, &l);
  g_test_message ("corrupt mp3: %s", l.ok ? "loaded" : l.error->message);
  if (l.ok)
    g_assert_cmpint (fl_waveform_get_duration_ms (wf), >, 1000);
  else
    g_assert_error (l.error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_CORRUPT);
  g_clear_error (&l.error);

  /* A WAV header followed by random bytes. */
  {
    g_autofree char *wav_bytes = NULL;
    g_autofree char *bad = g_build_filename (tmp_dir, "bad-header.wav", NULL);
    gsize wav_len;

    g_assert_true (g_file_get_contents (wav, &wav_bytes, &wav_len, NULL));
    for (gsize i = 20; i < wav_len; i++)
      wav_bytes[i] = (char) (i * 31);
    g_assert_true (g_file_set_contents (bad, wav_bytes, wav_len, NULL));
    expect_error (bad, FL_WAVEFORM_ERROR_NOT_AUDIO, NULL);
  }
  fl_test_remove_tree (cache);
}

static void
test_missing_decoder (void)
{
  g_autofree char *wav = fl_test_make_tone (tmp_dir, "needs-vorbis.wav", 1.0, 0, 0.5, 16000);
  g_autofree char *ogg = fl_test_encode (wav, tmp_dir, "ogg");
  const char *decoders[] = { "vorbisdec", "avdec_vorbis", "ivorbisdec" };

  /* Take the installed Vorbis decoders out of autoplugging, as on a machine without them. */
  for (guint i = 0; i < G_N_ELEMENTS (decoders); i++)
    {
      g_autoptr (GstPluginFeature) feature =
        gst_registry_lookup_feature (gst_registry_get (), decoders[i]);

      if (feature != NULL)
        gst_plugin_feature_set_rank (feature, GST_RANK_NONE);
    }
  expect_error (ogg, FL_WAVEFORM_ERROR_MISSING_PLUGIN, "Vorbis");
}

static void
test_three_hours (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *path = g_build_filename (tmp_dir, "three-hours.wav", NULL);
  g_autofree char *description = NULL;
  g_autoptr (FlWaveform) wf = NULL;
  float mins[180], maxs[180];
  Load l;

  /* 3 h of 8 kHz mono: 108000 buffers of 0.1 s. */
  description = g_strdup_printf (
    "audiotestsrc wave=sine volume=0.5 samplesperbuffer=800 num-buffers=108000 ! "
    "audio/x-raw,rate=8000,channels=1,format=S16LE ! wavenc ! filesink location=\"%s\"",
    path);
  fl_test_run_pipeline (description);

  wf = load (path, cache, &l);
  g_assert_no_error (l.error);
  g_assert_cmpint (fl_waveform_get_duration_ms (wf), ==, 3 * 3600 * 1000);
  g_assert_cmpuint (l.n_progress, >, 1);
  /* One column a minute over the whole file. */
  g_assert_cmpuint (fl_waveform_get_peaks (wf, 0, 60, 180, mins, maxs), ==, 180);
  g_assert_cmpfloat_with_epsilon (maxs[179], 0.5, 0.01);
  g_unlink (path);
  fl_test_remove_tree (cache);
}

static gboolean
same_peaks_cached (const char *cache, const char *path, gboolean *from_cache)
{
  g_autoptr (FlWaveform) wf = NULL;
  Load l;

  wf = load (path, cache, &l);
  g_assert_no_error (l.error);
  *from_cache = fl_waveform_get_from_cache (wf);
  return l.ok;
}

static void
test_cache_is_pruned (void)
{
  g_autofree char *cache = new_cache_dir ();
  g_autofree char *a = fl_test_make_tone (tmp_dir, "prune-a.wav", 20.0, 0, 0.5, 8000);
  g_autofree char *b = fl_test_make_tone (tmp_dir, "prune-b.wav", 20.5, 0, 0.5, 8000);
  g_autofree char *c = fl_test_make_tone (tmp_dir, "prune-c.wav", 21.0, 0, 0.5, 8000);
  gboolean from_cache;
  Load l;

  /* Room for two waveforms of about 20 s (16 KB each) but not three. */
  for (guint i = 0; i < 3; i++)
    {
      const char *path = i == 0 ? a : i == 1 ? b : c;
      g_autoptr (FlWaveform) wf = g_object_new (FL_TYPE_WAVEFORM, "cache-dir", cache,
                                                "cache-limit-bytes", (guint64) 40000, NULL);
      g_autoptr (GFile) file = g_file_new_for_path (path);

      memset (&l, 0, sizeof l);
      fl_waveform_load_async (wf, file, NULL, NULL, on_loaded, &l);
      g_assert_true (fl_test_wait_until (load_done, &l, 30000));
      g_assert_no_error (l.error);
      /* Distinct modification times order the entries. */
      g_usleep (1100000);
    }
  g_assert_true (same_peaks_cached (cache, c, &from_cache));
  g_assert_true (from_cache);
  g_assert_true (same_peaks_cached (cache, b, &from_cache));
  g_assert_true (from_cache);
  /* The oldest was removed and is decoded again. */
  g_assert_true (same_peaks_cached (cache, a, &from_cache));
  g_assert_false (from_cache);
  fl_test_remove_tree (cache);
}

int
main (int argc, char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  tmp_dir = g_dir_make_tmp ("fl-test-waveform-XXXXXX", NULL);

  g_test_add_func ("/audio/waveform/peaks-of-known-tone", test_peaks_of_known_tone);
  g_test_add_func ("/audio/waveform/cache-hit-on-reopen", test_cache_hit_on_reopen);
  g_test_add_func ("/audio/waveform/cache-drops-least-recently-used", test_cache_is_pruned);
  g_test_add_func ("/audio/waveform/decodes-flac-vorbis-opus-mp3", test_formats);
  g_test_add_func ("/audio/waveform/converted-file-matches-direct-one",
                   test_converted_file_matches_direct_one);
  g_test_add_func ("/audio/waveform/speech-has-words-and-pauses", test_speech);
  g_test_add_func ("/audio/waveform/empty-file-is-refused", test_empty_file);
  g_test_add_func ("/audio/waveform/text-file-is-not-audio", test_not_audio);
  g_test_add_func ("/audio/waveform/video-only-file-has-no-audio-stream", test_no_audio_stream);
  g_test_add_func ("/audio/waveform/truncated-file-shows-what-is-there", test_truncated);
  g_test_add_func ("/audio/waveform/corrupt-file-loads-or-fails-clearly", test_corrupt);
  g_test_add_func ("/audio/waveform/three-hour-file", test_three_hours);
  /* Last: it lowers decoder ranks for the rest of the process. */
  g_test_add_func ("/audio/waveform/missing-decoder-names-the-plugin", test_missing_decoder);

  ret = g_test_run ();
  fl_test_remove_tree (tmp_dir);
  return ret;
}
