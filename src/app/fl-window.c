/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-backdrop.h"
#include "fl-credentials.h"
#include "fl-first-run-page.h"
#include "fl-window.h"
#include "fl-workspace.h"

struct _FlWindow
{
  AdwApplicationWindow parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  AdwWindowTitle *window_title;
  AdwBin *header_end_slot;
  GtkStack *stack;
  AdwStatusPage *connecting_page;
  GtkSpinner *connecting_spinner;
  FlFirstRunPage *first_run_page;
  AdwBin *connected_bin;
  AdwStatusPage *connected_status;

  GSettings *settings;
  FlClient *client;
  FlServerInfo *server_info;
  GCancellable *connect_cancellable;
};

G_DEFINE_FINAL_TYPE (FlWindow, fl_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  /* Put the token in the keyring once the server has accepted it. */
  CONNECT_REMEMBER = 1 << 0,
  /* Started from the command line: failures also go to stderr, and the
   * saved server address is left alone. */
  CONNECT_FROM_COMMAND_LINE = 1 << 1,
  /* Started by the first-run page: it shows progress and failures itself. */
  CONNECT_FROM_FIRST_RUN = 1 << 2,
} ConnectFlags;

typedef struct
{
  FlWindow *window;
  GCancellable *cancellable;
  FlClient *client;
  char *url;
  char *token;
  ConnectFlags flags;
  FlServerInfo *info;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->client);
  g_clear_pointer (&data->url, g_free);
  g_clear_pointer (&data->token, g_free);
  g_clear_pointer (&data->info, fl_server_info_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectData, connect_data_free)

static void
fl_window_show_page (FlWindow *self, const char *name)
{
  gtk_spinner_set_spinning (self->connecting_spinner, g_str_equal (name, "connecting"));
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out",
                                 g_str_equal (name, "connected") && self->client != NULL);
}

/* FlClient's messages already say what to do; only a rejected token reads
 * differently here, where the token was just typed in. */
static char *
fl_window_describe_connect_error (const char *url, const GError *error)
{
  if (g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_FORBIDDEN))
    return g_strdup_printf (_ ("The server at %s rejected the access token. Check that it "
                               "was copied whole, or ask for a new one."),
                            url);
  return g_strdup (error->message);
}

static void
fl_window_connect_failed (ConnectData *data, const char *message, gboolean offer_unsaved)
{
  FlWindow *self = data->window;

  if ((data->flags & CONNECT_FROM_COMMAND_LINE) && message != NULL)
    g_printerr ("fairlabel: %s\n", message);

  fl_first_run_page_set_busy (self->first_run_page, FALSE);
  fl_first_run_page_set_server_url (self->first_run_page, data->url);
  if (!(data->flags & CONNECT_FROM_FIRST_RUN))
    fl_first_run_page_clear_token (self->first_run_page);
  fl_first_run_page_set_error (self->first_run_page, message);
  fl_first_run_page_set_offer_unsaved (self->first_run_page, offer_unsaved);
  fl_window_set_header_widgets (self, NULL, NULL);
  fl_window_show_page (self, "first-run");
}

static void
fl_window_connect_succeeded (ConnectData *data)
{
  FlWindow *self = data->window;

  g_set_object (&self->client, data->client);
  g_clear_pointer (&self->server_info, fl_server_info_free);
  self->server_info = g_steal_pointer (&data->info);

  if (!(data->flags & CONNECT_FROM_COMMAND_LINE))
    {
      g_autofree char *saved = g_settings_get_string (self->settings, "server-url");

      if (g_strcmp0 (saved, data->url) != 0)
        g_settings_set_string (self->settings, "server-url", data->url);
    }

  fl_first_run_page_set_busy (self->first_run_page, FALSE);
  fl_first_run_page_set_error (self->first_run_page, NULL);
  fl_first_run_page_set_offer_unsaved (self->first_run_page, FALSE);
  fl_first_run_page_clear_token (self->first_run_page);
  fl_window_show_connected (self, self->client);
}

static void
store_token_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ConnectData) data = user_data;
  g_autoptr (GError) error = NULL;

  if (!fl_credentials_store_token_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_cancellable_is_cancelled (data->cancellable))
        return;
      /* Translators: %s says why the keyring failed */
      message = g_strdup_printf (_ ("%s The token was not saved."), error->message);
      fl_window_connect_failed (data, message, TRUE);
      return;
    }
  fl_window_connect_succeeded (data);
}

