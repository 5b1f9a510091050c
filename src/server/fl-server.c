/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlServer"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "fl-server.h"
#include "fl-token.h"

/* Requests that write run on one writer thread that owns the database's write
 * connection; requests that only read run on a reader thread with a second
 * connection, so they never wait for a commit (WAL lets both work at once).
 * Writes that arrive together share one transaction (each in its own
 * savepoint), and all of them are answered once it has committed: the server
 * commits before it answers, and pays one fsync per batch, not per request. */
#define MAX_BATCH 512
#define MAINTENANCE_INTERVAL_SECONDS 1
#define LISTEN_BACKLOG 1024

typedef struct _Job Job;
typedef JsonNode *(*JobFunc) (FlServerStore *store, Job *job, gint64 now, GError **error);

typedef enum
{
  ACCESS_PUBLIC,
  ACCESS_ANY_USER,
  ACCESS_REVIEWER,
  ACCESS_ADMIN,
} Access;

struct _Job
{
  FlServer *server;
  SoupServerMessage *msg; /* NULL for maintenance */
  JobFunc func;
  Access access;
  gboolean read_only;
  char *token_hash;
  FlServerUser *user;
  gint64 id;
  JsonNode *body;
  GBytes *upload;
  char *text;
  char *idempotency_key;
  guint success_status;

  JsonNode *answer;
  char *answer_text; /* the answer, serialized off the main thread */
  gsize answer_length;
  GError *error;
  char *file_path; /* asset answers */
  char *media_type;
};

struct _FlServer
{
  GObject parent_instance;

  FlServerStore *store;
  SoupServer *soup;
  GMainContext *context;
  GAsyncQueue *queue;
  GThread *writer;
  FlServerStore *read_store; /* NULL: reads go through the writer */
  GAsyncQueue *read_queue;
  GThread *reader;
  guint maintenance_id;
  gboolean maintenance_queued;
  gboolean stopped;
  GHashTable *idle_sockets; /* owned GSockets of kept-alive connections between requests */
  guint idle_sweep_id;
};

G_DEFINE_FINAL_TYPE (FlServer, fl_server, G_TYPE_OBJECT)

static Job stop_marker;

static void
job_free (Job *job)
{
  g_clear_object (&job->server);
  g_clear_object (&job->msg);
  g_free (job->token_hash);
  g_clear_pointer (&job->user, fl_server_user_free);
  g_clear_pointer (&job->body, json_node_unref);
  g_clear_pointer (&job->upload, g_bytes_unref);
  g_free (job->text);
  g_free (job->idempotency_key);
  g_clear_pointer (&job->answer, json_node_unref);
  g_free (job->answer_text);
  g_clear_error (&job->error);
  g_free (job->file_path);
  g_free (job->media_type);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static void
set_json_response (SoupServerMessage *msg, guint status, JsonNode *node)
{
  gsize length = 0;
  char *data = fl_protocol_to_string (node, &length);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, data, length);
}

static void
set_error_response (SoupServerMessage *msg, const GError *error)
{
  FlProtocolError code = FL_PROTOCOL_ERROR_INTERNAL;
  g_autoptr (JsonNode) node = NULL;

  if (error->domain == FL_PROTOCOL_ERROR)
    code = (FlProtocolError) error->code;
  else
    g_warning ("Request failed: %s", error->message);
  node = fl_protocol_error_to_json (code, error->message);
  if (code == FL_PROTOCOL_ERROR_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"fairlabel\"");
  set_json_response (msg, fl_protocol_error_http_status (code), node);
}

static void
respond_error (SoupServerMessage *msg, FlProtocolError code, const char *message)
{
  g_autoptr (GError) error = g_error_new_literal (FL_PROTOCOL_ERROR, code, message);

  set_error_response (msg, error);
}

