/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real fairlabel-server (FAIRLABEL_SERVER_BINARY) on loopback, for tests. */
typedef struct
{
  GSubprocess *process;
  char *data_dir;
  char *url; /* without a final slash */
  char *worker_token;
  char *admin_token;
  guint16 port;
  gboolean owns_dir;
  GObject *session; /* one SoupSession for all requests: fewer connections */
} FlTestServer;

/* Starts a demo server on a free port in a new temporary folder. */
FlTestServer *fl_test_server_start (void);
/* Stops it (SIGTERM) and waits for it to exit. */
void fl_test_server_stop (FlTestServer *server);
/* Stops it and starts it again on the same port and folder, keeping the tokens. */
void fl_test_server_restart (FlTestServer *server);
void fl_test_server_free (FlTestServer *server);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTestServer, fl_test_server_free)

G_END_DECLS
