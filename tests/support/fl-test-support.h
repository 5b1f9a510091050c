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

G_END_DECLS
