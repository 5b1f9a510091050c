/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FairlabelServer"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-server-import.h"
#include "fl-server.h"

static char *opt_listen = NULL;
static char *opt_data = NULL;
static gboolean opt_demo = FALSE;
static char *opt_role = NULL;
static char *opt_format = NULL;
static char *opt_output = NULL;
static char *opt_worker = NULL;
static char *opt_from = NULL;
static char *opt_kind = NULL;
static char *opt_title = NULL;
static char *opt_instructions = NULL;
static char *opt_label_config = NULL;
static char *opt_reward = NULL;
static char *opt_currency = NULL;
static int opt_estimate = 60;
static int opt_lease = 900;
static int opt_auto_approve = 3 * 86400;
static int opt_per_task = 1;

static const GOptionEntry entries[] = {
  { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen, N_ ("Address to listen on"), "HOST:PORT" },
  { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, N_ ("Data folder"), "DIR" },
  { "demo", 0, 0, G_OPTION_ARG_NONE, &opt_demo, N_ ("Seed demo projects into an empty data folder"),
    NULL },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, N_ ("user add: worker, reviewer or admin"),
    "ROLE" },
  { "format", 0, 0, G_OPTION_ARG_STRING, &opt_format, N_ ("import, export: the dataset format"),
    "FORMAT" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_ ("export: the folder to write"),
    "DIR" },
  { "worker", 0, 0, G_OPTION_ARG_STRING, &opt_worker, N_ ("payout: only this worker"), "NAME" },
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &opt_from,
    N_ ("project create: a JSON file with the project"), "FILE" },
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind, N_ ("project create: image or audio"), "KIND" },
  { "title", 0, 0, G_OPTION_ARG_STRING, &opt_title, N_ ("project create: the title"), "TITLE" },
  { "instructions", 0, 0, G_OPTION_ARG_STRING, &opt_instructions,
    N_ ("project create: instructions for workers"), "TEXT" },
  { "label-config", 0, 0, G_OPTION_ARG_FILENAME, &opt_label_config,
    N_ ("project create: a JSON file with classes, tags and speakers"), "FILE" },
  { "reward", 0, 0, G_OPTION_ARG_STRING, &opt_reward, N_ ("project create: pay per task"),
    "AMOUNT" },
  { "currency", 0, 0, G_OPTION_ARG_STRING, &opt_currency,
    N_ ("project create: ISO 4217 currency code"), "CODE" },
  { "estimate-seconds", 0, 0, G_OPTION_ARG_INT, &opt_estimate,
    N_ ("project create: the requester's time estimate per task"), "SECONDS" },
  { "lease-seconds", 0, 0, G_OPTION_ARG_INT, &opt_lease,
    N_ ("project create: how long an accepted task is held"), "SECONDS" },
  { "auto-approve-seconds", 0, 0, G_OPTION_ARG_INT, &opt_auto_approve,
    N_ ("project create: delay before unreviewed work is approved"), "SECONDS" },
  { "assignments-per-task", 0, 0, G_OPTION_ARG_INT, &opt_per_task,
    N_ ("project create: how many workers do each task"), "N" },
  { NULL }
};

static const char commands_help[] =
  "Commands:\n"
  "  (none)                              serve the API (--listen, --data, --demo)\n"
  "  user add NAME --role ROLE           add a user and print its token once\n"
  "  user list                           list users\n"
  "  user revoke NAME                    revoke a user's token\n"
  "  project create --from FILE | --kind K --title T --reward R --currency C [...]\n"
  "  project list                        list projects\n"
  "  task add PROJECT PATH               add tasks from a folder of media or a JSON task list\n"
  "  import PROJECT PATH [--format F]    add tasks from a dataset in another format\n"
  "  export PROJECT --format F [--output DIR]\n"
  "  payout [--worker NAME]              mark approved earnings paid\n"
  "  fairness                            each project's estimate, median, rate and bonuses\n"
  "  config minimum-wage AMOUNT CURRENCY the team's minimum hourly wage (fair-pay bonuses)\n";

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static char *
default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "fairlabel-server", NULL);
}

