/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlEarningsChart"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-earnings-chart.h"
#include "fl-earnings-report.h"

#define MAX_DAYS 14

typedef struct
{
  char label[6]; /* "MM-DD" */
  gint64 paid;
  gint64 approved;
  gint64 pending;
  gint64 rejected;
} Bar;

struct _FlEarningsChart
{
  GtkWidget parent_instance;

  GArray *bars; /* Bar, oldest first */
};

G_DEFINE_FINAL_TYPE (FlEarningsChart, fl_earnings_chart, GTK_TYPE_WIDGET)

/* The states keep their colours everywhere: paid and approved are money in
 * hand (greens), pending is promised (blue), rejected is lost (red). */
static const GdkRGBA state_colors[] = {
  { 0.15f, 0.64f, 0.41f, 1.0f }, /* paid: green 5 */
  { 0.20f, 0.82f, 0.48f, 1.0f }, /* approved: green 3 */
  { 0.38f, 0.63f, 0.92f, 1.0f }, /* pending: blue 2 */
  { 0.88f, 0.11f, 0.14f, 1.0f }, /* rejected: red 3 */
};

static void
fl_earnings_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FlEarningsChart *self = FL_EARNINGS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  const float label_height = 18.0f;
  const float top = 8.0f;
  float plot_height = height - label_height - top;
  float slot;
  gint64 max_total = 1;
  GdkRGBA fg;

  if (self->bars->len == 0 || plot_height <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      max_total = MAX (max_total, bar->paid + bar->approved + bar->pending + bar->rejected);
    }

  slot = (float) width / MAX_DAYS;
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      gint64 parts[] = { bar->paid, bar->approved, bar->pending, bar->rejected };
      float x = slot * (MAX_DAYS - self->bars->len + i) + slot * 0.2f;
      float w = slot * 0.6f;
      float y = top + plot_height;
      g_autoptr (PangoLayout) layout = NULL;
      int lw, lh;

      for (gsize p = 0; p < G_N_ELEMENTS (parts); p++)
        {
          float h = plot_height * (float) parts[p] / (float) max_total;

          if (h <= 0)
            continue;
          y -= h;
          gtk_snapshot_append_color (snapshot, &state_colors[p], &GRAPHENE_RECT_INIT (x, y, w, h));
        }

      layout = gtk_widget_create_pango_layout (widget, bar->label);
      pango_layout_get_pixel_size (layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (x + w / 2 - lw / 2.0f, top + plot_height + 2));
      gtk_snapshot_append_layout (snapshot, layout, &fg);
      gtk_snapshot_restore (snapshot);
    }

  /* The baseline. */
  fg.alpha *= 0.3f;
  gtk_snapshot_append_color (snapshot, &fg, &GRAPHENE_RECT_INIT (0, top + plot_height, width, 1));
}

static void
fl_earnings_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                           int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 280;
      *natural = 600;
    }
  else
    {
      *minimum = 120;
      *natural = 180;
    }
}

static void
fl_earnings_chart_finalize (GObject *object)
{
  FlEarningsChart *self = FL_EARNINGS_CHART (object);

  g_array_unref (self->bars);

  G_OBJECT_CLASS (fl_earnings_chart_parent_class)->finalize (object);
}

static void
fl_earnings_chart_class_init (FlEarningsChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_earnings_chart_finalize;
  widget_class->snapshot = fl_earnings_chart_snapshot;
  widget_class->measure = fl_earnings_chart_measure;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fl_earnings_chart_init (FlEarningsChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
}

GtkWidget *
fl_earnings_chart_new (void)
{
  return g_object_new (FL_TYPE_EARNINGS_CHART, NULL);
}

void
fl_earnings_chart_set_days (FlEarningsChart *self, GPtrArray *days)
{
  guint n;

  g_return_if_fail (FL_IS_EARNINGS_CHART (self));

  g_array_set_size (self->bars, 0);
  n = days != NULL ? MIN (days->len, MAX_DAYS) : 0;
  for (guint i = n; i > 0; i--)
    {
      const FlEarningsGroup *group = g_ptr_array_index (days, i - 1);
      Bar bar = {
        .paid = group->paid,
        .approved = group->approved,
        .pending = group->pending,
        .rejected = group->rejected,
      };

      /* "YYYY-MM-DD" -> "MM-DD" */
      if (group->key != NULL && strlen (group->key) == 10)
        g_strlcpy (bar.label, group->key + 5, sizeof bar.label);
      g_array_append_val (self->bars, bar);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Earnings per day: paid, approved, pending and rejected"), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
