/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestClient"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fl-asset-cache.h"
#include "fl-client.h"
#include "fl-token.h"

/* A small foreign server that misbehaves on purpose: it stands for a broken
 * or hostile server, not for fairlabel-server. */
typedef struct
{
  SoupServer *server;
  char *url;
  GMainLoop *loop;
  GAsyncResult *result;
  guint slow_source;
} Fixture;

static const char good_asset[] = "the bytes of a real asset";
/* Content-addressed blobs of 1000 bytes each, served under /cas. */
static char blobs[3][1000];
static char *blob_hashes[3];
static guint cas_requests;

static gboolean
resume_slow (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    "{\"name\":\"slow\",\"version\":\"1\",\"currency\":\"USD\"}",
                                    strlen ("{\"name\":\"slow\",\"version\":\"1\",\"currency\":"
                                            "\"USD\"}"));
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer user_data)
{
  Fixture *fixture = user_data;
  const char *auth =
    soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  const char *body = NULL;
  guint status = 200;

  if (g_str_has_prefix (path, "/ok/"))
    body = "{\"name\":\"Test\",\"version\":\"0.1\",\"currency\":\"EUR\",\"extra\":[1,2]}";
  else if (g_str_has_prefix (path, "/auth/"))
    {
      if (g_strcmp0 (auth, "Bearer good-token") == 0)
        body = "{\"name\":\"Test\",\"version\":\"0.1\",\"currency\":\"EUR\"}";
      else
        {
          status = 401;
          body = "{\"error\":{\"code\":\"unauthorized\",\"message\":\"token revoked\"}}";
        }
    }
  else if (g_str_has_prefix (path, "/500/"))
    {
      status = 500;
      body = "<html>Internal Server Error</html>";
    }
  else if (g_str_has_prefix (path, "/garbage/"))
    body = "{\"name\": \"Test\", \"version\": ";
  else if (g_str_has_prefix (path, "/schema/"))
    body = "{\"name\": 42, \"version\": \"1\"}";
  else if (g_str_has_prefix (path, "/array/"))
    body = "[1, 2, 3]";
  else if (g_str_has_prefix (path, "/expired/"))
    {
      status = 409;
      body = "{\"error\":{\"code\":\"lease_expired\",\"message\":\"the lease ran out\"}}";
    }
  else if (g_str_has_prefix (path, "/slow/"))
    {
      soup_server_message_pause (msg);
      fixture->slow_source = g_timeout_add_seconds (10, resume_slow, g_object_ref (msg));
      return;
    }
  else if (g_str_has_prefix (path, "/cas/api/v1/assets/"))
    {
      const char *sha = path + strlen ("/cas/api/v1/assets/");

      cas_requests++;
      for (guint i = 0; i < G_N_ELEMENTS (blobs); i++)
        if (g_strcmp0 (sha, blob_hashes[i]) == 0)
          {
            soup_server_message_set_status (msg, 200, NULL);
            soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC,
                                              blobs[i], sizeof blobs[i]);
            return;
          }
      status = 404;
    }
  else if (g_str_has_prefix (path, "/assets/") || g_str_has_prefix (path, "/badassets/"))
    {
      const char *data = g_str_has_prefix (path, "/assets/") ? good_asset : "tampered bytes";
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, data,
                                        strlen (data));
      return;
    }
  else
    status = 404;

  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                      strlen (body));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GSList *uris;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handle, fixture, NULL);
  g_assert_true (
    soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (fixture->server);
  fixture->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (fixture->url, "/"))
    fixture->url[strlen (fixture->url) - 1] = '\0';
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_handle_id (&fixture->slow_source, g_source_remove);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->url);
  g_main_loop_unref (fixture->loop);
  g_clear_object (&fixture->result);
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fixture *fixture = user_data;

  fixture->result = g_object_ref (result);
  g_main_loop_quit (fixture->loop);
}

static FlClient *
client_for (Fixture *fixture, const char *prefix, const char *token)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *url = g_strconcat (fixture->url, prefix, NULL);
  FlClient *client = fl_client_new (url, token, FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  return client;
}

