/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageDocument"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fl-image-document.h"

/* One recorded change: before == NULL means added, after == NULL removed. */
typedef struct
{
  guint index;
  FlShape *before;
  FlShape *after;
} FlEdit;

typedef struct
{
  GArray *edits;
  GStrv tags_before;
  GStrv tags_after;
} FlEditGroup;

struct _FlImageDocument
{
  GObject parent_instance;

  int width;
  int height;
  GPtrArray *shapes;
  GHashTable *by_id;
  GStrv tags;
  guint64 next_id;

  GPtrArray *undo_stack;
  GPtrArray *redo_stack;
  FlEditGroup *open_group;
  guint group_depth;
};

G_DEFINE_FINAL_TYPE (FlImageDocument, fl_image_document, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shapes smaller than this, in image pixels, cannot be seen or clicked. */
#define MIN_EXTENT 1.0

static void
clear_edit (gpointer data)
{
  FlEdit *edit = data;

  g_clear_pointer (&edit->before, fl_shape_free);
  g_clear_pointer (&edit->after, fl_shape_free);
}

static FlEditGroup *
edit_group_new (void)
{
  FlEditGroup *group = g_new0 (FlEditGroup, 1);

  group->edits = g_array_new (FALSE, TRUE, sizeof (FlEdit));
  g_array_set_clear_func (group->edits, clear_edit);
  return group;
}

static void
edit_group_free (gpointer data)
{
  FlEditGroup *group = data;

  g_array_unref (group->edits);
  g_strfreev (group->tags_before);
  g_strfreev (group->tags_after);
  g_free (group);
}

static void
fl_image_document_finalize (GObject *object)
{
  FlImageDocument *self = FL_IMAGE_DOCUMENT (object);

  g_clear_pointer (&self->open_group, edit_group_free);
  g_ptr_array_unref (self->undo_stack);
  g_ptr_array_unref (self->redo_stack);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->shapes);
  g_strfreev (self->tags);
  G_OBJECT_CLASS (fl_image_document_parent_class)->finalize (object);
}

static void
fl_image_document_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlImageDocument *self = FL_IMAGE_DOCUMENT (object);

  switch (prop_id)
    {
      case PROP_CAN_UNDO:
        g_value_set_boolean (value, fl_image_document_can_undo (self));
        break;
      case PROP_CAN_REDO:
        g_value_set_boolean (value, fl_image_document_can_redo (self));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_image_document_class_init (FlImageDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_image_document_finalize;
  object_class->get_property = fl_image_document_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_image_document_init (FlImageDocument *self)
{
  self->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tags = g_new0 (char *, 1);
  self->undo_stack = g_ptr_array_new_with_free_func (edit_group_free);
  self->redo_stack = g_ptr_array_new_with_free_func (edit_group_free);
  self->next_id = 1;
}

FlImageDocument *
fl_image_document_new (int width, int height)
{
  FlImageDocument *self;

  g_return_val_if_fail (width >= 0 && height >= 0, NULL);

  self = g_object_new (FL_TYPE_IMAGE_DOCUMENT, NULL);
  self->width = width;
  self->height = height;
  return self;
}

int
fl_image_document_get_width (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), 0);
  return self->width;
}

int
fl_image_document_get_height (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), 0);
  return self->height;
}

guint
fl_image_document_get_n_shapes (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), 0);
  return self->shapes->len;
}

const FlShape *
fl_image_document_get_shape (FlImageDocument *self, guint index)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);
  g_return_val_if_fail (index < self->shapes->len, NULL);
  return g_ptr_array_index (self->shapes, index);
}

const FlShape *
fl_image_document_lookup (FlImageDocument *self, const char *id)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);
  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

static void
note_id (FlImageDocument *self, const char *id)
{
  guint64 n;

  if (id != NULL && id[0] == 's' &&
      g_ascii_string_to_unsigned (id + 1, 10, 1, G_MAXUINT32, &n, NULL) && n >= self->next_id)
    self->next_id = n + 1;
}

