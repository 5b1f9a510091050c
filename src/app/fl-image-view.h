/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "fl-image-canvas.h"
#include "fl-image-document.h"

G_BEGIN_DECLS

/* The image labeling view hosted by the task page. Signals: "changed" after
 * every edit (for autosave), "load-failed" (const char *message) when the
 * image or the label configuration cannot be used (the view then shows the
 * message itself), "ready" once the image size is known and shapes can be
 * edited. Every command is a widget action "image.*", bound to its key. */
#define FL_TYPE_IMAGE_VIEW (fl_image_view_get_type ())
G_DECLARE_FINAL_TYPE (FlImageView, fl_image_view, FL, IMAGE_VIEW, GtkWidget)

GtkWidget *fl_image_view_new (void);
void fl_image_view_load (FlImageView *self, GFile *asset, JsonObject *label_config,
                         JsonNode *pre_annotation);
/* A new node with the result JSON, or NULL while no image is loaded. */
JsonNode *fl_image_view_get_result (FlImageView *self);
/* The result of the task before, for "image.copy-previous" (Ctrl+Shift+V). */
void fl_image_view_set_previous_result (FlImageView *self, JsonNode *previous_result);
FlImageCanvas *fl_image_view_get_canvas (FlImageView *self);
FlImageDocument *fl_image_view_get_document (FlImageView *self);
const char *fl_image_view_get_warning (FlImageView *self);
const char *fl_image_view_get_error (FlImageView *self);

G_END_DECLS
