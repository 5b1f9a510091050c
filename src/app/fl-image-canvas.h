/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fl-image-document.h"
#include "fl-label-config.h"
#include "fl-raster.h"

G_BEGIN_DECLS

typedef enum
{
  FL_IMAGE_TOOL_SELECT,
  FL_IMAGE_TOOL_BOX,
  FL_IMAGE_TOOL_POLYGON,
  FL_IMAGE_TOOL_POINT,
} FlImageTool;

#define FL_TYPE_IMAGE_CANVAS (fl_image_canvas_get_type ())
G_DECLARE_FINAL_TYPE (FlImageCanvas, fl_image_canvas, FL, IMAGE_CANVAS, GtkWidget)

GtkWidget *fl_image_canvas_new (void);
void fl_image_canvas_reset (FlImageCanvas *self, int image_width, int image_height);
void fl_image_canvas_add_level (FlImageCanvas *self, guint level, FlRaster *raster);
void fl_image_canvas_prepare_level (FlImageCanvas *self, guint level, FlRaster *raster, int rows);
gboolean fl_image_canvas_has_level (FlImageCanvas *self, guint level);
int fl_image_canvas_get_drawn_level (FlImageCanvas *self);
gboolean fl_image_canvas_get_image_in_layer (FlImageCanvas *self);
int fl_image_canvas_get_ideal_level (FlImageCanvas *self);
guint fl_image_canvas_get_drawn_shapes (FlImageCanvas *self);
guint fl_image_canvas_get_drawn_tiles (FlImageCanvas *self);
gint64 fl_image_canvas_get_snapshot_time (FlImageCanvas *self);
void fl_image_canvas_set_document (FlImageCanvas *self, FlImageDocument *document);
void fl_image_canvas_set_label_config (FlImageCanvas *self, FlLabelConfig *config);

void fl_image_canvas_set_tool (FlImageCanvas *self, FlImageTool tool);
FlImageTool fl_image_canvas_get_tool (FlImageCanvas *self);
void fl_image_canvas_set_current_label (FlImageCanvas *self, const char *label);
const char *fl_image_canvas_get_current_label (FlImageCanvas *self);
void fl_image_canvas_set_shapes_visible (FlImageCanvas *self, gboolean visible);
gboolean fl_image_canvas_get_shapes_visible (FlImageCanvas *self);

double fl_image_canvas_get_zoom (FlImageCanvas *self);
void fl_image_canvas_zoom_at (FlImageCanvas *self, double factor, double widget_x, double widget_y);
void fl_image_canvas_zoom_by (FlImageCanvas *self, double factor);
void fl_image_canvas_zoom_to_fit (FlImageCanvas *self);
void fl_image_canvas_zoom_to_actual (FlImageCanvas *self);
void fl_image_canvas_set_view (FlImageCanvas *self, double zoom, double center_x, double center_y);
void fl_image_canvas_image_to_widget (FlImageCanvas *self, double x, double y, double *widget_x,
                                      double *widget_y);
void fl_image_canvas_widget_to_image (FlImageCanvas *self, double widget_x, double widget_y,
                                      double *x, double *y);

GStrv fl_image_canvas_dup_selection (FlImageCanvas *self);
void fl_image_canvas_select (FlImageCanvas *self, const char *const *ids);
void fl_image_canvas_select_all (FlImageCanvas *self);
gboolean fl_image_canvas_cancel (FlImageCanvas *self);
void fl_image_canvas_delete_selection (FlImageCanvas *self);
void fl_image_canvas_duplicate_selection (FlImageCanvas *self);
void fl_image_canvas_nudge_selection (FlImageCanvas *self, double dx, double dy);
void fl_image_canvas_relabel_selection (FlImageCanvas *self, const char *label);
gboolean fl_image_canvas_finish_polygon (FlImageCanvas *self);
gboolean fl_image_canvas_remove_polygon_point (FlImageCanvas *self);
guint fl_image_canvas_get_draft_length (FlImageCanvas *self);

G_END_DECLS
