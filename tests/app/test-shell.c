/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestShell"

#include "config.h"

#include "fl-test-gtk.h"
#include "fl-test-server-process.h"
#include "fl-test-support.h"
#include "fl-application.h"
#include "fl-first-run-page.h"
#include "fl-preferences-window.h"
#include "fl-window.h"

static FlApplication *app;

static FlWindow *
main_window (void)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (FL_IS_WINDOW (window));
  return FL_WINDOW (window);
}

static gboolean
window_mapped (gpointer data)
{
  return fl_test_find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gboolean
window_gone (gpointer data)
{
  return fl_test_find_toplevel (GPOINTER_TO_SIZE (data)) == NULL;
}

static GtkWindow *
activate_and_wait (const char *action, GType type)
{
  GtkWindow *window;

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), action));
  g_action_group_activate_action (G_ACTION_GROUP (app), action, NULL);
  g_assert_true (fl_test_wait_until (window_mapped, GSIZE_TO_POINTER (type), 10000));
  window = fl_test_find_toplevel (type);
  g_assert_true (gtk_window_get_transient_for (window) == GTK_WINDOW (main_window ()));
  /* Let transitions and the first frames settle before a screenshot. */
  fl_test_sleep_in_loop (500);
  return window;
}

static void
close_and_wait (GtkWindow *window, GType type)
{
  gtk_window_close (window);
  g_assert_true (fl_test_wait_until (window_gone, GSIZE_TO_POINTER (type), 10000));
}

