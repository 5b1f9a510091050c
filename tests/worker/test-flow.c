/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestFlow"

#include "config.h"

#include <glib/gstdio.h>

#include "fl-asset-cache.h"
#include "fl-client.h"
#include "fl-local-store.h"
#include "fl-outbox.h"
#include "fl-test-server.h"
#include "fl-test-support.h"

/* The worker's calls against the real fairlabel-server on loopback. */

typedef struct
{
  FlTestServer *server;
  char *dir;
  GMainLoop *loop;
  GAsyncResult *result;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->server = fl_test_server_start ();
  fixture->dir = g_dir_make_tmp ("fl-flow-XXXXXX", NULL);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_server_free (fixture->server);
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_clear_object (&fixture->result);
  g_main_loop_unref (fixture->loop);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_clear_object (&fixture->result);
  fixture->result = g_object_ref (result);
  g_main_loop_quit (fixture->loop);
}

static FlClient *
worker_client (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  FlClient *client =
    fl_client_new (fixture->server->url, fixture->server->worker_token, FALSE, &error);

  g_assert_no_error (error);
  return client;
}

static GPtrArray *
get_offers (Fixture *fixture, FlClient *client)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *offers;

  fl_client_get_offers_async (client, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  offers = fl_client_get_offers_finish (client, fixture->result, &error);
  g_assert_no_error (error);
  return offers;
}

