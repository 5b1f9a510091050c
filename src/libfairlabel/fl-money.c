/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlMoney"

#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <monetary.h>
#include <string.h>

#include "fl-money.h"

G_DEFINE_QUARK (fl - money - error - quark, fl_money_error)

typedef struct
{
  const char *code;
  int exponent;
} FlCurrency;

/* ISO 4217 active codes with their minor-unit exponents. */
static const FlCurrency currencies[] = {
  { "AED", 2 }, { "AFN", 2 }, { "ALL", 2 }, { "AMD", 2 }, { "ANG", 2 }, { "AOA", 2 }, { "ARS", 2 },
  { "AUD", 2 }, { "AWG", 2 }, { "AZN", 2 }, { "BAM", 2 }, { "BBD", 2 }, { "BDT", 2 }, { "BGN", 2 },
  { "BHD", 3 }, { "BIF", 0 }, { "BMD", 2 }, { "BND", 2 }, { "BOB", 2 }, { "BRL", 2 }, { "BSD", 2 },
  { "BTN", 2 }, { "BWP", 2 }, { "BYN", 2 }, { "BZD", 2 }, { "CAD", 2 }, { "CDF", 2 }, { "CHF", 2 },
  { "CLP", 0 }, { "CNY", 2 }, { "COP", 2 }, { "CRC", 2 }, { "CUP", 2 }, { "CVE", 2 }, { "CZK", 2 },
  { "DJF", 0 }, { "DKK", 2 }, { "DOP", 2 }, { "DZD", 2 }, { "EGP", 2 }, { "ERN", 2 }, { "ETB", 2 },
  { "EUR", 2 }, { "FJD", 2 }, { "FKP", 2 }, { "GBP", 2 }, { "GEL", 2 }, { "GHS", 2 }, { "GIP", 2 },
  { "GMD", 2 }, { "GNF", 0 }, { "GTQ", 2 }, { "GYD", 2 }, { "HKD", 2 }, { "HNL", 2 }, { "HTG", 2 },
  { "HUF", 2 }, { "IDR", 2 }, { "ILS", 2 }, { "INR", 2 }, { "IQD", 3 }, { "IRR", 2 }, { "ISK", 0 },
  { "JMD", 2 }, { "JOD", 3 }, { "JPY", 0 }, { "KES", 2 }, { "KGS", 2 }, { "KHR", 2 }, { "KMF", 0 },
  { "KPW", 2 }, { "KRW", 0 }, { "KWD", 3 }, { "KYD", 2 }, { "KZT", 2 }, { "LAK", 2 }, { "LBP", 2 },
  { "LKR", 2 }, { "LRD", 2 }, { "LSL", 2 }, { "LYD", 3 }, { "MAD", 2 }, { "MDL", 2 }, { "MGA", 2 },
  { "MKD", 2 }, { "MMK", 2 }, { "MNT", 2 }, { "MOP", 2 }, { "MRU", 2 }, { "MUR", 2 }, { "MVR", 2 },
  { "MWK", 2 }, { "MXN", 2 }, { "MYR", 2 }, { "MZN", 2 }, { "NAD", 2 }, { "NGN", 2 }, { "NIO", 2 },
  { "NOK", 2 }, { "NPR", 2 }, { "NZD", 2 }, { "OMR", 3 }, { "PAB", 2 }, { "PEN", 2 }, { "PGK", 2 },
  { "PHP", 2 }, { "PKR", 2 }, { "PLN", 2 }, { "PYG", 0 }, { "QAR", 2 }, { "RON", 2 }, { "RSD", 2 },
  { "RUB", 2 }, { "RWF", 0 }, { "SAR", 2 }, { "SBD", 2 }, { "SCR", 2 }, { "SDG", 2 }, { "SEK", 2 },
  { "SGD", 2 }, { "SHP", 2 }, { "SLE", 2 }, { "SOS", 2 }, { "SRD", 2 }, { "SSP", 2 }, { "STN", 2 },
  { "SVC", 2 }, { "SYP", 2 }, { "SZL", 2 }, { "THB", 2 }, { "TJS", 2 }, { "TMT", 2 }, { "TND", 3 },
  { "TOP", 2 }, { "TRY", 2 }, { "TTD", 2 }, { "TWD", 2 }, { "TZS", 2 }, { "UAH", 2 }, { "UGX", 0 },
  { "USD", 2 }, { "UYU", 2 }, { "UZS", 2 }, { "VES", 2 }, { "VND", 0 }, { "VUV", 0 }, { "WST", 2 },
  { "XAF", 0 }, { "XCD", 2 }, { "XOF", 0 }, { "XPF", 0 }, { "YER", 2 }, { "ZAR", 2 }, { "ZMW", 2 },
  { "ZWL", 2 },
};

