/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBenchWaveform"

#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <string.h>
#include <sys/resource.h>

#include "fl-player.h"
#include "fl-test-support.h"
#include "fl-waveform.h"

/* What the view shows first: 1280 pixels at its default 50 pixels a second. */
#define FIRST_SCREEN_MS 25600
#define MAX_RUNS 8

typedef struct
{
  gint64 start_us;
  gint64 first_screen_us;
  gint64 whole_us;
  gboolean done;
  GError *error;
} Run;

static double
ms_since (gint64 start_us, gint64 end_us)
{
  return (end_us - start_us) / 1000.0;
}

static double
bare_decode_ms (const char *path)
{
  g_autofree char *description =
    g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! audioconvert ! fakesink", path);
  g_autoptr (GError) error = NULL;
  g_autoptr (GstElement) pipeline = gst_parse_launch (description, &error);
  g_autoptr (GstBus) bus = NULL;
  g_autoptr (GstMessage) msg = NULL;
  gint64 start;

  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  start = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return ms_since (start, g_get_monotonic_time ());
}

static void
on_loaded_ms (FlWaveform *wf, GParamSpec *pspec, Run *run)
{
  if (run->first_screen_us == 0 && fl_waveform_get_loaded_ms (wf) >= FIRST_SCREEN_MS)
    run->first_screen_us = g_get_monotonic_time ();
}

static void
on_complete (FlWaveform *wf, GParamSpec *pspec, Run *run)
{
  if (fl_waveform_get_complete (wf) && run->whole_us == 0)
    run->whole_us = g_get_monotonic_time ();
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Run *run = user_data;

  fl_waveform_load_finish (FL_WAVEFORM (source), result, &run->error);
  run->done = TRUE;
}

static FlWaveform *
load_waveform (const char *path, const char *cache, Run *run)
{
  FlWaveform *wf = fl_waveform_new (cache);
  g_autoptr (GFile) file = g_file_new_for_path (path);

  g_signal_connect (wf, "notify::loaded-ms", G_CALLBACK (on_loaded_ms), run);
  g_signal_connect (wf, "notify::complete", G_CALLBACK (on_complete), run);
  run->start_us = g_get_monotonic_time ();
  fl_waveform_load_async (wf, file, NULL, NULL, on_done, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (run->error);
  return wf;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

static gboolean
quit_loop (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_ready (gpointer data)
{
  return fl_player_get_ready (data);
}

/* CPU used by a paused player and a loaded waveform while nothing happens. */
static double
idle_cpu_percent (const char *path, FlWaveform *wf)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  g_autoptr (FlPlayer) player = NULL;
  g_autoptr (GFile) file = g_file_new_for_path (path);
  gboolean expired = FALSE;
  double cpu0, wall0;

  g_object_set (sink, "sync", TRUE, NULL);
  player = fl_player_new (sink);
  fl_player_open (player, file);
  while (!is_ready (player))
    g_main_context_iteration (NULL, TRUE);
  fl_player_play (player);
  g_timeout_add (500, quit_loop, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  fl_player_pause (player);
  expired = FALSE;
  g_timeout_add (300, quit_loop, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);

  cpu0 = cpu_seconds ();
  wall0 = g_get_monotonic_time () / 1e6;
  expired = FALSE;
  g_timeout_add (3000, quit_loop, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  return 100.0 * (cpu_seconds () - cpu0) / (g_get_monotonic_time () / 1e6 - wall0);
}

int
main (int argc, char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *format = NULL;
  g_autoptr (FlWaveform) cold = NULL;
  g_autoptr (FlWaveform) warm = NULL;
  Run first = { 0 }, again = { 0 };
  double bare, first_screen, whole, idle, spent_ms = 0;
  guint n_runs;
  struct rusage usage;

  gst_init (&argc, &argv);
  if (argc != 2)
    {
      g_printerr ("usage: %s AUDIO-FILE\n", argv[0]);
      return 2;
    }
  format = g_strdup (strrchr (argv[1], '.') != NULL ? strrchr (argv[1], '.') + 1 : "?");
  cache = g_dir_make_tmp ("fl-bench-waveform-XXXXXX", NULL);

  /* Reference and waveform alternate, each waveform from a cold cache, and the fastest run
   * of each is kept, so that load from other programs on the machine weighs on both alike.
   * Short decodes get more runs. */
  bare = bare_decode_ms (argv[1]);
  whole = G_MAXDOUBLE;
  first_screen = 0;
  for (n_runs = 0; n_runs < MAX_RUNS && (n_runs < 2 || spent_ms < 4000); n_runs++)
    {
      g_autofree char *cold_cache = g_strdup_printf ("%s/cold-%u", cache, n_runs);
      Run run = { 0 };
      double b;

      cold = load_waveform (argv[1], cold_cache, &run);
      g_clear_object (&cold);
      fl_test_remove_tree (cold_cache);
      b = bare_decode_ms (argv[1]);
      bare = MIN (bare, b);
      whole = MIN (whole, ms_since (run.start_us, run.whole_us));
      first_screen = MAX (first_screen, ms_since (run.start_us, run.first_screen_us));
      spent_ms += b + ms_since (run.start_us, run.whole_us);
    }

  /* The cache the reopening reads is made by one more load. */
  cold = load_waveform (argv[1], cache, &first);
  g_clear_object (&cold);
  warm = load_waveform (argv[1], cache, &again);
  g_assert_true (fl_waveform_get_from_cache (warm));
  idle = idle_cpu_percent (argv[1], warm);
  getrusage (RUSAGE_SELF, &usage);

  g_print ("%s: bare decode %.0f ms (fastest of %u runs)\n", format, bare, n_runs + 1);
  g_print ("%s: first screen of waveform %.1f ms (slowest of %u runs)\n", format, first_screen,
           n_runs);
  g_print ("%s: whole waveform %.0f ms (fastest of %u runs; %.2fx bare decode)\n", format, whole,
           n_runs, whole / bare);
  g_print ("%s: reopen from cache %.1f ms\n", format, ms_since (again.start_us, again.whole_us));
  g_print ("%s: peak RSS %.1f MB\n", format, usage.ru_maxrss / 1024.0);
  g_print ("%s: idle CPU while paused %.2f%%\n", format, idle);
  g_print ("{\"format\": \"%s\", \"bare_decode_ms\": %.1f, \"first_screen_ms\": %.1f, "
           "\"whole_waveform_ms\": %.1f, \"whole_to_bare\": %.3f, \"reopen_ms\": %.1f, "
           "\"peak_rss_mb\": %.1f, \"idle_cpu_percent\": %.2f}\n",
           format, bare, first_screen, whole, whole / bare,
           ms_since (again.start_us, again.whole_us), usage.ru_maxrss / 1024.0, idle);

  fl_test_remove_tree (cache);
  return 0;
}