static char *
find_demo_manifest (void)
{
  const char *env = g_getenv ("FAIRLABEL_DEMO_DIR");
  const char *const dirs[] = { BUILD_DIR "/data/demo", PKGDATADIR "/demo" };

  if (env != NULL && env[0] != '\0')
    return g_build_filename (env, "demo.json", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "demo.json", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

/* A demo server prints fresh tokens every start, so scripts always get usable ones. */
static gboolean
demo_tokens (FlServerStore *store, char **worker_token, char **admin_token, GError **error)
{
  const struct
  {
    const char *name;
    FlRole role;
    char **out;
  } users[] = {
    { "demo-worker", FL_ROLE_WORKER, worker_token },
    { "demo-admin", FL_ROLE_ADMIN, admin_token },
  };

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      if (fl_server_store_find_user (store, users[i].name, NULL) > 0)
        *users[i].out = fl_server_store_reissue_token (store, users[i].name, error);
      else
        *users[i].out = fl_server_store_add_user (store, users[i].name, users[i].role, error);
      if (*users[i].out == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
serve (void)
{
  g_autoptr (FlServerStore) store = NULL;
  g_autoptr (FlServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data_dir = opt_data ? g_strdup (opt_data) : default_data_dir ();
  g_autofree char *url = NULL;
  g_autofree char *worker_token = NULL;
  g_autofree char *admin_token = NULL;

  store = fl_server_store_open (data_dir, &error);
  if (store == NULL)
    {
      g_printerr ("fairlabel-server: %s\n", error->message);
      return 1;
    }
  if (opt_demo)
    {
      gboolean empty = fl_server_store_is_empty (store);
      g_autofree char *manifest = empty ? find_demo_manifest () : NULL;

      if (!fl_server_store_begin (store, &error))
        goto fail;
      if (empty)
        {
          FlMoney wage;

          if (manifest != NULL && !fl_server_seed_demo (store, manifest, &error))
            {
              fl_server_store_rollback (store);
              goto fail;
            }
          if (manifest == NULL)
            g_printerr ("fairlabel-server: no demo content found; serving empty projects\n");
          fl_money_parse ("12.00", "USD", &wage, NULL);
          if (!fl_server_store_set_minimum_wage (store, &wage, &error) ||
              !fl_server_store_add_user (store, "demo-reviewer", FL_ROLE_REVIEWER, &error))
            {
              fl_server_store_rollback (store);
              goto fail;
            }
        }
      if (!demo_tokens (store, &worker_token, &admin_token, &error) ||
          !fl_server_store_commit (store, &error))
        {
          fl_server_store_rollback (store);
          goto fail;
        }
    }

  server = fl_server_new (store);
  url = fl_server_listen (server, opt_listen ? opt_listen : "127.0.0.1:8080", &error);
  if (url == NULL)
    goto fail;

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);

  printf ("listening: %s\n", url);
  if (worker_token != NULL)
    printf ("worker-token: %s\nadmin-token: %s\n", worker_token, admin_token);
  fflush (stdout);

  g_main_loop_run (loop);
  fl_server_shutdown (server);
  return 0;

fail:
  g_printerr ("fairlabel-server: %s\n", error->message);
  return 1;
}

/* Runs @func inside one transaction on the store of --data. */
typedef gboolean (*StoreCommand) (FlServerStore *store, char **args, GError **error);

static int
with_store (StoreCommand func, char **args)
{
  g_autofree char *data_dir = opt_data ? g_strdup (opt_data) : default_data_dir ();
  g_autoptr (FlServerStore) store = NULL;
  g_autoptr (GError) error = NULL;

  store = fl_server_store_open_unchecked (data_dir, &error);
  if (store == NULL || !fl_server_store_begin (store, &error))
    goto fail;
  if (!func (store, args, &error))
    {
      fl_server_store_rollback (store);
      goto fail;
    }
  if (!fl_server_store_commit (store, &error))
    goto fail;
  return 0;

fail:
  g_printerr ("fairlabel-server: %s\n", error->message);
  return 1;
}

static gboolean
usage_error (GError **error, const char *usage)
{
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "usage: fairlabel-server %s",
               usage);
  return FALSE;
}

static void
print_json (JsonNode *node)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

static gboolean
cmd_user_add (FlServerStore *store, char **args, GError **error)
{
  g_autofree char *token = NULL;
  FlRole role;

  if (args[0] == NULL || args[1] != NULL || opt_role == NULL)
    return usage_error (error, "user add NAME --role worker|reviewer|admin");
  if (!fl_role_from_string (opt_role, &role))
    return usage_error (error, "user add NAME --role worker|reviewer|admin");
  token = fl_server_store_add_user (store, args[0], role, error);
  if (token == NULL)
    return FALSE;
  printf ("%s\n", token);
  g_printerr ("fairlabel-server: this token is shown once; keep it safe\n");
  return TRUE;
}

static gboolean
cmd_user_list (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (GPtrArray) users = fl_server_store_list_users (store, FALSE);

  for (guint i = 0; i < users->len; i++)
    {
      FlServerUser *user = g_ptr_array_index (users, i);

      printf ("%s\t%s\n", user->name, fl_role_to_string (user->role));
    }
  return TRUE;
}

static gboolean
cmd_user_revoke (FlServerStore *store, char **args, GError **error)
{
  if (args[0] == NULL || args[1] != NULL)
    return usage_error (error, "user revoke NAME");
  return fl_server_store_revoke_user (store, args[0], error);
}

static gboolean
cmd_project_create (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (FlProjectSpec) spec = NULL;
  gint64 id;

  if (opt_from != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (opt_from, &contents, &length, error))
        return FALSE;
      root = fl_protocol_parse (contents, (gssize) length, error);
      if (root == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "%s: a project is a JSON object", opt_from);
          return FALSE;
        }
    }
  else
    {
      JsonObject *object = json_object_new ();

      if (opt_kind == NULL || opt_title == NULL || opt_reward == NULL || opt_currency == NULL)
        {
          json_object_unref (object);
          return usage_error (error, "project create --kind image|audio --title TITLE --reward "
                                     "AMOUNT --currency CODE [--instructions TEXT] "
                                     "[--label-config FILE] [--estimate-seconds N] "
                                     "[--lease-seconds N] [--auto-approve-seconds N] "
                                     "[--assignments-per-task N]");
        }
      root = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (root, object);
      json_object_set_string_member (object, "kind", opt_kind);
      json_object_set_string_member (object, "title", opt_title);
      json_object_set_string_member (object, "reward", opt_reward);
      json_object_set_string_member (object, "currency", opt_currency);
      if (opt_instructions != NULL)
        json_object_set_string_member (object, "instructions", opt_instructions);
      json_object_set_int_member (object, "estimate_seconds", opt_estimate);
      json_object_set_int_member (object, "lease_seconds", opt_lease);
      json_object_set_int_member (object, "auto_approve_seconds", opt_auto_approve);
      json_object_set_int_member (object, "assignments_per_task", opt_per_task);
      if (opt_label_config != NULL)
        {
          g_autofree char *contents = NULL;
          g_autoptr (JsonNode) config = NULL;
          gsize length;

          if (!g_file_get_contents (opt_label_config, &contents, &length, error))
            return FALSE;
          config = fl_protocol_parse (contents, (gssize) length, error);
          if (config == NULL)
            return FALSE;
          json_object_set_member (object, "label_config", g_steal_pointer (&config));
        }
    }
  spec = fl_project_spec_from_json (json_node_get_object (root), NULL, error);
  if (spec == NULL)
    return FALSE;
  id = fl_server_store_create_project (store, spec, error);
  if (id == 0)
    return FALSE;
  printf ("%" G_GINT64_FORMAT "\n", id);
  return TRUE;
}

static gboolean
cmd_project_list (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (JsonNode) list = fl_server_store_list_projects (store, error);
  JsonArray *array;

  if (list == NULL)
    return FALSE;
  array = json_object_get_array_member (json_node_get_object (list), "projects");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *p = json_array_get_object_element (array, i);
      JsonObject *reward = json_object_get_object_member (p, "reward");

      printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s %s\t%" G_GINT64_FORMAT " tasks, %" G_GINT64_FORMAT
              " open\n",
              json_object_get_int_member (p, "id"), json_object_get_string_member (p, "kind"),
              json_object_get_string_member (p, "title"),
              json_object_get_string_member (reward, "amount"),
              json_object_get_string_member (reward, "currency"),
              json_object_get_int_member (p, "tasks"),
              json_object_get_int_member (p, "tasks_open"));
    }
  return TRUE;
}

