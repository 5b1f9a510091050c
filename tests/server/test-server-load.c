/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestServerLoad"

#include "config.h"

#include <string.h>

#include "fl-protocol.h"
#include "fl-test-server.h"

#define RESULT "{\"kind\":\"image\",\"image\":{\"width\":4,\"height\":3},\"shapes\":[],\"tags\":[]}"

typedef struct _Run Run;

typedef struct
{
  Run *run;
  char *token;
  gint64 assignment_id;
  gint64 task_id;
  char *key;
  gboolean finished;
} Client;

struct _Run
{
  FlTestServer *server;
  GMainLoop *loop;
  Client *clients;
  guint n_clients;
  guint n_finished;
  GHashTable *held;         /* task id -> client, while an assignment is active */
  GHashTable *done;         /* task id -> assignment id, acknowledged submissions */
  GHashTable *acknowledged; /* assignment id -> idempotency key */
  guint double_assignments;
  guint stop_after; /* kill the server after this many acknowledged submissions; 0: never */
  gboolean killed;
  guint failures;
};

static void client_accept (Client *client);

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                   (gssize) g_bytes_get_size (bytes), NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static SoupMessage *
new_message (Client *client, const char *path, const char *body)
{
  g_autofree char *uri = g_strconcat (client->run->server->url, path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", client->token, NULL);
  SoupMessage *msg = soup_message_new ("POST", uri);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  return msg;
}

static void
client_finish (Client *client)
{
  Run *run = client->run;

  if (client->finished)
    return;
  client->finished = TRUE;
  if (++run->n_finished == run->n_clients)
    g_main_loop_quit (run->loop);
}

static void
submitted (GObject *source, GAsyncResult *result, gpointer data)
{
  Client *client = data;
  Run *run = client->run;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes =
    soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (bytes == NULL || soup_message_get_status (msg) != 200)
    {
      if (!run->killed)
        {
          g_test_message ("submit failed: %s", error ? error->message : "status");
          run->failures++;
        }
      client_finish (client);
      return;
    }
  g_hash_table_remove (run->held, &client->task_id);
  g_assert_false (g_hash_table_contains (run->done, &client->task_id));
  g_hash_table_insert (run->done, g_memdup2 (&client->task_id, sizeof (gint64)),
                       g_memdup2 (&client->assignment_id, sizeof (gint64)));
  g_hash_table_insert (run->acknowledged, g_memdup2 (&client->assignment_id, sizeof (gint64)),
                       g_strdup (client->key));
  if (run->stop_after > 0 && g_hash_table_size (run->acknowledged) >= run->stop_after &&
      !run->killed)
    {
      run->killed = TRUE;
      fl_test_server_kill (run->server);
    }
  if (run->killed)
    {
      client_finish (client);
      return;
    }
  client_accept (client);
}

static void
accepted (GObject *source, GAsyncResult *result, gpointer data)
{
  Client *client = data;
  Run *run = client->run;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes =
    soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr (JsonNode) node = parse (bytes);
  g_autoptr (FlAssignment) a = NULL;
  g_autofree char *path = NULL;
  g_autoptr (SoupMessage) submit = NULL;

  if (bytes == NULL || run->killed)
    {
      if (!run->killed)
        run->failures++;
      client_finish (client);
      return;
    }
  if (soup_message_get_status (msg) == 409)
    {
      JsonObject *err = json_object_get_object_member (json_node_get_object (node), "error");

      g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, "no_tasks");
      client_finish (client);
      return;
    }
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  a = fl_assignment_from_json (node, &error);
  g_assert_no_error (error);
  client->assignment_id = a->id;
  client->task_id = a->task->id;
  if (g_hash_table_contains (run->held, &client->task_id) ||
      g_hash_table_contains (run->done, &client->task_id))
    run->double_assignments++;
  g_hash_table_insert (run->held, g_memdup2 (&client->task_id, sizeof (gint64)), client);

  g_free (client->key);
  client->key = g_uuid_string_random ();
  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", a->id);
  submit = new_message (client, path, "{\"result\":" RESULT ",\"active_seconds\":3}");
  soup_message_headers_replace (soup_message_get_request_headers (submit), "Idempotency-Key",
                                client->key);
  soup_session_send_and_read_async (fl_test_server_session (run->server), submit,
                                    G_PRIORITY_DEFAULT, NULL, submitted, client);
}

static void
client_accept (Client *client)
{
  g_autoptr (SoupMessage) msg = new_message (client, "/api/v1/projects/1/accept", NULL);

  soup_session_send_and_read_async (fl_test_server_session (client->run->server), msg,
                                    G_PRIORITY_DEFAULT, NULL, accepted, client);
}

