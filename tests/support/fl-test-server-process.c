/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "fl-test-server-process.h"
#include "fl-test-support.h"

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

static void
spawn (FlTestServer *server, gboolean demo)
{
  const char *binary = g_getenv ("FAIRLABEL_SERVER_BINARY");
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GSubprocessLauncher) launcher = fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", server->port);
  g_autofree char *data = g_build_filename (server->data_dir, "server", NULL);

  g_assert_nonnull (binary);
  server->process = g_subprocess_launcher_spawn (launcher, &error, binary, "--listen", listen,
                                                 "--data", data, demo ? "--demo" : NULL, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  fl_test_read_server_banner (out, TRUE, &server->url, &server->worker_token, &server->admin_token);
  g_thread_unref (g_thread_new ("drain-server-output", drain_thread, g_object_ref (out)));
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
  FlTestServer *server = g_new0 (FlTestServer, 1);
  g_autoptr (GError) error = NULL;

  server->data_dir = g_dir_make_tmp ("fl-test-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->owns_dir = TRUE;
  spawn (server, TRUE);
  return server;
}

void
fl_test_server_stop (FlTestServer *server)
{
  /* Its connections die with the server. */
  g_clear_object (&server->session);
  if (server->process == NULL)
    return;
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
fl_test_server_restart (FlTestServer *server)
{
  fl_test_server_stop (server);
  spawn (server, FALSE);
}

void
fl_test_server_free (FlTestServer *server)
{
  if (server == NULL)
    return;
  fl_test_server_stop (server);
  if (server->owns_dir)
    fl_test_remove_tree (server->data_dir);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->worker_token);
  g_free (server->admin_token);
  g_free (server);
}
