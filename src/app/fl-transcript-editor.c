/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTranscriptEditor"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-transcript-editor.h"

struct _FlTranscriptEditor
{
  GtkWidget parent_instance;

  GtkStack *stack;
  GtkWidget *empty_label;
  GtkScrolledWindow *scroller;
  GtkListView *list;
  GtkTextView *whole_text;

  FlTranscript *transcript;
  /* One light item object per segment: the list view only builds rows that are visible. */
  GListStore *items;
  GtkSingleSelection *selection;
  GHashTable *bound_rows;  /* row widget -> GtkListItem */
  GtkStringList *speakers; /* "No speaker" first */
  gboolean whole_file;
  gboolean updating;
  int current;
  int pending_focus;
  gboolean pending_at_start;
};

G_DEFINE_FINAL_TYPE (FlTranscriptEditor, fl_transcript_editor, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SEEK_REQUESTED,
  SIGNAL_SEGMENT_FOCUSED,
  SIGNAL_WARNING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
row_position (GtkWidget *row)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (row), "list-item");
  guint position = item != NULL ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;

  return position == GTK_INVALID_LIST_POSITION ? -1 : (int) position;
}

static GtkWidget *
row_at (FlTranscriptEditor *self, int index)
{
  GHashTableIter iter;
  gpointer row;

  if (index < 0)
    return NULL;
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    if (row_position (row) == index)
      return row;
  return NULL;
}

static GtkTextView *
row_text_view (GtkWidget *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "text-view") : NULL;
}

static FlTranscriptEditor *
row_editor (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "editor");
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_buffer_text (FlTranscriptEditor *self, GtkTextBuffer *buffer, const char *text)
{
  g_autofree char *old = buffer_text (buffer);

  if (g_strcmp0 (old, text) == 0)
    return;
  self->updating = TRUE;
  gtk_text_buffer_set_text (buffer, text, -1);
  self->updating = FALSE;
}

static char *
times_label (const FlSegment *seg)
{
  g_autofree char *start = fl_format_timestamp (seg->start_ms);
  g_autofree char *end = fl_format_timestamp (seg->end_ms);

  return g_strdup_printf ("%s – %s", start, end);
}

static guint
speaker_position (FlTranscriptEditor *self, const char *speaker)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->speakers));

  if (speaker == NULL)
    return 0;
  for (guint i = 1; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->speakers, i), speaker) == 0)
      return i;
  /* A speaker from a pre-annotation that the label config does not list. */
  gtk_string_list_append (self->speakers, speaker);
  return n;
}

static void
update_row (FlTranscriptEditor *self, GtkWidget *row, const FlSegment *seg)
{
  g_autofree char *label = times_label (seg);
  GtkDropDown *speaker = g_object_get_data (G_OBJECT (row), "speaker");

  gtk_button_set_label (g_object_get_data (G_OBJECT (row), "time-button"), label);
  self->updating = TRUE;
  gtk_drop_down_set_selected (speaker, speaker_position (self, seg->speaker));
  self->updating = FALSE;
  set_buffer_text (self, gtk_text_view_get_buffer (row_text_view (row)), seg->text);
}

static void
on_text_changed (GtkTextBuffer *buffer, GtkWidget *row)
{
  FlTranscriptEditor *self = row_editor (row);
  g_autofree char *text = NULL;
  int index = row_position (row);

  if (self->updating || self->transcript == NULL || index < 0)
    return;
  text = buffer_text (buffer);
  fl_transcript_set_text (self->transcript, index, text, NULL);
}

static void
on_speaker_selected (GtkDropDown *dropdown, GParamSpec *pspec, GtkWidget *row)
{
  FlTranscriptEditor *self = row_editor (row);
  guint selected = gtk_drop_down_get_selected (dropdown);
  int index = row_position (row);

  if (self->updating || self->transcript == NULL || index < 0)
    return;
  fl_transcript_set_speaker (self->transcript, index,
                             selected == 0 || selected == GTK_INVALID_LIST_POSITION
                               ? NULL
                               : gtk_string_list_get_string (self->speakers, selected));
}

static void
select_index (FlTranscriptEditor *self, int index)
{
  if (index >= 0)
    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), index, TRUE);
  if (index == self->current)
    return;
  self->current = index;
  g_signal_emit (self, signals[SIGNAL_SEGMENT_FOCUSED], 0, index);
}

static void
on_time_clicked (GtkButton *button, GtkWidget *row)
{
  FlTranscriptEditor *self = row_editor (row);
  int index = row_position (row);

  if (index < 0 || self->transcript == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_SEEK_REQUESTED], 0,
                 fl_transcript_get_segment (self->transcript, index)->start_ms);
  fl_transcript_editor_focus_segment (self, index, FALSE);
}

