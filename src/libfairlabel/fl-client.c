/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlClient"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "fl-client.h"
#include "fl-protocol.h"
#include "fl-token.h"

G_DEFINE_QUARK (fl - client - error - quark, fl_client_error)

#define FL_CLIENT_DEFAULT_TIMEOUT 30
/* Larger answers than this are not something our server sends; refuse them. */
#define FL_CLIENT_MAX_JSON_BYTES (32 * 1024 * 1024)

struct _FlClient
{
  GObject parent_instance;

  char *base_url; /* scheme://host[:port][/path], no trailing slash */
  char *host;
  char *token;
  SoupSession *session;
};

G_DEFINE_FINAL_TYPE (FlClient, fl_client, G_TYPE_OBJECT)

/* Reads the answer into its protocol type; NULL and an error when it does not fit. */
typedef gpointer (*FlClientParse) (JsonNode *node, GError **error);

typedef struct
{
  FlClient *client;
  SoupMessage *message;
  FlClientParse parse;
  GDestroyNotify free_result;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->message);
  g_free (data);
}

static void
fl_client_finalize (GObject *object)
{
  FlClient *self = FL_CLIENT (object);

  g_free (self->base_url);
  g_free (self->host);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_free (self->token);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (fl_client_parent_class)->finalize (object);
}

static void
fl_client_class_init (FlClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_client_finalize;
}

static void
fl_client_init (FlClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Fairlabel/%s", PACKAGE_VERSION);

  self->session = soup_session_new_with_options (
    "user-agent", user_agent, "timeout", FL_CLIENT_DEFAULT_TIMEOUT, "idle-timeout", 60, NULL);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      gsize len = strlen (bare);
      if (len > 2 && bare[len - 1] == ']')
        {
          bare[len - 1] = '\0';
          memmove (bare, bare + 1, len - 1);
        }
    }
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
fl_client_url_is_loopback (const char *base_url)
{
  g_autoptr (GUri) uri = NULL;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL);
  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

FlClient *
fl_client_new (const char *base_url, const char *token, gboolean allow_insecure, GError **error)
{
  g_autoptr (FlClient) self = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  const char *host;
  const char *path;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  text = g_strstrip (g_strdup (base_url));
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                   _ ("“%s” is not a server address. Enter one like https://labels.example.org."),
                   text);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                   _ ("The server address must start with https:// (or http:// for a server on "
                      "this computer)."));
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                   _ ("The server address has no host name."));
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                   _ ("The server address must not contain a user name or password; enter the "
                      "access token in its own field."));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                   _ ("The server address must not contain “?” or “#”."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host) && !allow_insecure)
    {
      g_set_error (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_TLS_REQUIRED,
                   _ ("%s is not on this computer, so the connection must be encrypted: use "
                      "https://. Unencrypted connections can be allowed in Preferences."),
                   host);
      return NULL;
    }

  self = g_object_new (FL_TYPE_CLIENT, NULL);
  path = g_uri_get_path (uri);
  {
    g_autoptr (GUri) base = NULL;
    g_autofree char *clean_path = g_strdup (path);
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    gsize len = strlen (clean_path);

    while (len > 0 && clean_path[len - 1] == '/')
      clean_path[--len] = '\0';
    base = g_uri_build (G_URI_FLAGS_NONE, lower_scheme, NULL, host, g_uri_get_port (uri),
                        clean_path, NULL, NULL);
    self->base_url = g_uri_to_string (base);
  }
  self->host = g_strdup (host);
  self->token = g_strdup (token);
  /* Nothing proxies loopback, and asking the system's proxy resolver costs the
   * first request tens of milliseconds. */
  if (host_is_loopback (host))
    soup_session_set_proxy_resolver (self->session, NULL);

  return g_steal_pointer (&self);
}

