/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FairlabelServer"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

static char *opt_listen = NULL;
static char *opt_data = NULL;
static gboolean opt_demo = FALSE;

static const GOptionEntry entries[] = {
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen, N_ ("Address to listen on"), "HOST:PORT" },
  { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, N_ ("Data folder"), "DIR" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, N_ ("Seed demo projects into an empty data folder"),
    NULL },
  { NULL }
};

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_ ("— the Fairlabel task server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fairlabel-server: %s\n", error->message);
      return 2;
    }
  return 0;
}
