/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-test-http.h"
#include "fl-test-server-process.h"

G_BEGIN_DECLS

/* Image projects for the worker tests, made through the admin API of the shared test server
 * (tests/support). */

/* Creates a project with @n_tasks image tasks (a small PNG each) and answers its id. */
gint64 fl_test_server_add_image_project (FlTestServer *server, const char *title,
                                         const char *reward, gint64 estimate_seconds,
                                         gint64 lease_seconds, guint n_tasks);

/* How many of @project's assignments the demo worker holds active; the id of the last one in
 * @last_id (nullable). */
guint fl_test_server_count_active (FlTestServer *server, gint64 project, gint64 *last_id);

G_END_DECLS
