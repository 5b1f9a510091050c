/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestAppRestore"

#include "config.h"

#include <signal.h>

#include "fl-client.h"
#include "fl-local-store.h"
#include "fl-test-server.h"
#include "fl-test-support.h"

/* The real fairlabel binary, killed with SIGKILL while a task is open, brings
 * the task and its draft back on the next start. */

static GMainLoop *loop;

typedef struct
{
  GDataInputStream *out;
  const char *marker;
  char *found;
} Watch;

static void
on_line (GObject *source, GAsyncResult *result, gpointer data)
{
  Watch *watch = data;
  g_autofree char *line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);

  if (line == NULL)
    {
      g_main_loop_quit (loop);
      return;
    }
  if (strstr (line, watch->marker) != NULL)
    {
      watch->found = g_strdup (strstr (line, watch->marker));
      g_main_loop_quit (loop);
      return;
    }
  g_data_input_stream_read_line_async (watch->out, G_PRIORITY_DEFAULT, NULL, on_line, watch);
}

static gboolean
on_timeout (gpointer data)
{
  *(guint *) data = 0;
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

/* Starts the app, waits for @marker on its log, kills it with SIGKILL. */
static char *
run_app_until (FlTestServer *server, const char *home, const char *marker)
{
  g_autoptr (GSubprocessLauncher) launcher =
    fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *cache = g_build_filename (home, "cache", NULL);
  Watch watch = { .marker = marker };
  guint timeout;

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", cache, TRUE);
  g_subprocess_launcher_setenv (launcher, "FAIRLABEL_TOKEN", server->worker_token, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "FlWorkspace", TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FAIRLABEL_APP_BINARY"),
                                     "--server", server->url, NULL);
  g_assert_no_error (error);

  /* GLib writes debug messages to stdout. */
  watch.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  timeout = g_timeout_add_seconds (60, on_timeout, &timeout);
  g_data_input_stream_read_line_async (watch.out, G_PRIORITY_DEFAULT, NULL, on_line, &watch);
  g_main_loop_run (loop);
  g_clear_handle_id (&timeout, g_source_remove);

  g_subprocess_send_signal (app, SIGKILL);
  g_subprocess_wait (app, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (app));
  g_clear_object (&watch.out);
  return watch.found;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
  g_main_loop_quit (loop);
}

static void
test_real_app_restores_draft_after_sigkill (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_start ();
  g_autofree char *home = g_dir_make_tmp ("fl-app-restore-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (home, "data", "fairlabel", "local.db", NULL);
  g_autoptr (FlClient) client = NULL;
  g_autoptr (FlAssignment) assignment = NULL;
  g_autoptr (FlLocalStore) store = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) assignment_node = NULL;
  g_autofree char *assignment_json = NULL;
  g_autofree char *want = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *offers = NULL;
  FlDraft draft = { 0 };
  gint64 project;

  project = fl_test_server_add_image_project (server, "Restore me", "0.20", 60, 900, 1);
  client = fl_client_new (server->url, server->worker_token, FALSE, &error);
  g_assert_no_error (error);

  /* A first run with nothing to restore shows the offers. */
  offers = run_app_until (server, home, "Offers on screen");
  g_assert_nonnull (offers);

  /* The worker took a task and typed into it; the app was killed. */
  fl_client_accept_async (client, project, NULL, on_done, &result);
  g_main_loop_run (loop);
  assignment = fl_client_accept_finish (client, result, &error);
  g_assert_no_error (error);
  assignment_node = fl_assignment_to_json (assignment);
  assignment_json = json_to_string (assignment_node, FALSE);
  store = fl_local_store_new (db, &error);
  g_assert_no_error (error);
  draft.server_url = (char *) fl_client_get_base_url (client);
  draft.assignment_id = assignment->id;
  draft.assignment_json = assignment_json;
  draft.result_json = (char *) "{\"kind\":\"image\",\"shapes\":[],\"tags\":[\"night\"]}";
  g_assert_true (fl_local_store_save_draft_sync (store, &draft, &error));
  g_clear_object (&store);

  /* The app starts, restores the task, works on it and is killed again... */
  want = g_strdup_printf ("Restored assignment %" G_GINT64_FORMAT, assignment->id);
  first = run_app_until (server, home, "Restored assignment");
  g_assert_cmpstr (first, ==, want);
  /* ...and once more: the task is still there. */
  second = run_app_until (server, home, "Restored assignment");
  g_assert_cmpstr (second, ==, want);

  store = fl_local_store_new (db, &error);
  drafts = fl_local_store_list_drafts_sync (store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_nonnull (strstr (((FlDraft *) drafts->pdata[0])->result_json, "night"));

  fl_test_remove_tree (home);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  loop = g_main_loop_new (NULL, FALSE);

  g_test_add_func ("/worker/app/real-binary-restores-draft-after-sigkill",
                   test_real_app_restores_draft_after_sigkill);

  return g_test_run ();
}
