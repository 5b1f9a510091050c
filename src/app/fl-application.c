/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-application.h"

struct _FlApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (FlApplication, fl_application, ADW_TYPE_APPLICATION)

static void
fl_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (adw_application_window_new (GTK_APPLICATION (app)));
      gtk_window_set_title (window, _ ("Fairlabel"));
      gtk_window_set_default_size (window, 1100, 720);
    }
  gtk_window_present (window);
}

static void
fl_application_class_init (FlApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = fl_application_activate;
}

static void
fl_application_init (FlApplication *self)
{
}

FlApplication *
fl_application_new (void)
{
  return g_object_new (FL_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, NULL);
}
