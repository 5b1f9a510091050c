/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

/* One group of ledger entries (a day or a project), states apart. */
typedef struct
{
  char *key; /* "YYYY-MM-DD" in local time, or the project title */
  gint64 project_id;
  char currency[4];
  gint64 pending;
  gint64 approved;
  gint64 paid;
  gint64 rejected;
  gint64 on_task_seconds; /* active time reported with the submissions */
  gint64 session_seconds; /* all working time recorded here; 0 when unknown */
  gint64 on_task_rate;    /* per hour, minor units, rounded down */
  gint64 session_rate;    /* 0 when the session time is unknown */
  guint submissions;
  guint rejections;
} FlEarningsGroup;

void fl_earnings_group_free (FlEarningsGroup *group);

/* The local calendar day of @unix_seconds, "YYYY-MM-DD". */
char *fl_earnings_day_of (gint64 unix_seconds);

/* Groups per local day, newest first. @session_seconds_by_day maps a day to
 * the working time this computer recorded that day (gint64 *), nullable. */
GPtrArray *fl_earnings_report_by_day (const FlEarnings *earnings,
                                      GHashTable *session_seconds_by_day);
/* Groups per project and currency, best on-task rate first. */
GPtrArray *fl_earnings_report_by_project (const FlEarnings *earnings);

/* The ledger as CSV (RFC 4180, with a header line); cells that a spreadsheet
 * would run as a formula are quoted with a leading apostrophe. */
char *fl_earnings_to_csv (const FlEarnings *earnings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlEarningsGroup, fl_earnings_group_free)

G_END_DECLS
