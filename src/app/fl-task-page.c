/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTaskPage"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-money.h"
#include "fl-task-page.h"
#include "fl-worker-format.h"

#include "fl-audio-view.h"
#include "fl-image-view.h"

struct _FlTaskPage
{
  AdwBin parent_instance;

  gint64 assignment_id;
  char *kind;
  gint64 deadline_us;
  guint countdown_source;
  gboolean expired;
  gboolean busy;       /* a submit or return is under way: the actions wait */
  gboolean busy_shown; /* and it took long enough for the buttons to say so */
  guint busy_source;
  gboolean loading; /* filling the editor: not an edit */
  GtkWidget *view;  /* the hosted image or audio view, if any */

  GtkRevealer *message_revealer;
  GtkBox *message_box;
  GtkImage *message_icon;
  GtkLabel *message_label;
  GtkLabel *title_label;
  GtkLabel *meta_label;
  GtkLabel *countdown_label;
  GtkSwitch *keep_going_switch;
  GtkToggleButton *instructions_button;
  GtkButton *return_button;
  GtkButton *submit_button;
  GtkLabel *instructions_label;
  GtkStack *work_stack;
  AdwBin *view_slot;
  GtkListBox *assets_list;
  GtkTextView *result_view;
};

G_DEFINE_FINAL_TYPE (FlTaskPage, fl_task_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_KEEP_GOING,
  PROP_INSTRUCTIONS_VISIBLE,
  N_PROPS
};

enum
{
  SIGNAL_SUBMIT,
  SIGNAL_RETURN,
  SIGNAL_CHANGED,
  SIGNAL_EXPIRED,
  SIGNAL_AUDIO_PLAYING,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_actions (FlTaskPage *self)
{
  gboolean can_act = self->assignment_id != 0 && !self->busy_shown;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.submit", can_act && !self->expired);
  /* Once expired, Return closes the task locally: the server has taken it back. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "task.return", can_act);
  gtk_widget_set_sensitive (GTK_WIDGET (self->return_button), can_act);
  gtk_button_set_label (self->return_button, self->expired ? _ ("_Close") : _ ("_Return"));
}

static gboolean
update_countdown (gpointer user_data)
{
  FlTaskPage *self = user_data;
  gint64 left_us = self->deadline_us - g_get_monotonic_time ();
  gint64 left = left_us > 0 ? (left_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC : 0;
  g_autofree char *text = fl_worker_format_countdown (left);

  gtk_label_set_label (self->countdown_label, text);
  if (left <= 60)
    gtk_widget_add_css_class (GTK_WIDGET (self->countdown_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->countdown_label), "error");

  if (left == 0 && self->assignment_id != 0 && !self->expired)
    {
      fl_task_page_set_expired (self);
      g_signal_emit (self, signals[SIGNAL_EXPIRED], 0);
    }
  return G_SOURCE_CONTINUE;
}

static void
start_countdown (FlTaskPage *self)
{
  if (self->countdown_source != 0 || self->assignment_id == 0 || self->expired ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  update_countdown (self);
  self->countdown_source = g_timeout_add_seconds (1, update_countdown, self);
}

static void
stop_countdown (FlTaskPage *self)
{
  g_clear_handle_id (&self->countdown_source, g_source_remove);
}

static void
fl_task_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fl_task_page_parent_class)->map (widget);
  start_countdown (FL_TASK_PAGE (widget));
}

static void
fl_task_page_unmap (GtkWidget *widget)
{
  stop_countdown (FL_TASK_PAGE (widget));
  GTK_WIDGET_CLASS (fl_task_page_parent_class)->unmap (widget);
}

static void
on_return_clicked (FlTaskPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "task.return", NULL);
}

static void
submit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  if (!FL_TASK_PAGE (widget)->busy)
    g_signal_emit (widget, signals[SIGNAL_SUBMIT], 0);
}

static void
return_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  if (!FL_TASK_PAGE (widget)->busy)
    g_signal_emit (widget, signals[SIGNAL_RETURN], 0);
}

/* The buttons turn insensitive only when the wait is long enough to notice:
 * a submit usually commits within milliseconds and the next task follows, and
 * greying them out meanwhile would cost a frame, drawn before the task. */
#define BUSY_SHOWN_AFTER_MS 100

static gboolean
on_busy_timeout (gpointer user_data)
{
  FlTaskPage *self = user_data;

  self->busy_source = 0;
  self->busy_shown = TRUE;
  update_actions (self);
  return G_SOURCE_REMOVE;
}

static void
set_busy (FlTaskPage *self, gboolean busy)
{
  self->busy = busy;
  if (busy)
    {
      if (self->busy_source == 0 && !self->busy_shown)
        self->busy_source = g_timeout_add (BUSY_SHOWN_AFTER_MS, on_busy_timeout, self);
      return;
    }
  g_clear_handle_id (&self->busy_source, g_source_remove);
  self->busy_shown = FALSE;
}

static void
on_result_changed (FlTaskPage *self)
{
  if (!self->loading)
    g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_view_load_failed (FlTaskPage *self, const char *message)
{
  fl_task_page_show_message (self, message, TRUE);
}

static void
on_view_playing (GObject *view, GParamSpec *pspec, FlTaskPage *self)
{
  gboolean playing = FALSE;

  g_object_get (view, "playing", &playing, NULL);
  g_signal_emit (self, signals[SIGNAL_AUDIO_PLAYING], 0, playing);
}

static void
on_keep_going_changed (FlTaskPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_GOING]);
}

static void
on_instructions_toggled (FlTaskPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTRUCTIONS_VISIBLE]);
}

