/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestFirstRun"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "fl-first-run-page.h"
#include "fl-preferences-window.h"
#include "fl-window.h"

static FlApplication *app;
static FlTestServer *server;

static FlWindow *
new_window (void)
{
  FlWindow *window = fl_window_new (app, fl_application_get_settings (app));

  gtk_window_present (GTK_WINDOW (window));
  fl_window_start (window, NULL, NULL);
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  return window;
}

static FlFirstRunPage *
first_run_page (FlWindow *window)
{
  return FL_FIRST_RUN_PAGE (
    fl_test_find_widget_of_type (GTK_WIDGET (window), FL_TYPE_FIRST_RUN_PAGE, NULL));
}

static gboolean
page_settled (gpointer data)
{
  FlFirstRunPage *page = data;

  return !fl_first_run_page_get_busy (page) && fl_first_run_page_get_error (page) != NULL;
}

/* Types into the page's fields and presses its Connect button, like a person. */
static const char *
connect_and_wait_for_error (FlWindow *window, const char *url, const char *token)
{
  FlFirstRunPage *page = first_run_page (window);
  GtkWidget *server_row =
    fl_test_find_widget_of_type (GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Server Address");
  GtkWidget *token_row =
    fl_test_find_widget_of_type (GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, "Access Token");
  GtkWidget *button = gtk_widget_get_ancestor (
    fl_test_find_widget_of_type (GTK_WIDGET (page), GTK_TYPE_LABEL, "_Connect"), GTK_TYPE_BUTTON);

  g_assert_nonnull (server_row);
  g_assert_nonnull (token_row);
  gtk_editable_set_text (GTK_EDITABLE (server_row), url);
  gtk_editable_set_text (GTK_EDITABLE (token_row), token);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
  g_assert_true (fl_test_wait_until (page_settled, page, 30000));
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  /* What was typed stays, so it can be corrected. */
  g_assert_cmpstr (fl_first_run_page_get_server_url (page), ==, url);
  g_test_message ("message: %s", fl_first_run_page_get_error (page));
  return fl_first_run_page_get_error (page);
}

static void
test_malformed_url_shows_message (void)
{
  FlWindow *window = new_window ();
  const char *message = connect_and_wait_for_error (window, "labels example org", "a-token");

  g_assert_nonnull (strstr (message, "not a server address"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_remote_plain_http_shows_message (void)
{
  FlWindow *window = new_window ();
  const char *message = connect_and_wait_for_error (window, "http://labels.example.org", "a-token");

  g_assert_nonnull (strstr (message, "https://"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_unreachable_server_shows_message (void)
{
  FlWindow *window = new_window ();
  g_autofree char *url = fl_test_dup_closed_url ();
  const char *message = connect_and_wait_for_error (window, url, "a-token");
  g_autofree char *path = NULL;

  g_assert_nonnull (strstr (message, "reach"));
  fl_test_sleep_in_loop (500);
  path = fl_test_save_screenshot (GTK_WIDGET (window), "fairlabel-first-run-unreachable");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_rejected_token_shows_message (void)
{
  FlWindow *window = new_window ();
  const char *message =
    connect_and_wait_for_error (window, server->url, "fl_not_a_token_this_server_issued");

  g_assert_nonnull (strstr (message, "rejected the access token"));
  g_assert_null (fl_window_get_client (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_mapped (gpointer data)
{
  return fl_test_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
first_run_with_url (gpointer data)
{
  FlWindow *window = data;

  return g_strcmp0 (fl_window_get_visible_page (window), "first-run") == 0 &&
         g_strcmp0 (fl_first_run_page_get_server_url (first_run_page (window)), server->url) == 0;
}

/* A new address in Preferences needs that server's token: with no keyring
 * to find it in, the first-run page asks, with the address filled in. */
static void
test_new_server_in_preferences_asks_for_its_token (void)
{
  FlWindow *window = new_window ();
  GSettings *settings = fl_application_get_settings (app);
  g_autofree char *with_slash = g_strconcat (server->url, "/", NULL);
  g_autofree char *saved = NULL;
  GtkWindow *preferences;
  GtkWidget *row;

  g_assert_true (fl_test_wait_until (window_mapped, GSIZE_TO_POINTER (FL_TYPE_WINDOW), 10000));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_true (
    fl_test_wait_until (window_mapped, GSIZE_TO_POINTER (FL_TYPE_PREFERENCES_WINDOW), 10000));
  preferences = fl_test_find_toplevel (FL_TYPE_PREFERENCES_WINDOW);
  row =
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Server Address");
  gtk_editable_set_text (GTK_EDITABLE (row), with_slash);
  g_signal_emit_by_name (row, "apply");

  saved = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved, ==, server->url);
  g_assert_true (fl_test_wait_until (first_run_with_url, window, 30000));
  g_assert_nonnull (strstr (fl_first_run_page_get_error (first_run_page (window)), "keyring"));

  gtk_window_destroy (preferences);
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "server-url");
}

/* A server that takes the connection and never answers keeps the window on
 * its connecting page; Cancel there goes back to the first-run page. */
static void
test_cancel_while_connecting (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  FlWindow *window = fl_window_new (app, fl_application_get_settings (app));
  GtkWidget *button;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);

  gtk_window_present (GTK_WINDOW (window));
  fl_window_start (window, url, "a-token");
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "connecting");
  fl_test_sleep_in_loop (300);
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "connecting");

  button = fl_test_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Cancel");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  g_assert_null (fl_first_run_page_get_error (first_run_page (window)));
  g_assert_null (fl_window_get_client (window));

  /* The cancelled request must not come back and change the page. */
  fl_test_sleep_in_loop (500);
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  FlTestSession *session;
  int status;

  g_test_init (&argc, &argv, NULL);
  session = fl_test_session_new ();

  server = fl_test_server_start ();

  app = fl_test_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/first-run/malformed-url-shows-message", test_malformed_url_shows_message);
  g_test_add_func ("/app/first-run/remote-plain-http-shows-message",
                   test_remote_plain_http_shows_message);
  g_test_add_func ("/app/first-run/unreachable-server-shows-message",
                   test_unreachable_server_shows_message);
  g_test_add_func ("/app/first-run/rejected-token-shows-message",
                   test_rejected_token_shows_message);
  g_test_add_func ("/app/first-run/cancel-while-connecting", test_cancel_while_connecting);
  g_test_add_func ("/app/first-run/new-server-in-preferences-asks-for-its-token",
                   test_new_server_in_preferences_asks_for_its_token);

  status = g_test_run ();

  g_clear_object (&app);
  fl_test_server_free (server);
  fl_test_session_free (session);
  return status;
}
