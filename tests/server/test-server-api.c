/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestServerApi"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "fl-protocol.h"
#include "fl-test-server.h"
#include "fl-token.h"

#define RESULT "{\"kind\":\"image\",\"image\":{\"width\":4,\"height\":3},\"shapes\":[],\"tags\":[]}"

static FlTestServer *
demo_server (guint n_tasks, const char *extra)
{
  FlTestServer *server = fl_test_server_new ();

  fl_test_server_write_demo (server, n_tasks, extra);
  fl_test_server_launch (server, TRUE);
  return server;
}

static JsonObject *
object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static FlAssignment *
accept_task (FlTestServer *server, const char *token)
{
  guint status;
  g_autoptr (JsonNode) node =
    fl_test_call (server, "POST", "/api/v1/projects/1/accept", token, NULL, NULL, &status);
  g_autoptr (GError) error = NULL;
  FlAssignment *a;

  g_assert_cmpuint (status, ==, 200);
  a = fl_assignment_from_json (node, &error);
  g_assert_no_error (error);
  return a;
}

static guint
submit (FlTestServer *server, const char *token, gint64 id, gint64 seconds, const char *key,
        JsonNode **answer)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", id);
  g_autofree char *body =
    g_strdup_printf ("{\"result\":" RESULT ",\"active_seconds\":%" G_GINT64_FORMAT "}", seconds);
  guint status;
  JsonNode *node = fl_test_call (server, "POST", path, token, body, key, &status);

  if (answer != NULL)
    *answer = node;
  else if (node != NULL)
    json_node_unref (node);
  return status;
}

static FlEarnings *
earnings (FlTestServer *server, const char *token)
{
  guint status;
  g_autoptr (JsonNode) node =
    fl_test_call (server, "GET", "/api/v1/me/earnings", token, NULL, NULL, &status);
  g_autoptr (GError) error = NULL;
  FlEarnings *e;

  g_assert_cmpuint (status, ==, 200);
  e = fl_earnings_from_json (node, &error);
  g_assert_no_error (error);
  return e;
}

static void
test_start_prints_url_and_tokens (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  guint status;
  g_autoptr (JsonNode) info =
    fl_test_call (server, "GET", "/api/v1/info", NULL, NULL, NULL, &status);
  g_autoptr (FlServerInfo) parsed = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (status, ==, 200);
  parsed = fl_server_info_from_json (info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->name, ==, "fairlabel-server");
  g_assert_cmpstr (parsed->version, ==, PACKAGE_VERSION);
  g_assert_true (g_str_has_prefix (server->worker_token, "fl_"));
  g_assert_true (g_str_has_prefix (server->admin_token, "fl_"));
  g_assert_cmpstr (server->worker_token, !=, server->admin_token);
  fl_test_server_stop (server);
}

