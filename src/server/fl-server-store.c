/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlServerStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "fl-server-store.h"
#include "fl-token.h"

struct _FlServerStore
{
  GObject parent_instance;

  char *data_dir;
  char *blob_dir;
  sqlite3 *db;
  GHashTable *statements; /* SQL literal -> sqlite3_stmt */
  GHashTable *users;      /* token hash -> FlServerUser, while no other process wrote */
  gint64 data_version;
};

G_DEFINE_FINAL_TYPE (FlServerStore, fl_server_store, G_TYPE_OBJECT)

/* Each entry moves the schema from version i to i + 1. */
static const char *const migrations[] = {
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL CHECK (role IN ('worker', 'reviewer', 'admin')),"
  "  token_hash TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, revoked_at INTEGER);"
  "CREATE TABLE projects (id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('image', "
  "'audio')),"
  "  title TEXT NOT NULL, instructions TEXT NOT NULL, label_config TEXT NOT NULL,"
  "  reward_minor INTEGER NOT NULL CHECK (reward_minor >= 0), currency TEXT NOT NULL,"
  "  estimate_seconds INTEGER NOT NULL, lease_seconds INTEGER NOT NULL,"
  "  auto_approve_seconds INTEGER NOT NULL, assignments_per_task INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,"
  "  width INTEGER NOT NULL DEFAULT 0, height INTEGER NOT NULL DEFAULT 0,"
  "  duration REAL NOT NULL DEFAULT 0);"
  "CREATE TABLE tasks (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES projects,"
  "  pre_annotation TEXT, data TEXT, held INTEGER NOT NULL DEFAULT 0,"
  "  done INTEGER NOT NULL DEFAULT 0, open INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX tasks_available ON tasks (project_id, id) WHERE held = 0 AND open = 1;"
  "CREATE TABLE task_assets (task_id INTEGER NOT NULL REFERENCES tasks, position INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL REFERENCES blobs, name TEXT NOT NULL, PRIMARY KEY (task_id, "
  "position));"
  "CREATE INDEX task_assets_sha256 ON task_assets (sha256);"
  "CREATE TABLE assignments (id INTEGER PRIMARY KEY, task_id INTEGER NOT NULL REFERENCES tasks,"
  "  project_id INTEGER NOT NULL REFERENCES projects, worker_id INTEGER NOT NULL REFERENCES "
  "users,"
  "  state TEXT NOT NULL, accepted_at INTEGER NOT NULL, deadline INTEGER NOT NULL,"
  "  active_seconds INTEGER NOT NULL DEFAULT 0, submitted_at INTEGER, result TEXT,"
  "  idempotency_key TEXT, response TEXT, reviewer_id INTEGER, reviewed_at INTEGER,"
  "  reason TEXT, ended_at INTEGER);"
  /* The database itself refuses a second active assignment of one task. */
  "CREATE UNIQUE INDEX assignments_one_active ON assignments (task_id) WHERE state = 'active';"
  "CREATE INDEX assignments_task_worker ON assignments (task_id, worker_id);"
  "CREATE INDEX assignments_deadline ON assignments (deadline) WHERE state = 'active';"
  "CREATE INDEX assignments_due ON assignments (submitted_at) WHERE state = 'submitted';"
  "CREATE INDEX assignments_worker ON assignments (worker_id, project_id, state);"
  "CREATE INDEX assignments_project ON assignments (project_id, state, active_seconds);"
  "CREATE TABLE ledger (id INTEGER PRIMARY KEY, worker_id INTEGER NOT NULL REFERENCES users,"
  "  assignment_id INTEGER NOT NULL REFERENCES assignments, project_id INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('reward', 'bonus')),"
  "  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'paid')),"
  "  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0), currency TEXT NOT NULL,"
  "  active_seconds INTEGER NOT NULL DEFAULT 0, reason TEXT, created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL);"
  "CREATE INDEX ledger_worker ON ledger (worker_id, created_at);"
  "CREATE INDEX ledger_assignment ON ledger (assignment_id);"
  "CREATE INDEX ledger_state ON ledger (state, worker_id);",

  /* 2: auto-approval finds due work through an index instead of scanning every
   * submission each second; fewer indexes change when an assignment changes state. */
  "ALTER TABLE assignments ADD COLUMN due_at INTEGER;"
  "UPDATE assignments SET due_at = submitted_at + (SELECT p.auto_approve_seconds FROM projects p "
  "  WHERE p.id = assignments.project_id) WHERE state = 'submitted';"
  "DROP INDEX assignments_due;"
  "CREATE INDEX assignments_due ON assignments (due_at) WHERE state = 'submitted';"
  "DROP INDEX assignments_deadline;"
  "DROP INDEX assignments_worker;"
  "CREATE INDEX assignments_worker ON assignments (worker_id, project_id);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == FL_SERVER_STORE_SCHEMA_VERSION);

static const char *const role_names[] = { "worker", "reviewer", "admin" };

const char *
fl_role_to_string (FlRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);
  return role_names[role];
}

gboolean
fl_role_from_string (const char *text, FlRole *out)
{
  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (strcmp (text, role_names[i]) == 0)
      {
        *out = (FlRole) i;
        return TRUE;
      }
  return FALSE;
}

void
fl_server_user_free (FlServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user);
}

void
fl_project_spec_free (FlProjectSpec *spec)
{
  if (spec == NULL)
    return;
  g_free (spec->kind);
  g_free (spec->title);
  g_free (spec->instructions);
  g_clear_pointer (&spec->label_config, json_object_unref);
  g_free (spec);
}

static gboolean invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD, message);
  return FALSE;
}

static gboolean
get_positive (JsonObject *object, const char *member, gint64 fallback, gint64 min, gint64 *out,
              GError **error)
{
  *out = fallback;
  if (!fl_protocol_get_int (object, member, FALSE, out, error))
    return FALSE;
  if (*out < min || *out > G_MAXINT32)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field “%s” must be between %" G_GINT64_FORMAT " and %d", member, min,
                   G_MAXINT32);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_label_config (JsonObject *config, GError **error)
{
  static const char *const allowed[] = { "classes", "tags", "speakers", NULL };
  static const char *const class_allowed[] = { "name", "color", "hotkey", "attributes", NULL };
  JsonArray *classes = NULL, *tags = NULL, *speakers = NULL;

  if (!fl_protocol_check_members (config, allowed, error) ||
      !fl_protocol_get_array (config, "classes", FALSE, &classes, error) ||
      !fl_protocol_get_array (config, "tags", FALSE, &tags, error) ||
      !fl_protocol_get_array (config, "speakers", FALSE, &speakers, error))
    return FALSE;
  for (guint i = 0; classes != NULL && i < json_array_get_length (classes); i++)
    {
      JsonNode *node = json_array_get_element (classes, i);
      JsonObject *object;
      const char *name, *color, *hotkey;
      JsonArray *attributes;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "Each of “%s” must be an object", "classes");
      object = json_node_get_object (node);
      if (!fl_protocol_check_members (object, class_allowed, error) ||
          !fl_protocol_get_string (object, "name", TRUE, &name, error) ||
          !fl_protocol_get_string (object, "color", FALSE, &color, error) ||
          !fl_protocol_get_string (object, "hotkey", FALSE, &hotkey, error) ||
          !fl_protocol_get_array (object, "attributes", FALSE, &attributes, error))
        return FALSE;
      if (name[0] == '\0')
        return invalid (error, "Field “%s” must not be empty", "name");
    }
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *node = json_array_get_element (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return invalid (error, "Each of “%s” must be a string", "tags");
    }
  for (guint i = 0; speakers != NULL && i < json_array_get_length (speakers); i++)
    {
      JsonNode *node = json_array_get_element (speakers, i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "Each of “%s” must be an object", "speakers");
      if (!fl_protocol_get_string (json_node_get_object (node), "name", TRUE, &name, error))
        return FALSE;
    }
  return TRUE;
}

FlProjectSpec *
fl_project_spec_from_json (JsonObject *object, const char *const *extra_allowed, GError **error)
{
  static const char *const base[] = {
    "kind",
    "title",
    "instructions",
    "label_config",
    "reward",
    "currency",
    "estimate_seconds",
    "lease_seconds",
    "auto_approve_seconds",
    "assignments_per_task",
    NULL,
  };
  g_autoptr (GPtrArray) allowed = g_ptr_array_new ();
  g_autoptr (FlProjectSpec) spec = g_new0 (FlProjectSpec, 1);
  g_autoptr (GError) money_error = NULL;
  const char *kind, *title, *instructions = NULL, *currency = NULL;
  JsonObject *label_config = NULL;
  JsonNode *reward;

  g_return_val_if_fail (object != NULL, NULL);

  for (guint i = 0; base[i] != NULL; i++)
    g_ptr_array_add (allowed, (gpointer) base[i]);
  for (guint i = 0; extra_allowed != NULL && extra_allowed[i] != NULL; i++)
    g_ptr_array_add (allowed, (gpointer) extra_allowed[i]);
  g_ptr_array_add (allowed, NULL);

  if (!fl_protocol_check_members (object, (const char *const *) allowed->pdata, error) ||
      !fl_protocol_get_string (object, "kind", TRUE, &kind, error) ||
      !fl_protocol_get_string (object, "title", TRUE, &title, error) ||
      !fl_protocol_get_string (object, "instructions", FALSE, &instructions, error) ||
      !fl_protocol_get_object (object, "label_config", FALSE, &label_config, error) ||
      !fl_protocol_get_string (object, "currency", FALSE, &currency, error))
    return NULL;
  if (strcmp (kind, "image") != 0 && strcmp (kind, "audio") != 0)
    return (invalid (error, "Field “%s” must be “image” or “audio”", "kind"), NULL);
  if (g_utf8_strlen (title, -1) == 0 || strlen (title) > 500)
    return (invalid (error, "Field “%s” must be 1 to 500 characters", "title"), NULL);
  if (label_config != NULL && !validate_label_config (label_config, error))
    return NULL;

  /* The reward is either {"amount","currency"} or a decimal string with "currency" beside it. */
  reward = json_object_get_member (object, "reward");
  if (reward == NULL || JSON_NODE_HOLDS_NULL (reward))
    return (invalid (error, "Missing field “%s”", "reward"), NULL);
  if (JSON_NODE_HOLDS_OBJECT (reward))
    {
      if (currency != NULL)
        return (invalid (error, "Field “%s” goes inside “reward”", "currency"), NULL);
      if (!fl_protocol_money_from_json (reward, &spec->reward, error))
        return NULL;
    }
  else if (JSON_NODE_HOLDS_VALUE (reward) && json_node_get_value_type (reward) == G_TYPE_STRING)
    {
      g_autoptr (JsonObject) money = json_object_new ();
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      if (currency == NULL)
        return (invalid (error, "Missing field “%s”", "currency"), NULL);
      json_object_set_string_member (money, "amount", json_node_get_string (reward));
      json_object_set_string_member (money, "currency", currency);
      json_node_set_object (node, money);
      if (!fl_protocol_money_from_json (node, &spec->reward, error))
        return NULL;
    }
  else
    return (invalid (error, "Field “%s” must be a decimal string or a money object", "reward"),
            NULL);

  if (!get_positive (object, "estimate_seconds", 60, 1, &spec->estimate_seconds, error) ||
      !get_positive (object, "lease_seconds", 900, 1, &spec->lease_seconds, error) ||
      !get_positive (object, "auto_approve_seconds", 3 * 86400, 0, &spec->auto_approve_seconds,
                     error) ||
      !get_positive (object, "assignments_per_task", 1, 1, &spec->assignments_per_task, error))
    return NULL;
  if (spec->assignments_per_task > 100)
    return (invalid (error, "Field “%s” must be at most 100", "assignments_per_task"), NULL);

  spec->kind = g_strdup (kind);
  spec->title = g_strdup (title);
  spec->instructions = g_strdup (instructions ? instructions : "");
  spec->label_config = label_config ? json_object_ref (label_config) : json_object_new ();
  return g_steal_pointer (&spec);
}

