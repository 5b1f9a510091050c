/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatCoco"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "fl-format-private.h"

/* COCO object detection JSON: annotations.json with the images in images/.
 * Boxes are bbox, polygons are segmentation, points are one-keypoint
 * annotations; image tags go in the "fairlabel_tags" extension member of an
 * image, shape attributes in "attributes" (as CVAT writes them). */

static void
append_bbox (GString *out, double x, double y, double w, double h)
{
  g_string_append (out, "\"bbox\":[");
  fl_format_append_number (out, x);
  g_string_append_c (out, ',');
  fl_format_append_number (out, y);
  g_string_append_c (out, ',');
  fl_format_append_number (out, w);
  g_string_append_c (out, ',');
  fl_format_append_number (out, h);
  g_string_append (out, "],\"area\":");
}

gboolean
fl_format_export_coco (FlExportContext *ctx, GError **error)
{
  FlDataset *ds = ctx->ds;
  g_autoptr (GPtrArray) labels = fl_format_collect_labels (ds);
  g_autoptr (GHashTable) category_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) keypoint_labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) out = g_string_sized_new (256 + ds->items->len * 1024);
  guint annotation_id = 0;
  gboolean first;

  if (!fl_format_copy_assets (ctx, "images", error))
    return FALSE;

  for (guint i = 0; i < labels->len; i++)
    g_hash_table_insert (category_of, g_ptr_array_index (labels, i), GUINT_TO_POINTER (i + 1));
  for (guint i = 0; i < ds->items->len; i++)
    {
      JsonArray *shapes = fl_format_result_array (g_ptr_array_index (ds->items, i), "shapes");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *s = json_array_get_object_element (shapes, k);

          if (g_str_equal (fl_format_shape_string (s, "type"), "point"))
            g_hash_table_add (keypoint_labels, (gpointer) fl_format_shape_string (s, "label"));
        }
    }

  g_string_append (out, "{\"info\":{\"description\":");
  fl_format_append_json_string (out, ds->project_title ? ds->project_title : "");
  g_string_append (out, ",\"version\":\"1.0\",\"contributor\":\"Fairlabel\"},\n\"licenses\":[],\n"
                        "\"categories\":[");
  for (guint i = 0; i < labels->len; i++)
    {
      const char *name = g_ptr_array_index (labels, i);

      g_string_append_printf (out, "%s\n{\"id\":%u,\"name\":", i ? "," : "", i + 1);
      fl_format_append_json_string (out, name);
      g_string_append (out, ",\"supercategory\":\"\"");
      if (g_hash_table_contains (keypoint_labels, name))
        {
          g_string_append (out, ",\"keypoints\":[");
          fl_format_append_json_string (out, name);
          g_string_append (out, "],\"skeleton\":[]");
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\n\"images\":[");
  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *tags = fl_format_result_array (item, "tags");
      int w, h;

      fl_format_image_size (item, &w, &h);
      g_string_append_printf (out, "%s\n{\"id\":%u,\"file_name\":", i ? "," : "", i + 1);
      fl_format_append_json_string (out, ctx->names[i]);
      g_string_append_printf (out, ",\"width\":%d,\"height\":%d", w, h);
      if (tags != NULL && json_array_get_length (tags) > 0)
        {
          g_string_append (out, ",\"fairlabel_tags\":[");
          for (guint k = 0; k < json_array_get_length (tags); k++)
            {
              if (k > 0)
                g_string_append_c (out, ',');
              fl_format_append_json_string (out, json_array_get_string_element (tags, k));
            }
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "],\n\"annotations\":[");
  first = TRUE;
  for (guint i = 0; i < ds->items->len; i++)
    {
      JsonArray *shapes = fl_format_result_array (g_ptr_array_index (ds->items, i), "shapes");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *s = json_array_get_object_element (shapes, k);
          const char *type = fl_format_shape_string (s, "type");
          guint category = GPOINTER_TO_UINT (
            g_hash_table_lookup (category_of, fl_format_shape_string (s, "label")));

          g_string_append_printf (out,
                                  "%s\n{\"id\":%u,\"image_id\":%u,\"category_id\":%u,"
                                  "\"iscrowd\":0,",
                                  first ? "" : ",", ++annotation_id, i + 1, category);
          first = FALSE;
          if (g_str_equal (type, "box"))
            {
              double w = fl_format_shape_number (s, "width");
              double h = fl_format_shape_number (s, "height");

              append_bbox (out, fl_format_shape_number (s, "x"), fl_format_shape_number (s, "y"), w,
                           h);
              fl_format_append_number (out, w * h);
              g_string_append (out, ",\"segmentation\":[]");
            }
          else if (g_str_equal (type, "polygon"))
            {
              guint n = 0;
              g_autofree double *xy = fl_format_shape_points (s, &n);
              double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = -G_MAXDOUBLE,
                     maxy = -G_MAXDOUBLE, area = 0;

              for (guint p = 0; p < n; p++)
                {
                  double x = xy[2 * p], y = xy[2 * p + 1];
                  double nx = xy[2 * ((p + 1) % n)], ny = xy[2 * ((p + 1) % n) + 1];

                  minx = MIN (minx, x);
                  miny = MIN (miny, y);
                  maxx = MAX (maxx, x);
                  maxy = MAX (maxy, y);
                  area += x * ny - nx * y;
                }
              if (n == 0)
                minx = miny = maxx = maxy = 0;
              append_bbox (out, minx, miny, maxx - minx, maxy - miny);
              fl_format_append_number (out, fabs (area) / 2);
              g_string_append (out, ",\"segmentation\":[[");
              for (guint p = 0; p < 2 * n; p++)
                {
                  if (p > 0)
                    g_string_append_c (out, ',');
                  fl_format_append_number (out, xy[p]);
                }
              g_string_append (out, "]]");
            }
          else
            {
              double x = fl_format_shape_number (s, "x"), y = fl_format_shape_number (s, "y");

              append_bbox (out, x, y, 0, 0);
              g_string_append (out, "0,\"segmentation\":[],\"num_keypoints\":1,\"keypoints\":[");
              fl_format_append_number (out, x);
              g_string_append_c (out, ',');
              fl_format_append_number (out, y);
              g_string_append (out, ",2]");
            }
          if (json_object_has_member (s, "attributes"))
            {
              g_string_append (out, ",\"attributes\":");
              fl_format_append_attributes_json (out, s);
            }
          g_string_append_c (out, '}');
        }
    }
  g_string_append (out, "]}\n");
  return fl_format_write_file (ctx, "annotations.json", out, error);
}