static void
check_token_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ConnectData) data = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FlEarnings) earnings = NULL;

  earnings = fl_client_get_earnings_finish (FL_CLIENT (source), result, &error);
  if (earnings == NULL)
    {
      g_autofree char *message = NULL;

      if (g_cancellable_is_cancelled (data->cancellable))
        return;
      message = fl_window_describe_connect_error (data->url, error);
      fl_window_connect_failed (data, message, FALSE);
      return;
    }

  if (data->flags & CONNECT_REMEMBER)
    {
      ConnectData *pending = g_steal_pointer (&data);

      fl_credentials_store_token_async (pending->url, pending->token, pending->cancellable,
                                        store_token_cb, pending);
      return;
    }
  fl_window_connect_succeeded (data);
}

static void
get_info_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ConnectData) data = user_data;
  g_autoptr (GError) error = NULL;
  FlWindow *self = data->window;
  FlClient *client;

  data->info = fl_client_get_info_finish (FL_CLIENT (source), result, &error);
  if (data->info == NULL)
    {
      g_autofree char *message = NULL;

      if (g_cancellable_is_cancelled (data->cancellable))
        return;
      message = fl_window_describe_connect_error (data->url, error);
      fl_window_connect_failed (data, message, FALSE);
      return;
    }

  /* /info is public; the worker's own earnings are the cheapest call that
   * proves the server accepts the token. */
  client = data->client;
  fl_client_get_earnings_async (client, self->connect_cancellable, check_token_cb,
                                g_steal_pointer (&data));
}

static void
fl_window_connect (FlWindow *self, const char *url, const char *token, ConnectFlags flags)
{
  g_autoptr (ConnectData) data = g_new0 (ConnectData, 1);
  g_autoptr (GError) error = NULL;
  FlClient *client;

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  data->window = g_object_ref (self);
  data->cancellable = g_object_ref (self->connect_cancellable);
  data->url = g_strdup (url);
  data->token = g_strdup (token);
  data->flags = flags;

  if (flags & CONNECT_FROM_FIRST_RUN)
    fl_first_run_page_set_busy (self->first_run_page, TRUE);
  else
    {
      adw_status_page_set_description (self->connecting_page, url);
      fl_window_show_page (self, "connecting");
    }

  data->client = fl_client_new (
    url, token, g_settings_get_boolean (self->settings, "allow-insecure-http"), &error);
  if (data->client == NULL)
    {
      g_autofree char *message = fl_window_describe_connect_error (url, error);

      fl_window_connect_failed (data, message, FALSE);
      return;
    }
  /* The client's spelling (no trailing slash) keys the keyring and settings. */
  g_free (data->url);
  data->url = g_strdup (fl_client_get_base_url (data->client));
  client = data->client;
  fl_client_get_info_async (client, self->connect_cancellable, get_info_cb,
                            g_steal_pointer (&data));
}

static void
lookup_token_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (ConnectData) data = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *token = NULL;
  FlWindow *self = data->window;

  token = fl_credentials_lookup_token_finish (result, &error);
  /* Only our own cancellation is silent: a dismissed unlock prompt is a
   * failure to explain. */
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  if (token == NULL)
    {
      g_autofree char *message = NULL;

      /* No keyring, or nothing saved for this server: ask for the token. A
       * plain start says nothing more; a script that named the server hears why. */
      if (error != NULL)
        message = g_strdup (error->message);
      else if (data->flags & CONNECT_FROM_COMMAND_LINE)
        message = g_strdup_printf (_ ("No access token is saved for %s. Enter it in the window, "
                                      "or set FAIRLABEL_TOKEN."),
                                   data->url);
      fl_window_connect_failed (data, message, FALSE);
      return;
    }
  fl_window_connect (self, data->url, token, data->flags & CONNECT_FROM_COMMAND_LINE);
}

static void
fl_window_connect_with_saved_token (FlWindow *self, const char *url, ConnectFlags flags)
{
  ConnectData *data = g_new0 (ConnectData, 1);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  data->window = g_object_ref (self);
  data->cancellable = g_object_ref (self->connect_cancellable);
  data->url = g_strdup (url);
  data->flags = flags;
  adw_status_page_set_description (self->connecting_page, url);
  fl_window_show_page (self, "connecting");
  fl_credentials_lookup_token_async (url, self->connect_cancellable, lookup_token_cb, data);
}

