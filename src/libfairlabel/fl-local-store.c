/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlLocalStore"

#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "fl-local-store.h"

G_DEFINE_QUARK (fl - local - store - error - quark, fl_local_store_error)

struct _FlLocalStore
{
  GObject parent_instance;

  char *path;
  sqlite3 *db;
  GMutex lock;
  GThreadPool *pool;
};

G_DEFINE_FINAL_TYPE (FlLocalStore, fl_local_store, G_TYPE_OBJECT)

static const char *const migrations[] = {
  "CREATE TABLE drafts ("
  "  server_url TEXT NOT NULL,"
  "  assignment_id INTEGER NOT NULL,"
  "  assignment_json TEXT NOT NULL,"
  "  result_json TEXT,"
  "  active_seconds INTEGER NOT NULL DEFAULT 0,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (server_url, assignment_id));"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  idempotency_key TEXT NOT NULL UNIQUE,"
  "  server_url TEXT NOT NULL,"
  "  assignment_id INTEGER NOT NULL,"
  "  result_json TEXT NOT NULL,"
  "  active_seconds INTEGER NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX outbox_by_state ON outbox (server_url, state, id);",
  "CREATE TABLE work_time ("
  "  server_url TEXT NOT NULL,"
  "  day TEXT NOT NULL,"
  "  session_seconds INTEGER NOT NULL,"
  "  PRIMARY KEY (server_url, day));",
};

void
fl_draft_free (FlDraft *draft)
{
  if (draft == NULL)
    return;
  g_free (draft->server_url);
  g_free (draft->assignment_json);
  g_free (draft->result_json);
  g_free (draft);
}

void
fl_outbox_item_free (FlOutboxItem *item)
{
  if (item == NULL)
    return;
  g_free (item->idempotency_key);
  g_free (item->server_url);
  g_free (item->result_json);
  g_free (item->last_error);
  g_free (item);
}

static gboolean
set_sqlite_error (FlLocalStore *self, int rc, GError **error)
{
  int code;
  const char *what;

  switch (rc & 0xff)
    {
      case SQLITE_FULL:
        code = FL_LOCAL_STORE_ERROR_DISK_FULL;
        what = _ ("The disk is full");
        break;
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB:
        code = FL_LOCAL_STORE_ERROR_CORRUPT;
        what = _ ("The local database is damaged");
        break;
      default:
        code = FL_LOCAL_STORE_ERROR_WRITE;
        what = _ ("Saving to the local database failed");
        break;
    }
  g_set_error (error, FL_LOCAL_STORE_ERROR, code,
               _ ("%s (%s): nothing was saved. Free some space "
                  "and try again."),
               what, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
  return FALSE;
}

static gboolean
exec (FlLocalStore *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static sqlite3_stmt *
prepare (FlLocalStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return stmt;
}

static void
bind_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

static char *
column_text (sqlite3_stmt *stmt, int index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);
  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
migrate (FlLocalStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  int version = 0;

  stmt = prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  for (int i = version; i < (int) G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", i + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[i], error) || !exec (self, bump, error) ||
          !exec (self, "COMMIT", error))
        {
          exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
    }
  return TRUE;
}

static void run_op (gpointer data, gpointer user_data);

static void
fl_local_store_finalize (GObject *object)
{
  FlLocalStore *self = FL_LOCAL_STORE (object);

  /* Every queued operation holds a reference, so none is left; this may run on
   * the pool's own thread, hence no waiting. */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, FALSE, FALSE);
  if (self->db != NULL)
    sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self->path);

  G_OBJECT_CLASS (fl_local_store_parent_class)->finalize (object);
}

static void
fl_local_store_class_init (FlLocalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_local_store_finalize;
}

static void
fl_local_store_init (FlLocalStore *self)
{
  g_mutex_init (&self->lock);
}

