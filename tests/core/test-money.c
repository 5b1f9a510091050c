/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>

#include "fl-money.h"

static void
test_exponents (void)
{
  g_assert_cmpint (fl_currency_exponent ("USD"), ==, 2);
  g_assert_cmpint (fl_currency_exponent ("JPY"), ==, 0);
  g_assert_cmpint (fl_currency_exponent ("KWD"), ==, 3);
  g_assert_cmpint (fl_currency_exponent ("KES"), ==, 2);
  g_assert_cmpint (fl_currency_exponent ("XXX"), ==, -1);
  g_assert_cmpint (fl_currency_exponent ("usd"), ==, -1);
  g_assert_cmpint (fl_currency_exponent ("USDX"), ==, -1);
  g_assert_cmpint (fl_currency_exponent (NULL), ==, -1);
}

static void
test_parse_valid (void)
{
  struct
  {
    const char *text;
    const char *currency;
    gint64 expected;
  } cases[] = {
    { "12.34", "USD", 1234 }, { "12.3", "USD", 1230 },
    { "12", "USD", 1200 },    { "0,05", "EUR", 5 },
    { "-1.5", "EUR", -150 },  { "300", "JPY", 300 },
    { "1.234", "KWD", 1234 }, { " 7 ", "INR", 700 },
    { "+2.00", "PHP", 200 },  { "92233720368547758.07", "USD", G_MAXINT64 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      FlMoney m;

      g_assert_true (fl_money_parse (cases[i].text, cases[i].currency, &m, &error));
      g_assert_no_error (error);
      g_assert_cmpint (m.amount_minor, ==, cases[i].expected);
      g_assert_cmpstr (m.currency, ==, cases[i].currency);
    }
}

static void
test_parse_invalid (void)
{
  struct
  {
    const char *text;
    const char *currency;
    int code;
  } cases[] = {
    { "12.345", "USD", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "1.5", "JPY", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "abc", "USD", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "", "USD", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "1.", "USD", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "1e3", "USD", FL_MONEY_ERROR_INVALID_AMOUNT },
    { "12", "ZZZ", FL_MONEY_ERROR_UNKNOWN_CURRENCY },
    { "92233720368547758.08", "USD", FL_MONEY_ERROR_OVERFLOW },
    { "99999999999999999999999", "JPY", FL_MONEY_ERROR_OVERFLOW },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      FlMoney m = { 42, "USD" };

      g_assert_false (fl_money_parse (cases[i].text, cases[i].currency, &m, &error));
      g_assert_error (error, FL_MONEY_ERROR, cases[i].code);
      g_assert_cmpint (m.amount_minor, ==, 42);
    }
}

static void
test_decimal_round_trip (void)
{
  FlMoney m;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *d = NULL;

  g_assert_true (fl_money_init (&m, 1205, "USD", NULL));
  a = fl_money_to_decimal (&m);
  g_assert_cmpstr (a, ==, "12.05");
  g_assert_true (fl_money_init (&m, -5, "EUR", NULL));
  b = fl_money_to_decimal (&m);
  g_assert_cmpstr (b, ==, "-0.05");
  g_assert_true (fl_money_init (&m, 1500, "JPY", NULL));
  c = fl_money_to_decimal (&m);
  g_assert_cmpstr (c, ==, "1500");
  g_assert_true (fl_money_init (&m, G_MININT64, "USD", NULL));
  d = fl_money_to_decimal (&m);
  g_assert_cmpstr (d, ==, "-92233720368547758.08");
}

static void
test_format_locale (void)
{
  FlMoney m;
  g_autofree char *c_text = NULL;

  g_assert_true (fl_money_init (&m, 123456, "USD", NULL));
  setlocale (LC_MONETARY, "C");
  c_text = fl_money_format (&m);
  g_assert_cmpstr (c_text, ==, "1234.56 USD");

  if (setlocale (LC_MONETARY, "en_US.UTF-8") != NULL)
    {
      g_autofree char *us = fl_money_format (&m);
      FlMoney yen;
      g_autofree char *jp = NULL;

      g_assert_cmpstr (us, ==, "$1,234.56");
      g_assert_true (fl_money_init (&yen, 1500, "JPY", NULL));
      jp = fl_money_format (&yen);
      g_assert_cmpstr (jp, ==, "1,500 JPY");
    }
  setlocale (LC_MONETARY, "C");
}

static void
test_rate_rounds_down (void)
{
  /* $1.00 in 7 minutes = 857.14... cents/h: never shown as 858. */
  g_assert_cmpint (fl_rate_per_hour (100, 420), ==, 857);
  g_assert_cmpint (fl_rate_per_hour (100, 3600), ==, 100);
  g_assert_cmpint (fl_rate_per_hour (1, 7), ==, 514);
  g_assert_cmpint (fl_rate_per_hour (0, 60), ==, 0);
  g_assert_cmpint (fl_rate_per_hour (100, 0), ==, 0);
  g_assert_cmpint (fl_rate_per_hour (-100, 420), ==, -858);
  g_assert_cmpint (fl_rate_per_hour (G_MAXINT64, 1), ==, G_MAXINT64);
}

static void
test_add (void)
{
  FlMoney a, b, sum;
  g_autoptr (GError) error = NULL;

  g_assert_true (fl_money_init (&a, 150, "USD", NULL));
  g_assert_true (fl_money_init (&b, 275, "USD", NULL));
  g_assert_true (fl_money_add (&a, &b, &sum, NULL));
  g_assert_cmpint (sum.amount_minor, ==, 425);

  g_assert_true (fl_money_init (&b, 275, "EUR", NULL));
  g_assert_false (fl_money_add (&a, &b, &sum, &error));
  g_assert_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_CURRENCY_MISMATCH);
  g_clear_error (&error);

  g_assert_true (fl_money_init (&a, G_MAXINT64, "USD", NULL));
  g_assert_true (fl_money_init (&b, 1, "USD", NULL));
  g_assert_false (fl_money_add (&a, &b, &sum, &error));
  g_assert_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_OVERFLOW);
  g_clear_error (&error);

  g_assert_false (fl_money_init (&a, 1, "ABC", &error));
  g_assert_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_UNKNOWN_CURRENCY);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/money/currency/exponents", test_exponents);
  g_test_add_func ("/money/parse/valid-amounts", test_parse_valid);
  g_test_add_func ("/money/parse/refuses-bad-input-and-changes-nothing", test_parse_invalid);
  g_test_add_func ("/money/decimal/round-trip", test_decimal_round_trip);
  g_test_add_func ("/money/format/follows-locale", test_format_locale);
  g_test_add_func ("/money/rate/rounds-down", test_rate_rounds_down);
  g_test_add_func ("/money/add/checks-currency-and-overflow", test_add);
  return g_test_run ();
}
