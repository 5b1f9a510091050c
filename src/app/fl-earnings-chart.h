/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FL_TYPE_EARNINGS_CHART (fl_earnings_chart_get_type ())
G_DECLARE_FINAL_TYPE (FlEarningsChart, fl_earnings_chart, FL, EARNINGS_CHART, GtkWidget)

GtkWidget *fl_earnings_chart_new (void);
/* @days: FlEarningsGroup per day, newest first (borrowed; copied). The chart
 * shows the last 14, oldest on the left, each bar split by state. */
void fl_earnings_chart_set_days (FlEarningsChart *self, GPtrArray *days);

G_END_DECLS
