/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatLabelStudio"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "fl-format-private.h"

/* Label Studio task JSON: a list of tasks with "data" (the media URL) and
 * "annotations" / "predictions", each a list of result items. Coordinates of
 * image regions are percent of original_width / original_height. Exported
 * media paths use Label Studio's local-files URL (/data/local-files/?d=...),
 * which opens when LOCAL_FILES_DOCUMENT_ROOT is the export folder. */

static void
append_percent (GString *out, const char *name, double value, double size)
{
  g_string_append_printf (out, "\"%s\":", name);
  fl_format_append_number (out, size > 0 ? value * 100.0 / size : 0);
}

static void
append_item_head (GString *out, const char *id, const char *from, const char *to, const char *type,
                  gboolean *first)
{
  g_string_append (out, *first ? "\n  {\"id\":" : ",\n  {\"id\":");
  *first = FALSE;
  fl_format_append_json_string (out, id);
  g_string_append (out, ",\"from_name\":");
  fl_format_append_json_string (out, from);
  g_string_append_printf (out, ",\"to_name\":\"%s\",\"type\":\"%s\"", to, type);
}

/* One control per region type: Label Studio wants distinct names. */
static const char *
control_of_type (const char *type)
{
  return g_str_equal (type, "box") ? "box" : g_str_equal (type, "polygon") ? "polygon" : "point";
}

static void
export_image_result (GString *out, FlDatasetItem *item, int w, int h)
{
  JsonArray *shapes = fl_format_result_array (item, "shapes");
  JsonArray *tags = fl_format_result_array (item, "tags");
  gboolean first = TRUE;

  for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
    {
      JsonObject *s = json_array_get_object_element (shapes, k);
      const char *type = fl_format_shape_string (s, "type");
      const char *id = fl_format_shape_string (s, "id");
      g_autofree char *fallback_id = g_strdup_printf ("s%u", k + 1);
      JsonObject *attrs = fl_json_get_object (s, "attributes");
      g_autoptr (GList) attr_names = attrs ? json_object_get_members (attrs) : NULL;
      const char *ls_type = g_str_equal (type, "box")       ? "rectanglelabels"
                            : g_str_equal (type, "polygon") ? "polygonlabels"
                                                            : "keypointlabels";
      GString *value = g_string_new (NULL);

      if (*id == '\0')
        id = fallback_id;
      if (g_str_equal (type, "box"))
        {
          append_percent (value, "x", fl_format_shape_number (s, "x"), w);
          g_string_append_c (value, ',');
          append_percent (value, "y", fl_format_shape_number (s, "y"), h);
          g_string_append_c (value, ',');
          append_percent (value, "width", fl_format_shape_number (s, "width"), w);
          g_string_append_c (value, ',');
          append_percent (value, "height", fl_format_shape_number (s, "height"), h);
          g_string_append (value, ",\"rotation\":0");
        }
      else if (g_str_equal (type, "polygon"))
        {
          guint n = 0;
          g_autofree double *xy = fl_format_shape_points (s, &n);

          g_string_append (value, "\"points\":[");
          for (guint p = 0; p < n; p++)
            {
              g_string_append (value, p ? ",[" : "[");
              fl_format_append_number (value, w > 0 ? xy[2 * p] * 100.0 / w : 0);
              g_string_append_c (value, ',');
              fl_format_append_number (value, h > 0 ? xy[2 * p + 1] * 100.0 / h : 0);
              g_string_append_c (value, ']');
            }
          g_string_append (value, "],\"closed\":true");
        }
      else
        {
          append_percent (value, "x", fl_format_shape_number (s, "x"), w);
          g_string_append_c (value, ',');
          append_percent (value, "y", fl_format_shape_number (s, "y"), h);
          g_string_append (value, ",\"width\":0.5");
        }

      append_item_head (out, id, control_of_type (type), "image", ls_type, &first);
      g_string_append_printf (out,
                              ",\"original_width\":%d,\"original_height\":%d,"
                              "\"image_rotation\":0,\"value\":{",
                              w, h);
      g_string_append (out, value->str);
      g_string_append_printf (out, ",\"%s\":[", ls_type);
      fl_format_append_json_string (out, fl_format_shape_string (s, "label"));
      g_string_append (out, "]}}");

      /* Attributes become per-region choices sharing the region's id. */
      for (GList *l = attr_names; l != NULL; l = l->next)
        {
          JsonNode *v = json_object_get_member (attrs, l->data);
          g_autofree char *text = NULL;

          if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
            text = g_strdup (json_node_get_string (v));
          else
            text = json_to_string (v, FALSE);
          append_item_head (out, id, l->data, "image", "choices", &first);
          g_string_append (out, ",\"value\":{");
          g_string_append (out, value->str);
          g_string_append (out, ",\"choices\":[");
          fl_format_append_json_string (out, text);
          g_string_append (out, "]}}");
        }
      g_string_free (value, TRUE);
    }
  if (tags != NULL && json_array_get_length (tags) > 0)
    {
      append_item_head (out, "tags", "tags", "image", "choices", &first);
      g_string_append (out, ",\"value\":{\"choices\":[");
      for (guint k = 0; k < json_array_get_length (tags); k++)
        {
          if (k > 0)
            g_string_append_c (out, ',');
          fl_format_append_json_string (out, json_array_get_string_element (tags, k));
        }
      g_string_append (out, "]}}");
    }
}