JsonNode *
fl_project_spec_to_json (const FlProjectSpec *spec, gint64 id)
{
  g_autoptr (JsonObject) object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (id > 0)
    json_object_set_int_member (object, "id", id);
  json_object_set_string_member (object, "kind", spec->kind);
  json_object_set_string_member (object, "title", spec->title);
  json_object_set_string_member (object, "instructions", spec->instructions);
  json_object_set_object_member (object, "label_config", json_object_ref (spec->label_config));
  json_object_set_member (object, "reward", fl_protocol_money_to_json (&spec->reward));
  json_object_set_int_member (object, "estimate_seconds", spec->estimate_seconds);
  json_object_set_int_member (object, "lease_seconds", spec->lease_seconds);
  json_object_set_int_member (object, "auto_approve_seconds", spec->auto_approve_seconds);
  json_object_set_int_member (object, "assignments_per_task", spec->assignments_per_task);
  json_node_set_object (node, object);
  return node;
}

static void
fl_server_store_finalize (GObject *object)
{
  FlServerStore *self = FL_SERVER_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->users, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->data_dir);
  g_free (self->blob_dir);

  G_OBJECT_CLASS (fl_server_store_parent_class)->finalize (object);
}

static void
fl_server_store_class_init (FlServerStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_server_store_finalize;
}

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
fl_server_store_init (FlServerStore *self)
{
  /* Keyed by the SQL literal's address: hashing the text on every call costs more. */
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, statement_free);
  self->users =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fl_server_user_free);
}

static gboolean
db_error (FlServerStore *self, GError **error)
{
  int code = sqlite3_extended_errcode (self->db);
  FlProtocolError kind = FL_PROTOCOL_ERROR_INTERNAL;

  if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
    kind = FL_PROTOCOL_ERROR_UNAVAILABLE;
  g_set_error (error, FL_PROTOCOL_ERROR, kind, "Database error: %s", sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
exec (FlServerStore *self, const char *sql, GError **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return db_error (self, error);
  return TRUE;
}

/* A cached prepared statement, reset and ready for binding. SQL text is always a literal. */
static sqlite3_stmt *
q (FlServerStore *self, const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
          SQLITE_OK)
        g_error ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* Steps a statement that returns no rows. */
static gboolean
run (FlServerStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return db_error (self, error);
  return TRUE;
}

static gboolean
step_row (FlServerStore *self, sqlite3_stmt *stmt, gboolean *has_row, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      *has_row = TRUE;
      return TRUE;
    }
  *has_row = FALSE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return db_error (self, error);
  return TRUE;
}

static const char *
col_text (sqlite3_stmt *stmt, int i)
{
  return (const char *) sqlite3_column_text (stmt, i);
}

static void
bind_text (sqlite3_stmt *stmt, int i, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, i, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, i);
}

static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return fl_protocol_to_string (node, NULL);
}

static JsonNode *
text_to_node (const char *text)
{
  if (text == NULL)
    return NULL;
  return fl_protocol_parse (text, -1, NULL);
}

static JsonObject *
text_to_object (const char *text)
{
  g_autoptr (JsonNode) node = text_to_node (text);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static void
money_set (FlMoney *money, gint64 minor, const char *currency)
{
  money->amount_minor = minor;
  g_strlcpy (money->currency, currency ? currency : "", sizeof money->currency);
}

static gboolean
migrate (FlServerStore *self, GError **error)
{
  sqlite3_stmt *stmt;
  int version;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return db_error (self, error);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_finalize (stmt);
      return db_error (self, error);
    }
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version > FL_SERVER_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The database has schema version %d; this server knows up to %d", version,
                   FL_SERVER_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  for (; version < FL_SERVER_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, set_version, error))
        {
          exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static FlServerStore *
open_store (const char *data_dir, gboolean check, GError **error)
{
  g_autoptr (FlServerStore) self = NULL;
  g_autofree char *path = NULL;
  sqlite3_stmt *check_stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create “%s”: %s",
                   data_dir, g_strerror (saved));
      return NULL;
    }
  self = g_object_new (FL_TYPE_SERVER_STORE, NULL);
  self->data_dir = g_canonicalize_filename (data_dir, NULL);
  self->blob_dir = g_build_filename (self->data_dir, "blobs", NULL);
  if (g_mkdir_with_parents (self->blob_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot create “%s”: %s",
                   self->blob_dir, g_strerror (saved));
      return NULL;
    }

  path = g_build_filename (data_dir, "fairlabel.db", NULL);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot open the database “%s”: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  /* A damaged file must stop the server before it serves anything from it. */
  ok = !check;
  ok = ok ||
       (sqlite3_prepare_v2 (self->db, "PRAGMA quick_check", -1, &check_stmt, NULL) == SQLITE_OK &&
        sqlite3_step (check_stmt) == SQLITE_ROW &&
        g_strcmp0 ((const char *) sqlite3_column_text (check_stmt, 0), "ok") == 0);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The database “%s” is damaged or not a Fairlabel database (%s); restore it "
                   "from a backup",
                   path, sqlite3_errmsg (self->db));
      sqlite3_finalize (check_stmt);
      return NULL;
    }
  sqlite3_finalize (check_stmt);

  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) || !migrate (self, error))
    {
      g_prefix_error (error, "%s: ", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

FlServerStore *
fl_server_store_open (const char *data_dir, GError **error)
{
  return open_store (data_dir, TRUE, error);
}

FlServerStore *
fl_server_store_open_unchecked (const char *data_dir, GError **error)
{
  return open_store (data_dir, FALSE, error);
}

const char *
fl_server_store_get_data_dir (FlServerStore *self)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);
  return self->data_dir;
}

/* Another connection (the command line) wrote: users may have been revoked. */
static void
forget_users_after_other_writes (FlServerStore *self)
{
  sqlite3_stmt *s;
  gint64 version = 0;

  s = q (self, "PRAGMA data_version");
  if (sqlite3_step (s) == SQLITE_ROW)
    version = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (version != self->data_version)
    {
      g_hash_table_remove_all (self->users);
      self->data_version = version;
    }
}

gboolean
fl_server_store_begin (FlServerStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), FALSE);

  if (!run (self, q (self, "BEGIN IMMEDIATE"), error))
    return FALSE;
  forget_users_after_other_writes (self);
  return TRUE;
}

gboolean
fl_server_store_begin_read (FlServerStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), FALSE);

  if (!run (self, q (self, "BEGIN DEFERRED"), error))
    return FALSE;
  forget_users_after_other_writes (self);
  return TRUE;
}

gboolean
fl_server_store_commit (FlServerStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), FALSE);
  if (!run (self, q (self, "COMMIT"), error))
    {
      fl_server_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
fl_server_store_rollback (FlServerStore *self)
{
  g_return_if_fail (FL_IS_SERVER_STORE (self));
  if (!sqlite3_get_autocommit (self->db))
    run (self, q (self, "ROLLBACK"), NULL);
}

gboolean
fl_server_store_savepoint (FlServerStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), FALSE);
  return run (self, q (self, "SAVEPOINT request"), error);
}

void
fl_server_store_release (FlServerStore *self, gboolean keep)
{
  g_return_if_fail (FL_IS_SERVER_STORE (self));
  if (!keep)
    run (self, q (self, "ROLLBACK TO request"), NULL);
  run (self, q (self, "RELEASE request"), NULL);
}

gboolean
fl_server_store_is_empty (FlServerStore *self)
{
  sqlite3_stmt *s = q (self, "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM "
                             "projects)");
  gboolean row;
  gint64 n = 0;

  if (step_row (self, s, &row, NULL) && row)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return n == 0;
}

gboolean
fl_server_store_get_minimum_wage (FlServerStore *self, FlMoney *out)
{
  sqlite3_stmt *s = q (self, "SELECT value FROM settings WHERE key = 'minimum_hourly_wage'");
  gboolean row = FALSE;
  g_auto (GStrv) parts = NULL;

  memset (out, 0, sizeof *out);
  g_strlcpy (out->currency, "USD", sizeof out->currency);
  if (!step_row (self, s, &row, NULL) || !row)
    return FALSE;
  parts = g_strsplit (col_text (s, 0), " ", 2);
  sqlite3_reset (s);
  if (g_strv_length (parts) != 2)
    return FALSE;
  return fl_money_parse (parts[0], parts[1], out, NULL);
}

gboolean
fl_server_store_set_minimum_wage (FlServerStore *self, const FlMoney *wage, GError **error)
{
  sqlite3_stmt *s =
    q (self, "INSERT OR REPLACE INTO settings (key, value) VALUES ('minimum_hourly_wage', ?)");
  g_autofree char *amount = fl_money_to_decimal (wage);
  g_autofree char *value = g_strdup_printf ("%s %s", amount, wage->currency);

  bind_text (s, 1, value);
  return run (self, s, error);
}