static gboolean
serve_file (Job *job, GError **error)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (job->msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (job->msg);
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree char *etag = g_strdup_printf ("\"%s\"", job->text);
  const char *if_none_match = soup_message_headers_get_one (req, "If-None-Match");
  SoupRange *ranges = NULL;
  int n_ranges = 0;
  gsize size;

  soup_message_headers_replace (resp, "ETag", etag);
  soup_message_headers_replace (resp, "Cache-Control", "private, max-age=31536000, immutable");
  soup_message_headers_replace (resp, "Accept-Ranges", "bytes");
  if (if_none_match != NULL &&
      (strstr (if_none_match, etag) != NULL || strcmp (if_none_match, "*") == 0))
    {
      soup_server_message_set_status (job->msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return TRUE;
    }

  file = g_mapped_file_new (job->file_path, FALSE, error);
  if (file == NULL)
    return FALSE;
  bytes = g_mapped_file_get_bytes (file);
  size = g_bytes_get_size (bytes);

  if (soup_message_headers_get_one (req, "Range") != NULL)
    {
      if (!soup_message_headers_get_ranges (req, (goffset) size, &ranges, &n_ranges) ||
          n_ranges < 1 || ranges[0].start >= (goffset) size || ranges[0].end < ranges[0].start)
        {
          g_autofree char *range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);

          if (ranges != NULL)
            soup_message_headers_free_ranges (req, ranges);
          soup_message_headers_replace (resp, "Content-Range", range);
          g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_RANGE_NOT_SATISFIABLE,
                               "The requested range is outside the asset");
          return FALSE;
        }
      else
        {
          goffset start = ranges[0].start;
          goffset end = MIN (ranges[0].end, (goffset) size - 1);
          g_autoptr (GBytes) part =
            g_bytes_new_from_bytes (bytes, (gsize) start, (gsize) (end - start + 1));

          /* One range at a time: players seek with single ranges. */
          soup_message_headers_set_content_range (resp, start, end, (goffset) size);
          soup_message_headers_free_ranges (req, ranges);
          soup_server_message_set_status (job->msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
          soup_message_headers_set_content_type (resp, job->media_type, NULL);
          soup_message_body_append_bytes (soup_server_message_get_response_body (job->msg), part);
          return TRUE;
        }
    }
  soup_server_message_set_status (job->msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (resp, job->media_type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (job->msg), bytes);
  return TRUE;
}

static void
finish_job (Job *job)
{
  g_autoptr (GError) error = NULL;

  if (job->msg == NULL)
    return;
  if (job->error != NULL)
    set_error_response (job->msg, job->error);
  else if (job->file_path != NULL)
    {
      if (!serve_file (job, &error))
        set_error_response (job->msg, error);
    }
  else if (job->answer_text != NULL)
    {
      soup_server_message_set_status (job->msg, job->success_status, NULL);
      soup_server_message_set_response (job->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&job->answer_text), job->answer_length);
    }
  else
    soup_server_message_set_status (job->msg, SOUP_STATUS_NO_CONTENT, NULL);
  soup_server_message_unpause (job->msg);
}

static void
serialize_answer (Job *job)
{
  if (job->answer != NULL && job->error == NULL)
    job->answer_text = fl_protocol_to_string (job->answer, &job->answer_length);
  g_clear_pointer (&job->answer, json_node_unref);
}

static gboolean
finish_batch (gpointer data)
{
  GPtrArray *batch = data;

  for (guint i = 0; i < batch->len; i++)
    finish_job (g_ptr_array_index (batch, i));
  return G_SOURCE_REMOVE;
}

static gboolean
authorize (FlServerStore *store, Job *job, GError **error)
{
  if (job->access == ACCESS_PUBLIC)
    return TRUE;
  job->user = fl_server_store_authenticate (store, job->token_hash, error);
  if (job->user == NULL)
    return FALSE;
  if ((job->access == ACCESS_REVIEWER && job->user->role == FL_ROLE_WORKER) ||
      (job->access == ACCESS_ADMIN && job->user->role != FL_ROLE_ADMIN))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_FORBIDDEN,
                   "This call needs the %s role",
                   job->access == ACCESS_ADMIN ? "admin" : "reviewer or admin");
      return FALSE;
    }
  return TRUE;
}

/* Returns the microseconds the commit took. */
static gint64
run_batch (FlServer *self, GPtrArray *batch)
{
  FlServerStore *store = self->store;
  g_autoptr (GError) error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 commit_started, commit_usec;

  if (!fl_server_store_begin (store, &error))
    {
      for (guint i = 0; i < batch->len; i++)
        {
          Job *job = g_ptr_array_index (batch, i);

          job->error = g_error_copy (error);
        }
      return 0;
    }
  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);
      gboolean ok;

      if (!fl_server_store_savepoint (store, &job->error))
        continue;
      ok = authorize (store, job, &job->error) &&
           (job->answer = job->func (store, job, now, &job->error), job->error == NULL);
      if (!ok)
        g_clear_pointer (&job->answer, json_node_unref);
      fl_server_store_release (store, ok);
    }
  commit_started = g_get_monotonic_time ();
  if (!fl_server_store_commit (store, &error))
    {
      for (guint i = 0; i < batch->len; i++)
        {
          Job *job = g_ptr_array_index (batch, i);

          g_clear_pointer (&job->answer, json_node_unref);
          g_clear_pointer (&job->file_path, g_free);
          g_clear_error (&job->error);
          job->error = g_error_new (FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_UNAVAILABLE,
                                    "Could not save: %s", error->message);
        }
    }
  commit_usec = g_get_monotonic_time () - commit_started;
  for (guint i = 0; i < batch->len; i++)
    serialize_answer (g_ptr_array_index (batch, i));
  return commit_usec;
}

