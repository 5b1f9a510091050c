/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestCli"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} RunResult;

static void
run_result_clear (RunResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunResult, run_result_clear)

static const char *
app_binary (void)
{
  const char *binary = g_getenv ("FAIRLABEL_APP_BINARY");

  g_assert_nonnull (binary);
  return binary;
}

/* Runs a command to its end; @token, when set, goes in FAIRLABEL_TOKEN. */
static void
run (const char *const *argv, const char *token, RunResult *result)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  if (token != NULL)
    g_subprocess_launcher_setenv (launcher, "FAIRLABEL_TOKEN", token, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "FAIRLABEL_TOKEN");
  /* Only a connection needs the settings; help and usage errors must work
   * before anything is installed. */
  if (token == NULL)
    g_subprocess_launcher_unsetenv (launcher, "GSETTINGS_SCHEMA_DIR");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &result->out, &result->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("%s → %d\nstdout: %s\nstderr: %s", argv[1] != NULL ? argv[1] : argv[0],
                  result->status, result->out, result->err);
}

static void
test_app_help_documents_options (void)
{
  const char *argv[] = { app_binary (), "--help", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--server=URL"));
  g_assert_nonnull (strstr (result.out, "--version"));
  g_assert_nonnull (strstr (result.out, "FAIRLABEL_TOKEN"));
}

static void
test_app_version (void)
{
  const char *argv[] = { app_binary (), "--version", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, PACKAGE_VERSION));
}

static void
test_server_help_documents_options (void)
{
  const char *argv[] = { g_getenv ("FAIRLABEL_SERVER_BINARY"), "--help", NULL };
  g_auto (RunResult) result = { 0 };

  g_assert_nonnull (argv[0]);
  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 0);
  g_assert_nonnull (strstr (result.out, "--listen"));
  g_assert_nonnull (strstr (result.out, "--data"));
  g_assert_nonnull (strstr (result.out, "--demo"));
}

static void
test_unknown_option_fails_with_usage_status (void)
{
  const char *argv[] = { app_binary (), "--no-such-option", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--no-such-option"));
  g_assert_nonnull (strstr (result.err, "--help"));
  g_assert_cmpstr (result.out, ==, "");
}

static void
test_stray_argument_fails_with_usage_status (void)
{
  const char *argv[] = { app_binary (), "stray", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "stray"));
}

static void
test_server_option_needs_a_value (void)
{
  const char *argv[] = { app_binary (), "--server", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, NULL, &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "--server"));
}

static void
test_malformed_server_url_fails_clearly (void)
{
  const char *argv[] = { app_binary (), "--server", "not a url", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, "some-token", &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "not a url"));
  g_assert_nonnull (strstr (result.err, "server address"));
}

static void
test_remote_plain_http_fails_clearly (void)
{
  const char *argv[] = { app_binary (), "--server", "http://labels.example.org", NULL };
  g_auto (RunResult) result = { 0 };

  run (argv, "some-token", &result);
  g_assert_cmpint (result.status, ==, 2);
  g_assert_nonnull (strstr (result.err, "https://"));
}

typedef struct
{
  GDataInputStream *stream;
  char *line;
  gboolean done;
} FirstLine;

static void
first_line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FirstLine *first = user_data;

  first->line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  first->done = TRUE;
}

static gboolean
first_line_done (gpointer data)
{
  return ((FirstLine *) data)->done;
}

/* Starts the app connecting to @url, reads its first line on stderr, and
 * ends it: a failed connection leaves the window open on the first-run page. */
static char *
connect_and_read_stderr (const char *url, const char *token)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  FirstLine first = { 0 };

  g_subprocess_launcher_setenv (launcher, "FAIRLABEL_TOKEN", token, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, app_binary (), "--server", url, NULL);
  g_assert_no_error (error);
  first.stream = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));
  g_data_input_stream_read_line_async (first.stream, G_PRIORITY_DEFAULT, NULL, first_line_cb,
                                       &first);
  g_assert_true (fl_test_wait_until (first_line_done, &first, 30000));
  /* Still running: the message did not come from a crash. */
  g_assert_nonnull (g_subprocess_get_identifier (process));
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_clear_object (&first.stream);
  g_assert_nonnull (first.line);
  g_test_message ("stderr: %s", first.line);
  return first.line;
}

static void
test_unreachable_server_reported_on_stderr (void)
{
  g_autofree char *url = fl_test_dup_closed_url ();
  g_autofree char *line = connect_and_read_stderr (url, "some-token");

  g_assert_true (g_str_has_prefix (line, "fairlabel: "));
  g_assert_nonnull (strstr (line, "reach"));
}

static void
test_rejected_token_reported_on_stderr (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_start ();
  g_autofree char *line = NULL;

  line = connect_and_read_stderr (server->url, "fl_not_a_token_this_server_issued");
  g_assert_true (g_str_has_prefix (line, "fairlabel: "));
  g_assert_nonnull (strstr (line, "rejected the access token"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/app/cli/help-documents-options", test_app_help_documents_options);
  g_test_add_func ("/app/cli/version-prints-version", test_app_version);
  g_test_add_func ("/app/cli/server-help-documents-options", test_server_help_documents_options);
  g_test_add_func ("/app/cli/unknown-option-fails-with-usage-status",
                   test_unknown_option_fails_with_usage_status);
  g_test_add_func ("/app/cli/stray-argument-fails-with-usage-status",
                   test_stray_argument_fails_with_usage_status);
  g_test_add_func ("/app/cli/server-option-needs-a-value", test_server_option_needs_a_value);
  g_test_add_func ("/app/cli/malformed-server-url-fails-clearly",
                   test_malformed_server_url_fails_clearly);
  g_test_add_func ("/app/cli/remote-plain-http-fails-clearly",
                   test_remote_plain_http_fails_clearly);
  g_test_add_func ("/app/cli/unreachable-server-reported-on-stderr",
                   test_unreachable_server_reported_on_stderr);
  g_test_add_func ("/app/cli/rejected-token-reported-on-stderr",
                   test_rejected_token_reported_on_stderr);

  return g_test_run ();
}
