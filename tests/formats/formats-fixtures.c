/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "formats-fixtures.h"

char *
fx_make_tmp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("fl-formats-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

char *
fx_make_png (const char *dir, const char *name, int width, int height)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  gdk_pixbuf_fill (pixbuf, 0x3584e4ff);
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

char *
fx_make_rotated_jpeg (const char *dir, const char *name, int width, int height)
{
  static const guchar exif[] = {
    0xff, 0xe1, 0x00, 0x22, 'E',  'x',  'i',  'f',  0x00, 0x00, /* APP1, length 34 */
    'M',  'M',  0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,             /* big-endian TIFF header */
    0x00, 0x01,                                                 /* IFD0: one entry */
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00, /* Orientation 6 */
    0x00, 0x00, 0x00, 0x00,                                                 /* no next IFD */
  };
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  g_autoptr (GError) error = NULL;
  g_autofree char *jpeg = NULL;
  gsize len = 0;
  g_autoptr (GString) out = g_string_new (NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  gdk_pixbuf_fill (pixbuf, 0xe01b24ff);
  gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &len, "jpeg", &error, NULL);
  g_assert_no_error (error);
  g_assert_true (len > 2 && (guchar) jpeg[0] == 0xff && (guchar) jpeg[1] == 0xd8);
  g_string_append_len (out, jpeg, 2);
  g_string_append_len (out, (const char *) exif, sizeof exif);
  g_string_append_len (out, jpeg + 2, len - 2);
  g_mkdir_with_parents (parent, 0755);
  g_file_set_contents (path, out->str, out->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
put_le (GString *out, guint32 v, int bytes)
{
  for (int i = 0; i < bytes; i++)
    g_string_append_c (out, (char) ((v >> (8 * i)) & 0xff));
}

char *
fx_make_wav (const char *dir, const char *name, double seconds)
{
  const guint rate = 8000;
  guint n = (guint) (seconds * rate);
  g_autoptr (GString) out = g_string_new ("RIFF");
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  put_le (out, 36 + n * 2, 4);
  g_string_append (out, "WAVEfmt ");
  put_le (out, 16, 4);
  put_le (out, 1, 2); /* PCM */
  put_le (out, 1, 2); /* mono */
  put_le (out, rate, 4);
  put_le (out, rate * 2, 4);
  put_le (out, 2, 2);
  put_le (out, 16, 2);
  g_string_append (out, "data");
  put_le (out, n * 2, 4);
  for (guint i = 0; i < n; i++)
    put_le (out, (guint32) (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)) & 0xffff, 2);
  g_mkdir_with_parents (parent, 0755);
  g_file_set_contents (path, out->str, out->len, &error);
  g_assert_no_error (error);
  return path;
}

void
fx_write (const char *dir, const char *name, const char *contents, gssize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_mkdir_with_parents (parent, 0755);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

char *
fx_read (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static JsonNode *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

FlDataset *
fx_image_dataset (const char *media_dir)
{
  FlDataset *ds = fl_dataset_new ("image");
  FlDatasetItem *item;
  g_autoptr (JsonNode) config = parse (
    "{\"classes\":[{\"name\":\"car\",\"color\":\"#e01b24\"},{\"name\":\"road\"},{\"name\":\"eye\"},"
    "{\"name\":\"unused\"}],\"tags\":[\"night\",\"blurry\"]}");

  json_object_unref (ds->label_config);
  ds->label_config = json_object_ref (json_node_get_object (config));
  ds->project_title = g_strdup ("Streets & <cars>");

  item = fl_dataset_add_item (ds);
  item->task_id = g_strdup ("t1");
  item->asset_name = g_strdup ("street one.png");
  item->asset_path = fx_make_png (media_dir, "blob-1", 200, 100);
  item->media_type = g_strdup ("image/png");
  item->width = 200;
  item->height = 100;
  item->result = parse (
    "{\"kind\":\"image\",\"image\":{\"width\":200,\"height\":100},\"shapes\":["
    "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":10,\"y\":20,\"width\":30,\"height\":"
    "40,"
    "\"attributes\":{\"occluded\":true}},"
    "{\"id\":\"s2\",\"type\":\"polygon\",\"label\":\"road\",\"points\":[[0,0],[10.5,0],[5,8.25]]},"
    "{\"id\":\"s3\",\"type\":\"point\",\"label\":\"eye\",\"x\":5,\"y\":6},"
    "{\"id\":\"s4\",\"type\":\"box\",\"label\":\"car\",\"x\":100.5,\"y\":50.25,\"width\":99.5,"
    "\"height\":49.75}],"
    "\"tags\":[\"night\"]}");
  item->worker = g_strdup ("ada");
  item->submitted_at_unix = 1764000000;
  item->active_seconds = 90;
  fl_money_init (&item->reward, 25, "USD", NULL);
  item->state = g_strdup ("approved");

  item = fl_dataset_add_item (ds);
  item->task_id = g_strdup ("t2");
  item->asset_name = g_strdup ("b.png");
  item->asset_path = fx_make_png (media_dir, "blob-2", 64, 48);
  item->media_type = g_strdup ("image/png");
  item->width = 64;
  item->height = 48;
  item->result = parse ("{\"kind\":\"image\",\"image\":{\"width\":64,\"height\":48},\"shapes\":["
                        "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"road\",\"x\":0,\"y\":0,"
                        "\"width\":64,\"height\":48}],"
                        "\"tags\":[\"blurry\",\"night\"]}");
  item->worker = g_strdup ("=cmd|' /C calc'!A0");
  item->submitted_at_unix = 1764003600;
  item->active_seconds = 45;
  fl_money_init (&item->reward, 10, "USD", NULL);
  item->state = g_strdup ("approved");
  return ds;
}

FlDataset *
fx_audio_dataset (const char *media_dir)
{
  FlDataset *ds = fl_dataset_new ("audio");
  FlDatasetItem *item;

  ds->project_title = g_strdup ("Interviews");
  item = fl_dataset_add_item (ds);
  item->task_id = g_strdup ("a1");
  item->asset_name = g_strdup ("talk.wav");
  item->asset_path = fx_make_wav (media_dir, "blob-a1", 4.0);
  item->media_type = g_strdup ("audio/x-wav");
  item->duration = 4.0;
  item->result = parse ("{\"kind\":\"audio\",\"duration\":4.0,\"segments\":["
                        "{\"start\":0.0,\"end\":1.234,\"speaker\":\"A\",\"text\":\"hello there\"},"
                        "{\"start\":1.5,\"end\":2.75,\"speaker\":\"B\",\"text\":\"a < b & c > d\"},"
                        "{\"start\":3.001,\"end\":3.999,\"text\":\"no speaker, two\\nlines\"}]}");
  item->worker = g_strdup ("grace");
  item->submitted_at_unix = 1764000000;
  item->active_seconds = 120;
  fl_money_init (&item->reward, 150, "KES", NULL);
  item->state = g_strdup ("approved");

  item = fl_dataset_add_item (ds);
  item->task_id = g_strdup ("a2");
  item->asset_name = g_strdup ("whole.wav");
  item->asset_path = fx_make_wav (media_dir, "blob-a2", 2.5);
  item->media_type = g_strdup ("audio/x-wav");
  item->duration = 2.5;
  item->result =
    parse ("{\"kind\":\"audio\",\"duration\":2.5,\"segments\":["
           "{\"start\":0.0,\"end\":2.5,\"speaker\":\"A\",\"text\":\"the whole file\"}]}");
  item->worker = g_strdup ("grace");
  item->submitted_at_unix = 1764000100;
  item->active_seconds = 30;
  fl_money_init (&item->reward, 40, "KES", NULL);
  return ds;
}

static FlDatasetItem *
find_by_name (FlDataset *ds, const char *name)
{
  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);

      if (g_strcmp0 (item->asset_name, name) == 0)
        return item;
    }
  return NULL;
}

static JsonArray *
result_array (FlDatasetItem *item, const char *member)
{
  JsonObject *o;

  g_assert_nonnull (item->result);
  o = json_node_get_object (item->result);
  return json_object_get_array_member (o, member);
}

static void
assert_close (double a, double b, double tolerance)
{
  if (fabs (a - b) > tolerance)
    g_error ("%.9g and %.9g differ by more than %g", a, b, tolerance);
}

static gboolean
wanted (JsonObject *shape, FxCompare what)
{
  const char *type = json_object_get_string_member (shape, "type");

  return (g_str_equal (type, "box") && (what & FX_SHAPES_BOXES)) ||
         (g_str_equal (type, "polygon") && (what & FX_SHAPES_POLYGONS)) ||
         (g_str_equal (type, "point") && (what & FX_SHAPES_POINTS));
}

void
fx_assert_same_results (FlDataset *expected, FlDataset *actual, FxCompare what, double tolerance)
{
  g_assert_cmpstr (expected->kind, ==, actual->kind);
  g_assert_cmpuint (expected->items->len, ==, actual->items->len);
  for (guint i = 0; i < expected->items->len; i++)
    {
      FlDatasetItem *e = g_ptr_array_index (expected->items, i);
      FlDatasetItem *a = find_by_name (actual, e->asset_name);

      if (a == NULL)
        g_error ("no imported task for %s", e->asset_name);
      if (g_str_equal (expected->kind, "image"))
        {
          JsonArray *es = result_array (e, "shapes"), *as = result_array (a, "shapes");
          guint k2 = 0;

          for (guint k = 0; k < json_array_get_length (es); k++)
            {
              JsonObject *x = json_array_get_object_element (es, k);
              JsonObject *y;
              const char *type = json_object_get_string_member (x, "type");

              if (!wanted (x, what))
                continue;
              g_assert_cmpuint (k2, <, json_array_get_length (as));
              y = json_array_get_object_element (as, k2++);
              g_assert_cmpstr (type, ==, json_object_get_string_member (y, "type"));
              g_assert_cmpstr (json_object_get_string_member (x, "label"), ==,
                               json_object_get_string_member (y, "label"));
              if (g_str_equal (type, "polygon"))
                {
                  JsonArray *xp = json_object_get_array_member (x, "points");
                  JsonArray *yp = json_object_get_array_member (y, "points");

                  g_assert_cmpuint (json_array_get_length (xp), ==, json_array_get_length (yp));
                  for (guint p = 0; p < json_array_get_length (xp); p++)
                    for (guint c = 0; c < 2; c++)
                      assert_close (
                        json_array_get_double_element (json_array_get_array_element (xp, p), c),
                        json_array_get_double_element (json_array_get_array_element (yp, p), c),
                        tolerance);
                }
              else
                {
                  const char *const members[] = { "x", "y", "width", "height" };

                  for (guint m = 0; m < (g_str_equal (type, "box") ? 4u : 2u); m++)
                    assert_close (json_object_get_double_member (x, members[m]),
                                  json_object_get_double_member (y, members[m]), tolerance);
                }
              if (what & FX_ATTRIBUTES)
                {
                  JsonNode *xa = json_object_get_member (x, "attributes");
                  JsonNode *ya = json_object_get_member (y, "attributes");

                  g_assert_true ((xa == NULL) == (ya == NULL));
                  if (xa != NULL)
                    g_assert_true (json_node_equal (xa, ya));
                }
            }
          g_assert_cmpuint (k2, ==, json_array_get_length (as));
          if (what & FX_TAGS)
            {
              JsonArray *et = result_array (e, "tags"), *at = result_array (a, "tags");

              g_assert_cmpuint (json_array_get_length (et), ==, json_array_get_length (at));
              for (guint k = 0; k < json_array_get_length (et); k++)
                g_assert_cmpstr (json_array_get_string_element (et, k), ==,
                                 json_array_get_string_element (at, k));
            }
        }
      else
        {
          JsonArray *es = result_array (e, "segments"), *as = result_array (a, "segments");

          g_assert_cmpuint (json_array_get_length (es), ==, json_array_get_length (as));
          for (guint k = 0; k < json_array_get_length (es); k++)
            {
              JsonObject *x = json_array_get_object_element (es, k);
              JsonObject *y = json_array_get_object_element (as, k);

              assert_close (json_object_get_double_member (x, "start"),
                            json_object_get_double_member (y, "start"), tolerance);
              assert_close (json_object_get_double_member (x, "end"),
                            json_object_get_double_member (y, "end"), tolerance);
              g_assert_cmpstr (json_object_get_string_member (x, "text"), ==,
                               json_object_get_string_member (y, "text"));
              if (what & FX_SPEAKERS)
                g_assert_cmpstr (json_object_get_string_member_with_default (x, "speaker", NULL), ==
                                 , json_object_get_string_member_with_default (y, "speaker", NULL));
            }
        }
    }
}

int
fx_run (const char *const *argv, char **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &stdout_text,
                &stderr_text, &status, &error);
  g_assert_no_error (error);
  if (out != NULL)
    *out = g_strconcat (stdout_text ? stdout_text : "", stderr_text ? stderr_text : "", NULL);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s failed: %s%s", argv[0], stdout_text ? stdout_text : "",
                    stderr_text ? stderr_text : "");
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

gboolean
fx_have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

gboolean
fx_report_has (FlImportReport *report, FlImportEntryKind kind, const char *fragment)
{
  for (guint i = 0; i < report->entries->len; i++)
    {
      FlImportEntry *e = g_ptr_array_index (report->entries, i);

      if (e->kind == kind && strstr (e->reason, fragment) != NULL)
        return TRUE;
    }
  return FALSE;
}
