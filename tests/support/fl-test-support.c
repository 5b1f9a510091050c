/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "fl-test-support.h"

static gboolean
on_timeout (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
fl_test_wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return condition (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
fl_test_sleep_in_loop (guint ms)
{
  fl_test_wait_until (never, NULL, ms);
}

void
fl_test_remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        fl_test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

char *
fl_test_log_path (const char *name)
{
  const char *build_dir = g_getenv ("FAIRLABEL_BUILD_DIR");
  g_autofree char *dir = NULL;

  g_assert_nonnull (build_dir);
  dir = g_build_filename (build_dir, "meson-logs", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocessLauncher *
fl_test_launcher_new (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  return launcher;
}

/* Stores the rest of @line in *@out when it starts with @prefix. */
static gboolean
take_value (const char *line, const char *prefix, char **out)
{
  if (out == NULL || !g_str_has_prefix (line, prefix))
    return FALSE;
  g_free (*out);
  *out = g_strdup (line + strlen (prefix));
  return TRUE;
}

void
fl_test_read_server_banner (GDataInputStream *lines, gboolean want_tokens, char **url,
                            char **worker_token, char **admin_token)
{
  g_return_if_fail (url != NULL);
  g_return_if_fail (!want_tokens || (worker_token != NULL && admin_token != NULL));

  g_clear_pointer (url, g_free);
  while (*url == NULL || (want_tokens && (*worker_token == NULL || *admin_token == NULL)))
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      if (!take_value (line, "listening: ", url) &&
          !take_value (line, "worker-token: ", worker_token))
        take_value (line, "admin-token: ", admin_token);
    }
}
