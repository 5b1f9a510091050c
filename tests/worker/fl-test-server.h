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

G_END_DECLS
