/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServer"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>

#include "fl-test-http.h"
#include "fl-test-server.h"
#include "fl-test-support.h"
#include "fl-token.h"

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

  server->data_dir = g_dir_make_tmp ("fl-worker-server-XXXXXX", &error);
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
    {
      fl_test_remove_tree (server->data_dir);
    }
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->worker_token);
  g_free (server->admin_token);
  g_clear_object (&server->session);
  g_free (server);
}

static JsonNode *
request_bytes (FlTestServer *server, const char *method, const char *path, const char *token,
               const char *content_type, GBytes *body, guint *status)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);

  if (server->session == NULL)
    server->session = G_OBJECT (soup_session_new ());
  return fl_test_http_request (SOUP_SESSION (server->session), method, url,
                               token ? token : server->admin_token, content_type, body, NULL,
                               status);
}

JsonNode *
fl_test_server_request (FlTestServer *server, const char *method, const char *path,
                        const char *token, const char *body, guint *status)
{
  g_autoptr (GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;

  return request_bytes (server, method, path, token, "application/json", bytes, status);
}

static GBytes *
make_png (guint seed)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
  g_autoptr (GError) error = NULL;
  char *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x204060ffu + (seed * 0x01030500u));
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "png", &error, NULL));
  return g_bytes_new_take (buffer, size);
}

gint64
fl_test_server_add_image_project (FlTestServer *server, const char *title, const char *reward,
                                  gint64 estimate_seconds, gint64 lease_seconds, guint n_tasks)
{
  g_autofree char *spec = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (GString) tasks = g_string_new ("{\"tasks\":[");
  g_autofree char *tasks_path = NULL;
  g_autoptr (JsonNode) added = NULL;
  guint status = 0;
  gint64 id;
  static guint seed = 1;

  spec = g_strdup_printf ("{\"kind\":\"image\",\"title\":\"%s\",\"instructions\":\"Draw a box "
                          "around every car.\",\"label_config\":{\"classes\":[{\"name\":\"car\","
                          "\"color\":\"#e01b24\"}],\"tags\":[\"night\",\"blurry\"]},\"reward\":{"
                          "\"amount\":\"%s\",\"currency\":"
                          "\"USD\"},\"estimate_seconds\":%" G_GINT64_FORMAT
                          ",\"lease_seconds\":%" G_GINT64_FORMAT "}",
                          title, reward, estimate_seconds, lease_seconds);
  created = fl_test_server_request (server, "POST", "/api/v1/projects", NULL, spec, &status);
  g_assert_cmpuint (status, ==, 201);
  id = json_object_get_int_member (json_node_get_object (created), "id");

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr (GBytes) png = make_png (seed++);
      g_autofree char *sha = fl_sha256_hex (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
      g_autofree char *path = g_strconcat ("/api/v1/assets/", sha, NULL);
      g_autoptr (JsonNode) put = NULL;

      put = request_bytes (server, "PUT", path, NULL, "image/png", png, &status);
      g_assert_true (status == 201 || status == 200);
      g_string_append_printf (tasks,
                              "%s{\"assets\":[{\"sha256\":\"%s\",\"name\":\"photo-%u.png\"}]}",
                              i ? "," : "", sha, i + 1);
    }
  g_string_append (tasks, "]}");
  tasks_path = g_strdup_printf ("/api/v1/projects/%" G_GINT64_FORMAT "/tasks", id);
  added = fl_test_server_request (server, "POST", tasks_path, NULL, tasks->str, &status);
  g_assert_cmpuint (status, ==, 201);
  return id;
}

void
fl_test_server_run_command (FlTestServer *server, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *data = g_build_filename (server->data_dir, "server", NULL);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLABEL_SERVER_BINARY"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, data);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}
