/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlShape"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fl-shape.h"

G_DEFINE_BOXED_TYPE (FlShape, fl_shape, fl_shape_copy, fl_shape_free)
G_DEFINE_QUARK (fl - shape - error - quark, fl_shape_error)

static FlShape *
fl_shape_alloc (const char *id, const char *label, FlShapeKind kind)
{
  FlShape *shape = g_new0 (FlShape, 1);

  shape->id = g_strdup (id);
  shape->label = g_strdup (label);
  shape->kind = kind;
  return shape;
}

FlShape *
fl_shape_new_box (const char *id, const char *label, double x, double y, double width,
                  double height)
{
  FlShape *shape = fl_shape_alloc (id, label, FL_SHAPE_BOX);

  shape->x = x;
  shape->y = y;
  shape->width = width;
  shape->height = height;
  return shape;
}

FlShape *
fl_shape_new_point (const char *id, const char *label, double x, double y)
{
  FlShape *shape = fl_shape_alloc (id, label, FL_SHAPE_POINT);

  shape->x = x;
  shape->y = y;
  return shape;
}

FlShape *
fl_shape_new_polygon (const char *id, const char *label, const FlPoint *points, guint n_points)
{
  FlShape *shape = fl_shape_alloc (id, label, FL_SHAPE_POLYGON);

  shape->points = g_array_sized_new (FALSE, FALSE, sizeof (FlPoint), n_points);
  if (n_points > 0)
    g_array_append_vals (shape->points, points, n_points);
  return shape;
}

static JsonNode *
deep_copy_node (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
      case JSON_NODE_OBJECT:
        {
          JsonObject *src = json_node_get_object (node);
          g_autoptr (JsonObject) dst = json_object_new ();
          JsonObjectIter iter;
          const char *name;
          JsonNode *member;

          json_object_iter_init (&iter, src);
          while (json_object_iter_next (&iter, &name, &member))
            json_object_set_member (dst, name, deep_copy_node (member));
          copy = json_node_new (JSON_NODE_OBJECT);
          json_node_set_object (copy, dst);
          return copy;
        }
      case JSON_NODE_ARRAY:
        {
          JsonArray *src = json_node_get_array (node);
          g_autoptr (JsonArray) dst = json_array_new ();

          for (guint i = 0; i < json_array_get_length (src); i++)
            json_array_add_element (dst, deep_copy_node (json_array_get_element (src, i)));
          copy = json_node_new (JSON_NODE_ARRAY);
          json_node_set_array (copy, dst);
          return copy;
        }
      case JSON_NODE_VALUE:
      case JSON_NODE_NULL:
      default:
        return json_node_copy (node);
    }
}

FlShape *
fl_shape_copy (const FlShape *shape)
{
  FlShape *copy;

  g_return_val_if_fail (shape != NULL, NULL);

  copy = fl_shape_alloc (shape->id, shape->label, shape->kind);
  copy->x = shape->x;
  copy->y = shape->y;
  copy->width = shape->width;
  copy->height = shape->height;
  if (shape->points != NULL)
    {
      copy->points = g_array_sized_new (FALSE, FALSE, sizeof (FlPoint), shape->points->len);
      g_array_append_vals (copy->points, shape->points->data, shape->points->len);
    }
  if (shape->attributes != NULL)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr (JsonNode) dup = NULL;

      json_node_set_object (node, shape->attributes);
      dup = deep_copy_node (node);
      copy->attributes = json_node_dup_object (dup);
    }
  return copy;
}

void
fl_shape_free (FlShape *shape)
{
  if (shape == NULL)
    return;
  g_free (shape->id);
  g_free (shape->label);
  g_clear_pointer (&shape->points, g_array_unref);
  g_clear_pointer (&shape->attributes, json_object_unref);
  g_free (shape);
}

void
fl_shape_set_id (FlShape *shape, const char *id)
{
  g_return_if_fail (shape != NULL);
  g_free (shape->id);
  shape->id = g_strdup (id);
}

void
fl_shape_set_label (FlShape *shape, const char *label)
{
  g_return_if_fail (shape != NULL);
  g_free (shape->label);
  shape->label = g_strdup (label);
}

/* Takes ownership of @value; NULL removes the attribute. */
void
fl_shape_set_attribute (FlShape *shape, const char *name, JsonNode *value)
{
  g_return_if_fail (shape != NULL);
  g_return_if_fail (name != NULL);

  if (value == NULL)
    {
      if (shape->attributes != NULL)
        json_object_remove_member (shape->attributes, name);
      return;
    }
  if (shape->attributes == NULL)
    shape->attributes = json_object_new ();
  json_object_set_member (shape->attributes, name, value);
}

JsonNode *
fl_shape_get_attribute (const FlShape *shape, const char *name)
{
  g_return_val_if_fail (shape != NULL, NULL);

  if (shape->attributes == NULL || !json_object_has_member (shape->attributes, name))
    return NULL;
  return json_object_get_member (shape->attributes, name);
}

