/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlWaveformView"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fl-waveform-view.h"

#define RULER_HEIGHT 18
#define EDGE_GRAB_PX 6
#define CLICK_SLOP_PX 4
#define DEFAULT_PIXELS_PER_SECOND 50.0
#define MAX_PIXELS_PER_SECOND 2000.0

typedef enum
{
  DRAG_NONE,
  DRAG_CREATE,
  DRAG_START_EDGE,
  DRAG_END_EDGE,
} DragMode;

struct _FlWaveformView
{
  GtkWidget parent_instance;

  FlWaveform *waveform;
  FlPlayer *player;
  FlTranscript *transcript;
  GHashTable *speaker_colors; /* name -> GdkRGBA */
  int selected;

  GtkAdjustment *hadjustment;
  double pixels_per_second;
  gboolean user_zoomed;
  guint tick_id;

  DragMode drag_mode;
  int drag_index;
  double drag_start_x;
  gint64 drag_anchor_ms;
  gint64 drag_other_ms;
  gint64 drag_limit_lo_ms;
  gint64 drag_limit_hi_ms;

  /* The waveform drawn once per view change; playhead moves reuse it. */
  GskRenderNode *wave_node;
  double wave_key_value;
  double wave_key_pps;
  int wave_key_width;
  int wave_key_height;
  gint64 wave_key_loaded;
};