static gpointer
writer_thread (gpointer data)
{
  FlServer *self = data;
  gboolean stopping = FALSE;
  struct Stats
  {
    gint64 since;
    guint batches;
    guint jobs;
    gint64 busy_usec;
    gint64 commit_usec;
  } stats = { .since = g_get_monotonic_time () };

  while (!stopping)
    {
      GPtrArray *batch = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
      Job *job = g_async_queue_pop (self->queue);

      while (job != NULL)
        {
          if (job == &stop_marker)
            {
              stopping = TRUE;
              break;
            }
          g_ptr_array_add (batch, job);
          job = batch->len < MAX_BATCH ? g_async_queue_try_pop (self->queue) : NULL;
        }
      if (batch->len > 0)
        {
          gint64 started = g_get_monotonic_time ();

          stats.commit_usec += run_batch (self, batch);
          stats.batches++;
          stats.jobs += batch->len;
          stats.busy_usec += g_get_monotonic_time () - started;
          if (g_get_monotonic_time () - stats.since > 5 * G_USEC_PER_SEC)
            {
              g_debug ("writer: %u batches, %.1f requests each, %.2f ms each (commit %.2f ms), "
                       "busy %.0f%%",
                       stats.batches, stats.jobs / (double) stats.batches,
                       stats.busy_usec / 1000.0 / stats.batches,
                       stats.commit_usec / 1000.0 / stats.batches,
                       stats.busy_usec * 100.0 / (g_get_monotonic_time () - stats.since));
              stats = (struct Stats){ .since = g_get_monotonic_time () };
            }
          g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, finish_batch, batch,
                                      (GDestroyNotify) g_ptr_array_unref);
        }
      else
        g_ptr_array_unref (batch);
    }
  return NULL;
}

/* Reads see the last commit; each request gets its own short read transaction. */
static gpointer
reader_thread (gpointer data)
{
  FlServer *self = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->read_queue);
      GPtrArray *batch;
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (job == &stop_marker)
        break;
      if (fl_server_store_begin_read (self->read_store, &job->error))
        {
          if (authorize (self->read_store, job, &job->error))
            job->answer = job->func (self->read_store, job, now, &job->error);
          fl_server_store_rollback (self->read_store);
          serialize_answer (job);
        }
      batch = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
      g_ptr_array_add (batch, job);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, finish_batch, batch,
                                  (GDestroyNotify) g_ptr_array_unref);
    }
  return NULL;
}

static void
enqueue (FlServer *self, Job *job)
{
  job->server = g_object_ref (self);
  if (job->msg != NULL)
    soup_server_message_pause (job->msg);
  if (job->read_only && self->reader != NULL)
    g_async_queue_push (self->read_queue, job);
  else
    g_async_queue_push (self->queue, job);
}

/* Job functions: run on the writer thread inside the batch's transaction. */

static JsonNode *
run_info (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  FlServerInfo info = {
    .name = (char *) "fairlabel-server",
    .version = (char *) PACKAGE_VERSION,
    .api_version = (char *) "1",
  };

  fl_server_store_get_minimum_wage (store, &info.minimum_hourly_wage);
  info.currency = info.minimum_hourly_wage.currency;
  return fl_server_info_to_json (&info);
}

static JsonNode *
run_offers (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) offers = fl_server_store_offers (store, job->user->id, now, error);
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  JsonNode *node;

  if (offers == NULL)
    return NULL;
  for (guint i = 0; i < offers->len; i++)
    json_array_add_element (array, fl_offer_to_json (g_ptr_array_index (offers, i)));
  json_object_set_array_member (root, "offers", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static JsonNode *
run_accept (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a = fl_server_store_accept (store, job->user->id, job->id, now, error);

  return a ? fl_assignment_to_json (a) : NULL;
}

static gint64
body_active_seconds (Job *job)
{
  gint64 value = 0;

  if (job->body != NULL)
    fl_protocol_get_int (json_node_get_object (job->body), "active_seconds", FALSE, &value, NULL);
  return value;
}

static JsonNode *
run_heartbeat (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a = fl_server_store_heartbeat (store, job->user->id, job->id,
                                                          body_active_seconds (job), now, error);

  return a ? fl_assignment_to_json (a) : NULL;
}

static JsonNode *
run_submit (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  JsonObject *body = json_node_get_object (job->body);

  return fl_server_store_submit (store, job->user->id, job->id,
                                 json_object_get_member (body, "result"), body_active_seconds (job),
                                 job->idempotency_key, now, error);
}

static JsonNode *
run_return (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a =
    fl_server_store_return (store, job->user->id, job->id, body_active_seconds (job), now, error);

  return a ? fl_assignment_to_json (a) : NULL;
}

static JsonNode *
run_get_assignment (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlAssignment) a =
    fl_server_store_get_assignment (store, job->user->id, job->id, now, error);

  return a ? fl_assignment_to_json (a) : NULL;
}

static JsonNode *
run_my_assignments (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (GPtrArray) list =
    fl_server_store_active_assignments (store, job->user->id, now, error);
  g_autoptr (JsonArray) array = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  JsonNode *node;

  if (list == NULL)
    return NULL;
  for (guint i = 0; i < list->len; i++)
    json_array_add_element (array, fl_assignment_to_json (g_ptr_array_index (list, i)));
  json_object_set_array_member (root, "assignments", json_array_ref (array));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static JsonNode *
run_earnings (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlEarnings) earnings = fl_server_store_earnings (store, job->user->id, error);

  return earnings ? fl_earnings_to_json (earnings) : NULL;
}

static JsonNode *
run_get_asset (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  if (!fl_server_store_asset_visible (store, job->user, job->text))
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_NOT_FOUND, "No such asset");
      return NULL;
    }
  job->file_path = fl_server_store_blob_path (store, job->text, &job->media_type, error);
  return NULL;
}

