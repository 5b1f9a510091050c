/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-test-http.h"
#include "fl-test-server-process.h"

G_BEGIN_DECLS

/* The server-side helpers on the shared test server (tests/support). */

/* Writes a demo manifest with one image project of @n_tasks tasks (tiny PNGs) to demo_dir,
 * which the next fl_test_server_launch (server, TRUE) seeds from; @project_extra is JSON
 * members merged into the project (such as "\"lease_seconds\":1"). */
void fl_test_server_write_demo (FlTestServer *server, guint n_tasks, const char *project_extra);

/* The code of a JSON error answer, NULL for any other answer. */
const char *fl_test_error_code (JsonNode *node);

G_END_DECLS