G_DEFINE_FINAL_TYPE (FlWaveformView, fl_waveform_view, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SEGMENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const palette[] = {
  "#3584e4", "#e66100", "#2ec27e", "#9141ac", "#c01c28", "#986a44", "#f5c211", "#1c71d8",
};

static gint64
get_duration_ms (FlWaveformView *self)
{
  gint64 duration = 0;

  if (self->waveform != NULL)
    duration = MAX (duration, fl_waveform_get_duration_ms (self->waveform));
  if (self->player != NULL)
    duration = MAX (duration, fl_player_get_duration_ms (self->player));
  if (self->transcript != NULL)
    duration = MAX (duration, fl_transcript_get_duration_ms (self->transcript));
  return duration;
}

double
fl_waveform_view_time_to_x (FlWaveformView *self, gint64 time_ms)
{
  g_return_val_if_fail (FL_IS_WAVEFORM_VIEW (self), 0);
  return (time_ms / 1000.0 - gtk_adjustment_get_value (self->hadjustment)) *
         self->pixels_per_second;
}

gint64
fl_waveform_view_x_to_time (FlWaveformView *self, double x)
{
  double t;

  g_return_val_if_fail (FL_IS_WAVEFORM_VIEW (self), 0);
  t = gtk_adjustment_get_value (self->hadjustment) + x / self->pixels_per_second;
  return (gint64) llround (CLAMP (t, 0, get_duration_ms (self) / 1000.0) * 1000.0);
}

static double
min_pixels_per_second (FlWaveformView *self)
{
  gint64 duration = get_duration_ms (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  if (duration <= 0 || width <= 0)
    return 0.01;
  return MAX (width / (duration / 1000.0), 0.001);
}

static void
update_adjustment (FlWaveformView *self)
{
  double upper = get_duration_ms (self) / 1000.0;
  double page = gtk_widget_get_width (GTK_WIDGET (self)) / self->pixels_per_second;
  double value = gtk_adjustment_get_value (self->hadjustment);

  page = MIN (page, MAX (upper, 0.001));
  value = CLAMP (value, 0, MAX (upper - page, 0));
  gtk_adjustment_configure (self->hadjustment, value, 0, MAX (upper, 0.001), page / 10, page * 0.9,
                            page);
}

static void
invalidate_waveform (FlWaveformView *self)
{
  g_clear_pointer (&self->wave_node, gsk_render_node_unref);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
ensure_visible (FlWaveformView *self, gint64 time_ms, gboolean following)
{
  double page = gtk_adjustment_get_page_size (self->hadjustment);
  double value = gtk_adjustment_get_value (self->hadjustment);
  double t = time_ms / 1000.0;

  if (t >= value && t <= value + page * (following ? 0.9 : 1.0))
    return;
  gtk_adjustment_set_value (self->hadjustment, t - page * 0.1);
}

static gboolean
on_tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  FlWaveformView *self = FL_WAVEFORM_VIEW (widget);

  if (self->player != NULL && self->drag_mode == DRAG_NONE)
    ensure_visible (self, fl_player_query_position_ms (self->player), TRUE);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
on_playing_changed (FlWaveformView *self)
{
  /* Frames are only requested while audio plays; a paused view costs nothing. */
  if (fl_player_get_playing (self->player))
    {
      if (self->tick_id == 0)
        self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
    }
  else if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_position_changed (FlWaveformView *self)
{
  if (!fl_player_get_playing (self->player))
    {
      ensure_visible (self, fl_player_get_position_ms (self->player), FALSE);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_duration_changed (FlWaveformView *self)
{
  gint64 duration = get_duration_ms (self);
  int width = gtk_widget_get_width (GTK_WIDGET (self));

  /* A recording shorter than the view fills it until the worker zooms. */
  if (!self->user_zoomed && duration > 0 && width > 0 &&
      duration / 1000.0 * self->pixels_per_second < width)
    self->pixels_per_second = MIN (width / (duration / 1000.0), MAX_PIXELS_PER_SECOND);
  update_adjustment (self);
  invalidate_waveform (self);
}

static GdkRGBA
speaker_color (FlWaveformView *self, const char *speaker)
{
  GdkRGBA color;
  const GdkRGBA *known;

  if (speaker == NULL)
    {
      gdk_rgba_parse (&color, "#77767b");
      return color;
    }
  known = g_hash_table_lookup (self->speaker_colors, speaker);
  if (known != NULL)
    return *known;
  gdk_rgba_parse (&color, palette[g_str_hash (speaker) % G_N_ELEMENTS (palette)]);
  return color;
}

static GdkRGBA
foreground_color (FlWaveformView *self)
{
  GdkRGBA fg;

  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), &fg);
  return fg;
}

static GskRenderNode *
build_wave_node (FlWaveformView *self, int width, int height)
{
  graphene_rect_t bounds = GRAPHENE_RECT_INIT (0, RULER_HEIGHT, width, height - RULER_HEIGHT);
  GskRenderNode *node = gsk_cairo_node_new (&bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  g_autofree float *mins = g_new (float, width);
  g_autofree float *maxs = g_new (float, width);
  GdkRGBA fg = foreground_color (self);
  double mid = RULER_HEIGHT + (height - RULER_HEIGHT) / 2.0;
  double half = (height - RULER_HEIGHT) / 2.0 - 2;
  guint n = 0;

  if (self->waveform != NULL)
    n = fl_waveform_get_peaks (self->waveform, gtk_adjustment_get_value (self->hadjustment),
                               1.0 / self->pixels_per_second, width, mins, maxs);

  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
  cairo_rectangle (cr, 0, mid - 0.5, width, 1);
  cairo_fill (cr);

  if (n > 0)
    {
      cairo_move_to (cr, 0, mid - maxs[0] * half);
      for (guint i = 0; i < n; i++)
        cairo_line_to (cr, i + 0.5, mid - MAX (maxs[i], 0) * half - 0.5);
      for (guint i = n; i-- > 0;)
        cairo_line_to (cr, i + 0.5, mid - MIN (mins[i], 0) * half + 0.5);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.7);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  return node;
}

static double
ruler_step (double pixels_per_second)
{
  static const double steps[] = { 0.1, 0.2, 0.5, 1,   2,   5,   10,   15,
                                  30,  60,  120, 300, 600, 900, 1800, 3600 };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * pixels_per_second >= 90)
      return steps[i];
  return 7200;
}

static void
snapshot_ruler (FlWaveformView *self, GtkSnapshot *snapshot, int width)
{
  GdkRGBA fg = foreground_color (self);
  GdkRGBA tick = fg;
  double step = ruler_step (self->pixels_per_second);
  double value = gtk_adjustment_get_value (self->hadjustment);
  double end = value + width / self->pixels_per_second;

  tick.alpha = 0.35;
  fg.alpha = 0.7;
  for (double t = floor (value / step) * step; t <= end; t += step)
    {
      double x = (t - value) * self->pixels_per_second;
      g_autofree char *label = NULL;
      g_autoptr (PangoLayout) layout = NULL;

      if (x < -200)
        continue;
      gtk_snapshot_append_color (snapshot, &tick,
                                 &GRAPHENE_RECT_INIT (floor (x), 0, 1, RULER_HEIGHT));
      if (step < 1)
        label = g_strdup_printf ("%d:%04.1f", (int) (t / 60), fmod (t, 60));
      else if (t >= 3600)
        label = g_strdup_printf ("%d:%02d:%02d", (int) (t / 3600), (int) fmod (t / 60, 60),
                                 (int) fmod (t, 60));
      else
        label = g_strdup_printf ("%d:%02d", (int) (t / 60), (int) fmod (t, 60));
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), label);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (floor (x) + 3, 1));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
snapshot_segment (FlWaveformView *self, GtkSnapshot *snapshot, gint64 start_ms, gint64 end_ms,
                  GdkRGBA color, gboolean selected, int width, int height)
{
  double x0 = fl_waveform_view_time_to_x (self, start_ms);
  double x1 = fl_waveform_view_time_to_x (self, end_ms);
  GdkRGBA fill = color;
  GdkRGBA edge = color;

  if (x1 < 0 || x0 > width)
    return;
  fill.alpha = selected ? 0.38 : 0.2;
  edge.alpha = 0.9;
  gtk_snapshot_append_color (
    snapshot, &fill, &GRAPHENE_RECT_INIT (x0, RULER_HEIGHT, x1 - x0, height - RULER_HEIGHT));
  gtk_snapshot_append_color (snapshot, &edge,
                             &GRAPHENE_RECT_INIT (x0, RULER_HEIGHT, 2, height - RULER_HEIGHT));
  gtk_snapshot_append_color (snapshot, &edge,
                             &GRAPHENE_RECT_INIT (x1 - 2, RULER_HEIGHT, 2, height - RULER_HEIGHT));
  if (selected)
    gtk_snapshot_append_color (snapshot, &edge, &GRAPHENE_RECT_INIT (x0, height - 4, x1 - x0, 4));
}

static void
fl_waveform_view_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FlWaveformView *self = FL_WAVEFORM_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double value = gtk_adjustment_get_value (self->hadjustment);
  gint64 loaded = self->waveform != NULL ? fl_waveform_get_loaded_ms (self->waveform) : 0;
  GdkRGBA fg = foreground_color (self);
  GdkRGBA shade = fg;

  if (width <= 0 || height <= RULER_HEIGHT)
    return;

  shade.alpha = 0.05;
  gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, 0, width, height));

  if (self->transcript != NULL)
    {
      guint n = fl_transcript_get_n_segments (self->transcript);

      for (guint i = 0; i < n; i++)
        {
          const FlSegment *seg = fl_transcript_get_segment (self->transcript, i);

          snapshot_segment (self, snapshot, seg->start_ms, seg->end_ms,
                            speaker_color (self, seg->speaker), (int) i == self->selected, width,
                            height);
        }
    }
  if (self->drag_mode == DRAG_CREATE && self->drag_other_ms != self->drag_anchor_ms)
    {
      GdkRGBA preview;

      gdk_rgba_parse (&preview, "#3584e4");
      snapshot_segment (self, snapshot, MIN (self->drag_anchor_ms, self->drag_other_ms),
                        MAX (self->drag_anchor_ms, self->drag_other_ms), preview, TRUE, width,
                        height);
    }

  if (self->wave_node == NULL || self->wave_key_value != value ||
      self->wave_key_pps != self->pixels_per_second || self->wave_key_width != width ||
      self->wave_key_height != height || self->wave_key_loaded != loaded)
    {
      g_clear_pointer (&self->wave_node, gsk_render_node_unref);
      self->wave_node = build_wave_node (self, width, height);
      self->wave_key_value = value;
      self->wave_key_pps = self->pixels_per_second;
      self->wave_key_width = width;
      self->wave_key_height = height;
      self->wave_key_loaded = loaded;
    }
  gtk_snapshot_append_node (snapshot, self->wave_node);

  snapshot_ruler (self, snapshot, width);

  if (self->player != NULL)
    {
      gint64 position = fl_player_get_playing (self->player)
                          ? fl_player_query_position_ms (self->player)
                          : fl_player_get_position_ms (self->player);
      double x = fl_waveform_view_time_to_x (self, position);
      GdkRGBA red;

      gdk_rgba_parse (&red, "#e01b24");
      if (x >= -2 && x <= width + 2)
        gtk_snapshot_append_color (snapshot, &red, &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
    }
}

static void
fl_waveform_view_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                          int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 120;
      *natural = 600;
    }
  else
    {
      *minimum = 80;
      *natural = 150;
    }
}

