/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestEarningsReport"

#include "config.h"

#include "fl-earnings-report.h"

/* Noon local time, so the day does not depend on the time zone. */
static gint64
noon (int year, int month, int day)
{
  g_autoptr (GDateTime) dt = g_date_time_new_local (year, month, day, 12, 0, 0);
  return g_date_time_to_unix (dt);
}

static void
add (FlEarnings *earnings, gint64 id, gint64 project_id, const char *title, FlLedgerKind kind,
     FlLedgerState state, gint64 amount, gint64 seconds, const char *reason, gint64 when)
{
  FlEarningsEntry *entry = g_new0 (FlEarningsEntry, 1);

  entry->id = id;
  entry->assignment_id = id;
  entry->project_id = project_id;
  entry->project_title = g_strdup (title);
  entry->kind = kind;
  entry->state = state;
  entry->amount.amount_minor = amount;
  g_strlcpy (entry->amount.currency, "USD", sizeof entry->amount.currency);
  entry->active_seconds = seconds;
  entry->reason = g_strdup (reason);
  entry->created_at = when;
  g_ptr_array_add (earnings->entries, entry);
}

static FlEarnings *
sample_ledger (void)
{
  FlEarnings *earnings = fl_earnings_new ();
  gint64 day_a = noon (2026, 3, 2);
  gint64 day_b = noon (2026, 3, 3);

  add (earnings, 1, 1, "Cars", FL_LEDGER_KIND_REWARD, FL_LEDGER_STATE_PENDING, 120, 60, NULL,
       day_a);
  add (earnings, 2, 1, "Cars", FL_LEDGER_KIND_REWARD, FL_LEDGER_STATE_APPROVED, 80, 40, NULL,
       day_a);
  add (earnings, 3, 1, "Cars", FL_LEDGER_KIND_BONUS, FL_LEDGER_STATE_APPROVED, 20, 0, NULL, day_a);
  add (earnings, 4, 2, "Birds", FL_LEDGER_KIND_REWARD, FL_LEDGER_STATE_REJECTED, 50, 30,
       "Boxes too loose, see \"guide\"", day_a);
  add (earnings, 5, 2, "Birds", FL_LEDGER_KIND_REWARD, FL_LEDGER_STATE_PAID, 30, 45, NULL, day_b);
  return earnings;
}

static void
test_by_day (void)
{
  g_autoptr (FlEarnings) earnings = sample_ledger ();
  g_autoptr (GHashTable) worked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GPtrArray) days = NULL;
  gint64 seconds = 400;
  FlEarningsGroup *a, *b;

  g_hash_table_insert (worked, g_strdup ("2026-03-02"), g_memdup2 (&seconds, sizeof seconds));
  days = fl_earnings_report_by_day (earnings, worked);
  g_assert_cmpuint (days->len, ==, 2);
  b = days->pdata[0];
  a = days->pdata[1];

  /* 2 March: pending 120, approved 80 + 20 bonus, rejected 50; on task
   * 60 + 40 + 30 = 130 s; earned 220: 220*3600/130 = 6092.3 -> 6092;
   * 400 s working: 220*3600/400 = 1980. */
  g_assert_cmpstr (a->key, ==, "2026-03-02");
  g_assert_cmpint (a->pending, ==, 120);
  g_assert_cmpint (a->approved, ==, 100);
  g_assert_cmpint (a->rejected, ==, 50);
  g_assert_cmpint (a->paid, ==, 0);
  g_assert_cmpint (a->on_task_seconds, ==, 130);
  g_assert_cmpint (a->on_task_rate, ==, 6092);
  g_assert_cmpint (a->session_seconds, ==, 400);
  g_assert_cmpint (a->session_rate, ==, 1980);
  g_assert_cmpuint (a->rejections, ==, 1);
  g_assert_cmpuint (a->submissions, ==, 3);

  /* 3 March: paid 30 in 45 s: 30*3600/45 = 2400; working time unknown. */
  g_assert_cmpstr (b->key, ==, "2026-03-03");
  g_assert_cmpint (b->paid, ==, 30);
  g_assert_cmpint (b->on_task_rate, ==, 2400);
  g_assert_cmpint (b->session_seconds, ==, 0);
  g_assert_cmpint (b->session_rate, ==, 0);
}

static void
test_by_project (void)
{
  g_autoptr (FlEarnings) earnings = sample_ledger ();
  g_autoptr (GPtrArray) projects = fl_earnings_report_by_project (earnings);
  FlEarningsGroup *cars, *birds;

  g_assert_cmpuint (projects->len, ==, 2);
  cars = projects->pdata[0];
  birds = projects->pdata[1];
  /* Cars: 220 in 100 s: 7920. Birds: 30 paid in 30 + 45 s: 30*3600/75 = 1440. */
  g_assert_cmpstr (cars->key, ==, "Cars");
  g_assert_cmpint (cars->on_task_rate, ==, 7920);
  g_assert_cmpstr (birds->key, ==, "Birds");
  g_assert_cmpint (birds->rejected, ==, 50);
  g_assert_cmpint (birds->paid, ==, 30);
  g_assert_cmpint (birds->on_task_rate, ==, 1440);
}

static void
test_csv (void)
{
  g_autoptr (FlEarnings) earnings = sample_ledger ();
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;

  g_free (((FlEarningsEntry *) earnings->entries->pdata[0])->project_title);
  ((FlEarningsEntry *) earnings->entries->pdata[0])->project_title =
    g_strdup ("=HYPERLINK(\"http://evil\")");
  csv = fl_earnings_to_csv (earnings);
  lines = g_strsplit (csv, "\r\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 7); /* header, 5 rows, "" after the last */
  g_assert_cmpstr (lines[0], ==,
                   "id,date,project_id,project,kind,state,amount,currency,active_seconds,reason");
  g_assert_true (g_str_has_prefix (lines[1], "1,2026-03-0"));
  g_assert_nonnull (strstr (lines[1], ",\"'=HYPERLINK(\"\"http://evil\"\")\",reward,pending,1.20,"
                                      "USD,60,"));
  g_assert_true (g_str_has_suffix (lines[4], ",rejected,0.50,USD,30,\"Boxes too loose, see "
                                             "\"\"guide\"\"\""));
  g_assert_nonnull (strstr (lines[3], ",bonus,approved,0.20,USD,0,"));
  g_assert_cmpstr (lines[6], ==, "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/worker/earnings-report/per-day-states-apart-with-both-rates", test_by_day);
  g_test_add_func ("/worker/earnings-report/per-project-on-task-rate", test_by_project);
  g_test_add_func ("/worker/earnings-report/csv-quotes-and-defuses-formulas", test_csv);

  return g_test_run ();
}
