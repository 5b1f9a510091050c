/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "fl-money.h"

G_BEGIN_DECLS

/* “45 minutes”, “2 hours”, “3 days”: rounded to the largest whole unit. */
char *fl_worker_format_duration (gint64 seconds);
/* “≈ 4 min”, rounded up: an estimate never promises less time than it takes. */
char *fl_worker_format_estimate (gint64 seconds);
/* “12:04” or “1:02:03”. */
char *fl_worker_format_countdown (gint64 seconds);
/* “7.50 USD/h” for @amount_minor per hour in @currency. */
char *fl_worker_format_rate (gint64 amount_minor, const char *currency);
char *fl_worker_format_money (gint64 amount_minor, const char *currency);

G_END_DECLS