/* Reading: members may come in any order, so images, categories and
 * annotations are collected first and joined at the end. */

typedef struct
{
  FlImportContext *ctx;
  char *rel;
  char *base_dir;
  GHashTable *categories; /* id -> name */
  GArray *category_order; /* ids as they came */
  GHashTable *images;     /* id -> JsonNode */
  GArray *image_order;
  GPtrArray *annotations; /* JsonNode */
  guint n_annotations;
  gboolean saw_coco;
} CocoReader;

static gboolean
json_id (JsonObject *o, const char *member, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static gboolean
coco_element (const char *key, JsonNode *element, guint line, gpointer user_data, GError **error)
{
  CocoReader *r = user_data;
  JsonObject *o = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
  gint64 id;

  if (key == NULL)
    {
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                   _ ("%s is a JSON array; COCO files are an object with images, annotations and "
                      "categories"),
                   r->rel);
      return FALSE;
    }
  if (g_str_equal (key, "images") || g_str_equal (key, "annotations") ||
      g_str_equal (key, "categories"))
    r->saw_coco = TRUE;
  if (g_str_equal (key, "categories"))
    {
      if (o == NULL || !json_id (o, "id", &id) || fl_json_string (o, "name", NULL) == NULL)
        {
          fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                                _ ("category without a numeric id and a name"));
          return TRUE;
        }
      if (!g_hash_table_contains (r->categories, &id))
        g_array_append_val (r->category_order, id);
      g_hash_table_insert (r->categories, g_memdup2 (&id, sizeof id),
                           g_strdup (json_object_get_string_member (o, "name")));
    }
  else if (g_str_equal (key, "images"))
    {
      if (o == NULL || !json_id (o, "id", &id) || fl_json_string (o, "file_name", NULL) == NULL)
        {
          fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                                _ ("image without a numeric id and a file_name"));
          return TRUE;
        }
      if (g_hash_table_contains (r->images, &id))
        {
          fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                                _ ("image id %lld appears twice; the first is kept"),
                                (long long) id);
          return TRUE;
        }
      g_array_append_val (r->image_order, id);
      g_hash_table_insert (r->images, g_memdup2 (&id, sizeof id), json_node_ref (element));
    }
  else if (g_str_equal (key, "annotations"))
    {
      r->n_annotations++;
      if (o == NULL)
        {
          fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                                _ ("annotation %u is not an object"), r->n_annotations);
          return TRUE;
        }
      g_ptr_array_add (r->annotations, json_node_ref (element));
    }
  return TRUE;
}

