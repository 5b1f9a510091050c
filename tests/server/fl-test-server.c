/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestServer"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-test-server.h"
#include "fl-test-support.h"

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