static void
on_text_focus_enter (GtkEventControllerFocus *focus, GtkWidget *row)
{
  select_index (row_editor (row), row_position (row));
}

typedef struct
{
  FlTranscriptEditor *self;
  GtkTextView *view;
} Paste;

static void
paste_free (Paste *p)
{
  g_object_unref (p->self);
  g_object_unref (p->view);
  g_free (p);
}

static void
on_paste_spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Paste *p = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  GtkTextBuffer *buffer;
  gsize size;
  const char *data;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      g_debug ("Could not paste: %s", error->message);
      paste_free (p);
      return;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (source));
  data = g_bytes_get_data (bytes, &size);
  if (data == NULL || size == 0)
    {
      paste_free (p);
      return;
    }
  if (g_utf8_validate_len (data, size, NULL))
    text = g_strndup (data, size);
  else
    {
      /* Keep everything that is readable; mark what was not, and say so. */
      text = g_utf8_make_valid (data, size);
      g_signal_emit (p->self, signals[SIGNAL_WARNING], 0,
                     _ ("The pasted text contained bytes that are not valid UTF-8; they were "
                        "replaced with “\xef\xbf\xbd”."));
    }
  buffer = gtk_text_view_get_buffer (p->view);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, gtk_text_view_get_editable (p->view));
  gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1,
                                                gtk_text_view_get_editable (p->view));
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_view_scroll_mark_onscreen (p->view, gtk_text_buffer_get_insert (buffer));
  paste_free (p);
}

static void
on_paste_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Paste *p = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GOutputStream) memory = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (source), result, NULL, &error);
  if (stream == NULL)
    {
      g_debug ("Nothing to paste: %s", error->message);
      paste_free (p);
      return;
    }
  memory = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (
    memory, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
    G_PRIORITY_DEFAULT, NULL, on_paste_spliced, p);
}

/* GTK would drop a paste that is not valid UTF-8; read the bytes ourselves to keep what we can. */
static void
on_paste_clipboard (GtkTextView *view, FlTranscriptEditor *self)
{
  static const char *mime_types[] = { "text/plain;charset=utf-8", "text/plain", NULL };
  Paste *p = g_new0 (Paste, 1);

  g_signal_stop_emission_by_name (view, "paste-clipboard");
  p->self = g_object_ref (self);
  p->view = g_object_ref (view);
  gdk_clipboard_read_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), mime_types,
                            G_PRIORITY_DEFAULT, NULL, on_paste_read, p);
}

static void
on_setup_row (GtkSignalListItemFactory *factory, GtkListItem *item, FlTranscriptEditor *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *side = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *time_button = gtk_button_new ();
  GtkWidget *speaker = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (self->speakers)), NULL);
  GtkWidget *text = gtk_text_view_new ();
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_list_item_set_activatable (item, FALSE);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_add_css_class (time_button, "flat");
  gtk_widget_add_css_class (time_button, "numeric");
  gtk_widget_set_tooltip_text (time_button, _ ("Play from the start of this segment"));
  gtk_widget_set_tooltip_text (speaker, _ ("Speaker"));
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (text), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (text), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (text), 6);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Segment text"), -1);
  gtk_box_append (GTK_BOX (side), time_button);
  gtk_box_append (GTK_BOX (side), speaker);
  gtk_box_append (GTK_BOX (box), side);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_add_controller (text, focus);
  gtk_list_item_set_child (item, box);

  g_object_set_data (G_OBJECT (box), "editor", self);
  g_object_set_data (G_OBJECT (box), "list-item", item);
  g_object_set_data (G_OBJECT (box), "text-view", text);
  g_object_set_data (G_OBJECT (box), "time-button", time_button);
  g_object_set_data (G_OBJECT (box), "speaker", speaker);

  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (text)), "changed",
                    G_CALLBACK (on_text_changed), box);
  g_signal_connect (text, "paste-clipboard", G_CALLBACK (on_paste_clipboard), self);
  g_signal_connect (speaker, "notify::selected", G_CALLBACK (on_speaker_selected), box);
  g_signal_connect (time_button, "clicked", G_CALLBACK (on_time_clicked), box);
  g_signal_connect (focus, "enter", G_CALLBACK (on_text_focus_enter), box);
}

