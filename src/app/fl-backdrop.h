/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_BACKDROP (fl_backdrop_get_type ())
G_DECLARE_FINAL_TYPE (FlBackdrop, fl_backdrop, FL, BACKDROP, AdwBin)

GtkWidget *fl_backdrop_new (void);

/* Painting a background beneath a widget that covers it is work thrown
 * away, which a software renderer pays for every pixel of every frame. A
 * widget that paints every pixel of its own while mapped says so; the
 * backdrop above it, which stands in for its window's background, leaves
 * that place out. Nothing happens without a backdrop among the ancestors. */
void fl_backdrop_add_opaque (GtkWidget *widget);
void fl_backdrop_remove_opaque (GtkWidget *widget);

/* The places left out in the last frame. */
guint fl_backdrop_get_n_holes (FlBackdrop *self);

/* The colour of the window's background in the present style. */
void fl_backdrop_get_window_color (GtkWidget *widget, GdkRGBA *color);

G_END_DECLS
