/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestEarningsClock"

#include "config.h"

#include "fl-earnings-clock.h"

/* Scripted timelines with results worked out by hand (in the comments).
 * Times in milliseconds; money in minor units; rates per hour, rounded down. */

typedef struct
{
  FlClockEvent kind;
  gint64 t_ms;
  gint64 id;
  gint64 amount;
} Step;

typedef struct
{
  const char *name;
  gint64 idle_timeout_s;
  Step steps[16];
  guint n_steps;
  gint64 now_ms;
  FlEarningsFigures expect;
} Timeline;

#define S(kind, t_s, id, amount)                   \
  {                                                \
    FL_CLOCK_EVENT_##kind, (t_s) *1000, id, amount \
  }

static const Timeline timelines[] = {
  {
    /* Working time 0..130 = 130 s; on task 10..130 = 120 s.
     * Session 50*3600/130 = 1384.6 -> 1384; on task 50*3600/120 = 1500. */
    .name = "one-task-steady-input",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 10, 1, 0), S (INPUT, 40, 0, 0),
               S (INPUT, 70, 0, 0), S (INPUT, 100, 0, 0), S (TASK_SUBMIT, 130, 1, 50) },
    .n_steps = 6,
    .now_ms = 130000,
    .expect = { .session_seconds = 130,
                .on_task_seconds = 120,
                .pending = 50,
                .session_rate = 1384,
                .on_task_rate = 1500,
                .working = TRUE },
  },
  {
    /* Input at 50, then none until 500: time runs to 50+120 = 170, stops until
     * 500, runs 500..560. 170 + 60 = 230 s, all on task.
     * 100*3600/230 = 1565.2 -> 1565. */
    .name = "idle-gap-pauses-the-clock",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (INPUT, 50, 0, 0),
               S (INPUT, 500, 0, 0), S (TASK_SUBMIT, 560, 1, 100) },
    .n_steps = 5,
    .now_ms = 560000,
    .expect = { .session_seconds = 230,
                .on_task_seconds = 230,
                .pending = 100,
                .session_rate = 1565,
                .on_task_rate = 1565,
                .working = TRUE },
  },
  {
    /* No input from 10 to 400, but audio plays: all 450 s count.
     * 200*3600/450 = 1600 exactly. */
    .name = "playing-audio-is-not-idle",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 2, 0), S (AUDIO_START, 10, 0, 0),
               S (AUDIO_STOP, 400, 0, 0), S (TASK_SUBMIT, 450, 2, 200) },
    .n_steps = 5,
    .now_ms = 450000,
    .expect = { .session_seconds = 450,
                .on_task_seconds = 450,
                .pending = 200,
                .session_rate = 1600,
                .on_task_rate = 1600,
                .working = TRUE },
  },
  {
    /* Browsing 0..100 counts, the break 100..700 does not, the task 700..760 does.
     * Session 30*3600/160 = 675; on task 30*3600/60 = 1800. */
    .name = "break-stops-the-clock",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (BREAK_START, 100, 0, 0), S (BREAK_END, 700, 0, 0),
               S (TASK_START, 700, 3, 0), S (TASK_SUBMIT, 760, 3, 30) },
    .n_steps = 5,
    .now_ms = 760000,
    .expect = { .session_seconds = 160,
                .on_task_seconds = 60,
                .pending = 30,
                .session_rate = 675,
                .on_task_rate = 1800,
                .working = TRUE },
  },
  {
    /* The returned task's 100 s and the 10 s between tasks are unpaid time.
     * Session 40*3600/170 = 847.06 -> 847; on task 40*3600/60 = 2400. */
    .name = "returned-task-is-unpaid-time",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (INPUT, 60, 0, 0),
               S (TASK_RETURN, 100, 1, 0), S (TASK_START, 110, 2, 0), S (TASK_SUBMIT, 170, 2, 40) },
    .n_steps = 6,
    .now_ms = 170000,
    .expect = { .session_seconds = 170,
                .on_task_seconds = 60,
                .pending = 40,
                .session_rate = 847,
                .on_task_rate = 2400,
                .working = TRUE },
  },
  {
    /* Two tasks of 100 s at 60 each; the first is rejected: its time stays,
     * its money goes. 60*3600/200 = 1080 for both rates. */
    .name = "rejection-keeps-time-removes-money",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (INPUT, 50, 0, 0),
               S (TASK_SUBMIT, 100, 1, 60), S (TASK_START, 100, 2, 0), S (INPUT, 150, 0, 0),
               S (TASK_SUBMIT, 200, 2, 60), S (REJECT, 200, 1, 0) },
    .n_steps = 8,
    .now_ms = 200000,
    .expect = { .session_seconds = 200,
                .on_task_seconds = 200,
                .pending = 60,
                .rejected = 60,
                .session_rate = 1080,
                .on_task_rate = 1080,
                .working = TRUE },
  },
  {
    /* 1 minor unit in 7 s, approved with a bonus of 2: 3*3600/7 = 1542.86 -> 1542. */
    .name = "approval-bonus-rounds-down",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (TASK_SUBMIT, 7, 1, 1),
               S (APPROVE, 7, 1, 2) },
    .n_steps = 4,
    .now_ms = 7000,
    .expect = { .session_seconds = 7,
                .on_task_seconds = 7,
                .approved = 3,
                .session_rate = 1542,
                .on_task_rate = 1542,
                .working = TRUE },
  },
  {
    /* 2.5 s counts as 3 s so the rate is never overstated: 10*3600/3 = 12000
     * (not 14400). */
    .name = "partial-seconds-round-time-up",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0),
               S (TASK_START, 0, 1, 0),
               { FL_CLOCK_EVENT_TASK_SUBMIT, 2500, 1, 10 } },
    .n_steps = 3,
    .now_ms = 2500,
    .expect = { .session_seconds = 3,
                .on_task_seconds = 3,
                .pending = 10,
                .session_rate = 12000,
                .on_task_rate = 12000,
                .working = TRUE },
  },
  {
    /* Paid and approved apart: #1 paid 100, #2 approved 50, both 60 s.
     * 150*3600/120 = 4500. */
    .name = "paid-and-approved-apart",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (TASK_SUBMIT, 60, 1, 100),
               S (TASK_START, 60, 2, 0), S (TASK_SUBMIT, 120, 2, 50), S (APPROVE, 120, 1, 0),
               S (PAY, 120, 1, 0), S (APPROVE, 120, 2, 0) },
    .n_steps = 8,
    .now_ms = 120000,
    .expect = { .session_seconds = 120,
                .on_task_seconds = 120,
                .approved = 50,
                .paid = 100,
                .session_rate = 4500,
                .on_task_rate = 4500,
                .working = TRUE },
  },
  {
    /* An open task seen at 90 s: 60 s on it, nothing earned yet, not idle. */
    .name = "open-task-counts-while-working",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 30, 5, 0) },
    .n_steps = 2,
    .now_ms = 90000,
    .expect = { .session_seconds = 90, .task_seconds = 60, .open_task = 5, .working = TRUE },
  },
  {
    /* The same at 400 s with no input since 30: time stopped at 30+120 = 150. */
    .name = "open-task-stops-when-idle",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 30, 5, 0) },
    .n_steps = 2,
    .now_ms = 400000,
    .expect = { .session_seconds = 150,
                .task_seconds = 120,
                .open_task = 5,
                .idle = TRUE,
                .working = TRUE },
  },
  {
    /* A 30 s idle timeout: input at 0 and 100; time 0..30 and 100..130 (submit
     * at 130 is the last event). 20*3600/60 = 1200. */
    .name = "shorter-idle-timeout",
    .idle_timeout_s = 30,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (INPUT, 100, 0, 0),
               S (TASK_SUBMIT, 130, 1, 20) },
    .n_steps = 4,
    .now_ms = 130000,
    .expect = { .session_seconds = 60,
                .on_task_seconds = 60,
                .pending = 20,
                .session_rate = 1200,
                .on_task_rate = 1200,
                .working = TRUE },
  },
  {
    /* Stopped at 100 and seen at 1000: nothing after the stop counts.
     * 10*3600/100 = 360. */
    .name = "stopped-session-adds-no-time",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 0, 1, 0), S (TASK_SUBMIT, 100, 1, 10),
               S (SESSION_STOP, 100, 0, 0) },
    .n_steps = 4,
    .now_ms = 1000000,
    .expect = { .session_seconds = 100,
                .on_task_seconds = 100,
                .pending = 10,
                .session_rate = 360,
                .on_task_rate = 360 },
  },
  {
    /* An event stamped earlier than the one before counts at the later time, so
     * time never runs backwards: the submit lands at 100 with 0 s on task. */
    .name = "earlier-timestamp-never-runs-backwards",
    .idle_timeout_s = 120,
    .steps = { S (SESSION_START, 0, 0, 0), S (TASK_START, 100, 1, 0), S (TASK_SUBMIT, 50, 1, 10) },
    .n_steps = 3,
    .now_ms = 100000,
    .expect = { .session_seconds = 100,
                .on_task_seconds = 0,
                .pending = 10,
                .session_rate = 360,
                .on_task_rate = 0,
                .working = TRUE },
  },
};

