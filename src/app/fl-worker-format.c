/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlWorkerFormat"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-worker-format.h"

char *
fl_worker_format_duration (gint64 seconds)
{
  gint64 n;

  if (seconds < 0)
    seconds = 0;
  if (seconds >= 86400 && seconds % 86400 == 0)
    {
      n = seconds / 86400;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", (gulong) n),
                              (int) n);
    }
  if (seconds >= 3600 && seconds % 3600 == 0)
    {
      n = seconds / 3600;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", (gulong) n),
                              (int) n);
    }
  if (seconds >= 3600)
    {
      /* Translators: hours and minutes, such as “1 h 30 min” */
      return g_strdup_printf (_ ("%d h %d min"), (int) (seconds / 3600),
                              (int) (seconds % 3600 / 60));
    }
  if (seconds >= 60)
    {
      n = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) n),
                              (int) n);
    }
  return g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%d second", "%d seconds", (gulong) seconds), (int) seconds);
}

char *
fl_worker_format_estimate (gint64 seconds)
{
  gint64 minutes = (MAX (seconds, 0) + 59) / 60;

  /* Translators: an estimated duration in minutes */
  return g_strdup_printf (_ ("≈ %d min"), (int) MAX (minutes, 1));
}

char *
fl_worker_format_countdown (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", (int) (seconds / 3600), (int) (seconds % 3600 / 60),
                            (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

char *
fl_worker_format_money (gint64 amount_minor, const char *currency)
{
  FlMoney money = { .amount_minor = amount_minor };

  if (currency == NULL || !fl_currency_is_known (currency))
    return g_strdup_printf ("%" G_GINT64_FORMAT, amount_minor);
  g_strlcpy (money.currency, currency, sizeof money.currency);
  return fl_money_format (&money);
}

char *
fl_worker_format_rate (gint64 amount_minor, const char *currency)
{
  g_autofree char *money = fl_worker_format_money (amount_minor, currency);

  /* Translators: an hourly rate, such as “7.50 USD/h” */
  return g_strdup_printf (_ ("%s/h"), money);
}