char *
fl_image_document_next_id (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);

  for (;;)
    {
      g_autofree char *id = g_strdup_printf ("s%" G_GUINT64_FORMAT, self->next_id++);

      if (!g_hash_table_contains (self->by_id, id))
        return g_steal_pointer (&id);
    }
}

static guint
index_of (FlImageDocument *self, const char *id)
{
  const FlShape *shape = g_hash_table_lookup (self->by_id, id);
  guint index;

  if (shape != NULL && g_ptr_array_find (self->shapes, shape, &index))
    return index;
  return G_MAXUINT;
}

static void
notify_stacks (FlImageDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Edits made between begin and end form one undo step. */
void
fl_image_document_begin (FlImageDocument *self)
{
  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));

  if (self->group_depth++ == 0)
    self->open_group = edit_group_new ();
}

void
fl_image_document_end (FlImageDocument *self)
{
  FlEditGroup *group;

  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;
  group = g_steal_pointer (&self->open_group);
  if (group->edits->len == 0 && group->tags_after == NULL)
    {
      edit_group_free (group);
      return;
    }
  g_ptr_array_add (self->undo_stack, group);
  g_ptr_array_set_size (self->redo_stack, 0);
  notify_stacks (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
insert_at (FlImageDocument *self, guint index, FlShape *shape)
{
  g_ptr_array_insert (self->shapes, MIN (index, self->shapes->len), shape);
  g_hash_table_insert (self->by_id, shape->id, shape);
}

static void
remove_at (FlImageDocument *self, guint index)
{
  FlShape *shape = g_ptr_array_index (self->shapes, index);

  g_hash_table_remove (self->by_id, shape->id);
  g_ptr_array_remove_index (self->shapes, index);
}

static void
record (FlImageDocument *self, guint index, const FlShape *before, const FlShape *after)
{
  FlEdit edit = {
    index,
    before != NULL ? fl_shape_copy (before) : NULL,
    after != NULL ? fl_shape_copy (after) : NULL,
  };

  g_array_append_val (self->open_group->edits, edit);
}

/* Takes ownership of @shape; a shape without an id gets a fresh one. */
void
fl_image_document_add (FlImageDocument *self, FlShape *shape)
{
  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));
  g_return_if_fail (shape != NULL);

  if (shape->id == NULL || g_hash_table_contains (self->by_id, shape->id))
    {
      g_autofree char *id = fl_image_document_next_id (self);

      fl_shape_set_id (shape, id);
    }
  note_id (self, shape->id);
  fl_image_document_begin (self);
  record (self, self->shapes->len, NULL, shape);
  insert_at (self, self->shapes->len, shape);
  fl_image_document_end (self);
}

void
fl_image_document_remove (FlImageDocument *self, const char *id)
{
  guint index;

  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));

  index = index_of (self, id);
  if (index == G_MAXUINT)
    return;
  fl_image_document_begin (self);
  record (self, index, g_ptr_array_index (self->shapes, index), NULL);
  remove_at (self, index);
  fl_image_document_end (self);
}

/* Takes ownership of @shape, which replaces the shape with the same id. */
void
fl_image_document_replace (FlImageDocument *self, FlShape *shape)
{
  guint index;

  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));
  g_return_if_fail (shape != NULL);

  index = index_of (self, shape->id);
  if (index == G_MAXUINT)
    {
      g_critical ("No shape with the id %s to replace", shape->id);
      fl_shape_free (shape);
      return;
    }
  if (fl_shape_equal (g_ptr_array_index (self->shapes, index), shape))
    {
      fl_shape_free (shape);
      return;
    }
  fl_image_document_begin (self);
  record (self, index, g_ptr_array_index (self->shapes, index), shape);
  remove_at (self, index);
  insert_at (self, index, shape);
  fl_image_document_end (self);
}

