/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

/* The planes of a Y'CbCr raster, as a JPEG stores them. */
typedef enum
{
  FL_RASTER_PLANE_Y,
  FL_RASTER_PLANE_CB,
  FL_RASTER_PLANE_CR,
} FlRasterPlane;

#define FL_TYPE_RASTER (fl_raster_get_type ())
G_DECLARE_FINAL_TYPE (FlRaster, fl_raster, FL, RASTER, GObject)

FlRaster *fl_raster_new_for_pixbuf (GdkPixbuf *pixbuf);
FlRaster *fl_raster_new_ycbcr (int width, int height, guint chroma_shift_x, guint chroma_shift_y,
                               gboolean gray);
FlRaster *fl_raster_new_half_of (FlRaster *parent);
int fl_raster_get_width (FlRaster *self);
int fl_raster_get_height (FlRaster *self);
gboolean fl_raster_get_has_alpha (FlRaster *self);
gsize fl_raster_get_byte_size (FlRaster *self);
GdkPixbuf *fl_raster_get_pixbuf (FlRaster *self);
gboolean fl_raster_is_gray (FlRaster *self);
void fl_raster_get_chroma_shift (FlRaster *self, guint *shift_x, guint *shift_y);
guint8 *fl_raster_get_plane (FlRaster *self, FlRasterPlane plane, int *width, int *height,
                             int *stride);
GBytes *fl_raster_read (FlRaster *self, int x, int y, int width, int height, gsize *stride);
GdkPixbuf *fl_raster_to_pixbuf (FlRaster *self);
FlRaster *fl_raster_new_half (FlRaster *self);
void fl_raster_halve_rows (FlRaster *self, FlRaster *half, FlRasterPlane plane, int first, int end);
FlRaster *fl_raster_halve (FlRaster *self);
void fl_raster_convert_rows (FlRaster *self, FlRaster *rgb, int first, int end);
FlRaster *fl_raster_orient (FlRaster *self, guint orientation);
void fl_raster_sample (FlRaster *self, double x, double y, double step, gboolean smooth,
                       guint8 *dest, int dest_stride, int width, int height);

G_END_DECLS
