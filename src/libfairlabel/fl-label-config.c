/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlLabelConfig"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-label-config.h"

struct _FlLabelConfig
{
  GObject parent_instance;

  GArray *classes;
  GStrv tags;
};

G_DEFINE_FINAL_TYPE (FlLabelConfig, fl_label_config, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl - label - config - error - quark, fl_label_config_error)

/* The GNOME palette, for classes that do not name a colour. */
static const char *const palette[] = {
  "#e01b24", "#3584e4", "#33d17a", "#f6d32d", "#9141ac",
  "#ff7800", "#26a269", "#c061cb", "#62a0ea", "#986a44",
};

static void
clear_class (gpointer data)
{
  FlLabelClass *klass = data;

  g_free (klass->name);
  g_clear_pointer (&klass->attributes, json_array_unref);
}

static void
fl_label_config_finalize (GObject *object)
{
  FlLabelConfig *self = FL_LABEL_CONFIG (object);

  g_array_unref (self->classes);
  g_strfreev (self->tags);
  G_OBJECT_CLASS (fl_label_config_parent_class)->finalize (object);
}

static void
fl_label_config_class_init (FlLabelConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_label_config_finalize;
}

static void
fl_label_config_init (FlLabelConfig *self)
{
  self->classes = g_array_new (FALSE, TRUE, sizeof (FlLabelClass));
  g_array_set_clear_func (self->classes, clear_class);
  self->tags = g_new0 (char *, 1);
}

gboolean
fl_color_parse (const char *spec, FlColor *color)
{
  guint value = 0;

  if (spec == NULL || spec[0] != '#' || strlen (spec) != 7)
    return FALSE;
  for (guint i = 1; i < 7; i++)
    {
      if (!g_ascii_isxdigit (spec[i]))
        return FALSE;
      value = value * 16 + g_ascii_xdigit_value (spec[i]);
    }
  color->red = ((value >> 16) & 0xff) / 255.0;
  color->green = ((value >> 8) & 0xff) / 255.0;
  color->blue = (value & 0xff) / 255.0;
  return TRUE;
}

/* Classes without a hotkey get the next free digit, in order, so that
 * keys 1-9 always pick the first labels as in labelImg. */
static void
assign_free_hotkeys (FlLabelConfig *self)
{
  char next = '1';

  for (guint i = 0; i < self->classes->len; i++)
    {
      FlLabelClass *klass = &g_array_index (self->classes, FlLabelClass, i);

      if (klass->hotkey != 0)
        continue;
      while (next <= '9' && fl_label_config_find_hotkey (self, next) != NULL)
        next++;
      if (next > '9')
        return;
      klass->hotkey = next++;
    }
}

static gboolean
parse_class (FlLabelConfig *self, JsonNode *node, guint index, GError **error)
{
  FlLabelClass klass = { 0 };
  JsonObject *object;
  const char *name;
  const char *color;
  const char *hotkey;
  JsonNode *attributes;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                   _ ("Class %u of the label configuration is not an object"), index + 1);
      return FALSE;
    }
  object = json_node_get_object (node);
  name = json_object_get_string_member_with_default (object, "name", NULL);
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                   _ ("Class %u of the label configuration has no name"), index + 1);
      return FALSE;
    }
  if (fl_label_config_find_class (self, name) != NULL)
    {
      g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_DUPLICATE_NAME,
                   _ ("The label configuration names the class “%s” twice"), name);
      return FALSE;
    }

  color = json_object_get_string_member_with_default (object, "color", NULL);
  if (color == NULL)
    fl_color_parse (palette[index % G_N_ELEMENTS (palette)], &klass.color);
  else if (!fl_color_parse (color, &klass.color))
    {
      g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                   _ ("The class “%s” has the colour “%s”, which is not of the form #rrggbb"), name,
                   color);
      return FALSE;
    }

  hotkey = json_object_get_string_member_with_default (object, "hotkey", NULL);
  if (hotkey != NULL)
    {
      const FlLabelClass *other;

      if (strlen (hotkey) != 1 || hotkey[0] < '1' || hotkey[0] > '9')
        {
          g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                       _ ("The class “%s” has the hotkey “%s”; hotkeys are the digits 1 to 9"),
                       name, hotkey);
          return FALSE;
        }
      other = fl_label_config_find_hotkey (self, hotkey[0]);
      if (other != NULL)
        {
          g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_DUPLICATE_HOTKEY,
                       _ ("The classes “%s” and “%s” both use the hotkey %s"), other->name, name,
                       hotkey);
          return FALSE;
        }
      klass.hotkey = hotkey[0];
    }

  attributes = json_object_get_member (object, "attributes");
  if (attributes != NULL && JSON_NODE_HOLDS_ARRAY (attributes))
    {
      JsonArray *array = json_node_get_array (attributes);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *attr = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (attr) ||
              json_object_get_string_member_with_default (json_node_get_object (attr), "name",
                                                          NULL) == NULL)
            {
              g_set_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                           _ ("An attribute of the class “%s” has no name"), name);
              return FALSE;
            }
        }
      klass.attributes = json_array_ref (array);
    }

  klass.name = g_strdup (name);
  g_array_append_val (self->classes, klass);
  return TRUE;
}