static void
export_audio_result (GString *out, FlDatasetItem *item)
{
  JsonArray *segs = fl_format_result_array (item, "segments");
  gboolean first = TRUE;

  for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
    {
      JsonObject *s = json_array_get_object_element (segs, k);
      const char *speaker = fl_json_string (s, "speaker", NULL);
      g_autofree char *id = g_strdup_printf ("seg%u", k + 1);
      g_autoptr (GString) span = g_string_new ("\"start\":");

      fl_format_append_number (span, fl_format_shape_number (s, "start"));
      g_string_append (span, ",\"end\":");
      fl_format_append_number (span, fl_format_shape_number (s, "end"));
      g_string_append (span, ",\"channel\":0");
      if (speaker != NULL && *speaker != '\0')
        {
          append_item_head (out, id, "speaker", "audio", "labels", &first);
          g_string_append_printf (out, ",\"value\":{%s,\"labels\":[", span->str);
          fl_format_append_json_string (out, speaker);
          g_string_append (out, "]}}");
        }
      append_item_head (out, id, "transcription", "audio", "textarea", &first);
      g_string_append_printf (out, ",\"value\":{%s,\"text\":[", span->str);
      fl_format_append_json_string (out, fl_format_shape_string (s, "text"));
      g_string_append (out, "]}}");
    }
}

static void
append_label_elements (GString *out, GPtrArray *names, const char *element)
{
  for (guint i = 0; i < names->len; i++)
    {
      g_string_append_printf (out, "    <%s value=\"", element);
      fl_format_append_xml_escaped (out, g_ptr_array_index (names, i));
      g_string_append (out, "\"/>\n");
    }
}

static void
add_unique (GPtrArray *list, const char *name)
{
  if (name != NULL && *name != '\0' &&
      !g_ptr_array_find_with_equal_func (list, name, g_str_equal, NULL))
    g_ptr_array_add (list, g_strdup (name));
}

/* label-config.xml: a labeling config matching the exported results, to paste
 * into the Label Studio project so that they open as they are. */