static void
test_main_window_opens_on_first_run_page (void)
{
  FlWindow *window = main_window ();
  g_autofree char *path = NULL;
  GtkWidget *menu_button;

  g_assert_true (fl_test_wait_until (window_mapped, GSIZE_TO_POINTER (FL_TYPE_WINDOW), 10000));
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  g_assert_nonnull (fl_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_HEADER_BAR, NULL));
  menu_button = fl_test_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL);
  g_assert_nonnull (menu_button);
  g_assert_nonnull (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)));
  g_assert_nonnull (
    fl_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW, "Server Address"));
  g_assert_nonnull (
    fl_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_PASSWORD_ENTRY_ROW, "Access Token"));

  fl_test_sleep_in_loop (500);
  path = fl_test_save_screenshot (GTK_WIDGET (window), "fairlabel-main-window");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_primary_menu_lists_shell_actions (void)
{
  GtkWidget *button =
    fl_test_find_widget_of_type (GTK_WIDGET (main_window ()), GTK_TYPE_MENU_BUTTON, NULL);
  GMenuModel *menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_autoptr (GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = { "app.preferences", "win.show-help-overlay", "app.about" };

  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      GMenuModel *items = section != NULL ? section : menu;

      for (int j = 0; j < g_menu_model_get_n_items (items); j++)
        {
          char *action = NULL;

          if (g_menu_model_get_item_attribute (items, j, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            g_ptr_array_add (actions, action);
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (actions, expected[i], g_str_equal, NULL));
}

static void
test_accelerators_are_set (void)
{
  const char *actions[] = { "app.preferences", "app.shortcuts", "app.about", "app.quit" };

  for (gsize i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_auto (GStrv) accels =
        gtk_application_get_accels_for_action (GTK_APPLICATION (app), actions[i]);

      g_assert_nonnull (accels);
      g_assert_cmpuint (g_strv_length (accels), >=, 1);
    }
}

static void
apply_entry_row (AdwEntryRow *row, const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
}

static guint
currency_position (GListModel *currencies, const char *code)
{
  for (guint i = 0; i < g_list_model_get_n_items (currencies); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (currencies), i), code) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
assert_setting_string (GSettings *settings, const char *key, const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_preferences_action_edits_settings (void)
{
  GSettings *settings = fl_window_get_settings (main_window ());
  GtkWindow *preferences;
  AdwEntryRow *wage_row;
  AdwComboRow *currency_row;
  AdwComboRow *style_row;
  GtkSpinButton *idle_spin;
  GListModel *currencies;
  guint jpy;
  g_autofree char *path = NULL;

  preferences = activate_and_wait ("preferences", FL_TYPE_PREFERENCES_WINDOW);

  wage_row = ADW_ENTRY_ROW (fl_test_find_widget_of_type (GTK_WIDGET (preferences),
                                                         ADW_TYPE_ENTRY_ROW, "Target Hourly Wage"));
  currency_row = ADW_COMBO_ROW (
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, "Currency"));
  style_row = ADW_COMBO_ROW (
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_COMBO_ROW, "Style"));
  idle_spin = GTK_SPIN_BUTTON (
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), GTK_TYPE_SPIN_BUTTON, NULL));
  g_assert_nonnull (wage_row);
  g_assert_nonnull (currency_row);
  g_assert_nonnull (style_row);
  g_assert_nonnull (idle_spin);
  g_assert_nonnull (
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Server Address"));

  /* The wage is parsed as money in the chosen currency, into minor units. */
  g_settings_set_string (settings, "target-currency", "USD");
  apply_entry_row (wage_row, "15.50");
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1550);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wage_row)), ==, "15.50");
  g_assert_nonnull (
    fl_test_find_widget_of_type (GTK_WIDGET (wage_row), GTK_TYPE_LABEL, "USD per hour"));
  fl_test_sleep_in_loop (300);
  path = fl_test_save_screenshot (GTK_WIDGET (preferences), "fairlabel-preferences");

  /* Bad amounts are refused, marked, and change nothing. */
  apply_entry_row (wage_row, "fifteen");
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1550);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (wage_row), "error"));
  apply_entry_row (wage_row, "15.505");
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1550);
  apply_entry_row (wage_row, "-3");
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1550);

  /* A wage with cents cannot become yen: the currency stays. */
  currencies = adw_combo_row_get_model (currency_row);
  jpy = currency_position (currencies, "JPY");
  g_assert_cmpuint (jpy, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (currency_row, jpy);
  assert_setting_string (settings, "target-currency", "USD");
  g_assert_cmpuint (adw_combo_row_get_selected (currency_row), ==,
                    currency_position (currencies, "USD"));
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1550);

  /* A whole amount keeps its written value: 1500 cents become 15 yen. */
  apply_entry_row (wage_row, "15");
  adw_combo_row_set_selected (currency_row, jpy);
  assert_setting_string (settings, "target-currency", "JPY");
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 15);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wage_row)), ==, "15");
  g_assert_nonnull (
    fl_test_find_widget_of_type (GTK_WIDGET (wage_row), GTK_TYPE_LABEL, "JPY per hour"));

  /* The theme goes through AdwStyleManager. */
  adw_combo_row_set_selected (style_row, 2);
  g_assert_cmpint (g_settings_get_enum (settings, "color-scheme"), ==, 2);
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_FORCE_DARK);
  adw_combo_row_set_selected (style_row, 0);
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  gtk_spin_button_set_value (idle_spin, 300);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-timeout"), ==, 300);

  /* Back to dollars: 15 yen become 15.00 dollars, written value kept. */
  adw_combo_row_set_selected (currency_row, currency_position (currencies, "USD"));
  g_assert_cmpint (g_settings_get_int64 (settings, "target-wage-minor"), ==, 1500);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wage_row)), ==, "15.00");
  close_and_wait (preferences, FL_TYPE_PREFERENCES_WINDOW);
}

static void
test_preferences_refuse_malformed_server_url (void)
{
  GSettings *settings = fl_window_get_settings (main_window ());
  GtkWindow *preferences = activate_and_wait ("preferences", FL_TYPE_PREFERENCES_WINDOW);
  AdwEntryRow *server_row = ADW_ENTRY_ROW (
    fl_test_find_widget_of_type (GTK_WIDGET (preferences), ADW_TYPE_ENTRY_ROW, "Server Address"));
  g_autofree char *before = g_settings_get_string (settings, "server-url");
  g_autofree char *after = NULL;

  apply_entry_row (server_row, "not a url at all");
  after = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (after, ==, before);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (server_row), "error"));
  close_and_wait (preferences, FL_TYPE_PREFERENCES_WINDOW);
}