static gboolean
number_at (JsonArray *a, guint i, double *out)
{
  JsonNode *n = json_array_get_element (a, i);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      (json_node_get_value_type (n) != G_TYPE_INT64 &&
       json_node_get_value_type (n) != G_TYPE_DOUBLE))
    return FALSE;
  *out = json_node_get_double (n);
  return isfinite (*out);
}

static void
add_attributes (JsonObject *shape, JsonObject *annotation)
{
  JsonNode *attrs = json_object_get_member (annotation, "attributes");

  if (attrs != NULL && JSON_NODE_HOLDS_OBJECT (attrs) &&
      json_object_get_size (json_node_get_object (attrs)) > 0)
    json_object_set_member (shape, "attributes", json_node_copy (attrs));
}

/* Returns how many shapes it added. */
static guint
read_annotation (CocoReader *r, JsonObject *result, JsonObject *a, const char *label, guint index)
{
  JsonNode *seg = json_object_get_member (a, "segmentation");
  JsonArray *bbox = fl_json_get_array (a, "bbox");
  JsonArray *kps = fl_json_get_array (a, "keypoints");
  guint added = 0;
  double b[4] = { 0 };
  gboolean has_box = bbox != NULL && json_array_get_length (bbox) == 4;

  for (guint i = 0; has_box && i < 4; i++)
    has_box = number_at (bbox, i, &b[i]);

  if (kps != NULL && json_array_get_length (kps) >= 3)
    {
      guint n = json_array_get_length (kps) / 3;

      for (guint k = 0; k < n; k++)
        {
          double x, y, v;
          JsonObject *shape;

          if (!number_at (kps, 3 * k, &x) || !number_at (kps, 3 * k + 1, &y) ||
              !number_at (kps, 3 * k + 2, &v))
            {
              fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, 0,
                                    _ ("annotation %u: keypoint %u is not numeric"), index, k + 1);
              continue;
            }
          if (v <= 0)
            continue;
          shape = fl_result_add_shape (result, "point", label);
          json_object_set_double_member (shape, "x", x);
          json_object_set_double_member (shape, "y", y);
          add_attributes (shape, a);
          added++;
        }
      /* A keypoint annotation's box only frames its points. */
      if (added > 0 && (!has_box || b[2] <= 0 || b[3] <= 0))
        return added;
    }

  if (seg != NULL && JSON_NODE_HOLDS_ARRAY (seg) &&
      json_array_get_length (json_node_get_array (seg)) > 0)
    {
      JsonArray *polys = json_node_get_array (seg);

      for (guint p = 0; p < json_array_get_length (polys); p++)
        {
          JsonNode *pn = json_array_get_element (polys, p);
          JsonArray *coords = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;
          guint n = coords ? json_array_get_length (coords) : 0;
          JsonArray *points;
          JsonObject *shape;
          gboolean ok = n >= 6 && n % 2 == 0;

          for (guint k = 0; ok && k < n; k++)
            {
              double v;
              ok = number_at (coords, k, &v);
            }
          if (!ok)
            {
              fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, 0,
                                    _ ("annotation %u: segmentation polygon %u is not a list of at "
                                       "least three x,y pairs"),
                                    index, p + 1);
              continue;
            }
          shape = fl_result_add_shape (result, "polygon", label);
          points = json_array_new ();
          for (guint k = 0; k < n; k += 2)
            {
              JsonArray *pt = json_array_new ();

              json_array_add_double_element (pt, json_array_get_double_element (coords, k));
              json_array_add_double_element (pt, json_array_get_double_element (coords, k + 1));
              json_array_add_array_element (points, pt);
            }
          json_object_set_array_member (shape, "points", points);
          add_attributes (shape, a);
          added++;
        }
      return added;
    }
  if (seg != NULL && JSON_NODE_HOLDS_OBJECT (seg) && has_box)
    fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_CHANGED, r->rel, 0,
                          _ ("annotation %u: a run-length mask became its bounding box"), index);

  if (has_box && b[2] >= 0 && b[3] >= 0 && added == 0)
    {
      JsonObject *shape = fl_result_add_shape (result, "box", label);

      json_object_set_double_member (shape, "x", b[0]);
      json_object_set_double_member (shape, "y", b[1]);
      json_object_set_double_member (shape, "width", b[2]);
      json_object_set_double_member (shape, "height", b[3]);
      add_attributes (shape, a);
      added++;
    }
  else if (added == 0)
    fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, 0,
                          _ ("annotation %u has no usable bbox, segmentation or keypoints"), index);
  return added;
}