static void
test_timeline (gconstpointer data)
{
  const Timeline *timeline = data;
  g_autoptr (FlEarningsClock) clock = NULL;
  FlEarningsFigures got;
  const FlEarningsFigures *want = &timeline->expect;
  /* An arbitrary monotonic origin: only differences may matter. */
  const gint64 origin = 987654321000;

  clock = fl_earnings_clock_new (timeline->idle_timeout_s * G_USEC_PER_SEC);
  for (guint i = 0; i < timeline->n_steps; i++)
    {
      const Step *step = &timeline->steps[i];
      fl_earnings_clock_record (clock, step->kind, origin + step->t_ms * 1000, step->id,
                                step->amount);
    }
  fl_earnings_clock_get_figures (clock, origin + timeline->now_ms * 1000, &got);

  g_assert_cmpint (got.session_seconds, ==, want->session_seconds);
  g_assert_cmpint (got.on_task_seconds, ==, want->on_task_seconds);
  g_assert_cmpint (got.task_seconds, ==, want->task_seconds);
  g_assert_cmpint (got.pending, ==, want->pending);
  g_assert_cmpint (got.approved, ==, want->approved);
  g_assert_cmpint (got.paid, ==, want->paid);
  g_assert_cmpint (got.rejected, ==, want->rejected);
  g_assert_cmpint (got.session_rate, ==, want->session_rate);
  g_assert_cmpint (got.on_task_rate, ==, want->on_task_rate);
  g_assert_cmpint (got.idle, ==, want->idle);
  g_assert_cmpint (got.on_break, ==, want->on_break);
  g_assert_cmpint (got.working, ==, want->working);
  g_assert_cmpint (got.open_task, ==, want->open_task);
  /* Never overstated: the rate times the time never exceeds the money. */
  g_assert_cmpint (got.session_rate * got.session_seconds, <=,
                   (got.pending + got.approved + got.paid) * 3600);
}

static void
on_changed (FlEarningsClock *clock, guint *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr (FlEarningsClock) clock = fl_earnings_clock_new (120 * G_USEC_PER_SEC);
  guint count = 0;

  g_signal_connect (clock, "changed", G_CALLBACK (on_changed), &count);
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_SESSION_START, 1, 0, 0);
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_TASK_START, 2, 1, 0);
  g_assert_cmpuint (count, ==, 2);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (timelines); i++)
    {
      g_autofree char *path = g_strdup_printf ("/worker/earnings/timeline/%s", timelines[i].name);
      g_test_add_data_func (path, &timelines[i], test_timeline);
    }
  g_test_add_func ("/worker/earnings/every-event-notifies", test_changed_signal);

  return g_test_run ();
}