const char *
fl_client_get_base_url (FlClient *self)
{
  g_return_val_if_fail (FL_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
fl_client_set_timeout (FlClient *self, guint seconds)
{
  g_return_if_fail (FL_IS_CLIENT (self));

  soup_session_set_timeout (self->session, seconds);
}

guint
fl_client_get_timeout (FlClient *self)
{
  g_return_val_if_fail (FL_IS_CLIENT (self), 0);

  return soup_session_get_timeout (self->session);
}

/* Turns a transport failure into words a worker can act on. */
static GError *
transport_error (FlClient *self, GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_TIMEOUT,
                        _ ("%s did not answer in time. The server may be busy or the network "
                           "slow; your work is kept and will be sent later."),
                        self->host);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_TLS,
                        _ ("The secure connection to %s failed: %s"), self->host, error->message);
  return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNREACHABLE,
                      _ ("Cannot reach %s: %s. Check the network and the server address."),
                      self->host, error->message);
}

static GError *
bad_response (FlClient *self, const char *why)
{
  return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_BAD_RESPONSE,
                      _ ("%s sent an answer Fairlabel does not understand (%s). It may not be a "
                         "Fairlabel server, or it may run an incompatible version."),
                      self->host, why);
}

static GError *
status_error (FlClient *self, guint status, GBytes *body)
{
  g_autofree char *server_code = NULL;
  g_autofree char *server_message = NULL;
  g_autofree char *said = NULL;

  if (body != NULL && g_bytes_get_size (body) > 0 &&
      g_bytes_get_size (body) < FL_CLIENT_MAX_JSON_BYTES)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (body, &size);

      if (json_parser_load_from_data (parser, data, (gssize) size, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *root = json_node_get_object (json_parser_get_root (parser));
          JsonNode *err = json_object_get_member (root, "error");

          if (err != NULL && JSON_NODE_HOLDS_OBJECT (err))
            {
              JsonObject *e = json_node_get_object (err);
              JsonNode *code = json_object_get_member (e, "code");
              JsonNode *message = json_object_get_member (e, "message");

              if (code != NULL && json_node_get_value_type (code) == G_TYPE_STRING)
                server_code = g_strdup (json_node_get_string (code));
              if (message != NULL && json_node_get_value_type (message) == G_TYPE_STRING)
                server_message = g_strdup (json_node_get_string (message));
            }
        }
    }

  if (server_message != NULL)
    said = g_strdup_printf (_ (" The server said: %s"), server_message);
  else
    said = g_strdup ("");

  if (status == SOUP_STATUS_UNAUTHORIZED)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED,
                        _ ("%s did not accept your access token; it may have been revoked. "
                           "Enter a new token to continue. Your drafts are kept."),
                        self->host);
  if (status == SOUP_STATUS_GONE ||
      (server_code != NULL && strstr (server_code, "expired") != NULL))
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_EXPIRED,
                        _ ("The time reserved for this task ran out, and the task went back to "
                           "the pool. Your draft is kept.%s"),
                        said);
  if (g_strcmp0 (server_code, "already_submitted") == 0)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_ALREADY_SUBMITTED,
                        _ ("This task was submitted already.%s"), said);
  if (g_strcmp0 (server_code, "no_tasks") == 0)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_NO_TASKS,
                        _ ("This project has no tasks left for you. Pick another offer."));
  if (status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_FORBIDDEN,
                        _ ("Your account may not do this.%s"), said);
  if (status == SOUP_STATUS_NOT_FOUND)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_NOT_FOUND,
                        _ ("The server does not know this item.%s"), said);
  if (status == SOUP_STATUS_CONFLICT)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_CONFLICT,
                        _ ("This is no longer possible; someone or something changed it "
                           "first.%s"),
                        said);
  if (status >= 500)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_SERVER,
                        _ ("%s has a problem (HTTP %u). Try again in a while; your work is "
                           "kept.%s"),
                        self->host, status, said);
  if (status >= 400)
    return g_error_new (FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_REQUEST,
                        _ ("%s refused the request (HTTP %u).%s"), self->host, status, said);
  return bad_response (self, "unexpected HTTP status");
}

