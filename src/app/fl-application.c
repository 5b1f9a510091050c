/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-application.h"
#include "fl-client.h"
#include "fl-preferences-window.h"
#include "fl-texture-maker.h"
#include "fl-window.h"

#define FL_SETTINGS_SCHEMA_ID "io.github.fairlabel.Fairlabel"
/* Quit ends the application after this long even if something still holds it. */
#define QUIT_GRACE_MS 1500

struct _FlApplication
{
  AdwApplication parent_instance;

  GSettings *settings;

  /* From the command line and FAIRLABEL_TOKEN: used for this run only. */
  char *server_url;
  char *token;

  guint quit_source;
};

G_DEFINE_FINAL_TYPE (FlApplication, fl_application, ADW_TYPE_APPLICATION)

static char *
fl_application_option_description (void)
{
  return g_strdup_printf (
    "%s\n  FAIRLABEL_TOKEN    %s", _ ("Environment:"),
    _ ("Access token used with --server for this run only; it is not saved in the keyring"));
}

/* Options are parsed here rather than by GApplication so that an unusable
 * command line ends with the conventional usage status instead of 1. */
static gboolean
fl_application_local_command_line (GApplication *app, char ***arguments, int *exit_status)
{
  FlApplication *self = FL_APPLICATION (app);
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *description = NULL;
  g_autofree char *server = NULL;
  gboolean version = FALSE;
  g_auto (GStrv) args = g_strdupv (*arguments);
  const char *argv0 = args[0] != NULL ? args[0] : "fairlabel";
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_ ("Connect to the server at URL without the first-run page (the token comes from "
          "FAIRLABEL_TOKEN, or the keyring)"),
      N_ ("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Show the version and exit"), NULL },
    { NULL },
  };

  context = g_option_context_new (NULL);
  g_option_context_set_summary (
    context, _ ("Label images and transcribe audio, and see what the work really pays."));
  description = fl_application_option_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("fairlabel: %s\n", error->message);
      g_printerr (_ ("Run “%s --help” to see the options.\n"), argv0);
      *exit_status = FL_EXIT_USAGE;
      return TRUE;
    }
  if (g_strv_length (args) > 1)
    {
      g_printerr (_ ("fairlabel: unexpected argument “%s”\n"), args[1]);
      g_printerr (_ ("Run “%s --help” to see the options.\n"), argv0);
      *exit_status = FL_EXIT_USAGE;
      return TRUE;
    }
  if (version)
    {
      g_print ("fairlabel %s\n", PACKAGE_VERSION);
      *exit_status = 0;
      return TRUE;
    }

  if (server != NULL)
    {
      const char *env_token = g_getenv ("FAIRLABEL_TOKEN");
      g_autoptr (GSettings) settings = g_settings_new (FL_SETTINGS_SCHEMA_ID);
      g_autoptr (FlClient) probe = NULL;
      g_autoptr (GError) url_error = NULL;

      /* Checks the address and the TLS rule before any window opens; the
       * token is not sent anywhere yet. */
      probe = fl_client_new (server, env_token != NULL && *env_token != '\0' ? env_token : "-",
                             g_settings_get_boolean (settings, "allow-insecure-http"), &url_error);
      if (probe == NULL)
        {
          g_printerr ("fairlabel: %s\n", url_error->message);
          *exit_status = FL_EXIT_USAGE;
          return TRUE;
        }
      self->server_url = g_strdup (fl_client_get_base_url (probe));
      if (env_token != NULL && *env_token != '\0')
        self->token = g_strdup (env_token);
      /* A scripted connection is its own instance; it must not be handed to
       * an already running window that would ignore its server and token. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  g_strfreev (*arguments);
  *arguments = g_new0 (char *, 2);
  (*arguments)[0] = g_strdup (argv0);

  return G_APPLICATION_CLASS (fl_application_parent_class)
    ->local_command_line (app, arguments, exit_status);
}

static void
fl_application_apply_color_scheme (FlApplication *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  AdwColorScheme scheme;

  switch (g_settings_get_enum (self->settings, "color-scheme"))
    {
      case 1:
        scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
        break;
      case 2:
        scheme = ADW_COLOR_SCHEME_FORCE_DARK;
        break;
      default:
        scheme = ADW_COLOR_SCHEME_DEFAULT;
        break;
    }
  adw_style_manager_set_color_scheme (style_manager, scheme);
}

static void
on_color_scheme_changed (GSettings *settings, const char *key, FlApplication *self)
{
  fl_application_apply_color_scheme (self);
}

static void
fl_application_preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  FlPreferencesWindow *preferences;

  preferences = fl_preferences_window_new (self->settings);
  if (FL_IS_WINDOW (parent) && fl_window_get_client (FL_WINDOW (parent)) != NULL)
    fl_preferences_window_show_server_url (
      preferences, fl_client_get_base_url (fl_window_get_client (FL_WINDOW (parent))));
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (preferences), parent);
      gtk_window_set_modal (GTK_WINDOW (preferences), TRUE);
    }
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
fl_application_shortcuts_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
fl_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char *developers[] = { "The Fairlabel developers", NULL };
  GtkWidget *about;

  about = g_object_new (
    ADW_TYPE_ABOUT_WINDOW, "application-name", _ ("Fairlabel"), "application-icon", APP_ID,
    "developer-name", _ ("The Fairlabel developers"), "version", PACKAGE_VERSION, "comments",
    _ ("Label images and transcribe audio for AI training sets, and see "
       "what each task pays per hour before you take it."),
    "website", "https://github.com/fairlabel/fairlabel", "issue-url",
    "https://github.com/fairlabel/fairlabel/issues", "license-type", GTK_LICENSE_GPL_3_0,
    "copyright", "© 2026 The Fairlabel developers", "developers", developers,
    /* Translators: your name(s), one a line, to be credited */
    "translator-credits", _ ("translator-credits"), "transient-for", parent, "modal",
    parent != NULL, NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static gboolean
fl_application_quit_now (gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);

  self->quit_source = 0;
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
fl_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  FlApplication *self = FL_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing each window first lets it save its state and give back the task reserved to keep
   * going; the application ends once nothing holds it any more (that give-back waits a second
   * at the most), and in any case after QUIT_GRACE_MS. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;
      l = l->next;
      gtk_window_close (window);
    }
  if (self->quit_source == 0)
    self->quit_source = g_timeout_add (QUIT_GRACE_MS, fl_application_quit_now, self);
}

