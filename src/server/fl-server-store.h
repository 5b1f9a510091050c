/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

/* The server's storage: every operation the HTTP layer and the command line
 * need, in protocol types. This is the SQLite backend; calls are confined to
 * the thread that opened the store, and run inside fl_server_store_begin/commit. */
#define FL_TYPE_SERVER_STORE (fl_server_store_get_type ())
G_DECLARE_FINAL_TYPE (FlServerStore, fl_server_store, FL, SERVER_STORE, GObject)

#define FL_SERVER_STORE_SCHEMA_VERSION 2

typedef enum
{
  FL_ROLE_WORKER,
  FL_ROLE_REVIEWER,
  FL_ROLE_ADMIN,
} FlRole;

const char *fl_role_to_string (FlRole role);
gboolean fl_role_from_string (const char *text, FlRole *out);

typedef struct
{
  gint64 id;
  char *name;
  FlRole role;
} FlServerUser;

void fl_server_user_free (FlServerUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlServerUser, fl_server_user_free)

/* A validated project definition (from the admin API, the command line or a demo manifest). */
typedef struct
{
  char *kind;
  char *title;
  char *instructions;
  JsonObject *label_config;
  FlMoney reward;
  gint64 estimate_seconds;
  gint64 lease_seconds;
  gint64 auto_approve_seconds;
  gint64 assignments_per_task;
} FlProjectSpec;

void fl_project_spec_free (FlProjectSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlProjectSpec, fl_project_spec_free)
/* Strict: unknown members, wrong types, bad money are errors in FL_PROTOCOL_ERROR.
 * Demo manifests and the API share this shape; @extra_allowed names members the
 * caller reads itself (such as "tasks"). */
FlProjectSpec *fl_project_spec_from_json (JsonObject *object, const char *const *extra_allowed,
                                          GError **error);
JsonNode *fl_project_spec_to_json (const FlProjectSpec *spec, gint64 id);

/* One asset of a new task: a blob already in the store plus the name it had. */
typedef struct
{
  char *sha256;
  char *name;
} FlNewAsset;

/* Opens (creating, migrating) DATA_DIR/fairlabel.db; checks the whole file first. */
FlServerStore *fl_server_store_open (const char *data_dir, GError **error);
/* The same without the full check, which reads the whole file: for the command
 * line and the server's second connection. */
FlServerStore *fl_server_store_open_unchecked (const char *data_dir, GError **error);
const char *fl_server_store_get_data_dir (FlServerStore *self);

gboolean fl_server_store_begin (FlServerStore *self, GError **error);
/* A transaction that only reads, for a second store on the same folder; end it with rollback. */
gboolean fl_server_store_begin_read (FlServerStore *self, GError **error);
gboolean fl_server_store_commit (FlServerStore *self, GError **error);
void fl_server_store_rollback (FlServerStore *self);
/* Nested steps inside a transaction: one failing request undoes only its own writes. */
gboolean fl_server_store_savepoint (FlServerStore *self, GError **error);
void fl_server_store_release (FlServerStore *self, gboolean keep);

gboolean fl_server_store_is_empty (FlServerStore *self);

/* Settings (the team's currency and minimum wage). */
gboolean fl_server_store_get_minimum_wage (FlServerStore *self, FlMoney *out);
gboolean fl_server_store_set_minimum_wage (FlServerStore *self, const FlMoney *wage,
                                           GError **error);

/* Users. fl_server_store_add_user returns the token (shown once; only its hash is kept). */
char *fl_server_store_add_user (FlServerStore *self, const char *name, FlRole role, GError **error);
GPtrArray *fl_server_store_list_users (FlServerStore *self, gboolean with_revoked);
/* Replaces a user's token (and lifts a revocation); returns the new one. */
char *fl_server_store_reissue_token (FlServerStore *self, const char *name, GError **error);
gboolean fl_server_store_revoke_user (FlServerStore *self, const char *name, GError **error);
FlServerUser *fl_server_store_authenticate (FlServerStore *self, const char *token_hash,
                                            GError **error);
gint64 fl_server_store_find_user (FlServerStore *self, const char *name, GError **error);

