/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatYolo"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fl-format-private.h"

/* YOLO (Darknet / Ultralytics): classes.txt, images/NAME, labels/STEM.txt with
 * one "class cx cy w h" line per box and one "class x1 y1 x2 y2 ..." line per
 * polygon (the segmentation form), all normalised to 0..1. Points and tags
 * have no place in YOLO and are left out. */

#define EPSILON 1e-6

static void
append_fixed (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (out, ' ');
  g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.6f", v));
}

gboolean
fl_format_export_yolo (FlExportContext *ctx, GError **error)
{
  FlDataset *ds = ctx->ds;
  g_autoptr (GPtrArray) labels = fl_format_collect_labels (ds);
  g_autoptr (GHashTable) class_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) classes = g_string_new (NULL);
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *labels_dir = g_build_filename (ctx->out_dir, "labels", NULL);

  if (!fl_format_copy_assets (ctx, "images", error))
    return FALSE;
  g_mkdir_with_parents (labels_dir, 0755);

  for (guint i = 0; i < labels->len; i++)
    {
      const char *name = g_ptr_array_index (labels, i);

      g_hash_table_insert (class_of, (gpointer) name, GUINT_TO_POINTER (i));
      /* One name a line: a line break inside a name would shift every class. */
      for (const char *p = name; *p != '\0'; p++)
        g_string_append_c (classes, *p == '\n' || *p == '\r' ? ' ' : *p);
      g_string_append_c (classes, '\n');
    }
  if (!fl_format_write_file (ctx, "classes.txt", classes, error))
    return FALSE;

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      g_autofree char *name = g_strconcat (ctx->stems[i], ".txt", NULL);
      g_autofree char *path = g_build_filename (labels_dir, name, NULL);
      int w, h;

      g_string_truncate (out, 0);
      if (shapes != NULL && json_array_get_length (shapes) > 0 &&
          !fl_format_image_size (item, &w, &h))
        {
          g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                       _ ("Task %s: the image size is unknown, so YOLO coordinates cannot be "
                          "computed"),
                       item->task_id ? item->task_id : ctx->names[i]);
          return FALSE;
        }
      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *s = json_array_get_object_element (shapes, k);
          const char *type = fl_format_shape_string (s, "type");
          guint cls =
            GPOINTER_TO_UINT (g_hash_table_lookup (class_of, fl_format_shape_string (s, "label")));

          if (g_str_equal (type, "box"))
            {
              double bw = fl_format_shape_number (s, "width");
              double bh = fl_format_shape_number (s, "height");

              g_string_append_printf (out, "%u", cls);
              append_fixed (out, (fl_format_shape_number (s, "x") + bw / 2) / w);
              append_fixed (out, (fl_format_shape_number (s, "y") + bh / 2) / h);
              append_fixed (out, bw / w);
              append_fixed (out, bh / h);
              g_string_append_c (out, '\n');
            }
          else if (g_str_equal (type, "polygon"))
            {
              guint n = 0;
              g_autofree double *xy = fl_format_shape_points (s, &n);

              g_string_append_printf (out, "%u", cls);
              for (guint p = 0; p < n; p++)
                {
                  append_fixed (out, xy[2 * p] / w);
                  append_fixed (out, xy[2 * p + 1] / h);
                }
              g_string_append_c (out, '\n');
            }
        }
      /* A fresh file each: no temporary and rename per image. */
      if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_NONE, 0644,
                                     error))
        return FALSE;
    }
  return TRUE;
}

/* Reading */

static char *
find_first (const char *dir, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *p = g_build_filename (dir, names[i], NULL);

      if (g_file_test (p, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&p);
    }
  return NULL;
}

static gboolean
parse_number (const char *text, double *out)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static void
read_label_file (FlImportContext *ctx, FlDatasetItem *item, const char *label_path,
                 GPtrArray *classes)
{
  g_autofree char *rel = fl_format_relative (ctx, label_path);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) local = NULL;
  JsonObject *result;

  if (!fl_format_read_text (ctx, label_path, &text, NULL, &local))
    {
      if (!g_error_matches (local, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0, "%s", local->message);
      return;
    }
  result = fl_result_image_new (item->width, item->height);
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_auto (GStrv) tok = NULL;
      guint n;
      double v[4096];
      gboolean ok = TRUE;
      char *endp = NULL;
      guint64 cls;
      const char *label;

      g_strstrip (lines[l]);
      if (lines[l][0] == '\0' || lines[l][0] == '#')
        continue;
      tok = g_strsplit_set (lines[l], " \t", -1);
      n = 0;
      for (guint t = 0; tok[t] != NULL; t++)
        if (tok[t][0] != '\0')
          tok[n++] = tok[t];
      tok[n] = NULL;
      if (n != 5 && (n < 7 || n % 2 == 0 || n > G_N_ELEMENTS (v)))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                _ ("expected “class cx cy w h” or a polygon, found %u values"), n);
          continue;
        }
      cls = g_ascii_strtoull (tok[0], &endp, 10);
      if (endp == tok[0] || *endp != '\0')
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                _ ("class “%s” is not a whole number"), tok[0]);
          continue;
        }
      if (cls >= classes->len)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                _ ("class %llu is not in the class list (%u classes)"),
                                (unsigned long long) cls, classes->len);
          continue;
        }
      label = g_ptr_array_index (classes, cls);
      for (guint t = 1; ok && t < n; t++)
        {
          if (!parse_number (tok[t], &v[t - 1]))
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                    _ ("value “%s” is not a number"), tok[t]);
              ok = FALSE;
            }
          else if (v[t - 1] < -EPSILON || v[t - 1] > 1 + EPSILON)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                    _ ("value %s is outside 0..1"), tok[t]);
              ok = FALSE;
            }
        }
      if (!ok)
        continue;
      if (n == 5)
        {
          JsonObject *shape;

          if (v[2] <= 0 || v[3] <= 0)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, l + 1,
                                    _ ("box has no area"));
              continue;
            }
          shape = fl_result_add_shape (result, "box", label);
          json_object_set_double_member (shape, "x", (v[0] - v[2] / 2) * item->width);
          json_object_set_double_member (shape, "y", (v[1] - v[3] / 2) * item->height);
          json_object_set_double_member (shape, "width", v[2] * item->width);
          json_object_set_double_member (shape, "height", v[3] * item->height);
        }
      else
        {
          JsonObject *shape = fl_result_add_shape (result, "polygon", label);
          JsonArray *points = json_array_new ();

          for (guint p = 0; p + 1 < n - 1; p += 2)
            {
              JsonArray *pt = json_array_new ();

              json_array_add_double_element (pt, v[p] * item->width);
              json_array_add_double_element (pt, v[p + 1] * item->height);
              json_array_add_array_element (points, pt);
            }
          json_object_set_array_member (shape, "points", points);
        }
    }
}

