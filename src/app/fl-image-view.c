/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageView"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-image-loader.h"
#include "fl-image-view.h"
#include "fl-label-config.h"
#include "fl-label-row.h"

/* A load quicker than this shows no spinner. */
#define LOADING_DELAY_MS 300

struct _FlImageView
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkWidget *loading_box;
  GtkSpinner *spinner;
  guint loading_id;
  AdwStatusPage *error_page;
  FlImageCanvas *canvas;
  GtkRevealer *warning_revealer;
  GtkLabel *warning_label;
  GtkSearchEntry *label_search;
  GtkListBox *label_list;
  GtkWidget *tags_heading;
  GtkFlowBox *tag_box;
  GtkWidget *attributes_heading;
  GtkBox *attributes_box;

  FlImageLoader *loader;
  GCancellable *cancellable;
  FlImageDocument *document;
  FlLabelConfig *config;
  JsonNode *pre_annotation;
  /* The image's size, known before its first frame; the shapes are laid
   * out after that frame (see on_level_ready ()). */
  int image_width;
  int image_height;
  GdkFrameClock *install_clock;
  gulong install_id;
  JsonNode *previous_result;
  char *error;

  char *tool;
  gboolean shapes_visible;
  gboolean syncing;
};

G_DEFINE_FINAL_TYPE (FlImageView, fl_image_view, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TOOL,
  PROP_SHAPES_VISIBLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  LOAD_FAILED,
  READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shared by every view of the process, so shapes can be pasted into the next task. */
static GPtrArray *clipboard;

static void rebuild_attributes (FlImageView *self);

static void
show_warnings (FlImageView *self, GPtrArray *warnings)
{
  g_autoptr (GString) text = g_string_new (NULL);
  const guint shown = 5;

  if (warnings == NULL || warnings->len == 0)
    return;
  for (guint i = 0; i < MIN (warnings->len, shown); i++)
    {
      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (warnings, i));
    }
  if (warnings->len > shown)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE, "and %u more warning",
                                           "and %u more warnings", warnings->len - shown),
                              warnings->len - shown);
    }
  gtk_label_set_text (self->warning_label, text->str);
  gtk_revealer_set_reveal_child (self->warning_revealer, TRUE);
}

static gboolean
reveal_loading (gpointer user_data)
{
  FlImageView *self = user_data;

  self->loading_id = 0;
  gtk_widget_set_visible (self->loading_box, TRUE);
  gtk_spinner_start (self->spinner);
  return G_SOURCE_REMOVE;
}

/* Over the canvas, so that the tools and labels are there while the image
 * is decoded; shown only when that takes long, as each frame of the
 * spinner repaints the window and takes the processor from the decoders. A
 * spinner left running would wake the main loop every frame. */
static void
show_loading (FlImageView *self, gboolean loading)
{
  g_clear_handle_id (&self->loading_id, g_source_remove);
  if (loading)
    self->loading_id = g_timeout_add (LOADING_DELAY_MS, reveal_loading, self);
  gtk_widget_set_visible (self->loading_box, FALSE);
  gtk_spinner_stop (self->spinner);
}

static void
show_error (FlImageView *self, const char *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  adw_status_page_set_description (self->error_page, message);
  show_loading (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "error");
  g_signal_emit (self, signals[LOAD_FAILED], 0, message);
}

static void
sync_tags (FlImageView *self)
{
  gboolean was_syncing = self->syncing;

  self->syncing = TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_box)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
      const char *tag = g_object_get_data (G_OBJECT (button), "fl-tag");

      gtk_check_button_set_active (GTK_CHECK_BUTTON (button),
                                   self->document != NULL &&
                                     fl_image_document_has_tag (self->document, tag));
    }
  self->syncing = was_syncing;
}

static void
on_document_changed (FlImageDocument *document, FlImageView *self)
{
  sync_tags (self);
  if (!self->syncing)
    rebuild_attributes (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_can_undo_changed (FlImageView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.undo",
                                 self->document != NULL &&
                                   fl_image_document_can_undo (self->document));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.redo",
                                 self->document != NULL &&
                                   fl_image_document_can_redo (self->document));
}

