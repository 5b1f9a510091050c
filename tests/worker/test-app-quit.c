/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestAppQuit"

#include "config.h"

#include <signal.h>

#include "fl-image-view.h"
#include "fl-local-store.h"
#include "fl-test-gtk.h"
#include "fl-test-server.h"
#include "fl-test-support.h"
#include "fl-window.h"
#include "fl-workspace.h"

/* The real application, run as main() runs it, left while a task is open and the next one is
 * reserved to keep going, against the real server: quit with its Quit action (Ctrl+Q), or its
 * window closed, or quit while the server has not answered the reservation yet. Each runs in a
 * process of its own, with its own home folder and server. */

static FlTestServer *server;
static FlApplication *app;

typedef enum
{
  STEP_CONNECT,
  STEP_ACCEPT,
  STEP_EDIT,
  STEP_RESERVED,
  STEP_QUIT,
} Step;

typedef enum
{
  LEAVE_BY_QUITTING,
  LEAVE_BY_CLOSING_THE_WINDOW,
  LEAVE_WHILE_RESERVING,
} Leave;

typedef struct
{
  Leave leave;
  gint64 project;
  Step step;
  gint64 open_task;
  gint64 reserved_at;
  gboolean quit_sent;
  gboolean server_stopped;
} Run;

static void
continue_server (gpointer user_data)
{
  g_subprocess_send_signal (server->process, SIGCONT);
}

static FlWorkspace *
find_workspace (void)
{
  GtkWindow *window = fl_test_find_toplevel (FL_TYPE_WINDOW);

  if (window == NULL || g_strcmp0 (fl_window_get_visible_page (FL_WINDOW (window)), "connected"))
    return NULL;
  return FL_WORKSPACE (fl_test_find_widget_of_type (GTK_WIDGET (window), FL_TYPE_WORKSPACE, NULL));
}

/* Steps through the run from the main loop, so that the application runs as it does for users. */
static gboolean
step (gpointer user_data)
{
  Run *run = user_data;
  FlWorkspace *workspace = find_workspace ();
  FlImageView *view;
  FlImageDocument *document;
  const char *tags[] = { "night", NULL };

  if (workspace == NULL)
    return G_SOURCE_CONTINUE;
  switch (run->step)
    {
      case STEP_CONNECT:
        if (g_strcmp0 (fl_workspace_get_visible_page (workspace), "offers") != 0 ||
            g_list_model_get_n_items (
              fl_offers_page_get_model (fl_workspace_get_offers_page (workspace))) == 0)
          return G_SOURCE_CONTINUE;
        g_signal_emit_by_name (fl_workspace_get_offers_page (workspace), "accept", run->project);
        run->step = STEP_ACCEPT;
        return G_SOURCE_CONTINUE;

      case STEP_ACCEPT:
        view = FL_IMAGE_VIEW (
          fl_test_find_widget_of_type (GTK_WIDGET (workspace), FL_TYPE_IMAGE_VIEW, NULL));
        /* The view has a document once the image's size is known. */
        document = view != NULL ? fl_image_view_get_document (view) : NULL;
        if (g_strcmp0 (fl_workspace_get_visible_page (workspace), "task") != 0 ||
            document == NULL || fl_image_document_get_width (document) == 0)
          return G_SOURCE_CONTINUE;
        run->open_task = fl_task_page_get_assignment_id (fl_workspace_get_task_page (workspace));
        /* Drafted work: it must survive the quit. */
        fl_image_document_set_tags (document, tags);
        run->step = STEP_EDIT;
        return G_SOURCE_CONTINUE;

      case STEP_EDIT:
        if (run->leave == LEAVE_WHILE_RESERVING && !run->server_stopped)
          {
            /* The server stops before keep going asks it for the next task: the request
             * waits in its socket, unanswered, when the app quits. */
            g_subprocess_send_signal (server->process, SIGSTOP);
            run->server_stopped = TRUE;
            fl_task_page_set_keep_going (fl_workspace_get_task_page (workspace), TRUE);
            run->step = STEP_RESERVED;
            run->reserved_at = g_get_monotonic_time ();
            return G_SOURCE_CONTINUE;
          }
        /* The next task is reserved ahead, to keep going. */
        if (fl_test_server_count_active (server, run->project, NULL) < 2)
          return G_SOURCE_CONTINUE;
        run->step = STEP_RESERVED;
        run->reserved_at = g_get_monotonic_time ();
        return G_SOURCE_CONTINUE;

      case STEP_RESERVED:
        /* Its files have a moment to arrive, as they do while the worker works. */
        if (g_get_monotonic_time () - run->reserved_at < 300 * 1000)
          return G_SOURCE_CONTINUE;
        run->step = STEP_QUIT;
        /* Answering a moment after the quit, the server reserves the task then. */
        if (run->server_stopped)
          g_timeout_add_once (300, continue_server, NULL);
        if (run->leave != LEAVE_BY_CLOSING_THE_WINDOW)
          g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
        else
          gtk_window_close (fl_test_find_toplevel (FL_TYPE_WINDOW));
        run->quit_sent = TRUE;
        return G_SOURCE_REMOVE;

      case STEP_QUIT:
      default:
        return G_SOURCE_REMOVE;
    }
}