static void
toggle_instructions_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlTaskPage *self = FL_TASK_PAGE (widget);

  gtk_toggle_button_set_active (self->instructions_button,
                                !gtk_toggle_button_get_active (self->instructions_button));
}

static void
fl_task_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlTaskPage *self = FL_TASK_PAGE (object);

  switch (prop_id)
    {
      case PROP_KEEP_GOING:
        g_value_set_boolean (value, fl_task_page_get_keep_going (self));
        break;
      case PROP_INSTRUCTIONS_VISIBLE:
        g_value_set_boolean (value, gtk_toggle_button_get_active (self->instructions_button));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_task_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlTaskPage *self = FL_TASK_PAGE (object);

  switch (prop_id)
    {
      case PROP_KEEP_GOING:
        fl_task_page_set_keep_going (self, g_value_get_boolean (value));
        break;
      case PROP_INSTRUCTIONS_VISIBLE:
        gtk_toggle_button_set_active (self->instructions_button, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_task_page_dispose (GObject *object)
{
  FlTaskPage *self = FL_TASK_PAGE (object);

  stop_countdown (self);
  g_clear_handle_id (&self->busy_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_TASK_PAGE);
  g_clear_pointer (&self->kind, g_free);

  G_OBJECT_CLASS (fl_task_page_parent_class)->dispose (object);
}

static void
fl_task_page_class_init (FlTaskPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_task_page_dispose;
  object_class->get_property = fl_task_page_get_property;
  object_class->set_property = fl_task_page_set_property;
  widget_class->map = fl_task_page_map;
  widget_class->unmap = fl_task_page_unmap;

  properties[PROP_KEEP_GOING] =
    g_param_spec_boolean ("keep-going", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Hidden, the instructions leave their room to the work on small screens. */
  properties[PROP_INSTRUCTIONS_VISIBLE] =
    g_param_spec_boolean ("instructions-visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RETURN] = g_signal_new ("return", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* After every edit, for the autosave. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_EXPIRED] = g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* (playing): audio plays, so the worker is not idle. */
  signals[SIGNAL_AUDIO_PLAYING] =
    g_signal_new ("audio-playing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_install_action (widget_class, "task.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "task.return", NULL, return_action);
  gtk_widget_class_install_action (widget_class, "task.toggle-instructions", NULL,
                                   toggle_instructions_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "task.submit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK,
                                       "task.toggle-instructions", NULL);

  /* The application adds its icons to the theme; a page made without it (a
   * test, a tool) finds them too. */
  if (g_application_get_default () == NULL && gdk_display_get_default () != NULL)
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/fairlabel/Fairlabel/icons");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-task-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, message_revealer);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, message_box);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, message_icon);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, meta_label);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, keep_going_switch);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, instructions_button);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, return_button);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, instructions_label);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, work_stack);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, view_slot);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, assets_list);
  gtk_widget_class_bind_template_child (widget_class, FlTaskPage, result_view);
  gtk_widget_class_bind_template_callback (widget_class, on_return_clicked);
}

static void
fl_task_page_init (FlTaskPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (gtk_text_view_get_buffer (self->result_view), "changed",
                           G_CALLBACK (on_result_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->keep_going_switch, "notify::active",
                           G_CALLBACK (on_keep_going_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->instructions_button, "notify::active",
                           G_CALLBACK (on_instructions_toggled), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

GtkWidget *
fl_task_page_new (void)
{
  return g_object_new (FL_TYPE_TASK_PAGE, NULL);
}

static void
open_file (GtkButton *button, GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
}

static void
fill_assets (FlTaskPage *self, const FlAssignment *assignment, GPtrArray *files)
{
  GtkWidget *child;
  GPtrArray *assets = assignment->task != NULL ? assignment->task->assets : NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->assets_list))) != NULL)
    gtk_list_box_remove (self->assets_list, child);

  for (guint i = 0; assets != NULL && i < assets->len; i++)
    {
      const FlAsset *asset = g_ptr_array_index (assets, i);
      GFile *file = files != NULL && i < files->len ? g_ptr_array_index (files, i) : NULL;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *size = g_format_size ((guint64) MAX (asset->size, 0));
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     asset->name != NULL ? asset->name : asset->sha256);
      if (file != NULL)
        {
          GtkWidget *button = gtk_button_new_with_label (_ ("Open"));

          gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
          g_signal_connect_object (button, "clicked", G_CALLBACK (open_file), file, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
          subtitle = g_strdup_printf ("%s · %s", asset->media_type ? asset->media_type : "", size);
        }
      else
        subtitle = g_strdup (_ ("Could not be downloaded"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->assets_list, row);
    }
}

static char *
initial_result (const FlAssignment *assignment, const char *draft_json)
{
  if (draft_json != NULL)
    return g_strdup (draft_json);
  if (assignment->task != NULL && assignment->task->pre_annotation != NULL)
    return json_to_string (assignment->task->pre_annotation, TRUE);
  if (g_strcmp0 (assignment->kind, "audio") == 0)
    return g_strdup ("{\n  \"kind\": \"audio\",\n  \"segments\": []\n}");
  return g_strdup ("{\n  \"kind\": \"image\",\n  \"shapes\": [],\n  \"tags\": []\n}");
}

/* Hosts the view for the task's kind, reusing the one shown before when it
 * fits: switching tasks then costs a load, not a new widget tree. */
static GtkWidget *
make_view (FlTaskPage *self, const FlAssignment *assignment, GPtrArray *files,
           const char *draft_json)
{
  GFile *file = files != NULL && files->len > 0 ? g_ptr_array_index (files, 0) : NULL;
  g_autoptr (JsonNode) pre = NULL;
  GType type = G_TYPE_INVALID;
  GtkWidget *view;

  if (g_strcmp0 (assignment->kind, "image") == 0)
    type = FL_TYPE_IMAGE_VIEW;
  else if (g_strcmp0 (assignment->kind, "audio") == 0)
    type = FL_TYPE_AUDIO_VIEW;
  if (file == NULL || type == G_TYPE_INVALID)
    return NULL;

  if (draft_json != NULL)
    pre = json_from_string (draft_json, NULL);
  else if (assignment->task != NULL && assignment->task->pre_annotation != NULL)
    pre = json_node_copy (assignment->task->pre_annotation);

  if (self->view != NULL && G_OBJECT_TYPE (self->view) == type)
    view = self->view;
  else
    {
      view = g_object_new (type, NULL);
      g_signal_connect_object (view, "changed", G_CALLBACK (on_result_changed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (view, "load-failed", G_CALLBACK (on_view_load_failed), self,
                               G_CONNECT_SWAPPED);
      if (g_object_class_find_property (G_OBJECT_GET_CLASS (view), "playing") != NULL)
        g_signal_connect_object (view, "notify::playing", G_CALLBACK (on_view_playing), self, 0);
    }

  /* Loading is not an edit. */
  self->loading = TRUE;
  if (type == FL_TYPE_IMAGE_VIEW)
    fl_image_view_load (FL_IMAGE_VIEW (view), file, assignment->label_config, pre);
  else
    fl_audio_view_load (FL_AUDIO_VIEW (view), file, assignment->label_config, pre);
  self->loading = FALSE;
  return view;
}

void
fl_task_page_show (FlTaskPage *self, const FlAssignment *assignment, GPtrArray *files,
                   gint64 deadline_us, const char *draft_json)
{
  g_autofree char *reward = NULL;
  g_autofree char *task_id = NULL;
  g_autofree char *meta = NULL;
  g_autofree char *result = NULL;
  GtkWidget *view;

  g_return_if_fail (FL_IS_TASK_PAGE (self));
  g_return_if_fail (assignment != NULL);

  self->assignment_id = assignment->id;
  g_free (self->kind);
  self->kind = g_strdup (assignment->kind);
  self->expired = FALSE;
  set_busy (self, FALSE);
  fl_task_page_show_message (self, NULL, FALSE);

  gtk_label_set_label (self->title_label, assignment->title != NULL ? assignment->title : "");
  reward = fl_money_format (&assignment->reward);
  task_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                             assignment->task != NULL ? assignment->task->id : assignment->id);
  /* Translators: “Pays 0.50 USD · task 12” */
  meta = g_strdup_printf (_ ("Pays %s · task %s"), reward, task_id);
  gtk_label_set_label (self->meta_label, meta);
  gtk_label_set_label (self->instructions_label,
                       assignment->instructions != NULL && *assignment->instructions != '\0'
                         ? assignment->instructions
                         : _ ("This project has no written instructions."));

  view = make_view (self, assignment, files, draft_json);
  if (view != self->view)
    {
      self->view = view;
      adw_bin_set_child (self->view_slot, view);
    }
  /* The files and the result as text are for tasks without a view; filled
   * for a task with one, the hidden page would still be measured each switch. */
  if (view == NULL)
    {
      fill_assets (self, assignment, files);
      result = initial_result (assignment, draft_json);
      self->loading = TRUE;
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->result_view), result, -1);
      self->loading = FALSE;
    }
  gtk_stack_set_visible_child_name (self->work_stack, self->view != NULL ? "view" : "plain");

  stop_countdown (self);
  self->deadline_us = deadline_us;
  start_countdown (self);
  update_actions (self);
}

gint64
fl_task_page_get_assignment_id (FlTaskPage *self)
{
  g_return_val_if_fail (FL_IS_TASK_PAGE (self), 0);

  return self->assignment_id;
}

void
fl_task_page_set_deadline (FlTaskPage *self, gint64 deadline_us)
{
  g_return_if_fail (FL_IS_TASK_PAGE (self));

  self->deadline_us = deadline_us;
  if (self->countdown_source != 0)
    update_countdown (self);
}

JsonNode *
fl_task_page_get_result (FlTaskPage *self, GError **error)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) local_error = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_val_if_fail (FL_IS_TASK_PAGE (self), NULL);

  if (self->view != NULL)
    {
      if (FL_IS_IMAGE_VIEW (self->view))
        node = fl_image_view_get_result (FL_IMAGE_VIEW (self->view));
      else
        node = fl_audio_view_get_result (FL_AUDIO_VIEW (self->view));
      /* A view answers nothing while its file is still loading or failed to. */
      if (node == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                             _ ("The task’s file is not loaded yet, so there is nothing to "
                                "submit. Wait for it to appear, then submit again."));
      return g_steal_pointer (&node);
    }

  buffer = gtk_text_view_get_buffer (self->result_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  node = json_from_string (text, &local_error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _ ("The result is not a JSON object%s%s. Fix it, then submit again."),
                   local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }
  return g_steal_pointer (&node);
}

char *
fl_task_page_get_draft_text (FlTaskPage *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (FL_IS_TASK_PAGE (self), NULL);

  if (self->view != NULL)
    {
      g_autoptr (JsonNode) node = fl_task_page_get_result (self, NULL);
      return node != NULL ? json_to_string (node, FALSE) : NULL;
    }
  buffer = gtk_text_view_get_buffer (self->result_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
fl_task_page_show_message (FlTaskPage *self, const char *message, gboolean is_error)
{
  g_return_if_fail (FL_IS_TASK_PAGE (self));

  if (message == NULL)
    {
      gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
      return;
    }
  gtk_label_set_label (self->message_label, message);
  gtk_image_set_from_icon_name (self->message_icon, is_error ? "dialog-warning-symbolic"
                                                             : "dialog-information-symbolic");
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_icon), "error");
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
}

void
fl_task_page_set_busy (FlTaskPage *self, gboolean busy)
{
  g_return_if_fail (FL_IS_TASK_PAGE (self));

  set_busy (self, busy);
  update_actions (self);
}

void
fl_task_page_set_expired (FlTaskPage *self)
{
  g_return_if_fail (FL_IS_TASK_PAGE (self));

  if (self->expired)
    return;
  self->expired = TRUE;
  stop_countdown (self);
  gtk_label_set_label (self->countdown_label, "0:00");
  fl_task_page_show_message (
    self,
    _ ("The time reserved for this task ran out and it went back to the pool, so it can no "
       "longer be submitted. Your work on it is kept in your drafts."),
    TRUE);
  update_actions (self);
}

gboolean
fl_task_page_get_expired (FlTaskPage *self)
{
  g_return_val_if_fail (FL_IS_TASK_PAGE (self), FALSE);

  return self->expired;
}

gboolean
fl_task_page_get_keep_going (FlTaskPage *self)
{
  g_return_val_if_fail (FL_IS_TASK_PAGE (self), FALSE);

  return gtk_switch_get_active (self->keep_going_switch);
}

void
fl_task_page_set_keep_going (FlTaskPage *self, gboolean keep_going)
{
  g_return_if_fail (FL_IS_TASK_PAGE (self));

  gtk_switch_set_active (self->keep_going_switch, keep_going);
}
