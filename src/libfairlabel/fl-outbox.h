/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-client.h"
#include "fl-local-store.h"

G_BEGIN_DECLS

#define FL_TYPE_OUTBOX (fl_outbox_get_type ())
G_DECLARE_FINAL_TYPE (FlOutbox, fl_outbox, FL, OUTBOX, GObject)

/* Delivers committed submissions to the server: each carries its own
 * idempotency key, so a retry after a lost answer cannot land twice. */
FlOutbox *fl_outbox_new (FlLocalStore *store);

/* Delivery goes through @client (NULL pauses it); only the items for the
 * client's server are sent. Setting a client also picks up what an earlier run
 * left waiting. */
void fl_outbox_set_client (FlOutbox *self, FlClient *client);
FlClient *fl_outbox_get_client (FlOutbox *self);

/* How many submissions wait to be delivered; "notify::waiting" follows it. */
guint fl_outbox_get_waiting (FlOutbox *self);

/* Backoff between failed attempts: @first_ms, doubling, at most @max_ms. */
void fl_outbox_set_backoff (FlOutbox *self, guint first_ms, guint max_ms);

/* Commits the submission locally (fsync'd), then answers; delivery follows on
 * its own. Only after this answers TRUE may the UI say the work is sent. */
void fl_outbox_submit_async (FlOutbox *self, gint64 assignment_id, JsonNode *result,
                             gint64 active_seconds, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_outbox_submit_finish (FlOutbox *self, GAsyncResult *result, GError **error);

/* Tries every waiting item now, ignoring the backoff. */
void fl_outbox_flush (FlOutbox *self);

G_END_DECLS