static void
test_tokens_unknown_revoked_missing_get_401 (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *token = fl_test_server_add_user (server, "carol", "worker");
  g_autoptr (JsonNode) ok = NULL;
  guint status;
  int exit_status;
  g_autofree char *out = NULL;

  ok = fl_test_call (server, "GET", "/api/v1/offers", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  for (guint i = 0; i < 3; i++)
    {
      const char *tokens[] = { NULL, "fl_0000", "" };
      g_autoptr (JsonNode) node =
        fl_test_call (server, "GET", "/api/v1/offers", tokens[i], NULL, NULL, &status);

      g_assert_cmpuint (status, ==, 401);
      g_assert_cmpstr (fl_test_error_code (node), ==, "unauthorized");
    }

  out = fl_test_server_cli (server, &exit_status, NULL, "user", "list", NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_nonnull (strstr (out, "carol\tworker"));
  /* The token itself is never stored. */
  {
    g_autofree char *db = g_build_filename (server->data_dir, "fairlabel.db", NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (db, &contents, &length, NULL));
    g_assert_null (g_strstr_len (contents, (gssize) length, token));
  }
  g_free (fl_test_server_cli (server, &exit_status, NULL, "user", "revoke", "carol", NULL));
  g_assert_cmpint (exit_status, ==, 0);
  {
    g_autoptr (JsonNode) node =
      fl_test_call (server, "GET", "/api/v1/offers", token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (fl_test_error_code (node), ==, "unauthorized");
  }
  g_free (fl_test_server_cli (server, &exit_status, NULL, "user", "revoke", "nobody", NULL));
  g_assert_cmpint (exit_status, !=, 0);
}

static void
test_offers_show_pay_estimate_and_source (void)
{
  g_autoptr (FlTestServer) server = demo_server (12, NULL);
  g_autoptr (GPtrArray) offers = NULL;
  g_autoptr (GError) error = NULL;
  guint status;
  FlOffer *offer;

  {
    g_autoptr (JsonNode) node =
      fl_test_call (server, "GET", "/api/v1/offers", server->worker_token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 200);
    offers = fl_offers_from_json (node, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (offers->len, ==, 1);
  offer = g_ptr_array_index (offers, 0);
  g_assert_cmpstr (offer->title, ==, "Street scenes");
  g_assert_cmpint (offer->reward.amount_minor, ==, 12);
  g_assert_cmpstr (offer->reward.currency, ==, "USD");
  g_assert_cmpint (offer->estimate.source, ==, FL_ESTIMATE_SOURCE_REQUESTER);
  g_assert_cmpint (offer->estimate.seconds, ==, 45);
  /* 0.12 per 45 s is 9.60 an hour. */
  g_assert_cmpint (offer->estimated_hourly_rate.amount_minor, ==, 960);
  g_assert_cmpint (offer->tasks_left, ==, 12);
  g_assert_true (offer->approval_rate < 0);

  /* Three own samples: the worker's median (20, 30, 90 -> 30). */
  {
    gint64 seconds[] = { 20, 90, 30 };

    for (guint i = 0; i < G_N_ELEMENTS (seconds); i++)
      {
        g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);

        g_assert_cmpuint (submit (server, server->worker_token, a->id, seconds[i], NULL, NULL), ==,
                          200);
      }
  }
  {
    g_autoptr (JsonNode) node =
      fl_test_call (server, "GET", "/api/v1/offers", server->worker_token, NULL, NULL, &status);
    g_autoptr (GPtrArray) again = fl_offers_from_json (node, &error);

    g_assert_no_error (error);
    offer = g_ptr_array_index (again, 0);
    g_assert_cmpint (offer->estimate.source, ==, FL_ESTIMATE_SOURCE_WORKER_MEDIAN);
    g_assert_cmpint (offer->estimate.seconds, ==, 30);
    g_assert_cmpuint (offer->estimate.samples, ==, 3);
    g_assert_cmpint (offer->tasks_left, ==, 9);
  }
  /* A newcomer sees the requester's estimate until five samples exist, then the median. */
  {
    g_autofree char *other = fl_test_server_add_user (server, "dave", "worker");
    g_autoptr (FlAssignment) a = NULL;
    g_autoptr (JsonNode) node = NULL;
    g_autoptr (GPtrArray) again = NULL;

    node = fl_test_call (server, "GET", "/api/v1/offers", other, NULL, NULL, &status);
    again = fl_offers_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_cmpint (((FlOffer *) again->pdata[0])->estimate.source, ==,
                     FL_ESTIMATE_SOURCE_REQUESTER);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr (FlAssignment) b = accept_task (server, server->worker_token);

        g_assert_cmpuint (submit (server, server->worker_token, b->id, 40, NULL, NULL), ==, 200);
      }
    g_clear_pointer (&node, json_node_unref);
    g_clear_pointer (&again, g_ptr_array_unref);
    node = fl_test_call (server, "GET", "/api/v1/offers", other, NULL, NULL, &status);
    again = fl_offers_from_json (node, &error);
    g_assert_no_error (error);
    /* 20, 30, 40, 40, 90 -> 40. */
    g_assert_cmpint (((FlOffer *) again->pdata[0])->estimate.source, ==,
                     FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN);
    g_assert_cmpint (((FlOffer *) again->pdata[0])->estimate.seconds, ==, 40);
    g_assert_cmpuint (((FlOffer *) again->pdata[0])->estimate.samples, ==, 5);
    (void) a;
  }
}

static void
test_accept_gives_lease_task_and_assets (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = NULL;
  FlAsset *asset;
  guint status;

  g_assert_cmpint (a->state, ==, FL_ASSIGNMENT_STATE_ACTIVE);
  g_assert_cmpint (a->lease_seconds, ==, 900);
  g_assert_cmpint (a->deadline - a->accepted_at, ==, 900);
  g_assert_cmpint (a->seconds_left, >, 890);
  g_assert_nonnull (a->label_config);
  g_assert_true (json_object_has_member (a->label_config, "classes"));
  g_assert_nonnull (a->task);
  g_assert_cmpuint (a->task->assets->len, ==, 1);
  asset = g_ptr_array_index (a->task->assets, 0);
  g_assert_cmpstr (asset->name, ==, "street-0000.png");
  g_assert_cmpstr (asset->media_type, ==, "image/png");
  g_assert_cmpint (asset->width, ==, 4);
  g_assert_cmpint (asset->height, ==, 3);
  g_assert_true (fl_sha256_is_valid_hex (asset->sha256));
  g_assert_cmpint (json_object_get_int_member (a->task->data, "n"), ==, 0);

  b = accept_task (server, server->worker_token);
  g_assert_cmpint (b->task->id, !=, a->task->id);

  /* After a restart of the app, the worker finds both leases again, tasks included. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT, a->id);
    g_autofree char *other = fl_test_server_add_user (server, "kim", "worker");
    g_autoptr (JsonNode) list = fl_test_call (server, "GET", "/api/v1/me/assignments",
                                              server->worker_token, NULL, NULL, &status);
    g_autoptr (JsonNode) one = NULL;
    g_autoptr (FlAssignment) again = NULL;
    JsonArray *array;

    g_assert_cmpuint (status, ==, 200);
    array = json_object_get_array_member (json_node_get_object (list), "assignments");
    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    one = fl_test_call (server, "GET", path, server->worker_token, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
    again = fl_assignment_from_json (one, NULL);
    g_assert_nonnull (again);
    g_assert_cmpint (again->task->id, ==, a->task->id);
    g_assert_nonnull (again->label_config);
    g_clear_pointer (&one, json_node_unref);
    one = fl_test_call (server, "GET", path, other, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 404);
  }
  {
    g_autoptr (JsonNode) node = fl_test_call (server, "POST", "/api/v1/projects/1/accept",
                                              server->worker_token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 409);
    g_assert_cmpstr (fl_test_error_code (node), ==, "no_tasks");
  }
  {
    g_autoptr (JsonNode) node = fl_test_call (server, "POST", "/api/v1/projects/99/accept",
                                              server->worker_token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 404);
  }
}

static void
test_several_assignments_per_task_one_at_a_time (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, "\"assignments_per_task\":2");
  g_autofree char *bob = fl_test_server_add_user (server, "bob", "worker");
  g_autofree char *cat = fl_test_server_add_user (server, "cat", "worker");
  g_autoptr (FlAssignment) first = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) second = NULL;
  g_autoptr (JsonNode) node = NULL;
  guint status;

  /* Held by one active assignment: nobody else gets it meanwhile. */
  node = fl_test_call (server, "POST", "/api/v1/projects/1/accept", bob, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpuint (submit (server, server->worker_token, first->id, 5, "a", NULL), ==, 200);
  /* The same worker never gets the same task twice. */
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/projects/1/accept", server->worker_token, NULL,
                       NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  second = accept_task (server, bob);
  g_assert_cmpint (second->task->id, ==, first->task->id);
  g_assert_cmpuint (submit (server, bob, second->id, 5, "b", NULL), ==, 200);
  /* Two submissions: the task is done. */
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/projects/1/accept", cat, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (fl_test_error_code (node), ==, "no_tasks");
}

static void
test_heartbeat_extends_lease_and_records_time (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, "\"lease_seconds\":3");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autofree char *path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/heartbeat", a->id);
  guint status;

  /* Heartbeats every second keep a 3-second lease alive for 5 seconds. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"active_seconds\":%u}", i + 1);
      g_autoptr (JsonNode) node =
        fl_test_call (server, "POST", path, server->worker_token, body, NULL, &status);
      g_autoptr (FlAssignment) beat = NULL;

      g_assert_cmpuint (status, ==, 200);
      beat = fl_assignment_from_json (node, NULL);
      g_assert_nonnull (beat);
      g_assert_cmpint (beat->active_seconds, ==, i + 1);
      g_assert_cmpint (beat->seconds_left, ==, 3);
      g_usleep (G_USEC_PER_SEC);
    }
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 6, "k", NULL), ==, 200);
}

static void
test_submit_is_idempotent_on_key (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autoptr (FlEarnings) e = NULL;
  g_autofree char *a_text = NULL;
  g_autofree char *b_text = NULL;

  g_assert_cmpuint (submit (server, server->worker_token, a->id, 12, "key-1", &first), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (object (first), "assignment"), "state"),
                   ==, "submitted");
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 12, "key-1", &second), ==, 200);
  a_text = fl_protocol_to_string (first, NULL);
  b_text = fl_protocol_to_string (second, NULL);
  g_assert_cmpstr (a_text, ==, b_text);

  /* Another key, or none, is a second submit: refused. */
  {
    g_autoptr (JsonNode) node = NULL;

    g_assert_cmpuint (submit (server, server->worker_token, a->id, 12, "key-2", &node), ==, 409);
    g_assert_cmpstr (fl_test_error_code (node), ==, "already_submitted");
    g_clear_pointer (&node, json_node_unref);
    g_assert_cmpuint (submit (server, server->worker_token, a->id, 12, NULL, &node), ==, 409);
    g_assert_cmpstr (fl_test_error_code (node), ==, "already_submitted");
  }
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 1);
}

static void
test_submit_without_key_once (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlEarnings) e = NULL;

  g_assert_cmpuint (submit (server, server->worker_token, a->id, 5, NULL, NULL), ==, 200);
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 5, NULL, NULL), ==, 409);
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 1);
}

static void
test_expired_lease_refuses_submit_and_frees_task (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, "\"lease_seconds\":1");
  g_autofree char *other = fl_test_server_add_user (server, "erin", "worker");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FlEarnings) e = NULL;

  g_usleep (2200 * 1000);
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 5, "k", &node), ==, 410);
  g_assert_cmpstr (fl_test_error_code (node), ==, "lease_expired");
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 0);
  /* The task went back to the pool (the expiry timer runs every second). */
  for (guint i = 0; i < 50 && b == NULL; i++)
    {
      guint status;
      g_autoptr (JsonNode) node =
        fl_test_call (server, "POST", "/api/v1/projects/1/accept", other, NULL, NULL, &status);

      if (status == 200)
        b = fl_assignment_from_json (node, NULL);
      else
        {
          g_assert_cmpuint (status, ==, 409);
          g_usleep (100 * 1000);
        }
    }
  g_assert_nonnull (b);
  g_assert_cmpint (b->task->id, ==, a->task->id);
}

static void
test_return_gives_task_back (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *other = fl_test_server_add_user (server, "fay", "worker");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = NULL;
  g_autofree char *path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/return", a->id);
  guint status;
  g_autoptr (JsonNode) node = NULL;

  node = fl_test_call (server, "POST", path, server->worker_token, "{\"active_seconds\":7}", NULL,
                       &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object (node), "state"), ==, "returned");
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", path, server->worker_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (fl_test_error_code (node), ==, "invalid_state");
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 5, "k", NULL), ==, 409);
  b = accept_task (server, other);
  g_assert_cmpint (b->task->id, ==, a->task->id);
}