FlLocalStore *
fl_local_store_new (const char *path, GError **error)
{
  g_autoptr (FlLocalStore) self = g_object_new (FL_TYPE_LOCAL_STORE, NULL);
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_data_dir (), "fairlabel", "local.db", NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, FL_LOCAL_STORE_ERROR, FL_LOCAL_STORE_ERROR_OPEN,
                   _ ("Cannot create the folder %s for your drafts: %s"), dir, g_strerror (saved));
      return NULL;
    }

  rc = sqlite3_open_v2 (self->path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FL_LOCAL_STORE_ERROR, FL_LOCAL_STORE_ERROR_OPEN,
                   _ ("Cannot open the local database %s: %s"), self->path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* synchronous=FULL: a commit is on the disk before the app says "saved". */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) || !migrate (self, error))
    return NULL;

  self->pool = g_thread_pool_new (run_op, self, 1, FALSE, NULL);
  return g_steal_pointer (&self);
}

const char *
fl_local_store_get_path (FlLocalStore *self)
{
  g_return_val_if_fail (FL_IS_LOCAL_STORE (self), NULL);

  return self->path;
}

void
fl_local_store_set_size_limit (FlLocalStore *self, gint64 max_bytes)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 page_size = 4096;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));

  g_mutex_lock (&self->lock);
  stmt = prepare (self, "PRAGMA page_size", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sql =
    g_strdup_printf ("PRAGMA max_page_count = %" G_GINT64_FORMAT, MAX (max_bytes / page_size, 1));
  exec (self, sql, NULL);
  g_mutex_unlock (&self->lock);
}

/* Operations, each run with the lock held. */

static gboolean
save_draft_locked (FlLocalStore *self, const FlDraft *draft, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "INSERT INTO drafts (server_url, assignment_id, assignment_json, result_json,"
                  " active_seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                  " ON CONFLICT (server_url, assignment_id) DO UPDATE SET"
                  " assignment_json = excluded.assignment_json,"
                  " result_json = COALESCE (excluded.result_json, drafts.result_json),"
                  " active_seconds = MAX (excluded.active_seconds, drafts.active_seconds),"
                  " updated_at = excluded.updated_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, draft->server_url);
  sqlite3_bind_int64 (stmt, 2, draft->assignment_id);
  bind_text (stmt, 3, draft->assignment_json);
  bind_text (stmt, 4, draft->result_json);
  sqlite3_bind_int64 (stmt, 5, draft->active_seconds);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static GPtrArray *
list_drafts_locked (FlLocalStore *self, const char *server_url, GError **error)
{
  g_autoptr (GPtrArray) drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_draft_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT server_url, assignment_id, assignment_json, result_json, active_seconds,"
                  " updated_at FROM drafts WHERE ?1 IS NULL OR server_url = ?1"
                  " ORDER BY updated_at DESC, assignment_id DESC",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, server_url);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlDraft *draft = g_new0 (FlDraft, 1);

      draft->server_url = column_text (stmt, 0);
      draft->assignment_id = sqlite3_column_int64 (stmt, 1);
      draft->assignment_json = column_text (stmt, 2);
      draft->result_json = column_text (stmt, 3);
      draft->active_seconds = sqlite3_column_int64 (stmt, 4);
      draft->updated_at = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (drafts, draft);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&drafts);
}

