/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestOutbox"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fl-local-store.h"
#include "fl-outbox.h"
#include "fl-test-support.h"

typedef struct
{
  char *dir;
  char *db_path;
  GMainLoop *loop;
  GAsyncResult *result;
  /* The foreign server: answers each submit with the next scripted status. */
  SoupServer *server;
  char *url;
  GArray *script; /* guint statuses; 200 once it runs out */
  guint submits;
  GPtrArray *keys;
  GHashTable *accepted_keys;
} Fixture;

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer user_data)
{
  Fixture *fixture = user_data;
  const char *key =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Idempotency-Key");
  guint status = 200;
  const char *body = "{\"state\":\"submitted\"}";

  if (!g_str_has_suffix (path, "/submit"))
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  if (fixture->submits < fixture->script->len)
    status = g_array_index (fixture->script, guint, fixture->submits);
  fixture->submits++;
  g_ptr_array_add (fixture->keys, g_strdup (key));

  if (status == 410)
    body = "{\"error\":{\"code\":\"lease_expired\",\"message\":\"The lease ran out.\"}}";
  else if (status == 401)
    body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"Token revoked.\"}}";
  else if (status == 500)
    body = "{\"error\":{\"code\":\"internal\",\"message\":\"Boom.\"}}";
  else if (key != NULL)
    g_hash_table_add (fixture->accepted_keys, g_strdup (key));

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  fixture->dir = g_dir_make_tmp ("fl-outbox-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "local.db", NULL);
  fixture->loop = g_main_loop_new (NULL, FALSE);
  fixture->script = g_array_new (FALSE, FALSE, sizeof (guint));
  fixture->keys = g_ptr_array_new_with_free_func (g_free);
  fixture->accepted_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  g_assert_true (
    soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (fixture->server);
  fixture->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* The form FlClient gives it, which the store keys items by. */
  if (g_str_has_suffix (fixture->url, "/"))
    fixture->url[strlen (fixture->url) - 1] = '\0';
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->url);
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
  g_main_loop_unref (fixture->loop);
  g_clear_object (&fixture->result);
  g_array_unref (fixture->script);
  g_ptr_array_unref (fixture->keys);
  g_hash_table_unref (fixture->accepted_keys);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  g_clear_object (&fixture->result);
  fixture->result = g_object_ref (result);
  g_main_loop_quit (fixture->loop);
}

static FlLocalStore *
open_store (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  FlLocalStore *store = fl_local_store_new (fixture->db_path, &error);

  g_assert_no_error (error);
  return store;
}

static FlClient *
make_client (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;
  FlClient *client = fl_client_new (fixture->url, "token", FALSE, &error);

  g_assert_no_error (error);
  return client;
}

static gboolean
submit (Fixture *fixture, FlOutbox *outbox, gint64 assignment_id, const char *result_json,
        GError **error)
{
  g_autoptr (JsonNode) node = json_from_string (result_json, NULL);

  g_assert_nonnull (node);
  fl_outbox_submit_async (outbox, assignment_id, node, 42, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  return fl_outbox_submit_finish (outbox, fixture->result, error);
}

static gboolean
quit_when_idle (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_waiting_changed (FlOutbox *outbox, GParamSpec *pspec, Fixture *fixture)
{
  if (fl_outbox_get_waiting (outbox) == 0)
    g_idle_add (quit_when_idle, fixture->loop);
}

static void
save_draft (Fixture *fixture, FlLocalStore *store, gint64 assignment_id, const char *result)
{
  FlDraft draft = {
    .server_url = fixture->url,
    .assignment_id = assignment_id,
    .assignment_json = (char *) "{\"id\":1}",
    .result_json = (char *) result,
    .active_seconds = 12,
  };
  g_autoptr (GError) error = NULL;

  fl_local_store_save_draft_async (store, &draft, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  g_assert_true (fl_local_store_save_draft_finish (store, fixture->result, &error));
  g_assert_no_error (error);
}

static void
test_draft_survives_reopen (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GError) error = NULL;
  FlDraft *draft;

  save_draft (fixture, store, 5, "{\"kind\":\"audio\",\"segments\":[]}");
  save_draft (fixture, store, 5, "{\"kind\":\"audio\",\"segments\":[{\"start\":0}]}");
  save_draft (fixture, store, 6, NULL);
  g_clear_object (&store);

  store = open_store (fixture);
  drafts = fl_local_store_list_drafts_sync (store, fixture->url, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 2);
  for (guint i = 0; i < drafts->len; i++)
    {
      draft = g_ptr_array_index (drafts, i);
      if (draft->assignment_id == 5)
        g_assert_cmpstr (draft->result_json, ==,
                         "{\"kind\":\"audio\",\"segments\":[{\"start\":0}]}");
      else
        g_assert_null (draft->result_json);
      g_assert_cmpint (draft->active_seconds, ==, 12);
    }
}

static void
test_disk_full_is_not_success (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlClient) client = make_client (fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GString) big = g_string_new ("{\"kind\":\"audio\",\"segments\":[");
  GStatBuf st;

  save_draft (fixture, store, 9, "{\"kind\":\"audio\",\"segments\":[]}");
  fl_outbox_set_client (outbox, client);

  /* The disk holds what is there now and little more; the result is 1 MB. */
  g_assert_cmpint (g_stat (fixture->db_path, &st), ==, 0);
  fl_local_store_set_size_limit (store, st.st_size + 8192);
  for (int i = 0; i < 20000; i++)
    g_string_append_printf (big, "%s{\"start\":%d,\"end\":%d,\"text\":\"words words\"}",
                            i ? "," : "", i, i + 1);
  g_string_append (big, "]}");

  g_assert_false (submit (fixture, outbox, 9, big->str, &error));
  g_assert_error (error, FL_LOCAL_STORE_ERROR, FL_LOCAL_STORE_ERROR_DISK_FULL);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (fl_outbox_get_waiting (outbox), ==, 0);
  g_assert_cmpuint (fixture->submits, ==, 0);

  items = fl_local_store_list_outbox_sync (store, NULL, FL_OUTBOX_STATE_WAITING, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  /* The draft is still there to try again. */
  drafts = fl_local_store_list_drafts_sync (store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
}

static void
test_retries_until_delivered_once (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlClient) client = make_client (fixture);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) delivered = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  guint statuses[] = { 500, 500, 500 };

  g_array_append_vals (fixture->script, statuses, G_N_ELEMENTS (statuses));
  fl_outbox_set_backoff (outbox, 20, 100);
  fl_outbox_set_client (outbox, client);
  save_draft (fixture, store, 3, "{\"kind\":\"image\"}");

  g_assert_true (submit (fixture, outbox, 3, "{\"kind\":\"image\",\"shapes\":[]}", &error));
  g_assert_no_error (error);
  /* Committed: the draft became the outbox item in the same transaction. */
  drafts = fl_local_store_list_drafts_sync (store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);

  g_signal_connect (outbox, "notify::waiting", G_CALLBACK (on_waiting_changed), fixture);
  g_main_loop_run (fixture->loop);

  g_assert_cmpuint (fixture->submits, ==, 4);
  for (guint i = 1; i < fixture->keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (fixture->keys, i), ==,
                     g_ptr_array_index (fixture->keys, 0));
  g_assert_cmpuint (g_hash_table_size (fixture->accepted_keys), ==, 1);
  delivered = fl_local_store_list_outbox_sync (store, NULL, FL_OUTBOX_STATE_DELIVERED, NULL);
  g_assert_cmpuint (delivered->len, ==, 1);
  g_assert_cmpuint (((FlOutboxItem *) delivered->pdata[0])->attempts, ==, 3);
}

static void
on_failed (FlOutbox *outbox, gint64 assignment_id, const char *message, Fixture *fixture)
{
  g_object_set_data_full (G_OBJECT (outbox), "failed", g_strdup (message), g_free);
  g_main_loop_quit (fixture->loop);
}

static void
test_expired_lease_keeps_result (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlClient) client = make_client (fixture);
  g_autoptr (GPtrArray) failed = NULL;
  guint status = 410;
  FlOutboxItem *item;

  g_array_append_val (fixture->script, status);
  fl_outbox_set_client (outbox, client);
  g_signal_connect (outbox, "failed", G_CALLBACK (on_failed), fixture);
  g_assert_true (submit (fixture, outbox, 11, "{\"kind\":\"image\",\"tags\":[\"x\"]}", NULL));
  g_main_loop_run (fixture->loop);

  g_assert_nonnull (strstr (g_object_get_data (G_OBJECT (outbox), "failed"), "ran out"));
  g_assert_cmpuint (fl_outbox_get_waiting (outbox), ==, 0);
  failed = fl_local_store_list_outbox_sync (store, NULL, FL_OUTBOX_STATE_FAILED, NULL);
  g_assert_cmpuint (failed->len, ==, 1);
  item = failed->pdata[0];
  g_assert_cmpstr (item->result_json, ==, "{\"kind\":\"image\",\"tags\":[\"x\"]}");
  g_assert_cmpuint (fixture->submits, ==, 1);
}

static void
on_unauthorized (FlOutbox *outbox, const char *message, Fixture *fixture)
{
  g_main_loop_quit (fixture->loop);
}

static void
test_revoked_token_pauses_delivery (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr (FlClient) client = make_client (fixture);
  g_autoptr (FlClient) new_client = NULL;
  guint status = 401;

  g_array_append_val (fixture->script, status);
  fl_outbox_set_backoff (outbox, 10, 10);
  fl_outbox_set_client (outbox, client);
  g_signal_connect (outbox, "unauthorized", G_CALLBACK (on_unauthorized), fixture);
  g_assert_true (submit (fixture, outbox, 12, "{\"kind\":\"image\"}", NULL));
  g_main_loop_run (fixture->loop);
  g_assert_cmpuint (fl_outbox_get_waiting (outbox), ==, 1);

  /* Paused: no retries hammer the server with a dead token. */
  g_timeout_add (200, quit_when_idle, fixture->loop);
  g_main_loop_run (fixture->loop);
  g_assert_cmpuint (fixture->submits, ==, 1);

  /* A new token: the same submission goes out, once. */
  new_client = make_client (fixture);
  g_signal_connect (outbox, "notify::waiting", G_CALLBACK (on_waiting_changed), fixture);
  fl_outbox_set_client (outbox, new_client);
  g_main_loop_run (fixture->loop);
  g_assert_cmpuint (fixture->submits, ==, 2);
  g_assert_cmpuint (g_hash_table_size (fixture->accepted_keys), ==, 1);
}

static void
test_work_time_adds_up_per_day (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlLocalStore) store = open_store (fixture);
  g_autoptr (GHashTable) days = NULL;
  g_autoptr (GError) error = NULL;
  const struct
  {
    const char *day;
    gint64 seconds;
  } adds[] = { { "2026-03-02", 60 }, { "2026-03-02", 30 }, { "2026-03-03", 5 } };

  for (gsize i = 0; i < G_N_ELEMENTS (adds); i++)
    {
      fl_local_store_add_work_time_async (store, fixture->url, adds[i].day, adds[i].seconds, NULL,
                                          on_done, fixture);
      g_main_loop_run (fixture->loop);
      g_assert_true (fl_local_store_add_work_time_finish (store, fixture->result, &error));
    }
  g_clear_object (&store);
  store = open_store (fixture);
  fl_local_store_list_work_time_async (store, fixture->url, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  days = fl_local_store_list_work_time_finish (store, fixture->result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (days), ==, 2);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (days, "2026-03-02"), ==, 90);
  g_assert_cmpint (*(gint64 *) g_hash_table_lookup (days, "2026-03-03"), ==, 5);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/worker/store/draft-survives-reopen", test_draft_survives_reopen);
  ADD ("/worker/store/work-time-adds-up-per-day", test_work_time_adds_up_per_day);
  ADD ("/worker/outbox/disk-full-is-not-success", test_disk_full_is_not_success);
  ADD ("/worker/outbox/retries-with-backoff-and-one-key-until-delivered",
       test_retries_until_delivered_once);
  ADD ("/worker/outbox/expired-lease-keeps-the-result", test_expired_lease_keeps_result);
  ADD ("/worker/outbox/revoked-token-pauses-until-new-token", test_revoked_token_pauses_delivery);
#undef ADD

  return g_test_run ();
}
