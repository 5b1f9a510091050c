/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-test-server-process.h"

G_BEGIN_DECLS

/* The worker-side calls on the shared test server (tests/support). */

/* A blocking request; @token NULL for the admin token. Answers the JSON body
 * (whatever the status) and the status in @status. */
JsonNode *fl_test_server_request (FlTestServer *server, const char *method, const char *path,
                                  const char *token, const char *body, guint *status);

/* Creates a project with @n_tasks image tasks (a small PNG each) and answers its id. */
gint64 fl_test_server_add_image_project (FlTestServer *server, const char *title,
                                         const char *reward, gint64 estimate_seconds,
                                         gint64 lease_seconds, guint n_tasks);

/* Runs `fairlabel-server ARGS... --data DIR` to completion. */
void fl_test_server_run_command (FlTestServer *server, const char *const *args);

G_END_DECLS