static gboolean
delete_draft_locked (FlLocalStore *self, const char *server_url, gint64 assignment_id,
                     GError **error)
{
  sqlite3_stmt *stmt =
    prepare (self, "DELETE FROM drafts WHERE server_url = ? AND assignment_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, server_url);
  sqlite3_bind_int64 (stmt, 2, assignment_id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static gint64
enqueue_locked (FlLocalStore *self, const char *server_url, gint64 assignment_id,
                const char *result_json, gint64 active_seconds, const char *key, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 id;
  int rc;

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return 0;

  stmt = prepare (self,
                  "INSERT INTO outbox (idempotency_key, server_url, assignment_id, result_json,"
                  " active_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, 1, key);
  bind_text (stmt, 2, server_url);
  sqlite3_bind_int64 (stmt, 3, assignment_id);
  bind_text (stmt, 4, result_json);
  sqlite3_bind_int64 (stmt, 5, active_seconds);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      goto fail;
    }
  id = sqlite3_last_insert_rowid (self->db);

  if (!delete_draft_locked (self, server_url, assignment_id, error))
    goto fail;
  if (!exec (self, "COMMIT", error))
    goto fail;
  return id;

fail:
  exec (self, "ROLLBACK", NULL);
  return 0;
}

static GPtrArray *
list_outbox_locked (FlLocalStore *self, const char *server_url, FlOutboxState state, GError **error)
{
  g_autoptr (GPtrArray) items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_outbox_item_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT id, idempotency_key, server_url, assignment_id, result_json,"
                  " active_seconds, state, attempts, next_attempt_at, last_error, created_at"
                  " FROM outbox WHERE (?1 IS NULL OR server_url = ?1) AND state = ?2 ORDER BY id",
                  error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, server_url);
  sqlite3_bind_int (stmt, 2, state);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlOutboxItem *item = g_new0 (FlOutboxItem, 1);

      item->id = sqlite3_column_int64 (stmt, 0);
      item->idempotency_key = column_text (stmt, 1);
      item->server_url = column_text (stmt, 2);
      item->assignment_id = sqlite3_column_int64 (stmt, 3);
      item->result_json = column_text (stmt, 4);
      item->active_seconds = sqlite3_column_int64 (stmt, 5);
      item->state = sqlite3_column_int (stmt, 6);
      item->attempts = (guint) sqlite3_column_int (stmt, 7);
      item->next_attempt_at = sqlite3_column_int64 (stmt, 8);
      item->last_error = column_text (stmt, 9);
      item->created_at = sqlite3_column_int64 (stmt, 10);
      g_ptr_array_add (items, item);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
update_outbox_locked (FlLocalStore *self, gint64 id, FlOutboxState state, guint attempts,
                      gint64 next_attempt_at, const char *last_error, GError **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "UPDATE outbox SET state = ?, attempts = ?, next_attempt_at = ?,"
                                " last_error = ? WHERE id = ?",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, state);
  sqlite3_bind_int (stmt, 2, (int) attempts);
  sqlite3_bind_int64 (stmt, 3, next_attempt_at);
  bind_text (stmt, 4, last_error);
  sqlite3_bind_int64 (stmt, 5, id);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_LOCAL_STORE_ERROR, FL_LOCAL_STORE_ERROR_NOT_FOUND,
                   "no outbox item %" G_GINT64_FORMAT, id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_work_time_locked (FlLocalStore *self, const char *server_url, const char *day, gint64 seconds,
                      GError **error)
{
  sqlite3_stmt *stmt = prepare (self,
                                "INSERT INTO work_time (server_url, day, session_seconds)"
                                " VALUES (?, ?, ?) ON CONFLICT (server_url, day) DO UPDATE SET"
                                " session_seconds = session_seconds + excluded.session_seconds",
                                error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, server_url);
  bind_text (stmt, 2, day);
  sqlite3_bind_int64 (stmt, 3, seconds);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, error);
  return TRUE;
}

static GHashTable *
list_work_time_locked (FlLocalStore *self, const char *server_url, GError **error)
{
  g_autoptr (GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt =
    prepare (self, "SELECT day, session_seconds FROM work_time WHERE server_url = ?", error);
  int rc;

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, server_url);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seconds = sqlite3_column_int64 (stmt, 1);
      g_hash_table_insert (days, column_text (stmt, 0), g_memdup2 (&seconds, sizeof seconds));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  return g_steal_pointer (&days);
}

/* The worker thread: one at a time, in the order they were asked for. */

typedef enum
{
  OP_SAVE_DRAFT,
  OP_LIST_DRAFTS,
  OP_DELETE_DRAFT,
  OP_ENQUEUE,
  OP_LIST_OUTBOX,
  OP_UPDATE_OUTBOX,
  OP_ADD_WORK_TIME,
  OP_LIST_WORK_TIME,
} OpKind;

typedef struct
{
  OpKind kind;
  FlDraft draft;
  char *server_url;
  gint64 id;
  char *result_json;
  char *key;
  gint64 active_seconds;
  FlOutboxState state;
  guint attempts;
  gint64 next_attempt_at;
  char *last_error;
} Op;

static void
op_free (Op *op)
{
  g_free (op->draft.server_url);
  g_free (op->draft.assignment_json);
  g_free (op->draft.result_json);
  g_free (op->server_url);
  g_free (op->result_json);
  g_free (op->key);
  g_free (op->last_error);
  g_free (op);
}

static Op *
op_new (OpKind kind, const char *server_url)
{
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->server_url = g_strdup (server_url);
  return op;
}

static void
run_op (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;
  FlLocalStore *self = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&self->lock);
  switch (op->kind)
    {
      case OP_SAVE_DRAFT:
        if (save_draft_locked (self, &op->draft, &error))
          g_task_return_boolean (task, TRUE);
        break;
      case OP_LIST_DRAFTS:
        {
          GPtrArray *drafts = list_drafts_locked (self, op->server_url, &error);
          if (drafts != NULL)
            g_task_return_pointer (task, drafts, (GDestroyNotify) g_ptr_array_unref);
        }
        break;
      case OP_DELETE_DRAFT:
        if (delete_draft_locked (self, op->server_url, op->id, &error))
          g_task_return_boolean (task, TRUE);
        break;
      case OP_ENQUEUE:
        {
          gint64 id = enqueue_locked (self, op->server_url, op->id, op->result_json,
                                      op->active_seconds, op->key, &error);
          if (id > 0)
            g_task_return_int (task, id);
        }
        break;
      case OP_LIST_OUTBOX:
        {
          GPtrArray *items = list_outbox_locked (self, op->server_url, op->state, &error);
          if (items != NULL)
            g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
        }
        break;
      case OP_UPDATE_OUTBOX:
        if (update_outbox_locked (self, op->id, op->state, op->attempts, op->next_attempt_at,
                                  op->last_error, &error))
          g_task_return_boolean (task, TRUE);
        break;
      case OP_ADD_WORK_TIME:
        if (add_work_time_locked (self, op->server_url, op->key, op->active_seconds, &error))
          g_task_return_boolean (task, TRUE);
        break;
      case OP_LIST_WORK_TIME:
        {
          GHashTable *days = list_work_time_locked (self, op->server_url, &error);
          if (days != NULL)
            g_task_return_pointer (task, days, (GDestroyNotify) g_hash_table_unref);
        }
        break;
      default:
        g_assert_not_reached ();
    }
  g_mutex_unlock (&self->lock);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
push_op (FlLocalStore *self, Op *op, gpointer source_tag, GCancellable *cancellable,
         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  /* The task holds the store, so the pool outlives every queued operation. */
  g_thread_pool_push (self->pool, task, NULL);
}

static GTask *
check_task (FlLocalStore *self, GAsyncResult *result, gpointer source_tag)
{
  g_return_val_if_fail (FL_IS_LOCAL_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return G_TASK (result);
}

void
fl_local_store_save_draft_async (FlLocalStore *self, const FlDraft *draft,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));
  g_return_if_fail (draft != NULL && draft->server_url != NULL);
  g_return_if_fail (draft->assignment_json != NULL);

  op = op_new (OP_SAVE_DRAFT, NULL);
  op->draft = *draft;
  op->draft.server_url = g_strdup (draft->server_url);
  op->draft.assignment_json = g_strdup (draft->assignment_json);
  op->draft.result_json = g_strdup (draft->result_json);
  push_op (self, op, fl_local_store_save_draft_async, cancellable, callback, user_data);
}

gboolean
fl_local_store_save_draft_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_save_draft_async);
  return task != NULL && g_task_propagate_boolean (task, error);
}