/* Shapes whose label the project does not know are kept (in grey), and said. */
static void
warn_unknown_labels (FlImageView *self, GPtrArray *warnings)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) names = g_string_new (NULL);

  if (fl_label_config_get_n_classes (self->config) == 0)
    return;
  for (guint i = 0; i < fl_image_document_get_n_shapes (self->document); i++)
    {
      const char *label = fl_image_document_get_shape (self->document, i)->label;

      if (label == NULL || fl_label_config_find_class (self->config, label) != NULL ||
          !g_hash_table_add (seen, (gpointer) label))
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append_printf (names, "“%s”", label);
    }
  if (names->len > 0)
    g_ptr_array_add (warnings,
                     g_strdup_printf (_ ("Some shapes have labels that are not among the project’s "
                                         "classes and are shown in grey: %s"),
                                      names->str));
}

static void
cancel_install (FlImageView *self)
{
  if (self->install_id != 0)
    g_signal_handler_disconnect (self->install_clock, self->install_id);
  self->install_id = 0;
  g_clear_object (&self->install_clock);
}

/* The document, with the pre-annotation's shapes, and the sidebar. */
static void
install_document (FlImageView *self)
{
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int width = self->image_width, height = self->image_height;

  cancel_install (self);
  if (self->document != NULL || width <= 0)
    return;
  self->document = fl_image_document_new (width, height);
  if (!fl_image_document_load_result (self->document, self->pre_annotation, &warnings, &error))
    {
      warnings = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (
        warnings, g_strdup_printf (_ ("The pre-annotation was not loaded: %s"), error->message));
    }
  g_clear_pointer (&self->pre_annotation, json_node_unref);
  warn_unknown_labels (self, warnings);
  g_signal_connect (self->document, "changed", G_CALLBACK (on_document_changed), self);
  g_signal_connect_swapped (self->document, "notify::can-undo", G_CALLBACK (on_can_undo_changed),
                            self);
  g_signal_connect_swapped (self->document, "notify::can-redo", G_CALLBACK (on_can_undo_changed),
                            self);
  on_can_undo_changed (self);
  fl_image_canvas_set_document (self->canvas, self->document);
  sync_tags (self);
  show_warnings (self, warnings);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  g_debug ("%u shapes laid out in %.3f s", fl_image_document_get_n_shapes (self->document),
           (g_get_monotonic_time () - start) / 1e6);
  g_signal_emit (self, signals[READY], 0);
}

static void
on_install_after_paint (GdkFrameClock *clock, FlImageView *self)
{
  if (fl_image_canvas_get_drawn_level (self->canvas) >= 0)
    install_document (self);
}

static void
on_size_known (FlImageLoader *loader, int width, int height, FlImageView *self)
{
  if (self->document != NULL || self->image_width > 0)
    return;
  self->image_width = width;
  self->image_height = height;
  fl_image_canvas_reset (self->canvas, width, height);
}

static void
on_level_rows_ready (FlImageLoader *loader, guint level, FlRaster *raster, int rows,
                     FlImageView *self)
{
  fl_image_canvas_prepare_level (self->canvas, level, raster, rows);
}

static void
on_level_ready (FlImageLoader *loader, guint level, FlRaster *raster, int width, int height,
                FlImageView *self)
{
  fl_image_canvas_add_level (self->canvas, level, raster);
  show_loading (self, FALSE);
  /* While the image is still being decoded, laying out the shapes and
   * filling the sidebar took the processor from the decoders that the
   * first frame waited for: they follow that frame. Shown earlier, the
   * shapes would wait for the image as sharp as the screen anyway. */
  if (self->document != NULL || self->install_id != 0)
    return;
  self->install_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->canvas));
  if (self->install_clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self->canvas)) ||
      fl_image_canvas_has_level (self->canvas, 0))
    {
      self->install_clock = NULL;
      install_document (self);
      return;
    }
  g_object_ref (self->install_clock);
  self->install_id = g_signal_connect_after (self->install_clock, "after-paint",
                                             G_CALLBACK (on_install_after_paint), self);
}