char *
fl_server_store_add_user (FlServerStore *self, const char *name, FlRole role, GError **error)
{
  g_autofree char *token = NULL;
  g_autofree char *hash = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (name == NULL || name[0] == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                           "A user name must be 1 to 200 characters of UTF-8");
      return NULL;
    }
  if (fl_server_store_find_user (self, name, NULL) > 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_STATE,
                   "A user named “%s” exists already", name);
      return NULL;
    }
  token = fl_token_new (error);
  if (token == NULL)
    return NULL;
  hash = fl_token_hash (token);
  s = q (self, "INSERT INTO users (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)");
  bind_text (s, 1, name);
  bind_text (s, 2, fl_role_to_string (role));
  bind_text (s, 3, hash);
  sqlite3_bind_int64 (s, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!run (self, s, error))
    return NULL;
  return g_steal_pointer (&token);
}

GPtrArray *
fl_server_store_list_users (FlServerStore *self, gboolean with_revoked)
{
  GPtrArray *users = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_server_user_free);
  sqlite3_stmt *s = q (self, "SELECT id, name, role, revoked_at IS NOT NULL FROM users ORDER BY "
                             "id");

  while (sqlite3_step (s) == SQLITE_ROW)
    {
      FlServerUser *user;

      if (!with_revoked && sqlite3_column_int (s, 3))
        continue;
      user = g_new0 (FlServerUser, 1);
      user->id = sqlite3_column_int64 (s, 0);
      user->name = g_strdup (col_text (s, 1));
      fl_role_from_string (col_text (s, 2), &user->role);
      g_ptr_array_add (users, user);
    }
  sqlite3_reset (s);
  return users;
}

char *
fl_server_store_reissue_token (FlServerStore *self, const char *name, GError **error)
{
  g_autofree char *token = fl_token_new (error);
  g_autofree char *hash = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (token == NULL)
    return NULL;
  hash = fl_token_hash (token);
  s = q (self, "UPDATE users SET token_hash = ?, revoked_at = NULL WHERE name = ?");
  bind_text (s, 1, hash);
  bind_text (s, 2, name);
  if (!run (self, s, error))
    return NULL;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No user named “%s”",
                   name);
      return NULL;
    }
  g_hash_table_remove_all (self->users);
  return g_steal_pointer (&token);
}

gboolean
fl_server_store_revoke_user (FlServerStore *self, const char *name, GError **error)
{
  sqlite3_stmt *s =
    q (self, "UPDATE users SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");

  sqlite3_bind_int64 (s, 1, g_get_real_time () / G_USEC_PER_SEC);
  bind_text (s, 2, name);
  if (!run (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No active user named “%s”", name);
      return FALSE;
    }
  g_hash_table_remove_all (self->users);
  return TRUE;
}

static FlServerUser *
user_copy (const FlServerUser *user)
{
  FlServerUser *copy = g_new0 (FlServerUser, 1);

  copy->id = user->id;
  copy->name = g_strdup (user->name);
  copy->role = user->role;
  return copy;
}

FlServerUser *
fl_server_store_authenticate (FlServerStore *self, const char *token_hash, GError **error)
{
  sqlite3_stmt *s;
  gboolean row;
  FlServerUser *user;

  user = token_hash ? g_hash_table_lookup (self->users, token_hash) : NULL;
  if (user != NULL)
    return user_copy (user);
  s = q (self, "SELECT id, name, role FROM users WHERE token_hash = ? AND revoked_at IS NULL");
  bind_text (s, 1, token_hash);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_UNAUTHORIZED,
                           "The token is unknown or was revoked");
      return NULL;
    }
  user = g_new0 (FlServerUser, 1);
  user->id = sqlite3_column_int64 (s, 0);
  user->name = g_strdup (col_text (s, 1));
  fl_role_from_string (col_text (s, 2), &user->role);
  sqlite3_reset (s);
  g_hash_table_insert (self->users, g_strdup (token_hash), user_copy (user));
  return user;
}

gint64
fl_server_store_find_user (FlServerStore *self, const char *name, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT id FROM users WHERE name = ?");
  gboolean row;
  gint64 id;

  bind_text (s, 1, name);
  if (!step_row (self, s, &row, error))
    return 0;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No user named “%s”",
                   name);
      return 0;
    }
  id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return id;
}

static char *
blob_path_for (FlServerStore *self, const char *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };

  return g_build_filename (self->blob_dir, prefix, sha256, NULL);
}

static gboolean
write_file_synced (const char *path, const void *data, gsize size, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  const guint8 *p = data;
  gsize left = size;
  int fd, dfd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    goto fail;
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    goto fail;
  while (left > 0)
    {
      gssize n = write (fd, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          close (fd);
          errno = saved;
          goto fail;
        }
      p += n;
      left -= (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0 || g_rename (tmp, path) != 0)
    goto fail;
  dfd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dfd >= 0)
    {
      fsync (dfd);
      close (dfd);
    }
  return TRUE;

fail:
  {
    int saved = errno;

    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "Cannot write “%s”: %s", path,
                 g_strerror (saved));
    g_unlink (tmp);
    return FALSE;
  }
}

/* Seconds of audio, 0 when GStreamer cannot tell; asked once, when the blob is added. */
static double
audio_duration (const char *path)
{
  static gsize initialized = 0;
  static gboolean have_gst = FALSE;
  g_autoptr (GstDiscoverer) discoverer = NULL;
  g_autoptr (GstDiscovererInfo) info = NULL;
  g_autofree char *uri = NULL;
  GstClockTime duration;

  if (g_once_init_enter (&initialized))
    {
      have_gst = gst_init_check (NULL, NULL, NULL);
      g_once_init_leave (&initialized, 1);
    }
  if (!have_gst)
    return 0;
  discoverer = gst_discoverer_new (10 * GST_SECOND, NULL);
  uri = g_filename_to_uri (path, NULL, NULL);
  if (discoverer == NULL || uri == NULL)
    return 0;
  info = gst_discoverer_discover_uri (discoverer, uri, NULL);
  if (info == NULL || gst_discoverer_info_get_result (info) != GST_DISCOVERER_OK)
    return 0;
  duration = gst_discoverer_info_get_duration (info);
  if (!GST_CLOCK_TIME_IS_VALID (duration))
    return 0;
  return (double) (duration / GST_MSECOND) / 1000.0;
}

char *
fl_server_store_add_blob (FlServerStore *self, GBytes *bytes, const char *name,
                          const char *expected_sha256, GError **error)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);
  g_autofree char *sha256 = fl_sha256_hex (data, size);
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *media_type = NULL;
  int width = 0, height = 0;
  double duration = 0;
  sqlite3_stmt *s;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (expected_sha256 != NULL && strcmp (expected_sha256, sha256) != 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "The body's SHA-256 is %s, not %s", sha256, expected_sha256);
      return NULL;
    }
  path = blob_path_for (self, sha256);
  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !write_file_synced (path, data, size, error))
    return NULL;
  s = q (self, "SELECT 1 FROM blobs WHERE sha256 = ?");
  bind_text (s, 1, sha256);
  if (sqlite3_step (s) == SQLITE_ROW)
    {
      sqlite3_reset (s);
      return g_steal_pointer (&sha256);
    }
  sqlite3_reset (s);

  content_type = g_content_type_guess (name, data, MIN (size, 4096), NULL);
  media_type = g_content_type_get_mime_type (content_type);
  if (media_type != NULL && g_str_has_prefix (media_type, "image/"))
    gdk_pixbuf_get_file_info (path, &width, &height);
  else if (media_type != NULL && g_str_has_prefix (media_type, "audio/"))
    duration = audio_duration (path);

  s = q (self, "INSERT OR IGNORE INTO blobs (sha256, size, media_type, width, height, duration) "
               "VALUES (?, ?, ?, ?, ?, ?)");
  bind_text (s, 1, sha256);
  sqlite3_bind_int64 (s, 2, (gint64) size);
  bind_text (s, 3, media_type ? media_type : "application/octet-stream");
  sqlite3_bind_int (s, 4, width);
  sqlite3_bind_int (s, 5, height);
  sqlite3_bind_double (s, 6, duration);
  if (!run (self, s, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

char *
fl_server_store_add_blob_file (FlServerStore *self, const char *path, GError **error)
{
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, error);
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *base = NULL;

  if (file == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (file);
  base = g_path_get_basename (path);
  return fl_server_store_add_blob (self, bytes, base, NULL, error);
}

char *
fl_server_store_blob_path (FlServerStore *self, const char *sha256, char **media_type,
                           GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT media_type FROM blobs WHERE sha256 = ?");
  gboolean row;

  if (!fl_sha256_is_valid_hex (sha256))
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No such asset");
      return NULL;
    }
  bind_text (s, 1, sha256);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No such asset");
      return NULL;
    }
  if (media_type != NULL)
    *media_type = g_strdup (col_text (s, 0));
  sqlite3_reset (s);
  return blob_path_for (self, sha256);
}

