/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServerOption"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "fl-credentials.h"
#include "fl-preferences-window.h"
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

typedef struct
{
  gboolean asked;
  char *shown_url;
  char *saved_url;
  char *client_url;
} PreferencesSeen;

/* A window of @type of this test's application (an earlier test's may still be around). */
static GtkWindow *
app_window (GType type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_mapped (l->data))
      return l->data;
  return NULL;
}

/* Once connected, opens Preferences as its menu item does and reads the address it shows. */
static gboolean
read_preferences_then_quit (gpointer user_data)
{
  PreferencesSeen *seen = user_data;
  GtkWindow *window = app_window (FL_TYPE_WINDOW);
  GtkWindow *preferences;
  GtkWidget *row;

  if (window == NULL ||
      g_strcmp0 (fl_window_get_visible_page (FL_WINDOW (window)), "connected") != 0)
    return G_SOURCE_CONTINUE;
  preferences = fl_test_find_toplevel (FL_TYPE_PREFERENCES_WINDOW);
  if (preferences != NULL && gtk_window_get_transient_for (preferences) != window)
    preferences = NULL;
  if (preferences == NULL)
    {
      if (!seen->asked)
        g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
      seen->asked = TRUE;
      return G_SOURCE_CONTINUE;
    }
  row =
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Server Address");
  g_assert_nonnull (row);
  seen->shown_url = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  seen->saved_url =
    g_settings_get_string (fl_window_get_settings (FL_WINDOW (window)), "server-url");
  seen->client_url = g_strdup (fl_client_get_base_url (fl_window_get_client (FL_WINDOW (window))));
  gtk_window_destroy (preferences);
  g_application_quit (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

/* --server is for this run only: nothing is saved, yet Preferences shows the address in use. */
static void
test_preferences_show_the_server_in_use (void)
{
  const char *argv[] = { "fairlabel", "--server", server->url, NULL };
  PreferencesSeen seen = { 0 };
  int status;

  g_clear_object (&app);
  app = fl_test_application_new ();
  g_setenv ("FAIRLABEL_TOKEN", server->worker_token, TRUE);
  g_timeout_add (50, read_preferences_then_quit, &seen);
  status = g_application_run (G_APPLICATION (app), 3, (char **) argv);
  g_unsetenv ("FAIRLABEL_TOKEN");

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (seen.client_url);
  g_assert_true (g_str_has_prefix (seen.client_url, server->url));
  g_assert_cmpstr (seen.shown_url, ==, seen.client_url);
  g_assert_cmpstr (seen.saved_url, ==, "");
  g_free (seen.shown_url);
  g_free (seen.saved_url);
  g_free (seen.client_url);
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
  g_test_add_func ("/app/server-option/preferences-show-the-server-in-use",
                   test_preferences_show_the_server_in_use);

  status = g_test_run ();

  g_clear_object (&app);
  fl_test_server_free (server);
  fl_test_session_free (session);
  return status;
}