static void
focus_row (FlTranscriptEditor *self, GtkWidget *row, gboolean at_start)
{
  GtkTextView *view = row_text_view (row);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;

  if (!gtk_widget_has_focus (GTK_WIDGET (view)) || at_start)
    {
      if (at_start)
        gtk_text_buffer_get_start_iter (buffer, &iter);
      else
        gtk_text_buffer_get_end_iter (buffer, &iter);
      gtk_text_buffer_place_cursor (buffer, &iter);
    }
  gtk_widget_grab_focus (GTK_WIDGET (view));
}

static void
on_bind_row (GtkSignalListItemFactory *factory, GtkListItem *item, FlTranscriptEditor *self)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  int index = (int) gtk_list_item_get_position (item);

  g_hash_table_add (self->bound_rows, row);
  if (self->transcript == NULL || index >= (int) fl_transcript_get_n_segments (self->transcript))
    return;
  update_row (self, row, fl_transcript_get_segment (self->transcript, index));
  if (index == self->pending_focus)
    {
      self->pending_focus = -1;
      focus_row (self, row, self->pending_at_start);
    }
}

static void
on_unbind_row (GtkSignalListItemFactory *factory, GtkListItem *item, FlTranscriptEditor *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (item));
}

static void
update_empty (FlTranscriptEditor *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->items)) == 0;

  gtk_widget_set_visible (self->empty_label, empty);
  gtk_widget_set_visible (GTK_WIDGET (self->scroller), !empty);
}

static void
sync_whole_text (FlTranscriptEditor *self)
{
  if (self->transcript != NULL && fl_transcript_get_n_segments (self->transcript) == 1)
    set_buffer_text (self, gtk_text_view_get_buffer (self->whole_text),
                     fl_transcript_get_segment (self->transcript, 0)->text);
}

static void
on_segments_changed (FlTranscript *transcript, guint position, guint removed, guint added,
                     FlTranscriptEditor *self)
{
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < added; i++)
    g_ptr_array_add (fresh, g_object_new (G_TYPE_OBJECT, NULL));
  g_list_store_splice (self->items, position, removed, fresh->pdata, added);
  /* Rows that stay bound across the splice show their new position's segment. */
  {
    GHashTableIter iter;
    gpointer row;
    guint n = fl_transcript_get_n_segments (transcript);

    g_hash_table_iter_init (&iter, self->bound_rows);
    while (g_hash_table_iter_next (&iter, &row, NULL))
      {
        int index = row_position (row);

        if (index >= 0 && index < (int) n)
          update_row (self, row, fl_transcript_get_segment (transcript, index));
      }
  }
  if (self->current >= (int) fl_transcript_get_n_segments (transcript))
    self->current = -1;
  update_empty (self);
  sync_whole_text (self);
}

static void
on_segment_changed (FlTranscript *transcript, guint index, FlTranscriptEditor *self)
{
  GtkWidget *row = row_at (self, index);

  if (row != NULL)
    update_row (self, row, fl_transcript_get_segment (transcript, index));
  sync_whole_text (self);
}

static void
on_whole_text_changed (GtkTextBuffer *buffer, FlTranscriptEditor *self)
{
  g_autofree char *text = NULL;

  if (self->updating || self->transcript == NULL ||
      fl_transcript_get_n_segments (self->transcript) != 1)
    return;
  text = buffer_text (buffer);
  fl_transcript_set_text (self->transcript, 0, text, NULL);
}

static void
fl_transcript_editor_dispose (GObject *object)
{
  FlTranscriptEditor *self = FL_TRANSCRIPT_EDITOR (object);

  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  g_clear_object (&self->transcript);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_TRANSCRIPT_EDITOR);
  g_clear_object (&self->selection);
  g_clear_object (&self->items);
  g_clear_pointer (&self->bound_rows, g_hash_table_unref);
  g_clear_object (&self->speakers);
  G_OBJECT_CLASS (fl_transcript_editor_parent_class)->dispose (object);
}

