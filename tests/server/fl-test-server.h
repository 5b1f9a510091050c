/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A real fairlabel-server on 127.0.0.1 port 0 with a throwaway data folder. */
typedef struct
{
  char *root; /* temp folder holding data/ and demo/ */
  char *data_dir;
  char *demo_dir;
  GSubprocess *process;
  char *url;
  char *worker_token;
  char *admin_token;
  SoupSession *session;
} FlTestServer;

/* Writes a demo manifest with one image project of @n_tasks tasks (tiny PNGs);
 * @project_extra is JSON members merged into the project (such as "\"lease_seconds\":1"). */
void fl_test_server_write_demo (FlTestServer *server, guint n_tasks, const char *project_extra);
FlTestServer *fl_test_server_new (void);
void fl_test_server_start (FlTestServer *server, gboolean demo);
/* Stops with SIGTERM (clean) or SIGKILL; asserts a clean exit for SIGTERM. */
void fl_test_server_stop (FlTestServer *server, gboolean kill);
void fl_test_server_free (FlTestServer *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTestServer, fl_test_server_free)

/* Runs the binary's command line on the same data folder; returns stdout, sets @status. */
char *fl_test_server_cli (FlTestServer *server, int *exit_status, char **err,
                          ...) G_GNUC_NULL_TERMINATED;
char *fl_test_server_add_user (FlTestServer *server, const char *name, const char *role);

/* One HTTP call; returns the parsed JSON body (or NULL when there is none). */
JsonNode *fl_test_call (FlTestServer *server, const char *method, const char *path,
                        const char *token, const char *body, const char *idempotency_key,
                        guint *status);
const char *fl_test_error_code (JsonNode *node);

G_END_DECLS