static FlServerInfo *
get_info (Fixture *fixture, FlClient *client, GError **error)
{
  g_clear_object (&fixture->result);
  fl_client_get_info_async (client, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  return fl_client_get_info_finish (client, fixture->result, error);
}

static void
test_url_validation (void)
{
  struct
  {
    const char *url;
    gboolean allow_insecure;
    int code; /* -1: accepted */
  } cases[] = {
    { "https://labels.example.org", FALSE, -1 },
    { "https://labels.example.org/team/", FALSE, -1 },
    { "http://127.0.0.1:8080", FALSE, -1 },
    { "http://localhost:8080", FALSE, -1 },
    { "http://[::1]:8080", FALSE, -1 },
    { "http://labels.example.org", FALSE, FL_CLIENT_ERROR_TLS_REQUIRED },
    { "http://192.168.1.5:8080", FALSE, FL_CLIENT_ERROR_TLS_REQUIRED },
    { "http://labels.example.org", TRUE, -1 },
    { "ftp://labels.example.org", FALSE, FL_CLIENT_ERROR_INVALID_URL },
    { "labels.example.org", FALSE, FL_CLIENT_ERROR_INVALID_URL },
    { "https://", FALSE, FL_CLIENT_ERROR_INVALID_URL },
    { "https://bob:secret@labels.example.org", FALSE, FL_CLIENT_ERROR_INVALID_URL },
    { "https://labels.example.org/?x=1", FALSE, FL_CLIENT_ERROR_INVALID_URL },
    { "not a url at all", FALSE, FL_CLIENT_ERROR_INVALID_URL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (FlClient) client =
        fl_client_new (cases[i].url, "t", cases[i].allow_insecure, &error);

      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (client);
          g_assert_false (g_str_has_suffix (fl_client_get_base_url (client), "/"));
        }
      else
        {
          g_assert_null (client);
          g_assert_error (error, FL_CLIENT_ERROR, cases[i].code);
          g_assert_cmpuint (strlen (error->message), >, 10);
        }
    }
}

static void
test_info_ok (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = client_for (fixture, "/ok", "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlServerInfo) info = get_info (fixture, client, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (info->currency, ==, "EUR");
  g_assert_cmpstr (info->name, ==, "Test");
}

static void
test_unauthorized (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) good = client_for (fixture, "/auth", "good-token");
  g_autoptr (FlClient) revoked = client_for (fixture, "/auth", "revoked-token");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlServerInfo) info = get_info (fixture, good, &error);
  g_autoptr (FlServerInfo) refused = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (info);
  refused = get_info (fixture, revoked, &error);
  g_assert_null (refused);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED);
}

static void
expect_error (Fixture *fixture, const char *prefix, int code)
{
  g_autoptr (FlClient) client = client_for (fixture, prefix, "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlServerInfo) info = get_info (fixture, client, &error);

  g_assert_null (info);
  g_assert_error (error, FL_CLIENT_ERROR, code);
  g_test_message ("%s: %s", prefix, error->message);
}

static void
test_server_error (Fixture *fixture, gconstpointer data)
{
  expect_error (fixture, "/500", FL_CLIENT_ERROR_SERVER);
}

static void
test_garbage_json (Fixture *fixture, gconstpointer data)
{
  expect_error (fixture, "/garbage", FL_CLIENT_ERROR_BAD_RESPONSE);
  expect_error (fixture, "/array", FL_CLIENT_ERROR_BAD_RESPONSE);
}

static void
test_unexpected_schema (Fixture *fixture, gconstpointer data)
{
  expect_error (fixture, "/schema", FL_CLIENT_ERROR_BAD_RESPONSE);
}

static void
test_not_found (Fixture *fixture, gconstpointer data)
{
  expect_error (fixture, "/nothing-here", FL_CLIENT_ERROR_NOT_FOUND);
}

static void
test_lease_expired (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = client_for (fixture, "/expired", "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (JsonNode) result = json_from_string ("{\"kind\":\"image\"}", NULL);

  fl_client_submit_async (client, 7, result, 30, "key-1", NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  answer = fl_client_submit_finish (client, fixture->result, &error);
  g_assert_null (answer);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_EXPIRED);
}

static void
test_slow_server_times_out (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = client_for (fixture, "/slow", "t");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlServerInfo) info = NULL;

  /* The server holds its answer for 10 s; the worker waits 1 s here. */
  fl_client_set_timeout (client, 1);
  info = get_info (fixture, client, &error);
  g_assert_null (info);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_TIMEOUT);
}

static void
test_unreachable (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FlClient) client = NULL;
  g_autofree char *url = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Fixture fixture = { .loop = loop };
  g_autoptr (FlServerInfo) info = NULL;
  guint16 port;

  /* Take a free port, then close it: nothing listens there. */
  g_assert_true (g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_listener_close (listener);

  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = fl_client_new (url, "t", FALSE, &error);
  g_assert_no_error (error);
  info = get_info (&fixture, client, &error);
  g_assert_null (info);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNREACHABLE);
  g_clear_object (&fixture.result);
}

static void
test_asset_verified (Fixture *fixture, gconstpointer data)
{
  g_autofree char *tmp = g_dir_make_tmp ("fl-asset-XXXXXX", NULL);
  g_autoptr (GFile) dir = g_file_new_for_path (tmp);
  g_autofree char *sha = fl_sha256_hex (good_asset, strlen (good_asset));
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (FlClient) client = NULL;
  g_autoptr (GFile) target = NULL;
  /* The base path picks the handler's behaviour: honest or tampered bytes. */
  g_autofree char *url = g_strconcat (fixture->url, "/assets", NULL);

  client = fl_client_new (url, "t", FALSE, &error);
  g_assert_no_error (error);
  fl_client_fetch_asset_async (client, sha, dir, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  file = fl_client_fetch_asset_finish (client, fixture->result, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL));
  g_assert_cmpstr (contents, ==, good_asset);

  /* A server that sends other bytes under that hash: refused, nothing left behind. */
  g_clear_object (&client);
  g_clear_object (&fixture->result);
  g_file_delete (file, NULL, NULL);
  g_free (url);
  url = g_strconcat (fixture->url, "/badassets", NULL);
  client = fl_client_new (url, "t", FALSE, &error);
  fl_client_fetch_asset_async (client, sha, dir, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  target = fl_client_fetch_asset_finish (client, fixture->result, &error);
  g_assert_null (target);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_CHECKSUM_MISMATCH);
  {
    g_autoptr (GDir) d = g_dir_open (tmp, 0, NULL);
    g_assert_null (g_dir_read_name (d));
  }
  g_rmdir (tmp);
}