static JsonNode *
run_put_asset (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autofree char *sha256 = fl_server_store_add_blob (store, job->upload, NULL, job->text, error);
  g_autoptr (JsonObject) root = NULL;
  JsonNode *node;

  if (sha256 == NULL)
    return NULL;
  root = json_object_new ();
  json_object_set_string_member (root, "sha256", sha256);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static JsonNode *
run_list_projects (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  return fl_server_store_list_projects (store, error);
}

static JsonNode *
run_create_project (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  g_autoptr (FlProjectSpec) spec =
    fl_project_spec_from_json (json_node_get_object (job->body), NULL, error);
  gint64 id;

  if (spec == NULL)
    return NULL;
  id = fl_server_store_create_project (store, spec, error);
  if (id == 0)
    return NULL;
  return fl_project_spec_to_json (spec, id);
}

static JsonNode *
run_add_tasks (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  static const char *const root_allowed[] = { "tasks", NULL };
  static const char *const task_allowed[] = { "assets", "pre_annotation", "data", NULL };
  static const char *const asset_allowed[] = { "sha256", "name", NULL };
  JsonObject *body = json_node_get_object (job->body);
  JsonArray *tasks = NULL;
  g_autoptr (JsonArray) ids = json_array_new ();
  g_autoptr (JsonObject) root = json_object_new ();
  JsonNode *node;

  if (!fl_protocol_check_members (body, root_allowed, error) ||
      !fl_protocol_get_array (body, "tasks", TRUE, &tasks, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonNode *tn = json_array_get_element (tasks, i);
      g_autoptr (GPtrArray) assets = g_ptr_array_new_with_free_func (g_free);
      JsonObject *task;
      JsonArray *asset_array = NULL;
      JsonObject *data = NULL;
      gint64 task_id;

      if (!JSON_NODE_HOLDS_OBJECT (tn))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "tasks[%u] must be an object", i);
          return NULL;
        }
      task = json_node_get_object (tn);
      if (!fl_protocol_check_members (task, task_allowed, error) ||
          !fl_protocol_get_array (task, "assets", TRUE, &asset_array, error) ||
          !fl_protocol_get_object (task, "data", FALSE, &data, error))
        {
          g_prefix_error (error, "tasks[%u]: ", i);
          return NULL;
        }
      for (guint k = 0; k < json_array_get_length (asset_array); k++)
        {
          JsonNode *an = json_array_get_element (asset_array, k);
          FlNewAsset *asset;
          const char *sha256, *name;

          if (!JSON_NODE_HOLDS_OBJECT (an) ||
              !fl_protocol_check_members (json_node_get_object (an), asset_allowed, error) ||
              !fl_protocol_get_string (json_node_get_object (an), "sha256", TRUE, &sha256, error) ||
              !fl_protocol_get_string (json_node_get_object (an), "name", FALSE, &name, error))
            {
              if (error != NULL && *error == NULL)
                g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                             "tasks[%u].assets[%u] must be {\"sha256\", \"name\"}", i, k);
              return NULL;
            }
          if (name != NULL && (strchr (name, '/') != NULL || strchr (name, '\\') != NULL ||
                               strcmp (name, "..") == 0))
            {
              g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_PATH,
                           "Asset name “%s” must be a plain file name", name);
              return NULL;
            }
          /* FlNewAsset's two strings live in the request body for the duration of the call. */
          asset = g_new0 (FlNewAsset, 1);
          asset->sha256 = (char *) sha256;
          asset->name = (char *) name;
          g_ptr_array_add (assets, asset);
        }
      task_id = fl_server_store_add_task (
        store, job->id, assets, json_object_get_member (task, "pre_annotation"), data, error);
      if (task_id == 0)
        {
          g_prefix_error (error, "tasks[%u]: ", i);
          return NULL;
        }
      json_array_add_int_element (ids, task_id);
    }
  json_object_set_array_member (root, "task_ids", json_array_ref (ids));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static JsonNode *
run_review_queue (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  return fl_server_store_review_queue (store, job->id, error);
}

static JsonNode *
run_approve (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  return fl_server_store_approve (store, job->id, job->user->id, now, error);
}

static JsonNode *
run_reject (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  const char *reason = NULL;

  fl_protocol_get_string (json_node_get_object (job->body), "reason", FALSE, &reason, NULL);
  return fl_server_store_reject (store, job->id, job->user->id, reason, now, error);
}

static JsonNode *
run_fairness (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  return fl_server_store_fairness (store, error);
}

static JsonNode *
run_payout (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  gint64 worker_id = 0;

  if (job->text != NULL)
    {
      worker_id = fl_server_store_find_user (store, job->text, error);
      if (worker_id == 0)
        return NULL;
    }
  return fl_server_store_payout (store, worker_id, now, error);
}

static JsonNode *
run_maintenance (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  guint expired = fl_server_store_expire_leases (store, now, error);
  guint approved;

  if (expired == G_MAXUINT)
    return NULL;
  approved = fl_server_store_auto_approve (store, now, error);
  if (approved == G_MAXUINT)
    return NULL;
  if (expired > 0 || approved > 0)
    g_debug ("Expired %u leases, auto-approved %u submissions", expired, approved);
  return NULL;
}

static gboolean
maintenance_done (gpointer data)
{
  FlServer *self = data;

  self->maintenance_queued = FALSE;
  return G_SOURCE_REMOVE;
}

