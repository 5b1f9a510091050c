/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestTranslations"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

static const char *
source_dir (void)
{
  const char *dir = g_getenv ("FAIRLABEL_SOURCE_DIR");

  return dir != NULL ? dir : SOURCE_DIR;
}

static char *
source_path (const char *relative)
{
  return g_build_filename (source_dir (), relative, NULL);
}

/* The files po/POTFILES names, without comments and blank lines. */
static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = source_path ("po/POTFILES");
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (files, g_strdup (line));
    }
  return files;
}

static gboolean
has_translatable_strings (const char *relative)
{
  static GRegex *c_regex, *ui_regex;
  g_autofree char *path = source_path (relative);
  g_autofree char *contents = NULL;

  if (c_regex == NULL)
    {
      c_regex = g_regex_new ("(^|[^A-Za-z0-9_])(_|N_|C_|NC_|ngettext|g_dngettext) ?\\(\\s*\"",
                             G_REGEX_MULTILINE, 0, NULL);
      ui_regex = g_regex_new ("translatable=\"yes\"", 0, 0, NULL);
    }
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  if (g_str_has_suffix (relative, ".c") || g_str_has_suffix (relative, ".h"))
    return g_regex_match (c_regex, contents, 0, NULL);
  if (g_str_has_suffix (relative, ".ui") || g_str_has_suffix (relative, ".blp"))
    return g_regex_match (ui_regex, contents, 0, NULL);
  return g_str_has_suffix (relative, ".desktop.in.in") ||
         g_str_has_suffix (relative, ".metainfo.xml.in.in") ||
         g_str_has_suffix (relative, ".gschema.xml");
}

static void
collect_files (const char *relative_dir, GPtrArray *out)
{
  g_autofree char *path = source_path (relative_dir);
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *relative = g_build_filename (relative_dir, name, NULL);
      g_autofree char *full = source_path (relative);

      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_files (relative, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&relative));
    }
}

static void
test_potfiles_lists_existing_files (void)
{
  g_autoptr (GPtrArray) files = read_potfiles ();

  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    {
      g_autofree char *path = source_path (files->pdata[i]);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_test_fail_printf ("po/POTFILES names %s, which does not exist", (char *) files->pdata[i]);
    }
}

static void
test_potfiles_lists_every_file_with_strings (void)
{
  g_autoptr (GPtrArray) listed = read_potfiles ();
  g_autoptr (GPtrArray) candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) missing = g_string_new (NULL);

  collect_files ("src", candidates);
  collect_files ("data", candidates);
  for (guint i = 0; i < candidates->len; i++)
    {
      const char *file = candidates->pdata[i];

      if (g_str_has_prefix (file, "data/demo/") || !has_translatable_strings (file))
        continue;
      if (!g_ptr_array_find_with_equal_func (listed, file, g_str_equal, NULL))
        g_string_append_printf (missing, "\n  %s", file);
    }
  if (missing->len > 0)
    g_test_fail_printf ("these files have translatable strings but are missing from po/POTFILES:%s",
                        missing->str);
}

static void
run_ok (const char *const *argv, const char *cwd)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_test_fail_printf ("%s failed:\n%s", argv[0], out);
}

static void
test_linguas_has_spanish (void)
{
  g_autofree char *path = source_path ("po/LINGUAS");
  g_autofree char *contents = NULL;
  g_auto (GStrv) languages = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  languages = g_strsplit_set (contents, " \n", -1);
  g_assert_true (g_strv_contains ((const char *const *) languages, "es"));
}

static void
test_spanish_compiles (void)
{
  g_autofree char *po = source_path ("po/es.po");
  const char *argv[] = { "msgfmt", "--check", "-o", "/dev/null", po, NULL };

  run_ok (argv, source_dir ());
}

/* The shell's own files; each area keeps its strings translated as it adds them. */
static void
test_spanish_covers_the_shell (void)
{
  const char *shell_files[] = {
    "data/io.github.fairlabel.Fairlabel.desktop.in.in",
    "data/io.github.fairlabel.Fairlabel.metainfo.xml.in.in",
    "src/app/fl-application.c",
    "src/app/fl-first-run-page.c",
    "src/app/fl-first-run-page.ui",
    "src/app/fl-preferences-window.c",
    "src/app/fl-preferences-window.ui",
    "src/app/fl-shortcuts-window.ui",
    "src/app/fl-window.c",
    "src/app/fl-window.ui",
    "src/libfairlabel/fl-credentials.c",
  };
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("fairlabel-po-XXXXXX", &error);
  g_autofree char *pot = NULL;
  g_autofree char *po = source_path ("po/es.po");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  g_auto (GStrv) argv = NULL;

  g_assert_no_error (error);
  pot = g_build_filename (tmp, "shell.pot", NULL);
  g_strv_builder_add_many (builder, "xgettext", "--from-code=UTF-8", "--keyword=_", "--keyword=N_",
                           "--keyword=C_:1c,2", "--keyword=NC_:1c,2", "-o", pot, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (shell_files); i++)
    g_strv_builder_add (builder, shell_files[i]);
  argv = g_strv_builder_end (builder);
  run_ok ((const char *const *) argv, source_dir ());

  /* msgcmp fails on any message of the template that es.po lacks or leaves
   * untranslated or fuzzy. */
  {
    const char *cmp[] = { "msgcmp", po, pot, NULL };
    run_ok (cmp, source_dir ());
  }
  g_unlink (pot);
  g_rmdir (tmp);
}

/* The catalog the build compiles from es.po is the one the app reads. */
static void
test_spanish_catalog_translates_at_run_time (void)
{
  const char *build = g_getenv ("FAIRLABEL_BUILD_DIR");
  g_autofree char *localedir = g_build_filename (build != NULL ? build : BUILD_DIR, "po", NULL);
  g_autofree char *mo = g_build_filename (localedir, "es", "LC_MESSAGES", "fairlabel.mo", NULL);
  g_autofree char *old_locale = g_strdup (setlocale (LC_ALL, NULL));

  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  if (setlocale (LC_ALL, "es_ES.UTF-8") == NULL)
    {
      g_test_skip ("the es_ES.UTF-8 locale is not installed (package locales-all)");
      return;
    }
  g_unsetenv ("LANGUAGE");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "_Preferences"), ==, "_Preferencias");
  g_assert_cmpstr (g_dpgettext2 (GETTEXT_PACKAGE, "shortcut window", "Quit"), ==, "Salir");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", 3), ==, "%d días");

  setlocale (LC_ALL, old_locale);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/meta/po/potfiles-lists-existing-files", test_potfiles_lists_existing_files);
  g_test_add_func ("/meta/po/potfiles-lists-every-file-with-strings",
                   test_potfiles_lists_every_file_with_strings);
  g_test_add_func ("/meta/po/linguas-has-spanish", test_linguas_has_spanish);
  g_test_add_func ("/meta/po/spanish-compiles", test_spanish_compiles);
  g_test_add_func ("/meta/po/spanish-covers-the-shell", test_spanish_covers_the_shell);
  g_test_add_func ("/meta/po/spanish-catalog-translates-at-run-time",
                   test_spanish_catalog_translates_at_run_time);

  return g_test_run ();
}