static void
on_send_and_read (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  FlClient *self = data->client;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *root;
  guint status;
  const char *content;
  gsize size;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, transport_error (self, error));
      return;
    }

  status = soup_message_get_status (data->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (self, status, body));
      return;
    }

  content = g_bytes_get_data (body, &size);
  if (size == 0)
    {
      g_task_return_error (task, bad_response (self, "empty body"));
      return;
    }
  if (size > FL_CLIENT_MAX_JSON_BYTES)
    {
      g_task_return_error (task, bad_response (self, "answer too large"));
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, content, (gssize) size, &error))
    {
      g_task_return_error (task, bad_response (self, "not JSON"));
      return;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, bad_response (self, "not a JSON object"));
      return;
    }
  if (data->parse != NULL)
    {
      gpointer parsed = data->parse (root, &error);

      if (parsed == NULL)
        {
          g_task_return_error (task, bad_response (self, error != NULL ? error->message : "?"));
          return;
        }
      g_task_return_pointer (task, parsed, data->free_result);
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_node_get_object (root)),
                         (GDestroyNotify) json_object_unref);
}

static void
fl_client_request (FlClient *self, const char *method, const char *path, JsonNode *body,
                   const char *idempotency_key, FlClientParse parse, GDestroyNotify free_result,
                   gpointer source_tag, GCancellable *cancellable, GAsyncReadyCallback callback,
                   gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *url = NULL;
  RequestData *data;
  SoupMessageHeaders *headers;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  url = g_strconcat (self->base_url, path, NULL);
  data = g_new0 (RequestData, 1);
  data->client = g_object_ref (self);
  data->parse = parse;
  data->free_result = free_result;
  data->message = soup_message_new (method, url);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);
  if (data->message == NULL)
    {
      g_task_return_new_error (task, FL_CLIENT_ERROR, FL_CLIENT_ERROR_INVALID_URL,
                               _ ("Cannot build a request for %s."), url);
      return;
    }

  headers = soup_message_get_request_headers (data->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL && *self->token != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (idempotency_key != NULL)
    {
      soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
      /* A repeat is harmless, so a kept-alive connection may carry it. */
      soup_message_add_flags (data->message, SOUP_MESSAGE_IDEMPOTENT);
    }

  if (body != NULL)
    {
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (GBytes) bytes = NULL;
      gsize length;
      char *text;

      json_generator_set_root (generator, body);
      text = json_generator_to_data (generator, &length);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (data->message, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT, cancellable,
                                    on_send_and_read, g_steal_pointer (&task));
}

static gpointer
fl_client_request_finish (FlClient *self, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (FL_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
fl_client_get_info_async (FlClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  g_return_if_fail (FL_IS_CLIENT (self));

  fl_client_request (self, "GET", "/api/v1/info", NULL, NULL,
                     (FlClientParse) fl_server_info_from_json, (GDestroyNotify) fl_server_info_free,
                     fl_client_get_info_async, cancellable, callback, user_data);
}

FlServerInfo *
fl_client_get_info_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_get_info_async, error);
}

void
fl_client_get_offers_async (FlClient *self, GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_return_if_fail (FL_IS_CLIENT (self));

  fl_client_request (self, "GET", "/api/v1/offers", NULL, NULL, (FlClientParse) fl_offers_from_json,
                     (GDestroyNotify) g_ptr_array_unref, fl_client_get_offers_async, cancellable,
                     callback, user_data);
}

GPtrArray *
fl_client_get_offers_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_get_offers_async, error);
}

