/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatXml"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "fl-format-private.h"

/* Pascal VOC (Annotations/STEM.xml + JPEGImages/NAME) and CVAT for images 1.1
 * (annotations.xml + images/NAME). Written with GString and escaping, read
 * with libxml2 (no network, no entity expansion; CVAT is read image by image
 * with the streaming reader). VOC has no polygons or points: they are written
 * as <polygon>/<point> extension elements inside <object>, as CVAT's and
 * LabelMe's VOC variants do, with the bounding box filled in. */

static void
append_attribute_elements (GString *out, JsonObject *shape, const char *indent)
{
  JsonObject *attrs = fl_json_get_object (shape, "attributes");
  g_autoptr (GList) names = attrs ? json_object_get_members (attrs) : NULL;

  if (names == NULL)
    return;
  g_string_append_printf (out, "%s<attributes>\n", indent);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (attrs, l->data);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (v));
      else
        text = json_to_string (v, FALSE);
      g_string_append_printf (out, "%s  <attribute><name>", indent);
      fl_format_append_xml_escaped (out, l->data);
      g_string_append (out, "</name><value>");
      fl_format_append_xml_escaped (out, text);
      g_string_append (out, "</value></attribute>\n");
    }
  g_string_append_printf (out, "%s</attributes>\n", indent);
}

static void
append_bndbox (GString *out, double x1, double y1, double x2, double y2)
{
  g_string_append (out, "    <bndbox>\n      <xmin>");
  fl_format_append_number (out, x1);
  g_string_append (out, "</xmin>\n      <ymin>");
  fl_format_append_number (out, y1);
  g_string_append (out, "</ymin>\n      <xmax>");
  fl_format_append_number (out, x2);
  g_string_append (out, "</xmax>\n      <ymax>");
  fl_format_append_number (out, y2);
  g_string_append (out, "</ymax>\n    </bndbox>\n");
}

gboolean
fl_format_export_voc (FlExportContext *ctx, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (!fl_format_copy_assets (ctx, "JPEGImages", error))
    return FALSE;
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      JsonArray *tags = fl_format_result_array (item, "tags");
      g_autofree char *file = g_strdup_printf ("Annotations/%s.xml", ctx->stems[i]);
      int w, h;

      fl_format_image_size (item, &w, &h);
      g_string_truncate (out, 0);
      g_string_append (out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotation>\n"
                            "  <folder>JPEGImages</folder>\n  <filename>");
      fl_format_append_xml_escaped (out, ctx->names[i]);
      g_string_append_printf (out,
                              "</filename>\n  <source><database>Fairlabel</database></source>\n"
                              "  <size>\n    <width>%d</width>\n    <height>%d</height>\n"
                              "    <depth>3</depth>\n  </size>\n  <segmented>0</segmented>\n",
                              w, h);
      for (guint k = 0; tags != NULL && k < json_array_get_length (tags); k++)
        {
          g_string_append (out, "  <tag>");
          fl_format_append_xml_escaped (out, json_array_get_string_element (tags, k));
          g_string_append (out, "</tag>\n");
        }
      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *s = json_array_get_object_element (shapes, k);
          const char *type = fl_format_shape_string (s, "type");

          g_string_append (out, "  <object>\n    <name>");
          fl_format_append_xml_escaped (out, fl_format_shape_string (s, "label"));
          g_string_append (out, "</name>\n    <pose>Unspecified</pose>\n"
                                "    <truncated>0</truncated>\n    <difficult>0</difficult>\n");
          if (g_str_equal (type, "box"))
            {
              double x = fl_format_shape_number (s, "x"), y = fl_format_shape_number (s, "y");

              append_bndbox (out, x, y, x + fl_format_shape_number (s, "width"),
                             y + fl_format_shape_number (s, "height"));
            }
          else if (g_str_equal (type, "polygon"))
            {
              guint n = 0;
              g_autofree double *xy = fl_format_shape_points (s, &n);
              double x1 = G_MAXDOUBLE, y1 = G_MAXDOUBLE, x2 = -G_MAXDOUBLE, y2 = -G_MAXDOUBLE;

              for (guint p = 0; p < n; p++)
                {
                  x1 = MIN (x1, xy[2 * p]);
                  x2 = MAX (x2, xy[2 * p]);
                  y1 = MIN (y1, xy[2 * p + 1]);
                  y2 = MAX (y2, xy[2 * p + 1]);
                }
              append_bndbox (out, x1, y1, x2, y2);
              g_string_append (out, "    <polygon>\n");
              for (guint p = 0; p < n; p++)
                {
                  g_string_append (out, "      <pt><x>");
                  fl_format_append_number (out, xy[2 * p]);
                  g_string_append (out, "</x><y>");
                  fl_format_append_number (out, xy[2 * p + 1]);
                  g_string_append (out, "</y></pt>\n");
                }
              g_string_append (out, "    </polygon>\n");
            }
          else
            {
              double x = fl_format_shape_number (s, "x"), y = fl_format_shape_number (s, "y");

              append_bndbox (out, x, y, x, y);
              g_string_append (out, "    <point><x>");
              fl_format_append_number (out, x);
              g_string_append (out, "</x><y>");
              fl_format_append_number (out, y);
              g_string_append (out, "</y></point>\n");
            }
          append_attribute_elements (out, s, "    ");
          g_string_append (out, "  </object>\n");
        }
      g_string_append (out, "</annotation>\n");
      if (!fl_format_write_file (ctx, file, out, error))
        return FALSE;
    }
  return TRUE;
}

