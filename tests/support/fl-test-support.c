/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fl-test-support.h"

static gboolean
on_timeout (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_again (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
fl_test_wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &expired);
  /* Wakes the loop now and then for conditions that no event announces. */
  guint poll_id = g_timeout_add (20, poll_again, NULL);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (poll_id);
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

char *
fl_test_dup_closed_url (void)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GError) error = NULL;
  guint16 port;

  /* Bound then released: the kernel will not hand this port out again at once. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

gboolean
fl_test_tree_contains (const char *dir, const char *needle)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return FALSE;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (fl_test_tree_contains (path, needle))
            return TRUE;
        }
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, length, needle) != NULL)
        {
          g_test_message ("%s contains the needle", path);
          return TRUE;
        }
    }
  return FALSE;
}

FlTestSession *
fl_test_session_new (void)
{
  FlTestSession *session = g_new0 (FlTestSession, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *display = NULL;
  const char *subdirs[][2] = {
    { "XDG_DATA_HOME", "data" },   { "XDG_CONFIG_HOME", "config" },  { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" }, { "XDG_RUNTIME_DIR", "runtime" },
  };

  session->home = g_dir_make_tmp ("fairlabel-test-home-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("HOME", session->home, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *dir = g_build_filename (session->home, subdirs[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (subdirs[i][0], dir, TRUE);
    }
  /* The accessibility bus lives on the real session bus, not on ours. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  /* g_test_dbus_up() unsets DISPLAY so that nothing autolaunches a bus on
   * X11; the windows still need it. */
  display = g_strdup (g_getenv ("DISPLAY"));
  session->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (session->bus);
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  return session;
}

static gboolean
secrets_service_up (gpointer data)
{
  GDBusConnection *bus = data;
  g_autoptr (GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

void
fl_test_session_start_keyring (FlTestSession *session)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDBusConnection) bus = NULL;
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets",
                         NULL };
  int stdin_fd;

  g_spawn_async_with_pipes (
    NULL, (char **) argv, NULL,
    G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, die_with_parent,
    NULL, &session->keyring_pid, &stdin_fd, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The password of the new login keyring; it stays unlocked. */
  g_assert_cmpint (write (stdin_fd, "fairlabel-test", 14), ==, 14);
  close (stdin_fd);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_test_wait_until (secrets_service_up, bus, 20000));
}

void
fl_test_session_free (FlTestSession *session)
{
  if (session->keyring_pid != 0)
    {
      kill (session->keyring_pid, SIGTERM);
      waitpid (session->keyring_pid, NULL, 0);
      g_spawn_close_pid (session->keyring_pid);
    }
  /* Only stopped: down(), also run by the last unref, would wait for the
   * connection GTK keeps to the end of the process. */
  g_test_dbus_stop (session->bus);
  fl_test_remove_tree (session->home);
  g_free (session->home);
  g_free (session);
}