void
fl_client_accept_async (FlClient *self, gint64 project_id, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (FL_IS_CLIENT (self));

  path = g_strdup_printf ("/api/v1/projects/%" G_GINT64_FORMAT "/accept", project_id);
  fl_client_request (self, "POST", path, NULL, NULL, (FlClientParse) fl_assignment_from_json,
                     (GDestroyNotify) fl_assignment_free, fl_client_accept_async, cancellable,
                     callback, user_data);
}

FlAssignment *
fl_client_accept_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_accept_async, error);
}

static JsonNode *
active_seconds_body (gint64 active_seconds, JsonNode *result_json)
{
  g_autoptr (JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "active_seconds");
  json_builder_add_int_value (builder, MAX (active_seconds, 0));
  if (result_json != NULL)
    {
      json_builder_set_member_name (builder, "result");
      json_builder_add_value (builder, json_node_copy (result_json));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
fl_client_heartbeat_async (FlClient *self, gint64 assignment_id, gint64 active_seconds,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (FL_IS_CLIENT (self));

  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/heartbeat", assignment_id);
  body = active_seconds_body (active_seconds, NULL);
  fl_client_request (self, "POST", path, body, NULL, NULL, NULL, fl_client_heartbeat_async,
                     cancellable, callback, user_data);
}

JsonObject *
fl_client_heartbeat_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_heartbeat_async, error);
}

void
fl_client_submit_async (FlClient *self, gint64 assignment_id, JsonNode *result_json,
                        gint64 active_seconds, const char *idempotency_key,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (FL_IS_CLIENT (self));
  g_return_if_fail (result_json != NULL);
  g_return_if_fail (idempotency_key != NULL);

  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", assignment_id);
  body = active_seconds_body (active_seconds, result_json);
  fl_client_request (self, "POST", path, body, idempotency_key, NULL, NULL, fl_client_submit_async,
                     cancellable, callback, user_data);
}

JsonObject *
fl_client_submit_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_submit_async, error);
}

void
fl_client_return_async (FlClient *self, gint64 assignment_id, gint64 active_seconds,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) body = NULL;

  g_return_if_fail (FL_IS_CLIENT (self));

  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/return", assignment_id);
  body = active_seconds_body (active_seconds, NULL);
  fl_client_request (self, "POST", path, body, NULL, NULL, NULL, fl_client_return_async,
                     cancellable, callback, user_data);
}

JsonObject *
fl_client_return_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_return_async, error);
}

void
fl_client_get_earnings_async (FlClient *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (FL_IS_CLIENT (self));

  fl_client_request (self, "GET", "/api/v1/me/earnings", NULL, NULL,
                     (FlClientParse) fl_earnings_from_json, (GDestroyNotify) fl_earnings_free,
                     fl_client_get_earnings_async, cancellable, callback, user_data);
}

FlEarnings *
fl_client_get_earnings_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  return fl_client_request_finish (self, result, fl_client_get_earnings_async, error);
}

/* Assets: streamed to a temporary file next to the cache, hashed in a worker
 * thread, and only then renamed to their hash. */

typedef struct
{
  FlClient *client;
  SoupMessage *message;
  char *sha256;
  GFile *dir;
  GFile *target;
  GFile *partial;
} AssetData;

static void
asset_data_free (AssetData *data)
{
  if (data->partial != NULL)
    g_file_delete (data->partial, NULL, NULL);
  g_clear_object (&data->client);
  g_clear_object (&data->message);
  g_free (data->sha256);
  g_clear_object (&data->dir);
  g_clear_object (&data->target);
  g_clear_object (&data->partial);
  g_free (data);
}

