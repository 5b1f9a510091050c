/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FL_TYPE_TEXTURE_MAKER (fl_texture_maker_get_type ())
G_DECLARE_FINAL_TYPE (FlTextureMaker, fl_texture_maker, FL, TEXTURE_MAKER, GObject)

void fl_texture_maker_tune_rasterizer (void);
FlTextureMaker *fl_texture_maker_new (GtkWidget *widget);
GdkTexture *fl_texture_maker_make (FlTextureMaker *self, GdkMemoryFormat format, int width,
                                   int height, GBytes *bytes, gsize stride);
gboolean fl_texture_maker_uses_gl (FlTextureMaker *self);
gboolean fl_texture_maker_draws_in_software (FlTextureMaker *self);

G_END_DECLS