gint64
fl_server_store_create_project (FlServerStore *self, const FlProjectSpec *spec, GError **error)
{
  sqlite3_stmt *s =
    q (self, "INSERT INTO projects (kind, title, instructions, label_config, reward_minor, "
             "currency, estimate_seconds, lease_seconds, auto_approve_seconds, "
             "assignments_per_task, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  g_autoptr (JsonNode) config = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *config_text = NULL;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), 0);

  json_node_set_object (config, spec->label_config);
  config_text = fl_protocol_to_string (config, NULL);
  bind_text (s, 1, spec->kind);
  bind_text (s, 2, spec->title);
  bind_text (s, 3, spec->instructions);
  bind_text (s, 4, config_text);
  sqlite3_bind_int64 (s, 5, spec->reward.amount_minor);
  bind_text (s, 6, spec->reward.currency);
  sqlite3_bind_int64 (s, 7, spec->estimate_seconds);
  sqlite3_bind_int64 (s, 8, spec->lease_seconds);
  sqlite3_bind_int64 (s, 9, spec->auto_approve_seconds);
  sqlite3_bind_int64 (s, 10, spec->assignments_per_task);
  sqlite3_bind_int64 (s, 11, g_get_real_time () / G_USEC_PER_SEC);
  if (!run (self, s, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

gboolean
fl_server_store_set_label_config (FlServerStore *self, gint64 project_id, JsonObject *config,
                                  GError **error)
{
  sqlite3_stmt *s = q (self, "UPDATE projects SET label_config = ? WHERE id = ?");
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!validate_label_config (config, error))
    return FALSE;
  json_node_set_object (node, config);
  text = fl_protocol_to_string (node, NULL);
  bind_text (s, 1, text);
  sqlite3_bind_int64 (s, 2, project_id);
  if (!run (self, s, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No project %" G_GINT64_FORMAT, project_id);
      return FALSE;
    }
  return TRUE;
}

static FlProjectSpec *
project_from_row (sqlite3_stmt *s, int first, gboolean with_config)
{
  FlProjectSpec *spec = g_new0 (FlProjectSpec, 1);

  spec->kind = g_strdup (col_text (s, first));
  spec->title = g_strdup (col_text (s, first + 1));
  spec->instructions = g_strdup (col_text (s, first + 2));
  /* Parsing the label config costs; only callers that send or export it ask for it. */
  spec->label_config = with_config ? text_to_object (col_text (s, first + 3)) : NULL;
  if (spec->label_config == NULL)
    spec->label_config = json_object_new ();
  money_set (&spec->reward, sqlite3_column_int64 (s, first + 4), col_text (s, first + 5));
  spec->estimate_seconds = sqlite3_column_int64 (s, first + 6);
  spec->lease_seconds = sqlite3_column_int64 (s, first + 7);
  spec->auto_approve_seconds = sqlite3_column_int64 (s, first + 8);
  spec->assignments_per_task = sqlite3_column_int64 (s, first + 9);
  return spec;
}

#define PROJECT_COLUMNS                                                           \
  "p.kind, p.title, p.instructions, p.label_config, p.reward_minor, p.currency, " \
  "p.estimate_seconds, p.lease_seconds, p.auto_approve_seconds, p.assignments_per_task"

FlProjectSpec *
fl_server_store_get_project (FlServerStore *self, gint64 project_id, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT " PROJECT_COLUMNS " FROM projects p WHERE p.id = ?");
  gboolean row;
  FlProjectSpec *spec;

  sqlite3_bind_int64 (s, 1, project_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No project %" G_GINT64_FORMAT, project_id);
      return NULL;
    }
  spec = project_from_row (s, 0, TRUE);
  sqlite3_reset (s);
  return spec;
}

JsonNode *
fl_server_store_list_projects (FlServerStore *self, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT p.id, " PROJECT_COLUMNS ", "
                             "(SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id), "
                             "(SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id AND t.open "
                             "= 1) FROM projects p ORDER BY p.id");
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  JsonNode *node;
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_autoptr (FlProjectSpec) spec = project_from_row (s, 1, TRUE);
      JsonNode *p = fl_project_spec_to_json (spec, sqlite3_column_int64 (s, 0));

      json_object_set_int_member (json_node_get_object (p), "tasks", sqlite3_column_int64 (s, 11));
      json_object_set_int_member (json_node_get_object (p), "tasks_open",
                                  sqlite3_column_int64 (s, 12));
      json_array_add_element (array, p);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  json_object_set_array_member (root, "projects", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

gint64
fl_server_store_find_project (FlServerStore *self, const char *id_or_title, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT id FROM projects WHERE id = ? OR title = ? ORDER BY id");
  gint64 id = 0;
  char *end = NULL;
  gboolean row;

  if (id_or_title != NULL)
    id = g_ascii_strtoll (id_or_title, &end, 10);
  if (end == NULL || *end != '\0')
    id = -1;
  sqlite3_bind_int64 (s, 1, id);
  bind_text (s, 2, id_or_title);
  if (!step_row (self, s, &row, error))
    return 0;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No project “%s”",
                   id_or_title ? id_or_title : "");
      return 0;
    }
  id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  return id;
}

static gboolean
is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
          json_node_get_value_type (node) == G_TYPE_INT64);
}

static gboolean
numbers_present (JsonObject *object, const char *const *members)
{
  for (guint i = 0; members[i] != NULL; i++)
    if (!is_number (json_object_get_member (object, members[i])))
      return FALSE;
  return TRUE;
}

/* The shared result contract: each shape has a known type, its coordinates are numbers. */
static gboolean
validate_image_result (JsonObject *object, const char *what, GError **error)
{
  static const char *const box[] = { "x", "y", "width", "height", NULL };
  static const char *const point[] = { "x", "y", NULL };
  JsonArray *shapes = NULL, *tags = NULL;

  if (!fl_protocol_get_array (object, "shapes", FALSE, &shapes, error) ||
      !fl_protocol_get_array (object, "tags", FALSE, &tags, error))
    return FALSE;
  for (guint i = 0; shapes != NULL && i < json_array_get_length (shapes); i++)
    {
      JsonNode *node = json_array_get_element (shapes, i);
      JsonObject *shape;
      const char *type, *label;
      JsonArray *points = NULL;
      gboolean ok;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "%s: each shape must be an object", what);
      shape = json_node_get_object (node);
      if (!fl_protocol_get_string (shape, "type", TRUE, &type, error) ||
          !fl_protocol_get_string (shape, "label", FALSE, &label, error))
        return FALSE;
      if (strcmp (type, "box") == 0)
        ok = numbers_present (shape, box);
      else if (strcmp (type, "point") == 0)
        ok = numbers_present (shape, point);
      else if (strcmp (type, "polygon") == 0)
        {
          if (!fl_protocol_get_array (shape, "points", TRUE, &points, error))
            return FALSE;
          ok = json_array_get_length (points) >= 3;
          for (guint k = 0; ok && k < json_array_get_length (points); k++)
            {
              JsonNode *pn = json_array_get_element (points, k);
              JsonArray *pair = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

              ok = pair != NULL && json_array_get_length (pair) == 2 &&
                   is_number (json_array_get_element (pair, 0)) &&
                   is_number (json_array_get_element (pair, 1));
            }
        }
      else
        return invalid (error, "%s: shape type must be box, polygon or point", what);
      if (!ok)
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "%s: shape %u (%s) lacks numeric coordinates", what, i + 1, type);
          return FALSE;
        }
    }
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    {
      JsonNode *tag = json_array_get_element (tags, i);

      if (!JSON_NODE_HOLDS_VALUE (tag) || json_node_get_value_type (tag) != G_TYPE_STRING)
        return invalid (error, "%s: each tag must be a string", what);
    }
  return TRUE;
}

static gboolean
validate_audio_result (JsonObject *object, const char *what, GError **error)
{
  JsonArray *segments = NULL;
  double duration = 0;

  if (!fl_protocol_get_double (object, "duration", FALSE, &duration, error) ||
      !fl_protocol_get_array (object, "segments", FALSE, &segments, error))
    return FALSE;
  for (guint i = 0; segments != NULL && i < json_array_get_length (segments); i++)
    {
      JsonNode *node = json_array_get_element (segments, i);
      JsonObject *segment;
      double start, end;
      const char *text, *speaker;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return invalid (error, "%s: each segment must be an object", what);
      segment = json_node_get_object (node);
      if (!fl_protocol_get_double (segment, "start", TRUE, &start, error) ||
          !fl_protocol_get_double (segment, "end", TRUE, &end, error) ||
          !fl_protocol_get_string (segment, "text", FALSE, &text, error) ||
          !fl_protocol_get_string (segment, "speaker", FALSE, &speaker, error))
        return FALSE;
      if (start < 0 || end < start)
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "%s: segment %u must have 0 <= start <= end", what, i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_result_json (JsonNode *node, const char *kind, const char *what, GError **error)
{
  JsonObject *object;
  const char *result_kind;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "Field “%s” must be an object", what);
  object = json_node_get_object (node);
  if (!fl_protocol_get_string (object, "kind", TRUE, &result_kind, error))
    return FALSE;
  if (g_strcmp0 (result_kind, kind) != 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field “%s” is a %s result; this project is %s", what, result_kind, kind);
      return FALSE;
    }
  if (strcmp (kind, "image") == 0)
    return validate_image_result (object, what, error);
  return validate_audio_result (object, what, error);
}

gint64
fl_server_store_add_task (FlServerStore *self, gint64 project_id, GPtrArray *assets,
                          JsonNode *pre_annotation, JsonObject *data, GError **error)
{
  g_autoptr (FlProjectSpec) project = fl_server_store_get_project (self, project_id, error);
  g_autofree char *pre_text = NULL;
  g_autofree char *data_text = NULL;
  sqlite3_stmt *s;
  gint64 task_id;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), 0);

  if (project == NULL)
    return 0;
  if (assets == NULL || assets->len == 0)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                           "A task needs at least one asset");
      return 0;
    }
  if (!validate_result_json (pre_annotation, project->kind, "pre_annotation", error))
    return 0;
  pre_text = node_to_text (pre_annotation);
  if (data != NULL)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, data);
      data_text = fl_protocol_to_string (node, NULL);
    }
  s = q (self, "INSERT INTO tasks (project_id, pre_annotation, data, created_at) VALUES (?, ?, ?, "
               "?)");
  sqlite3_bind_int64 (s, 1, project_id);
  bind_text (s, 2, pre_text);
  bind_text (s, 3, data_text);
  sqlite3_bind_int64 (s, 4, g_get_real_time () / G_USEC_PER_SEC);
  if (!run (self, s, error))
    return 0;
  task_id = sqlite3_last_insert_rowid (self->db);

  for (guint i = 0; i < assets->len; i++)
    {
      FlNewAsset *asset = g_ptr_array_index (assets, i);
      g_autofree char *path = fl_server_store_blob_path (self, asset->sha256, NULL, NULL);

      if (path == NULL)
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "Asset %s was not uploaded", asset->sha256);
          return 0;
        }
      s = q (self, "INSERT INTO task_assets (task_id, position, sha256, name) VALUES (?, ?, ?, ?)");
      sqlite3_bind_int64 (s, 1, task_id);
      sqlite3_bind_int (s, 2, (int) i);
      bind_text (s, 3, asset->sha256);
      bind_text (s, 4, asset->name ? asset->name : asset->sha256);
      if (!run (self, s, error))
        return 0;
    }
  return task_id;
}

