/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  FL_SHAPE_BOX,
  FL_SHAPE_POLYGON,
  FL_SHAPE_POINT,
} FlShapeKind;

typedef struct
{
  double x;
  double y;
} FlPoint;

typedef struct
{
  double x;
  double y;
  double width;
  double height;
} FlRect;

/* A shape of the image result JSON, in image pixel coordinates. A box uses
 * x, y, width and height; a point uses x and y; a polygon uses points. */
typedef struct
{
  char *id;
  FlShapeKind kind;
  char *label;
  double x;
  double y;
  double width;
  double height;
  GArray *points;
  JsonObject *attributes;
} FlShape;

#define FL_TYPE_SHAPE (fl_shape_get_type ())

GType fl_shape_get_type (void) G_GNUC_CONST;
FlShape *fl_shape_new_box (const char *id, const char *label, double x, double y, double width,
                           double height);
FlShape *fl_shape_new_point (const char *id, const char *label, double x, double y);
FlShape *fl_shape_new_polygon (const char *id, const char *label, const FlPoint *points,
                               guint n_points);
FlShape *fl_shape_copy (const FlShape *shape);
void fl_shape_free (FlShape *shape);
void fl_shape_set_id (FlShape *shape, const char *id);
void fl_shape_set_label (FlShape *shape, const char *label);
void fl_shape_set_attribute (FlShape *shape, const char *name, JsonNode *value);
JsonNode *fl_shape_get_attribute (const FlShape *shape, const char *name);
void fl_shape_get_bounds (const FlShape *shape, FlRect *bounds);
void fl_shape_translate (FlShape *shape, double dx, double dy);
gboolean fl_shape_equal (const FlShape *a, const FlShape *b);
double fl_shape_polygon_area (const FlShape *shape);
const char *fl_shape_kind_to_string (FlShapeKind kind);
gboolean fl_shape_kind_from_string (const char *string, FlShapeKind *kind);
JsonNode *fl_shape_to_json (const FlShape *shape);
FlShape *fl_shape_new_from_json (JsonNode *node, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlShape, fl_shape_free)

#define FL_SHAPE_ERROR (fl_shape_error_quark ())
GQuark fl_shape_error_quark (void);

typedef enum
{
  FL_SHAPE_ERROR_INVALID,
} FlShapeError;

G_END_DECLS