static JsonNode *
run_maintenance_job (FlServerStore *store, Job *job, gint64 now, GError **error)
{
  JsonNode *result = run_maintenance (store, job, now, error);

  g_main_context_invoke_full (job->server->context, G_PRIORITY_DEFAULT, maintenance_done,
                              g_object_ref (job->server), g_object_unref);
  return result;
}

static gboolean
maintenance_tick (gpointer data)
{
  FlServer *self = data;
  Job *job;

  /* One maintenance job at a time, however slow the disk. */
  if (self->maintenance_queued)
    return G_SOURCE_CONTINUE;
  self->maintenance_queued = TRUE;
  job = g_new0 (Job, 1);
  job->func = run_maintenance_job;
  job->access = ACCESS_PUBLIC;
  enqueue (self, job);
  return G_SOURCE_CONTINUE;
}

/* Request parsing on the main thread. */

static char *
bearer_hash (SoupServerMessage *msg)
{
  const char *header =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;
  header += 7;
  while (*header == ' ')
    header++;
  if (*header == '\0')
    return NULL;
  return fl_token_hash (header);
}

static GBytes *
request_bytes (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  return soup_message_body_flatten (body);
}

static gboolean
parse_body (SoupServerMessage *msg, gboolean required, JsonNode **out, GError **error)
{
  g_autoptr (GBytes) bytes = request_bytes (msg);
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  *out = NULL;
  if (size == 0 && !required)
    return TRUE;
  *out = fl_protocol_parse (data, (gssize) size, error);
  if (*out == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (*out))
    {
      g_clear_pointer (out, json_node_unref);
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                           "The body must be a JSON object");
      return FALSE;
    }
  return TRUE;
}

/* Validates a worker call body: only @allowed members, "active_seconds" an integer. */
static gboolean
check_worker_body (JsonNode *body, const char *const *allowed, GError **error)
{
  gint64 seconds = 0;

  if (body == NULL)
    return TRUE;
  return fl_protocol_check_members (json_node_get_object (body), allowed, error) &&
         fl_protocol_get_int (json_node_get_object (body), "active_seconds", FALSE, &seconds,
                              error);
}

static gboolean
parse_id (const char *text, gint64 *out)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, out, NULL);
}