static gboolean
cmd_task_add (FlServerStore *store, char **args, GError **error)
{
  gint64 project_id;
  guint added = 0;

  if (args[0] == NULL || args[1] == NULL || args[2] != NULL)
    return usage_error (error, "task add PROJECT PATH");
  project_id = fl_server_store_find_project (store, args[0], error);
  if (project_id == 0 || !fl_server_import_path (store, project_id, args[1], &added, error))
    return FALSE;
  printf ("added %u tasks\n", added);
  return TRUE;
}

static gboolean
cmd_import (FlServerStore *store, char **args, GError **error)
{
  g_autofree char *report = NULL;
  gint64 project_id;
  guint added = 0;
  gboolean ok;

  if (args[0] == NULL || args[1] == NULL || args[2] != NULL)
    return usage_error (error, "import PROJECT PATH [--format FORMAT]");
  project_id = fl_server_store_find_project (store, args[0], error);
  if (project_id == 0)
    return FALSE;
  ok = fl_server_import_dataset (store, project_id, args[1], opt_format, &added, &report, error);
  if (report != NULL)
    g_printerr ("%s\n", report);
  if (ok)
    printf ("added %u tasks\n", added);
  return ok;
}

static gboolean
cmd_export (FlServerStore *store, char **args, GError **error)
{
  g_autofree char *out_dir = NULL;
  gint64 project_id;
  guint n = 0;

  if (args[0] == NULL || args[1] != NULL || opt_format == NULL)
    return usage_error (error, "export PROJECT --format FORMAT [--output DIR]");
  project_id = fl_server_store_find_project (store, args[0], error);
  if (project_id == 0)
    return FALSE;
  out_dir = opt_output
              ? g_strdup (opt_output)
              : g_strdup_printf ("project-%" G_GINT64_FORMAT "-%s", project_id, opt_format);
  if (!fl_server_export (store, project_id, opt_format, out_dir, &n, error))
    return FALSE;
  printf ("exported %u approved results to %s\n", n, out_dir);
  return TRUE;
}

