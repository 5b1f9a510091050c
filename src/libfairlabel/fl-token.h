/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean fl_random_bytes (guint8 *buf, gsize len, GError **error);
char *fl_token_new (GError **error);
char *fl_token_hash (const char *token);
char *fl_sha256_hex (const void *data, gsize len);
gboolean fl_sha256_is_valid_hex (const char *text);

G_END_DECLS
