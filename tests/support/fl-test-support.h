/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs the main loop until @condition holds or @timeout_ms pass; answers @condition. */
gboolean fl_test_wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms);
/* Lets the main loop run for @ms, so widgets and sources get to work. */
void fl_test_sleep_in_loop (guint ms);
/* Deletes @dir and everything below it, without following symbolic links. */
void fl_test_remove_tree (const char *dir);
/* The path of @name in <builddir>/meson-logs (created), where screenshots go. */
char *fl_test_log_path (const char *name);

/* A launcher whose children are killed (SIGKILL) when the test process dies, so that a
 * test failing half-way leaves no server or app behind. */
GSubprocessLauncher *fl_test_launcher_new (GSubprocessFlags flags);
/* Reads what a starting fairlabel-server prints ("listening: URL", "worker-token: T",
 * "admin-token: T") until *@url is known and, with @want_tokens, both tokens too. Replaces
 * *@url; a token not printed keeps its value. Token pointers may be NULL to ignore them. */
void fl_test_read_server_banner (GDataInputStream *lines, gboolean want_tokens, char **url,
                                 char **worker_token, char **admin_token);

/* A loopback URL on which nothing listens. */
char *fl_test_dup_closed_url (void);
/* Whether any file under @dir contains @needle. */
gboolean fl_test_tree_contains (const char *dir, const char *needle);

/* A session of its own for an in-process GUI test: a private D-Bus session bus with no
 * services (so no keyring unless one is started), and HOME and the XDG folders in a
 * temporary folder. Call before anything uses GTK or D-Bus. */
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

G_END_DECLS