static gboolean
cmd_payout (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (JsonNode) answer = NULL;
  gint64 worker_id = 0;

  if (args[0] != NULL)
    return usage_error (error, "payout [--worker NAME]");
  if (opt_worker != NULL)
    {
      worker_id = fl_server_store_find_user (store, opt_worker, error);
      if (worker_id == 0)
        return FALSE;
    }
  answer = fl_server_store_payout (store, worker_id, g_get_real_time () / G_USEC_PER_SEC, error);
  if (answer == NULL)
    return FALSE;
  print_json (answer);
  return TRUE;
}

static gboolean
cmd_fairness (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (JsonNode) answer = NULL;

  if (args[0] != NULL)
    return usage_error (error, "fairness");
  answer = fl_server_store_fairness (store, error);
  if (answer == NULL)
    return FALSE;
  print_json (answer);
  return TRUE;
}

static gboolean
cmd_config (FlServerStore *store, char **args, GError **error)
{
  g_autoptr (GError) local = NULL;
  FlMoney wage;

  if (g_strcmp0 (args[0], "minimum-wage") != 0)
    return usage_error (error, "config minimum-wage AMOUNT CURRENCY");
  if (args[1] == NULL)
    {
      g_autofree char *text = NULL;

      if (!fl_server_store_get_minimum_wage (store, &wage))
        {
          printf ("none\n");
          return TRUE;
        }
      text = fl_money_to_decimal (&wage);
      printf ("%s %s\n", text, wage.currency);
      return TRUE;
    }
  if (args[2] == NULL || args[3] != NULL)
    return usage_error (error, "config minimum-wage AMOUNT CURRENCY");
  if (!fl_money_parse (args[1], args[2], &wage, &local) || wage.amount_minor < 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_AMOUNT, "%s",
                   local ? local->message : "A wage cannot be negative");
      return FALSE;
    }
  return fl_server_store_set_minimum_wage (store, &wage, error);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  const struct
  {
    const char *first;
    const char *second;
    StoreCommand func;
  } commands[] = {
    { "user", "add", cmd_user_add },         { "user", "list", cmd_user_list },
    { "user", "revoke", cmd_user_revoke },   { "project", "create", cmd_project_create },
    { "project", "list", cmd_project_list }, { "task", "add", cmd_task_add },
    { "import", NULL, cmd_import },          { "export", NULL, cmd_export },
    { "payout", NULL, cmd_payout },          { "fairness", NULL, cmd_fairness },
    { "config", NULL, cmd_config },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_ ("[COMMAND [ARGS…]] — the Fairlabel task server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, commands_help);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("fairlabel-server: %s\n", error->message);
      return 2;
    }
  if (argc < 2)
    return serve ();

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].first) != 0)
        continue;
      if (commands[i].second == NULL)
        return with_store (commands[i].func, argv + 2);
      if (argc >= 3 && strcmp (argv[2], commands[i].second) == 0)
        return with_store (commands[i].func, argv + 3);
    }
  g_printerr ("fairlabel-server: unknown command “%s”\n\n%s", argv[1], commands_help);
  return 2;
}