/* Blobs: content-addressed files under DATA/blobs. */
char *fl_server_store_add_blob (FlServerStore *self, GBytes *bytes, const char *name,
                                const char *expected_sha256, GError **error);
char *fl_server_store_add_blob_file (FlServerStore *self, const char *path, GError **error);
/* Returns the blob's file path if it exists (and its media type). */
char *fl_server_store_blob_path (FlServerStore *self, const char *sha256, char **media_type,
                                 GError **error);

/* Projects and tasks. */
gint64 fl_server_store_create_project (FlServerStore *self, const FlProjectSpec *spec,
                                       GError **error);
JsonNode *fl_server_store_list_projects (FlServerStore *self, GError **error);
gint64 fl_server_store_find_project (FlServerStore *self, const char *id_or_title, GError **error);
FlProjectSpec *fl_server_store_get_project (FlServerStore *self, gint64 project_id, GError **error);
/* Replaces the project's label config (validated like a new project's). */
gboolean fl_server_store_set_label_config (FlServerStore *self, gint64 project_id,
                                           JsonObject *config, GError **error);
gint64 fl_server_store_add_task (FlServerStore *self, gint64 project_id, GPtrArray *assets,
                                 JsonNode *pre_annotation, JsonObject *data, GError **error);

/* Worker calls. */
GPtrArray *fl_server_store_offers (FlServerStore *self, gint64 worker_id, gint64 now,
                                   GError **error);
FlAssignment *fl_server_store_accept (FlServerStore *self, gint64 worker_id, gint64 project_id,
                                      gint64 now, GError **error);
FlAssignment *fl_server_store_heartbeat (FlServerStore *self, gint64 worker_id,
                                         gint64 assignment_id, gint64 active_seconds, gint64 now,
                                         GError **error);
/* Returns the answer body; a repeat with the same key returns the first answer. */
JsonNode *fl_server_store_submit (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                                  JsonNode *result, gint64 active_seconds,
                                  const char *idempotency_key, gint64 now, GError **error);
FlAssignment *fl_server_store_return (FlServerStore *self, gint64 worker_id, gint64 assignment_id,
                                      gint64 active_seconds, gint64 now, GError **error);
/* One of the worker's own assignments, with its task; another worker's is not found. */
FlAssignment *fl_server_store_get_assignment (FlServerStore *self, gint64 worker_id,
                                              gint64 assignment_id, gint64 now, GError **error);
/* The worker's assignments whose lease still runs, with their tasks (to resume work). */
GPtrArray *fl_server_store_active_assignments (FlServerStore *self, gint64 worker_id, gint64 now,
                                               GError **error);
/* The newest entries (at most this many) with totals over the whole ledger. */
#define FL_SERVER_STORE_EARNINGS_ENTRIES 500
FlEarnings *fl_server_store_earnings (FlServerStore *self, gint64 worker_id, GError **error);
gboolean fl_server_store_asset_visible (FlServerStore *self, const FlServerUser *user,
                                        const char *sha256);

/* Review, leases, pay. */
JsonNode *fl_server_store_review_queue (FlServerStore *self, gint64 project_id, GError **error);
JsonNode *fl_server_store_approve (FlServerStore *self, gint64 assignment_id, gint64 reviewer_id,
                                   gint64 now, GError **error);
JsonNode *fl_server_store_reject (FlServerStore *self, gint64 assignment_id, gint64 reviewer_id,
                                  const char *reason, gint64 now, GError **error);
guint fl_server_store_expire_leases (FlServerStore *self, gint64 now, GError **error);
guint fl_server_store_auto_approve (FlServerStore *self, gint64 now, GError **error);
JsonNode *fl_server_store_payout (FlServerStore *self, gint64 worker_id /* 0: everyone */,
                                  gint64 now, GError **error);
JsonNode *fl_server_store_fairness (FlServerStore *self, GError **error);

/* Approved results of a project for export, as rows of
 * {task_id, assets:[{sha256,name,media_type,width,height,duration,path}], result, data,
 *  worker, submitted_at, active_seconds, paid_minor (reward + bonuses in the ledger), state}. */
JsonNode *fl_server_store_approved_results (FlServerStore *self, gint64 project_id, GError **error);

G_END_DECLS