static gint64
median_seconds (FlServerStore *self, gint64 project_id, gint64 worker_id, guint *samples)
{
  sqlite3_stmt *s;
  gint64 n = 0, values[2] = { 0, 0 };
  int got = 0;

  if (worker_id > 0)
    {
      s = q (self, "SELECT COUNT(*) FROM assignments WHERE project_id = ? AND worker_id = ? AND "
                   "state IN ('submitted', 'approved')");
      sqlite3_bind_int64 (s, 1, project_id);
      sqlite3_bind_int64 (s, 2, worker_id);
    }
  else
    {
      s = q (self, "SELECT COUNT(*) FROM assignments WHERE project_id = ? AND state IN "
                   "('submitted', 'approved')");
      sqlite3_bind_int64 (s, 1, project_id);
    }
  if (sqlite3_step (s) == SQLITE_ROW)
    n = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  *samples = (guint) MIN (n, G_MAXUINT);
  if (n == 0)
    return 0;

  if (worker_id > 0)
    {
      s = q (self, "SELECT active_seconds FROM assignments WHERE project_id = ?1 AND worker_id = "
                   "?3 AND state IN ('submitted', 'approved') ORDER BY active_seconds LIMIT 2 "
                   "OFFSET ?2");
      sqlite3_bind_int64 (s, 3, worker_id);
    }
  else
    s = q (self, "SELECT active_seconds FROM assignments WHERE project_id = ?1 AND state IN "
                 "('submitted', 'approved') ORDER BY active_seconds LIMIT 2 OFFSET ?2");
  sqlite3_bind_int64 (s, 1, project_id);
  sqlite3_bind_int64 (s, 2, (n - 1) / 2);
  while (got < 2 && sqlite3_step (s) == SQLITE_ROW)
    values[got++] = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);
  if (n % 2 == 1 || got < 2)
    return values[0];
  return (values[0] + values[1]) / 2;
}

GPtrArray *
fl_server_store_offers (FlServerStore *self, gint64 worker_id, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) offers = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_offer_free);
  sqlite3_stmt *s = q (self, "SELECT p.id, " PROJECT_COLUMNS ", "
                             "(SELECT COUNT(*) FROM tasks t WHERE t.project_id = p.id AND t.held "
                             "= 0 AND t.open = 1 AND NOT EXISTS (SELECT 1 FROM assignments a "
                             "WHERE a.task_id = t.id AND a.worker_id = ?1)), "
                             "(SELECT COUNT(*) FROM assignments a WHERE a.project_id = p.id AND "
                             "a.state = 'approved'), "
                             "(SELECT COUNT(*) FROM assignments a WHERE a.project_id = p.id AND "
                             "a.state = 'rejected') FROM projects p ORDER BY p.id");
  int rc;

  sqlite3_bind_int64 (s, 1, worker_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_autoptr (FlProjectSpec) spec = NULL;
      FlOffer *offer;
      gint64 left = sqlite3_column_int64 (s, 11);
      gint64 approved = sqlite3_column_int64 (s, 12);
      gint64 rejected = sqlite3_column_int64 (s, 13);

      if (left <= 0)
        continue;
      spec = project_from_row (s, 1, FALSE);
      offer = g_new0 (FlOffer, 1);
      offer->project_id = sqlite3_column_int64 (s, 0);
      offer->kind = g_steal_pointer (&spec->kind);
      offer->title = g_steal_pointer (&spec->title);
      offer->instructions = g_steal_pointer (&spec->instructions);
      offer->reward = spec->reward;
      offer->requester_estimate_seconds = spec->estimate_seconds;
      offer->lease_seconds = spec->lease_seconds;
      offer->auto_approve_seconds = spec->auto_approve_seconds;
      offer->tasks_left = left;
      offer->reviewed = (guint) (approved + rejected);
      offer->approval_rate =
        approved + rejected > 0 ? (double) approved / (double) (approved + rejected) : -1;
      g_ptr_array_add (offers, offer);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);

  /* The estimates need other statements, so they come after the project scan. */
  for (guint i = 0; i < offers->len; i++)
    {
      FlOffer *offer = g_ptr_array_index (offers, i);
      guint samples;
      gint64 seconds = median_seconds (self, offer->project_id, worker_id, &samples);

      if (samples >= FL_ESTIMATE_WORKER_MIN_SAMPLES && seconds > 0)
        offer->estimate = (FlEstimate){ FL_ESTIMATE_SOURCE_WORKER_MEDIAN, seconds, samples };
      else
        {
          seconds = median_seconds (self, offer->project_id, 0, &samples);
          if (samples >= FL_ESTIMATE_ALL_WORKERS_MIN_SAMPLES && seconds > 0)
            offer->estimate =
              (FlEstimate){ FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN, seconds, samples };
          else
            offer->estimate =
              (FlEstimate){ FL_ESTIMATE_SOURCE_REQUESTER, offer->requester_estimate_seconds, 0 };
        }
      offer->estimated_hourly_rate = offer->reward;
      offer->estimated_hourly_rate.amount_minor =
        fl_rate_per_hour (offer->reward.amount_minor, offer->estimate.seconds);
    }
  return g_steal_pointer (&offers);
}

static FlTask *
load_task (FlServerStore *self, gint64 task_id, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT project_id, pre_annotation, data FROM tasks WHERE id = ?");
  g_autoptr (FlTask) task = fl_task_new ();
  gboolean row;
  int rc;

  sqlite3_bind_int64 (s, 1, task_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No such task");
      return NULL;
    }
  task->id = task_id;
  task->project_id = sqlite3_column_int64 (s, 0);
  task->pre_annotation = text_to_node (col_text (s, 1));
  task->data = text_to_object (col_text (s, 2));
  sqlite3_reset (s);

  s = q (self, "SELECT a.sha256, a.name, b.media_type, b.size, b.width, b.height, b.duration "
               "FROM task_assets a JOIN blobs b ON b.sha256 = a.sha256 WHERE a.task_id = ? "
               "ORDER BY a.position");
  sqlite3_bind_int64 (s, 1, task_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      FlAsset *asset = fl_asset_new ();

      asset->sha256 = g_strdup (col_text (s, 0));
      asset->name = g_strdup (col_text (s, 1));
      asset->media_type = g_strdup (col_text (s, 2));
      asset->size = sqlite3_column_int64 (s, 3);
      asset->width = sqlite3_column_int (s, 4);
      asset->height = sqlite3_column_int (s, 5);
      asset->duration = sqlite3_column_double (s, 6);
      asset->url = g_strconcat (FL_PROTOCOL_API_PREFIX "/assets/", asset->sha256, NULL);
      g_ptr_array_add (task->assets, asset);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  return g_steal_pointer (&task);
}

/* Loads an assignment as its worker sees it; another worker's is "not found". */
static FlAssignment *
load_assignment (FlServerStore *self, gint64 assignment_id, gint64 worker_id, gboolean with_task,
                 gint64 now, gint64 *task_id_out, GError **error)
{
  sqlite3_stmt *s =
    q (self, "SELECT a.task_id, a.project_id, a.state, a.accepted_at, a.deadline, "
             "a.active_seconds, " PROJECT_COLUMNS
             " FROM assignments a JOIN projects p ON p.id = a.project_id WHERE a.id = ? AND "
             "(a.worker_id = ? OR ? = 0)");
  g_autoptr (FlAssignment) a = g_new0 (FlAssignment, 1);
  g_autoptr (FlProjectSpec) spec = NULL;
  gboolean row;
  gint64 task_id;

  sqlite3_bind_int64 (s, 1, assignment_id);
  sqlite3_bind_int64 (s, 2, worker_id);
  sqlite3_bind_int64 (s, 3, worker_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No assignment %" G_GINT64_FORMAT, assignment_id);
      return NULL;
    }
  a->id = assignment_id;
  task_id = sqlite3_column_int64 (s, 0);
  a->project_id = sqlite3_column_int64 (s, 1);
  fl_assignment_state_from_string (col_text (s, 2), &a->state);
  a->accepted_at = sqlite3_column_int64 (s, 3);
  a->deadline = sqlite3_column_int64 (s, 4);
  a->active_seconds = sqlite3_column_int64 (s, 5);
  spec = project_from_row (s, 6, with_task);
  sqlite3_reset (s);

  a->kind = g_steal_pointer (&spec->kind);
  a->title = g_steal_pointer (&spec->title);
  a->instructions = g_steal_pointer (&spec->instructions);
  a->reward = spec->reward;
  a->lease_seconds = spec->lease_seconds;
  a->seconds_left = a->state == FL_ASSIGNMENT_STATE_ACTIVE ? MAX (0, a->deadline - now) : 0;
  if (with_task)
    {
      a->label_config = g_steal_pointer (&spec->label_config);
      a->task = load_task (self, task_id, error);
      if (a->task == NULL)
        return NULL;
    }
  if (task_id_out != NULL)
    *task_id_out = task_id;
  return g_steal_pointer (&a);
}

static gboolean
end_assignment (FlServerStore *self, gint64 assignment_id, gint64 task_id, const char *state,
                gint64 now, GError **error)
{
  sqlite3_stmt *s =
    q (self, "UPDATE assignments SET state = ?, ended_at = ? WHERE id = ? AND state = 'active'");

  bind_text (s, 1, state);
  sqlite3_bind_int64 (s, 2, now);
  sqlite3_bind_int64 (s, 3, assignment_id);
  if (!run (self, s, error))
    return FALSE;
  s = q (self, "UPDATE tasks SET held = 0 WHERE id = ?");
  sqlite3_bind_int64 (s, 1, task_id);
  return run (self, s, error);
}

FlAssignment *
fl_server_store_accept (FlServerStore *self, gint64 worker_id, gint64 project_id, gint64 now,
                        GError **error)
{
  sqlite3_stmt *s;
  gboolean row;
  gint64 task_id, assignment_id, lease_seconds;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  s = q (self, "SELECT lease_seconds FROM projects WHERE id = ?");
  sqlite3_bind_int64 (s, 1, project_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No project %" G_GINT64_FORMAT, project_id);
      return NULL;
    }
  lease_seconds = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  s = q (self, "SELECT t.id FROM tasks t WHERE t.project_id = ? AND t.held = 0 AND t.open = 1 "
               "AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.task_id = t.id AND "
               "a.worker_id = ?) ORDER BY t.id LIMIT 1");
  sqlite3_bind_int64 (s, 1, project_id);
  sqlite3_bind_int64 (s, 2, worker_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NO_TASKS,
                           "This project has no task left for you");
      return NULL;
    }
  task_id = sqlite3_column_int64 (s, 0);
  sqlite3_reset (s);

  s = q (self, "UPDATE tasks SET held = 1 WHERE id = ? AND held = 0");
  sqlite3_bind_int64 (s, 1, task_id);
  if (!run (self, s, error))
    return NULL;
  s = q (self, "INSERT INTO assignments (task_id, project_id, worker_id, state, accepted_at, "
               "deadline) VALUES (?, ?, ?, 'active', ?, ?)");
  sqlite3_bind_int64 (s, 1, task_id);
  sqlite3_bind_int64 (s, 2, project_id);
  sqlite3_bind_int64 (s, 3, worker_id);
  sqlite3_bind_int64 (s, 4, now);
  sqlite3_bind_int64 (s, 5, now + lease_seconds);
  if (!run (self, s, error))
    return NULL;
  assignment_id = sqlite3_last_insert_rowid (self->db);
  return load_assignment (self, assignment_id, worker_id, TRUE, now, NULL, error);
}