static void
handle_api (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  FlServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;
  gboolean is_post = strcmp (method, "POST") == 0;
  g_auto (GStrv) parts = NULL;
  g_autoptr (Job) job = g_new0 (Job, 1);
  g_autoptr (GError) error = NULL;
  guint n;
  gsize size = 0;

  if (self->stopped)
    {
      respond_error (msg, FL_PROTOCOL_ERROR_UNAVAILABLE, "The server is shutting down");
      return;
    }
  if (!g_str_has_prefix (path, FL_PROTOCOL_API_PREFIX "/"))
    {
      respond_error (msg, FL_PROTOCOL_ERROR_NOT_FOUND, "No such call");
      return;
    }
  /* got_headers and got_chunk refuse oversized bodies as they arrive; this is a backstop. */
  size = (gsize) soup_server_message_get_request_body (msg)->length;
  if (size > FL_PROTOCOL_MAX_BODY_BYTES)
    {
      respond_error (msg, FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE, "The body is too large");
      return;
    }
  parts = g_strsplit (path + strlen (FL_PROTOCOL_API_PREFIX "/"), "/", 0);
  n = g_strv_length (parts);

  job->msg = g_object_ref (msg);
  job->success_status = SOUP_STATUS_OK;
  job->access = ACCESS_ANY_USER;
  job->token_hash = bearer_hash (msg);

#define ROUTE(m, count, first) (m && n == (count) && strcmp (parts[0], first) == 0)

  if (ROUTE (is_get, 1, "info"))
    {
      job->func = run_info;
      job->read_only = TRUE;
      job->access = ACCESS_PUBLIC;
    }
  else if (ROUTE (is_get, 1, "offers"))
    {
      job->func = run_offers;
      job->read_only = TRUE;
    }
  else if (ROUTE (is_get, 2, "me") && strcmp (parts[1], "earnings") == 0)
    {
      job->func = run_earnings;
      job->read_only = TRUE;
    }
  else if (ROUTE (is_get, 2, "me") && strcmp (parts[1], "assignments") == 0)
    {
      job->func = run_my_assignments;
      job->read_only = TRUE;
    }
  else if (ROUTE (is_get, 2, "assignments"))
    {
      if (!parse_id (parts[1], &job->id))
        goto not_found;
      job->func = run_get_assignment;
      job->read_only = TRUE;
    }
  else if (ROUTE (is_post, 3, "projects") && strcmp (parts[2], "accept") == 0)
    {
      if (!parse_id (parts[1], &job->id))
        goto not_found;
      if (!parse_body (msg, FALSE, &job->body, &error) ||
          (job->body != NULL && !fl_protocol_check_members (json_node_get_object (job->body),
                                                            (const char *const[]){ NULL }, &error)))
        goto bad;
      job->func = run_accept;
    }
  else if (ROUTE (is_post, 3, "assignments"))
    {
      const char *action = parts[2];

      if (!parse_id (parts[1], &job->id))
        goto not_found;
      if (strcmp (action, "heartbeat") == 0)
        {
          if (!parse_body (msg, TRUE, &job->body, &error) ||
              !check_worker_body (job->body, (const char *const[]){ "active_seconds", NULL },
                                  &error) ||
              !fl_protocol_get_int (json_node_get_object (job->body), "active_seconds", TRUE,
                                    &(gint64){ 0 }, &error))
            goto bad;
          job->func = run_heartbeat;
        }
      else if (strcmp (action, "submit") == 0)
        {
          const char *key = soup_message_headers_get_one (
            soup_server_message_get_request_headers (msg), "Idempotency-Key");
          JsonObject *result = NULL;

          if (key != NULL && (strlen (key) == 0 || strlen (key) > 200))
            {
              respond_error (msg, FL_PROTOCOL_ERROR_INVALID_FIELD,
                             "Idempotency-Key must be 1 to 200 characters");
              return;
            }
          if (!parse_body (msg, TRUE, &job->body, &error) ||
              !check_worker_body (
                job->body, (const char *const[]){ "result", "active_seconds", NULL }, &error) ||
              !fl_protocol_get_object (json_node_get_object (job->body), "result", TRUE, &result,
                                       &error) ||
              !fl_protocol_get_int (json_node_get_object (job->body), "active_seconds", TRUE,
                                    &(gint64){ 0 }, &error))
            goto bad;
          job->idempotency_key = g_strdup (key);
          job->func = run_submit;
        }
      else if (strcmp (action, "return") == 0)
        {
          if (!parse_body (msg, FALSE, &job->body, &error) ||
              !check_worker_body (job->body, (const char *const[]){ "active_seconds", NULL },
                                  &error))
            goto bad;
          job->func = run_return;
        }
      else if (strcmp (action, "approve") == 0)
        {
          if (!parse_body (msg, FALSE, &job->body, &error) ||
              (job->body != NULL &&
               !fl_protocol_check_members (json_node_get_object (job->body),
                                           (const char *const[]){ NULL }, &error)))
            goto bad;
          job->func = run_approve;
          job->access = ACCESS_REVIEWER;
        }
      else if (strcmp (action, "reject") == 0)
        {
          const char *reason = NULL;

          if (!parse_body (msg, TRUE, &job->body, &error) ||
              !fl_protocol_check_members (json_node_get_object (job->body),
                                          (const char *const[]){ "reason", NULL }, &error) ||
              !fl_protocol_get_string (json_node_get_object (job->body), "reason", TRUE, &reason,
                                       &error))
            goto bad;
          job->func = run_reject;
          job->access = ACCESS_REVIEWER;
        }
      else
        goto not_found;
    }
  else if (n == 2 && strcmp (parts[0], "assets") == 0 && (is_get || strcmp (method, "PUT") == 0))
    {
      if (!fl_sha256_is_valid_hex (parts[1]))
        goto not_found;
      job->text = g_strdup (parts[1]);
      if (is_get)
        {
          job->func = run_get_asset;
          job->read_only = TRUE;
        }
      else
        {
          job->upload = request_bytes (msg);
          job->func = run_put_asset;
          job->access = ACCESS_ADMIN;
          job->success_status = SOUP_STATUS_CREATED;
        }
    }
  else if (ROUTE (is_get, 1, "projects"))
    {
      job->func = run_list_projects;
      job->read_only = TRUE;
      job->access = ACCESS_REVIEWER;
    }
  else if (ROUTE (is_post, 1, "projects"))
    {
      if (!parse_body (msg, TRUE, &job->body, &error))
        goto bad;
      job->func = run_create_project;
      job->access = ACCESS_ADMIN;
      job->success_status = SOUP_STATUS_CREATED;
    }
  else if (ROUTE (is_post, 3, "projects") && strcmp (parts[2], "tasks") == 0)
    {
      if (!parse_id (parts[1], &job->id))
        goto not_found;
      if (!parse_body (msg, TRUE, &job->body, &error))
        goto bad;
      job->func = run_add_tasks;
      job->access = ACCESS_ADMIN;
      job->success_status = SOUP_STATUS_CREATED;
    }
  else if (ROUTE (is_get, 1, "review"))
    {
      const char *project = query ? g_hash_table_lookup (query, "project_id") : NULL;

      if (project != NULL && !parse_id (project, &job->id))
        {
          respond_error (msg, FL_PROTOCOL_ERROR_INVALID_FIELD,
                         "project_id must be a positive integer");
          return;
        }
      job->func = run_review_queue;
      job->read_only = TRUE;
      job->access = ACCESS_REVIEWER;
    }
  else if (ROUTE (is_get, 1, "fairness"))
    {
      job->func = run_fairness;
      job->read_only = TRUE;
      job->access = ACCESS_REVIEWER;
    }
  else if (ROUTE (is_post, 1, "payout"))
    {
      const char *worker = NULL;

      if (!parse_body (msg, FALSE, &job->body, &error) ||
          (job->body != NULL &&
           (!fl_protocol_check_members (json_node_get_object (job->body),
                                        (const char *const[]){ "worker", NULL }, &error) ||
            !fl_protocol_get_string (json_node_get_object (job->body), "worker", FALSE, &worker,
                                     &error))))
        goto bad;
      job->text = g_strdup (worker);
      job->func = run_payout;
      job->access = ACCESS_ADMIN;
    }
  else
    {
      gboolean known =
        n >= 1 && (strcmp (parts[0], "info") == 0 || strcmp (parts[0], "offers") == 0 ||
                   strcmp (parts[0], "projects") == 0 || strcmp (parts[0], "assignments") == 0 ||
                   strcmp (parts[0], "review") == 0 || strcmp (parts[0], "fairness") == 0 ||
                   strcmp (parts[0], "payout") == 0 || strcmp (parts[0], "me") == 0);

      if (known && n <= 3)
        {
          respond_error (msg, FL_PROTOCOL_ERROR_METHOD_NOT_ALLOWED,
                         "This call does not take that method");
          return;
        }
      goto not_found;
    }
#undef ROUTE

  if (job->access != ACCESS_PUBLIC && job->token_hash == NULL)
    {
      respond_error (msg, FL_PROTOCOL_ERROR_UNAUTHORIZED,
                     "Send “Authorization: Bearer TOKEN” with a valid token");
      return;
    }
  enqueue (self, g_steal_pointer (&job));
  return;

not_found:
  respond_error (msg, FL_PROTOCOL_ERROR_NOT_FOUND, "No such call or object");
  return;
bad:
  set_error_response (msg, error);
}

