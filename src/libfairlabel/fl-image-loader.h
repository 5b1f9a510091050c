/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gio.h>

#include "fl-raster.h"

G_BEGIN_DECLS

#define FL_IMAGE_LOADER_ERROR (fl_image_loader_error_quark ())
GQuark fl_image_loader_error_quark (void);

typedef enum
{
  FL_IMAGE_LOADER_ERROR_UNSUPPORTED,
  FL_IMAGE_LOADER_ERROR_TOO_LARGE,
  FL_IMAGE_LOADER_ERROR_CORRUPT,
  FL_IMAGE_LOADER_ERROR_NOT_FOUND,
} FlImageLoaderError;

/* Images above this many pixels are refused before anything is decoded. */
#define FL_IMAGE_LOADER_DEFAULT_MAX_PIXELS (100 * 1000 * 1000)

#define FL_TYPE_IMAGE_LOADER (fl_image_loader_get_type ())
G_DECLARE_FINAL_TYPE (FlImageLoader, fl_image_loader, FL, IMAGE_LOADER, GObject)

FlImageLoader *fl_image_loader_new (void);
void fl_image_loader_set_max_pixels (FlImageLoader *self, guint64 max_pixels);
guint64 fl_image_loader_get_max_pixels (FlImageLoader *self);
void fl_image_loader_load_async (FlImageLoader *self, GFile *file, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_image_loader_load_finish (FlImageLoader *self, GAsyncResult *result, GError **error);

G_END_DECLS