static void
test_asset_name_must_be_hash (Fixture *fixture, gconstpointer data)
{
  g_autoptr (FlClient) client = client_for (fixture, "/assets", "t");
  g_autoptr (GFile) dir = g_file_new_for_path (g_get_tmp_dir ());
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) file = NULL;

  fl_client_fetch_asset_async (client, "../../etc/passwd", dir, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  file = fl_client_fetch_asset_finish (client, fixture->result, &error);
  g_assert_null (file);
  g_assert_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_BAD_RESPONSE);
}

static GFile *
cache_fetch (Fixture *fixture, FlAssetCache *cache, FlClient *client, const char *sha)
{
  g_autoptr (GError) error = NULL;
  GFile *file;

  g_clear_object (&fixture->result);
  fl_asset_cache_fetch_async (cache, client, sha, NULL, on_done, fixture);
  g_main_loop_run (fixture->loop);
  file = fl_asset_cache_fetch_finish (cache, fixture->result, &error);
  g_assert_no_error (error);
  return file;
}

static void
set_used (GFile *file, guint64 when)
{
  g_assert_true (g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, when,
                                              G_FILE_QUERY_INFO_NONE, NULL, NULL));
}

static void
test_asset_cache_evicts_least_recently_used (Fixture *fixture, gconstpointer data)
{
  g_autofree char *tmp = g_dir_make_tmp ("fl-cache-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "assets", NULL);
  g_autoptr (FlClient) client = client_for (fixture, "/cas", "t");
  /* Room for two blobs, not three. */
  g_autoptr (FlAssetCache) cache = fl_asset_cache_new (dir, 2500);
  g_autoptr (GFile) a = NULL;
  g_autoptr (GFile) b = NULL;
  g_autoptr (GFile) b_again = NULL;
  g_autoptr (GFile) c = NULL;
  guint requests;

  cas_requests = 0;
  a = cache_fetch (fixture, cache, client, blob_hashes[0]);
  b = cache_fetch (fixture, cache, client, blob_hashes[1]);
  g_assert_cmpuint (cas_requests, ==, 2);
  set_used (a, 1000);
  set_used (b, 2000);

  /* A cached file is served without asking the server, and counts as used. */
  b_again = cache_fetch (fixture, cache, client, blob_hashes[1]);
  g_assert_true (g_file_equal (b, b_again));
  g_assert_cmpuint (cas_requests, ==, 2);

  requests = cas_requests;
  c = cache_fetch (fixture, cache, client, blob_hashes[2]);
  g_assert_cmpuint (cas_requests, ==, requests + 1);
  g_assert_false (g_file_query_exists (a, NULL));
  g_assert_true (g_file_query_exists (b, NULL));
  g_assert_true (g_file_query_exists (c, NULL));

  g_file_delete (b, NULL, NULL);
  g_file_delete (c, NULL, NULL);
  g_rmdir (dir);
  g_rmdir (tmp);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (blobs); i++)
    {
      memset (blobs[i], 'a' + i, sizeof blobs[i]);
      blob_hashes[i] = fl_sha256_hex (blobs[i], sizeof blobs[i]);
    }

  g_test_add_func ("/worker/client/url-validation-requires-tls-off-loopback", test_url_validation);
  g_test_add_func ("/worker/client/unreachable-server-is-reported", test_unreachable);
#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/worker/client/info-parses-a-good-answer", test_info_ok);
  ADD ("/worker/client/revoked-token-is-unauthorized", test_unauthorized);
  ADD ("/worker/client/http-500-is-a-server-error", test_server_error);
  ADD ("/worker/client/garbage-json-is-a-bad-response", test_garbage_json);
  ADD ("/worker/client/unexpected-schema-is-a-bad-response", test_unexpected_schema);
  ADD ("/worker/client/unknown-path-is-not-found", test_not_found);
  ADD ("/worker/client/expired-lease-is-reported", test_lease_expired);
  ADD ("/worker/client/slow-server-times-out", test_slow_server_times_out);
  ADD ("/worker/client/asset-sha256-is-verified", test_asset_verified);
  ADD ("/worker/client/asset-name-must-be-a-hash", test_asset_name_must_be_hash);
  ADD ("/worker/asset-cache/evicts-least-recently-used",
       test_asset_cache_evicts_least_recently_used);
#undef ADD

  return g_test_run ();
}
