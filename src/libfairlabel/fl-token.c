/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlToken"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/random.h>

#include "fl-token.h"

/* Bytes from the kernel's CSPRNG; tokens must not be predictable. */
gboolean
fl_random_bytes (guint8 *buf, gsize len, GError **error)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "Could not read random bytes: %s", g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* A new bearer token: 32 random bytes as "fl_" + 64 hex digits. */
char *
fl_token_new (GError **error)
{
  guint8 bytes[32];
  GString *s;

  if (!fl_random_bytes (bytes, sizeof bytes, error))
    return NULL;
  s = g_string_sized_new (3 + 2 * sizeof bytes);
  g_string_append (s, "fl_");
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (s, "%02x", bytes[i]);
  memset (bytes, 0, sizeof bytes);
  return g_string_free (s, FALSE);
}

/* What the server stores instead of the token itself. */
char *
fl_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);
  return fl_sha256_hex (token, strlen (token));
}

char *
fl_sha256_hex (const void *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

gboolean
fl_sha256_is_valid_hex (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
      return FALSE;
  return TRUE;
}