static void
fl_waveform_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  FlWaveformView *self = FL_WAVEFORM_VIEW (widget);

  if (self->pixels_per_second < min_pixels_per_second (self))
    self->pixels_per_second = min_pixels_per_second (self);
  on_duration_changed (self);
}

/* Finds the segment edge under @x, preferring the closest. */
static DragMode
hit_edge (FlWaveformView *self, double x, int *index)
{
  double best = EDGE_GRAB_PX + 1;
  DragMode mode = DRAG_NONE;
  guint n;

  if (self->transcript == NULL)
    return DRAG_NONE;
  n = fl_transcript_get_n_segments (self->transcript);
  for (guint i = 0; i < n; i++)
    {
      const FlSegment *seg = fl_transcript_get_segment (self->transcript, i);
      double d0 = fabs (fl_waveform_view_time_to_x (self, seg->start_ms) - x);
      double d1 = fabs (fl_waveform_view_time_to_x (self, seg->end_ms) - x);

      if (d0 < best)
        {
          best = d0;
          mode = DRAG_START_EDGE;
          *index = (int) i;
        }
      if (d1 < best)
        {
          best = d1;
          mode = DRAG_END_EDGE;
          *index = (int) i;
        }
    }
  return mode;
}

static void
free_gap_around (FlWaveformView *self, gint64 t, int skip, gint64 *lo, gint64 *hi)
{
  guint n = fl_transcript_get_n_segments (self->transcript);

  *lo = 0;
  *hi = get_duration_ms (self);
  for (guint i = 0; i < n; i++)
    {
      const FlSegment *seg = fl_transcript_get_segment (self->transcript, i);

      if ((int) i == skip)
        continue;
      if (seg->end_ms <= t)
        *lo = MAX (*lo, seg->end_ms);
      if (seg->start_ms >= t)
        *hi = MIN (*hi, seg->start_ms);
    }
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, FlWaveformView *self)
{
  int index = -1;

  self->drag_start_x = x;
  self->drag_anchor_ms = fl_waveform_view_x_to_time (self, x);
  self->drag_other_ms = self->drag_anchor_ms;
  self->drag_mode = hit_edge (self, x, &index);
  self->drag_index = index;
  if (self->transcript == NULL || get_duration_ms (self) <= 0)
    {
      self->drag_mode = DRAG_NONE;
      return;
    }
  if (self->drag_mode != DRAG_NONE)
    {
      const FlSegment *seg = fl_transcript_get_segment (self->transcript, index);

      /* The edge moves between the neighbours and never past the other edge. */
      free_gap_around (self, seg->start_ms, index, &self->drag_limit_lo_ms,
                       &self->drag_limit_hi_ms);
      if (self->drag_mode == DRAG_START_EDGE)
        self->drag_limit_hi_ms = seg->end_ms - 1;
      else
        self->drag_limit_lo_ms = seg->start_ms + 1;
    }
  else if (fl_transcript_find_at (self->transcript, self->drag_anchor_ms) < 0)
    {
      self->drag_mode = DRAG_CREATE;
      free_gap_around (self, self->drag_anchor_ms, -1, &self->drag_limit_lo_ms,
                       &self->drag_limit_hi_ms);
    }
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, FlWaveformView *self)
{
  gint64 t = fl_waveform_view_x_to_time (self, self->drag_start_x + dx);

  if (self->drag_mode == DRAG_NONE || fabs (dx) < CLICK_SLOP_PX)
    return;
  t = CLAMP (t, self->drag_limit_lo_ms, self->drag_limit_hi_ms);
  self->drag_other_ms = t;
  if (self->drag_mode == DRAG_START_EDGE || self->drag_mode == DRAG_END_EDGE)
    {
      const FlSegment *seg = fl_transcript_get_segment (self->transcript, self->drag_index);
      gint64 start = self->drag_mode == DRAG_START_EDGE ? t : seg->start_ms;
      gint64 end = self->drag_mode == DRAG_END_EDGE ? t : seg->end_ms;

      fl_transcript_set_bounds (self->transcript, self->drag_index, start, end, NULL);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, FlWaveformView *self)
{
  DragMode mode = self->drag_mode;

  self->drag_mode = DRAG_NONE;
  if (fabs (dx) < CLICK_SLOP_PX)
    {
      int index;

      if (self->player != NULL)
        fl_player_seek (self->player, self->drag_anchor_ms);
      index = self->transcript != NULL
                ? fl_transcript_find_at (self->transcript, self->drag_anchor_ms)
                : -1;
      if (index >= 0)
        g_signal_emit (self, signals[SIGNAL_SEGMENT_ACTIVATED], 0, index);
    }
  else if (mode == DRAG_CREATE && self->drag_other_ms != self->drag_anchor_ms)
    {
      g_autoptr (GError) error = NULL;
      int index = fl_transcript_add_segment (
        self->transcript, MIN (self->drag_anchor_ms, self->drag_other_ms),
        MAX (self->drag_anchor_ms, self->drag_other_ms), NULL, "", &error);

      if (index >= 0)
        g_signal_emit (self, signals[SIGNAL_SEGMENT_ACTIVATED], 0, index);
      else
        g_debug ("Segment not created: %s", error->message);
    }
  else if (mode == DRAG_START_EDGE || mode == DRAG_END_EDGE)
    g_signal_emit (self, signals[SIGNAL_SEGMENT_ACTIVATED], 0, self->drag_index);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion, double x, double y, FlWaveformView *self)
{
  int index;

  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   hit_edge (self, x, &index) != DRAG_NONE ? "col-resize" : NULL);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll, double dx, double dy, FlWaveformView *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));

  if (state & GDK_CONTROL_MASK)
    {
      fl_waveform_view_zoom (self, dy < 0 ? 1.25 : 0.8);
      return TRUE;
    }
  gtk_adjustment_set_value (self->hadjustment,
                            gtk_adjustment_get_value (self->hadjustment) +
                              (dx + dy) * gtk_adjustment_get_page_size (self->hadjustment) / 10);
  return TRUE;
}

