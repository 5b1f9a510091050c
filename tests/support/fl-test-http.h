/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fl-test-server-process.h"

G_BEGIN_DECLS

/* One blocking request to @url. @token (nullable) goes in as a bearer token, @body (nullable)
 * with @content_type, @idempotency_key (nullable) as the Idempotency-Key header. Answers the
 * JSON body (NULL when empty or not JSON) and the HTTP status in @status (nullable). */
JsonNode *fl_test_http_request (SoupSession *session, const char *method, const char *url,
                                const char *token, const char *content_type, GBytes *body,
                                const char *idempotency_key, guint *status);

/* The session for calls to @server, made on first use (and again after a stop). */
SoupSession *fl_test_server_session (FlTestServer *server);
/* One blocking JSON call to @path on @server; @token (nullable) as it is. Answers the parsed
 * JSON body (NULL when there is none) and the status in @status (nullable). */
JsonNode *fl_test_call (FlTestServer *server, const char *method, const char *path,
                        const char *token, const char *body, const char *idempotency_key,
                        guint *status);

G_END_DECLS