static void
test_other_workers_assignment_is_404 (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *other = fl_test_server_add_user (server, "gus", "worker");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  const char *actions[] = { "heartbeat", "submit", "return" };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/%s", a->id, actions[i]);
      guint status;
      g_autoptr (JsonNode) node = fl_test_call (
        server, "POST", path, other, "{\"active_seconds\":1,\"result\":" RESULT "}", NULL, &status);
      g_autoptr (JsonNode) missing = NULL;
      g_autofree char *missing_path =
        g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/%s", a->id + 1000, actions[i]);

      if (i == 0)
        {
          g_clear_pointer (&node, json_node_unref);
          node =
            fl_test_call (server, "POST", path, other, "{\"active_seconds\":1}", NULL, &status);
        }
      else if (i == 2)
        {
          g_clear_pointer (&node, json_node_unref);
          node = fl_test_call (server, "POST", path, other, NULL, NULL, &status);
        }
      g_assert_cmpuint (status, ==, 404);
      g_assert_cmpstr (fl_test_error_code (node), ==, "not_found");
      /* The same answer as an id that does not exist: nothing leaks. */
      missing = fl_test_call (server, "POST", missing_path, other,
                              i == 1 ? "{\"active_seconds\":1,\"result\":" RESULT "}"
                                     : "{\"active_seconds\":1}",
                              NULL, &status);
      g_assert_cmpuint (status, ==, 404);
    }
  /* The owner's assignment is untouched. */
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 5, "k", NULL), ==, 200);
}

static void
test_assets_etag_conditional_and_range (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  FlAsset *asset = g_ptr_array_index (a->task->assets, 0);
  g_autofree char *uri = g_strconcat (server->url, asset->url, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", server->worker_token, NULL);
  g_autofree char *etag = g_strdup_printf ("\"%s\"", asset->sha256);
  g_autofree char *file = g_build_filename (server->demo_dir, "images", "street-0000.png", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_get_contents (file, &contents, &length, NULL));
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr (GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    body = soup_session_send_and_read (fl_test_server_session (server), msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"),
                     ==, etag);
    g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), contents, length);
  }
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr (GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", etag);
    body = soup_session_send_and_read (fl_test_server_session (server), msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 304);
    g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
  }
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr (GBytes) body = NULL;
    goffset start, end, total;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_set_range (soup_message_get_request_headers (msg), 10, 19);
    body = soup_session_send_and_read (fl_test_server_session (server), msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 206);
    g_assert_true (soup_message_headers_get_content_range (soup_message_get_response_headers (msg),
                                                           &start, &end, &total));
    g_assert_cmpint (start, ==, 10);
    g_assert_cmpint (end, ==, 19);
    g_assert_cmpint (total, ==, (goffset) length);
    g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), contents + 10, 10);
  }
  {
    g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
    g_autoptr (GBytes) body = NULL;

    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    soup_message_headers_set_range (soup_message_get_request_headers (msg), 100000, 100010);
    body = soup_session_send_and_read (fl_test_server_session (server), msg, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 416);
  }
  /* A worker sees only the assets of tasks they were given. */
  {
    g_autofree char *other = fl_test_server_add_user (server, "hal", "worker");
    guint status;
    g_autofree char *path = g_strdup (asset->url);
    g_autoptr (JsonNode) node = fl_test_call (server, "GET", path, other, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 404);
    g_clear_pointer (&node, json_node_unref);
    node = fl_test_call (server, "GET", "/api/v1/assets/../../etc/passwd", server->worker_token,
                         NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 404);
  }
}

static void
test_review_approve_reject_and_earnings (void)
{
  g_autoptr (FlTestServer) server = demo_server (3, NULL);
  g_autofree char *reviewer = fl_test_server_add_user (server, "rita", "reviewer");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = NULL;
  g_autoptr (FlEarnings) e = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *reject = NULL;
  guint status;

  g_assert_cmpuint (submit (server, server->worker_token, a->id, 30, "a", NULL), ==, 200);
  b = accept_task (server, server->worker_token);
  g_assert_cmpuint (submit (server, server->worker_token, b->id, 40, "b", NULL), ==, 200);

  node = fl_test_call (server, "GET", "/api/v1/review?project_id=1", reviewer, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (object (node), "submissions")), ==, 2);
  g_clear_pointer (&node, json_node_unref);

  /* Workers cannot review. */
  approve = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", a->id);
  node = fl_test_call (server, "POST", approve, server->worker_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpstr (fl_test_error_code (node), ==, "forbidden");
  g_clear_pointer (&node, json_node_unref);

  node = fl_test_call (server, "POST", approve, reviewer, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", approve, reviewer, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 409);
  g_clear_pointer (&node, json_node_unref);

  reject = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/reject", b->id);
  node = fl_test_call (server, "POST", reject, reviewer, "{}", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", reject, reviewer, "{\"reason\":\"  \"}", NULL, &status);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", reject, reviewer, "{\"reason\":\"Boxes miss the cars\"}",
                       NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 2);
  for (guint i = 0; i < e->entries->len; i++)
    {
      FlEarningsEntry *entry = g_ptr_array_index (e->entries, i);

      if (entry->assignment_id == a->id)
        g_assert_cmpint (entry->state, ==, FL_LEDGER_STATE_APPROVED);
      else
        {
          g_assert_cmpint (entry->state, ==, FL_LEDGER_STATE_REJECTED);
          g_assert_cmpstr (entry->reason, ==, "Boxes miss the cars");
        }
    }
  g_assert_cmpuint (e->totals->len, ==, 1);
  g_assert_cmpint (g_array_index (e->totals, FlEarningsTotals, 0).approved, ==, 12);
  g_assert_cmpint (g_array_index (e->totals, FlEarningsTotals, 0).rejected, ==, 12);
  g_assert_cmpint (g_array_index (e->totals, FlEarningsTotals, 0).pending, ==, 0);
  g_assert_cmpuint (e->days->len, ==, 1);
  g_assert_cmpint (g_array_index (e->days, FlEarningsTotals, 0).active_seconds, ==, 70);

  /* The rejected task is back in the pool for someone else. */
  {
    g_autofree char *other = fl_test_server_add_user (server, "ivan", "worker");
    g_autoptr (FlAssignment) c = accept_task (server, other);

    g_assert_cmpint (c->task->id, <=, 3);
  }

  /* payout moves approved to paid. */
  {
    int exit_status;
    g_autofree char *out =
      fl_test_server_cli (server, &exit_status, NULL, "payout", "--worker", "demo-worker", NULL);
    g_autoptr (FlEarnings) after = NULL;

    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (out, "\"amount\" : \"0.12\""));
    after = earnings (server, server->worker_token);
    g_assert_cmpint (g_array_index (after->totals, FlEarningsTotals, 0).paid, ==, 12);
    g_assert_cmpint (g_array_index (after->totals, FlEarningsTotals, 0).approved, ==, 0);
  }
}

static void
test_auto_approve_by_timer_and_at_start (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, "\"auto_approve_seconds\":1");
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = NULL;
  g_autoptr (FlEarnings) e = NULL;
  gboolean approved = FALSE;

  g_assert_cmpuint (submit (server, server->worker_token, a->id, 10, "a", NULL), ==, 200);
  for (guint i = 0; i < 50 && !approved; i++)
    {
      g_autoptr (FlEarnings) now = earnings (server, server->worker_token);

      approved = ((FlEarningsEntry *) now->entries->pdata[0])->state == FL_LEDGER_STATE_APPROVED;
      if (!approved)
        g_usleep (100 * 1000);
    }
  g_assert_true (approved);

  /* Submitted, then the server is down while the delay passes. */
  b = accept_task (server, server->worker_token);
  g_assert_cmpuint (submit (server, server->worker_token, b->id, 10, "b", NULL), ==, 200);
  fl_test_server_stop (server);
  g_usleep (1500 * 1000);
  fl_test_server_launch (server, TRUE);
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 2);
  for (guint i = 0; i < e->entries->len; i++)
    g_assert_cmpint (((FlEarningsEntry *) e->entries->pdata[i])->state, ==,
                     FL_LEDGER_STATE_APPROVED);
}

