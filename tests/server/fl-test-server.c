/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServer"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "fl-test-http.h"
#include "fl-test-server.h"
#include "fl-test-support.h"

static const char *
server_binary (void)
{
  const char *binary = g_getenv ("FAIRLABEL_SERVER_BINARY");

  g_assert_nonnull (binary);
  return binary;
}

FlTestServer *
fl_test_server_new (void)
{
  FlTestServer *server = g_new0 (FlTestServer, 1);
  g_autoptr (GError) error = NULL;

  server->root = g_dir_make_tmp ("fl-server-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->data_dir = g_build_filename (server->root, "data", NULL);
  server->demo_dir = g_build_filename (server->root, "demo", NULL);
  server->session = soup_session_new_with_options ("max-conns", 200, "max-conns-per-host", 200,
                                                   "timeout", 60, NULL);
  return server;
}

void
fl_test_server_write_demo (FlTestServer *server, guint n_tasks, const char *project_extra)
{
  g_autoptr (GString) json = g_string_new ("{\"projects\":[{\"kind\":\"image\",");
  g_autofree char *images = g_build_filename (server->demo_dir, "images", NULL);
  g_autofree char *manifest = g_build_filename (server->demo_dir, "demo.json", NULL);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (images, 0700), ==, 0);
  g_string_append (json, "\"title\":\"Street scenes\",\"instructions\":\"Box every car.\","
                         "\"label_config\":{\"classes\":[{\"name\":\"car\",\"color\":"
                         "\"#e01b24\",\"hotkey\":\"1\"}]},\"reward\":\"0.12\",\"currency\":"
                         "\"USD\",\"estimate_seconds\":45,\"assignments_per_task\":1");
  if (project_extra != NULL)
    g_string_append_printf (json, ",%s", project_extra);
  g_string_append (json, ",\"tasks\":[");
  for (guint i = 0; i < n_tasks; i++)
    {
      g_autofree char *name = g_strdup_printf ("street-%04u.png", i);
      g_autofree char *path = g_build_filename (images, name, NULL);
      g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4 + i % 7, 3);

      /* Distinct pixels make distinct blobs. */
      gdk_pixbuf_fill (pixbuf, (guint32) (i * 2654435761u) | 0xff);
      g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", &error, NULL));
      g_string_append_printf (json,
                              "%s{\"assets\":[\"images/%s\"],\"pre_annotation\":null,"
                              "\"data\":{\"n\":%u}}",
                              i ? "," : "", name, i);
    }
  g_string_append (json, "]}]}");
  g_assert_true (g_file_set_contents (manifest, json->str, (gssize) json->len, &error));
}

void
fl_test_server_start (FlTestServer *server, gboolean demo)
{
  g_autoptr (GSubprocessLauncher) launcher = fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = {
    server_binary (),       "--listen", "127.0.0.1:0", "--data", server->data_dir,
    demo ? "--demo" : NULL, NULL,
  };

  g_subprocess_launcher_setenv (launcher, "FAIRLABEL_DEMO_DIR", server->demo_dir, TRUE);
  server->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  if (demo)
    {
      g_clear_pointer (&server->worker_token, g_free);
      g_clear_pointer (&server->admin_token, g_free);
    }
  fl_test_read_server_banner (lines, demo, &server->url, &server->worker_token,
                              &server->admin_token);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
}

void
fl_test_server_stop (FlTestServer *server, gboolean kill)
{
  g_autoptr (GError) error = NULL;

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
fl_test_server_free (FlTestServer *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
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
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) server_binary ());
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

JsonNode *
fl_test_call (FlTestServer *server, const char *method, const char *path, const char *token,
              const char *body, const char *idempotency_key, guint *status)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return fl_test_http_request (server->session, method, uri, token, "application/json", bytes,
                               idempotency_key, status);
}

const char *
fl_test_error_code (JsonNode *node)
{
  JsonObject *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) ||
      !json_object_has_member (json_node_get_object (node), "error"))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");
  g_assert_true (json_object_has_member (error, "message"));
  return json_object_get_string_member (error, "code");
}