static const GActionEntry app_actions[] = {
  { "preferences", fl_application_preferences_action },
  { "shortcuts", fl_application_shortcuts_action },
  { "about", fl_application_about_action },
  { "quit", fl_application_quit_action },
};

static void
fl_application_startup (GApplication *app)
{
  FlApplication *self = FL_APPLICATION (app);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.preferences", { "<Control>comma", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "app.about", { "F1", NULL } },
    { "app.quit", { "<Control>q", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (fl_application_parent_class)->startup (app);

  /* Here rather than in init: --help and --version need no schema. */
  self->settings = g_settings_new (FL_SETTINGS_SCHEMA_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (gsize i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  gtk_window_set_default_icon_name (APP_ID);
  fl_application_apply_color_scheme (self);
  g_signal_connect_object (self->settings, "changed::color-scheme",
                           G_CALLBACK (on_color_scheme_changed), self, 0);
}

static void
fl_application_activate (GApplication *app)
{
  FlApplication *self = FL_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      FlWindow *fl_window = fl_window_new (self, self->settings);

      window = GTK_WINDOW (fl_window);
      gtk_window_present (window);
      fl_window_start (fl_window, self->server_url, self->token);
      /* The environment's token is for this window's connection only. */
      g_clear_pointer (&self->token, g_free);
      return;
    }
  gtk_window_present (window);
}

static void
fl_application_shutdown (GApplication *app)
{
  FlApplication *self = FL_APPLICATION (app);

  g_clear_handle_id (&self->quit_source, g_source_remove);
  G_APPLICATION_CLASS (fl_application_parent_class)->shutdown (app);
}

static void
fl_application_finalize (GObject *object)
{
  FlApplication *self = FL_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (fl_application_parent_class)->finalize (object);
}

static void
fl_application_class_init (FlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = fl_application_finalize;
  app_class->local_command_line = fl_application_local_command_line;
  app_class->startup = fl_application_startup;
  app_class->activate = fl_application_activate;
  app_class->shutdown = fl_application_shutdown;
}

static void
fl_application_init (FlApplication *self)
{
}

FlApplication *
fl_application_new (void)
{
  /* Before GTK starts any thread or GL context. */
  fl_texture_maker_tune_rasterizer ();
  return g_object_new (FL_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path",
                       "/io/github/fairlabel/Fairlabel", NULL);
}

GSettings *
fl_application_get_settings (FlApplication *self)
{
  g_return_val_if_fail (FL_IS_APPLICATION (self), NULL);

  return self->settings;
}
