/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlEarningsMeter"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-earnings-meter.h"
#include "fl-worker-format.h"

struct _FlEarningsMeter
{
  AdwBin parent_instance;

  FlEarningsClock *clock;
  char *currency;
  gint64 target_minor;
  char *target_currency;
  gint64 today_pending;
  gint64 today_approved;
  guint tick_source;
  GdkSurface *surface; /* watched for minimizing */
  gboolean updating_break;

  GtkLabel *session_label;
  GtkLabel *detail_label;
  GtkToggleButton *break_button;
};

G_DEFINE_FINAL_TYPE (FlEarningsMeter, fl_earnings_meter, ADW_TYPE_BIN)

static void update_ticking (FlEarningsMeter *self);

static void
set_rate_class (GtkWidget *widget, const char *name)
{
  const char *const classes[] = { "success", "warning", "error" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    if (g_strcmp0 (classes[i], name) != 0)
      gtk_widget_remove_css_class (widget, classes[i]);
  if (name != NULL)
    gtk_widget_add_css_class (widget, name);
}

void
fl_earnings_meter_refresh (FlEarningsMeter *self)
{
  FlEarningsFigures figures;
  g_autofree char *rate = NULL;
  g_autofree char *session = NULL;
  g_autofree char *session_text = NULL;
  g_autofree char *on_task = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *approved = NULL;
  g_autofree char *detail = NULL;
  const char *state_class = NULL;

  g_return_if_fail (FL_IS_EARNINGS_METER (self));

  if (self->clock == NULL)
    return;
  fl_earnings_clock_get_figures (self->clock, g_get_monotonic_time (), &figures);

  rate = fl_worker_format_rate (figures.session_rate, self->currency);
  /* Translators: the session rate in the header, such as “2.40 USD/h this session”; the
   * earnings page words the same rate of a day “2.40 USD/h all working time” */
  session = g_strdup_printf (_ ("%s this session"), rate);
  if (figures.on_break)
    /* Translators: the session rate while the worker takes a break */
    session_text = g_strdup_printf (_ ("%s · on a break"), session);
  else if (figures.idle)
    session_text = g_strdup_printf (_ ("%s · paused"), session);
  else
    session_text = g_strdup (session);
  gtk_label_set_label (self->session_label, session_text);

  on_task = fl_worker_format_rate (figures.on_task_rate, self->currency);
  pending = fl_worker_format_money (MAX (self->today_pending, figures.pending), self->currency);
  approved = fl_worker_format_money (self->today_approved, self->currency);
  /* Translators: “3.10 USD/h on task · today 1.20 USD pending, 0.80 USD approved” */
  detail =
    g_strdup_printf (_ ("%s on task · today %s pending, %s approved"), on_task, pending, approved);
  gtk_label_set_label (self->detail_label, detail);

  if (self->target_minor > 0 && g_strcmp0 (self->target_currency, self->currency) == 0 &&
      figures.session_seconds >= 60)
    {
      if (figures.session_rate >= self->target_minor)
        state_class = "success";
      else if (figures.session_rate >= self->target_minor * 3 / 4)
        state_class = "warning";
      else
        state_class = "error";
    }
  set_rate_class (GTK_WIDGET (self->session_label), state_class);

  self->updating_break = TRUE;
  gtk_toggle_button_set_active (self->break_button, figures.on_break);
  self->updating_break = FALSE;
}

static gboolean
on_tick (gpointer user_data)
{
  FlEarningsMeter *self = user_data;

  fl_earnings_meter_refresh (self);
  /* Idle or on a break, the figures stand still until the next event. */
  update_ticking (self);
  return self->tick_source != 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
should_tick (FlEarningsMeter *self)
{
  FlEarningsFigures figures;

  if (self->clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return FALSE;
  if (self->surface != NULL && GDK_IS_TOPLEVEL (self->surface) &&
      (gdk_toplevel_get_state (GDK_TOPLEVEL (self->surface)) & GDK_TOPLEVEL_STATE_MINIMIZED))
    return FALSE;
  fl_earnings_clock_get_figures (self->clock, g_get_monotonic_time (), &figures);
  return figures.working && !figures.on_break && !figures.idle;
}

static void
update_ticking (FlEarningsMeter *self)
{
  gboolean tick = should_tick (self);

  if (tick && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, on_tick, self);
  else if (!tick && self->tick_source != 0)
    {
      g_source_remove (self->tick_source);
      self->tick_source = 0;
    }
}

static void
on_clock_changed (FlEarningsMeter *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    fl_earnings_meter_refresh (self);
  update_ticking (self);
}

static void
on_surface_state (FlEarningsMeter *self)
{
  if (should_tick (self))
    fl_earnings_meter_refresh (self);
  update_ticking (self);
}

static void
on_break_toggled (FlEarningsMeter *self)
{
  if (self->updating_break || self->clock == NULL)
    return;
  fl_earnings_clock_record (self->clock,
                            gtk_toggle_button_get_active (self->break_button)
                              ? FL_CLOCK_EVENT_BREAK_START
                              : FL_CLOCK_EVENT_BREAK_END,
                            g_get_monotonic_time (), 0, 0);
}

static void
fl_earnings_meter_map (GtkWidget *widget)
{
  FlEarningsMeter *self = FL_EARNINGS_METER (widget);
  GtkNative *native;

  GTK_WIDGET_CLASS (fl_earnings_meter_parent_class)->map (widget);

  native = gtk_widget_get_native (widget);
  if (native != NULL && gtk_native_get_surface (native) != NULL)
    {
      self->surface = g_object_ref (gtk_native_get_surface (native));
      g_signal_connect_object (self->surface, "notify::state", G_CALLBACK (on_surface_state), self,
                               G_CONNECT_SWAPPED);
    }
  fl_earnings_meter_refresh (self);
  update_ticking (self);
}

static void
fl_earnings_meter_unmap (GtkWidget *widget)
{
  FlEarningsMeter *self = FL_EARNINGS_METER (widget);

  if (self->surface != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->surface, self);
      g_clear_object (&self->surface);
    }
  g_clear_handle_id (&self->tick_source, g_source_remove);

  GTK_WIDGET_CLASS (fl_earnings_meter_parent_class)->unmap (widget);
}

static void
fl_earnings_meter_dispose (GObject *object)
{
  FlEarningsMeter *self = FL_EARNINGS_METER (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_clear_object (&self->clock);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_EARNINGS_METER);
  g_clear_pointer (&self->currency, g_free);
  g_clear_pointer (&self->target_currency, g_free);

  G_OBJECT_CLASS (fl_earnings_meter_parent_class)->dispose (object);
}

static void
fl_earnings_meter_class_init (FlEarningsMeterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_earnings_meter_dispose;
  widget_class->map = fl_earnings_meter_map;
  widget_class->unmap = fl_earnings_meter_unmap;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fairlabel/Fairlabel/fl-earnings-meter.ui");
  gtk_widget_class_bind_template_child (widget_class, FlEarningsMeter, session_label);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsMeter, detail_label);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsMeter, break_button);
  gtk_widget_class_bind_template_callback (widget_class, on_break_toggled);
}