/* Checks that an assignment may still be worked on; expires it when its lease ran out. */
static FlAssignment *
load_active (FlServerStore *self, gint64 worker_id, gint64 assignment_id, gint64 now,
             gint64 *task_id, GError **error)
{
  g_autoptr (FlAssignment) a =
    load_assignment (self, assignment_id, worker_id, FALSE, now, task_id, error);

  if (a == NULL)
    return NULL;
  if (a->state == FL_ASSIGNMENT_STATE_ACTIVE && a->deadline <= now)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_LEASE_EXPIRED,
                           "The lease on this assignment ran out; the task went back to the pool");
      return NULL;
    }
  if (a->state == FL_ASSIGNMENT_STATE_EXPIRED)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_LEASE_EXPIRED,
                           "The lease on this assignment ran out; the task went back to the pool");
      return NULL;
    }
  return g_steal_pointer (&a);
}

static gboolean
check_active_seconds (gint64 value, GError **error)
{
  if (value < 0 || value > 7 * 86400)
    return invalid (error, "Field “%s” must be between 0 and 604800", "active_seconds");
  return TRUE;
}

FlAssignment *
fl_server_store_heartbeat (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                           gint64 active_seconds, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a = NULL;
  sqlite3_stmt *s;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (!check_active_seconds (active_seconds, error))
    return NULL;
  a = load_active (self, worker_id, assignment_id, now, NULL, error);
  if (a == NULL)
    return NULL;
  if (a->state != FL_ASSIGNMENT_STATE_ACTIVE)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_STATE,
                   "The assignment is %s, not active", fl_assignment_state_to_string (a->state));
      return NULL;
    }
  s = q (self, "UPDATE assignments SET deadline = ?, active_seconds = MAX(active_seconds, ?) "
               "WHERE id = ?");
  sqlite3_bind_int64 (s, 1, now + a->lease_seconds);
  sqlite3_bind_int64 (s, 2, active_seconds);
  sqlite3_bind_int64 (s, 3, assignment_id);
  if (!run (self, s, error))
    return NULL;
  a->deadline = now + a->lease_seconds;
  a->seconds_left = a->lease_seconds;
  a->active_seconds = MAX (a->active_seconds, active_seconds);
  return g_steal_pointer (&a);
}

/* A ledger entry with its project's title; entry_from_row reads a row of it. */
#define LEDGER_ENTRY_SELECT                                                                \
  "SELECT l.id, l.assignment_id, l.project_id, p.title, l.kind, l.state, l.amount_minor, " \
  "l.currency, l.active_seconds, l.reason, l.created_at, l.updated_at FROM ledger l JOIN " \
  "projects p ON p.id = l.project_id "

static FlEarningsEntry *
entry_from_row (sqlite3_stmt *s)
{
  FlEarningsEntry *e = g_new0 (FlEarningsEntry, 1);

  e->id = sqlite3_column_int64 (s, 0);
  e->assignment_id = sqlite3_column_int64 (s, 1);
  e->project_id = sqlite3_column_int64 (s, 2);
  e->project_title = g_strdup (col_text (s, 3));
  fl_ledger_kind_from_string (col_text (s, 4), &e->kind);
  fl_ledger_state_from_string (col_text (s, 5), &e->state);
  money_set (&e->amount, sqlite3_column_int64 (s, 6), col_text (s, 7));
  e->active_seconds = sqlite3_column_int64 (s, 8);
  e->reason = g_strdup (col_text (s, 9));
  e->created_at = sqlite3_column_int64 (s, 10);
  e->updated_at = sqlite3_column_int64 (s, 11);
  return e;
}

static FlEarningsEntry *
load_entry (FlServerStore *self, gint64 entry_id, GError **error)
{
  sqlite3_stmt *s = q (self, LEDGER_ENTRY_SELECT "WHERE l.id = ?");
  gboolean row;
  FlEarningsEntry *e;

  sqlite3_bind_int64 (s, 1, entry_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (!row)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No such entry");
      return NULL;
    }
  e = entry_from_row (s);
  sqlite3_reset (s);
  return e;
}

JsonNode *
fl_server_store_submit (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                        JsonNode *result, gint64 active_seconds, const char *idempotency_key,
                        gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a = NULL;
  g_autoptr (FlEarningsEntry) entry = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autofree char *result_text = NULL;
  g_autofree char *answer_text = NULL;
  JsonNode *answer_node;
  sqlite3_stmt *s;
  gint64 task_id = 0;
  gboolean row;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  /* A repeat of an acknowledged submit gets the first answer, even after the lease ended. */
  s = q (self, "SELECT state, idempotency_key, response FROM assignments WHERE id = ? AND "
               "worker_id = ?");
  sqlite3_bind_int64 (s, 1, assignment_id);
  sqlite3_bind_int64 (s, 2, worker_id);
  if (!step_row (self, s, &row, error))
    return NULL;
  if (row && col_text (s, 2) != NULL)
    {
      gboolean same = idempotency_key != NULL && g_strcmp0 (col_text (s, 1), idempotency_key) == 0;
      JsonNode *first = same ? text_to_node (col_text (s, 2)) : NULL;

      sqlite3_reset (s);
      if (first != NULL)
        return first;
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_ALREADY_SUBMITTED,
                           "This assignment was submitted already");
      return NULL;
    }
  if (row)
    sqlite3_reset (s);

  if (!check_active_seconds (active_seconds, error))
    return NULL;
  a = load_active (self, worker_id, assignment_id, now, &task_id, error);
  if (a == NULL)
    return NULL;
  if (a->state != FL_ASSIGNMENT_STATE_ACTIVE)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_STATE,
                   "The assignment is %s, not active", fl_assignment_state_to_string (a->state));
      return NULL;
    }
  if (result == NULL || !JSON_NODE_HOLDS_OBJECT (result))
    return (invalid (error, "Field “%s” must be an object", "result"), NULL);
  if (!validate_result_json (result, a->kind, "result", error))
    return NULL;
  result_text = fl_protocol_to_string (result, NULL);
  a->active_seconds = MAX (a->active_seconds, active_seconds);

  s = q (self, "INSERT INTO ledger (worker_id, assignment_id, project_id, kind, state, "
               "amount_minor, currency, active_seconds, created_at, updated_at) VALUES (?, ?, ?, "
               "'reward', 'pending', ?, ?, ?, ?, ?)");
  sqlite3_bind_int64 (s, 1, worker_id);
  sqlite3_bind_int64 (s, 2, assignment_id);
  sqlite3_bind_int64 (s, 3, a->project_id);
  sqlite3_bind_int64 (s, 4, a->reward.amount_minor);
  bind_text (s, 5, a->reward.currency);
  sqlite3_bind_int64 (s, 6, a->active_seconds);
  sqlite3_bind_int64 (s, 7, now);
  sqlite3_bind_int64 (s, 8, now);
  if (!run (self, s, error))
    return NULL;
  entry = g_new0 (FlEarningsEntry, 1);
  entry->id = sqlite3_last_insert_rowid (self->db);
  entry->assignment_id = assignment_id;
  entry->project_id = a->project_id;
  entry->project_title = g_strdup (a->title);
  entry->kind = FL_LEDGER_KIND_REWARD;
  entry->state = FL_LEDGER_STATE_PENDING;
  entry->amount = a->reward;
  entry->active_seconds = a->active_seconds;
  entry->created_at = entry->updated_at = now;

  a->state = FL_ASSIGNMENT_STATE_SUBMITTED;
  a->seconds_left = 0;
  answer = json_object_new ();
  json_object_set_member (answer, "assignment", fl_assignment_to_json (a));
  json_object_set_member (answer, "entry", fl_earnings_entry_to_json (entry));
  answer_node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (answer_node, answer);
  answer_text = fl_protocol_to_string (answer_node, NULL);

  s = q (self, "UPDATE assignments SET state = 'submitted', submitted_at = ?1, result = ?2, "
               "active_seconds = ?3, idempotency_key = ?4, response = ?5, ended_at = ?1, due_at = "
               "?1 + (SELECT auto_approve_seconds FROM projects WHERE id = assignments.project_id) "
               "WHERE id = ?6 AND state = 'active'");
  sqlite3_bind_int64 (s, 1, now);
  bind_text (s, 2, result_text);
  sqlite3_bind_int64 (s, 3, a->active_seconds);
  bind_text (s, 4, idempotency_key);
  bind_text (s, 5, answer_text);
  sqlite3_bind_int64 (s, 6, assignment_id);
  if (!run (self, s, error))
    {
      json_node_unref (answer_node);
      return NULL;
    }
  s = q (self, "UPDATE tasks SET held = 0, done = done + 1, open = (done + 1 < (SELECT "
               "assignments_per_task FROM projects WHERE id = tasks.project_id)) WHERE id = ?");
  sqlite3_bind_int64 (s, 1, task_id);
  if (!run (self, s, error))
    {
      json_node_unref (answer_node);
      return NULL;
    }
  return answer_node;
}

FlAssignment *
fl_server_store_return (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                        gint64 active_seconds, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a = NULL;
  sqlite3_stmt *s;
  gint64 task_id = 0;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (!check_active_seconds (active_seconds, error))
    return NULL;
  a = load_active (self, worker_id, assignment_id, now, &task_id, error);
  if (a == NULL)
    return NULL;
  if (a->state != FL_ASSIGNMENT_STATE_ACTIVE)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_STATE,
                   "The assignment is %s, not active", fl_assignment_state_to_string (a->state));
      return NULL;
    }
  s = q (self, "UPDATE assignments SET active_seconds = MAX(active_seconds, ?) WHERE id = ?");
  sqlite3_bind_int64 (s, 1, active_seconds);
  sqlite3_bind_int64 (s, 2, assignment_id);
  if (!run (self, s, error) ||
      !end_assignment (self, assignment_id, task_id, "returned", now, error))
    return NULL;
  a->state = FL_ASSIGNMENT_STATE_RETURNED;
  a->seconds_left = 0;
  a->active_seconds = MAX (a->active_seconds, active_seconds);
  return g_steal_pointer (&a);
}

static FlEarningsTotals *
totals_for (GArray *array, const char *date, const char *currency)
{
  FlEarningsTotals fresh = { 0 };

  for (guint i = 0; i < array->len; i++)
    {
      FlEarningsTotals *t = &g_array_index (array, FlEarningsTotals, i);

      if (strcmp (t->currency, currency) == 0 && strcmp (t->date, date ? date : "") == 0)
        return t;
    }
  g_strlcpy (fresh.date, date ? date : "", sizeof fresh.date);
  g_strlcpy (fresh.currency, currency, sizeof fresh.currency);
  g_array_append_val (array, fresh);
  return &g_array_index (array, FlEarningsTotals, array->len - 1);
}