static void
on_load_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlImageView) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!fl_image_loader_load_finish (FL_IMAGE_LOADER (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A damaged file can fail after its header gave a size. */
      cancel_install (self);
      self->image_width = self->image_height = 0;
      if (self->document != NULL)
        g_signal_handlers_disconnect_by_data (self->document, self);
      g_clear_object (&self->document);
      fl_image_canvas_set_document (self->canvas, NULL);
      fl_image_canvas_reset (self->canvas, 0, 0);
      on_can_undo_changed (self);
      show_error (self, error->message);
      return;
    }
  /* Every level is in: the shapes wait for no frame (one may never come,
   * in a window not shown). */
  install_document (self);
}

static void
clear_sidebar (FlImageView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->label_list))) != NULL)
    gtk_list_box_remove (self->label_list, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tag_box))) != NULL)
    gtk_flow_box_remove (self->tag_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attributes_box))) != NULL)
    gtk_box_remove (self->attributes_box, child);
}

static void
set_label (FlImageView *self, const char *name)
{
  fl_image_canvas_set_current_label (self->canvas, name);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->label_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (fl_label_row_get_name (FL_LABEL_ROW (row)), name) == 0)
      gtk_list_box_select_row (self->label_list, GTK_LIST_BOX_ROW (row));
}

static void
on_tag_toggled (GtkCheckButton *button, FlImageView *self)
{
  if (self->syncing || self->document == NULL)
    return;
  fl_image_document_toggle_tag (self->document, g_object_get_data (G_OBJECT (button), "fl-tag"));
}

static void
build_sidebar (FlImageView *self)
{
  const char *const *tags = fl_label_config_get_tags (self->config);

  clear_sidebar (self);
  for (guint i = 0; i < fl_label_config_get_n_classes (self->config); i++)
    gtk_list_box_append (self->label_list,
                         fl_label_row_new (fl_label_config_get_class (self->config, i)));
  for (guint i = 0; tags[i] != NULL; i++)
    {
      GtkWidget *button = gtk_check_button_new_with_label (tags[i]);

      g_object_set_data_full (G_OBJECT (button), "fl-tag", g_strdup (tags[i]), g_free);
      g_signal_connect (button, "toggled", G_CALLBACK (on_tag_toggled), self);
      gtk_flow_box_append (self->tag_box, button);
    }
  gtk_widget_set_visible (self->tags_heading, tags[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->tag_box), tags[0] != NULL);
  if (fl_label_config_get_n_classes (self->config) > 0)
    set_label (self, fl_label_config_get_class (self->config, 0)->name);
  else
    set_label (self, NULL);
}

void
fl_image_view_load (FlImageView *self, GFile *asset, JsonObject *label_config,
                    JsonNode *pre_annotation)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (FL_IS_IMAGE_VIEW (self));
  g_return_if_fail (G_IS_FILE (asset));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_install (self);
  self->image_width = self->image_height = 0;
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  g_clear_pointer (&self->pre_annotation, json_node_unref);
  g_clear_pointer (&self->error, g_free);
  fl_image_canvas_set_document (self->canvas, NULL);
  fl_image_canvas_reset (self->canvas, 0, 0);
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
  on_can_undo_changed (self);

  g_clear_object (&self->config);
  self->config = fl_label_config_new_from_json (label_config, &error);
  if (self->config == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_ ("The project’s label configuration is invalid: %s"), error->message);

      self->config = fl_label_config_new_from_json (NULL, NULL);
      clear_sidebar (self);
      show_error (self, message);
      return;
    }
  fl_image_canvas_set_label_config (self->canvas, self->config);
  build_sidebar (self);

  if (pre_annotation != NULL)
    self->pre_annotation = json_node_copy (pre_annotation);
  show_loading (self, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  self->cancellable = g_cancellable_new ();
  fl_image_loader_load_async (self->loader, asset, self->cancellable, on_load_done,
                              g_object_ref (self));
}

/* Returns a new result JSON node, or NULL when no image is loaded. */
JsonNode *
fl_image_view_get_result (FlImageView *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_VIEW (self), NULL);

  if (self->document == NULL)
    return NULL;
  return fl_image_document_to_json (self->document);
}

void
fl_image_view_set_previous_result (FlImageView *self, JsonNode *previous_result)
{
  g_return_if_fail (FL_IS_IMAGE_VIEW (self));

  g_clear_pointer (&self->previous_result, json_node_unref);
  if (previous_result != NULL)
    self->previous_result = json_node_copy (previous_result);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.copy-previous",
                                 self->previous_result != NULL);
}