static void
verify_asset_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  AssetData *data = task_data;
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) error = NULL;
  guint8 buf[64 * 1024];
  gssize n;

  in = g_file_read (data->partial, cancellable, &error);
  if (in == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while ((n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, cancellable, &error)) > 0)
    g_checksum_update (checksum, buf, (gsize) n);
  if (n < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_input_stream_close (G_INPUT_STREAM (in), NULL, NULL);

  if (g_ascii_strcasecmp (g_checksum_get_string (checksum), data->sha256) != 0)
    {
      g_file_delete (data->partial, NULL, NULL);
      g_clear_object (&data->partial);
      g_task_return_new_error (task, FL_CLIENT_ERROR, FL_CLIENT_ERROR_CHECKSUM_MISMATCH,
                               _ ("A file of this task arrived damaged (its checksum does not "
                                  "match), so it was thrown away. Try again, or return the "
                                  "task."));
      return;
    }

  if (!g_file_move (data->partial, data->target, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL,
                    &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_object (&data->partial);
  g_task_return_pointer (task, g_object_ref (data->target), g_object_unref);
}

static void
on_asset_spliced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error) < 0)
    {
      AssetData *data = g_task_get_task_data (task);

      if (error->domain == G_IO_ERROR && error->code != G_IO_ERROR_CANCELLED &&
          error->code != G_IO_ERROR_NO_SPACE)
        g_task_return_error (task, transport_error (data->client, error));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, verify_asset_thread);
}

static void
on_asset_created (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AssetData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileOutputStream) out = NULL;
  GInputStream *in = g_object_get_data (G_OBJECT (task), "body");
  GCancellable *cancellable;

  out = g_file_create_finish (G_FILE (source), result, &error);
  if (out == NULL)
    {
      g_clear_object (&data->partial);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  cancellable = g_task_get_cancellable (task);
  g_output_stream_splice_async (
    G_OUTPUT_STREAM (out), in,
    G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
    cancellable, on_asset_spliced, g_steal_pointer (&task));
}

static void
on_asset_sent (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  AssetData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = NULL;
  GCancellable *cancellable;
  guint status;

  in = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (in == NULL)
    {
      g_task_return_error (task, transport_error (data->client, error));
      return;
    }

  status = soup_message_get_status (data->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, status_error (data->client, status, NULL));
      return;
    }

  {
    g_autofree char *uuid = g_uuid_string_random ();
    g_autofree char *name = g_strdup_printf (".%s.%s.part", data->sha256, uuid);

    /* A unique temporary name: two downloads of one asset must not share a file. */
    data->partial = g_file_get_child (data->dir, name);
  }
  g_object_set_data_full (G_OBJECT (task), "body", g_steal_pointer (&in), g_object_unref);
  cancellable = g_task_get_cancellable (task);
  g_file_create_async (data->partial, G_FILE_CREATE_PRIVATE, G_PRIORITY_DEFAULT, cancellable,
                       on_asset_created, g_steal_pointer (&task));
}

void
fl_client_fetch_asset_async (FlClient *self, const char *sha256, GFile *cache_dir,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *url = NULL;
  g_autofree char *lower = NULL;
  AssetData *data;

  g_return_if_fail (FL_IS_CLIENT (self));
  g_return_if_fail (G_IS_FILE (cache_dir));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_client_fetch_asset_async);

  if (sha256 == NULL || !fl_sha256_is_valid_hex (sha256))
    {
      g_task_return_error (task, bad_response (self, "asset name is not a SHA-256"));
      return;
    }

  lower = g_ascii_strdown (sha256, -1);
  data = g_new0 (AssetData, 1);
  data->client = g_object_ref (self);
  data->sha256 = g_strdup (lower);
  data->dir = g_object_ref (cache_dir);
  data->target = g_file_get_child (cache_dir, lower);
  g_task_set_task_data (task, data, (GDestroyNotify) asset_data_free);

  url = g_strconcat (self->base_url, "/api/v1/assets/", lower, NULL);
  data->message = soup_message_new ("GET", url);
  if (self->token != NULL && *self->token != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (data->message),
                                    "Authorization", auth);
    }
  soup_session_send_async (self->session, data->message, G_PRIORITY_DEFAULT, cancellable,
                           on_asset_sent, g_steal_pointer (&task));
}

GFile *
fl_client_fetch_asset_finish (FlClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