static void
totals_add (FlEarningsTotals *t, FlLedgerState state, gint64 amount, gint64 seconds)
{
  switch (state)
    {
      case FL_LEDGER_STATE_PENDING:
        t->pending += amount;
        break;
      case FL_LEDGER_STATE_APPROVED:
        t->approved += amount;
        break;
      case FL_LEDGER_STATE_REJECTED:
        t->rejected += amount;
        break;
      case FL_LEDGER_STATE_PAID:
        t->paid += amount;
        break;
      default:
        g_assert_not_reached ();
    }
  t->active_seconds += seconds;
}

FlAssignment *
fl_server_store_get_assignment (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                                gint64 now, GError **error)
{
  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);
  return load_assignment (self, assignment_id, worker_id, TRUE, now, NULL, error);
}

GPtrArray *
fl_server_store_active_assignments (FlServerStore *self, gint64 worker_id, gint64 now,
                                    GError **error)
{
  g_autoptr (GPtrArray) assignments =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_assignment_free);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *s = q (self, "SELECT id FROM assignments WHERE worker_id = ? AND state = 'active' "
                             "AND deadline > ? ORDER BY id");
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  sqlite3_bind_int64 (s, 1, worker_id);
  sqlite3_bind_int64 (s, 2, now);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  for (guint i = 0; i < ids->len; i++)
    {
      FlAssignment *a =
        load_assignment (self, g_array_index (ids, gint64, i), worker_id, TRUE, now, NULL, error);

      if (a == NULL)
        return NULL;
      g_ptr_array_add (assignments, a);
    }
  return g_steal_pointer (&assignments);
}

FlEarnings *
fl_server_store_earnings (FlServerStore *self, gint64 worker_id, GError **error)
{
  g_autoptr (FlEarnings) earnings = fl_earnings_new ();
  sqlite3_stmt *s =
    q (self, LEDGER_ENTRY_SELECT "WHERE l.worker_id = ? ORDER BY l.created_at DESC, l.id "
                                 "DESC LIMIT " G_STRINGIFY (FL_SERVER_STORE_EARNINGS_ENTRIES));
  int rc;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  sqlite3_bind_int64 (s, 1, worker_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      g_ptr_array_add (earnings->entries, entry_from_row (s));
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);

  /* Totals cover the whole ledger, not only the entries listed. */
  s = q (self, "SELECT date(created_at, 'unixepoch'), currency, state, SUM(amount_minor), "
               "SUM(active_seconds) FROM ledger WHERE worker_id = ? GROUP BY 1, 2, 3 ORDER BY 1 "
               "DESC, 2");
  sqlite3_bind_int64 (s, 1, worker_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *currency = col_text (s, 1);
      FlLedgerState state;
      gint64 amount = sqlite3_column_int64 (s, 3);
      gint64 seconds = sqlite3_column_int64 (s, 4);

      if (!fl_ledger_state_from_string (col_text (s, 2), &state))
        continue;
      totals_add (totals_for (earnings->totals, NULL, currency), state, amount, seconds);
      totals_add (totals_for (earnings->days, col_text (s, 0), currency), state, amount, seconds);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  return g_steal_pointer (&earnings);
}

gboolean
fl_server_store_asset_visible (FlServerStore *self, const FlServerUser *user, const char *sha256)
{
  sqlite3_stmt *s;
  gboolean row = FALSE;

  if (user->role != FL_ROLE_WORKER)
    return TRUE;
  /* Workers see the assets of tasks they hold or held, so asset hashes do not leak work. */
  s = q (self, "SELECT 1 FROM task_assets ta JOIN assignments a ON a.task_id = ta.task_id WHERE "
               "ta.sha256 = ? AND a.worker_id = ? LIMIT 1");
  bind_text (s, 1, sha256);
  sqlite3_bind_int64 (s, 2, user->id);
  if (step_row (self, s, &row, NULL) && row)
    sqlite3_reset (s);
  return row;
}

JsonNode *
fl_server_store_review_queue (FlServerStore *self, gint64 project_id, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT a.id, a.task_id, a.project_id, u.name, a.result, "
                             "a.active_seconds, a.submitted_at FROM assignments a JOIN users u ON "
                             "u.id = a.worker_id WHERE a.state = 'submitted' AND (a.project_id = "
                             "?1 OR ?1 = 0) ORDER BY a.submitted_at, a.id LIMIT 500");
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  g_autoptr (GArray) task_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonNode *node;
  int rc;

  sqlite3_bind_int64 (s, 1, project_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      JsonObject *item = json_object_new ();
      g_autofree char *submitted = fl_protocol_time_to_string (sqlite3_column_int64 (s, 6));
      JsonNode *result = text_to_node (col_text (s, 4));
      gint64 task_id = sqlite3_column_int64 (s, 1);

      json_object_set_int_member (item, "assignment_id", sqlite3_column_int64 (s, 0));
      json_object_set_int_member (item, "project_id", sqlite3_column_int64 (s, 2));
      json_object_set_string_member (item, "worker", col_text (s, 3));
      json_object_set_member (item, "result", result ? result : json_node_new (JSON_NODE_NULL));
      json_object_set_int_member (item, "active_seconds", sqlite3_column_int64 (s, 5));
      json_object_set_string_member (item, "submitted_at", submitted);
      json_array_add_object_element (array, item);
      g_array_append_val (task_ids, task_id);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  for (guint i = 0; i < task_ids->len; i++)
    {
      FlTask *task = load_task (self, g_array_index (task_ids, gint64, i), error);

      if (task == NULL)
        return NULL;
      json_object_set_member (json_array_get_object_element (array, i), "task",
                              fl_task_to_json (task));
      fl_task_free (task);
    }
  json_object_set_array_member (root, "submissions", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static gint64
ceil_div (gint64 a, gint64 b)
{
  return a / b + (a % b != 0 ? 1 : 0);
}

/* Fair Work's rule: bonus = reward * (minimum / rate - 1) with rate = reward * 3600 / median,
 * which is minimum * median / 3600 - reward, rounded up to the minor unit. */
static gint64
fair_pay_bonus (gint64 reward, gint64 median_seconds, gint64 minimum_per_hour)
{
  gint64 owed;

  if (median_seconds <= 0 || minimum_per_hour <= 0)
    return 0;
  if (median_seconds > G_MAXINT64 / minimum_per_hour)
    return 0;
  owed = ceil_div (minimum_per_hour * median_seconds, 3600);
  return MAX (0, owed - reward);
}

static JsonNode *
review_answer (FlServerStore *self, gint64 assignment_id, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT id FROM ledger WHERE assignment_id = ? ORDER BY id");
  g_autoptr (JsonObject) root = json_object_new ();
  g_autoptr (JsonArray) entries = json_array_new ();
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (FlAssignment) a = NULL;
  JsonNode *node;

  sqlite3_bind_int64 (s, 1, assignment_id);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (FlEarningsEntry) e = load_entry (self, g_array_index (ids, gint64, i), error);

      if (e == NULL)
        return NULL;
      json_array_add_element (entries, fl_earnings_entry_to_json (e));
    }
  a = load_assignment (self, assignment_id, 0, FALSE, 0, NULL, error);
  if (a == NULL)
    return NULL;
  json_object_set_member (root, "assignment", fl_assignment_to_json (a));
  json_object_set_array_member (root, "entries", json_array_ref (entries));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static gboolean
load_submitted (FlServerStore *self, gint64 assignment_id, gint64 *worker_id, gint64 *project_id,
                gint64 *task_id, gint64 *active_seconds, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT state, worker_id, project_id, task_id, active_seconds FROM "
                             "assignments WHERE id = ?");
  gboolean row;
  g_autofree char *state = NULL;

  sqlite3_bind_int64 (s, 1, assignment_id);
  if (!step_row (self, s, &row, error))
    return FALSE;
  if (!row)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND,
                   "No assignment %" G_GINT64_FORMAT, assignment_id);
      return FALSE;
    }
  state = g_strdup (col_text (s, 0));
  *worker_id = sqlite3_column_int64 (s, 1);
  *project_id = sqlite3_column_int64 (s, 2);
  *task_id = sqlite3_column_int64 (s, 3);
  *active_seconds = sqlite3_column_int64 (s, 4);
  sqlite3_reset (s);
  if (strcmp (state, "submitted") != 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_STATE,
                   "The assignment is %s; only submitted work can be reviewed", state);
      return FALSE;
    }
  return TRUE;
}

static gboolean
set_reviewed (FlServerStore *self, gint64 assignment_id, const char *state, gint64 reviewer_id,
              const char *reason, gint64 now, GError **error)
{
  sqlite3_stmt *s = q (self, "UPDATE assignments SET state = ?, reviewer_id = ?, reviewed_at = ?, "
                             "reason = ? WHERE id = ? AND state = 'submitted'");

  bind_text (s, 1, state);
  if (reviewer_id > 0)
    sqlite3_bind_int64 (s, 2, reviewer_id);
  sqlite3_bind_int64 (s, 3, now);
  bind_text (s, 4, reason);
  sqlite3_bind_int64 (s, 5, assignment_id);
  if (!run (self, s, error))
    return FALSE;
  s = q (self, "UPDATE ledger SET state = ?, reason = ?, updated_at = ? WHERE assignment_id = ? "
               "AND kind = 'reward' AND state = 'pending'");
  bind_text (s, 1, state);
  bind_text (s, 2, reason);
  sqlite3_bind_int64 (s, 3, now);
  sqlite3_bind_int64 (s, 4, assignment_id);
  return run (self, s, error);
}