static void
append_cvat_attrs (GString *out, JsonObject *shape)
{
  JsonObject *attrs = fl_json_get_object (shape, "attributes");
  g_autoptr (GList) names = attrs ? json_object_get_members (attrs) : NULL;

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *v = json_object_get_member (attrs, l->data);
      g_autofree char *text = NULL;

      if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (v));
      else
        text = json_to_string (v, FALSE);
      g_string_append (out, "      <attribute name=\"");
      fl_format_append_xml_escaped (out, l->data);
      g_string_append (out, "\">");
      fl_format_append_xml_escaped (out, text);
      g_string_append (out, "</attribute>\n");
    }
}

static void
append_xy (GString *out, double x, double y)
{
  fl_format_append_number (out, x);
  g_string_append_c (out, ',');
  fl_format_append_number (out, y);
}

gboolean
fl_format_export_cvat (FlExportContext *ctx, GError **error)
{
  FlDataset *ds = ctx->ds;
  g_autoptr (GPtrArray) labels = fl_format_collect_labels (ds);
  g_autoptr (GString) out = g_string_new (NULL);
  JsonArray *tags = fl_json_get_array (ds->label_config, "tags");
  g_autoptr (GHashTable) tag_seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *dumped = g_date_time_format (now, "%Y-%m-%d %H:%M:%S+00:00");

  if (!fl_format_copy_assets (ctx, "images", error))
    return FALSE;
  g_string_append (out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n"
                        "  <version>1.1</version>\n  <meta>\n    <task>\n      <name>");
  fl_format_append_xml_escaped (out, ds->project_title ? ds->project_title : "Fairlabel export");
  g_string_append_printf (out,
                          "</name>\n      <size>%u</size>\n      <mode>annotation</mode>\n"
                          "      <labels>\n",
                          ds->items->len);
  for (guint i = 0; i < labels->len; i++)
    {
      g_string_append (out, "        <label><name>");
      fl_format_append_xml_escaped (out, g_ptr_array_index (labels, i));
      g_string_append (out, "</name><type>any</type><attributes></attributes></label>\n");
      g_hash_table_add (tag_seen, g_ptr_array_index (labels, i));
    }
  /* Image tags are labels of type "tag" in CVAT. */
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      const char *tag = json_array_get_string_element (tags, i);

      if (tag == NULL || g_hash_table_contains (tag_seen, tag))
        continue;
      g_hash_table_add (tag_seen, (gpointer) tag);
      g_string_append (out, "        <label><name>");
      fl_format_append_xml_escaped (out, tag);
      g_string_append (out, "</name><type>tag</type><attributes></attributes></label>\n");
    }
  g_string_append_printf (out, "      </labels>\n    </task>\n    <dumped>%s</dumped>\n  </meta>\n",
                          dumped);

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      JsonArray *itags = fl_format_result_array (item, "tags");
      int w, h;

      fl_format_image_size (item, &w, &h);
      g_string_append_printf (out, "  <image id=\"%u\" name=\"", i);
      fl_format_append_xml_escaped (out, ctx->names[i]);
      g_string_append_printf (out, "\" width=\"%d\" height=\"%d\">\n", w, h);
      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          JsonObject *s = json_array_get_object_element (shapes, k);
          const char *type = fl_format_shape_string (s, "type");
          const char *element = g_str_equal (type, "box")       ? "box"
                                : g_str_equal (type, "polygon") ? "polygon"
                                                                : "points";

          g_string_append_printf (out, "    <%s label=\"", element);
          fl_format_append_xml_escaped (out, fl_format_shape_string (s, "label"));
          g_string_append (out, "\" source=\"manual\" occluded=\"0\"");
          if (g_str_equal (type, "box"))
            {
              double x = fl_format_shape_number (s, "x"), y = fl_format_shape_number (s, "y");

              g_string_append (out, " xtl=\"");
              fl_format_append_number (out, x);
              g_string_append (out, "\" ytl=\"");
              fl_format_append_number (out, y);
              g_string_append (out, "\" xbr=\"");
              fl_format_append_number (out, x + fl_format_shape_number (s, "width"));
              g_string_append (out, "\" ybr=\"");
              fl_format_append_number (out, y + fl_format_shape_number (s, "height"));
              g_string_append_c (out, '"');
            }
          else if (g_str_equal (type, "polygon"))
            {
              guint n = 0;
              g_autofree double *xy = fl_format_shape_points (s, &n);

              g_string_append (out, " points=\"");
              for (guint p = 0; p < n; p++)
                {
                  if (p > 0)
                    g_string_append_c (out, ';');
                  append_xy (out, xy[2 * p], xy[2 * p + 1]);
                }
              g_string_append_c (out, '"');
            }
          else
            {
              g_string_append (out, " points=\"");
              append_xy (out, fl_format_shape_number (s, "x"), fl_format_shape_number (s, "y"));
              g_string_append_c (out, '"');
            }
          g_string_append (out, " z_order=\"0\">\n");
          append_cvat_attrs (out, s);
          g_string_append_printf (out, "    </%s>\n", element);
        }
      for (guint k = 0; itags != NULL && k < json_array_get_length (itags); k++)
        {
          g_string_append (out, "    <tag label=\"");
          fl_format_append_xml_escaped (out, json_array_get_string_element (itags, k));
          g_string_append (out, "\" source=\"manual\"></tag>\n");
        }
      g_string_append (out, "  </image>\n");
    }
  g_string_append (out, "</annotations>\n");
  return fl_format_write_file (ctx, "annotations.xml", out, error);
}

