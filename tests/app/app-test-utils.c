/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTest"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app-test-utils.h"
#include "fl-application.h"

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
poll_again (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
fl_test_wait_until (FlTestPredicate predicate, gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);
  /* Wakes the loop now and then for predicates that no event announces. */
  guint poll_id = g_timeout_add (20, poll_again, NULL);
  gboolean ok;

  while (!(ok = predicate (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (poll_id);
  if (!timed_out)
    g_source_remove (id);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
fl_test_wait_ms (guint ms)
{
  fl_test_wait_until (never, NULL, ms);
}

static gboolean
widget_has_text (GtkWidget *widget, const char *text)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (widget);
  const char *props[] = { "title", "label" };

  if (text == NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (props); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, props[i]);
      g_autofree char *value = NULL;

      if (pspec == NULL || pspec->value_type != G_TYPE_STRING)
        continue;
      g_object_get (widget, props[i], &value, NULL);
      if (g_strcmp0 (value, text) == 0)
        return TRUE;
    }
  return FALSE;
}

GtkWidget *
fl_test_find_widget (GtkWidget *root, GType type, const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && widget_has_text (root, text))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fl_test_find_widget (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWindow *
fl_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

char *
fl_test_save_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  char *path;
  GskRenderer *renderer;
  int width = 0;
  int height = 0;

  /* On a busy machine the window may not have drawn its first frame yet. */
  paintable = gtk_widget_paintable_new (widget);
  for (int attempt = 0; attempt < 100 && node == NULL; attempt++)
    {
      if (attempt > 0)
        fl_test_wait_ms (100);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (!gtk_widget_get_mapped (widget) || width <= 0 || height <= 0)
        continue;
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));

  dir = g_build_filename (
    g_getenv ("FAIRLABEL_BUILD_DIR") != NULL ? g_getenv ("FAIRLABEL_BUILD_DIR") : BUILD_DIR,
    "meson-logs", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
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

/* Reads the server's stdout for the whole run, so it never blocks on (or
 * dies writing to) a pipe nobody reads; the first lines carry the address
 * and the tokens. Freed by the last callback, once the pipe closes. */
typedef struct
{
  GDataInputStream *stream;
  FlTestServer *server;
  GError *error;
  gboolean done;
} ReadState;

static gboolean
server_ready (gpointer data)
{
  ReadState *state = data;

  return state->done;
}

static void read_line_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
read_next_line (ReadState *state)
{
  g_data_input_stream_read_line_async (state->stream, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       state);
}

static void
read_line_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  ReadState *state = user_data;
  g_autofree char *line = NULL;
  g_autoptr (GError) error = NULL;
  FlTestServer *server = state->server;

  line =
    g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &error);
  if (line == NULL)
    {
      if (server != NULL && !state->done)
        {
          state->error = error != NULL ? g_steal_pointer (&error)
                                       : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                              "fairlabel-server exited before "
                                                              "it was ready");
          state->done = TRUE;
          return;
        }
      if (server != NULL)
        server->reader = NULL;
      g_clear_object (&state->stream);
      g_clear_error (&state->error);
      g_free (state);
      return;
    }
  if (server != NULL && !state->done)
    {
      if (g_str_has_prefix (line, "listening: "))
        server->url = g_strdup (line + strlen ("listening: "));
      else if (g_str_has_prefix (line, "worker-token: "))
        server->worker_token = g_strdup (line + strlen ("worker-token: "));
      else if (g_str_has_prefix (line, "admin-token: "))
        server->admin_token = g_strdup (line + strlen ("admin-token: "));
      state->done =
        server->url != NULL && server->worker_token != NULL && server->admin_token != NULL;
    }
  read_next_line (state);
}

/* A test that crashes must not leave its server holding the test log's pipes. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

FlTestServer *
fl_test_server_start (GError **error)
{
  g_autoptr (FlTestServer) server = g_new0 (FlTestServer, 1);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autofree char *data = NULL;
  const char *binary = g_getenv ("FAIRLABEL_SERVER_BINARY");
  ReadState *state;

  g_assert_nonnull (binary);
  server->data_dir = g_dir_make_tmp ("fairlabel-test-server-XXXXXX", error);
  if (server->data_dir == NULL)
    return NULL;
  data = g_build_filename (server->data_dir, "data", NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, error, binary, "--listen", "127.0.0.1:0",
                                                 "--data", data, "--demo", NULL);
  if (server->process == NULL)
    return NULL;

  state = g_new0 (ReadState, 1);
  state->stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  state->server = server;
  server->reader = state;
  read_next_line (state);
  if (!fl_test_wait_until (server_ready, state, 60000))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "fairlabel-server did not print its address and tokens in time");
      return NULL;
    }
  if (state->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&state->error));
      return NULL;
    }
  return g_steal_pointer (&server);
}

void
fl_test_server_stop (FlTestServer *server)
{
  if (server == NULL)
    return;
  if (server->reader != NULL)
    {
      ReadState *state = server->reader;

      /* Done, so an end of the pipe from here on frees the reader. */
      state->server = NULL;
      state->done = TRUE;
    }
  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      g_subprocess_wait (server->process, NULL, NULL);
      g_clear_object (&server->process);
    }
  if (server->data_dir != NULL)
    fl_test_rm_rf (server->data_dir);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->worker_token);
  g_free (server->admin_token);
  g_free (server);
}

void
fl_test_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          fl_test_rm_rf (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
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

  reply = g_dbus_connection_call_sync (
    bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
    g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    {
      gboolean has_owner;

      g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
    }
  return FALSE;
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
  fl_test_rm_rf (session->home);
  g_free (session->home);
  g_free (session);
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
          g_test_message ("%s contains the token", path);
          return TRUE;
        }
    }
  return FALSE;
}

FlApplication *
fl_test_application_new (void)
{
  FlApplication *app = fl_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  return app;
}
