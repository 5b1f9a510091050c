/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlEarningsClock"

#include "config.h"

#include "fl-earnings-clock.h"
#include "fl-money.h"
#include "fl-protocol.h"

typedef struct
{
  gint64 reward;
  gint64 bonus;
  FlLedgerState state;
} TaskRecord;

struct _FlEarningsClock
{
  GObject parent_instance;

  gint64 idle_timeout_us;
  gint64 last_time;
  gint64 last_activity;
  gboolean working;
  gboolean on_break;
  gboolean audio;

  gint64 open_task;
  gint64 open_task_us;
  gint64 session_us;
  gint64 on_task_us;

  GHashTable *tasks; /* assignment id -> TaskRecord */
};

G_DEFINE_FINAL_TYPE (FlEarningsClock, fl_earnings_clock, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
fl_earnings_clock_finalize (GObject *object)
{
  FlEarningsClock *self = FL_EARNINGS_CLOCK (object);

  g_hash_table_unref (self->tasks);

  G_OBJECT_CLASS (fl_earnings_clock_parent_class)->finalize (object);
}

static void
fl_earnings_clock_class_init (FlEarningsClockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_earnings_clock_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_earnings_clock_init (FlEarningsClock *self)
{
  self->tasks = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

FlEarningsClock *
fl_earnings_clock_new (gint64 idle_timeout_us)
{
  FlEarningsClock *self = g_object_new (FL_TYPE_EARNINGS_CLOCK, NULL);

  fl_earnings_clock_set_idle_timeout (self, idle_timeout_us);
  return self;
}

void
fl_earnings_clock_set_idle_timeout (FlEarningsClock *self, gint64 idle_timeout_us)
{
  g_return_if_fail (FL_IS_EARNINGS_CLOCK (self));
  g_return_if_fail (idle_timeout_us > 0);

  self->idle_timeout_us = idle_timeout_us;
}

/* Working time between @from and @to, with the state as it is now. */
static gint64
active_between (FlEarningsClock *self, gint64 from, gint64 to)
{
  gint64 cutoff;

  if (!self->working || self->on_break || to <= from)
    return 0;
  if (self->audio)
    return to - from;
  /* Time counts until idle-timeout after the last input, then stops. */
  cutoff = self->last_activity + self->idle_timeout_us;
  return MAX (0, MIN (to, cutoff) - from);
}

static void
advance (FlEarningsClock *self, gint64 time_us)
{
  gint64 delta = active_between (self, self->last_time, time_us);

  self->session_us += delta;
  if (self->open_task != 0)
    self->open_task_us += delta;
  self->last_time = time_us;
}

static TaskRecord *
task_record (FlEarningsClock *self, gint64 assignment_id)
{
  TaskRecord *record = g_hash_table_lookup (self->tasks, &assignment_id);

  if (record == NULL)
    {
      record = g_new0 (TaskRecord, 1);
      record->state = FL_LEDGER_STATE_PENDING;
      g_hash_table_insert (self->tasks, g_memdup2 (&assignment_id, sizeof assignment_id), record);
    }
  return record;
}

void
fl_earnings_clock_record (FlEarningsClock *self, FlClockEvent event, gint64 time_us,
                          gint64 assignment_id, gint64 amount_minor)
{
  TaskRecord *record;

  g_return_if_fail (FL_IS_EARNINGS_CLOCK (self));

  time_us = MAX (time_us, self->last_time);
  advance (self, time_us);

  switch (event)
    {
      case FL_CLOCK_EVENT_SESSION_START:
        self->working = TRUE;
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_SESSION_STOP:
        self->working = FALSE;
        break;
      case FL_CLOCK_EVENT_INPUT:
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_AUDIO_START:
        self->audio = TRUE;
        break;
      case FL_CLOCK_EVENT_AUDIO_STOP:
        self->audio = FALSE;
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_BREAK_START:
        self->on_break = TRUE;
        break;
      case FL_CLOCK_EVENT_BREAK_END:
        self->on_break = FALSE;
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_TASK_START:
        /* A task opened over another one ends that one unpaid. */
        self->open_task = assignment_id;
        self->open_task_us = 0;
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_TASK_SUBMIT:
        record = task_record (self, assignment_id);
        record->reward = amount_minor;
        record->state = FL_LEDGER_STATE_PENDING;
        if (self->open_task == assignment_id)
          {
            self->on_task_us += self->open_task_us;
            self->open_task = 0;
            self->open_task_us = 0;
          }
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_TASK_RETURN:
        if (self->open_task == assignment_id)
          {
            self->open_task = 0;
            self->open_task_us = 0;
          }
        self->last_activity = time_us;
        break;
      case FL_CLOCK_EVENT_APPROVE:
        record = task_record (self, assignment_id);
        record->state = FL_LEDGER_STATE_APPROVED;
        record->bonus += MAX (amount_minor, 0);
        break;
      case FL_CLOCK_EVENT_REJECT:
        task_record (self, assignment_id)->state = FL_LEDGER_STATE_REJECTED;
        break;
      case FL_CLOCK_EVENT_PAY:
        task_record (self, assignment_id)->state = FL_LEDGER_STATE_PAID;
        break;
      default:
        g_return_if_reached ();
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gint64
ceil_seconds (gint64 us)
{
  return (us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

void
fl_earnings_clock_get_figures (FlEarningsClock *self, gint64 now_us, FlEarningsFigures *out)
{
  GHashTableIter iter;
  gpointer value;
  gint64 delta;
  gint64 earned;

  g_return_if_fail (FL_IS_EARNINGS_CLOCK (self));
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  now_us = MAX (now_us, self->last_time);
  delta = active_between (self, self->last_time, now_us);

  out->session_seconds = ceil_seconds (self->session_us + delta);
  out->on_task_seconds = ceil_seconds (self->on_task_us);
  out->task_seconds = self->open_task != 0 ? ceil_seconds (self->open_task_us + delta) : 0;
  out->open_task = self->open_task;
  out->working = self->working;
  out->on_break = self->on_break;
  out->idle = self->working && !self->on_break && !self->audio &&
              now_us >= self->last_activity + self->idle_timeout_us;

  g_hash_table_iter_init (&iter, self->tasks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TaskRecord *record = value;

      switch (record->state)
        {
          case FL_LEDGER_STATE_PENDING:
            out->pending += record->reward + record->bonus;
            break;
          case FL_LEDGER_STATE_APPROVED:
            out->approved += record->reward + record->bonus;
            break;
          case FL_LEDGER_STATE_PAID:
            out->paid += record->reward + record->bonus;
            break;
          case FL_LEDGER_STATE_REJECTED:
            out->rejected += record->reward;
            break;
          default:
            g_assert_not_reached ();
        }
    }

  earned = out->pending + out->approved + out->paid;
  out->session_rate = fl_rate_per_hour (earned, out->session_seconds);
  out->on_task_rate = fl_rate_per_hour (earned, out->on_task_seconds);
}