void
fl_local_store_list_drafts_async (FlLocalStore *self, const char *server_url,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));

  op = op_new (OP_LIST_DRAFTS, server_url);
  push_op (self, op, fl_local_store_list_drafts_async, cancellable, callback, user_data);
}

GPtrArray *
fl_local_store_list_drafts_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_list_drafts_async);
  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

void
fl_local_store_delete_draft_async (FlLocalStore *self, const char *server_url, gint64 assignment_id,
                                   GCancellable *cancellable, GAsyncReadyCallback callback,
                                   gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));
  g_return_if_fail (server_url != NULL);

  op = op_new (OP_DELETE_DRAFT, server_url);
  op->id = assignment_id;
  push_op (self, op, fl_local_store_delete_draft_async, cancellable, callback, user_data);
}

gboolean
fl_local_store_delete_draft_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_delete_draft_async);
  return task != NULL && g_task_propagate_boolean (task, error);
}

void
fl_local_store_enqueue_async (FlLocalStore *self, const char *server_url, gint64 assignment_id,
                              const char *result_json, gint64 active_seconds,
                              const char *idempotency_key, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (result_json != NULL);
  g_return_if_fail (idempotency_key != NULL);

  op = op_new (OP_ENQUEUE, server_url);
  op->id = assignment_id;
  op->result_json = g_strdup (result_json);
  op->active_seconds = active_seconds;
  op->key = g_strdup (idempotency_key);
  push_op (self, op, fl_local_store_enqueue_async, cancellable, callback, user_data);
}