FlImageCanvas *
fl_image_view_get_canvas (FlImageView *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_VIEW (self), NULL);
  return self->canvas;
}

FlImageDocument *
fl_image_view_get_document (FlImageView *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_VIEW (self), NULL);
  return self->document;
}

const char *
fl_image_view_get_warning (FlImageView *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_VIEW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->warning_revealer))
    return NULL;
  return gtk_label_get_text (self->warning_label);
}

const char *
fl_image_view_get_error (FlImageView *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_VIEW (self), NULL);
  return self->error;
}

/* Attributes of the selected shapes */

static GPtrArray *
selected_shapes (FlImageView *self)
{
  g_auto (GStrv) ids = fl_image_canvas_dup_selection (self->canvas);
  GPtrArray *shapes = g_ptr_array_new ();

  for (guint i = 0; self->document != NULL && ids[i] != NULL; i++)
    g_ptr_array_add (shapes, (gpointer) fl_image_document_lookup (self->document, ids[i]));
  return shapes;
}

/* Sets an attribute on the shapes the attribute widget was made for (kept
 * on it as "fl-shapes"), which need not be the selection any more. */
static void
set_attribute (FlImageView *self, GtkWidget *widget, JsonNode *value)
{
  const char *name = g_object_get_data (G_OBJECT (widget), "fl-attribute");
  const char *const *ids = g_object_get_data (G_OBJECT (widget), "fl-shapes");
  g_autoptr (JsonNode) owned = value;

  if (self->document == NULL || ids == NULL)
    return;
  self->syncing = TRUE;
  fl_image_document_begin (self->document);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const FlShape *current = fl_image_document_lookup (self->document, ids[i]);
      FlShape *shape;

      if (current == NULL)
        continue;
      shape = fl_shape_copy (current);
      fl_shape_set_attribute (shape, name, json_node_copy (owned));
      fl_image_document_replace (self->document, shape);
    }
  fl_image_document_end (self->document);
  self->syncing = FALSE;
}

static void
on_bool_attribute_toggled (GtkCheckButton *button, FlImageView *self)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (value, gtk_check_button_get_active (button));
  set_attribute (self, GTK_WIDGET (button), value);
}

/* Applied on Enter or when the entry loses focus: one undo step per edit,
 * not one per key. */
static void
apply_text_attribute (GtkEditable *entry, FlImageView *self)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (value, gtk_editable_get_text (entry));
  set_attribute (self, GTK_WIDGET (entry), value);
}

static void
on_text_attribute_focus_left (GtkEventControllerFocus *controller, FlImageView *self)
{
  apply_text_attribute (
    GTK_EDITABLE (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller))), self);
}

static void
rebuild_attributes (FlImageView *self)
{
  g_autoptr (GPtrArray) shapes = selected_shapes (self);
  const FlLabelClass *klass = NULL;
  const FlShape *first;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->attributes_box))) != NULL)
    gtk_box_remove (self->attributes_box, child);

  if (shapes->len > 0 && self->config != NULL)
    {
      first = g_ptr_array_index (shapes, 0);
      klass = fl_label_config_find_class (self->config, first->label);
      for (guint i = 1; klass != NULL && i < shapes->len; i++)
        if (g_strcmp0 (((const FlShape *) g_ptr_array_index (shapes, i))->label, klass->name) != 0)
          klass = NULL;
    }
  if (klass == NULL || klass->attributes == NULL || json_array_get_length (klass->attributes) == 0)
    {
      gtk_widget_set_visible (self->attributes_heading, FALSE);
      return;
    }
  gtk_widget_set_visible (self->attributes_heading, TRUE);
  first = g_ptr_array_index (shapes, 0);
  for (guint i = 0; i < json_array_get_length (klass->attributes); i++)
    {
      JsonObject *attr = json_array_get_object_element (klass->attributes, i);
      const char *name = json_object_get_string_member (attr, "name");
      const char *type = json_object_get_string_member_with_default (attr, "type", "bool");
      JsonNode *value = fl_shape_get_attribute (first, name);
      GtkWidget *widget;

      if (g_strcmp0 (type, "bool") == 0)
        {
          widget = gtk_check_button_new_with_label (name);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (widget), value != NULL &&
                                                                    JSON_NODE_HOLDS_VALUE (value) &&
                                                                    json_node_get_boolean (value));
          g_signal_connect (widget, "toggled", G_CALLBACK (on_bool_attribute_toggled), self);
        }
      else
        {
          widget = gtk_entry_new ();
          gtk_entry_set_placeholder_text (GTK_ENTRY (widget), name);
          if (value != NULL && JSON_NODE_HOLDS_VALUE (value) &&
              json_node_get_value_type (value) == G_TYPE_STRING)
            gtk_editable_set_text (GTK_EDITABLE (widget), json_node_get_string (value));
          GtkEventController *focus = gtk_event_controller_focus_new ();

          g_signal_connect (widget, "activate", G_CALLBACK (apply_text_attribute), self);
          g_signal_connect (focus, "leave", G_CALLBACK (on_text_attribute_focus_left), self);
          gtk_widget_add_controller (widget, focus);
        }
      g_object_set_data_full (G_OBJECT (widget), "fl-attribute", g_strdup (name), g_free);
      g_object_set_data_full (G_OBJECT (widget), "fl-shapes",
                              fl_image_canvas_dup_selection (self->canvas),
                              (GDestroyNotify) g_strfreev);
      gtk_box_append (self->attributes_box, widget);
    }
}