static void got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data);

/* Refuses an announced oversized body before it is read. */
static void
got_headers (SoupServerMessage *msg, gpointer user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* Only a chunked body needs counting as it arrives. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk), NULL);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > FL_PROTOCOL_MAX_BODY_BYTES)
    {
      respond_error (msg, FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE, "The body is too large");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
    }
}

/* A chunked body announces no length, so it is counted as it arrives. Once it
 * passes the limit the server takes the connection over from libsoup, which
 * would read the rest first: it answers 413 at once, then reads and drops what
 * the client still sends (for a few seconds at most) so that closing does not
 * reset the connection before the client has read the answer. */
#define REFUSAL_DRAIN_USEC (5 * G_USEC_PER_SEC)
#define REFUSAL_DRAIN_BYTES (64 * 1024 * 1024)

typedef struct
{
  GIOStream *stream;
  GBytes *answer;
  gint64 deadline;
  gsize drained;
  char buffer[16384];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_io_stream_close (refusal->stream, NULL, NULL);
  g_object_unref (refusal->stream);
  g_bytes_unref (refusal->answer);
  g_free (refusal);
}

static void
refusal_drained (GObject *source, GAsyncResult *result, gpointer data)
{
  Refusal *refusal = data;
  gssize got = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (got <= 0 || g_get_monotonic_time () > refusal->deadline ||
      (refusal->drained += (gsize) got) > REFUSAL_DRAIN_BYTES)
    {
      refusal_free (refusal);
      return;
    }
  g_input_stream_read_async (G_INPUT_STREAM (source), refusal->buffer, sizeof refusal->buffer,
                             G_PRIORITY_DEFAULT, NULL, refusal_drained, refusal);
}

static void
refusal_written (GObject *source, GAsyncResult *result, gpointer data)
{
  Refusal *refusal = data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      refusal_free (refusal);
      return;
    }
  refusal->deadline = g_get_monotonic_time () + REFUSAL_DRAIN_USEC;
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, NULL, refusal_drained,
                             refusal);
}

static void
got_chunk (SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *json = NULL;
  gsize json_length = 0;
  GString *answer;
  Refusal *refusal;
  guint status;
  GIOStream *stream;

  if (soup_server_message_get_request_body (msg)->length <= FL_PROTOCOL_MAX_BODY_BYTES)
    return;
  g_signal_handlers_disconnect_by_func (msg, got_chunk, user_data);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  status = fl_protocol_error_http_status (FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE);
  node = fl_protocol_error_to_json (FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE, "The body is too large");
  json = fl_protocol_to_string (node, &json_length);
  answer = g_string_new (NULL);
  g_string_append_printf (answer,
                          "HTTP/1.1 %u %s\r\nServer: fairlabel-server/" PACKAGE_VERSION
                          "\r\nContent-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\nConnection: close\r\n\r\n",
                          status, soup_status_get_phrase (status), json_length);
  g_string_append_len (answer, json, (gssize) json_length);
  refusal = g_new0 (Refusal, 1);
  refusal->stream = stream;
  refusal->answer = g_string_free_to_bytes (answer);
  g_output_stream_write_all_async (
    g_io_stream_get_output_stream (stream), g_bytes_get_data (refusal->answer, NULL),
    g_bytes_get_size (refusal->answer), G_PRIORITY_DEFAULT, NULL, refusal_written, refusal);
}

/* libsoup 3.2 notices when a client closes a kept-alive connection between two
 * requests but never closes its side, so every such connection stayed in
 * CLOSE-WAIT with its descriptor open. The server keeps the sockets that sit
 * between two requests and, once a second, closes those whose peer has gone. A
 * sweep costs less per request than a watch on each socket. */
#define IDLE_SWEEP_SECONDS 1