static void
test_shortcuts_action_opens_shortcuts_window (void)
{
  GtkWindow *shortcuts = activate_and_wait ("shortcuts", GTK_TYPE_SHORTCUTS_WINDOW);
  g_autofree char *path = NULL;

  g_assert_nonnull (fl_test_find_widget_of_type (GTK_WIDGET (shortcuts),
                                                 GTK_TYPE_SHORTCUTS_SHORTCUT, "Preferences"));
  path = fl_test_save_screenshot (GTK_WIDGET (shortcuts), "fairlabel-shortcuts");
  close_and_wait (shortcuts, GTK_TYPE_SHORTCUTS_WINDOW);
}

static void
test_about_action_opens_about_window (void)
{
  GtkWindow *about = activate_and_wait ("about", ADW_TYPE_ABOUT_WINDOW);
  g_autofree char *path = NULL;

  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Fairlabel");
  path = fl_test_save_screenshot (GTK_WIDGET (about), "fairlabel-about");
  close_and_wait (about, ADW_TYPE_ABOUT_WINDOW);
}

static void
test_header_widgets_can_be_replaced (void)
{
  FlWindow *window = main_window ();
  GtkWidget *title = gtk_label_new ("Custom title");
  GtkWidget *end = gtk_button_new_with_label ("Meter");

  fl_window_set_header_widgets (window, title, end);
  g_assert_true (gtk_widget_is_ancestor (title, GTK_WIDGET (window)));
  g_assert_true (gtk_widget_is_ancestor (end, GTK_WIDGET (window)));
  g_assert_nonnull (fl_test_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, NULL));

  fl_window_set_header_widgets (window, NULL, NULL);
  g_assert_nonnull (fl_test_find_widget_of_type (GTK_WIDGET (window), ADW_TYPE_WINDOW_TITLE, NULL));
  g_assert_null (fl_test_find_widget_of_type (GTK_WIDGET (window), GTK_TYPE_BUTTON, "Meter"));
}

static void
test_show_first_run_shows_message (void)
{
  FlWindow *window = main_window ();
  GtkWidget *page;

  fl_window_show_first_run (window, "Your token was revoked.");
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "first-run");
  page = fl_test_find_widget_of_type (GTK_WIDGET (window), FL_TYPE_FIRST_RUN_PAGE, NULL);
  g_assert_cmpstr (fl_first_run_page_get_error (FL_FIRST_RUN_PAGE (page)), ==,
                   "Your token was revoked.");
  fl_window_show_first_run (window, NULL);
  g_assert_null (fl_first_run_page_get_error (FL_FIRST_RUN_PAGE (page)));
}

static void
test_quit_action_closes_everything (void)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  g_assert_true (fl_test_wait_until (window_gone, GSIZE_TO_POINTER (FL_TYPE_WINDOW), 10000));
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  app = fl_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  g_application_activate (G_APPLICATION (app));

  g_test_add_func ("/app/shell/main-window-opens-on-first-run-page",
                   test_main_window_opens_on_first_run_page);
  g_test_add_func ("/app/shell/primary-menu-lists-shell-actions",
                   test_primary_menu_lists_shell_actions);
  g_test_add_func ("/app/shell/accelerators-are-set", test_accelerators_are_set);
  g_test_add_func ("/app/shell/preferences-action-edits-settings",
                   test_preferences_action_edits_settings);
  g_test_add_func ("/app/shell/preferences-refuse-malformed-server-url",
                   test_preferences_refuse_malformed_server_url);
  g_test_add_func ("/app/shell/shortcuts-action-opens-shortcuts-window",
                   test_shortcuts_action_opens_shortcuts_window);
  g_test_add_func ("/app/shell/about-action-opens-about-window",
                   test_about_action_opens_about_window);
  g_test_add_func ("/app/shell/header-widgets-can-be-replaced",
                   test_header_widgets_can_be_replaced);
  g_test_add_func ("/app/shell/show-first-run-shows-message", test_show_first_run_shows_message);
  g_test_add_func ("/app/shell/quit-action-closes-everything", test_quit_action_closes_everything);

  status = g_test_run ();
  g_application_release (G_APPLICATION (app));
  g_clear_object (&app);
  return status;
}