gboolean
fl_format_import_yolo (FlImportContext *ctx, const char *path, GError **error)
{
  static const char *const class_names[] = { "classes.txt", "obj.names", NULL };
  static const char *const image_dirs[] = { "images", "obj_train_data", NULL };
  static const char *const label_dirs[] = { "labels", "obj_train_data", NULL };
  g_autofree char *dir =
    g_file_test (path, G_FILE_TEST_IS_DIR) ? g_strdup (path) : g_path_get_dirname (path);
  g_autofree char *classes_path = find_first (dir, class_names);
  g_autofree char *images_dir = find_first (dir, image_dirs);
  g_autofree char *labels_dir = find_first (dir, label_dirs);
  g_autofree char *classes_rel = NULL;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) used_labels =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) lines = NULL;
  JsonArray *config_classes;
  const char *name;

  if (!fl_format_ensure_kind (ctx, "image", path, error))
    return FALSE;
  if (classes_path == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, NULL, 0,
                            _ ("no classes.txt or obj.names in the folder"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                   _ ("Not a YOLO folder: no classes.txt or obj.names"));
      return FALSE;
    }
  classes_rel = fl_format_relative (ctx, classes_path);
  if (!fl_format_read_text (ctx, classes_path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      g_ptr_array_add (classes, g_strdup (lines[i]));
    }
  config_classes = json_array_new ();
  for (guint i = 0; i < classes->len; i++)
    {
      JsonObject *c = json_object_new ();

      json_object_set_string_member (c, "name", g_ptr_array_index (classes, i));
      json_array_add_object_element (config_classes, c);
    }
  json_object_set_array_member (ctx->ds->label_config, "classes", config_classes);

  if (images_dir == NULL)
    images_dir = g_strdup (dir);
  if (labels_dir == NULL)
    labels_dir = g_strdup (images_dir);

  d = g_dir_open (images_dir, 0, error);
  if (d == NULL)
    return FALSE;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *full = g_build_filename (images_dir, file, NULL);
      g_autofree char *rel = fl_format_relative (ctx, full);
      g_autofree char *resolved = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *label_name = NULL;
      g_autofree char *label_path = NULL;
      const char *dot = strrchr (file, '.');
      FlDatasetItem *item;

      if (g_str_has_suffix (file, ".txt") || g_file_test (full, G_FILE_TEST_IS_DIR))
        continue;
      resolved = fl_format_resolve_asset (ctx, rel, ctx->root, rel, 0);
      if (resolved == NULL)
        continue;
      item = fl_format_add_asset (ctx, resolved, NULL, 0);
      if (item == NULL)
        continue;
      stem = dot ? g_strndup (file, dot - file) : g_strdup (file);
      label_name = g_strconcat (stem, ".txt", NULL);
      label_path = g_build_filename (labels_dir, label_name, NULL);
      g_hash_table_add (used_labels, g_strdup (label_name));
      if (!g_file_test (label_path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (item->width <= 0 || item->height <= 0)
        {
          fl_import_report_add (
            ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
            _ ("cannot read the image size, so its YOLO labels cannot be placed"));
          continue;
        }
      read_label_file (ctx, item, label_path, classes);
    }

  /* Label files without an image are listed, not silently passed over. */
  {
    g_autoptr (GDir) ld = g_dir_open (labels_dir, 0, NULL);

    while (ld != NULL && (name = g_dir_read_name (ld)) != NULL)
      if (g_str_has_suffix (name, ".txt") && !g_hash_table_contains (used_labels, name) &&
          g_strcmp0 (name, "classes.txt") != 0)
        {
          g_autofree char *full = g_build_filename (labels_dir, name, NULL);
          g_autofree char *rel = fl_format_relative (ctx, full);

          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                                _ ("label file without an image of the same name"));
        }
  }
  return TRUE;
}
