/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Money is a count of minor units in an ISO 4217 currency; never a float. */
typedef struct
{
  gint64 amount_minor;
  char currency[4];
} FlMoney;

#define FL_MONEY_ERROR (fl_money_error_quark ())

typedef enum
{
  FL_MONEY_ERROR_UNKNOWN_CURRENCY,
  FL_MONEY_ERROR_INVALID_AMOUNT,
  FL_MONEY_ERROR_OVERFLOW,
  FL_MONEY_ERROR_CURRENCY_MISMATCH,
} FlMoneyError;

GQuark fl_money_error_quark (void);

gboolean fl_currency_is_known (const char *code);
int fl_currency_exponent (const char *code);
const char *const *fl_currency_list (void);

gboolean fl_money_init (FlMoney *money, gint64 amount_minor, const char *currency, GError **error);
gboolean fl_money_parse (const char *text, const char *currency, FlMoney *out, GError **error);
char *fl_money_to_decimal (const FlMoney *money);
char *fl_money_format (const FlMoney *money);
gboolean fl_money_add (const FlMoney *a, const FlMoney *b, FlMoney *out, GError **error);

gint64 fl_rate_per_hour (gint64 amount_minor, gint64 seconds);

G_END_DECLS
