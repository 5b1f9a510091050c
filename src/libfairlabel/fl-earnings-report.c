/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlEarningsReport"

#include "config.h"

#include <string.h>

#include "fl-earnings-report.h"
#include "fl-money.h"

void
fl_earnings_group_free (FlEarningsGroup *group)
{
  if (group == NULL)
    return;
  g_free (group->key);
  g_free (group);
}

char *
fl_earnings_day_of (gint64 unix_seconds)
{
  g_autoptr (GDateTime) local = g_date_time_new_from_unix_local (unix_seconds);

  if (local == NULL)
    return g_strdup ("0000-00-00");
  return g_date_time_format (local, "%Y-%m-%d");
}

static FlEarningsGroup *
group_for (GHashTable *groups, GPtrArray *order, const char *key, gint64 project_id,
           const char *currency)
{
  g_autofree char *id =
    g_strdup_printf ("%s\x1f%" G_GINT64_FORMAT "\x1f%s", key, project_id, currency);
  FlEarningsGroup *group = g_hash_table_lookup (groups, id);

  if (group == NULL)
    {
      group = g_new0 (FlEarningsGroup, 1);
      group->key = g_strdup (key);
      group->project_id = project_id;
      g_strlcpy (group->currency, currency, sizeof group->currency);
      g_hash_table_insert (groups, g_steal_pointer (&id), group);
      g_ptr_array_add (order, group);
    }
  return group;
}

static void
add_entry (FlEarningsGroup *group, const FlEarningsEntry *entry)
{
  switch (entry->state)
    {
      case FL_LEDGER_STATE_PENDING:
        group->pending += entry->amount.amount_minor;
        break;
      case FL_LEDGER_STATE_APPROVED:
        group->approved += entry->amount.amount_minor;
        break;
      case FL_LEDGER_STATE_PAID:
        group->paid += entry->amount.amount_minor;
        break;
      case FL_LEDGER_STATE_REJECTED:
        group->rejected += entry->amount.amount_minor;
        group->rejections++;
        break;
      default:
        break;
    }
  /* A bonus tops up a reward; its time is already in the reward's entry. */
  if (entry->kind == FL_LEDGER_KIND_REWARD)
    {
      group->on_task_seconds += MAX (entry->active_seconds, 0);
      group->submissions++;
    }
}

static void
finish_rates (FlEarningsGroup *group)
{
  gint64 earned = group->pending + group->approved + group->paid;

  group->on_task_rate = fl_rate_per_hour (earned, group->on_task_seconds);
  group->session_rate = fl_rate_per_hour (earned, group->session_seconds);
}

static int
compare_days_newest_first (gconstpointer a, gconstpointer b)
{
  const FlEarningsGroup *ga = *(FlEarningsGroup *const *) a;
  const FlEarningsGroup *gb = *(FlEarningsGroup *const *) b;
  int c = g_strcmp0 (gb->key, ga->key);

  return c != 0 ? c : g_strcmp0 (ga->currency, gb->currency);
}

GPtrArray *
fl_earnings_report_by_day (const FlEarnings *earnings, GHashTable *session_seconds_by_day)
{
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *order = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_earnings_group_free);

  g_return_val_if_fail (earnings != NULL, order);

  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *entry = g_ptr_array_index (earnings->entries, i);
      g_autofree char *day = fl_earnings_day_of (entry->created_at);

      add_entry (group_for (groups, order, day, 0, entry->amount.currency), entry);
    }

  if (session_seconds_by_day != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;
      const char *currency =
        order->len > 0 ? ((FlEarningsGroup *) order->pdata[0])->currency : NULL;

      /* Days with working time and no ledger entry still show, earning nothing. */
      g_hash_table_iter_init (&iter, session_seconds_by_day);
      while (currency != NULL && g_hash_table_iter_next (&iter, &key, &value))
        {
          gboolean seen = FALSE;

          for (guint i = 0; i < order->len; i++)
            if (g_str_equal (((FlEarningsGroup *) order->pdata[i])->key, key))
              seen = TRUE;
          if (!seen)
            group_for (groups, order, key, 0, currency);
        }
    }

  for (guint i = 0; i < order->len; i++)
    {
      FlEarningsGroup *group = order->pdata[i];
      gint64 *seconds = session_seconds_by_day != NULL
                          ? g_hash_table_lookup (session_seconds_by_day, group->key)
                          : NULL;

      /* Working time includes the time on task, whatever was recorded where. */
      if (seconds != NULL)
        group->session_seconds = MAX (*seconds, group->on_task_seconds);
      finish_rates (group);
    }
  g_ptr_array_sort (order, compare_days_newest_first);
  return order;
}

static int
compare_projects (gconstpointer a, gconstpointer b)
{
  const FlEarningsGroup *ga = *(FlEarningsGroup *const *) a;
  const FlEarningsGroup *gb = *(FlEarningsGroup *const *) b;

  if (ga->on_task_rate != gb->on_task_rate)
    return ga->on_task_rate > gb->on_task_rate ? -1 : 1;
  return g_strcmp0 (ga->key, gb->key);
}

GPtrArray *
fl_earnings_report_by_project (const FlEarnings *earnings)
{
  g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *order = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_earnings_group_free);

  g_return_val_if_fail (earnings != NULL, order);

  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *entry = g_ptr_array_index (earnings->entries, i);
      g_autofree char *fallback = g_strdup_printf ("#%" G_GINT64_FORMAT, entry->project_id);
      const char *title = entry->project_title != NULL ? entry->project_title : fallback;

      add_entry (group_for (groups, order, title, entry->project_id, entry->amount.currency),
                 entry);
    }
  for (guint i = 0; i < order->len; i++)
    finish_rates (order->pdata[i]);
  g_ptr_array_sort (order, compare_projects);
  return order;
}

static void
append_cell (GString *out, const char *text, gboolean is_text, gboolean last)
{
  gboolean formula;
  gboolean quote;

  if (text == NULL)
    text = "";
  formula = is_text && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' ||
                        text[0] == '\t' || text[0] == '\r');
  quote = formula || strpbrk (text, ",\"\r\n") != NULL;

  if (quote)
    {
      g_string_append_c (out, '"');
      if (formula)
        g_string_append_c (out, '\'');
      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (out, '"');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }
  else
    g_string_append (out, text);
  g_string_append (out, last ? "\r\n" : ",");
}

char *
fl_earnings_to_csv (const FlEarnings *earnings)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (earnings != NULL, g_string_free (out, FALSE));

  g_string_append (out, "id,date,project_id,project,kind,state,amount,currency,active_seconds,"
                        "reason\r\n");
  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *entry = g_ptr_array_index (earnings->entries, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->id);
      g_autofree char *date = fl_protocol_time_to_string (entry->created_at);
      g_autofree char *project_id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->project_id);
      g_autofree char *amount = fl_money_to_decimal (&entry->amount);
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, entry->active_seconds);

      append_cell (out, id, FALSE, FALSE);
      append_cell (out, date, FALSE, FALSE);
      append_cell (out, project_id, FALSE, FALSE);
      append_cell (out, entry->project_title, TRUE, FALSE);
      append_cell (out, fl_ledger_kind_to_string (entry->kind), FALSE, FALSE);
      append_cell (out, fl_ledger_state_to_string (entry->state), FALSE, FALSE);
      append_cell (out, amount, FALSE, FALSE);
      append_cell (out, entry->amount.currency, FALSE, FALSE);
      append_cell (out, seconds, FALSE, FALSE);
      append_cell (out, entry->reason, TRUE, TRUE);
    }
  return g_string_free (out, FALSE);
}
