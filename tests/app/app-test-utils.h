/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-application.h"

G_BEGIN_DECLS

typedef gboolean (*FlTestPredicate) (gpointer data);

/* Runs the main loop until @predicate holds; FALSE after @timeout_ms. */
gboolean fl_test_wait_until (FlTestPredicate predicate, gpointer data, guint timeout_ms);
void fl_test_wait_ms (guint ms);

/* The first widget under @root of @type whose "title" (rows, pages) or
 * "label" (buttons, labels) is @text; any such widget when @text is NULL. */
GtkWidget *fl_test_find_widget (GtkWidget *root, GType type, const char *text);

/* A mapped toplevel window of @type, or NULL. */
GtkWindow *fl_test_find_toplevel (GType type);

/* Saves what @widget shows to <builddir>/meson-logs/NAME.png; returns the path. */
char *fl_test_save_screenshot (GtkWidget *widget, const char *name);

/* A loopback URL on which nothing listens. */
char *fl_test_dup_closed_url (void);

typedef struct
{
  GSubprocess *process;
  char *data_dir;
  char *url;
  char *worker_token;
  char *admin_token;
  gpointer reader;
} FlTestServer;

/* A real fairlabel-server with demo content on a free loopback port. */
FlTestServer *fl_test_server_start (GError **error);
void fl_test_server_stop (FlTestServer *server);

/* Deletes a folder tree made by a test. */
void fl_test_rm_rf (const char *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTestServer, fl_test_server_stop)

G_END_DECLS

G_BEGIN_DECLS

/* A session of its own for an in-process GUI test: a private D-Bus session
 * bus with no services (so no keyring unless one is started), and HOME and
 * the XDG folders in a temporary folder. Call before anything uses GTK or
 * D-Bus. */
typedef struct
{
  GTestDBus *bus;
  char *home;
  GPid keyring_pid;
} FlTestSession;

FlTestSession *fl_test_session_new (void);
/* Starts gnome-keyring-daemon on the session's bus with an unlocked login keyring. */
void fl_test_session_start_keyring (FlTestSession *session);
void fl_test_session_free (FlTestSession *session);

/* Whether any file under @dir contains @needle. */
gboolean fl_test_tree_contains (const char *dir, const char *needle);

/* An application like main() makes, never handed to another instance. */
FlApplication *fl_test_application_new (void);

G_END_DECLS