static gboolean
peer_has_gone (GSocket *socket)
{
  char byte;
  gssize got;

  if (g_socket_is_closed (socket))
    return TRUE;
  got = recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

static gboolean
sweep_idle_sockets (gpointer data)
{
  FlServer *self = data;
  GHashTableIter iter;
  GSocket *socket;

  g_hash_table_iter_init (&iter, self->idle_sockets);
  while (g_hash_table_iter_next (&iter, (gpointer *) &socket, NULL))
    if (peer_has_gone (socket))
      {
        g_socket_close (socket, NULL);
        g_hash_table_iter_remove (&iter);
      }
  return G_SOURCE_CONTINUE;
}

static void
request_finished (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  FlServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL && !self->stopped && !g_hash_table_contains (self->idle_sockets, socket))
    g_hash_table_add (self->idle_sockets, g_object_ref (socket));
}

static void
request_started (SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
  FlServer *self = user_data;
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket != NULL)
    g_hash_table_remove (self->idle_sockets, socket);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers), NULL);
}

static void
fl_server_dispose (GObject *object)
{
  FlServer *self = FL_SERVER (object);

  fl_server_shutdown (self);
  g_clear_handle_id (&self->idle_sweep_id, g_source_remove);
  g_hash_table_remove_all (self->idle_sockets);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (fl_server_parent_class)->dispose (object);
}

static void
fl_server_finalize (GObject *object)
{
  FlServer *self = FL_SERVER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->read_queue, g_async_queue_unref);
  g_clear_pointer (&self->idle_sockets, g_hash_table_unref);
  g_clear_object (&self->read_store);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (fl_server_parent_class)->finalize (object);
}

static void
fl_server_class_init (FlServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_server_dispose;
  object_class->finalize = fl_server_finalize;
}

static void
fl_server_init (FlServer *self)
{
  self->queue = g_async_queue_new ();
  self->read_queue = g_async_queue_new ();
  self->idle_sockets = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->context = g_main_context_ref_thread_default ();
}

FlServer *
fl_server_new (FlServerStore *store)
{
  FlServer *self;
  g_autoptr (GError) error = NULL;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), NULL);

  self = g_object_new (FL_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);

  /* The start-up check: leases and auto-approvals that fell due while the server was down. */
  if (fl_server_store_begin (store, &error))
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (run_maintenance (store, NULL, now, &error) == NULL && error == NULL)
        fl_server_store_commit (store, &error);
      else
        fl_server_store_rollback (store);
    }
  if (error != NULL)
    g_warning ("Start-up maintenance failed: %s", error->message);

  self->soup = soup_server_new ("server-header", "fairlabel-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, FL_PROTOCOL_API_PREFIX, handle_api, self, NULL);
  soup_server_add_handler (self->soup, "/", handle_api, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished), self);
  self->writer = g_thread_new ("fl-writer", writer_thread, self);
  g_clear_error (&error);
  self->read_store = fl_server_store_open_unchecked (fl_server_store_get_data_dir (store), &error);
  if (self->read_store != NULL)
    self->reader = g_thread_new ("fl-reader", reader_thread, self);
  else
    g_warning ("Reads go through the writer: %s", error->message);
  self->maintenance_id =
    g_timeout_add_seconds (MAINTENANCE_INTERVAL_SECONDS, maintenance_tick, self);
  self->idle_sweep_id = g_timeout_add_seconds (IDLE_SWEEP_SECONDS, sweep_idle_sockets, self);
  return self;
}

char *
fl_server_listen (FlServer *self, const char *address, GError **error)
{
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) sockaddr = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GSList) uris = NULL;
  const char *colon;
  guint64 port;
  char *url;

  g_return_val_if_fail (FL_IS_SERVER (self), NULL);

  colon = address ? strrchr (address, ':') : NULL;
  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not HOST:PORT (port 0 picks a free one)", address ? address : "");
      return NULL;
    }
  host = g_strndup (address, (gsize) (colon - address));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      host[strlen (host) - 1] = '\0';
      memmove (host, host + 1, strlen (host));
    }
  if (strcmp (host, "localhost") == 0 || host[0] == '\0')
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not an IP address",
                   host);
      return NULL;
    }
  sockaddr = g_inet_socket_address_new (inet, (guint16) port);
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  /* Many workers connect at once; GSocket's default backlog of 10 would drop some. */
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, sockaddr, TRUE, error) || !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (self->soup, socket, 0, error))
    return NULL;
  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The server has no address");
      return NULL;
    }
  url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  /* g_uri_to_string ends with "/"; the protocol paths start with one. */
  if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  return url;
}

void
fl_server_shutdown (FlServer *self)
{
  g_return_if_fail (FL_IS_SERVER (self));

  if (self->stopped)
    return;
  self->stopped = TRUE;
  g_clear_handle_id (&self->maintenance_id, g_source_remove);
  if (self->reader != NULL)
    {
      g_async_queue_push (self->read_queue, &stop_marker);
      g_thread_join (g_steal_pointer (&self->reader));
    }
  if (self->writer != NULL)
    {
      g_async_queue_push (self->queue, &stop_marker);
      g_thread_join (g_steal_pointer (&self->writer));
    }
  /* Answer what was committed, then close. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}