static void
on_cancel_connecting (FlWindow *self)
{
  fl_window_show_first_run (self, NULL);
}

static void
on_first_run_connect (FlWindow *self, const char *url, const char *token, gboolean remember)
{
  fl_window_connect (self, url, token, CONNECT_FROM_FIRST_RUN | (remember ? CONNECT_REMEMBER : 0));
}

static void
on_server_url_changed (GSettings *settings, const char *key, FlWindow *self)
{
  g_autofree char *url = g_settings_get_string (settings, "server-url");

  /* Our own save after connecting changes nothing; another address (from
   * Preferences) needs that server's token. */
  if (self->client != NULL && g_strcmp0 (url, fl_client_get_base_url (self->client)) == 0)
    return;
  if (fl_first_run_page_get_busy (self->first_run_page))
    return;
  g_clear_object (&self->client);
  fl_window_set_header_widgets (self, NULL, NULL);
  if (*url == '\0')
    fl_window_show_first_run (self, NULL);
  else
    fl_window_connect_with_saved_token (self, url, 0);
}

static void
clear_token_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!fl_credentials_clear_token_finish (result, &error))
    {
      /* Translators: %s says why the keyring failed */
      g_autofree char *message =
        g_strdup_printf (_ ("The token could not be removed from the keyring: %s"), error->message);

      fl_window_add_toast (self, message);
    }
}

/* Forgets this server's token, for handing the computer to someone else or
 * switching accounts; drafts stay in the local store. */
static void
fl_window_sign_out (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->client == NULL)
    return;
  fl_credentials_clear_token_async (fl_client_get_base_url (self->client), NULL, clear_token_cb,
                                    g_object_ref (self));
  fl_window_show_first_run (self, NULL);
  adw_bin_set_child (self->connected_bin, GTK_WIDGET (self->connected_status));
}

static void
fl_window_save_size (FlWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

static gboolean
fl_window_close_request (GtkWindow *window)
{
  FlWindow *self = FL_WINDOW (window);

  GtkWidget *child = adw_bin_get_child (self->connected_bin);

  fl_window_save_size (self);
  g_cancellable_cancel (self->connect_cancellable);
  /* Before the window goes, while the workspace can still reach its server. */
  if (FL_IS_WORKSPACE (child))
    fl_workspace_leave (FL_WORKSPACE (child));

  return GTK_WINDOW_CLASS (fl_window_parent_class)->close_request (window);
}

static void
fl_window_constructed (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  G_OBJECT_CLASS (fl_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  g_signal_connect_object (self->settings, "changed::server-url",
                           G_CALLBACK (on_server_url_changed), self, 0);
}

static void
fl_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        self->settings = g_value_dup_object (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
      case PROP_SETTINGS:
        g_value_set_object (value, self->settings);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_dispose (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  g_clear_object (&self->client);
  g_clear_pointer (&self->server_info, fl_server_info_free);
  g_clear_object (&self->window_title);
  g_clear_object (&self->connected_status);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WINDOW);

  G_OBJECT_CLASS (fl_window_parent_class)->dispose (object);
}

static void
fl_window_finalize (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fl_window_parent_class)->finalize (object);
}

static void
fl_window_class_init (FlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fl_window_constructed;
  object_class->set_property = fl_window_set_property;
  object_class->get_property = fl_window_get_property;
  object_class->dispose = fl_window_dispose;
  object_class->finalize = fl_window_finalize;
  window_class->close_request = fl_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FL_TYPE_BACKDROP);
  g_type_ensure (FL_TYPE_FIRST_RUN_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, header_end_slot);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, connecting_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, connecting_spinner);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, first_run_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, connected_bin);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, connected_status);
  gtk_widget_class_bind_template_callback (widget_class, on_first_run_connect);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_connecting);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, fl_window_sign_out);
}

static void
fl_window_init (FlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Kept while other widgets stand in their places. */
  g_object_ref (self->window_title);
  g_object_ref (self->connected_status);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", FALSE);

  if (DEVELOPMENT)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}

FlWindow *
fl_window_new (FlApplication *application, GSettings *settings)
{
  g_return_val_if_fail (FL_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FL_TYPE_WINDOW, "application", application, "settings", settings, NULL);
}