static void
apply_tags (FlImageDocument *self, const char *const *tags)
{
  g_strfreev (self->tags);
  self->tags = g_strdupv ((char **) tags);
}

void
fl_image_document_set_tags (FlImageDocument *self, const char *const *tags)
{
  static const char *const no_tags[] = { NULL };

  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));

  if (tags == NULL)
    tags = no_tags;
  if (g_strv_equal ((const char *const *) self->tags, tags))
    return;
  fl_image_document_begin (self);
  if (self->open_group->tags_before == NULL)
    self->open_group->tags_before = g_strdupv (self->tags);
  g_strfreev (self->open_group->tags_after);
  self->open_group->tags_after = g_strdupv ((char **) tags);
  apply_tags (self, tags);
  fl_image_document_end (self);
}

const char *const *
fl_image_document_get_tags (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);
  return (const char *const *) self->tags;
}

gboolean
fl_image_document_has_tag (FlImageDocument *self, const char *tag)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  return g_strv_contains ((const char *const *) self->tags, tag);
}

void
fl_image_document_toggle_tag (FlImageDocument *self, const char *tag)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) tags = NULL;
  gboolean had;

  g_return_if_fail (FL_IS_IMAGE_DOCUMENT (self));
  g_return_if_fail (tag != NULL);

  had = fl_image_document_has_tag (self, tag);
  for (guint i = 0; self->tags[i] != NULL; i++)
    if (g_strcmp0 (self->tags[i], tag) != 0)
      g_strv_builder_add (builder, self->tags[i]);
  if (!had)
    g_strv_builder_add (builder, tag);
  tags = g_strv_builder_end (builder);
  fl_image_document_set_tags (self, (const char *const *) tags);
}

gboolean
fl_image_document_can_undo (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  return self->undo_stack->len > 0;
}

gboolean
fl_image_document_can_redo (FlImageDocument *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  return self->redo_stack->len > 0;
}

static void
apply_group (FlImageDocument *self, FlEditGroup *group, gboolean forward)
{
  if (forward)
    {
      for (guint i = 0; i < group->edits->len; i++)
        {
          FlEdit *edit = &g_array_index (group->edits, FlEdit, i);

          if (edit->before != NULL)
            remove_at (self, edit->index);
          if (edit->after != NULL)
            insert_at (self, edit->index, fl_shape_copy (edit->after));
        }
      if (group->tags_after != NULL)
        apply_tags (self, (const char *const *) group->tags_after);
    }
  else
    {
      for (guint i = group->edits->len; i-- > 0;)
        {
          FlEdit *edit = &g_array_index (group->edits, FlEdit, i);

          if (edit->after != NULL)
            remove_at (self, edit->index);
          if (edit->before != NULL)
            insert_at (self, edit->index, fl_shape_copy (edit->before));
        }
      if (group->tags_before != NULL)
        apply_tags (self, (const char *const *) group->tags_before);
    }
}