static void
fl_waveform_view_dispose (GObject *object)
{
  FlWaveformView *self = FL_WAVEFORM_VIEW (object);

  g_clear_object (&self->waveform);
  g_clear_object (&self->player);
  g_clear_object (&self->transcript);
  g_clear_pointer (&self->wave_node, gsk_render_node_unref);
  G_OBJECT_CLASS (fl_waveform_view_parent_class)->dispose (object);
}

static void
fl_waveform_view_finalize (GObject *object)
{
  FlWaveformView *self = FL_WAVEFORM_VIEW (object);

  g_hash_table_unref (self->speaker_colors);
  g_object_unref (self->hadjustment);
  G_OBJECT_CLASS (fl_waveform_view_parent_class)->finalize (object);
}

static void
fl_waveform_view_class_init (FlWaveformViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_waveform_view_dispose;
  object_class->finalize = fl_waveform_view_finalize;
  widget_class->snapshot = fl_waveform_view_snapshot;
  widget_class->measure = fl_waveform_view_measure;
  widget_class->size_allocate = fl_waveform_view_size_allocate;

  /* A segment was clicked, created or resized. */
  signals[SIGNAL_SEGMENT_ACTIVATED] =
    g_signal_new ("segment-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "waveform");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fl_waveform_view_init (FlWaveformView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  self->pixels_per_second = DEFAULT_PIXELS_PER_SECOND;
  self->selected = -1;
  self->speaker_colors =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) gdk_rgba_free);
  self->hadjustment = g_object_ref_sink (gtk_adjustment_new (0, 0, 1, 1, 1, 1));
  g_signal_connect_swapped (self->hadjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                            self);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Waveform"), -1);
}