void
fl_shape_get_bounds (const FlShape *shape, FlRect *bounds)
{
  g_return_if_fail (shape != NULL);
  g_return_if_fail (bounds != NULL);

  switch (shape->kind)
    {
      case FL_SHAPE_BOX:
        bounds->x = shape->x;
        bounds->y = shape->y;
        bounds->width = shape->width;
        bounds->height = shape->height;
        break;
      case FL_SHAPE_POINT:
        bounds->x = shape->x;
        bounds->y = shape->y;
        bounds->width = 0;
        bounds->height = 0;
        break;
      case FL_SHAPE_POLYGON:
      default:
        {
          double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

          for (guint i = 0; i < shape->points->len; i++)
            {
              const FlPoint *p = &g_array_index (shape->points, FlPoint, i);

              x0 = MIN (x0, p->x);
              y0 = MIN (y0, p->y);
              x1 = MAX (x1, p->x);
              y1 = MAX (y1, p->y);
            }
          if (shape->points->len == 0)
            x0 = y0 = x1 = y1 = 0;
          bounds->x = x0;
          bounds->y = y0;
          bounds->width = x1 - x0;
          bounds->height = y1 - y0;
        }
        break;
    }
}

void
fl_shape_translate (FlShape *shape, double dx, double dy)
{
  g_return_if_fail (shape != NULL);

  shape->x += dx;
  shape->y += dy;
  if (shape->points != NULL)
    for (guint i = 0; i < shape->points->len; i++)
      {
        FlPoint *p = &g_array_index (shape->points, FlPoint, i);

        p->x += dx;
        p->y += dy;
      }
}

gboolean
fl_shape_equal (const FlShape *a, const FlShape *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->kind != b->kind || g_strcmp0 (a->id, b->id) != 0 || g_strcmp0 (a->label, b->label) != 0)
    return FALSE;
  switch (a->kind)
    {
      case FL_SHAPE_BOX:
        if (a->width != b->width || a->height != b->height)
          return FALSE;
        G_GNUC_FALLTHROUGH;
      case FL_SHAPE_POINT:
        if (a->x != b->x || a->y != b->y)
          return FALSE;
        break;
      case FL_SHAPE_POLYGON:
      default:
        if (a->points->len != b->points->len ||
            memcmp (a->points->data, b->points->data, a->points->len * sizeof (FlPoint)) != 0)
          return FALSE;
        break;
    }
  if (a->attributes == NULL || b->attributes == NULL)
    return (a->attributes == NULL || json_object_get_size (a->attributes) == 0) &&
           (b->attributes == NULL || json_object_get_size (b->attributes) == 0);
  return json_object_equal (a->attributes, b->attributes);
}

double
fl_shape_polygon_area (const FlShape *shape)
{
  double area = 0;
  guint n;

  g_return_val_if_fail (shape != NULL, 0);

  if (shape->kind != FL_SHAPE_POLYGON)
    return 0;
  n = shape->points->len;
  for (guint i = 0; i < n; i++)
    {
      const FlPoint *p = &g_array_index (shape->points, FlPoint, i);
      const FlPoint *q = &g_array_index (shape->points, FlPoint, (i + 1) % n);

      area += p->x * q->y - q->x * p->y;
    }
  return fabs (area) / 2;
}

const char *
fl_shape_kind_to_string (FlShapeKind kind)
{
  switch (kind)
    {
      case FL_SHAPE_BOX:
        return "box";
      case FL_SHAPE_POLYGON:
        return "polygon";
      case FL_SHAPE_POINT:
        return "point";
      default:
        g_return_val_if_reached (NULL);
    }
}

gboolean
fl_shape_kind_from_string (const char *string, FlShapeKind *kind)
{
  static const FlShapeKind kinds[] = { FL_SHAPE_BOX, FL_SHAPE_POLYGON, FL_SHAPE_POINT };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (string, fl_shape_kind_to_string (kinds[i])) == 0)
      {
        *kind = kinds[i];
        return TRUE;
      }
  return FALSE;
}