static gboolean
write_label_config (FlExportContext *ctx, GError **error)
{
  FlDataset *ds = ctx->ds;
  g_autoptr (GString) out = g_string_new ("<View>\n");
  g_autoptr (GPtrArray) labels = fl_format_collect_labels (ds);
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) speakers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) attr_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) attr_values =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  JsonArray *config_tags = fl_json_get_array (ds->label_config, "tags");
  JsonArray *config_speakers = fl_json_get_array (ds->label_config, "speakers");

  for (guint i = 0; config_tags != NULL && i < json_array_get_length (config_tags); i++)
    add_unique (tags, fl_json_array_string (config_tags, i));
  for (guint i = 0; config_speakers != NULL && i < json_array_get_length (config_speakers); i++)
    {
      JsonNode *n = json_array_get_element (config_speakers, i);

      if (JSON_NODE_HOLDS_OBJECT (n))
        add_unique (speakers, fl_json_string (json_node_get_object (n), "name", NULL));
    }
  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *t = fl_format_result_array (item, "tags");
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      JsonArray *segs = fl_format_result_array (item, "segments");

      for (guint k = 0; t != NULL && k < json_array_get_length (t); k++)
        add_unique (tags, fl_json_array_string (t, k));
      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        add_unique (speakers,
                    fl_json_string (json_array_get_object_element (segs, k), "speaker", NULL));
      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *attrs =
            fl_json_get_object (json_array_get_object_element (shapes, k), "attributes");
          g_autoptr (GList) names = attrs ? json_object_get_members (attrs) : NULL;

          for (GList *l = names; l != NULL; l = l->next)
            {
              JsonNode *v = json_object_get_member (attrs, l->data);
              g_autofree char *text =
                JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING
                  ? g_strdup (json_node_get_string (v))
                  : json_to_string (v, FALSE);
              GPtrArray *values = g_hash_table_lookup (attr_values, l->data);

              if (values == NULL)
                {
                  values = g_ptr_array_new_with_free_func (g_free);
                  g_hash_table_insert (attr_values, g_strdup (l->data), values);
                  add_unique (attr_names, l->data);
                }
              add_unique (values, text);
            }
        }
    }

  if (g_strcmp0 (ds->kind, "audio") == 0)
    {
      g_string_append (out, "  <Labels name=\"speaker\" toName=\"audio\">\n");
      append_label_elements (out, speakers, "Label");
      g_string_append (out, "  </Labels>\n  <Audio name=\"audio\" value=\"$audio\"/>\n"
                            "  <TextArea name=\"transcription\" toName=\"audio\" "
                            "perRegion=\"true\" editable=\"true\"/>\n");
    }
  else
    {
      static const char *const controls[][2] = { { "RectangleLabels", "box" },
                                                 { "PolygonLabels", "polygon" },
                                                 { "KeyPointLabels", "point" } };

      g_string_append (out, "  <Image name=\"image\" value=\"$image\"/>\n");
      for (guint c = 0; c < G_N_ELEMENTS (controls); c++)
        {
          g_string_append_printf (out, "  <%s name=\"%s\" toName=\"image\">\n", controls[c][0],
                                  controls[c][1]);
          append_label_elements (out, labels, "Label");
          g_string_append_printf (out, "  </%s>\n", controls[c][0]);
        }
      if (tags->len > 0)
        {
          g_string_append (out, "  <Choices name=\"tags\" toName=\"image\" choice=\"multiple\">\n");
          append_label_elements (out, tags, "Choice");
          g_string_append (out, "  </Choices>\n");
        }
      for (guint i = 0; i < attr_names->len; i++)
        {
          const char *name = g_ptr_array_index (attr_names, i);

          g_string_append (out, "  <Choices name=\"");
          fl_format_append_xml_escaped (out, name);
          g_string_append (out, "\" toName=\"image\" perRegion=\"true\">\n");
          append_label_elements (out, g_hash_table_lookup (attr_values, name), "Choice");
          g_string_append (out, "  </Choices>\n");
        }
    }
  g_string_append (out, "</View>\n");
  return fl_format_write_file (ctx, "label-config.xml", out, error);
}