gint64
fl_local_store_enqueue_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_enqueue_async);
  if (task == NULL)
    return 0;
  return (gint64) g_task_propagate_int (task, error);
}

void
fl_local_store_list_outbox_async (FlLocalStore *self, const char *server_url, FlOutboxState state,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));

  op = op_new (OP_LIST_OUTBOX, server_url);
  op->state = state;
  push_op (self, op, fl_local_store_list_outbox_async, cancellable, callback, user_data);
}

GPtrArray *
fl_local_store_list_outbox_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_list_outbox_async);
  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}

void
fl_local_store_update_outbox_async (FlLocalStore *self, gint64 id, FlOutboxState state,
                                    guint attempts, gint64 next_attempt_at, const char *last_error,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));

  op = op_new (OP_UPDATE_OUTBOX, NULL);
  op->id = id;
  op->state = state;
  op->attempts = attempts;
  op->next_attempt_at = next_attempt_at;
  op->last_error = g_strdup (last_error);
  push_op (self, op, fl_local_store_update_outbox_async, cancellable, callback, user_data);
}

gboolean
fl_local_store_update_outbox_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_update_outbox_async);
  return task != NULL && g_task_propagate_boolean (task, error);
}

gboolean
fl_local_store_save_draft_sync (FlLocalStore *self, const FlDraft *draft, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (FL_IS_LOCAL_STORE (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  g_mutex_lock (&self->lock);
  ok = save_draft_locked (self, draft, error);
  g_mutex_unlock (&self->lock);
  return ok;
}

GPtrArray *
fl_local_store_list_drafts_sync (FlLocalStore *self, const char *server_url, GError **error)
{
  GPtrArray *drafts;

  g_return_val_if_fail (FL_IS_LOCAL_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  drafts = list_drafts_locked (self, server_url, error);
  g_mutex_unlock (&self->lock);
  return drafts;
}

GPtrArray *
fl_local_store_list_outbox_sync (FlLocalStore *self, const char *server_url, FlOutboxState state,
                                 GError **error)
{
  GPtrArray *items;

  g_return_val_if_fail (FL_IS_LOCAL_STORE (self), NULL);

  g_mutex_lock (&self->lock);
  items = list_outbox_locked (self, server_url, state, error);
  g_mutex_unlock (&self->lock);
  return items;
}

void
fl_local_store_add_work_time_async (FlLocalStore *self, const char *server_url, const char *day,
                                    gint64 seconds, GCancellable *cancellable,
                                    GAsyncReadyCallback callback, gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));
  g_return_if_fail (server_url != NULL && day != NULL);

  op = op_new (OP_ADD_WORK_TIME, server_url);
  op->key = g_strdup (day);
  op->active_seconds = seconds;
  push_op (self, op, fl_local_store_add_work_time_async, cancellable, callback, user_data);
}

gboolean
fl_local_store_add_work_time_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_add_work_time_async);
  return task != NULL && g_task_propagate_boolean (task, error);
}

void
fl_local_store_list_work_time_async (FlLocalStore *self, const char *server_url,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  Op *op;

  g_return_if_fail (FL_IS_LOCAL_STORE (self));
  g_return_if_fail (server_url != NULL);

  op = op_new (OP_LIST_WORK_TIME, server_url);
  push_op (self, op, fl_local_store_list_work_time_async, cancellable, callback, user_data);
}

GHashTable *
fl_local_store_list_work_time_finish (FlLocalStore *self, GAsyncResult *result, GError **error)
{
  GTask *task = check_task (self, result, fl_local_store_list_work_time_async);
  return task != NULL ? g_task_propagate_pointer (task, error) : NULL;
}