static void
test_fair_pay_bonus_lifts_to_minimum (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FlEarnings) e = NULL;
  int exit_status;
  guint status;
  gint64 bonus = -1, reward = -1;

  fl_test_server_write_demo (server, 2, "\"auto_approve_seconds\":86400");
  fl_test_server_launch (server, TRUE);
  g_free (fl_test_server_cli (server, &exit_status, NULL, "config", "minimum-wage", "12.00", "USD",
                              NULL));
  g_assert_cmpint (exit_status, ==, 0);

  {
    g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
    g_autofree char *path =
      g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", a->id);

    /* 0.12 for 100 s is 4.32/h; 12.00/h over 100 s is 0.3333..., rounded up 0.34. */
    g_assert_cmpuint (submit (server, server->worker_token, a->id, 100, "a", NULL), ==, 200);
    node = fl_test_call (server, "POST", path, server->admin_token, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 2);
  for (guint i = 0; i < e->entries->len; i++)
    {
      FlEarningsEntry *entry = g_ptr_array_index (e->entries, i);

      if (entry->kind == FL_LEDGER_KIND_BONUS)
        bonus = entry->amount.amount_minor;
      else
        reward = entry->amount.amount_minor;
      g_assert_cmpint (entry->state, ==, FL_LEDGER_STATE_APPROVED);
    }
  g_assert_cmpint (reward, ==, 12);
  g_assert_cmpint (bonus, ==, 22);

  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "GET", "/api/v1/fairness", server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonObject *p =
      json_array_get_object_element (json_object_get_array_member (object (node), "projects"), 0);

    g_assert_cmpint (json_object_get_int_member (p, "requester_estimate_seconds"), ==, 45);
    g_assert_cmpint (json_object_get_int_member (p, "measured_median_seconds"), ==, 100);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (p, "effective_hourly_rate"), "amount"),
                     ==, "4.32");
    g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (p, "bonuses_paid"), "amount"),
      ==, "0.22");
    g_assert_true (json_object_get_boolean_member (p, "below_minimum"));
  }
  {
    g_autofree char *out = fl_test_server_cli (server, &exit_status, NULL, "fairness", NULL);

    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (out, "\"measured_median_seconds\" : 100"));
  }
  /* Workers do not see the report. */
  g_clear_pointer (&node, json_node_unref);
  node =
    fl_test_call (server, "GET", "/api/v1/fairness", server->worker_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 403);

  /* Payout over the admin API: reward and bonus, once. */
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/payout", server->worker_token, "{}", NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/payout", server->admin_token,
                       "{\"worker\":\"nobody\"}", NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/payout", server->admin_token,
                       "{\"worker\":\"demo-worker\"}", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *paid = json_object_get_array_member (object (node), "paid");
    JsonObject *row = json_array_get_object_element (paid, 0);

    g_assert_cmpuint (json_array_get_length (paid), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (row, "worker"), ==, "demo-worker");
    g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (row, "amount"), "amount"), ==,
      "0.34");
    g_assert_cmpint (json_object_get_int_member (row, "entries"), ==, 2);
  }
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", "/api/v1/payout", server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object (node), "paid")),
                    ==, 0);
  {
    g_autoptr (FlEarnings) after = earnings (server, server->worker_token);

    g_assert_cmpint (g_array_index (after->totals, FlEarningsTotals, 0).paid, ==, 34);
  }
}

/* One second of a 440 Hz tone, 8 kHz 16-bit mono WAV. */
static GBytes *
make_wav (void)
{
  const guint32 rate = 8000, n = 8000;
  GByteArray *wav = g_byte_array_new ();
  guint32 u32;
  guint16 u16;

#define PUT32(v) (u32 = GUINT32_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u32, 4))
#define PUT16(v) (u16 = GUINT16_TO_LE (v), g_byte_array_append (wav, (guint8 *) &u16, 2))
  g_byte_array_append (wav, (const guint8 *) "RIFF", 4);
  PUT32 (36 + n * 2);
  g_byte_array_append (wav, (const guint8 *) "WAVEfmt ", 8);
  PUT32 (16);
  PUT16 (1);
  PUT16 (1);
  PUT32 (rate);
  PUT32 (rate * 2);
  PUT16 (2);
  PUT16 (16);
  g_byte_array_append (wav, (const guint8 *) "data", 4);
  PUT32 (n * 2);
  for (guint i = 0; i < n; i++)
    PUT16 ((guint16) (gint16) (8000 * sin (2 * G_PI * 440 * i / rate)));
#undef PUT32
#undef PUT16
  return g_byte_array_free_to_bytes (wav);
}