gboolean
fl_image_document_undo (FlImageDocument *self)
{
  FlEditGroup *group;

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (self->undo_stack->len == 0)
    return FALSE;
  group = g_ptr_array_steal_index (self->undo_stack, self->undo_stack->len - 1);
  apply_group (self, group, FALSE);
  g_ptr_array_add (self->redo_stack, group);
  notify_stacks (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
fl_image_document_redo (FlImageDocument *self)
{
  FlEditGroup *group;

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (self->redo_stack->len == 0)
    return FALSE;
  group = g_ptr_array_steal_index (self->redo_stack, self->redo_stack->len - 1);
  apply_group (self, group, TRUE);
  g_ptr_array_add (self->undo_stack, group);
  notify_stacks (self);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* Keeps @shape inside the image. Returns FALSE when nothing usable is left
 * (a box or polygon without area, a point outside the image). */
gboolean
fl_image_document_clamp_shape (FlImageDocument *self, FlShape *shape)
{
  double w, h;

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  g_return_val_if_fail (shape != NULL, FALSE);

  w = self->width;
  h = self->height;
  switch (shape->kind)
    {
      case FL_SHAPE_BOX:
        {
          double x0 = MIN (shape->x, shape->x + shape->width);
          double y0 = MIN (shape->y, shape->y + shape->height);
          double x1 = MAX (shape->x, shape->x + shape->width);
          double y1 = MAX (shape->y, shape->y + shape->height);

          /* A side that is inside keeps its exact numbers: (x + width) - x is not
           * always width in floating point, and a box within the image must load
           * unchanged, without a warning. */
          if (x0 < 0 || x1 > w || shape->width < 0)
            {
              x0 = CLAMP (x0, 0, w);
              x1 = CLAMP (x1, 0, w);
              shape->x = x0;
              shape->width = x1 - x0;
            }
          if (y0 < 0 || y1 > h || shape->height < 0)
            {
              y0 = CLAMP (y0, 0, h);
              y1 = CLAMP (y1, 0, h);
              shape->y = y0;
              shape->height = y1 - y0;
            }
          return shape->width >= MIN_EXTENT && shape->height >= MIN_EXTENT;
        }
      case FL_SHAPE_POINT:
        return shape->x >= 0 && shape->x <= w && shape->y >= 0 && shape->y <= h;
      case FL_SHAPE_POLYGON:
      default:
        for (guint i = 0; i < shape->points->len; i++)
          {
            FlPoint *p = &g_array_index (shape->points, FlPoint, i);

            p->x = CLAMP (p->x, 0, w);
            p->y = CLAMP (p->y, 0, h);
          }
        return shape->points->len >= 3 && fl_shape_polygon_area (shape) >= MIN_EXTENT;
    }
}

static char *
describe (const FlShape *shape, guint index)
{
  if (shape->label != NULL)
    return g_strdup_printf (_ ("Shape %u (%s)"), index + 1, shape->label);
  return g_strdup_printf (_ ("Shape %u"), index + 1);
}

/* Parses the shapes of a result, clamping what reaches past the image and
 * dropping what is unusable, each with a warning for the user. */
static GPtrArray *
parse_shapes (FlImageDocument *self, JsonNode *result, GPtrArray *warnings)
{
  GPtrArray *shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return shapes;
  object = json_node_get_object (result);
  list = json_object_get_member (object, "shapes");
  if (list == NULL)
    return shapes;
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      g_ptr_array_add (warnings, g_strdup (_ ("The shapes of the annotation are not a list; "
                                              "they were ignored")));
      return shapes;
    }
  array = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (FlShape) shape =
        fl_shape_new_from_json (json_array_get_element (array, i), &error);
      g_autoptr (FlShape) original = NULL;
      g_autofree char *what = NULL;

      if (shape == NULL)
        {
          g_ptr_array_add (warnings,
                           g_strdup_printf (_ ("Shape %u was dropped: %s"), i + 1, error->message));
          continue;
        }
      what = describe (shape, i);
      /* A box given by its opposite corners is the same box. */
      if (shape->kind == FL_SHAPE_BOX && shape->width < 0)
        shape->x += shape->width, shape->width = -shape->width;
      if (shape->kind == FL_SHAPE_BOX && shape->height < 0)
        shape->y += shape->height, shape->height = -shape->height;
      original = fl_shape_copy (shape);
      if (!fl_image_document_clamp_shape (self, shape))
        {
          if (shape->kind == FL_SHAPE_POINT)
            g_ptr_array_add (
              warnings, g_strdup_printf (_ ("%s lies outside the image and was dropped"), what));
          else
            g_ptr_array_add (
              warnings,
              g_strdup_printf (_ ("%s has no area inside the image and was dropped"), what));
          continue;
        }
      if (!fl_shape_equal (original, shape))
        g_ptr_array_add (warnings, g_strdup_printf (_ ("%s reached outside the image and was "
                                                       "clamped to its edges"),
                                                    what));
      g_ptr_array_add (shapes, g_steal_pointer (&shape));
    }
  return shapes;
}

static void
collect_tags (JsonNode *result, GStrvBuilder *builder)
{
  JsonNode *tags;

  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return;
  tags = json_object_get_member (json_node_get_object (result), "tags");
  if (tags == NULL || !JSON_NODE_HOLDS_ARRAY (tags))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (tags)); i++)
    {
      JsonNode *tag = json_array_get_element (json_node_get_array (tags), i);

      if (JSON_NODE_HOLDS_VALUE (tag) && json_node_get_value_type (tag) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (tag));
    }
}