/* The actions that work on the selected shapes do nothing without one; greyed out, they say so. */
static void
update_selection_actions (FlImageView *self)
{
  static const char *const selection_actions[] = {
    "image.delete",
    "image.duplicate",
    "image.copy",
    "image.nudge",
  };
  g_auto (GStrv) ids = fl_image_canvas_dup_selection (self->canvas);

  for (gsize i = 0; i < G_N_ELEMENTS (selection_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), selection_actions[i], ids[0] != NULL);
}

static void
on_selection_changed (FlImageCanvas *canvas, FlImageView *self)
{
  update_selection_actions (self);
  rebuild_attributes (self);
}

/* Label list */

static gboolean
filter_labels (GtkListBoxRow *row, gpointer user_data)
{
  FlImageView *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->label_search));
  g_autofree char *folded_query = NULL;
  g_autofree char *folded_name = NULL;

  if (query == NULL || *query == '\0')
    return TRUE;
  folded_query = g_utf8_casefold (query, -1);
  folded_name = g_utf8_casefold (fl_label_row_get_name (FL_LABEL_ROW (row)), -1);
  return strstr (folded_name, folded_query) != NULL;
}

static void
on_search_changed (GtkSearchEntry *entry, FlImageView *self)
{
  gtk_list_box_invalidate_filter (self->label_list);
}

static void
apply_label (FlImageView *self, const char *name)
{
  g_auto (GStrv) ids = fl_image_canvas_dup_selection (self->canvas);

  set_label (self, name);
  if (ids[0] != NULL)
    fl_image_canvas_relabel_selection (self->canvas, name);
}

static void
on_search_activate (GtkSearchEntry *entry, FlImageView *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->label_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (gtk_widget_get_child_visible (row) && filter_labels (GTK_LIST_BOX_ROW (row), self))
      {
        apply_label (self, fl_label_row_get_name (FL_LABEL_ROW (row)));
        break;
      }
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_search_stop (GtkSearchEntry *entry, FlImageView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, FlImageView *self)
{
  apply_label (self, fl_label_row_get_name (FL_LABEL_ROW (row)));
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
on_dismiss_warning (GtkButton *button, FlImageView *self)
{
  gtk_revealer_set_reveal_child (self->warning_revealer, FALSE);
}

/* Actions */

static void
undo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);

  if (self->document != NULL)
    fl_image_document_undo (self->document);
}

static void
redo_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);

  if (self->document != NULL)
    fl_image_document_redo (self->document);
}

static void
delete_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_delete_selection (FL_IMAGE_VIEW (widget)->canvas);
}

static void
duplicate_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_duplicate_selection (FL_IMAGE_VIEW (widget)->canvas);
}