static Run *
run_new (FlTestServer *server, guint n_clients)
{
  Run *run = g_new0 (Run, 1);

  run->server = server;
  run->loop = g_main_loop_new (NULL, FALSE);
  run->n_clients = n_clients;
  run->clients = g_new0 (Client, n_clients);
  run->held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  run->done = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  run->acknowledged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < n_clients; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%02u", i);

      run->clients[i].run = run;
      run->clients[i].token = fl_test_server_add_user (server, name, "worker");
    }
  return run;
}

static void
run_go (Run *run)
{
  for (guint i = 0; i < run->n_clients; i++)
    client_accept (&run->clients[i]);
  g_main_loop_run (run->loop);
}

static void
run_free (Run *run)
{
  for (guint i = 0; i < run->n_clients; i++)
    {
      g_free (run->clients[i].token);
      g_free (run->clients[i].key);
    }
  g_free (run->clients);
  g_hash_table_unref (run->held);
  g_hash_table_unref (run->done);
  g_hash_table_unref (run->acknowledged);
  g_main_loop_unref (run->loop);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static void
test_fifty_clients_never_double_assign (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autoptr (Run) run = NULL;
  g_autoptr (JsonNode) node = NULL;
  int exit_status;
  g_autofree char *out = NULL;
  guint status;

  fl_test_server_write_demo (server, 1000, NULL);
  fl_test_server_launch (server, TRUE);
  run = run_new (server, 50);
  run_go (run);

  g_assert_cmpuint (run->failures, ==, 0);
  g_assert_cmpuint (run->double_assignments, ==, 0);
  g_assert_cmpuint (g_hash_table_size (run->held), ==, 0);
  /* Every task done exactly once (the hash table refuses a second entry above). */
  g_assert_cmpuint (g_hash_table_size (run->done), ==, 1000);
  for (gint64 id = 1; id <= 1000; id++)
    g_assert_true (g_hash_table_contains (run->done, &id));

  node = fl_test_call (server, "GET", "/api/v1/offers", run->clients[0].token, NULL, NULL, &status);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (json_node_get_object (node), "offers")),
    ==, 0);
  out = fl_test_server_cli (server, &exit_status, NULL, "project", "list", NULL);
  g_assert_nonnull (strstr (out, "1000 tasks, 0 open"));
}

static void
test_sigkill_keeps_every_acknowledged_submission (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autoptr (Run) run = NULL;
  g_autoptr (JsonNode) queue = NULL;
  g_autoptr (GHashTable) seen_tasks =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *admin = NULL;
  GHashTableIter iter;
  gpointer key, value;
  JsonArray *submissions;
  guint status;

  fl_test_server_write_demo (server, 600, NULL);
  fl_test_server_launch (server, TRUE);
  admin = fl_test_server_add_user (server, "auditor", "admin");
  run = run_new (server, 20);
  run->stop_after = 250;
  run_go (run);
  g_assert_true (run->killed);
  g_assert_cmpuint (g_hash_table_size (run->acknowledged), >=, 250);

  fl_test_server_launch (server, FALSE);
  queue = fl_test_call (server, "GET", "/api/v1/review?project_id=1", admin, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  submissions = json_object_get_array_member (json_node_get_object (queue), "submissions");
  for (guint i = 0; i < json_array_get_length (submissions); i++)
    {
      JsonObject *s = json_array_get_object_element (submissions, i);
      gint64 *task_id = g_new (gint64, 1);
      gint64 *assignment_id = g_new (gint64, 1);

      *task_id = json_object_get_int_member (json_object_get_object_member (s, "task"), "id");
      *assignment_id = json_object_get_int_member (s, "assignment_id");
      /* No task was submitted twice. */
      g_assert_false (g_hash_table_contains (seen_tasks, task_id));
      g_hash_table_add (seen_tasks, task_id);
      g_hash_table_add (listed, assignment_id);
    }
  /* Every acknowledged submission survived, and a retry gets the first answer back. */
  g_hash_table_iter_init (&iter, run->acknowledged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_true (g_hash_table_contains (listed, key));
  g_hash_table_iter_init (&iter, run->acknowledged);
  if (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *path =
        g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", *(gint64 *) key);
      g_autoptr (JsonNode) node = NULL;
      guint n;

      for (n = 0; n < run->n_clients; n++)
        {
          g_autoptr (JsonNode) again =
            fl_test_call (server, "POST", path, run->clients[n].token,
                          "{\"result\":" RESULT ",\"active_seconds\":3}", value, &status);

          if (status == 200)
            break;
          g_assert_cmpuint (status, ==, 404);
        }
      g_assert_cmpuint (n, <, run->n_clients);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/accept/fifty-clients-never-double-assign",
                   test_fifty_clients_never_double_assign);
  g_test_add_func ("/server/crash/sigkill-keeps-every-acknowledged-submission",
                   test_sigkill_keeps_every_acknowledged_submission);

  return g_test_run ();
}
