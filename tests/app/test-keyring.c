/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestKeyring"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "fl-credentials.h"
#include "fl-first-run-page.h"
#include "fl-window.h"

/* Built twice: with FL_TEST_WITH_KEYRING a gnome-keyring-daemon serves the
 * test's own session bus; without it, no Secret Service exists there. */

static FlApplication *app;
static FlTestServer *server;
static FlTestSession *session;

typedef struct
{
  FlWindow *window;
  const char *name;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (fl_window_get_visible_page (wait->window), wait->name) == 0;
}

static void
wait_for_page (FlWindow *window, const char *name)
{
  PageWait wait = { window, name };

  if (!fl_test_wait_until (page_is, &wait, 30000))
    g_error ("the window shows “%s”, not “%s”", fl_window_get_visible_page (window), name);
}

static FlWindow *
new_window (void)
{
  FlWindow *window = fl_window_new (app, fl_application_get_settings (app));

  gtk_window_present (GTK_WINDOW (window));
  return window;
}

static FlFirstRunPage *
first_run_page (FlWindow *window)
{
  return FL_FIRST_RUN_PAGE (
    fl_test_find_widget_of_type (GTK_WIDGET (window), FL_TYPE_FIRST_RUN_PAGE, NULL));
}

static void
press (FlFirstRunPage *page, const char *label)
{
  GtkWidget *widget = fl_test_find_widget_of_type (GTK_WIDGET (page), GTK_TYPE_LABEL, label);
  GtkWidget *button;

  if (widget == NULL)
    widget = fl_test_find_widget_of_type (GTK_WIDGET (page), GTK_TYPE_BUTTON, label);
  g_assert_nonnull (widget);
  button = GTK_IS_BUTTON (widget) ? widget : gtk_widget_get_ancestor (widget, GTK_TYPE_BUTTON);
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_widget_activate (button);
}

static void
type_and_connect (FlWindow *window, const char *url, const char *token)
{
  FlFirstRunPage *page = first_run_page (window);

  gtk_editable_set_text (GTK_EDITABLE (fl_test_find_widget_of_type (
                           GTK_WIDGET (page), ADW_TYPE_ENTRY_ROW, "Server Address")),
                         url);
  gtk_editable_set_text (GTK_EDITABLE (fl_test_find_widget_of_type (
                           GTK_WIDGET (page), ADW_TYPE_PASSWORD_ENTRY_ROW, "Access Token")),
                         token);
  press (page, "_Connect");
}

typedef struct
{
  char *token;
  GError *error;
  gboolean done;
} Lookup;

static void
lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Lookup *lookup = user_data;

  lookup->token = fl_credentials_lookup_token_finish (result, &lookup->error);
  lookup->done = TRUE;
}

static gboolean
lookup_done (gpointer data)
{
  return ((Lookup *) data)->done;
}

static char *
lookup_token (const char *url, GError **error)
{
  Lookup lookup = { 0 };

  fl_credentials_lookup_token_async (url, NULL, lookup_cb, &lookup);
  g_assert_true (fl_test_wait_until (lookup_done, &lookup, 30000));
  if (lookup.error != NULL)
    g_propagate_error (error, lookup.error);
  return lookup.token;
}

#ifdef FL_TEST_WITH_KEYRING

