/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "fl-raster.h"

G_BEGIN_DECLS

/* Called as rows of the quarter-size RGB image are made, with how many are
 * done, on a thread of the decoder's own: not the caller's, and not the one
 * decoding, which goes on meanwhile. */
typedef void (*FlImageJpegRowsFunc) (FlRaster *quarter, int rows, gpointer user_data);

FlRaster *fl_image_jpeg_decode_planes (const guint8 *data, gsize length, GCancellable *cancellable,
                                       FlRaster **quarter, guint *orientation, gboolean *planar,
                                       FlImageJpegRowsFunc quarter_rows, gpointer user_data,
                                       GError **error);
FlRaster *fl_image_jpeg_decode_eighth (const guint8 *data, gsize length, GCancellable *cancellable);
guint fl_image_jpeg_read_orientation (const guint8 *data, gsize length);
gboolean fl_image_jpeg_is_progressive (const guint8 *data, gsize length);
gboolean fl_image_jpeg_is_complete (const guint8 *data, gsize length);

G_END_DECLS