JsonNode *
fl_server_store_approve (FlServerStore *self, gint64 assignment_id, gint64 reviewer_id, gint64 now,
                         GError **error)
{
  g_autoptr (FlProjectSpec) project = NULL;
  gint64 worker_id, project_id, task_id, active_seconds, median, bonus = 0;
  FlMoney minimum;
  guint samples;

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (!load_submitted (self, assignment_id, &worker_id, &project_id, &task_id, &active_seconds,
                       error))
    return NULL;
  project = fl_server_store_get_project (self, project_id, error);
  if (project == NULL ||
      !set_reviewed (self, assignment_id, "approved", reviewer_id, NULL, now, error))
    return NULL;

  median = median_seconds (self, project_id, 0, &samples);
  if (fl_server_store_get_minimum_wage (self, &minimum) &&
      strcmp (minimum.currency, project->reward.currency) == 0)
    bonus = fair_pay_bonus (project->reward.amount_minor, median, minimum.amount_minor);
  if (bonus > 0)
    {
      sqlite3_stmt *s = q (self, "INSERT INTO ledger (worker_id, assignment_id, project_id, kind, "
                                 "state, amount_minor, currency, reason, created_at, updated_at) "
                                 "VALUES (?, ?, ?, 'bonus', 'approved', ?, ?, ?, ?, ?)");
      g_autofree char *why =
        g_strdup_printf ("Fair-pay bonus: the measured median is %" G_GINT64_FORMAT " s", median);

      sqlite3_bind_int64 (s, 1, worker_id);
      sqlite3_bind_int64 (s, 2, assignment_id);
      sqlite3_bind_int64 (s, 3, project_id);
      sqlite3_bind_int64 (s, 4, bonus);
      bind_text (s, 5, project->reward.currency);
      bind_text (s, 6, why);
      sqlite3_bind_int64 (s, 7, now);
      sqlite3_bind_int64 (s, 8, now);
      if (!run (self, s, error))
        return NULL;
    }
  return review_answer (self, assignment_id, error);
}

JsonNode *
fl_server_store_reject (FlServerStore *self, gint64 assignment_id, gint64 reviewer_id,
                        const char *reason, gint64 now, GError **error)
{
  gint64 worker_id, project_id, task_id, active_seconds;
  sqlite3_stmt *s;
  g_autofree char *trimmed = g_strstrip (g_strdup (reason ? reason : ""));

  g_return_val_if_fail (FL_IS_SERVER_STORE (self), NULL);

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                           "A rejection needs a reason");
      return NULL;
    }
  if (!load_submitted (self, assignment_id, &worker_id, &project_id, &task_id, &active_seconds,
                       error) ||
      !set_reviewed (self, assignment_id, "rejected", reviewer_id, reason, now, error))
    return NULL;
  /* Rejected work does not count; the task goes back to the pool. */
  s = q (self, "UPDATE tasks SET done = MAX(done - 1, 0), open = 1 WHERE id = ?");
  sqlite3_bind_int64 (s, 1, task_id);
  if (!run (self, s, error))
    return NULL;
  return review_answer (self, assignment_id, error);
}

guint
fl_server_store_expire_leases (FlServerStore *self, gint64 now, GError **error)
{
  sqlite3_stmt *s = q (self, "UPDATE tasks SET held = 0 WHERE id IN (SELECT task_id FROM "
                             "assignments WHERE state = 'active' AND deadline <= ?)");

  sqlite3_bind_int64 (s, 1, now);
  if (!run (self, s, error))
    return G_MAXUINT;
  s = q (self, "UPDATE assignments SET state = 'expired', ended_at = deadline WHERE state = "
               "'active' AND deadline <= ?");
  sqlite3_bind_int64 (s, 1, now);
  if (!run (self, s, error))
    return G_MAXUINT;
  return (guint) sqlite3_changes (self->db);
}

guint
fl_server_store_auto_approve (FlServerStore *self, gint64 now, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT id FROM assignments WHERE state = 'submitted' AND due_at <= "
                             "? ORDER BY due_at LIMIT 1000");
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  sqlite3_bind_int64 (s, 1, now);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (s);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonNode) answer =
        fl_server_store_approve (self, g_array_index (ids, gint64, i), 0, now, error);

      if (answer == NULL)
        return G_MAXUINT;
    }
  return ids->len;
}

JsonNode *
fl_server_store_payout (FlServerStore *self, gint64 worker_id, gint64 now, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT u.name, l.currency, SUM(l.amount_minor), COUNT(*) FROM "
                             "ledger l JOIN users u ON u.id = l.worker_id WHERE l.state = "
                             "'approved' AND (l.worker_id = ?1 OR ?1 = 0) GROUP BY l.worker_id, "
                             "l.currency ORDER BY u.name");
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  JsonNode *node;
  int rc;

  sqlite3_bind_int64 (s, 1, worker_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      JsonObject *item = json_object_new ();
      FlMoney total;

      money_set (&total, sqlite3_column_int64 (s, 2), col_text (s, 1));
      json_object_set_string_member (item, "worker", col_text (s, 0));
      json_object_set_member (item, "amount", fl_protocol_money_to_json (&total));
      json_object_set_int_member (item, "entries", sqlite3_column_int64 (s, 3));
      json_array_add_object_element (array, item);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);
  s = q (self, "UPDATE ledger SET state = 'paid', updated_at = ?2 WHERE state = 'approved' AND "
               "(worker_id = ?1 OR ?1 = 0)");
  sqlite3_bind_int64 (s, 1, worker_id);
  sqlite3_bind_int64 (s, 2, now);
  if (!run (self, s, error))
    return NULL;
  json_object_set_array_member (root, "paid", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

JsonNode *
fl_server_store_fairness (FlServerStore *self, GError **error)
{
  sqlite3_stmt *s = q (self, "SELECT p.id, p.title, p.reward_minor, p.currency, "
                             "p.estimate_seconds, (SELECT COALESCE(SUM(l.amount_minor), 0) FROM "
                             "ledger l WHERE l.project_id = p.id AND l.kind = 'bonus'), (SELECT "
                             "COUNT(*) FROM ledger l WHERE l.project_id = p.id AND l.kind = "
                             "'bonus') FROM projects p ORDER BY p.id");
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  g_autoptr (GPtrArray) items = g_ptr_array_new ();
  FlMoney minimum;
  gboolean has_minimum = fl_server_store_get_minimum_wage (self, &minimum);
  JsonNode *node;
  int rc;

  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      JsonObject *item = json_object_new ();
      FlMoney reward, bonuses;

      money_set (&reward, sqlite3_column_int64 (s, 2), col_text (s, 3));
      money_set (&bonuses, sqlite3_column_int64 (s, 5), col_text (s, 3));
      json_object_set_int_member (item, "project_id", sqlite3_column_int64 (s, 0));
      json_object_set_string_member (item, "title", col_text (s, 1));
      json_object_set_member (item, "reward", fl_protocol_money_to_json (&reward));
      json_object_set_int_member (item, "requester_estimate_seconds", sqlite3_column_int64 (s, 4));
      json_object_set_member (item, "bonuses_paid", fl_protocol_money_to_json (&bonuses));
      json_object_set_int_member (item, "bonus_count", sqlite3_column_int64 (s, 6));
      json_array_add_object_element (array, item);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      gint64 project_id = json_object_get_int_member (item, "project_id");
      g_autoptr (FlProjectSpec) spec = fl_server_store_get_project (self, project_id, error);
      guint samples;
      gint64 median = median_seconds (self, project_id, 0, &samples);
      gint64 basis;
      FlMoney rate;
      gboolean below;

      if (spec == NULL)
        return NULL;
      basis = samples > 0 ? median : spec->estimate_seconds;
      rate = spec->reward;
      rate.amount_minor = fl_rate_per_hour (spec->reward.amount_minor, basis);
      below = has_minimum && strcmp (minimum.currency, rate.currency) == 0 &&
              rate.amount_minor < minimum.amount_minor;
      if (samples > 0)
        json_object_set_int_member (item, "measured_median_seconds", median);
      else
        json_object_set_null_member (item, "measured_median_seconds");
      json_object_set_int_member (item, "samples", samples);
      json_object_set_member (item, "effective_hourly_rate", fl_protocol_money_to_json (&rate));
      json_object_set_string_member (item, "rate_basis", samples > 0 ? "measured" : "requester");
      json_object_set_boolean_member (item, "below_minimum", below);
      if (below)
        {
          FlMoney per_task = spec->reward;

          per_task.amount_minor =
            fair_pay_bonus (spec->reward.amount_minor, basis, minimum.amount_minor);
          json_object_set_member (item, "bonus_per_task", fl_protocol_money_to_json (&per_task));
        }
    }
  json_object_set_member (root, "minimum_hourly_wage",
                          has_minimum ? fl_protocol_money_to_json (&minimum)
                                      : json_node_new (JSON_NODE_NULL));
  json_object_set_array_member (root, "projects", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

JsonNode *
fl_server_store_approved_results (FlServerStore *self, gint64 project_id, GError **error)
{
  /* What the ledger paid for each: the reward plus any fair-pay bonus. */
  sqlite3_stmt *s =
    q (self, "SELECT a.task_id, a.result, u.name, a.submitted_at, "
             "a.active_seconds, a.state, (SELECT COALESCE (SUM (l.amount_minor), 0) "
             "FROM ledger l WHERE l.assignment_id = a.id AND l.state IN "
             "('approved', 'paid')) FROM assignments a JOIN users u ON u.id = "
             "a.worker_id WHERE a.project_id = ? AND a.state = 'approved' ORDER "
             "BY a.task_id, a.id");
  g_autoptr (JsonArray) rows = json_array_new ();
  JsonNode *node;
  int rc;

  sqlite3_bind_int64 (s, 1, project_id);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      JsonObject *row = json_object_new ();
      JsonNode *result = text_to_node (col_text (s, 1));

      json_object_set_int_member (row, "task_id", sqlite3_column_int64 (s, 0));
      json_object_set_member (row, "result", result ? result : json_node_new (JSON_NODE_NULL));
      json_object_set_string_member (row, "worker", col_text (s, 2));
      json_object_set_int_member (row, "submitted_at", sqlite3_column_int64 (s, 3));
      json_object_set_int_member (row, "active_seconds", sqlite3_column_int64 (s, 4));
      json_object_set_string_member (row, "state", col_text (s, 5));
      json_object_set_int_member (row, "paid_minor", sqlite3_column_int64 (s, 6));
      json_array_add_object_element (rows, row);
    }
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    return (db_error (self, error), NULL);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autoptr (FlTask) task =
        load_task (self, json_object_get_int_member (row, "task_id"), error);
      JsonArray *assets = json_array_new ();

      if (task == NULL)
        {
          json_array_unref (assets);
          return NULL;
        }
      for (guint k = 0; k < task->assets->len; k++)
        {
          FlAsset *asset = g_ptr_array_index (task->assets, k);
          JsonNode *an = fl_asset_to_json (asset);
          g_autofree char *path = blob_path_for (self, asset->sha256);

          json_object_set_string_member (json_node_get_object (an), "path", path);
          json_array_add_element (assets, an);
        }
      json_object_set_array_member (row, "assets", assets);
      if (task->data != NULL)
        json_object_set_object_member (row, "data", json_object_ref (task->data));
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (node, rows);
  return node;
}
