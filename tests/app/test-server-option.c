/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServerOption"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "fl-credentials.h"
#include "fl-window.h"

static FlApplication *app;
static FlTestServer *server;

typedef struct
{
  char *page;
  char *client_url;
} Observed;

static gboolean
observe_then_quit (gpointer user_data)
{
  Observed *observed = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  const char *page;

  if (window == NULL)
    return G_SOURCE_CONTINUE;
  page = fl_window_get_visible_page (FL_WINDOW (window));
  if (g_strcmp0 (page, "connecting") == 0)
    return G_SOURCE_CONTINUE;
  observed->page = g_strdup (page);
  if (fl_window_get_client (FL_WINDOW (window)) != NULL)
    observed->client_url =
      g_strdup (fl_client_get_base_url (fl_window_get_client (FL_WINDOW (window))));
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

/* The real command-line path: g_application_run() with --server and the
 * token in the environment, as scripts and build-aux/dev run use it. */
static void
test_server_option_and_env_token_connect_directly (void)
{
  const char *argv[] = { "fairlabel", "--server", server->url, NULL };
  Observed observed = { 0 };
  int status;

  app = fl_test_application_new ();
  g_setenv ("FAIRLABEL_TOKEN", server->worker_token, TRUE);
  g_timeout_add (50, observe_then_quit, &observed);
  status = g_application_run (G_APPLICATION (app), 3, (char **) argv);
  g_unsetenv ("FAIRLABEL_TOKEN");

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (observed.page, ==, "connected");
  g_assert_nonnull (observed.client_url);
  g_assert_true (g_str_has_prefix (observed.client_url, server->url));
  g_free (observed.page);
  g_free (observed.client_url);
}

int
main (int argc, char *argv[])
{
  FlTestSession *session;
  int status;

  g_test_init (&argc, &argv, NULL);
  session = fl_test_session_new ();
  server = fl_test_server_start ();

  g_test_add_func ("/app/server-option/env-token-connects-without-first-run-page",
                   test_server_option_and_env_token_connect_directly);

  status = g_test_run ();

  g_clear_object (&app);
  fl_test_server_free (server);
  fl_test_session_free (session);
  return status;
}