static void
copy_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  g_autoptr (GPtrArray) shapes = selected_shapes (self);

  if (shapes->len == 0)
    return;
  g_ptr_array_set_size (clipboard, 0);
  for (guint i = 0; i < shapes->len; i++)
    g_ptr_array_add (clipboard, fl_shape_copy (g_ptr_array_index (shapes, i)));
}

static void
paste_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) ids = NULL;
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);

  if (self->document == NULL || clipboard->len == 0)
    return;
  fl_image_document_begin (self->document);
  for (guint i = 0; i < clipboard->len; i++)
    {
      FlShape *shape = fl_shape_copy (g_ptr_array_index (clipboard, i));
      g_autofree char *id = fl_image_document_next_id (self->document);

      /* The clipboard may come from a larger image. */
      if (!fl_image_document_clamp_shape (self->document, shape))
        {
          fl_shape_free (shape);
          continue;
        }
      fl_shape_set_id (shape, id);
      g_strv_builder_add (builder, id);
      fl_image_document_add (self->document, shape);
    }
  fl_image_document_end (self->document);
  ids = g_strv_builder_end (builder);
  if (ids[0] == NULL)
    {
      g_ptr_array_add (warnings, g_strdup (_ ("The copied shapes lie outside this image")));
      show_warnings (self, warnings);
    }
  fl_image_canvas_select (self->canvas, (const char *const *) ids);
}

static void
copy_previous_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (GPtrArray) ids = NULL;

  if (self->document == NULL || self->previous_result == NULL)
    return;
  ids = fl_image_document_import_shapes (self->document, self->previous_result, &warnings);
  g_ptr_array_add (ids, NULL);
  fl_image_canvas_select (self->canvas, (const char *const *) ids->pdata);
  show_warnings (self, warnings);
}

static void
select_all_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_select_all (FL_IMAGE_VIEW (widget)->canvas);
}

static void
escape_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_cancel (FL_IMAGE_VIEW (widget)->canvas);
}

static void
finish_polygon_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_finish_polygon (FL_IMAGE_VIEW (widget)->canvas);
}

static void
remove_point_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_remove_polygon_point (FL_IMAGE_VIEW (widget)->canvas);
}

static void
nudge_action (GtkWidget *widget, const char *name, GVariant *param)
{
  int dx, dy;

  g_variant_get (param, "(ii)", &dx, &dy);
  fl_image_canvas_nudge_selection (FL_IMAGE_VIEW (widget)->canvas, dx, dy);
}

static void
pick_hotkey_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  const char *key = g_variant_get_string (param, NULL);
  const FlLabelClass *klass;

  if (self->config == NULL || strlen (key) != 1)
    return;
  klass = fl_label_config_find_hotkey (self->config, key[0]);
  if (klass != NULL)
    apply_label (self, klass->name);
}

static void
set_label_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  const char *label = g_variant_get_string (param, NULL);

  if (self->config != NULL && fl_label_config_find_class (self->config, label) != NULL)
    apply_label (self, label);
}

static void
toggle_tag_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);

  if (self->document != NULL)
    fl_image_document_toggle_tag (self->document, g_variant_get_string (param, NULL));
}

/* Alt+1 to Alt+9: the image tags in the order of the label configuration. */
static void
toggle_tag_number_action (GtkWidget *widget, const char *name, GVariant *param)
{
  FlImageView *self = FL_IMAGE_VIEW (widget);
  int number = g_variant_get_int32 (param);
  const char *const *tags;

  if (self->document == NULL || self->config == NULL)
    return;
  tags = fl_label_config_get_tags (self->config);
  for (int i = 1; tags[i - 1] != NULL; i++)
    if (i == number)
      {
        fl_image_document_toggle_tag (self->document, tags[i - 1]);
        return;
      }
}

static void
zoom_in_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_zoom_by (FL_IMAGE_VIEW (widget)->canvas, 1.25);
}

static void
zoom_out_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_zoom_by (FL_IMAGE_VIEW (widget)->canvas, 0.8);
}

static void
zoom_fit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_zoom_to_fit (FL_IMAGE_VIEW (widget)->canvas);
}

static void
zoom_actual_action (GtkWidget *widget, const char *name, GVariant *param)
{
  fl_image_canvas_zoom_to_actual (FL_IMAGE_VIEW (widget)->canvas);
}