JsonNode *
fl_shape_to_json (const FlShape *shape)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (shape != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, shape->id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, fl_shape_kind_to_string (shape->kind));
  if (shape->label != NULL)
    {
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, shape->label);
    }
  switch (shape->kind)
    {
      case FL_SHAPE_BOX:
        json_builder_set_member_name (builder, "x");
        json_builder_add_double_value (builder, shape->x);
        json_builder_set_member_name (builder, "y");
        json_builder_add_double_value (builder, shape->y);
        json_builder_set_member_name (builder, "width");
        json_builder_add_double_value (builder, shape->width);
        json_builder_set_member_name (builder, "height");
        json_builder_add_double_value (builder, shape->height);
        break;
      case FL_SHAPE_POINT:
        json_builder_set_member_name (builder, "x");
        json_builder_add_double_value (builder, shape->x);
        json_builder_set_member_name (builder, "y");
        json_builder_add_double_value (builder, shape->y);
        break;
      case FL_SHAPE_POLYGON:
      default:
        json_builder_set_member_name (builder, "points");
        json_builder_begin_array (builder);
        for (guint i = 0; i < shape->points->len; i++)
          {
            const FlPoint *p = &g_array_index (shape->points, FlPoint, i);

            json_builder_begin_array (builder);
            json_builder_add_double_value (builder, p->x);
            json_builder_add_double_value (builder, p->y);
            json_builder_end_array (builder);
          }
        json_builder_end_array (builder);
        break;
    }
  if (shape->attributes != NULL && json_object_get_size (shape->attributes) > 0)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, shape->attributes);
      json_builder_set_member_name (builder, "attributes");
      json_builder_add_value (builder, deep_copy_node (node));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
read_number (JsonObject *object, const char *name, double *value, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
       json_node_get_value_type (node) != G_TYPE_INT64))
    {
      g_set_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                   _ ("The member “%s” is missing or not a number"), name);
      return FALSE;
    }
  *value = json_node_get_double (node);
  if (!isfinite (*value))
    {
      g_set_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                   _ ("The member “%s” is not a finite number"), name);
      return FALSE;
    }
  return TRUE;
}

/* Parses one shape of the result JSON; the geometry is not checked against
 * any image here (see FlImageDocument for clamping). */
FlShape *
fl_shape_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlShape) shape = NULL;
  JsonObject *object;
  const char *type;
  const char *id;
  const char *label;
  FlShapeKind kind;
  JsonNode *attributes;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                           _ ("A shape is not a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  type = json_object_get_string_member_with_default (object, "type", NULL);
  if (type == NULL || !fl_shape_kind_from_string (type, &kind))
    {
      g_set_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID, _ ("Unknown shape type “%s”"),
                   type != NULL ? type : "");
      return NULL;
    }
  id = json_object_get_string_member_with_default (object, "id", NULL);
  label = json_object_get_string_member_with_default (object, "label", NULL);

  switch (kind)
    {
      case FL_SHAPE_BOX:
        {
          double x, y, w, h;

          if (!read_number (object, "x", &x, error) || !read_number (object, "y", &y, error) ||
              !read_number (object, "width", &w, error) ||
              !read_number (object, "height", &h, error))
            return NULL;
          shape = fl_shape_new_box (id, label, x, y, w, h);
        }
        break;
      case FL_SHAPE_POINT:
        {
          double x, y;

          if (!read_number (object, "x", &x, error) || !read_number (object, "y", &y, error))
            return NULL;
          shape = fl_shape_new_point (id, label, x, y);
        }
        break;
      case FL_SHAPE_POLYGON:
      default:
        {
          JsonNode *points = json_object_get_member (object, "points");
          g_autoptr (GArray) array = g_array_new (FALSE, FALSE, sizeof (FlPoint));
          JsonArray *list;

          if (points == NULL || !JSON_NODE_HOLDS_ARRAY (points))
            {
              g_set_error_literal (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                                   _ ("A polygon has no list of points"));
              return NULL;
            }
          list = json_node_get_array (points);
          for (guint i = 0; i < json_array_get_length (list); i++)
            {
              JsonNode *pair = json_array_get_element (list, i);
              JsonArray *xy;
              FlPoint p;

              if (!JSON_NODE_HOLDS_ARRAY (pair) ||
                  json_array_get_length (xy = json_node_get_array (pair)) != 2 ||
                  !JSON_NODE_HOLDS_VALUE (json_array_get_element (xy, 0)) ||
                  !JSON_NODE_HOLDS_VALUE (json_array_get_element (xy, 1)))
                {
                  g_set_error_literal (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                                       _ ("A polygon point is not a pair of numbers"));
                  return NULL;
                }
              p.x = json_array_get_double_element (xy, 0);
              p.y = json_array_get_double_element (xy, 1);
              if (!isfinite (p.x) || !isfinite (p.y))
                {
                  g_set_error_literal (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                                       _ ("A polygon point is not a pair of finite numbers"));
                  return NULL;
                }
              g_array_append_val (array, p);
            }
          shape =
            fl_shape_new_polygon (id, label, (const FlPoint *) (gpointer) array->data, array->len);
        }
        break;
    }

  attributes = json_object_get_member (object, "attributes");
  if (attributes != NULL && JSON_NODE_HOLDS_OBJECT (attributes))
    {
      g_autoptr (JsonNode) dup = deep_copy_node (attributes);

      shape->attributes = json_node_dup_object (dup);
    }
  return g_steal_pointer (&shape);
}
