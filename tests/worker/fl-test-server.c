/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServer"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fl-test-http.h"
#include "fl-test-server.h"
#include "fl-test-support.h"
#include "fl-token.h"

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
  created =
    fl_test_call (server, "POST", "/api/v1/projects", server->admin_token, spec, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  id = json_object_get_int_member (json_node_get_object (created), "id");

  for (guint i = 0; i < n_tasks; i++)
    {
      g_autoptr (GBytes) png = make_png (seed++);
      g_autofree char *sha = fl_sha256_hex (g_bytes_get_data (png, NULL), g_bytes_get_size (png));
      g_autofree char *path = g_strconcat ("/api/v1/assets/", sha, NULL);
      g_autofree char *url = NULL;
      g_autoptr (JsonNode) put = NULL;

      url = g_strconcat (server->url, path, NULL);
      put = fl_test_http_request (fl_test_server_session (server), "PUT", url, server->admin_token,
                                  "image/png", png, NULL, &status);
      g_assert_true (status == 201 || status == 200);
      g_string_append_printf (tasks,
                              "%s{\"assets\":[{\"sha256\":\"%s\",\"name\":\"photo-%u.png\"}]}",
                              i ? "," : "", sha, i + 1);
    }
  g_string_append (tasks, "]}");
  tasks_path = g_strdup_printf ("/api/v1/projects/%" G_GINT64_FORMAT "/tasks", id);
  added = fl_test_call (server, "POST", tasks_path, server->admin_token, tasks->str, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  return id;
}

guint
fl_test_server_count_active (FlTestServer *server, gint64 project, gint64 *last_id)
{
  g_autoptr (JsonNode) answer = NULL;
  JsonArray *list;
  guint status, n = 0;

  answer = fl_test_call (server, "GET", "/api/v1/me/assignments", server->worker_token, NULL, NULL,
                         &status);
  g_assert_cmpuint (status, ==, 200);
  list = json_object_get_array_member (json_node_get_object (answer), "assignments");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *a = json_array_get_object_element (list, i);

      if (json_object_get_int_member (a, "project_id") == project &&
          g_strcmp0 (json_object_get_string_member (a, "state"), "active") == 0)
        {
          n++;
          if (last_id != NULL)
            *last_id = json_object_get_int_member (a, "id");
        }
    }
  return n;
}
