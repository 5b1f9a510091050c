/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fl-shape.h"

G_BEGIN_DECLS

#define FL_TYPE_IMAGE_DOCUMENT (fl_image_document_get_type ())
G_DECLARE_FINAL_TYPE (FlImageDocument, fl_image_document, FL, IMAGE_DOCUMENT, GObject)

FlImageDocument *fl_image_document_new (int width, int height);
int fl_image_document_get_width (FlImageDocument *self);
int fl_image_document_get_height (FlImageDocument *self);
guint fl_image_document_get_n_shapes (FlImageDocument *self);
const FlShape *fl_image_document_get_shape (FlImageDocument *self, guint index);
const FlShape *fl_image_document_lookup (FlImageDocument *self, const char *id);
char *fl_image_document_next_id (FlImageDocument *self);

void fl_image_document_begin (FlImageDocument *self);
void fl_image_document_end (FlImageDocument *self);
void fl_image_document_add (FlImageDocument *self, FlShape *shape);
void fl_image_document_remove (FlImageDocument *self, const char *id);
void fl_image_document_replace (FlImageDocument *self, FlShape *shape);
void fl_image_document_set_tags (FlImageDocument *self, const char *const *tags);
const char *const *fl_image_document_get_tags (FlImageDocument *self);
gboolean fl_image_document_has_tag (FlImageDocument *self, const char *tag);
void fl_image_document_toggle_tag (FlImageDocument *self, const char *tag);

gboolean fl_image_document_can_undo (FlImageDocument *self);
gboolean fl_image_document_can_redo (FlImageDocument *self);
gboolean fl_image_document_undo (FlImageDocument *self);
gboolean fl_image_document_redo (FlImageDocument *self);

gboolean fl_image_document_clamp_shape (FlImageDocument *self, FlShape *shape);
gboolean fl_image_document_load_result (FlImageDocument *self, JsonNode *result,
                                        GPtrArray **warnings, GError **error);
GPtrArray *fl_image_document_import_shapes (FlImageDocument *self, JsonNode *result,
                                            GPtrArray **warnings);
JsonNode *fl_image_document_to_json (FlImageDocument *self);

G_END_DECLS