FlLabelConfig *
fl_label_config_new_from_json (JsonObject *config, GError **error)
{
  g_autoptr (FlLabelConfig) self = g_object_new (FL_TYPE_LABEL_CONFIG, NULL);
  JsonNode *classes;
  JsonNode *tags;

  if (config == NULL)
    return g_steal_pointer (&self);

  classes = json_object_get_member (config, "classes");
  if (classes != NULL && !JSON_NODE_HOLDS_NULL (classes))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (classes))
        {
          g_set_error_literal (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                               _ ("The classes of the label configuration are not a list"));
          return NULL;
        }
      array = json_node_get_array (classes);
      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!parse_class (self, json_array_get_element (array, i), i, error))
          return NULL;
    }
  assign_free_hotkeys (self);

  tags = json_object_get_member (config, "tags");
  if (tags != NULL && JSON_NODE_HOLDS_ARRAY (tags))
    {
      JsonArray *array = json_node_get_array (tags);
      g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *tag = json_array_get_string_element (array, i);

          if (tag == NULL || *tag == '\0')
            {
              g_set_error_literal (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_INVALID,
                                   _ ("A tag of the label configuration is not a text"));
              return NULL;
            }
          g_strv_builder_add (builder, tag);
        }
      g_strfreev (self->tags);
      self->tags = g_strv_builder_end (builder);
    }
  return g_steal_pointer (&self);
}

guint
fl_label_config_get_n_classes (FlLabelConfig *self)
{
  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), 0);
  return self->classes->len;
}

const FlLabelClass *
fl_label_config_get_class (FlLabelConfig *self, guint index)
{
  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), NULL);
  g_return_val_if_fail (index < self->classes->len, NULL);
  return &g_array_index (self->classes, FlLabelClass, index);
}

const FlLabelClass *
fl_label_config_find_class (FlLabelConfig *self, const char *name)
{
  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), NULL);

  for (guint i = 0; i < self->classes->len; i++)
    {
      const FlLabelClass *klass = &g_array_index (self->classes, FlLabelClass, i);

      if (g_strcmp0 (klass->name, name) == 0)
        return klass;
    }
  return NULL;
}

const FlLabelClass *
fl_label_config_find_hotkey (FlLabelConfig *self, char hotkey)
{
  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), NULL);

  for (guint i = 0; i < self->classes->len; i++)
    {
      const FlLabelClass *klass = &g_array_index (self->classes, FlLabelClass, i);

      if (hotkey != 0 && klass->hotkey == hotkey)
        return klass;
    }
  return NULL;
}

const char *const *
fl_label_config_get_tags (FlLabelConfig *self)
{
  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), NULL);
  return (const char *const *) self->tags;
}

/* Shapes whose label is not in the configuration get a neutral grey. */
FlColor
fl_label_config_get_color (FlLabelConfig *self, const char *name)
{
  const FlLabelClass *klass;
  FlColor grey = { 0.6, 0.6, 0.6 };

  g_return_val_if_fail (FL_IS_LABEL_CONFIG (self), grey);

  klass = fl_label_config_find_class (self, name);
  return klass != NULL ? klass->color : grey;
}