static void
fl_earnings_meter_init (FlEarningsMeter *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->currency = g_strdup ("USD");
}

GtkWidget *
fl_earnings_meter_new (void)
{
  return g_object_new (FL_TYPE_EARNINGS_METER, NULL);
}

void
fl_earnings_meter_set_clock (FlEarningsMeter *self, FlEarningsClock *clock)
{
  g_return_if_fail (FL_IS_EARNINGS_METER (self));

  if (self->clock != NULL)
    g_signal_handlers_disconnect_by_data (self->clock, self);
  g_set_object (&self->clock, clock);
  if (clock != NULL)
    g_signal_connect_object (clock, "changed", G_CALLBACK (on_clock_changed), self,
                             G_CONNECT_SWAPPED);
  on_clock_changed (self);
}

void
fl_earnings_meter_set_currency (FlEarningsMeter *self, const char *currency)
{
  g_return_if_fail (FL_IS_EARNINGS_METER (self));

  g_free (self->currency);
  self->currency = g_strdup (currency);
  fl_earnings_meter_refresh (self);
}

void
fl_earnings_meter_set_target (FlEarningsMeter *self, gint64 target_minor, const char *currency)
{
  g_return_if_fail (FL_IS_EARNINGS_METER (self));

  self->target_minor = target_minor;
  g_free (self->target_currency);
  self->target_currency = g_strdup (currency);
  fl_earnings_meter_refresh (self);
}

void
fl_earnings_meter_set_today (FlEarningsMeter *self, gint64 pending, gint64 approved)
{
  g_return_if_fail (FL_IS_EARNINGS_METER (self));

  self->today_pending = pending;
  self->today_approved = approved;
  fl_earnings_meter_refresh (self);
}

gboolean
fl_earnings_meter_is_ticking (FlEarningsMeter *self)
{
  g_return_val_if_fail (FL_IS_EARNINGS_METER (self), FALSE);

  return self->tick_source != 0;
}