GtkWidget *
fl_waveform_view_new (void)
{
  return g_object_new (FL_TYPE_WAVEFORM_VIEW, NULL);
}

void
fl_waveform_view_set_waveform (FlWaveformView *self, FlWaveform *waveform)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  if (self->waveform != NULL)
    g_signal_handlers_disconnect_by_data (self->waveform, self);
  g_set_object (&self->waveform, waveform);
  self->user_zoomed = FALSE;
  self->pixels_per_second = DEFAULT_PIXELS_PER_SECOND;
  gtk_adjustment_set_value (self->hadjustment, 0);
  if (waveform != NULL)
    {
      g_signal_connect_swapped (waveform, "notify::duration-ms", G_CALLBACK (on_duration_changed),
                                self);
      g_signal_connect_swapped (waveform, "notify::loaded-ms", G_CALLBACK (gtk_widget_queue_draw),
                                self);
    }
  on_duration_changed (self);
}

void
fl_waveform_view_set_player (FlWaveformView *self, FlPlayer *player)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  if (self->player != NULL)
    g_signal_handlers_disconnect_by_data (self->player, self);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_set_object (&self->player, player);
  if (player != NULL)
    {
      g_signal_connect_swapped (player, "notify::playing", G_CALLBACK (on_playing_changed), self);
      g_signal_connect_swapped (player, "notify::position-ms", G_CALLBACK (on_position_changed),
                                self);
      g_signal_connect_swapped (player, "notify::duration-ms", G_CALLBACK (on_duration_changed),
                                self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_segments_changed (FlWaveformView *self)
{
  guint n = fl_transcript_get_n_segments (self->transcript);

  if (self->selected >= (int) n)
    self->selected = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_waveform_view_set_transcript (FlWaveformView *self, FlTranscript *transcript)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  if (self->transcript != NULL)
    g_signal_handlers_disconnect_by_data (self->transcript, self);
  g_set_object (&self->transcript, transcript);
  if (transcript != NULL)
    {
      g_signal_connect_swapped (transcript, "segments-changed", G_CALLBACK (on_segments_changed),
                                self);
      g_signal_connect_swapped (transcript, "segment-changed", G_CALLBACK (gtk_widget_queue_draw),
                                self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_waveform_view_set_speaker_color (FlWaveformView *self, const char *speaker, const GdkRGBA *color)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (speaker != NULL && color != NULL);

  g_hash_table_replace (self->speaker_colors, g_strdup (speaker), gdk_rgba_copy (color));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_waveform_view_clear_speaker_colors (FlWaveformView *self)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  g_hash_table_remove_all (self->speaker_colors);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_waveform_view_set_selected (FlWaveformView *self, int index)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  if (self->selected == index)
    return;
  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtkAdjustment *
fl_waveform_view_get_adjustment (FlWaveformView *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM_VIEW (self), NULL);
  return self->hadjustment;
}

double
fl_waveform_view_get_pixels_per_second (FlWaveformView *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM_VIEW (self), 0);
  return self->pixels_per_second;
}

void
fl_waveform_view_set_pixels_per_second (FlWaveformView *self, double pixels_per_second)
{
  double center;

  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));

  pixels_per_second =
    CLAMP (pixels_per_second, min_pixels_per_second (self), MAX_PIXELS_PER_SECOND);
  if (pixels_per_second == self->pixels_per_second)
    return;
  /* Zoom around the playhead when it is visible, else around the middle. */
  center = gtk_adjustment_get_value (self->hadjustment) +
           gtk_adjustment_get_page_size (self->hadjustment) / 2;
  if (self->player != NULL)
    {
      double pos = fl_player_get_position_ms (self->player) / 1000.0;
      double value = gtk_adjustment_get_value (self->hadjustment);

      if (pos >= value && pos <= value + gtk_adjustment_get_page_size (self->hadjustment))
        center = pos;
    }
  self->pixels_per_second = pixels_per_second;
  update_adjustment (self);
  gtk_adjustment_set_value (self->hadjustment,
                            center - gtk_adjustment_get_page_size (self->hadjustment) / 2);
  invalidate_waveform (self);
}

void
fl_waveform_view_zoom (FlWaveformView *self, double factor)
{
  g_return_if_fail (FL_IS_WAVEFORM_VIEW (self));
  g_return_if_fail (factor > 0);

  self->user_zoomed = TRUE;
  fl_waveform_view_set_pixels_per_second (self, self->pixels_per_second * factor);
}