/* Replaces the whole content (not an undoable edit); used for pre-annotations
 * and saved work. @warnings receives translated messages for the user. */
gboolean
fl_image_document_load_result (FlImageDocument *self, JsonNode *result, GPtrArray **warnings,
                               GError **error)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) shapes = NULL;
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) tags = NULL;
  const char *kind;

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (result != NULL && !JSON_NODE_HOLDS_NULL (result))
    {
      if (!JSON_NODE_HOLDS_OBJECT (result))
        {
          g_set_error_literal (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                               _ ("The annotation is not a JSON object"));
          return FALSE;
        }
      kind =
        json_object_get_string_member_with_default (json_node_get_object (result), "kind", "image");
      if (g_strcmp0 (kind, "image") != 0)
        {
          g_set_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID,
                       _ ("The annotation is of the kind “%s”, not an image annotation"), kind);
          return FALSE;
        }
    }

  shapes = parse_shapes (self, result, list);
  collect_tags (result, builder);
  tags = g_strv_builder_end (builder);

  g_ptr_array_set_size (self->shapes, 0);
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->undo_stack, 0);
  g_ptr_array_set_size (self->redo_stack, 0);
  self->next_id = 1;
  for (guint i = 0; i < shapes->len; i++)
    note_id (self, ((FlShape *) g_ptr_array_index (shapes, i))->id);
  for (guint i = 0; i < shapes->len; i++)
    {
      FlShape *shape = g_ptr_array_index (shapes, i);

      if (shape->id == NULL || g_hash_table_contains (self->by_id, shape->id))
        {
          g_autofree char *id = fl_image_document_next_id (self);

          fl_shape_set_id (shape, id);
        }
      insert_at (self, self->shapes->len, fl_shape_copy (shape));
    }
  apply_tags (self, (const char *const *) tags);
  notify_stacks (self);
  g_signal_emit (self, signals[CHANGED], 0);

  if (warnings != NULL)
    *warnings = g_steal_pointer (&list);
  return TRUE;
}

/* Adds the shapes of another result as new shapes, in one undo step.
 * Returns the ids of the added shapes. */
GPtrArray *
fl_image_document_import_shapes (FlImageDocument *self, JsonNode *result, GPtrArray **warnings)
{
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) shapes = NULL;
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);

  shapes = parse_shapes (self, result, list);
  fl_image_document_begin (self);
  for (guint i = 0; i < shapes->len; i++)
    {
      FlShape *shape = fl_shape_copy (g_ptr_array_index (shapes, i));
      g_autofree char *id = fl_image_document_next_id (self);

      fl_shape_set_id (shape, id);
      g_ptr_array_add (ids, g_strdup (id));
      fl_image_document_add (self, shape);
    }
  fl_image_document_end (self);
  if (warnings != NULL)
    *warnings = g_steal_pointer (&list);
  return ids;
}

JsonNode *
fl_image_document_to_json (FlImageDocument *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FL_IS_IMAGE_DOCUMENT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "image");
  json_builder_set_member_name (builder, "image");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, self->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, self->height);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "shapes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->shapes->len; i++)
    json_builder_add_value (builder, fl_shape_to_json (g_ptr_array_index (self->shapes, i)));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  for (guint i = 0; self->tags[i] != NULL; i++)
    json_builder_add_string_value (builder, self->tags[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