void
fl_window_start (FlWindow *self, const char *server_url, const char *token)
{
  g_autofree char *saved_url = NULL;

  g_return_if_fail (FL_IS_WINDOW (self));

  if (server_url != NULL && token != NULL)
    {
      fl_window_connect (self, server_url, token, CONNECT_FROM_COMMAND_LINE);
      return;
    }
  if (server_url != NULL)
    {
      fl_window_connect_with_saved_token (self, server_url, CONNECT_FROM_COMMAND_LINE);
      return;
    }
  saved_url = g_settings_get_string (self->settings, "server-url");
  if (*saved_url != '\0')
    fl_window_connect_with_saved_token (self, saved_url, 0);
  else
    fl_window_show_first_run (self, NULL);
}

/**
 * fl_window_show_connected:
 * @self: the window
 * @client: a client whose token the server accepted
 *
 * Shows the connected page for @client.
 */
void
fl_window_show_connected (FlWindow *self, FlClient *client)
{
  g_autoptr (FlWorkspace) workspace = NULL;
  g_autoptr (GError) error = NULL;
  const char *currency = self->server_info != NULL ? self->server_info->currency : NULL;

  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (FL_IS_CLIENT (client));

  g_set_object (&self->client, client);
  workspace = fl_workspace_new (client, self->settings, NULL, currency, &error);
  if (workspace == NULL)
    {
      /* Without the local store, drafts and submissions could be lost: no work. */
      adw_status_page_set_title (self->connected_status, _ ("Cannot Keep Your Work Safe"));
      adw_status_page_set_description (self->connected_status, error->message);
      adw_bin_set_child (self->connected_bin, GTK_WIDGET (self->connected_status));
      fl_window_set_header_widgets (self, NULL, NULL);
      fl_window_show_page (self, "connected");
      return;
    }

  /* A token revoked mid-session asks for a new one; the workspace keeps the drafts. */
  g_signal_connect_object (workspace, "unauthorized", G_CALLBACK (fl_window_show_first_run), self,
                           G_CONNECT_SWAPPED);
  adw_bin_set_child (self->connected_bin, GTK_WIDGET (workspace));
  fl_window_set_header_widgets (self, fl_workspace_get_header_title (workspace),
                                fl_workspace_get_header_end (workspace));
  fl_window_show_page (self, "connected");
}

/**
 * fl_window_show_first_run:
 * @self: the window
 * @message: (nullable): why the token is asked for again, e.g. it was revoked
 *
 * Shows the first-run page with the current server address filled in.
 */
void
fl_window_show_first_run (FlWindow *self, const char *message)
{
  g_autofree char *saved_url = NULL;
  const char *url;

  g_return_if_fail (FL_IS_WINDOW (self));

  g_cancellable_cancel (self->connect_cancellable);
  saved_url = g_settings_get_string (self->settings, "server-url");
  url = self->client != NULL ? fl_client_get_base_url (self->client) : saved_url;
  if (*fl_first_run_page_get_server_url (self->first_run_page) == '\0' || self->client != NULL)
    fl_first_run_page_set_server_url (self->first_run_page, url);
  g_clear_object (&self->client);

  fl_first_run_page_set_busy (self->first_run_page, FALSE);
  fl_first_run_page_clear_token (self->first_run_page);
  fl_first_run_page_set_error (self->first_run_page, message);
  fl_first_run_page_set_offer_unsaved (self->first_run_page, FALSE);
  fl_window_set_header_widgets (self, NULL, NULL);
  adw_window_title_set_subtitle (self->window_title, NULL);
  fl_window_show_page (self, "first-run");
}

/**
 * fl_window_set_header_widgets:
 * @self: the window
 * @title: (nullable): the header bar's title widget; %NULL for the window title
 * @end: (nullable): a widget at the end of the header bar, before the main menu
 */
void
fl_window_set_header_widgets (FlWindow *self, GtkWidget *title, GtkWidget *end)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (title == NULL || GTK_IS_WIDGET (title));
  g_return_if_fail (end == NULL || GTK_IS_WIDGET (end));

  adw_header_bar_set_title_widget (self->header_bar,
                                   title != NULL ? title : GTK_WIDGET (self->window_title));
  adw_bin_set_child (self->header_end_slot, end);
  gtk_widget_set_visible (GTK_WIDGET (self->header_end_slot), end != NULL);
}

void
fl_window_add_toast (FlWindow *self, const char *message)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

FlClient *
fl_window_get_client (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  return self->client;
}

GSettings *
fl_window_get_settings (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  return self->settings;
}

const char *
fl_window_get_visible_page (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}