gboolean
fl_format_export_label_studio (FlExportContext *ctx, GError **error)
{
  FlDataset *ds = ctx->ds;
  gboolean audio = g_strcmp0 (ds->kind, "audio") == 0;
  const char *media_dir = audio ? "audio" : "images";
  g_autoptr (GString) out = g_string_new ("[");

  if (!fl_format_copy_assets (ctx, media_dir, error))
    return FALSE;
  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      g_autofree char *rel = g_build_filename (media_dir, ctx->names[i], NULL);
      g_autofree char *escaped = g_uri_escape_string (rel, "/", TRUE);
      g_autofree char *url = g_strconcat ("/data/local-files/?d=", escaped, NULL);
      g_autofree char *when = fl_format_iso8601 (item->submitted_at_unix);

      g_string_append_printf (out, "%s\n{\"id\":%u,\"data\":{\"%s\":", i ? "," : "", i + 1,
                              audio ? "audio" : "image");
      fl_format_append_json_string (out, url);
      if (item->task_id != NULL)
        {
          g_string_append (out, ",\"fairlabel_task\":");
          fl_format_append_json_string (out, item->task_id);
        }
      g_string_append (out, "},\n \"annotations\":[{\"id\":");
      g_string_append_printf (out, "%u", i + 1);
      if (item->worker != NULL)
        {
          g_string_append (out, ",\"fairlabel_worker\":");
          fl_format_append_json_string (out, item->worker);
        }
      if (when != NULL)
        g_string_append_printf (out, ",\"created_at\":\"%s\"", when);
      if (item->active_seconds > 0)
        g_string_append_printf (out, ",\"lead_time\":%" G_GINT64_FORMAT, item->active_seconds);
      g_string_append (out, ",\"result\":[");
      if (audio)
        export_audio_result (out, item);
      else
        {
          int w, h;

          fl_format_image_size (item, &w, &h);
          export_image_result (out, item, w, h);
        }
      g_string_append (out, "]}]}");
    }
  g_string_append (out, "\n]\n");
  return fl_format_write_file (ctx, "tasks.json", out, error) && write_label_config (ctx, error);
}

/* Reading */

typedef struct
{
  FlImportContext *ctx;
  char *rel;
  char *base_dir;
  guint index;
  gboolean single; /* the file is one task object, not a list */
  JsonObject *single_task;
} LsReader;

static double
value_number (JsonObject *value, const char *name, gboolean *ok)
{
  JsonNode *n = json_object_get_member (value, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) ||
      (json_node_get_value_type (n) != G_TYPE_DOUBLE &&
       json_node_get_value_type (n) != G_TYPE_INT64))
    {
      *ok = FALSE;
      return 0;
    }
  return json_node_get_double (n);
}

static const char *
first_string (JsonObject *value, const char *member)
{
  JsonArray *a = fl_json_get_array (value, member);

  return a != NULL && json_array_get_length (a) > 0 ? fl_json_array_string (a, 0) : NULL;
}

static void
keep_aside (LsReader *r, FlDatasetItem *item, JsonNode *element, const char *why)
{
  JsonArray *aside;

  if (item->data == NULL)
    item->data = json_object_new ();
  aside = fl_json_get_array (item->data, "unsupported_results");
  if (aside == NULL)
    {
      aside = json_array_new ();
      json_object_set_array_member (item->data, "unsupported_results", aside);
    }
  json_array_add_element (aside, json_node_copy (element));
  fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_KEPT_ASIDE, r->rel, 0,
                        _ ("task %u: %s; kept in the task's data as unsupported_results"), r->index,
                        why);
}

