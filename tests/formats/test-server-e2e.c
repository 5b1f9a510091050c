/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestServerE2e"

#include "config.h"

#include <string.h>

#include "fl-test-http.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "formats-fixtures.h"

/* The real fairlabel-server: a COCO file is imported, a worker submits the
 * pre-annotations, a reviewer approves them, and the YOLO export holds the
 * boxes and polygons of the COCO file. */

static char *
first_line (const char *text)
{
  const char *nl = strchr (text, '\n');

  return nl ? g_strndup (text, nl - text) : g_strdup (text);
}

static JsonNode *
post (FlTestServer *server, const char *path, const char *token, const char *body)
{
  g_autofree char *key = g_uuid_string_random ();
  guint status = 0;
  JsonNode *node = fl_test_call (server, "POST", path, token, body, key, &status);

  if (status >= 300)
    g_error ("POST %s: %u %s", path, status, node ? json_to_string (node, FALSE) : "");
  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

/* Checks that a command of the server's command line (its output in @out) succeeded. */
static char *
succeeded (char *out, int exit_status)
{
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_nonnull (out);
  return out;
}

static void
test_import_coco_export_yolo (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *coco = g_build_filename (tmp, "coco", NULL);
  g_autofree char *out = g_build_filename (tmp, "yolo", NULL);
  g_autofree char *worker_token = NULL;
  g_autofree char *reviewer_token = NULL;
  g_autofree char *text = NULL;
  g_autofree char *report = NULL;
  g_autofree char *label_a = NULL;
  g_autofree char *label_b = NULL;
  g_autofree char *csv = NULL;
  guint approved = 0;
  int status;

  g_free (fx_make_png (coco, "images/a.png", 200, 100));
  g_free (fx_make_png (coco, "images/b.png", 64, 48));
  fx_write (coco, "annotations.json",
            "{\"images\":[{\"id\":1,\"file_name\":\"a.png\",\"width\":200,\"height\":100},"
            "{\"id\":2,\"file_name\":\"b.png\",\"width\":64,\"height\":48}],"
            "\"categories\":[{\"id\":1,\"name\":\"car\"},{\"id\":2,\"name\":\"road\"}],"
            "\"annotations\":["
            "{\"id\":1,\"image_id\":1,\"category_id\":1,\"bbox\":[10,20,30,40]},"
            "{\"id\":2,\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,100,50],"
            "\"segmentation\":[[0,0,100,0,100,50]]},"
            "{\"id\":3,\"image_id\":2,\"category_id\":2,\"bbox\":[16,12,32,24]},"
            "{\"id\":4,\"image_id\":2,\"category_id\":9,\"bbox\":[1,1,2,2]}]}",
            -1);

  text = fl_test_server_cli (server, &status, NULL, "project", "create", "--kind", "image",
                             "--title", "Streets", "--reward", "0.10", "--currency", "USD", NULL);
  succeeded (text, status);
  g_clear_pointer (&text, g_free);
  text = fl_test_server_cli (server, &status, NULL, "user", "add", "w", "--role", "worker", NULL);
  worker_token = first_line (succeeded (text, status));
  g_clear_pointer (&text, g_free);
  text = fl_test_server_cli (server, &status, NULL, "user", "add", "r", "--role", "reviewer", NULL);
  reviewer_token = first_line (succeeded (text, status));
  g_clear_pointer (&text, g_free);
  text =
    fl_test_server_cli (server, &status, &report, "import", "1", coco, "--format", "coco", NULL);
  g_assert_nonnull (strstr (succeeded (text, status), "added 2 tasks"));
  /* The report reaches the person running the import. */
  g_assert_nonnull (strstr (report, "annotation 4 points at a category that is not in the file"));
  g_clear_pointer (&text, g_free);

  fl_test_server_launch (server, FALSE);

  /* The worker keeps each pre-annotation as it is; the reviewer approves it. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonNode) assignment =
        post (server, "/api/v1/projects/1/accept", worker_token, NULL);
      JsonObject *a = json_node_get_object (assignment);
      JsonObject *task = json_object_get_object_member (a, "task");
      JsonNode *pre = json_object_get_member (task, "pre_annotation");
      g_autofree char *pre_text = json_to_string (pre, FALSE);
      g_autofree char *body = g_strdup_printf ("{\"result\":%s,\"active_seconds\":60}", pre_text);
      gint64 id = json_object_get_int_member (a, "id");
      g_autofree char *submit =
        g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", id);
      g_autofree char *approve =
        g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", id);

      g_assert_true (JSON_NODE_HOLDS_OBJECT (pre));
      json_node_unref (post (server, submit, worker_token, body));
      json_node_unref (post (server, approve, reviewer_token, NULL));
      approved++;
    }
  fl_test_server_stop (server);

  text = fl_test_server_cli (server, &status, NULL, "export", "1", "--format", "yolo", "--output",
                             out, NULL);
  g_assert_nonnull (strstr (succeeded (text, status), "exported 2 approved results"));

  /* Computed by hand from the COCO boxes: centre and size over the image size. */
  label_a = fx_read (out, "labels/a.txt");
  label_b = fx_read (out, "labels/b.txt");
  g_assert_cmpstr (label_a, ==,
                   "0 0.125000 0.400000 0.150000 0.400000\n"
                   "1 0.000000 0.000000 0.500000 0.000000 0.500000 0.500000\n");
  g_assert_cmpstr (label_b, ==, "1 0.500000 0.500000 0.500000 0.500000\n");
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  csv = fx_read (out, "fairness-audit.csv");
  g_assert_nonnull (strstr (csv, ",w,"));
  g_assert_nonnull (strstr (csv, ",60,0.10,USD,6.00,approved,"));
  g_assert_cmpuint (approved, ==, 2);

  fl_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/server/import-coco-export-yolo", test_import_coco_export_yolo);
  return g_test_run ();
}