static guint
put_asset (FlTestServer *server, const char *token, const char *sha256, GBytes *bytes)
{
  g_autofree char *uri = g_strconcat (server->url, "/api/v1/assets/", sha256, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("PUT", uri);
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "audio/x-wav", bytes);
  answer = soup_session_send_and_read (fl_test_server_session (server), msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

static void
test_admin_api_creates_projects_and_tasks (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *body = NULL;
  g_autoptr (GBytes) blob = make_wav ();
  guint status;

  fl_test_server_write_demo (server, 0, NULL);
  fl_test_server_launch (server, TRUE);
  token = g_strdup (server->admin_token);

  node = fl_test_call (server, "POST", "/api/v1/projects", token,
                       "{\"kind\":\"audio\",\"title\":\"Calls\",\"reward\":{\"amount\":\"25\","
                       "\"currency\":\"JPY\"},\"estimate_seconds\":120,\"label_config\":{"
                       "\"speakers\":[{\"name\":\"A\",\"color\":\"#3584e4\"}]}}",
                       NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpint (json_object_get_int_member (object (node), "id"), ==, 2);
  g_clear_pointer (&node, json_node_unref);

  sha = fl_sha256_hex (g_bytes_get_data (blob, NULL), g_bytes_get_size (blob));
  g_assert_cmpuint (put_asset (server, token, sha, blob), ==, 201);
  /* A body that does not match its hash is refused. */
  {
    g_autofree char *wrong = g_strconcat ("/api/v1/assets/",
                                          "0000000000000000000000000000000000"
                                          "000000000000000000000000000000",
                                          NULL);

    g_assert_cmpuint (put_asset (server, token, wrong + strlen ("/api/v1/assets/"), blob), ==, 400);
    g_assert_cmpuint (put_asset (server, server->worker_token, sha, blob), ==, 403);
  }

  body = g_strdup_printf ("{\"tasks\":[{\"assets\":[{\"sha256\":\"%s\",\"name\":\"call.wav\"}],"
                          "\"pre_annotation\":{\"kind\":\"audio\",\"duration\":1.0,\"segments\":"
                          "[]},\"data\":{\"call\":7}}]}",
                          sha);
  node = fl_test_call (server, "POST", "/api/v1/projects/2/tasks", token, body, NULL, &status);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (object (node), "task_ids")), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* A pre-annotation of the wrong kind, an unknown asset, a path as a name: refused. */
  {
    const char *bad[] = {
      "{\"tasks\":[{\"assets\":[{\"sha256\":\"%s\"}],\"pre_annotation\":{\"kind\":\"image\"}}]}",
      "{\"tasks\":[{\"assets\":[{\"sha256\":\"%s\"}],\"pre_annotation\":{\"kind\":\"audio\","
      "\"segments\":[{\"start\":2,\"end\":1}]}}]}",
      "{\"tasks\":[{\"assets\":[{\"sha256\":\"%s0\"}]}]}",
      "{\"tasks\":[{\"assets\":[{\"sha256\":\"%s\",\"name\":\"../x.wav\"}]}]}",
      "{\"tasks\":[{\"assets\":[{\"sha256\":\"%s\"}],\"colour\":1}]}",
      "{\"tasks\":[{\"assets\":[]}],\"x\":\"%s\"}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr (GString) b = g_string_new (bad[i]);

        g_string_replace (b, "%s", sha, 0);
        node =
          fl_test_call (server, "POST", "/api/v1/projects/2/tasks", token, b->str, NULL, &status);
        g_assert_cmpuint (status, ==, 400);
        g_assert_nonnull (fl_test_error_code (node));
        g_clear_pointer (&node, json_node_unref);
      }
  }
  node = fl_test_call (server, "GET", "/api/v1/projects", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *projects = json_object_get_array_member (object (node), "projects");
    JsonObject *calls = json_array_get_object_element (projects, 1);

    g_assert_cmpuint (json_array_get_length (projects), ==, 2);
    g_assert_cmpint (json_object_get_int_member (calls, "tasks"), ==, 1);
  }
  g_clear_pointer (&node, json_node_unref);
  /* The worker gets the audio with its duration and the pre-annotation. */
  {
    g_autoptr (JsonNode) an = fl_test_call (server, "POST", "/api/v1/projects/2/accept",
                                            server->worker_token, NULL, NULL, &status);
    g_autoptr (FlAssignment) a = fl_assignment_from_json (an, NULL);
    FlAsset *asset;

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (a);
    asset = g_ptr_array_index (a->task->assets, 0);
    g_assert_cmpstr (asset->name, ==, "call.wav");
    g_assert_cmpstr (asset->media_type, ==, "audio/x-wav");
    g_assert_cmpfloat_with_epsilon (asset->duration, 1.0, 0.01);
    g_assert_cmpint (a->reward.amount_minor, ==, 25);
    g_assert_cmpstr (a->reward.currency, ==, "JPY");
    g_assert_nonnull (a->task->pre_annotation);
  }
  /* Workers cannot create projects. */
  node = fl_test_call (server, "POST", "/api/v1/projects", server->worker_token,
                       "{\"kind\":\"audio\",\"title\":\"x\",\"reward\":\"1\",\"currency\":\"USD\"}",
                       NULL, &status);
  g_assert_cmpuint (status, ==, 403);
}

typedef struct
{
  const char *name;
  const char *body;
  const char *code;
} BadInput;

static void
test_bad_project_input_is_refused (void)
{
  g_autoptr (FlTestServer) server = demo_server (0, NULL);
  const BadInput cases[] = {
    { "malformed", "{\"kind\":", "malformed_json" },
    { "not an object", "[1,2]", "invalid_field" },
    { "missing title", "{\"kind\":\"image\",\"reward\":\"1\",\"currency\":\"USD\"}",
      "invalid_field" },
    { "wrong type", "{\"kind\":\"image\",\"title\":7,\"reward\":\"1\",\"currency\":\"USD\"}",
      "invalid_field" },
    { "unknown field",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"1\",\"currency\":\"USD\",\"colour\":1}",
      "invalid_field" },
    { "negative", "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"-0.10\",\"currency\":\"USD\"}",
      "invalid_amount" },
    { "overflow",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"99999999999999999999\",\"currency\":"
      "\"USD\"}",
      "invalid_amount" },
    { "too many decimals",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"0.123\",\"currency\":\"USD\"}",
      "invalid_amount" },
    { "unknown currency",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"1\",\"currency\":\"XYZ\"}",
      "unknown_currency" },
    { "reward as number",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":0.1,\"currency\":\"USD\"}", "invalid_field" },
    { "bad kind", "{\"kind\":\"video\",\"title\":\"t\",\"reward\":\"1\",\"currency\":\"USD\"}",
      "invalid_field" },
    { "bad lease",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"1\",\"currency\":\"USD\",\"lease_"
      "seconds\":-5}",
      "invalid_field" },
    { "bad class",
      "{\"kind\":\"image\",\"title\":\"t\",\"reward\":\"1\",\"currency\":\"USD\",\"label_config\":"
      "{\"classes\":[{\"colour\":\"red\"}]}}",
      "invalid_field" },
  };
  g_autoptr (JsonNode) list = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = fl_test_call (server, "POST", "/api/v1/projects",
                                                server->admin_token, cases[i].body, NULL, &status);

      g_test_message ("case: %s", cases[i].name);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (fl_test_error_code (node), ==, cases[i].code);
    }
  /* Nothing changed. */
  list = fl_test_call (server, "GET", "/api/v1/projects", server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (
    json_array_get_length (json_object_get_array_member (object (list), "projects")), ==, 1);
}

static void
test_bad_worker_input_is_refused (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autofree char *submit_path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", a->id);
  g_autofree char *beat_path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/heartbeat", a->id);
  const BadInput submits[] = {
    { "malformed", "{\"result\":{", "malformed_json" },
    { "empty", "", "malformed_json" },
    { "missing result", "{\"active_seconds\":3}", "invalid_field" },
    { "missing seconds", "{\"result\":" RESULT "}", "invalid_field" },
    { "result not object", "{\"result\":[],\"active_seconds\":3}", "invalid_field" },
    { "seconds as string", "{\"result\":" RESULT ",\"active_seconds\":\"3\"}", "invalid_field" },
    { "negative seconds", "{\"result\":" RESULT ",\"active_seconds\":-3}", "invalid_field" },
    { "unknown field", "{\"result\":" RESULT ",\"active_seconds\":3,\"paid\":true}",
      "invalid_field" },
    { "wrong kind", "{\"result\":{\"kind\":\"audio\"},\"active_seconds\":3}", "invalid_field" },
    { "shape without type",
      "{\"result\":{\"kind\":\"image\",\"shapes\":[{\"x\":1}]},\"active_seconds\":3}",
      "invalid_field" },
    { "box without size",
      "{\"result\":{\"kind\":\"image\",\"shapes\":[{\"type\":\"box\",\"x\":1,\"y\":2}]},"
      "\"active_seconds\":3}",
      "invalid_field" },
    { "polygon of two points",
      "{\"result\":{\"kind\":\"image\",\"shapes\":[{\"type\":\"polygon\",\"points\":[[0,0],[1,"
      "1]]}]},\"active_seconds\":3}",
      "invalid_field" },
    { "coordinate as string",
      "{\"result\":{\"kind\":\"image\",\"shapes\":[{\"type\":\"point\",\"x\":\"1\",\"y\":2}]},"
      "\"active_seconds\":3}",
      "invalid_field" },
    { "shapes not array", "{\"result\":{\"kind\":\"image\",\"shapes\":{}},\"active_seconds\":3}",
      "invalid_field" },
    { "not utf-8", "{\"result\":\"\xff\xfe\"}", "malformed_json" },
  };
  g_autoptr (FlEarnings) e = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (submits); i++)
    {
      g_autoptr (JsonNode) node = fl_test_call (server, "POST", submit_path, server->worker_token,
                                                submits[i].body, "k", &status);

      g_test_message ("case: %s", submits[i].name);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpstr (fl_test_error_code (node), ==, submits[i].code);
    }
  {
    g_autoptr (JsonNode) node = fl_test_call (server, "POST", beat_path, server->worker_token,
                                              "{\"active_seconds\":1.5}", NULL, &status);

    g_assert_cmpuint (status, ==, 400);
  }
  /* Nothing was recorded, and the real submit still works with the same key. */
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 0);
  g_assert_cmpuint (submit (server, server->worker_token, a->id, 3, "k", NULL), ==, 200);
  {
    g_autoptr (JsonNode) node =
      fl_test_call (server, "DELETE", "/api/v1/offers", server->worker_token, NULL, NULL, &status);

    g_assert_cmpuint (status, ==, 405);
    g_clear_pointer (&node, json_node_unref);
    node =
      fl_test_call (server, "GET", "/api/v1/nothing", server->worker_token, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 404);
    g_assert_cmpstr (fl_test_error_code (node), ==, "not_found");
  }
}