static FlAssignment *
accept (Fixture *fixture, FlClient *client, gint64 project_id, GError **error)
{
  fl_client_accept_async (client, project_id, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  return fl_client_accept_finish (client, fixture->result, error);
}

static FlEarnings *
get_earnings (Fixture *fixture, FlClient *client)
{
  g_autoptr (GError) error = NULL;
  FlEarnings *earnings;

  fl_client_get_earnings_async (client, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  earnings = fl_client_get_earnings_finish (client, fixture->result, &error);
  g_assert_no_error (error);
  return earnings;
}

static gboolean
quit_soon (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
on_waiting (FlOutbox *outbox, GParamSpec *pspec, Fixture *fixture)
{
  if (fl_outbox_get_waiting (outbox) == 0)
    g_idle_add (quit_soon, fixture->loop);
}

static void
wait_until_delivered (Fixture *fixture, FlOutbox *outbox)
{
  gulong id;

  if (fl_outbox_get_waiting (outbox) == 0)
    return;
  id = g_signal_connect (outbox, "notify::waiting", G_CALLBACK (on_waiting), fixture);
  g_main_loop_run (fixture->loop);
  g_signal_handler_disconnect (outbox, id);
}

static void
test_offers_to_approved_earnings (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = worker_client (fixture);
  g_autoptr (GPtrArray) offers = NULL;
  g_autoptr (FlAssignment) assignment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->dir, "local.db", NULL);
  g_autofree char *cache_dir = g_build_filename (fixture->dir, "cache", NULL);
  g_autoptr (FlLocalStore) store = fl_local_store_new (db, &error);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlAssetCache) cache = fl_asset_cache_new (cache_dir, 1 << 20);
  g_autoptr (GFile) file = NULL;
  g_autoptr (JsonObject) beat = NULL;
  g_autoptr (JsonNode) result = json_from_string (
    "{\"kind\":\"image\",\"image\":{\"width\":64,\"height\":48},\"shapes\":[{\"id\":\"s1\","
    "\"type\":\"box\",\"label\":\"car\",\"x\":1,\"y\":2,\"width\":30,\"height\":20}],\"tags\":[]}",
    NULL);
  g_autoptr (FlEarnings) earnings = NULL;
  g_autoptr (JsonNode) approved = NULL;
  g_autofree char *approve_path = NULL;
  g_autofree char *sha = NULL;
  const FlOffer *offer;
  const FlEarningsEntry *entry = NULL;
  gint64 project;
  guint status;

  /* 0.50 USD in an estimated 120 s: 15.00 USD an hour. */
  project = fl_test_server_add_image_project (fixture->server, "Cars", "0.50", 120, 900, 2);
  offers = get_offers (fixture, client);
  offer = NULL;
  for (guint i = 0; i < offers->len; i++)
    if (((FlOffer *) offers->pdata[i])->project_id == project)
      offer = offers->pdata[i];
  g_assert_nonnull (offer);
  g_assert_cmpint (offer->reward.amount_minor, ==, 50);
  g_assert_cmpint (offer->estimate.seconds, ==, 120);
  g_assert_cmpint (offer->estimate.source, ==, FL_ESTIMATE_SOURCE_REQUESTER);
  g_assert_cmpint (offer->estimated_hourly_rate.amount_minor, ==, 1500);
  g_assert_cmpint (offer->tasks_left, ==, 2);

  assignment = accept (fixture, client, project, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assignment->task);
  g_assert_cmpuint (assignment->task->assets->len, ==, 1);
  g_assert_cmpint (assignment->seconds_left, >, 0);

  /* The asset arrives through the cache, verified. */
  sha = g_strdup (((FlAsset *) assignment->task->assets->pdata[0])->sha256);
  fl_asset_cache_fetch_async (cache, client, sha, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  file = fl_asset_cache_fetch_finish (cache, fixture->result, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (file, NULL));

  fl_client_heartbeat_async (client, assignment->id, 30, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  beat = fl_client_heartbeat_finish (client, fixture->result, &error);
  g_assert_no_error (error);

  fl_outbox_set_client (outbox, client);
  fl_outbox_submit_async (outbox, assignment->id, result, 42, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  g_assert_true (fl_outbox_submit_finish (outbox, fixture->result, &error));
  g_assert_no_error (error);
  wait_until_delivered (fixture, outbox);

  approve_path =
    g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", assignment->id);
  approved = fl_test_call (fixture->server, "POST", approve_path, fixture->server->admin_token,
                           NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  earnings = get_earnings (fixture, client);
  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *e = earnings->entries->pdata[i];
      if (e->assignment_id == assignment->id && e->kind == FL_LEDGER_KIND_REWARD)
        entry = e;
    }
  g_assert_nonnull (entry);
  g_assert_cmpint (entry->state, ==, FL_LEDGER_STATE_APPROVED);
  g_assert_cmpint (entry->amount.amount_minor, ==, 50);
  g_assert_cmpint (entry->active_seconds, ==, 42);
}

static guint
count_reward_entries (FlEarnings *earnings, gint64 assignment_id)
{
  guint n = 0;

  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *e = earnings->entries->pdata[i];
      if (e->assignment_id == assignment_id && e->kind == FL_LEDGER_KIND_REWARD)
        n++;
    }
  return n;
}

static void
test_outbox_survives_server_and_app_restart (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = worker_client (fixture);
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->dir, "local.db", NULL);
  g_autoptr (FlLocalStore) store = fl_local_store_new (db, &error);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlEarnings) earnings = NULL;
  g_autoptr (GPtrArray) delivered = NULL;
  gint64 ids[3];
  gint64 project;

  project = fl_test_server_add_image_project (fixture->server, "Birds", "0.20", 60, 900, 3);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr (FlAssignment) a = accept (fixture, client, project, &error);
      g_assert_no_error (error);
      ids[i] = a->id;
    }

  /* The server goes down; the worker submits all three anyway. */
  fl_test_server_stop (fixture->server);
  fl_outbox_set_backoff (outbox, 50, 200);
  fl_outbox_set_client (outbox, client);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"kind\":\"image\",\"tags\":[\"n%u\"]}", i);
      g_autoptr (JsonNode) result = json_from_string (json, NULL);

      fl_outbox_submit_async (outbox, ids[i], result, 10 + i, NULL, on_done, fixture);
      g_main_loop_run (fixture->loop);
      g_assert_true (fl_outbox_submit_finish (outbox, fixture->result, &error));
    }
  g_assert_cmpuint (fl_outbox_get_waiting (outbox), ==, 3);
  /* A few failed attempts while it is down. */
  g_timeout_add (400, quit_soon, fixture->loop);
  g_main_loop_run (fixture->loop);
  g_assert_cmpuint (fl_outbox_get_waiting (outbox), ==, 3);

  /* The app quits too; it and the server come back. */
  g_clear_object (&outbox);
  g_clear_object (&store);
  fl_test_server_restart (fixture->server);
  store = fl_local_store_new (db, &error);
  g_assert_no_error (error);
  outbox = fl_outbox_new (store);
  fl_outbox_set_backoff (outbox, 50, 200);
  fl_outbox_set_client (outbox, client);
  /* The count comes from the store, then drops to zero as items land. */
  g_timeout_add (100, quit_soon, fixture->loop);
  g_main_loop_run (fixture->loop);
  wait_until_delivered (fixture, outbox);

  delivered = fl_local_store_list_outbox_sync (store, NULL, FL_OUTBOX_STATE_DELIVERED, NULL);
  g_assert_cmpuint (delivered->len, ==, 3);
  earnings = get_earnings (fixture, client);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpuint (count_reward_entries (earnings, ids[i]), ==, 1);

  /* A lost answer makes the outbox send again under the same key: still once. */
  {
    FlOutboxItem *item = delivered->pdata[0];
    g_autoptr (JsonNode) again_result = json_from_string (item->result_json, NULL);
    g_autoptr (JsonObject) again = NULL;
    g_autoptr (FlEarnings) after = NULL;

    fl_client_submit_async (client, item->assignment_id, again_result, item->active_seconds,
                            item->idempotency_key, NULL, on_done, fixture);
    g_main_loop_run (fixture->loop);
    again = fl_client_submit_finish (client, fixture->result, &error);
    g_assert_no_error (error);
    after = get_earnings (fixture, client);
    g_assert_cmpuint (count_reward_entries (after, item->assignment_id), ==, 1);
  }
}