static void
search_labels_action (GtkWidget *widget, const char *name, GVariant *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (FL_IMAGE_VIEW (widget)->label_search));
}

static FlImageTool
tool_from_string (const char *tool)
{
  if (g_strcmp0 (tool, "box") == 0)
    return FL_IMAGE_TOOL_BOX;
  if (g_strcmp0 (tool, "polygon") == 0)
    return FL_IMAGE_TOOL_POLYGON;
  if (g_strcmp0 (tool, "point") == 0)
    return FL_IMAGE_TOOL_POINT;
  return FL_IMAGE_TOOL_SELECT;
}

static void
fl_image_view_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlImageView *self = FL_IMAGE_VIEW (object);

  switch (prop_id)
    {
      case PROP_TOOL:
        {
          const char *tool = g_value_get_string (value);
          const char *known[] = { "select", "box", "polygon", "point", NULL };

          if (tool == NULL || !g_strv_contains (known, tool) || g_strcmp0 (tool, self->tool) == 0)
            return;
          g_free (self->tool);
          self->tool = g_strdup (tool);
          fl_image_canvas_set_tool (self->canvas, tool_from_string (tool));
          g_object_notify_by_pspec (object, pspec);
        }
        break;
      case PROP_SHAPES_VISIBLE:
        if (self->shapes_visible == g_value_get_boolean (value))
          return;
        self->shapes_visible = g_value_get_boolean (value);
        fl_image_canvas_set_shapes_visible (self->canvas, self->shapes_visible);
        g_object_notify_by_pspec (object, pspec);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_image_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlImageView *self = FL_IMAGE_VIEW (object);

  switch (prop_id)
    {
      case PROP_TOOL:
        g_value_set_string (value, self->tool);
        break;
      case PROP_SHAPES_VISIBLE:
        g_value_set_boolean (value, self->shapes_visible);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_image_view_dispose (GObject *object)
{
  FlImageView *self = FL_IMAGE_VIEW (object);

  g_clear_handle_id (&self->loading_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  cancel_install (self);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  g_clear_object (&self->document);
  if (self->loader != NULL)
    g_signal_handlers_disconnect_by_data (self->loader, self);
  g_clear_object (&self->loader);
  g_clear_object (&self->config);
  if (self->canvas != NULL)
    g_signal_handlers_disconnect_by_data (self->canvas, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_IMAGE_VIEW);
  G_OBJECT_CLASS (fl_image_view_parent_class)->dispose (object);
}

static void
fl_image_view_finalize (GObject *object)
{
  FlImageView *self = FL_IMAGE_VIEW (object);

  g_clear_pointer (&self->pre_annotation, json_node_unref);
  g_clear_pointer (&self->previous_result, json_node_unref);
  g_free (self->error);
  g_free (self->tool);
  G_OBJECT_CLASS (fl_image_view_parent_class)->finalize (object);
}

static void
add_tool_key (GtkWidgetClass *widget_class, guint key, const char *tool)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, "image.tool", "s", tool);
}

static void
fl_image_view_class_init (FlImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint arrows[][3] = {
    { GDK_KEY_Left, (guint) -1, 0 },
    { GDK_KEY_Right, 1, 0 },
    { GDK_KEY_Up, 0, (guint) -1 },
    { GDK_KEY_Down, 0, 1 },
  };

  object_class->dispose = fl_image_view_dispose;
  object_class->finalize = fl_image_view_finalize;
  object_class->set_property = fl_image_view_set_property;
  object_class->get_property = fl_image_view_get_property;

  properties[PROP_TOOL] =
    g_param_spec_string ("tool", NULL, NULL, "select",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SHAPES_VISIBLE] =
    g_param_spec_boolean ("shapes-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The image's size is known and its shapes can be edited; its pixels
   * follow, coarse ones first. */
  signals[READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_IMAGE_CANVAS);
  g_type_ensure (ADW_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-image-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FlImageView, stack);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, spinner);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, loading_box);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, error_page);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, canvas);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, warning_revealer);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, warning_label);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, label_search);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, label_list);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, tags_heading);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, tag_box);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, attributes_heading);
  gtk_widget_class_bind_template_child (widget_class, FlImageView, attributes_box);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_dismiss_warning);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_property_action (widget_class, "image.tool", "tool");
  gtk_widget_class_install_property_action (widget_class, "image.shapes-visible", "shapes-visible");
  gtk_widget_class_install_action (widget_class, "image.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "image.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "image.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "image.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "image.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "image.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "image.copy-previous", NULL, copy_previous_action);
  gtk_widget_class_install_action (widget_class, "image.select-all", NULL, select_all_action);
  gtk_widget_class_install_action (widget_class, "image.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "image.finish-polygon", NULL,
                                   finish_polygon_action);
  gtk_widget_class_install_action (widget_class, "image.remove-point", NULL, remove_point_action);
  gtk_widget_class_install_action (widget_class, "image.nudge", "(ii)", nudge_action);
  gtk_widget_class_install_action (widget_class, "image.pick-hotkey", "s", pick_hotkey_action);
  gtk_widget_class_install_action (widget_class, "image.set-label", "s", set_label_action);
  gtk_widget_class_install_action (widget_class, "image.toggle-tag", "s", toggle_tag_action);
  gtk_widget_class_install_action (widget_class, "image.toggle-tag-number", "i",
                                   toggle_tag_number_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-fit", NULL, zoom_fit_action);
  gtk_widget_class_install_action (widget_class, "image.zoom-actual", NULL, zoom_actual_action);
  gtk_widget_class_install_action (widget_class, "image.search-labels", NULL, search_labels_action);

  add_tool_key (widget_class, GDK_KEY_v, "select");
  add_tool_key (widget_class, GDK_KEY_w, "box");
  add_tool_key (widget_class, GDK_KEY_p, "polygon");
  add_tool_key (widget_class, GDK_KEY_o, "point");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK,
                                       "image.shapes-visible", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "image.undo",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Z, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_y, GDK_CONTROL_MASK, "image.redo",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "image.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "image.duplicate",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "image.copy",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "image.paste",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.copy-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_V, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "image.copy-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_a, GDK_CONTROL_MASK,
                                       "image.select-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "image.escape", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "image.finish-polygon",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "image.finish-polygon",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "image.remove-point",
                                       NULL);
  for (guint i = 0; i < G_N_ELEMENTS (arrows); i++)
    {
      gtk_widget_class_add_binding_action (widget_class, arrows[i][0], 0, "image.nudge", "(ii)",
                                           (int) arrows[i][1], (int) arrows[i][2]);
      gtk_widget_class_add_binding_action (widget_class, arrows[i][0], GDK_SHIFT_MASK,
                                           "image.nudge", "(ii)", 10 * (int) arrows[i][1],
                                           10 * (int) arrows[i][2]);
    }
  for (char key = '1'; key <= '9'; key++)
    {
      char name[2] = { key, '\0' };

      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + (key - '1'), 0,
                                           "image.pick-hotkey", "s", name);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1 + (key - '1'), 0,
                                           "image.pick-hotkey", "s", name);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + (key - '1'), GDK_ALT_MASK,
                                           "image.toggle-tag-number", "i", key - '0');
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, 0, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, "image.zoom-in",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, 0, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, 0, "image.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, 0, "image.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, 0, "image.zoom-out",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, 0, "image.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, 0, "image.zoom-fit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "image.zoom-actual", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "image.search-labels", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_slash, 0, "image.search-labels", NULL);
}

static void
fl_image_view_init (FlImageView *self)
{
  if (clipboard == NULL)
    clipboard = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);

  self->tool = g_strdup ("select");
  self->shapes_visible = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "editor");
  self->loader = fl_image_loader_new ();
  g_signal_connect (self->loader, "size-known", G_CALLBACK (on_size_known), self);
  g_signal_connect (self->loader, "level-ready", G_CALLBACK (on_level_ready), self);
  g_signal_connect (self->loader, "level-rows-ready", G_CALLBACK (on_level_rows_ready), self);
  g_signal_connect (self->canvas, "selection-changed", G_CALLBACK (on_selection_changed), self);
  gtk_list_box_set_filter_func (self->label_list, filter_labels, self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "image.copy-previous", FALSE);
  on_can_undo_changed (self);
  update_selection_actions (self);
}

GtkWidget *
fl_image_view_new (void)
{
  return g_object_new (FL_TYPE_IMAGE_VIEW, NULL);
}