static guint
count_open_fds (FlTestServer *server)
{
  g_autofree char *path =
    g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* One connection of our own: sends @request as it is, reads the answer's head (and the
 * body it announces with Content-Length), returns the status. */
static guint
raw_request (FlTestServer *server, GSocketConnection *conn, const char *request)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn));
  g_autoptr (GString) head = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *length_header;
  char *end = NULL;
  guint status = 0;
  gsize wanted = 0;

  if (request != NULL)
    {
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), request,
                                 strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  while ((end = strstr (head->str, "\r\n\r\n")) == NULL)
    {
      char buffer[4096];
      gssize got = g_input_stream_read (in, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got, >, 0);
      g_string_append_len (head, buffer, got);
    }
  g_assert_true (sscanf (head->str, "HTTP/1.1 %u", &status) == 1);
  length_header = g_strstr_len (head->str, end - head->str, "Content-Length: ");
  if (length_header != NULL)
    wanted = (gsize) g_ascii_strtoull (length_header + strlen ("Content-Length: "), NULL, 10);
  wanted -= MIN (wanted, head->len - (gsize) (end + 4 - head->str));
  while (wanted > 0)
    {
      char buffer[4096];
      gssize got = g_input_stream_read (in, buffer, MIN (sizeof buffer, wanted), NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (got, >, 0);
      wanted -= (gsize) got;
    }
  return status;
}

static GSocketConnection *
raw_connect (FlTestServer *server)
{
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  GSocketConnection *conn;

  g_socket_client_set_timeout (client, 30);
  conn = g_socket_client_connect_to_uri (client, server->url, 0, NULL, &error);
  g_assert_no_error (error);
  return conn;
}

static void
test_chunked_body_over_limit_refused_early (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (GSocketConnection) conn = raw_connect (server);
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn));
  g_autofree char *head = g_strdup_printf (
    "POST /api/v1/assignments/%" G_GINT64_FORMAT "/submit HTTP/1.1\r\nHost: test\r\n"
    "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
    "Transfer-Encoding: chunked\r\n\r\n",
    a->id, server->worker_token);
  gsize chunk_size = 64 * 1024;
  g_autofree char *chunk = g_malloc (chunk_size);
  g_autofree char *chunk_head = g_strdup_printf ("%" G_GSIZE_MODIFIER "x\r\n", chunk_size);
  g_autoptr (FlEarnings) e = NULL;
  g_autoptr (GError) error = NULL;
  gsize sent = 0;

  /* The answer has to come while the body is still open: without it the read times out. */
  g_socket_set_timeout (g_socket_connection_get_socket (conn), 15);
  memset (chunk, ' ', chunk_size);
  memcpy (chunk, "{\"result\":", 10);
  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  while (sent <= FL_PROTOCOL_MAX_BODY_BYTES + 2 * chunk_size)
    {
      g_output_stream_write_all (out, chunk_head, strlen (chunk_head), NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (out, chunk, chunk_size, NULL, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (out, "\r\n", 2, NULL, NULL, &error);
      g_assert_no_error (error);
      sent += chunk_size;
    }
  g_assert_cmpuint (raw_request (server, conn, NULL), ==, 413);
  g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);

  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 0);
}

static void
test_closed_connections_are_closed (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *offers = g_strdup_printf ("GET /api/v1/offers HTTP/1.1\r\nHost: test\r\n"
                                             "Authorization: Bearer %s\r\n\r\n",
                                             server->worker_token);
  const char *info = "GET /api/v1/info HTTP/1.1\r\nHost: test\r\n\r\n";
  const char *missing = "GET /api/v1/nothing-here HTTP/1.1\r\nHost: test\r\n\r\n";
  guint baseline = count_open_fds (server);
  guint open = 0;

  /* Keep-alive connections, each closed by the client after one or two answers. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr (GSocketConnection) conn = raw_connect (server);

      g_assert_cmpuint (raw_request (server, conn, i % 2 ? offers : info), ==, 200);
      if (i % 3 == 0)
        g_assert_cmpuint (raw_request (server, conn, missing), ==, 404);
      g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
    }
  for (guint tries = 0; tries < 100; tries++)
    {
      open = count_open_fds (server);
      if (open <= baseline)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpuint (open, <=, baseline);

  /* The server still answers on a fresh connection. */
  {
    g_autoptr (GSocketConnection) conn = raw_connect (server);

    g_assert_cmpuint (raw_request (server, conn, info), ==, 200);
  }
}

static void
test_oversized_body_is_413 (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autofree char *path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", a->id);
  gsize size = FL_PROTOCOL_MAX_BODY_BYTES + 1024;
  g_autofree char *body = g_malloc (size + 1);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FlEarnings) e = NULL;
  guint status;

  memset (body, ' ', size);
  body[size] = '\0';
  memcpy (body, "{\"result\":", 10);
  node = fl_test_call (server, "POST", path, server->worker_token, body, "k", &status);
  g_assert_cmpuint (status, ==, 413);
  g_assert_cmpstr (fl_test_error_code (node), ==, "payload_too_large");
  e = earnings (server, server->worker_token);
  g_assert_cmpuint (e->entries->len, ==, 0);
}

