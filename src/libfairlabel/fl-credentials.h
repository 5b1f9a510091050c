/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Access tokens live in the desktop keyring (Secret Service), one per server
 * address; never in a file of ours. */

#define FL_CREDENTIALS_ERROR (fl_credentials_error_quark ())

typedef enum
{
  FL_CREDENTIALS_ERROR_NO_KEYRING,
  FL_CREDENTIALS_ERROR_LOCKED,
  FL_CREDENTIALS_ERROR_FAILED,
} FlCredentialsError;

GQuark fl_credentials_error_quark (void);

void fl_credentials_store_token_async (const char *server_url, const char *token,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
gboolean fl_credentials_store_token_finish (GAsyncResult *result, GError **error);

/* Answers NULL without an error when the keyring holds no token for @server_url. */
void fl_credentials_lookup_token_async (const char *server_url, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
char *fl_credentials_lookup_token_finish (GAsyncResult *result, GError **error);

void fl_credentials_clear_token_async (const char *server_url, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_credentials_clear_token_finish (GAsyncResult *result, GError **error);

G_END_DECLS