static void
read_results (LsReader *r, FlDatasetItem *item, JsonArray *results)
{
  gboolean audio = g_strcmp0 (r->ctx->ds->kind, "audio") == 0;
  JsonObject *result;
  g_autoptr (GHashTable) shape_of = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) segment_of = g_hash_table_new (g_str_hash, g_str_equal);

  if (audio)
    result = fl_result_audio_new (item->duration);
  else
    result = fl_result_image_new (item->width, item->height);
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);

  for (guint pass = 0; pass < 2; pass++)
    for (guint k = 0; k < json_array_get_length (results); k++)
      {
        JsonNode *en = json_array_get_element (results, k);
        JsonObject *e = JSON_NODE_HOLDS_OBJECT (en) ? json_node_get_object (en) : NULL;
        JsonObject *value = e ? fl_json_get_object (e, "value") : NULL;
        const char *type = e ? fl_json_string (e, "type", "") : "";
        const char *id = e ? fl_json_string (e, "id", "") : "";
        gboolean is_region = FALSE, ok = TRUE;
        double ow, oh;
        JsonObject *shape;

        if (e == NULL || value == NULL)
          {
            if (pass == 0)
              {
                g_autofree char *why = g_strdup_printf (_ ("result type “%s” is not supported"),
                                                        *type ? type : "(none)");

                keep_aside (r, item, en, why);
              }
            continue;
          }
        /* Regions first; choices and text that refer to them come second. */
        is_region = g_str_has_prefix (type, "rectangle") || g_str_has_prefix (type, "polygon") ||
                    g_str_has_prefix (type, "keypoint") || (audio && g_str_equal (type, "labels"));
        if ((pass == 0) != is_region)
          continue;

        ow = fl_json_double (e, "original_width", item->width);
        oh = fl_json_double (e, "original_height", item->height);
        if (!audio && is_region && (ow <= 0 || oh <= 0))
          {
            keep_aside (r, item, en,
                        _ ("a region without original_width/original_height on an "
                           "image of unknown size"));
            continue;
          }
        if (g_str_equal (type, "rectanglelabels") || g_str_equal (type, "rectangle"))
          {
            double x = value_number (value, "x", &ok), y = value_number (value, "y", &ok);
            double w = value_number (value, "width", &ok), h = value_number (value, "height", &ok);
            double rotation = fl_json_double (value, "rotation", 0);

            if (!ok)
              {
                keep_aside (r, item, en, _ ("a rectangle without numeric x, y, width, height"));
                continue;
              }
            if (rotation != 0)
              {
                keep_aside (r, item, en, _ ("a rotated rectangle (rotation is not supported)"));
                continue;
              }
            shape = fl_result_add_shape (result, "box", first_string (value, "rectanglelabels"));
            json_object_set_double_member (shape, "x", x * ow / 100);
            json_object_set_double_member (shape, "y", y * oh / 100);
            json_object_set_double_member (shape, "width", w * ow / 100);
            json_object_set_double_member (shape, "height", h * oh / 100);
          }
        else if (g_str_equal (type, "polygonlabels") || g_str_equal (type, "polygon"))
          {
            JsonArray *pts = fl_json_get_array (value, "points");
            JsonArray *points = json_array_new ();

            for (guint p = 0; pts != NULL && p < json_array_get_length (pts); p++)
              {
                JsonArray *pt = fl_json_array_array (pts, p);
                double px = fl_json_array_double (pt, 0), py = fl_json_array_double (pt, 1);
                JsonArray *xy;

                if (!isfinite (px) || !isfinite (py))
                  continue;
                xy = json_array_new ();
                json_array_add_double_element (xy, px * ow / 100);
                json_array_add_double_element (xy, py * oh / 100);
                json_array_add_array_element (points, xy);
              }
            if (json_array_get_length (points) < 3)
              {
                json_array_unref (points);
                keep_aside (r, item, en, _ ("a polygon with fewer than three points"));
                continue;
              }
            shape = fl_result_add_shape (result, "polygon", first_string (value, "polygonlabels"));
            json_object_set_array_member (shape, "points", points);
          }
        else if (g_str_equal (type, "keypointlabels") || g_str_equal (type, "keypoint"))
          {
            double x = value_number (value, "x", &ok), y = value_number (value, "y", &ok);

            if (!ok)
              {
                keep_aside (r, item, en, _ ("a keypoint without numeric x, y"));
                continue;
              }
            shape = fl_result_add_shape (result, "point", first_string (value, "keypointlabels"));
            json_object_set_double_member (shape, "x", x * ow / 100);
            json_object_set_double_member (shape, "y", y * oh / 100);
          }
        else if (audio && (g_str_equal (type, "labels") || g_str_equal (type, "textarea")))
          {
            double start = value_number (value, "start", &ok),
                   end = value_number (value, "end", &ok);
            JsonObject *seg;

            if (!ok || start < 0 || end < start)
              {
                if (g_str_equal (type, "textarea") && !json_object_has_member (value, "start"))
                  keep_aside (r, item, en, _ ("a transcription not tied to a region"));
                else
                  keep_aside (r, item, en, _ ("a segment without a valid start and end"));
                continue;
              }
            seg = g_hash_table_lookup (segment_of, id);
            if (seg == NULL)
              {
                fl_result_add_segment (result, start, end, NULL, "");
                seg = json_array_get_object_element (
                  fl_json_get_array (result, "segments"),
                  json_array_get_length (fl_json_get_array (result, "segments")) - 1);
                if (*id != '\0')
                  g_hash_table_insert (segment_of, (gpointer) id, seg);
              }
            if (g_str_equal (type, "labels") && first_string (value, "labels") != NULL)
              json_object_set_string_member (seg, "speaker", first_string (value, "labels"));
            else if (g_str_equal (type, "textarea"))
              {
                JsonArray *texts = fl_json_get_array (value, "text");
                g_autoptr (GString) joined = g_string_new (NULL);

                for (guint t = 0; texts != NULL && t < json_array_get_length (texts); t++)
                  {
                    if (t > 0)
                      g_string_append_c (joined, '\n');
                    g_string_append (joined, fl_json_array_string (texts, t)
                                               ? fl_json_array_string (texts, t)
                                               : "");
                  }
                json_object_set_string_member (seg, "text", joined->str);
              }
          }
        else if (g_str_equal (type, "choices") && *id != '\0' &&
                 g_hash_table_contains (shape_of, id) == FALSE &&
                 json_object_has_member (value, "x"))
          keep_aside (r, item, en, _ ("choices for a region that was not imported"));
        else if (g_str_equal (type, "choices") && g_hash_table_contains (shape_of, id))
          {
            JsonObject *target = g_hash_table_lookup (shape_of, id);
            JsonObject *attrs = fl_json_get_object (target, "attributes");
            const char *choice = first_string (value, "choices");
            const char *from = fl_json_string (e, "from_name", "attr");
            JsonNode *v = json_node_alloc ();

            if (attrs == NULL)
              {
                attrs = json_object_new ();
                json_object_set_object_member (target, "attributes", attrs);
              }
            if (g_strcmp0 (choice, "true") == 0 || g_strcmp0 (choice, "false") == 0)
              json_node_init_boolean (v, g_str_equal (choice, "true"));
            else
              json_node_init_string (v, choice ? choice : "");
            json_object_set_member (attrs, from, v);
          }
        else if (!audio && g_str_equal (type, "choices"))
          {
            JsonArray *choices = fl_json_get_array (value, "choices");

            for (guint c = 0; choices != NULL && c < json_array_get_length (choices); c++)
              if (fl_json_array_string (choices, c) != NULL)
                fl_result_add_tag (result, fl_json_array_string (choices, c));
          }
        else
          {
            g_autofree char *why =
              g_strdup_printf (_ ("result type “%s” is not supported"), *type ? type : "(none)");

            keep_aside (r, item, en, why);
            continue;
          }
        if (is_region && !audio && *id != '\0')
          {
            JsonArray *shapes = fl_json_get_array (result, "shapes");
            JsonObject *last =
              json_array_get_object_element (shapes, json_array_get_length (shapes) - 1);

            g_hash_table_insert (shape_of, (gpointer) id, last);
          }
      }
}