static void
leave_and_check (Leave leave)
{
  const char *argv[] = { "fairlabel", "--server", server->url, NULL };
  g_autoptr (GSettings) settings = g_settings_new ("io.github.fairlabel.Fairlabel");
  g_autoptr (FlLocalStore) store = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GError) error = NULL;
  const FlDraft *draft = NULL;
  Run run = { .leave = leave };
  gint64 still_active = 0;
  guint timeout;
  int status;

  run.project = fl_test_server_add_image_project (server, "Quit", "0.30", 60, 900, 5);
  g_settings_set_boolean (settings, "keep-going", leave != LEAVE_WHILE_RESERVING);
  app = fl_test_application_new ();
  g_setenv ("FAIRLABEL_TOKEN", server->worker_token, TRUE);
  timeout = g_timeout_add (50, step, &run);
  status = g_application_run (G_APPLICATION (app), 3, (char **) argv);
  g_unsetenv ("FAIRLABEL_TOKEN");
  if (!run.quit_sent)
    g_source_remove (timeout);
  if (run.server_stopped)
    {
      /* Had the app not waited, the server would now take the request it left behind. */
      continue_server (NULL);
      fl_test_sleep_in_loop (500);
    }

  g_assert_cmpint (status, ==, 0);
  g_assert_true (run.quit_sent);
  /* Back from g_application_run(): the reserved task went back before the app ended; the one
   * in progress is still this worker's. */
  g_assert_cmpuint (fl_test_server_count_active (server, run.project, &still_active), ==, 1);
  g_assert_cmpint (still_active, ==, run.open_task);

  /* Its draft is on the disk, edits included, for the next start. */
  store = fl_local_store_new (NULL, &error);
  g_assert_no_error (error);
  drafts = fl_local_store_list_drafts_sync (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  draft = drafts->pdata[0];
  g_assert_cmpint (draft->assignment_id, ==, run.open_task);
  g_assert_nonnull (strstr (draft->result_json, "night"));
}

static void
test_leaving (gconstpointer data)
{
  FlTestSession *session;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  session = fl_test_session_new ();
  server = fl_test_server_start ();
  leave_and_check (GPOINTER_TO_INT (data));
  g_clear_object (&app);
  g_clear_pointer (&server, fl_test_server_free);
  fl_test_session_free (session);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/worker/app/quit-gives-back-the-reserved-task-and-keeps-the-draft",
                        GINT_TO_POINTER (LEAVE_BY_QUITTING), test_leaving);
  g_test_add_data_func (
    "/worker/app/closing-the-window-gives-back-the-reserved-task-and-keeps-the-draft",
    GINT_TO_POINTER (LEAVE_BY_CLOSING_THE_WINDOW), test_leaving);
  g_test_add_data_func ("/worker/app/quit-while-reserving-gives-back-the-task-reserved-late",
                        GINT_TO_POINTER (LEAVE_WHILE_RESERVING), test_leaving);
  return g_test_run ();
}