static void
test_task_lists_refuse_paths_outside_their_folder (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *list_dir = g_build_filename (server->root, "list", NULL);
  g_autofree char *inside = g_build_filename (list_dir, "ok.png", NULL);
  g_autofree char *outside = g_build_filename (server->root, "secret.png", NULL);
  g_autofree char *image = g_build_filename (server->demo_dir, "images", "street-0000.png", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *list_path = g_build_filename (list_dir, "tasks.json", NULL);
  g_autofree char *link = g_build_filename (list_dir, "link.png", NULL);
  gsize length;
  const char *lists[] = {
    "[{\"assets\":[\"../secret.png\"]}]",
    "[{\"assets\":[\"sub/../../secret.png\"]}]",
    "[{\"assets\":[\"%s\"]}]",
    "[{\"assets\":[\"link.png\"]}]",
    "[{\"assets\":[\"ok.png\"]},{\"assets\":[\"missing.png\"]}]",
    "[{\"assets\":[\"ok.png\"],\"extra\":1}]",
    "{\"assets\":[\"ok.png\"]}",
    "[{\"assets\":[\"ok.png\"]",
  };
  int exit_status;

  g_assert_cmpint (g_mkdir_with_parents (list_dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (image, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (inside, contents, (gssize) length, NULL));
  g_assert_true (g_file_set_contents (outside, contents, (gssize) length, NULL));
  g_assert_cmpint (symlink (outside, link), ==, 0);
  fl_test_server_stop (server);

  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    {
      g_autoptr (GString) text = g_string_new (lists[i]);
      g_autofree char *err = NULL;

      g_string_replace (text, "%s", outside, 0);
      g_assert_true (g_file_set_contents (list_path, text->str, -1, NULL));
      g_free (fl_test_server_cli (server, &exit_status, &err, "task", "add", "1", list_path, NULL));
      g_test_message ("list %u: %s", i, err);
      g_assert_cmpint (exit_status, !=, 0);
      g_assert_true (strlen (err) > 0);
    }
  /* Nothing was added by the refused lists; a good list and a folder work. */
  {
    g_autofree char *out = NULL;

    out = fl_test_server_cli (server, &exit_status, NULL, "project", "list", NULL);
    g_assert_nonnull (strstr (out, "1 tasks"));
    g_free (out);
    g_assert_true (g_file_set_contents (list_path, "[{\"assets\":[\"ok.png\"]}]", -1, NULL));
    out = fl_test_server_cli (server, &exit_status, NULL, "task", "add", "1", list_path, NULL);
    g_assert_cmpint (exit_status, ==, 0);
    g_free (out);
    g_unlink (list_path);
    g_unlink (link);
    out = fl_test_server_cli (server, &exit_status, NULL, "task", "add", "Street scenes", list_dir,
                              NULL);
    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (out, "added 1 tasks"));
    g_free (out);
    out = fl_test_server_cli (server, &exit_status, NULL, "project", "list", NULL);
    g_assert_nonnull (strstr (out, "3 tasks"));
  }
}

static void
test_corrupt_database_stops_start_up (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autofree char *db = g_build_filename (server->data_dir, "fairlabel.db", NULL);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *garbage = g_strnfill (8192, 'x');

  g_assert_cmpint (g_mkdir_with_parents (server->data_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (db, garbage, -1, NULL));
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                              &error, g_getenv ("FAIRLABEL_SERVER_BINARY"), "--listen",
                              "127.0.0.1:0", "--data", server->data_dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_assert_null (strstr (out, "listening:"));
  g_assert_nonnull (strstr (err, "damaged"));
  /* The file is left as it was, for recovery. */
  {
    g_autofree char *after = NULL;

    g_assert_true (g_file_get_contents (db, &after, NULL, NULL));
    g_assert_cmpstr (after, ==, garbage);
  }
}

static void
test_newer_schema_stops_start_up (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autofree char *db_path = g_build_filename (server->data_dir, "fairlabel.db", NULL);
  g_autofree char *err = NULL;
  sqlite3 *db = NULL;
  int exit_status;

  g_free (fl_test_server_add_user (server, "zoe", "worker"));
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_free (fl_test_server_cli (server, &exit_status, &err, "user", "list", NULL));
  g_assert_cmpint (exit_status, !=, 0);
  g_assert_nonnull (strstr (err, "schema version 99"));
}

static void
test_export_writes_approved_results (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autoptr (FlAssignment) b = accept_task (server, server->worker_token);
  g_autofree char *approve =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", a->id);
  g_autofree char *out_dir = g_build_filename (server->root, "export", NULL);
  g_autofree char *out = NULL;
  g_autoptr (JsonNode) node = NULL;
  int exit_status;
  guint status;

  g_assert_cmpuint (submit (server, server->worker_token, a->id, 10, "a", NULL), ==, 200);
  g_assert_cmpuint (submit (server, server->worker_token, b->id, 10, "b", NULL), ==, 200);
  node = fl_test_call (server, "POST", approve, server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  out = fl_test_server_cli (server, &exit_status, NULL, "export", "1", "--format", "json",
                            "--output", out_dir, NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_nonnull (strstr (out, "exported 1 approved results"));
  g_assert_true (g_file_test (out_dir, G_FILE_TEST_IS_DIR));
  {
    g_autoptr (GDir) dir = g_dir_open (out_dir, 0, NULL);
    guint files = 0;

    while (g_dir_read_name (dir) != NULL)
      files++;
    g_assert_cmpuint (files, >, 0);
  }
}

static void
test_import_reads_an_export_with_pre_annotations (void)
{
  g_autoptr (FlTestServer) server = demo_server (2, NULL);
  g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
  g_autofree char *approve =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", a->id);
  g_autofree char *out_dir = g_build_filename (server->root, "export", NULL);
  g_autofree char *project = g_build_filename (server->root, "copy.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FlAssignment) copy = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *submit_body = NULL;
  int exit_status;
  guint status;

  submit_body = g_strdup_printf (
    "{\"result\":{\"kind\":\"image\",\"image\":{\"width\":4,\"height\":3},\"shapes\":[{"
    "\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":1,\"y\":1,\"width\":2,"
    "\"height\":1}],\"tags\":[]},\"active_seconds\":9}");
  {
    g_autofree char *path =
      g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", a->id);
    g_autoptr (JsonNode) answer =
      fl_test_call (server, "POST", path, server->worker_token, submit_body, "k", &status);

    g_assert_cmpuint (status, ==, 200);
  }
  node = fl_test_call (server, "POST", approve, server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (fl_test_server_cli (server, &exit_status, NULL, "export", "1", "--format", "json",
                              "--output", out_dir, NULL));
  g_assert_cmpint (exit_status, ==, 0);

  g_assert_true (g_file_set_contents (
    project,
    "{\"kind\":\"image\",\"title\":\"Review pass\",\"reward\":\"0.05\",\"currency\":\"EUR\"}", -1,
    NULL));
  out =
    fl_test_server_cli (server, &exit_status, NULL, "project", "create", "--from", project, NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_cmpstr (g_strstrip (out), ==, "2");
  g_free (g_steal_pointer (&out));
  out = fl_test_server_cli (server, &exit_status, &err, "import", "Review pass", out_dir,
                            "--format", "json", NULL);
  g_test_message ("import: %s %s", out, err);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_nonnull (strstr (out, "added 1 tasks"));

  /* The imported task carries the approved result as its pre-annotation. */
  accept = g_strdup ("/api/v1/projects/2/accept");
  g_clear_pointer (&node, json_node_unref);
  node = fl_test_call (server, "POST", accept, server->worker_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  copy = fl_assignment_from_json (node, NULL);
  g_assert_nonnull (copy);
  g_assert_cmpstr (copy->reward.currency, ==, "EUR");
  g_assert_nonnull (copy->task->pre_annotation);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (copy->task->pre_annotation), "shapes")),
                    ==, 1);
  g_assert_cmpstr (((FlAsset *) copy->task->assets->pdata[0])->sha256, ==,
                   ((FlAsset *) a->task->assets->pdata[0])->sha256);

  /* A path that does not exist, or is not a dataset, is refused and adds nothing. */
  g_free (g_steal_pointer (&out));
  g_free (g_steal_pointer (&err));
  out = fl_test_server_cli (server, &exit_status, &err, "import", "2", "/nonexistent/x", NULL);
  g_assert_cmpint (exit_status, !=, 0);
}

/* The project's classes, as "name:color" joined by spaces (color empty when missing). */
static char *
project_classes (FlTestServer *server, gint64 project_id)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  JsonArray *projects;
  guint status;

  node = fl_test_call (server, "GET", "/api/v1/projects", server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  projects = json_object_get_array_member (object (node), "projects");
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonObject *p = json_array_get_object_element (projects, i);
      JsonObject *config;
      JsonArray *classes;

      if (json_object_get_int_member (p, "id") != project_id)
        continue;
      config = json_object_get_object_member (p, "label_config");
      classes = json_object_has_member (config, "classes")
                  ? json_object_get_array_member (config, "classes")
                  : NULL;
      for (guint k = 0; classes != NULL && k < json_array_get_length (classes); k++)
        {
          JsonObject *c = json_array_get_object_element (classes, k);

          g_string_append_printf (names, "%s%s:%s", k ? " " : "",
                                  json_object_get_string_member (c, "name"),
                                  json_object_get_string_member_with_default (c, "color", ""));
        }
      return g_string_free (g_steal_pointer (&names), FALSE);
    }
  g_assert_not_reached ();
}

static void
test_import_brings_dataset_classes_into_the_project (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);
  g_autofree char *coco_dir = g_build_filename (server->root, "coco", NULL);
  g_autofree char *image = g_build_filename (server->demo_dir, "images", "street-0000.png", NULL);
  g_autofree char *copy = g_build_filename (coco_dir, "street.png", NULL);
  g_autofree char *annotations = g_build_filename (coco_dir, "annotations.json", NULL);
  g_autofree char *project = g_build_filename (server->root, "bare.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *classes = NULL;
  gsize length;
  int exit_status;

  g_assert_cmpint (g_mkdir_with_parents (coco_dir, 0700), ==, 0);
  g_assert_true (g_file_get_contents (image, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));
  g_assert_true (g_file_set_contents (
    annotations,
    "{\"images\":[{\"id\":1,\"file_name\":\"street.png\",\"width\":4,\"height\":3}],"
    "\"categories\":[{\"id\":1,\"name\":\"car\"},{\"id\":2,\"name\":\"bus\"}],"
    "\"annotations\":[{\"id\":1,\"image_id\":1,\"category_id\":2,\"bbox\":[0,0,2,1]}]}",
    -1, NULL));
  g_assert_true (g_file_set_contents (
    project, "{\"kind\":\"image\",\"title\":\"Bare\",\"reward\":\"0.05\",\"currency\":\"USD\"}", -1,
    NULL));
  g_free (
    fl_test_server_cli (server, &exit_status, NULL, "project", "create", "--from", project, NULL));
  g_assert_cmpint (exit_status, ==, 0);

  /* The demo project has "car": the import adds "bus" and keeps car's colour. */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = fl_test_server_cli (server, &exit_status, &err, "import", "1",
                                               annotations, "--format", "coco", NULL);

    g_test_message ("import: %s %s", out, err);
    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (err, "added 1 classes from the import: bus"));
  }
  classes = project_classes (server, 1);
  g_assert_cmpstr (classes, ==, "car:#e01b24 bus:");
  g_clear_pointer (&classes, g_free);

  /* A project without a label config gets the dataset's. */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = fl_test_server_cli (server, &exit_status, &err, "import", "2",
                                               annotations, "--format", "coco", NULL);

    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (err, "set 2 classes from the import: car, bus"));
  }
  classes = project_classes (server, 2);
  g_assert_cmpstr (classes, ==, "car: bus:");
  g_clear_pointer (&classes, g_free);

  /* Nothing new the second time, and it says so. */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = fl_test_server_cli (server, &exit_status, &err, "import", "1",
                                               annotations, "--format", "coco", NULL);

    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (err, "label config: unchanged"));
  }
  classes = project_classes (server, 1);
  g_assert_cmpstr (classes, ==, "car:#e01b24 bus:");
}