static const char *
media_reference (JsonObject *data)
{
  static const char *const keys[] = { "image", "audio", "img", "url", "file" };
  g_autoptr (GList) members = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = fl_json_string (data, keys[i], NULL);

      if (v != NULL)
        return v;
    }
  /* Labeling configs may name the field anything ($photo, $recording). */
  members = json_object_get_members (data);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *n = json_object_get_member (data, l->data);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        return json_node_get_string (n);
    }
  return NULL;
}

/* Picks the newest annotation that was not cancelled, else the first
 * prediction; the others stay in the task's data. */
static JsonArray *
pick_results (LsReader *r, JsonObject *task, FlDatasetItem *item)
{
  JsonArray *annotations = fl_json_get_array (task, "annotations");
  JsonArray *predictions = fl_json_get_array (task, "predictions");
  JsonArray *picked = NULL;
  guint n_candidates = 0;

  for (guint i = 0; annotations != NULL && i < json_array_get_length (annotations); i++)
    {
      JsonNode *an = json_array_get_element (annotations, i);
      JsonObject *a = JSON_NODE_HOLDS_OBJECT (an) ? json_node_get_object (an) : NULL;

      if (a == NULL || fl_json_bool (a, "was_cancelled", FALSE))
        continue;
      n_candidates++;
      if (fl_json_get_array (a, "result") != NULL)
        picked = fl_json_get_array (a, "result");
    }
  for (guint i = 0; predictions != NULL && i < json_array_get_length (predictions); i++)
    {
      JsonNode *pn = json_array_get_element (predictions, i);
      JsonObject *p = JSON_NODE_HOLDS_OBJECT (pn) ? json_node_get_object (pn) : NULL;

      if (p == NULL)
        continue;
      n_candidates++;
      if (picked == NULL && fl_json_get_array (p, "result") != NULL)
        picked = fl_json_get_array (p, "result");
    }
  if (n_candidates > 1)
    {
      if (item->data == NULL)
        item->data = json_object_new ();
      if (annotations != NULL)
        json_object_set_array_member (item->data, "label_studio_annotations",
                                      json_array_ref (annotations));
      if (predictions != NULL)
        json_object_set_array_member (item->data, "label_studio_predictions",
                                      json_array_ref (predictions));
      fl_import_report_add (r->ctx->report, FL_IMPORT_ENTRY_CHANGED, r->rel, 0,
                            _ ("task %u has %u annotations and predictions; the newest annotation "
                               "(else the first prediction) is the pre-annotation, all are kept in "
                               "the task's data"),
                            r->index, n_candidates);
    }
  return picked;
}