/* Reading */

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

static xmlNode *
child (xmlNode *node, const char *name)
{
  for (xmlNode *c = node ? node->children : NULL; c != NULL; c = c->next)
    if (c->type == XML_ELEMENT_NODE && g_str_equal ((const char *) c->name, name))
      return c;
  return NULL;
}

static char *
child_text (xmlNode *node, const char *name)
{
  xmlNode *c = child (node, name);
  xmlChar *text = c ? xmlNodeGetContent (c) : NULL;
  char *copy = text ? g_strstrip (g_strdup ((const char *) text)) : NULL;

  xmlFree (text);
  return copy;
}

static gboolean
child_number (xmlNode *node, const char *name, double *out)
{
  g_autofree char *text = child_text (node, name);
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *out = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*out);
}

static char *
prop (xmlNode *node, const char *name)
{
  xmlChar *v = xmlGetProp (node, (const xmlChar *) name);
  char *copy = v ? g_strdup ((const char *) v) : NULL;

  xmlFree (v);
  return copy;
}

static JsonNode *
attribute_value (const char *text)
{
  JsonNode *node = json_node_alloc ();

  if (g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "false") == 0)
    return json_node_init_boolean (node, g_str_equal (text, "true"));
  return json_node_init_string (node, text ? text : "");
}