gboolean
fl_format_import_coco (FlImportContext *ctx, const char *path, GError **error)
{
  CocoReader r = { 0 };
  g_autoptr (GHashTable) result_of = NULL; /* image id -> JsonObject result */
  gboolean ok;

  if (!fl_format_ensure_kind (ctx, "image", path, error))
    return FALSE;
  r.ctx = ctx;
  r.rel = fl_format_relative (ctx, path);
  r.base_dir = g_path_get_dirname (path);
  r.categories = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  r.category_order = g_array_new (FALSE, FALSE, sizeof (gint64));
  r.images =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_node_unref);
  r.image_order = g_array_new (FALSE, FALSE, sizeof (gint64));
  r.annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  result_of =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) json_object_unref);

  ok = fl_format_stream_json (ctx, path, coco_element, &r, error);
  if (ok && !r.saw_coco)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, 0,
                            _ ("valid JSON, but not COCO: no images, annotations or categories"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                   _ ("%s is not a COCO file (no images, annotations or categories)"), r.rel);
      ok = FALSE;
    }

  if (ok)
    {
      JsonArray *classes = json_array_new ();

      for (guint i = 0; i < r.category_order->len; i++)
        {
          gint64 id = g_array_index (r.category_order, gint64, i);
          JsonObject *c = json_object_new ();

          json_object_set_string_member (c, "name", g_hash_table_lookup (r.categories, &id));
          json_array_add_object_element (classes, c);
        }
      json_object_set_array_member (ctx->ds->label_config, "classes", classes);

      for (guint i = 0; i < r.image_order->len; i++)
        {
          gint64 id = g_array_index (r.image_order, gint64, i);
          JsonObject *img = json_node_get_object (g_hash_table_lookup (r.images, &id));
          const char *file_name = json_object_get_string_member (img, "file_name");
          g_autofree char *resolved =
            fl_format_resolve_asset (ctx, file_name, r.base_dir, r.rel, 0);
          FlDatasetItem *item;
          JsonArray *tags;
          JsonObject *result;
          int w, h;

          if (resolved == NULL)
            continue;
          item = fl_format_add_asset (ctx, resolved, r.rel, 0);
          if (item == NULL)
            continue;
          item->task_id = g_strdup_printf ("%" G_GINT64_FORMAT, id);
          w = (int) fl_json_int (img, "width", item->width);
          h = (int) fl_json_int (img, "height", item->height);
          if (item->width > 0 && (w != item->width || h != item->height))
            fl_import_report_add (
              ctx->report, FL_IMPORT_ENTRY_CHANGED, r.rel, 0,
              _ ("image %s is %dx%d, the file says %dx%d; the file's size is used"), file_name,
              item->width, item->height, w, h);
          result = fl_result_image_new (item->width > 0 ? item->width : w,
                                        item->height > 0 ? item->height : h);
          tags = fl_json_get_array (img, "fairlabel_tags");
          for (guint k = 0; tags != NULL && k < json_array_get_length (tags); k++)
            if (fl_json_array_string (tags, k) != NULL)
              fl_result_add_tag (result, fl_json_array_string (tags, k));
          item->result = json_node_init_object (json_node_alloc (), result);
          g_hash_table_insert (result_of, g_memdup2 (&id, sizeof id), result);
        }

      for (guint i = 0; i < r.annotations->len; i++)
        {
          JsonObject *a = json_node_get_object (g_ptr_array_index (r.annotations, i));
          gint64 image_id, category_id, annotation_id = i + 1;
          JsonObject *result;
          const char *label;

          json_id (a, "id", &annotation_id);
          if (!json_id (a, "image_id", &image_id) || !g_hash_table_contains (r.images, &image_id))
            {
              fl_import_report_add (
                ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, 0,
                _ ("annotation %lld points at an image that is not in the file"),
                (long long) annotation_id);
              continue;
            }
          if (!json_id (a, "category_id", &category_id) ||
              (label = g_hash_table_lookup (r.categories, &category_id)) == NULL)
            {
              fl_import_report_add (
                ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, 0,
                _ ("annotation %lld points at a category that is not in the file"),
                (long long) annotation_id);
              continue;
            }
          result = g_hash_table_lookup (result_of, &image_id);
          if (result == NULL)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, 0,
                                    _ ("annotation %lld belongs to image %lld, which was skipped"),
                                    (long long) annotation_id, (long long) image_id);
              continue;
            }
          read_annotation (&r, result, a, label, (guint) annotation_id);
        }
    }

  g_free (r.rel);
  g_free (r.base_dir);
  g_hash_table_unref (r.categories);
  g_array_unref (r.category_order);
  g_hash_table_unref (r.images);
  g_array_unref (r.image_order);
  g_ptr_array_unref (r.annotations);
  return ok;
}
