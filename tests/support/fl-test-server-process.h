/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real fairlabel-server (FAIRLABEL_SERVER_BINARY) on loopback, for tests. */
typedef struct
{
  char *root;     /* temporary folder holding data/ and demo/, removed with the server */
  char *data_dir; /* the server's --data folder */
  char *demo_dir; /* a demo manifest of the test's own (FAIRLABEL_DEMO_DIR), when written */
  GSubprocess *process;
  char *url; /* without a final slash */
  char *worker_token;
  char *admin_token;
  guint16 port;     /* 0 until the first start; kept for restarts */
  GObject *session; /* a SoupSession, made by the HTTP helpers on first use */
} FlTestServer;

/* A server in a new temporary folder, not started yet. */
FlTestServer *fl_test_server_new (void);
/* Starts it on its port (a free one the first time); with @demo, seeded with demo content
 * (from demo_dir when a manifest is there) and its tokens read anew. */
void fl_test_server_launch (FlTestServer *server, gboolean demo);
/* fl_test_server_new () and fl_test_server_launch (server, TRUE). */
FlTestServer *fl_test_server_start (void);
/* Stops it with SIGTERM and asserts that it exits cleanly. */
void fl_test_server_stop (FlTestServer *server);
/* Stops it with SIGKILL, as a crash or a power cut would. */
void fl_test_server_kill (FlTestServer *server);
/* Stops it and starts it again on the same port and folder, keeping the tokens. */
void fl_test_server_restart (FlTestServer *server);
void fl_test_server_free (FlTestServer *server);

/* Runs `fairlabel-server --data DATA_DIR ARGS...` to completion; answers its standard output,
 * its standard error in @err (nullable), and 0 or 1 in @exit_status. */
char *fl_test_server_cli (FlTestServer *server, int *exit_status, char **err,
                          ...) G_GNUC_NULL_TERMINATED;
/* Adds a user with the command line; answers the token it prints. */
char *fl_test_server_add_user (FlTestServer *server, const char *name, const char *role);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTestServer, fl_test_server_free)

G_END_DECLS