static void
read_voc_attributes (JsonObject *shape, xmlNode *object)
{
  xmlNode *attrs = child (object, "attributes");
  JsonObject *out = NULL;

  for (xmlNode *a = attrs ? attrs->children : NULL; a != NULL; a = a->next)
    {
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (a->type != XML_ELEMENT_NODE || !g_str_equal ((const char *) a->name, "attribute"))
        continue;
      name = child_text (a, "name");
      value = child_text (a, "value");
      if (name == NULL)
        continue;
      if (out == NULL)
        out = json_object_new ();
      json_object_set_member (out, name, attribute_value (value));
    }
  if (out != NULL)
    json_object_set_object_member (shape, "attributes", out);
}

static void
read_voc_file (FlImportContext *ctx, const char *path, const char *root_dir)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *xml_dir = g_path_get_dirname (path);
  g_autofree char *filename = NULL;
  g_autofree char *resolved = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  xmlDoc *doc;
  xmlNode *root;
  FlDatasetItem *item;
  JsonObject *result;
  double w = 0, h = 0;

  if (!fl_format_read_text (ctx, path, &text, &len, &local))
    {
      if (!g_error_matches (local, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0, "%s", local->message);
      return;
    }
  doc = xmlReadMemory (text, (int) len, path, NULL, XML_OPTIONS);
  root = doc ? xmlDocGetRootElement (doc) : NULL;
  if (root == NULL || !g_str_equal ((const char *) root->name, "annotation"))
    {
      const xmlError *err = xmlGetLastError ();

      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, err ? err->line : 0, "%s",
                            root == NULL ? "not well-formed XML"
                                         : "not a Pascal VOC file (root is not <annotation>)");
      xmlFreeDoc (doc);
      return;
    }
  filename = child_text (root, "filename");
  if (filename == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0, _ ("no <filename>"));
      xmlFreeDoc (doc);
      return;
    }
  {
    /* Images sit in JPEGImages/ beside Annotations/, or beside the XML. */
    g_autofree char *voc_images = g_build_filename (root_dir, "JPEGImages", filename, NULL);
    g_autofree char *ref = g_file_test (voc_images, G_FILE_TEST_EXISTS)
                             ? g_build_filename ("JPEGImages", filename, NULL)
                             : NULL;

    resolved = ref ? fl_format_resolve_asset (ctx, ref, root_dir, rel, 0)
                   : fl_format_resolve_asset (ctx, filename, xml_dir, rel, 0);
  }
  if (resolved == NULL || (item = fl_format_add_asset (ctx, resolved, rel, 0)) == NULL)
    {
      xmlFreeDoc (doc);
      return;
    }
  child_number (child (root, "size"), "width", &w);
  child_number (child (root, "size"), "height", &h);
  if (item->width > 0 && item->height > 0 && (w != item->width || h != item->height))
    {
      if (w > 0)
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_CHANGED, rel, 0,
                              _ ("<size> says %gx%g, the image is %dx%d; the image's size is used"),
                              w, h, item->width, item->height);
      w = item->width;
      h = item->height;
    }
  result = fl_result_image_new ((int) w, (int) h);
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);

  for (xmlNode *o = root->children; o != NULL; o = o->next)
    {
      g_autofree char *name = NULL;
      xmlNode *box, *poly, *pt;
      double x1, y1, x2, y2;
      JsonObject *shape;
      guint line = xmlGetLineNo (o) > 0 ? (guint) xmlGetLineNo (o) : 0;

      if (o->type != XML_ELEMENT_NODE)
        continue;
      if (g_str_equal ((const char *) o->name, "tag"))
        {
          xmlChar *t = xmlNodeGetContent (o);

          if (t != NULL && *t != '\0')
            fl_result_add_tag (result, g_strstrip ((char *) t));
          xmlFree (t);
          continue;
        }
      if (!g_str_equal ((const char *) o->name, "object"))
        continue;
      name = child_text (o, "name");
      box = child (o, "bndbox");
      poly = child (o, "polygon");
      pt = child (o, "point");
      if (name == NULL)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("object without a <name>"));
          continue;
        }
      if (pt != NULL)
        {
          double x, y;

          if (!child_number (pt, "x", &x) || !child_number (pt, "y", &y))
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                    _ ("point of “%s” is not numeric"), name);
              continue;
            }
          if (w > 0 && (x < 0 || y < 0 || x > w || y > h))
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                    _ ("point of “%s” at %g,%g lies outside the %gx%g image"), name,
                                    x, y, w, h);
              continue;
            }
          shape = fl_result_add_shape (result, "point", name);
          json_object_set_double_member (shape, "x", x);
          json_object_set_double_member (shape, "y", y);
          read_voc_attributes (shape, o);
          continue;
        }
      if (poly != NULL)
        {
          JsonArray *points = json_array_new ();
          gboolean ok = TRUE;

          for (xmlNode *p = poly->children; p != NULL && ok; p = p->next)
            {
              double x, y;
              JsonArray *xy;

              if (p->type != XML_ELEMENT_NODE)
                continue;
              ok = child_number (p, "x", &x) && child_number (p, "y", &y);
              if (!ok)
                break;
              xy = json_array_new ();
              json_array_add_double_element (xy, x);
              json_array_add_double_element (xy, y);
              json_array_add_array_element (points, xy);
            }
          if (!ok || json_array_get_length (points) < 3)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                    _ ("polygon of “%s” needs at least three numeric points"),
                                    name);
              json_array_unref (points);
              continue;
            }
          shape = fl_result_add_shape (result, "polygon", name);
          json_object_set_array_member (shape, "points", points);
          read_voc_attributes (shape, o);
          continue;
        }
      if (box == NULL || !child_number (box, "xmin", &x1) || !child_number (box, "ymin", &y1) ||
          !child_number (box, "xmax", &x2) || !child_number (box, "ymax", &y2))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("object “%s” has no numeric <bndbox>"), name);
          continue;
        }
      if (x2 <= x1 || y2 <= y1)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("box of “%s” has no area (%g,%g to %g,%g)"), name, x1, y1, x2,
                                y2);
          continue;
        }
      if (w > 0 && h > 0 && (x1 < 0 || y1 < 0 || x2 > w || y2 > h))
        {
          double cx1 = CLAMP (x1, 0, w), cy1 = CLAMP (y1, 0, h);
          double cx2 = CLAMP (x2, 0, w), cy2 = CLAMP (y2, 0, h);

          if (cx2 <= cx1 || cy2 <= cy1)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                    _ ("box of “%s” (%g,%g to %g,%g) lies outside the %gx%g image"),
                                    name, x1, y1, x2, y2, w, h);
              continue;
            }
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_CHANGED, rel, line,
                                _ ("box of “%s” (%g,%g to %g,%g) reaches outside the %gx%g image; "
                                   "clipped to it"),
                                name, x1, y1, x2, y2, w, h);
          x1 = cx1, y1 = cy1, x2 = cx2, y2 = cy2;
        }
      shape = fl_result_add_shape (result, "box", name);
      json_object_set_double_member (shape, "x", x1);
      json_object_set_double_member (shape, "y", y1);
      json_object_set_double_member (shape, "width", x2 - x1);
      json_object_set_double_member (shape, "height", y2 - y1);
      read_voc_attributes (shape, o);
    }
  xmlFreeDoc (doc);
}

