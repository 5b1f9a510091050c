/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The real fairlabel-server (FAIRLABEL_SERVER_BINARY) on loopback, for tests. */
typedef struct
{
  GSubprocess *process;
  char *data_dir;
  char *url;
  char *worker_token;
  char *admin_token;
  guint16 port;
  gboolean owns_dir;
  GObject *session; /* one SoupSession for all requests: fewer connections */
} FlTestServer;

/* Starts a demo server on a free port in a new temporary folder. */
FlTestServer *fl_test_server_start (void);
/* Stops it (SIGTERM) and starts it again on the same port and folder, keeping
 * the tokens. */
void fl_test_server_stop (FlTestServer *server);
void fl_test_server_restart (FlTestServer *server);
void fl_test_server_free (FlTestServer *server);

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTestServer, fl_test_server_free)

G_END_DECLS