static void
test_server_option_token_is_not_stored (void)
{
  FlWindow *window = new_window ();
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;

  fl_window_start (window, server->url, server->worker_token);
  wait_for_page (window, "connected");
  stored = lookup_token (server->url, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_server_option_without_saved_token_asks (void)
{
  FlWindow *window = new_window ();
  FlFirstRunPage *page = first_run_page (window);

  fl_window_start (window, server->url, NULL);
  wait_for_page (window, "first-run");
  g_assert_cmpstr (fl_first_run_page_get_server_url (page), ==, server->url);
  g_assert_nonnull (strstr (fl_first_run_page_get_error (page), "No access token is saved"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_token_round_trips (void)
{
  GSettings *settings = fl_application_get_settings (app);
  FlWindow *window = new_window ();
  FlWindow *second;
  g_autoptr (GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *saved_url = NULL;

  fl_window_start (window, NULL, NULL);
  wait_for_page (window, "first-run");
  type_and_connect (window, server->url, server->worker_token);
  wait_for_page (window, "connected");

  stored = lookup_token (server->url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, server->worker_token);
  saved_url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (saved_url, ==, server->url);
  gtk_window_destroy (GTK_WINDOW (window));

  /* The next start finds address and token without asking. */
  second = new_window ();
  fl_window_start (second, NULL, NULL);
  wait_for_page (second, "connected");
  g_assert_nonnull (fl_window_get_client (second));
  gtk_window_destroy (GTK_WINDOW (second));
}

static gboolean
token_gone (gpointer data)
{
  g_autofree char *token = lookup_token (data, NULL);

  return token == NULL;
}

static void
test_sign_out_forgets_the_token (void)
{
  FlWindow *window = new_window ();
  FlWindow *next;
  g_autofree char *stored = NULL;
  g_autoptr (GError) error = NULL;

  /* Signed in by the previous test: address saved, token in the keyring. */
  fl_window_start (window, NULL, NULL);
  wait_for_page (window, "connected");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  wait_for_page (window, "first-run");
  g_assert_cmpstr (fl_first_run_page_get_server_url (first_run_page (window)), ==, server->url);
  g_assert_true (fl_test_wait_until (token_gone, server->url, 30000));
  stored = lookup_token (server->url, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Nothing to sign in with any more: the next start asks. */
  next = new_window ();
  fl_window_start (next, NULL, NULL);
  wait_for_page (next, "first-run");
  gtk_window_destroy (GTK_WINDOW (next));
}

#else

static gboolean
error_shown (gpointer data)
{
  FlFirstRunPage *page = data;

  return !fl_first_run_page_get_busy (page) && fl_first_run_page_get_error (page) != NULL;
}

static void
test_missing_keyring_is_explained_and_nothing_is_written (void)
{
  FlWindow *window = new_window ();
  FlFirstRunPage *page;
  const char *message;
  g_autofree char *path = NULL;

  fl_window_start (window, NULL, NULL);
  wait_for_page (window, "first-run");
  page = first_run_page (window);
  type_and_connect (window, server->url, server->worker_token);
  g_assert_true (fl_test_wait_until (error_shown, page, 30000));

  message = fl_first_run_page_get_error (page);
  g_test_message ("message: %s", message);
  g_assert_nonnull (strstr (message, "No keyring is available"));
  g_assert_nonnull (strstr (message, "not saved"));
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  /* Not in a file of ours, nor anywhere under HOME or the XDG folders. */
  g_assert_false (fl_test_tree_contains (session->home, server->worker_token));

  fl_test_sleep_in_loop (300);
  path = fl_test_save_screenshot (GTK_WIDGET (window), "fairlabel-first-run-no-keyring");

  /* The session can still go on, with the token held in memory only. */
  press (page, "Connect _Without Saving the Token");
  wait_for_page (window, "connected");
  g_assert_false (fl_test_tree_contains (session->home, server->worker_token));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* --server without FAIRLABEL_TOKEN looks in the keyring; with none, the
 * first-run page asks, with the address filled in and the reason shown. */
static void
test_server_option_without_token_or_keyring_asks (void)
{
  FlWindow *window = new_window ();
  FlFirstRunPage *page = first_run_page (window);

  fl_window_start (window, server->url, NULL);
  wait_for_page (window, "first-run");
  g_assert_cmpstr (fl_first_run_page_get_server_url (page), ==, server->url);
  g_assert_nonnull (strstr (fl_first_run_page_get_error (page), "No keyring is available"));
  g_assert_null (fl_window_get_client (window));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_missing_keyring_lookup_fails_clearly (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = lookup_token (server->url, &error);

  g_assert_null (token);
  g_assert_error (error, FL_CREDENTIALS_ERROR, FL_CREDENTIALS_ERROR_NO_KEYRING);
}

#endif

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  session = fl_test_session_new ();
#ifdef FL_TEST_WITH_KEYRING
  fl_test_session_start_keyring (session);
#endif
  server = fl_test_server_start ();

  app = fl_test_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

#ifdef FL_TEST_WITH_KEYRING
  g_test_add_func ("/app/keyring/server-option-token-is-not-stored",
                   test_server_option_token_is_not_stored);
  g_test_add_func ("/app/keyring/server-option-without-saved-token-asks",
                   test_server_option_without_saved_token_asks);
  g_test_add_func ("/app/keyring/token-round-trips", test_token_round_trips);
  g_test_add_func ("/app/keyring/sign-out-forgets-the-token", test_sign_out_forgets_the_token);
#else
  g_test_add_func ("/app/keyring/missing-keyring-is-explained-and-nothing-is-written",
                   test_missing_keyring_is_explained_and_nothing_is_written);
  g_test_add_func ("/app/keyring/server-option-without-token-or-keyring-asks",
                   test_server_option_without_token_or_keyring_asks);
  g_test_add_func ("/app/keyring/missing-keyring-lookup-fails-clearly",
                   test_missing_keyring_lookup_fails_clearly);
#endif

  status = g_test_run ();

  g_clear_object (&app);
  fl_test_server_free (server);
  fl_test_session_free (session);
  return status;
}