gboolean
fl_format_import_voc (FlImportContext *ctx, const char *path, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *root_dir = NULL;

  if (!fl_format_ensure_kind (ctx, "image", path, error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *ann = g_build_filename (path, "Annotations", NULL);
      const char *dir = g_file_test (ann, G_FILE_TEST_IS_DIR) ? ann : path;
      g_autoptr (GDir) d = g_dir_open (dir, 0, error);
      const char *name;

      if (d == NULL)
        return FALSE;
      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".xml") && name[0] != '.')
          g_ptr_array_add (files, g_build_filename (dir, name, NULL));
      g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
      root_dir = g_strdup (path);
    }
  else
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *base = g_path_get_basename (dir);

      g_ptr_array_add (files, g_strdup (path));
      root_dir = g_str_equal (base, "Annotations") ? g_path_get_dirname (dir) : g_strdup (dir);
    }
  for (guint i = 0; i < files->len; i++)
    read_voc_file (ctx, g_ptr_array_index (files, i), root_dir);
  return TRUE;
}

/* CVAT */

static void
read_cvat_image (FlImportContext *ctx, const char *rel, const char *base_dir, xmlNode *image)
{
  g_autofree char *name = prop (image, "name");
  g_autofree char *resolved = NULL;
  g_autofree char *ws = prop (image, "width");
  g_autofree char *hs = prop (image, "height");
  guint line = xmlGetLineNo (image) > 0 ? (guint) xmlGetLineNo (image) : 0;
  FlDatasetItem *item;
  JsonObject *result;

  if (name == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("<image> without a name"));
      return;
    }
  resolved = fl_format_resolve_asset (ctx, name, base_dir, rel, line);
  if (resolved == NULL || (item = fl_format_add_asset (ctx, resolved, rel, line)) == NULL)
    return;
  result = fl_result_image_new (item->width > 0 ? item->width : (ws ? atoi (ws) : 0),
                                item->height > 0 ? item->height : (hs ? atoi (hs) : 0));
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);

  for (xmlNode *c = image->children; c != NULL; c = c->next)
    {
      const char *element = (const char *) c->name;
      g_autofree char *label = NULL;
      g_autofree char *points = NULL;
      JsonObject *attrs = NULL;
      guint cline;

      if (c->type != XML_ELEMENT_NODE)
        continue;
      cline = xmlGetLineNo (c) > 0 ? (guint) xmlGetLineNo (c) : line;
      label = prop (c, "label");
      if (label == NULL)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, cline,
                                _ ("<%s> without a label"), element);
          continue;
        }
      for (xmlNode *a = c->children; a != NULL; a = a->next)
        if (a->type == XML_ELEMENT_NODE && g_str_equal ((const char *) a->name, "attribute"))
          {
            g_autofree char *aname = prop (a, "name");
            xmlChar *value = xmlNodeGetContent (a);

            if (aname != NULL)
              {
                if (attrs == NULL)
                  attrs = json_object_new ();
                json_object_set_member (attrs, aname, attribute_value ((const char *) value));
              }
            xmlFree (value);
          }

      if (g_str_equal (element, "tag"))
        fl_result_add_tag (result, label);
      else if (g_str_equal (element, "box"))
        {
          g_autofree char *xtl = prop (c, "xtl"), *ytl = prop (c, "ytl");
          g_autofree char *xbr = prop (c, "xbr"), *ybr = prop (c, "ybr");
          g_autofree char *rotation = prop (c, "rotation");
          JsonObject *shape;
          double x1, y1, x2, y2;

          if (xtl == NULL || ytl == NULL || xbr == NULL || ybr == NULL)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, cline,
                                    _ ("box without xtl, ytl, xbr and ybr"));
              continue;
            }
          x1 = g_ascii_strtod (xtl, NULL), y1 = g_ascii_strtod (ytl, NULL);
          x2 = g_ascii_strtod (xbr, NULL), y2 = g_ascii_strtod (ybr, NULL);
          if (rotation != NULL && g_ascii_strtod (rotation, NULL) != 0)
            fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_CHANGED, rel, cline,
                                  _ ("rotated box of “%s” imported without its rotation"), label);
          shape = fl_result_add_shape (result, "box", label);
          json_object_set_double_member (shape, "x", x1);
          json_object_set_double_member (shape, "y", y1);
          json_object_set_double_member (shape, "width", x2 - x1);
          json_object_set_double_member (shape, "height", y2 - y1);
          if (attrs != NULL)
            json_object_set_object_member (shape, "attributes", g_steal_pointer (&attrs));
        }
      else if ((g_str_equal (element, "polygon") || g_str_equal (element, "points")) &&
               (points = prop (c, "points")) != NULL)
        {
          g_auto (GStrv) pairs = g_strsplit (points, ";", -1);
          JsonArray *list = json_array_new ();

          for (guint p = 0; pairs[p] != NULL; p++)
            {
              double x, y;
              char *end = NULL;
              JsonArray *xy;

              x = g_ascii_strtod (pairs[p], &end);
              if (end == NULL || *end != ',')
                continue;
              y = g_ascii_strtod (end + 1, NULL);
              xy = json_array_new ();
              json_array_add_double_element (xy, x);
              json_array_add_double_element (xy, y);
              json_array_add_array_element (list, xy);
            }
          if (g_str_equal (element, "polygon"))
            {
              JsonObject *shape;

              if (json_array_get_length (list) < 3)
                {
                  fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, cline,
                                        _ ("polygon with fewer than three points"));
                  json_array_unref (list);
                  continue;
                }
              shape = fl_result_add_shape (result, "polygon", label);
              json_object_set_array_member (shape, "points", list);
              if (attrs != NULL)
                json_object_set_object_member (shape, "attributes", g_steal_pointer (&attrs));
            }
          else
            {
              for (guint p = 0; p < json_array_get_length (list); p++)
                {
                  JsonArray *xy = json_array_get_array_element (list, p);
                  JsonObject *shape = fl_result_add_shape (result, "point", label);

                  json_object_set_double_member (shape, "x", json_array_get_double_element (xy, 0));
                  json_object_set_double_member (shape, "y", json_array_get_double_element (xy, 1));
                  if (attrs != NULL)
                    json_object_set_object_member (shape, "attributes", json_object_ref (attrs));
                }
              json_array_unref (list);
            }
        }
      else
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, cline,
                              _ ("<%s> shapes are not supported"), element);
      g_clear_pointer (&attrs, json_object_unref);
    }
}

