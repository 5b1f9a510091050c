/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-earnings-clock.h"

G_BEGIN_DECLS

#define FL_TYPE_EARNINGS_METER (fl_earnings_meter_get_type ())
G_DECLARE_FINAL_TYPE (FlEarningsMeter, fl_earnings_meter, FL, EARNINGS_METER, AdwBin)

GtkWidget *fl_earnings_meter_new (void);
void fl_earnings_meter_set_clock (FlEarningsMeter *self, FlEarningsClock *clock);
void fl_earnings_meter_set_currency (FlEarningsMeter *self, const char *currency);
void fl_earnings_meter_set_target (FlEarningsMeter *self, gint64 target_minor,
                                   const char *currency);
/* Today's pending and approved earnings as the server counts them. */
void fl_earnings_meter_set_today (FlEarningsMeter *self, gint64 pending, gint64 approved);
/* Redraws from the clock now; the meter also does so once a second while shown. */
void fl_earnings_meter_refresh (FlEarningsMeter *self);
/* TRUE while the once-a-second update runs (only when shown and the clock moves). */
gboolean fl_earnings_meter_is_ticking (FlEarningsMeter *self);

G_END_DECLS
