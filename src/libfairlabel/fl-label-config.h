/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FL_LABEL_CONFIG_ERROR (fl_label_config_error_quark ())
GQuark fl_label_config_error_quark (void);

typedef enum
{
  FL_LABEL_CONFIG_ERROR_INVALID,
  FL_LABEL_CONFIG_ERROR_DUPLICATE_HOTKEY,
  FL_LABEL_CONFIG_ERROR_DUPLICATE_NAME,
} FlLabelConfigError;

typedef struct
{
  double red;
  double green;
  double blue;
} FlColor;

typedef struct
{
  char *name;
  FlColor color;
  /* '1'..'9', or 0 when the class has no hotkey */
  char hotkey;
  /* objects with "name" and "type" ("bool" or free text) */
  JsonArray *attributes;
} FlLabelClass;

#define FL_TYPE_LABEL_CONFIG (fl_label_config_get_type ())
G_DECLARE_FINAL_TYPE (FlLabelConfig, fl_label_config, FL, LABEL_CONFIG, GObject)

FlLabelConfig *fl_label_config_new_from_json (JsonObject *config, GError **error);
guint fl_label_config_get_n_classes (FlLabelConfig *self);
const FlLabelClass *fl_label_config_get_class (FlLabelConfig *self, guint index);
const FlLabelClass *fl_label_config_find_class (FlLabelConfig *self, const char *name);
const FlLabelClass *fl_label_config_find_hotkey (FlLabelConfig *self, char hotkey);
const char *const *fl_label_config_get_tags (FlLabelConfig *self);
FlColor fl_label_config_get_color (FlLabelConfig *self, const char *name);
gboolean fl_color_parse (const char *spec, FlColor *color);

G_END_DECLS
