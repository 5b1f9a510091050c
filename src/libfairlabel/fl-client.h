/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

#define FL_CLIENT_ERROR (fl_client_error_quark ())

typedef enum
{
  FL_CLIENT_ERROR_INVALID_URL,
  FL_CLIENT_ERROR_TLS_REQUIRED,
  FL_CLIENT_ERROR_UNREACHABLE,
  FL_CLIENT_ERROR_TIMEOUT,
  FL_CLIENT_ERROR_UNAUTHORIZED,
  FL_CLIENT_ERROR_FORBIDDEN,
  FL_CLIENT_ERROR_NOT_FOUND,
  FL_CLIENT_ERROR_CONFLICT,
  FL_CLIENT_ERROR_EXPIRED,
  FL_CLIENT_ERROR_INVALID_REQUEST,
  FL_CLIENT_ERROR_SERVER,
  FL_CLIENT_ERROR_BAD_RESPONSE,
  FL_CLIENT_ERROR_CHECKSUM_MISMATCH,
  FL_CLIENT_ERROR_TLS,
  FL_CLIENT_ERROR_ALREADY_SUBMITTED,
  FL_CLIENT_ERROR_NO_TASKS,
} FlClientError;

GQuark fl_client_error_quark (void);

#define FL_TYPE_CLIENT (fl_client_get_type ())
G_DECLARE_FINAL_TYPE (FlClient, fl_client, FL, CLIENT, GObject)

FlClient *fl_client_new (const char *base_url, const char *token, gboolean allow_insecure,
                         GError **error);

gboolean fl_client_url_is_loopback (const char *base_url);

const char *fl_client_get_base_url (FlClient *self);
void fl_client_set_timeout (FlClient *self, guint seconds);
guint fl_client_get_timeout (FlClient *self);

/* Every call below answers with the protocol type it reads (a malformed or
 * unexpected answer is FL_CLIENT_ERROR_BAD_RESPONSE) or with a FL_CLIENT_ERROR
 * whose message is written for a person. */

void fl_client_get_info_async (FlClient *self, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
FlServerInfo *fl_client_get_info_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_get_offers_async (FlClient *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data);
/* FlOffer */
GPtrArray *fl_client_get_offers_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_accept_async (FlClient *self, gint64 project_id, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
FlAssignment *fl_client_accept_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_heartbeat_async (FlClient *self, gint64 assignment_id, gint64 active_seconds,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data);
JsonObject *fl_client_heartbeat_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_submit_async (FlClient *self, gint64 assignment_id, JsonNode *result_json,
                             gint64 active_seconds, const char *idempotency_key,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
JsonObject *fl_client_submit_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_return_async (FlClient *self, gint64 assignment_id, gint64 active_seconds,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
JsonObject *fl_client_return_finish (FlClient *self, GAsyncResult *result, GError **error);

void fl_client_get_earnings_async (FlClient *self, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
FlEarnings *fl_client_get_earnings_finish (FlClient *self, GAsyncResult *result, GError **error);

/* Downloads /api/v1/assets/SHA256 into @cache_dir (a file named by the hash),
 * unless it is there already; the bytes are verified against the hash before
 * the file appears under its name. */
void fl_client_fetch_asset_async (FlClient *self, const char *sha256, GFile *cache_dir,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data);
GFile *fl_client_fetch_asset_finish (FlClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