static const FlCurrency *
find_currency (const char *code)
{
  if (code == NULL || strlen (code) != 3)
    return NULL;
  for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
    if (strcmp (currencies[i].code, code) == 0)
      return &currencies[i];
  return NULL;
}

gboolean
fl_currency_is_known (const char *code)
{
  return find_currency (code) != NULL;
}

/* Returns the number of minor-unit digits, or -1 for an unknown code. */
int
fl_currency_exponent (const char *code)
{
  const FlCurrency *c = find_currency (code);
  return c ? c->exponent : -1;
}

const char *const *
fl_currency_list (void)
{
  static const char *list[G_N_ELEMENTS (currencies) + 1];

  if (list[0] == NULL)
    for (gsize i = 0; i < G_N_ELEMENTS (currencies); i++)
      list[i] = currencies[i].code;
  return list;
}

gboolean
fl_money_init (FlMoney *money, gint64 amount_minor, const char *currency, GError **error)
{
  g_return_val_if_fail (money != NULL, FALSE);

  if (!fl_currency_is_known (currency))
    {
      g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_UNKNOWN_CURRENCY,
                   "Unknown currency code “%s”", currency ? currency : "");
      return FALSE;
    }
  money->amount_minor = amount_minor;
  memcpy (money->currency, currency, 4);
  return TRUE;
}

/* Parses a plain decimal such as "12.5" or "-3" (a '.' or ',' separator) in
 * the given currency. More fraction digits than the currency has is an error,
 * never a silent rounding. */
gboolean
fl_money_parse (const char *text, const char *currency, FlMoney *out, GError **error)
{
  int exponent = fl_currency_exponent (currency);
  const char *p = text;
  gboolean negative = FALSE;
  guint64 whole = 0;
  guint64 fraction = 0;
  int fraction_digits = 0;
  guint64 scale = 1;
  guint64 total;

  g_return_val_if_fail (out != NULL, FALSE);

  if (exponent < 0)
    {
      g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_UNKNOWN_CURRENCY,
                   "Unknown currency code “%s”", currency ? currency : "");
      return FALSE;
    }
  if (text == NULL)
    goto invalid;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-' || *p == '+')
    negative = *p++ == '-';
  if (!g_ascii_isdigit (*p))
    goto invalid;
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > (G_MAXINT64 - 9) / 10)
        goto overflow;
      whole = whole * 10 + (guint64) (*p - '0');
    }
  if (*p == '.' || *p == ',')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        goto invalid;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++fraction_digits > exponent)
            {
              g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_INVALID_AMOUNT,
                           "“%s” has more decimals than %s allows (%d)", text, currency, exponent);
              return FALSE;
            }
          fraction = fraction * 10 + (guint64) (*p - '0');
        }
    }
  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    goto invalid;

  for (int i = 0; i < exponent; i++)
    scale *= 10;
  for (int i = fraction_digits; i < exponent; i++)
    fraction *= 10;
  if (whole > (guint64) G_MAXINT64 / scale)
    goto overflow;
  total = whole * scale;
  if (total > (guint64) G_MAXINT64 - fraction)
    goto overflow;
  total += fraction;

  out->amount_minor = negative ? -(gint64) total : (gint64) total;
  memcpy (out->currency, currency, 4);
  return TRUE;

invalid:
  g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_INVALID_AMOUNT,
               "“%s” is not an amount of money", text ? text : "");
  return FALSE;
overflow:
  g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_OVERFLOW, "“%s” is too large an amount", text);
  return FALSE;
}

