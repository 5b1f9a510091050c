/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBenchTaskSwitch"

#include "config.h"

#include <adwaita.h>

#include "fl-backdrop.h"
#include "fl-test-server.h"
#include "fl-workspace.h"

/* switch N [WORK_MS]: with keep-going on, the time from Submit to the next task
 * ready for input (its file loaded into the view, and the first frame with it
 * painted), N times, after WORK_MS of "work" on each;
 * then, as the reference, the same without keep-going: Submit, back to the
 * offers, Accept, and the task on screen.
 * window: a bare libadwaita window, printing when its first frame is painted. */

static gint64 painted_at;
static gint64 shown_at;

static void
on_task_shown (FlWorkspace *workspace, gint64 id)
{
  shown_at = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, gpointer data)
{
  painted_at = g_get_monotonic_time ();
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, data);
}

static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  painted_at = 0;
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);
  gtk_widget_queue_draw (widget);
  while (painted_at == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

/* The task on screen once it is ready for input: its file loaded into the view. */
static gint64
current_task (FlWorkspace *workspace)
{
  FlTaskPage *page = fl_workspace_get_task_page (workspace);
  g_autoptr (JsonNode) result = NULL;

  if (g_strcmp0 (fl_workspace_get_visible_page (workspace), "task") != 0)
    return 0;
  result = fl_task_page_get_result (page, NULL);
  if (result == NULL)
    return 0;
  return fl_task_page_get_assignment_id (page);
}

static void
wait_for_task_other_than (FlWorkspace *workspace, gint64 before)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (current_task (workspace) == 0 || current_task (workspace) == before)
    {
      g_main_context_iteration (NULL, TRUE);
      if (g_get_monotonic_time () > deadline)
        g_error ("no next task within 30 s (showing %s)",
                 fl_workspace_get_visible_page (workspace));
    }
}

static void
wait_for_offers (FlWorkspace *workspace)
{
  while (g_strcmp0 (fl_workspace_get_visible_page (workspace), "offers") != 0 ||
         g_list_model_get_n_items (
           fl_offers_page_get_model (fl_workspace_get_offers_page (workspace))) == 0)
    g_main_context_iteration (NULL, TRUE);
}

static int
run_switch (guint n, guint work_ms, guint n_reference)
{
  g_autoptr (FlTestServer) server = NULL;
  g_autoptr (FlClient) client = NULL;
  g_autoptr (FlLocalStore) store = NULL;
  g_autoptr (FlWorkspace) workspace = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("fl-bench-switch-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, "local.db", NULL);
  GtkWindow *window;
  GtkWidget *backdrop;
  gint64 project, reference_project;
  gint64 before;

  g_setenv ("XDG_CACHE_HOME", tmp, TRUE);
  adw_init ();
  settings = g_settings_new ("io.github.fairlabel.Fairlabel");
  g_settings_set_boolean (settings, "keep-going", TRUE);

  server = fl_test_server_start ();
  project = fl_test_server_add_image_project (server, "Bench", "0.10", 30, 900, n + 2);
  reference_project =
    fl_test_server_add_image_project (server, "Reference", "0.10", 30, 900, n_reference + 1);
  client = fl_client_new (server->url, server->worker_token, FALSE, &error);
  g_assert_no_error (error);
  store = fl_local_store_new (db, &error);
  g_assert_no_error (error);
  workspace = fl_workspace_new (client, settings, store, "USD", &error);
  g_assert_no_error (error);

  window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (window, 1100, 720);
  /* As in the application's window, the content paints the background. */
  backdrop = fl_backdrop_new ();
  adw_bin_set_child (ADW_BIN (backdrop), GTK_WIDGET (workspace));
  adw_window_set_content (ADW_WINDOW (window), backdrop);
  gtk_window_present (window);
  wait_for_offers (workspace);

  g_signal_connect (workspace, "task-shown", G_CALLBACK (on_task_shown), NULL);
  g_signal_emit_by_name (fl_workspace_get_offers_page (workspace), "accept", project);
  wait_for_task_other_than (workspace, 0);
  for (guint i = 0; i < n; i++)
    {
      gint64 start;

      run_for (work_ms);
      before = current_task (workspace);
      start = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (workspace)),
                                  "task.submit", NULL);
      wait_for_task_other_than (workspace, before);
      wait_for_paint (GTK_WIDGET (window));
      g_print ("switch_ms=%.2f\n", (painted_at - start) / 1000.0);
      g_print ("shown_ms=%.2f\n", (shown_at - start) / 1000.0);
    }

  /* How long one frame of this window takes to draw here, for scale. */
  for (guint i = 0; i < 10; i++)
    {
      gint64 start = g_get_monotonic_time ();

      wait_for_paint (GTK_WIDGET (window));
      g_print ("frame_ms=%.2f\n", (painted_at - start) / 1000.0);
    }

  /* The reference: no task reserved ahead. */
  g_settings_set_boolean (settings, "keep-going", FALSE);
  run_for (work_ms);
  before = current_task (workspace);
  gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (workspace)), "task.submit",
                              NULL);
  wait_for_offers (workspace);
  for (guint i = 0; i < n_reference; i++)
    {
      gint64 start;

      run_for (work_ms);
      start = g_get_monotonic_time ();
      g_signal_emit_by_name (fl_workspace_get_offers_page (workspace), "accept", reference_project);
      wait_for_task_other_than (workspace, before);
      wait_for_paint (GTK_WIDGET (window));
      g_print ("accept_ms=%.2f\n", (painted_at - start) / 1000.0);
      before = current_task (workspace);
      gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (workspace)),
                                  "task.submit", NULL);
      wait_for_offers (workspace);
    }

  gtk_window_destroy (window);
  g_clear_object (&workspace);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}

static void
on_window_painted (GdkFrameClock *clock, gpointer data)
{
  g_print ("painted\n");
  exit (0);
}

static void
on_window_map (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_window_painted), NULL);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "map", G_CALLBACK (on_window_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  if (argc >= 3 && g_str_equal (argv[1], "switch"))
    return run_switch ((guint) g_ascii_strtoull (argv[2], NULL, 10),
                       argc >= 4 ? (guint) g_ascii_strtoull (argv[3], NULL, 10) : 250,
                       argc >= 5 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 10);
  if (argc >= 2 && g_str_equal (argv[1], "window"))
    {
      g_autoptr (AdwApplication) app =
        adw_application_new ("io.github.fairlabel.BenchWindow", G_APPLICATION_NON_UNIQUE);

      g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
      return g_application_run (G_APPLICATION (app), 1, argv);
    }
  g_printerr ("usage: %s switch N [WORK_MS] [N_REFERENCE] | window\n", argv[0]);
  return 2;
}