static void
test_lease_expired_is_reported (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = worker_client (fixture);
  g_autoptr (FlAssignment) assignment = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) result = json_from_string ("{\"kind\":\"image\",\"tags\":[]}", NULL);
  g_autoptr (JsonObject) answer = NULL;
  gint64 project;

  project = fl_test_server_add_image_project (fixture->server, "Quick", "0.10", 60, 1, 1);
  assignment = accept (fixture, client, project, &error);
  g_assert_no_error (error);
  /* The lease is one second long. */
  g_timeout_add (2100, quit_soon, fixture->loop);
  g_main_loop_run (fixture->loop);

  fl_client_submit_async (client, assignment->id, result, 5, "late-key", NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  answer = fl_client_submit_finish (client, fixture->result, &error);
  g_assert_null (answer);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_EXPIRED);
  g_test_message ("%s", error->message);
}

static void
test_revoked_token_keeps_drafts (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = worker_client (fixture);
  g_autoptr (FlAssignment) assignment = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (fixture->dir, "local.db", NULL);
  g_autoptr (FlLocalStore) store = fl_local_store_new (db, &error);
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (JsonObject) beat = NULL;
  int exit_status;
  FlDraft draft = { 0 };
  gint64 project;

  project = fl_test_server_add_image_project (fixture->server, "Revoked", "0.10", 60, 900, 1);
  assignment = accept (fixture, client, project, &error);
  g_assert_no_error (error);
  draft.server_url = (char *) fl_client_get_base_url (client);
  draft.assignment_id = assignment->id;
  draft.assignment_json = (char *) "{}";
  draft.result_json = (char *) "{\"kind\":\"image\",\"tags\":[\"kept\"]}";
  g_assert_true (fl_local_store_save_draft_sync (store, &draft, &error));

  g_free (fl_test_server_cli (fixture->server, &exit_status, NULL, "user", "revoke", "demo-worker",
                              NULL));
  g_assert_cmpint (exit_status, ==, 0);
  fl_client_heartbeat_async (client, assignment->id, 10, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  beat = fl_client_heartbeat_finish (client, fixture->result, &error);
  g_assert_null (beat);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED);

  drafts = fl_local_store_list_drafts_sync (store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (((FlDraft *) drafts->pdata[0])->result_json, ==,
                   "{\"kind\":\"image\",\"tags\":[\"kept\"]}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/worker/flow/offers-accept-submit-approve-earnings", test_offers_to_approved_earnings);
  ADD ("/worker/flow/server-down-then-restarted-each-submission-lands-once",
       test_outbox_survives_server_and_app_restart);
  ADD ("/worker/flow/lease-expired-is-reported", test_lease_expired_is_reported);
  ADD ("/worker/flow/revoked-token-is-unauthorized-and-drafts-stay",
       test_revoked_token_keeps_drafts);
#undef ADD

  return g_test_run ();
}
