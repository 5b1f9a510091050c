/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "fl-test-server-process.h"
#include "fl-test-support.h"

FlTestServer *
fl_test_server_new (void)
{
  FlTestServer *server = g_new0 (FlTestServer, 1);
  g_autoptr (GError) error = NULL;

  server->root = g_dir_make_tmp ("fl-test-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->data_dir = g_build_filename (server->root, "data", NULL);
  server->demo_dir = g_build_filename (server->root, "demo", NULL);
  return server;
}

/* Reads the server's output to the end, so that it never blocks on a full pipe. */
static gpointer
drain_thread (gpointer data)
{
  g_autoptr (GInputStream) stream = data;
  char buffer[4096];

  while (g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  return NULL;
}

void
fl_test_server_launch (FlTestServer *server, gboolean demo)
{
  const char *binary = g_getenv ("FAIRLABEL_SERVER_BINARY");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GSubprocessLauncher) launcher = fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);

  g_assert_nonnull (binary);
  g_assert_null (server->process);
  if (g_file_test (server->demo_dir, G_FILE_TEST_IS_DIR))
    g_subprocess_launcher_setenv (launcher, "FAIRLABEL_DEMO_DIR", server->demo_dir, TRUE);
  server->process =
    g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen, "--data",
                                 server->data_dir, demo ? "--demo" : NULL, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  if (demo)
    {
      g_clear_pointer (&server->worker_token, g_free);
      g_clear_pointer (&server->admin_token, g_free);
    }
  fl_test_read_server_banner (out, demo, &server->url, &server->worker_token, &server->admin_token);
  g_thread_unref (g_thread_new ("drain-server-output", drain_thread, g_object_ref (out)));
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
  if (g_str_has_suffix (server->url, "/"))
    server->url[strlen (server->url) - 1] = '\0';
  if (server->port == 0)
    {
      g_autoptr (GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

      server->port = (guint16) g_uri_get_port (uri);
    }
}

FlTestServer *
fl_test_server_start (void)
{
  FlTestServer *server = fl_test_server_new ();

  fl_test_server_launch (server, TRUE);
  return server;
}

static void
halt (FlTestServer *server, gboolean kill)
{
  g_autoptr (GError) error = NULL;

  /* Its connections die with the server. */
  g_clear_object (&server->session);
  if (server->process == NULL)
    return;
  if (kill)
    g_subprocess_force_exit (server->process);
  else
    g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  if (!kill)
    {
      g_assert_true (g_subprocess_get_if_exited (server->process));
      g_assert_cmpint (g_subprocess_get_exit_status (server->process), ==, 0);
    }
  g_clear_object (&server->process);
}

void
fl_test_server_stop (FlTestServer *server)
{
  halt (server, FALSE);
}

void
fl_test_server_kill (FlTestServer *server)
{
  halt (server, TRUE);
}

void
fl_test_server_restart (FlTestServer *server)
{
  fl_test_server_stop (server);
  fl_test_server_launch (server, FALSE);
}

void
fl_test_server_free (FlTestServer *server)
{
  if (server == NULL)
    return;
  /* Whatever state the test left it in: no clean exit is asked for. */
  if (server->process != NULL)
    fl_test_server_kill (server);
  g_clear_object (&server->session);
  fl_test_remove_tree (server->root);
  g_free (server->root);
  g_free (server->data_dir);
  g_free (server->demo_dir);
  g_free (server->url);
  g_free (server->worker_token);
  g_free (server->admin_token);
  g_free (server);
}

char *
fl_test_server_cli (FlTestServer *server, int *exit_status, char **err, ...)
{
  const char *binary = g_getenv ("FAIRLABEL_SERVER_BINARY");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  va_list args;
  const char *arg;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, server->data_dir);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  *exit_status = g_spawn_check_wait_status (wait_status, NULL) ? 0 : 1;
  return out;
}

char *
fl_test_server_add_user (FlTestServer *server, const char *name, const char *role)
{
  int status;
  g_autofree char *out =
    fl_test_server_cli (server, &status, NULL, "user", "add", name, "--role", role, NULL);

  g_assert_cmpint (status, ==, 0);
  return g_strdup (g_strstrip (out));
}
