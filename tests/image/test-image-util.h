/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

GdkPixbuf *fl_test_make_pattern (int width, int height, gboolean alpha);
GdkPixbuf *fl_test_make_street (int width, int height);
void fl_test_pixel (GdkPixbuf *pixbuf, int x, int y, guint8 *r, guint8 *g, guint8 *b);
void fl_test_write_rotated_jpeg (const char *path, int width, int height, guint orientation);
void fl_test_write_jpeg (const char *path, GdkPixbuf *pixbuf, const char *kind, int h_samp,
                         int v_samp, guint orientation);
double fl_test_mean_difference (GdkPixbuf *a, GdkPixbuf *b);
void fl_test_write_png_bomb (const char *path, guint32 width, guint32 height);

G_END_DECLS