static void
read_ls_task (LsReader *r, JsonNode *element)
{
  FlImportContext *ctx = r->ctx;
  JsonObject *task = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
  JsonObject *data = task ? fl_json_get_object (task, "data") : NULL;
  const char *ref;
  g_autofree char *resolved = NULL;
  FlDatasetItem *item;
  JsonArray *results;
  JsonNode *id;

  r->index++;
  if (data == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, 0,
                            _ ("task %u has no \"data\" object"), r->index);
      return;
    }
  ref = media_reference (data);
  if (ref == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, 0,
                            _ ("task %u: \"data\" names no image or audio"), r->index);
      return;
    }
  resolved = fl_format_resolve_asset (ctx, ref, r->base_dir, r->rel, 0);
  if (resolved == NULL || (item = fl_format_add_asset (ctx, resolved, r->rel, 0)) == NULL)
    return;
  /* A copy: the parsed file may be immutable, and unsupported results are added to it. */
  {
    g_autoptr (JsonNode) copy = json_node_copy (json_object_get_member (task, "data"));

    item->data = json_object_ref (json_node_get_object (copy));
  }
  id = json_object_get_member (task, "id");
  if (id != NULL && JSON_NODE_HOLDS_VALUE (id))
    item->task_id = json_node_get_value_type (id) == G_TYPE_INT64
                      ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id))
                      : g_strdup (json_node_get_string (id));
  results = pick_results (r, task, item);
  if (results != NULL)
    read_results (r, item, results);
}

static gboolean
ls_element (const char *key, JsonNode *element, guint line, gpointer user_data, GError **error)
{
  LsReader *r = user_data;

  if (key == NULL)
    {
      read_ls_task (r, element);
      return TRUE;
    }
  /* A file holding one task object: gather its members back together. */
  r->single = TRUE;
  if (r->single_task == NULL)
    r->single_task = json_object_new ();
  if (JSON_NODE_HOLDS_ARRAY (element) ||
      !(g_str_equal (key, "annotations") || g_str_equal (key, "predictions")))
    json_object_set_member (r->single_task, key, json_node_copy (element));
  else
    {
      JsonArray *list = fl_json_get_array (r->single_task, key);

      if (list == NULL)
        {
          list = json_array_new ();
          json_object_set_array_member (r->single_task, key, list);
        }
      json_array_add_element (list, json_node_copy (element));
    }
  return TRUE;
}

gboolean
fl_format_import_label_studio (FlImportContext *ctx, const char *path, GError **error)
{
  LsReader r = { 0 };
  gboolean ok;

  r.ctx = ctx;
  r.rel = fl_format_relative (ctx, path);
  r.base_dir = g_path_get_dirname (path);
  ok = fl_format_stream_json (ctx, path, ls_element, &r, error);
  if (ok && r.single_task != NULL)
    {
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), r.single_task);

      read_ls_task (&r, node);
    }
  if (ok && r.index == 0 && ctx->ds->items->len == 0)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, 0,
                            _ ("no Label Studio tasks in the file"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                   _ ("%s holds no Label Studio tasks"), r.rel);
      ok = FALSE;
    }
  g_clear_pointer (&r.single_task, json_object_unref);
  g_free (r.rel);
  g_free (r.base_dir);
  return ok;
}
