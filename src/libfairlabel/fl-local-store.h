/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_LOCAL_STORE_ERROR (fl_local_store_error_quark ())

typedef enum
{
  FL_LOCAL_STORE_ERROR_OPEN,
  FL_LOCAL_STORE_ERROR_DISK_FULL,
  FL_LOCAL_STORE_ERROR_WRITE,
  FL_LOCAL_STORE_ERROR_CORRUPT,
  FL_LOCAL_STORE_ERROR_NOT_FOUND,
} FlLocalStoreError;

GQuark fl_local_store_error_quark (void);

/* A work in progress, saved after every edit. */
typedef struct
{
  char *server_url;
  gint64 assignment_id;
  char *assignment_json; /* the assignment as the server sent it */
  char *result_json;     /* nullable: nothing edited yet */
  gint64 active_seconds;
  gint64 updated_at; /* unix seconds */
} FlDraft;

void fl_draft_free (FlDraft *draft);

typedef enum
{
  FL_OUTBOX_STATE_WAITING,
  FL_OUTBOX_STATE_DELIVERED,
  FL_OUTBOX_STATE_FAILED,
} FlOutboxState;

/* A submission that must reach the server exactly once. */
typedef struct
{
  gint64 id;
  char *idempotency_key;
  char *server_url;
  gint64 assignment_id;
  char *result_json;
  gint64 active_seconds;
  FlOutboxState state;
  guint attempts;
  gint64 next_attempt_at; /* unix seconds */
  char *last_error;       /* nullable */
  gint64 created_at;
} FlOutboxItem;

void fl_outbox_item_free (FlOutboxItem *item);

#define FL_TYPE_LOCAL_STORE (fl_local_store_get_type ())
G_DECLARE_FINAL_TYPE (FlLocalStore, fl_local_store, FL, LOCAL_STORE, GObject)

/* @path: the SQLite file; NULL for fairlabel/local.db in the XDG data dir. */
FlLocalStore *fl_local_store_new (const char *path, GError **error);
const char *fl_local_store_get_path (FlLocalStore *self);
/* Caps the database file; writes beyond it fail as DISK_FULL, like a full disk. */
void fl_local_store_set_size_limit (FlLocalStore *self, gint64 max_bytes);

/* All operations run in order on one worker thread; results come back in the
 * caller's main context. */

void fl_local_store_save_draft_async (FlLocalStore *self, const FlDraft *draft,
                                      GCancellable *cancellable, GAsyncReadyCallback callback,
                                      gpointer user_data);
gboolean fl_local_store_save_draft_finish (FlLocalStore *self, GAsyncResult *result,
                                           GError **error);

/* Answers a GPtrArray of FlDraft, newest first. */
void fl_local_store_list_drafts_async (FlLocalStore *self, const char *server_url,
                                       GCancellable *cancellable, GAsyncReadyCallback callback,
                                       gpointer user_data);
GPtrArray *fl_local_store_list_drafts_finish (FlLocalStore *self, GAsyncResult *result,
                                              GError **error);

void fl_local_store_delete_draft_async (FlLocalStore *self, const char *server_url,
                                        gint64 assignment_id, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_local_store_delete_draft_finish (FlLocalStore *self, GAsyncResult *result,
                                             GError **error);

/* Commits the submission (and drops its draft) in one fsync'd transaction;
 * answers the new item's id, or 0 and an error (DISK_FULL, WRITE). */
void fl_local_store_enqueue_async (FlLocalStore *self, const char *server_url, gint64 assignment_id,
                                   const char *result_json, gint64 active_seconds,
                                   const char *idempotency_key, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gint64 fl_local_store_enqueue_finish (FlLocalStore *self, GAsyncResult *result, GError **error);

/* Answers a GPtrArray of FlOutboxItem in @state, oldest first. */
void fl_local_store_list_outbox_async (FlLocalStore *self, const char *server_url,
                                       FlOutboxState state, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data);
GPtrArray *fl_local_store_list_outbox_finish (FlLocalStore *self, GAsyncResult *result,
                                              GError **error);

/* Records the outcome of one delivery attempt. */
void fl_local_store_update_outbox_async (FlLocalStore *self, gint64 id, FlOutboxState state,
                                         guint attempts, gint64 next_attempt_at,
                                         const char *last_error, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_local_store_update_outbox_finish (FlLocalStore *self, GAsyncResult *result,
                                              GError **error);

/* Working time per local day ("YYYY-MM-DD"), for the session rate per day. */
void fl_local_store_add_work_time_async (FlLocalStore *self, const char *server_url,
                                         const char *day, gint64 seconds, GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data);
gboolean fl_local_store_add_work_time_finish (FlLocalStore *self, GAsyncResult *result,
                                              GError **error);
/* Answers day -> gint64 * seconds. */
void fl_local_store_list_work_time_async (FlLocalStore *self, const char *server_url,
                                          GCancellable *cancellable, GAsyncReadyCallback callback,
                                          gpointer user_data);
GHashTable *fl_local_store_list_work_time_finish (FlLocalStore *self, GAsyncResult *result,
                                                  GError **error);

/* Blocking variants for worker threads, tests and tools; never on the main loop. */
gboolean fl_local_store_save_draft_sync (FlLocalStore *self, const FlDraft *draft, GError **error);
GPtrArray *fl_local_store_list_drafts_sync (FlLocalStore *self, const char *server_url,
                                            GError **error);
GPtrArray *fl_local_store_list_outbox_sync (FlLocalStore *self, const char *server_url,
                                            FlOutboxState state, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlDraft, fl_draft_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOutboxItem, fl_outbox_item_free)

G_END_DECLS