gboolean
fl_format_import_cvat (FlImportContext *ctx, const char *path, GError **error)
{
  g_autofree char *file = g_file_test (path, G_FILE_TEST_IS_DIR)
                            ? g_build_filename (path, "annotations.xml", NULL)
                            : g_strdup (path);
  g_autofree char *rel = NULL;
  g_autofree char *dir = g_path_get_dirname (file);
  xmlTextReader *reader;
  gboolean saw_root = FALSE;
  int ret;

  if (!fl_format_ensure_kind (ctx, "image", path, error))
    return FALSE;
  rel = fl_format_relative (ctx, file);
  /* The streaming reader keeps one <image> in memory at a time. */
  reader = xmlReaderForFile (file, NULL, XML_OPTIONS);
  if (reader == NULL)
    {
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("Cannot read %s"), rel);
      return FALSE;
    }
  ret = xmlTextReaderRead (reader);
  while (ret == 1)
    {
      const char *name = (const char *) xmlTextReaderConstName (reader);

      if (xmlTextReaderNodeType (reader) != XML_READER_TYPE_ELEMENT)
        {
          ret = xmlTextReaderRead (reader);
          continue;
        }
      if (!saw_root)
        {
          saw_root = TRUE;
          if (!g_str_equal (name, "annotations"))
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 1,
                                    _ ("not CVAT for images: the root is <%s>"), name);
              xmlFreeTextReader (reader);
              g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                           _ ("%s is not a CVAT for images file"), rel);
              return FALSE;
            }
          ret = xmlTextReaderRead (reader);
          continue;
        }
      if (g_str_equal (name, "image"))
        {
          xmlNode *node;

          if (g_cancellable_is_cancelled (ctx->cancellable))
            break;
          node = xmlTextReaderExpand (reader);

          if (node != NULL)
            read_cvat_image (ctx, rel, dir, node);
          ret = xmlTextReaderNext (reader);
          continue;
        }
      ret = xmlTextReaderRead (reader);
    }
  if (ret < 0 || !saw_root)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel,
                            (guint) MAX (0, xmlTextReaderGetParserLineNumber (reader)),
                            _ ("not well-formed XML; the rest of the file was not read"));
      if (!saw_root)
        {
          xmlFreeTextReader (reader);
          g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                       _ ("%s is not well-formed XML"), rel);
          return FALSE;
        }
    }
  xmlFreeTextReader (reader);
  return TRUE;
}
