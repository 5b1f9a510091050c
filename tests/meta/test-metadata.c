/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestMetadata"

#include "config.h"

#include <gio/gio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

static const char *
source_dir (void)
{
  const char *dir = g_getenv ("FAIRLABEL_SOURCE_DIR");

  return dir != NULL ? dir : SOURCE_DIR;
}

static const char *
build_dir (void)
{
  const char *dir = g_getenv ("FAIRLABEL_BUILD_DIR");

  return dir != NULL ? dir : BUILD_DIR;
}

/* Runs a validator; fails the test with its output when it complains. */
static void
assert_command_succeeds (const char *const *argv)
{
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cmdline = g_strjoinv (" ", (char **) argv);

  process = g_subprocess_newv (
    argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_fail_printf ("%s failed:\n%s", cmdline, out);
  g_test_message ("%s: %s", cmdline, out);
}

static char *
built_file (const char *suffix)
{
  g_autofree char *name = g_strconcat (APP_ID, suffix, NULL);

  return g_build_filename (build_dir (), "data", name, NULL);
}

static void
test_desktop_file_validates (void)
{
  g_autofree char *path = built_file (".desktop");
  const char *argv[] = { "desktop-file-validate", path, NULL };
  g_autoptr (GKeyFile) keyfile = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *exec = NULL;

  assert_command_succeeds (argv);

  g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  icon = g_key_file_get_string (keyfile, "Desktop Entry", "Icon", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (icon, ==, APP_ID);
  exec = g_key_file_get_string (keyfile, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, "fairlabel");
}

static xmlDoc *
load_metainfo (void)
{
  g_autofree char *path = built_file (".metainfo.xml");
  xmlDoc *doc = xmlReadFile (path, NULL, XML_PARSE_NONET);

  g_assert_nonnull (doc);
  return doc;
}

static int
count_nodes (xmlDoc *doc, const char *xpath)
{
  xmlXPathContext *context = xmlXPathNewContext (doc);
  xmlXPathObject *result = xmlXPathEvalExpression ((const xmlChar *) xpath, context);
  int n = 0;

  g_assert_nonnull (result);
  if (result->nodesetval != NULL)
    n = result->nodesetval->nodeNr;
  xmlXPathFreeObject (result);
  xmlXPathFreeContext (context);
  return n;
}

static void
test_metainfo_validates (void)
{
  g_autofree char *path = built_file (".metainfo.xml");
  const char *argv[] = { "appstreamcli", "validate", "--no-net", path, NULL };

  assert_command_succeeds (argv);
}

static void
test_metainfo_has_screenshots_oars_and_releases (void)
{
  xmlDoc *doc = load_metainfo ();
  xmlXPathContext *context = xmlXPathNewContext (doc);
  xmlXPathObject *images;
  g_autofree char *id_xpath = g_strdup_printf ("/component/id[text()='%s']", APP_ID);

  g_assert_cmpint (count_nodes (doc, id_xpath), ==, 1);
  g_assert_cmpint (count_nodes (doc, "/component/content_rating[@type='oars-1.1']"), ==, 1);
  g_assert_cmpint (count_nodes (doc, "/component/releases/release[@version]"), >=, 1);
  g_assert_cmpint (count_nodes (doc, "/component/screenshots/screenshot[@type='default']"), ==, 1);

  /* Each listed screenshot is a file in the repository, published from it. */
  images =
    xmlXPathEvalExpression ((const xmlChar *) "/component/screenshots/screenshot/image", context);
  g_assert_nonnull (images->nodesetval);
  g_assert_cmpint (images->nodesetval->nodeNr, >=, 1);
  for (int i = 0; i < images->nodesetval->nodeNr; i++)
    {
      xmlChar *url = xmlNodeGetContent (images->nodesetval->nodeTab[i]);
      const char *marker = "/main/";
      const char *relative = strstr ((const char *) url, marker);
      g_autofree char *file = NULL;

      g_assert_nonnull (relative);
      file = g_build_filename (source_dir (), relative + strlen (marker), NULL);
      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      xmlFree (url);
    }
  xmlXPathFreeObject (images);
  xmlXPathFreeContext (context);
  xmlFreeDoc (doc);
}

static void
test_gschema_compiles_strictly (void)
{
  g_autofree char *data = g_build_filename (source_dir (), "data", NULL);
  const char *argv[] = { "glib-compile-schemas", "--strict", "--dry-run", data, NULL };

  assert_command_succeeds (argv);
}

static GSettingsSchema *
load_schema (void)
{
  g_autofree char *dir = g_build_filename (build_dir (), "data", NULL);
  g_autoptr (GSettingsSchemaSource) source = NULL;
  g_autoptr (GError) error = NULL;
  GSettingsSchema *schema;

  source = g_settings_schema_source_new_from_directory (dir, NULL, TRUE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "io.github.fairlabel.Fairlabel", FALSE);
  g_assert_nonnull (schema);
  return schema;
}

static void
test_gschema_every_key_is_described (void)
{
  g_autofree char *path =
    g_build_filename (source_dir (), "data", "io.github.fairlabel.Fairlabel.gschema.xml", NULL);
  xmlDoc *doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
  xmlXPathContext *context;
  xmlXPathObject *keys;

  g_assert_nonnull (doc);
  context = xmlXPathNewContext (doc);
  keys = xmlXPathEvalExpression ((const xmlChar *) "//schema/key", context);
  g_assert_nonnull (keys->nodesetval);
  g_assert_cmpint (keys->nodesetval->nodeNr, >, 0);
  for (int i = 0; i < keys->nodesetval->nodeNr; i++)
    {
      xmlNode *key = keys->nodesetval->nodeTab[i];
      xmlChar *name = xmlGetProp (key, (const xmlChar *) "name");
      gboolean has_summary = FALSE, has_description = FALSE;

      for (xmlNode *child = key->children; child != NULL; child = child->next)
        {
          xmlChar *text;
          gboolean filled;

          if (child->type != XML_ELEMENT_NODE)
            continue;
          text = xmlNodeGetContent (child);
          filled = text != NULL && *g_strstrip ((char *) text) != '\0';
          if (xmlStrEqual (child->name, (const xmlChar *) "summary"))
            has_summary = filled;
          else if (xmlStrEqual (child->name, (const xmlChar *) "description"))
            has_description = filled;
          xmlFree (text);
        }
      if (!has_summary || !has_description)
        g_test_fail_printf ("GSettings key “%s” needs a summary and a description", (char *) name);
      xmlFree (name);
    }
  xmlXPathFreeObject (keys);
  xmlXPathFreeContext (context);
  xmlFreeDoc (doc);
}

static void
test_gschema_has_shell_keys (void)
{
  g_autoptr (GSettingsSchema) schema = load_schema ();
  const struct
  {
    const char *name;
    const char *type;
  } expected[] = {
    { "server-url", "s" },        { "target-wage-minor", "x" }, { "target-currency", "s" },
    { "idle-timeout", "u" },      { "color-scheme", "s" },      { "allow-insecure-http", "b" },
    { "hide-below-target", "b" }, { "keep-going", "b" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autoptr (GSettingsSchemaKey) key = NULL;

      g_assert_true (g_settings_schema_has_key (schema, expected[i].name));
      key = g_settings_schema_get_key (schema, expected[i].name);
      g_assert_cmpstr (g_variant_type_peek_string (g_settings_schema_key_get_value_type (key)), ==,
                       expected[i].type);
    }
}

static void
test_icons_are_svg_files (void)
{
  const char *icons[] = {
    "data/icons/hicolor/scalable/apps/io.github.fairlabel.Fairlabel.svg",
    "data/icons/hicolor/symbolic/apps/io.github.fairlabel.Fairlabel-symbolic.svg",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      g_autofree char *path = g_build_filename (source_dir (), icons[i], NULL);
      xmlDoc *doc = xmlReadFile (path, NULL, XML_PARSE_NONET);
      xmlNode *root;

      g_assert_nonnull (doc);
      root = xmlDocGetRootElement (doc);
      g_assert_cmpstr ((const char *) root->name, ==, "svg");
      xmlFreeDoc (doc);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/meta/desktop-file/validates", test_desktop_file_validates);
  g_test_add_func ("/meta/metainfo/validates", test_metainfo_validates);
  g_test_add_func ("/meta/metainfo/has-screenshots-oars-and-releases",
                   test_metainfo_has_screenshots_oars_and_releases);
  g_test_add_func ("/meta/gschema/compiles-strictly", test_gschema_compiles_strictly);
  g_test_add_func ("/meta/gschema/every-key-is-described", test_gschema_every_key_is_described);
  g_test_add_func ("/meta/gschema/has-shell-keys", test_gschema_has_shell_keys);
  g_test_add_func ("/meta/icons/are-svg-files", test_icons_are_svg_files);

  return g_test_run ();
}