static void
test_export_audit_pays_reward_and_bonus (void)
{
  g_autoptr (FlTestServer) server = fl_test_server_new ();
  g_autofree char *out_dir = g_build_filename (server->root, "export", NULL);
  g_autofree char *audit = g_build_filename (out_dir, "fairness-audit.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  int exit_status;
  guint status;

  fl_test_server_write_demo (server, 2, "\"auto_approve_seconds\":86400");
  fl_test_server_launch (server, TRUE);
  g_free (fl_test_server_cli (server, &exit_status, NULL, "config", "minimum-wage", "12.00", "USD",
                              NULL));
  g_assert_cmpint (exit_status, ==, 0);
  {
    g_autoptr (FlAssignment) a = accept_task (server, server->worker_token);
    g_autofree char *path =
      g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", a->id);
    g_autoptr (JsonNode) node = NULL;

    /* As in the fair-pay test: 0.12 reward and a 0.22 bonus for 100 s. */
    g_assert_cmpuint (submit (server, server->worker_token, a->id, 100, "a", NULL), ==, 200);
    node = fl_test_call (server, "POST", path, server->admin_token, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  g_free (fl_test_server_cli (server, &exit_status, NULL, "export", "1", "--format", "json",
                              "--output", out_dir, NULL));
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (g_file_get_contents (audit, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", 0);
  g_assert_true (g_str_has_prefix (lines[0], "task_id,asset,worker,submitted_at,active_seconds,"
                                             "reward,currency,rate_per_hour,"));
  g_assert_nonnull (lines[1]);
  g_test_message ("audit row: %s", lines[1]);
  /* 0.34 paid for 100 s is 12.24/h: the team minimum is met. */
  g_assert_nonnull (strstr (lines[1], ",100,0.34,USD,12.24,approved,"));
}

static void
test_sigterm_shuts_down_cleanly (void)
{
  g_autoptr (FlTestServer) server = demo_server (1, NULL);

  /* fl_test_server_stop asserts exit status 0 after SIGTERM. */
  fl_test_server_stop (server);
  fl_test_server_launch (server, TRUE);
  fl_test_server_stop (server);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/start/prints-url-and-demo-tokens", test_start_prints_url_and_tokens);
  g_test_add_func ("/server/start/corrupt-database-stops-start-up",
                   test_corrupt_database_stops_start_up);
  g_test_add_func ("/server/start/sigterm-shuts-down-cleanly", test_sigterm_shuts_down_cleanly);
  g_test_add_func ("/server/start/newer-schema-stops-start-up", test_newer_schema_stops_start_up);
  g_test_add_func ("/server/users/unknown-revoked-missing-token-401",
                   test_tokens_unknown_revoked_missing_get_401);
  g_test_add_func ("/server/offers/show-pay-estimate-and-source",
                   test_offers_show_pay_estimate_and_source);
  g_test_add_func ("/server/accept/gives-lease-task-and-assets",
                   test_accept_gives_lease_task_and_assets);
  g_test_add_func ("/server/accept/several-per-task-one-at-a-time",
                   test_several_assignments_per_task_one_at_a_time);
  g_test_add_func ("/server/heartbeat/extends-lease-and-records-time",
                   test_heartbeat_extends_lease_and_records_time);
  g_test_add_func ("/server/submit/idempotent-on-key", test_submit_is_idempotent_on_key);
  g_test_add_func ("/server/submit/without-key-only-once", test_submit_without_key_once);
  g_test_add_func ("/server/submit/after-expiry-refused-and-task-freed",
                   test_expired_lease_refuses_submit_and_frees_task);
  g_test_add_func ("/server/return/gives-task-back", test_return_gives_task_back);
  g_test_add_func ("/server/assignments/other-workers-are-404",
                   test_other_workers_assignment_is_404);
  g_test_add_func ("/server/assets/etag-conditional-and-range",
                   test_assets_etag_conditional_and_range);
  g_test_add_func ("/server/review/approve-reject-earnings-payout",
                   test_review_approve_reject_and_earnings);
  g_test_add_func ("/server/review/auto-approve-by-timer-and-at-start",
                   test_auto_approve_by_timer_and_at_start);
  g_test_add_func ("/server/fair-pay/bonus-lifts-to-minimum", test_fair_pay_bonus_lifts_to_minimum);
  g_test_add_func ("/server/admin/creates-projects-assets-and-tasks",
                   test_admin_api_creates_projects_and_tasks);
  g_test_add_func ("/server/bad-input/project-fields", test_bad_project_input_is_refused);
  g_test_add_func ("/server/bad-input/worker-bodies", test_bad_worker_input_is_refused);
  g_test_add_func ("/server/bad-input/oversized-body-413", test_oversized_body_is_413);
  g_test_add_func ("/server/bad-input/chunked-body-over-limit-413-before-its-end",
                   test_chunked_body_over_limit_refused_early);
  g_test_add_func ("/server/connections/closed-by-clients-are-closed",
                   test_closed_connections_are_closed);
  g_test_add_func ("/server/bad-input/task-list-paths-stay-inside",
                   test_task_lists_refuse_paths_outside_their_folder);
  g_test_add_func ("/server/export/json-writes-approved-results",
                   test_export_writes_approved_results);
  g_test_add_func ("/server/import/reads-an-export-with-pre-annotations",
                   test_import_reads_an_export_with_pre_annotations);
  g_test_add_func ("/server/import/brings-dataset-classes-into-the-project",
                   test_import_brings_dataset_classes_into_the_project);
  g_test_add_func ("/server/export/audit-pays-reward-and-bonus",
                   test_export_audit_pays_reward_and_bonus);

  return g_test_run ();
}
