/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What happened, at a g_get_monotonic_time () instant. */
typedef enum
{
  FL_CLOCK_EVENT_SESSION_START, /* the worker starts working (browsing counts) */
  FL_CLOCK_EVENT_SESSION_STOP,
  FL_CLOCK_EVENT_INPUT, /* any keyboard or pointer input */
  FL_CLOCK_EVENT_AUDIO_START,
  FL_CLOCK_EVENT_AUDIO_STOP,
  FL_CLOCK_EVENT_BREAK_START,
  FL_CLOCK_EVENT_BREAK_END,
  FL_CLOCK_EVENT_TASK_START,  /* assignment id */
  FL_CLOCK_EVENT_TASK_SUBMIT, /* assignment id, reward */
  FL_CLOCK_EVENT_TASK_RETURN, /* assignment id: returned or expired, unpaid */
  FL_CLOCK_EVENT_APPROVE,     /* assignment id; amount adds a bonus, if any */
  FL_CLOCK_EVENT_REJECT,      /* assignment id */
  FL_CLOCK_EVENT_PAY,         /* assignment id */
} FlClockEvent;

typedef struct
{
  /* Time, whole seconds (rounded up so that rates are never overstated). */
  gint64 session_seconds; /* all working time: browsing, waiting, tasks, returns */
  gint64 on_task_seconds; /* active time on submitted tasks, rejected ones included */
  gint64 task_seconds;    /* active time on the open task, if any */
  /* Money in minor units, by state. */
  gint64 pending;
  gint64 approved;
  gint64 paid;
  gint64 rejected;
  /* Per hour, rounded down, in minor units. */
  gint64 session_rate;
  gint64 on_task_rate;
  gboolean idle;
  gboolean on_break;
  gboolean working;
  gint64 open_task; /* assignment id, 0 for none */
} FlEarningsFigures;

#define FL_TYPE_EARNINGS_CLOCK (fl_earnings_clock_get_type ())
G_DECLARE_FINAL_TYPE (FlEarningsClock, fl_earnings_clock, FL, EARNINGS_CLOCK, GObject)

/* Time stops @idle_timeout_us after the last input unless audio plays. */
FlEarningsClock *fl_earnings_clock_new (gint64 idle_timeout_us);
void fl_earnings_clock_set_idle_timeout (FlEarningsClock *self, gint64 idle_timeout_us);

/* Events must come in time order; an earlier time counts as the latest one. */
void fl_earnings_clock_record (FlEarningsClock *self, FlClockEvent event, gint64 time_us,
                               gint64 assignment_id, gint64 amount_minor);

/* The figures as they stand at @now_us (not before the last event). */
void fl_earnings_clock_get_figures (FlEarningsClock *self, gint64 now_us, FlEarningsFigures *out);

G_END_DECLS