static void
fl_transcript_editor_class_init (FlTranscriptEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_transcript_editor_dispose;

  signals[SIGNAL_SEEK_REQUESTED] =
    g_signal_new ("seek-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_SEGMENT_FOCUSED] =
    g_signal_new ("segment-focused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_WARNING] = g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fairlabel/Fairlabel/fl-transcript-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, FlTranscriptEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, FlTranscriptEditor, empty_label);
  gtk_widget_class_bind_template_child (widget_class, FlTranscriptEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, FlTranscriptEditor, list);
  gtk_widget_class_bind_template_child (widget_class, FlTranscriptEditor, whole_text);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fl_transcript_editor_init (FlTranscriptEditor *self)
{
  const char *no_speaker[] = { _ ("No speaker"), NULL };
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->current = -1;
  self->pending_focus = -1;
  self->speakers = gtk_string_list_new (no_speaker);
  self->items = g_list_store_new (G_TYPE_OBJECT);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->items)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->bound_rows = g_hash_table_new (NULL, NULL);

  g_signal_connect (factory, "setup", G_CALLBACK (on_setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (on_bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (on_unbind_row), self);
  gtk_list_view_set_factory (self->list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (self->selection));
  update_empty (self);

  g_signal_connect (gtk_text_view_get_buffer (self->whole_text), "changed",
                    G_CALLBACK (on_whole_text_changed), self);
  g_signal_connect (self->whole_text, "paste-clipboard", G_CALLBACK (on_paste_clipboard), self);
}

GtkWidget *
fl_transcript_editor_new (void)
{
  return g_object_new (FL_TYPE_TRANSCRIPT_EDITOR, NULL);
}

void
fl_transcript_editor_set_transcript (FlTranscriptEditor *self, FlTranscript *transcript)
{
  guint n;

  g_return_if_fail (FL_IS_TRANSCRIPT_EDITOR (self));

  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  g_list_store_remove_all (self->items);
  g_set_object (&self->transcript, transcript);
  self->current = -1;
  self->pending_focus = -1;
  update_empty (self);
  if (transcript == NULL)
    return;
  g_signal_connect (transcript, "segments-changed", G_CALLBACK (on_segments_changed), self);
  g_signal_connect (transcript, "segment-changed", G_CALLBACK (on_segment_changed), self);
  n = fl_transcript_get_n_segments (transcript);
  on_segments_changed (transcript, 0, 0, n, self);
}

void
fl_transcript_editor_set_speakers (FlTranscriptEditor *self, const char *const *speakers)
{
  guint n;

  g_return_if_fail (FL_IS_TRANSCRIPT_EDITOR (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->speakers));
  gtk_string_list_splice (self->speakers, 1, n - 1, speakers);
}

void
fl_transcript_editor_set_whole_file (FlTranscriptEditor *self, gboolean whole_file)
{
  g_return_if_fail (FL_IS_TRANSCRIPT_EDITOR (self));

  self->whole_file = whole_file;
  gtk_stack_set_visible_child_name (self->stack, whole_file ? "whole-file" : "segments");
  if (whole_file)
    sync_whole_text (self);
}

gboolean
fl_transcript_editor_get_whole_file (FlTranscriptEditor *self)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT_EDITOR (self), FALSE);
  return self->whole_file;
}

GtkTextView *
fl_transcript_editor_get_text_view (FlTranscriptEditor *self, int index)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT_EDITOR (self), NULL);

  if (self->whole_file)
    return self->whole_text;
  return row_text_view (row_at (self, index));
}

void
fl_transcript_editor_focus_segment (FlTranscriptEditor *self, int index, gboolean at_start)
{
  GtkWidget *row;

  g_return_if_fail (FL_IS_TRANSCRIPT_EDITOR (self));

  if (self->whole_file)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->whole_text));
      return;
    }
  if (index < 0 || index >= (int) g_list_model_get_n_items (G_LIST_MODEL (self->items)))
    return;
  select_index (self, index);
  gtk_widget_activate_action (GTK_WIDGET (self->list), "list.scroll-to-item", "u", (guint) index);
  row = row_at (self, index);
  if (row != NULL)
    focus_row (self, row, at_start);
  else
    {
      /* The row is built on the next layout; focus it when it is bound. */
      self->pending_focus = index;
      self->pending_at_start = at_start;
    }
}

int
fl_transcript_editor_get_current_segment (FlTranscriptEditor *self)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT_EDITOR (self), -1);

  if (self->whole_file)
    return self->transcript != NULL && fl_transcript_get_n_segments (self->transcript) > 0 ? 0 : -1;
  return self->current;
}

int
fl_transcript_editor_get_cursor_offset (FlTranscriptEditor *self)
{
  GtkTextView *view;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_val_if_fail (FL_IS_TRANSCRIPT_EDITOR (self), -1);

  view = fl_transcript_editor_get_text_view (self, self->current);
  if (view == NULL)
    return -1;
  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  return gtk_text_iter_get_offset (&iter);
}

void
fl_transcript_editor_insert_at_cursor (FlTranscriptEditor *self, const char *text)
{
  GtkTextView *view;

  g_return_if_fail (FL_IS_TRANSCRIPT_EDITOR (self));
  g_return_if_fail (text != NULL);

  view = fl_transcript_editor_get_text_view (self, self->current);
  if (view == NULL)
    return;
  gtk_text_buffer_insert_interactive_at_cursor (gtk_text_view_get_buffer (view), text, -1, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (view));
}
