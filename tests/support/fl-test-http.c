/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <string.h>

#include "fl-test-http.h"

JsonNode *
fl_test_http_request (SoupSession *session, const char *method, const char *url, const char *token,
                      const char *content_type, GBytes *body, const char *idempotency_key,
                      guint *status)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  gsize size;
  const char *data;

  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  if (status != NULL)
    *status = soup_message_get_status (msg);
  data = g_bytes_get_data (answer, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

SoupSession *
fl_test_server_session (FlTestServer *server)
{
  /* Load tests run many clients at once. */
  if (server->session == NULL)
    server->session = G_OBJECT (soup_session_new_with_options (
      "max-conns", 200, "max-conns-per-host", 200, "timeout", 60, NULL));
  return SOUP_SESSION (server->session);
}

JsonNode *
fl_test_call (FlTestServer *server, const char *method, const char *path, const char *token,
              const char *body, const char *idempotency_key, guint *status)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return fl_test_http_request (fl_test_server_session (server), method, url, token,
                               "application/json", bytes, idempotency_key, status);
}