/* "12.50" for 1250 USD, "300" for 300 JPY: for files and the wire, not for people. */
char *
fl_money_to_decimal (const FlMoney *money)
{
  int exponent = fl_currency_exponent (money->currency);
  guint64 magnitude;
  guint64 scale = 1;
  const char *sign;

  g_return_val_if_fail (exponent >= 0, NULL);

  sign = money->amount_minor < 0 ? "-" : "";
  magnitude = money->amount_minor < 0 ? (guint64) (-(money->amount_minor + 1)) + 1
                                      : (guint64) money->amount_minor;
  if (exponent == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, sign, magnitude);
  for (int i = 0; i < exponent; i++)
    scale *= 10;
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT, sign, magnitude / scale,
                          exponent, magnitude % scale);
}

/* strfmon has no '*' precision, so each exponent gets its own literal format. */
static gboolean
format_monetary (char *buf, gsize size, int exponent, gboolean with_symbol, double value)
{
  ssize_t n;

  switch (exponent)
    {
      case 0:
        n = with_symbol ? strfmon (buf, size, "%.0n", value) : strfmon (buf, size, "%!.0n", value);
        break;
      case 1:
        n = with_symbol ? strfmon (buf, size, "%.1n", value) : strfmon (buf, size, "%!.1n", value);
        break;
      case 2:
        n = with_symbol ? strfmon (buf, size, "%.2n", value) : strfmon (buf, size, "%!.2n", value);
        break;
      case 3:
        n = with_symbol ? strfmon (buf, size, "%.3n", value) : strfmon (buf, size, "%!.3n", value);
        break;
      default:
        return FALSE;
    }
  return n >= 0;
}

/* Formats for a person, through the locale's LC_MONETARY rules, with the
 * currency's own number of decimals. Falls back to "12.50 USD" in the C locale. */
char *
fl_money_format (const FlMoney *money)
{
  g_autofree char *decimal = NULL;
  int exponent;
  char buf[128];
  const char *locale;
  double value;

  g_return_val_if_fail (money != NULL, NULL);

  exponent = fl_currency_exponent (money->currency);
  g_return_val_if_fail (exponent >= 0, NULL);

  decimal = fl_money_to_decimal (money);
  locale = setlocale (LC_MONETARY, NULL);
  if (locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX"))
    return g_strdup_printf ("%s %s", decimal, money->currency);

  /* strfmon takes a double; every amount a worker sees fits one exactly
   * (below 2^53 minor units), and the precision is pinned to the currency. */
  value = g_ascii_strtod (decimal, NULL);
  if (!format_monetary (buf, sizeof buf, exponent, FALSE, value))
    return g_strdup_printf ("%s %s", decimal, money->currency);

  {
    const char *local_code = nl_langinfo (INT_CURR_SYMBOL);
    g_autofree char *trimmed = g_strstrip (g_strdup (buf));

    /* The locale's own currency gets its symbol; any other gets its code. */
    if (local_code != NULL && g_str_has_prefix (local_code, money->currency))
      {
        if (format_monetary (buf, sizeof buf, exponent, TRUE, value))
          return g_strstrip (g_strdup (buf));
      }
    return g_strdup_printf ("%s %s", trimmed, money->currency);
  }
}

gboolean
fl_money_add (const FlMoney *a, const FlMoney *b, FlMoney *out, GError **error)
{
  gint64 sum;

  if (strcmp (a->currency, b->currency) != 0)
    {
      g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_CURRENCY_MISMATCH, "Cannot add %s to %s",
                   b->currency, a->currency);
      return FALSE;
    }
  if (__builtin_add_overflow (a->amount_minor, b->amount_minor, &sum))
    {
      g_set_error (error, FL_MONEY_ERROR, FL_MONEY_ERROR_OVERFLOW, "Sum of money overflows");
      return FALSE;
    }
  out->amount_minor = sum;
  memcpy (out->currency, a->currency, 4);
  return TRUE;
}

/* A rate per hour in minor units, rounded down (toward zero for negatives is
 * not wanted either: a loss is shown as large as it is, so toward -inf).
 * Returns 0 when no time has passed. 128-bit intermediate: never overflows. */
gint64
fl_rate_per_hour (gint64 amount_minor, gint64 seconds)
{
  __int128 num;
  __int128 q;

  if (seconds <= 0)
    return 0;
  num = (__int128) amount_minor * 3600;
  q = num / seconds;
  if (num % seconds != 0 && num < 0)
    q -= 1;
  if (q > G_MAXINT64)
    return G_MAXINT64;
  if (q < G_MININT64)
    return G_MININT64;
  return (gint64) q;
}
