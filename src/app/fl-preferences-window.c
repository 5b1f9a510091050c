/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlPreferencesWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-client.h"
#include "fl-money.h"
#include "fl-preferences-window.h"

struct _FlPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  AdwEntryRow *wage_row;
  GtkLabel *wage_unit_label;
  AdwComboRow *currency_row;
  GtkStringList *currency_list;
  GtkSwitch *hide_below_target_switch;
  GtkSpinButton *idle_timeout_spin;
  GtkSwitch *keep_going_switch;
  AdwEntryRow *server_row;
  GtkSwitch *insecure_switch;
  AdwComboRow *style_row;

  GSettings *settings;
  /* Set while the window itself moves the currency row back. */
  gboolean reverting_currency;
};

G_DEFINE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fl_preferences_window_toast (FlPreferencesWindow *self, const char *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static char *
fl_preferences_window_dup_currency (FlPreferencesWindow *self)
{
  return g_settings_get_string (self->settings, "target-currency");
}

static void
fl_preferences_window_show_wage (FlPreferencesWindow *self)
{
  g_autofree char *currency = fl_preferences_window_dup_currency (self);
  gint64 minor = g_settings_get_int64 (self->settings, "target-wage-minor");
  g_autofree char *text = NULL;
  g_autofree char *unit = NULL;
  FlMoney money;

  if (minor > 0 && fl_money_init (&money, minor, currency, NULL))
    text = fl_money_to_decimal (&money);
  gtk_editable_set_text (GTK_EDITABLE (self->wage_row), text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->wage_row), "error");
  /* Translators: the unit after the wage field; %s is a currency code such as USD */
  unit = g_strdup_printf (_ ("%s per hour"), currency);
  gtk_label_set_text (self->wage_unit_label, unit);
}

static gboolean
fl_preferences_window_parse_wage (FlPreferencesWindow *self, const char *text, const char *currency,
                                  FlMoney *out, GError **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));

  if (*trimmed == '\0')
    return fl_money_init (out, 0, currency, error);
  if (!fl_money_parse (trimmed, currency, out, error))
    return FALSE;
  if (out->amount_minor < 0)
    {
      g_set_error_literal (error, FL_MONEY_ERROR, FL_MONEY_ERROR_INVALID_AMOUNT,
                           _ ("A wage cannot be negative"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
fl_preferences_window_apply_wage (FlPreferencesWindow *self, const char *text)
{
  g_autofree char *currency = NULL;
  g_autoptr (GError) error = NULL;
  FlMoney money;

  currency = fl_preferences_window_dup_currency (self);
  if (!fl_preferences_window_parse_wage (self, text, currency, &money, &error))
    {
      /* Translators: %s says why the typed text is not an amount of money */
      g_autofree char *message = g_strdup_printf (_ ("Wage not changed: %s"), error->message);

      gtk_widget_add_css_class (GTK_WIDGET (self->wage_row), "error");
      fl_preferences_window_toast (self, message);
      return FALSE;
    }
  g_settings_set_int64 (self->settings, "target-wage-minor", money.amount_minor);
  fl_preferences_window_show_wage (self);
  return TRUE;
}

static void
on_wage_apply (FlPreferencesWindow *self)
{
  fl_preferences_window_apply_wage (self, gtk_editable_get_text (GTK_EDITABLE (self->wage_row)));
}

static void
on_row_changed (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
}

static guint
fl_preferences_window_currency_position (FlPreferencesWindow *self, const char *code)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->currency_list));

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->currency_list, i), code) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static gboolean
fl_preferences_window_select_currency (FlPreferencesWindow *self, const char *code)
{
  g_autofree char *old_currency = NULL;
  g_autoptr (GError) error = NULL;
  gint64 old_minor;
  FlMoney money;

  old_currency = fl_preferences_window_dup_currency (self);
  if (g_strcmp0 (old_currency, code) == 0)
    return TRUE;

  /* The wage keeps its written value across currencies ("15" stays 15);
   * if that value cannot exist in the new currency, nothing changes. */
  old_minor = g_settings_get_int64 (self->settings, "target-wage-minor");
  if (!fl_currency_is_known (code))
    {
      g_set_error (&error, FL_MONEY_ERROR, FL_MONEY_ERROR_UNKNOWN_CURRENCY,
                   _ ("Unknown currency code “%s”"), code);
    }
  else if (old_minor > 0)
    {
      FlMoney old_money;
      g_autofree char *decimal = NULL;

      if (fl_money_init (&old_money, old_minor, old_currency, NULL))
        decimal = fl_money_to_decimal (&old_money);
      /* "15.00" is 15 in a currency without cents; "15.50" is not. */
      if (decimal != NULL && strchr (decimal, '.') != NULL)
        {
          gsize len = strlen (decimal);

          while (len > 0 && decimal[len - 1] == '0')
            decimal[--len] = '\0';
          if (len > 0 && decimal[len - 1] == '.')
            decimal[--len] = '\0';
        }
      if (decimal != NULL)
        fl_money_parse (decimal, code, &money, &error);
      else
        fl_money_init (&money, 0, code, &error);
    }
  else
    fl_money_init (&money, 0, code, &error);

  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (
        _ ("The currency stays %s: %s. Change the wage first."), old_currency, error->message);

      fl_preferences_window_toast (self, message);
      self->reverting_currency = TRUE;
      adw_combo_row_set_selected (self->currency_row,
                                  fl_preferences_window_currency_position (self, old_currency));
      self->reverting_currency = FALSE;
      return FALSE;
    }

  g_settings_set_int64 (self->settings, "target-wage-minor", money.amount_minor);
  g_settings_set_string (self->settings, "target-currency", code);

  adw_combo_row_set_selected (self->currency_row,
                              fl_preferences_window_currency_position (self, code));
  fl_preferences_window_show_wage (self);
  return TRUE;
}

static void
on_currency_selected (FlPreferencesWindow *self)
{
  guint position = adw_combo_row_get_selected (self->currency_row);
  const char *code;

  if (self->reverting_currency || position == GTK_INVALID_LIST_POSITION)
    return;
  code = gtk_string_list_get_string (self->currency_list, position);
  if (code != NULL)
    fl_preferences_window_select_currency (self, code);
}

/* FlClient owns the rules for addresses (scheme, host, TLS); a throwaway
 * client applies them without touching the network, and gives the address
 * in the spelling the rest of the app uses. */
static char *
fl_preferences_window_check_url (FlPreferencesWindow *self, const char *url, GError **error)
{
  g_autoptr (FlClient) probe = NULL;

  probe =
    fl_client_new (url, "-", g_settings_get_boolean (self->settings, "allow-insecure-http"), error);
  return probe != NULL ? g_strdup (fl_client_get_base_url (probe)) : NULL;
}

static gboolean
fl_preferences_window_apply_server_url (FlPreferencesWindow *self, const char *url)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr (GError) error = NULL;

  trimmed = g_strstrip (g_strdup (url));
  normalized = fl_preferences_window_check_url (self, trimmed, &error);
  if (normalized == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
      fl_preferences_window_toast (self, error->message);
      return FALSE;
    }
  g_settings_set_string (self->settings, "server-url", normalized);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), normalized);
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
  return TRUE;
}

static void
on_server_apply (FlPreferencesWindow *self)
{
  fl_preferences_window_apply_server_url (self,
                                          gtk_editable_get_text (GTK_EDITABLE (self->server_row)));
}

static void
on_style_selected (FlPreferencesWindow *self)
{
  guint position = adw_combo_row_get_selected (self->style_row);

  if (position != GTK_INVALID_LIST_POSITION && position <= 2)
    g_settings_set_enum (self->settings, "color-scheme", (int) position);
}

static void
fl_preferences_window_constructed (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);
  g_autofree char *currency = NULL;
  g_autofree char *server_url = NULL;
  guint position;

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  currency = fl_preferences_window_dup_currency (self);
  position = fl_preferences_window_currency_position (self, currency);
  self->reverting_currency = TRUE;
  adw_combo_row_set_selected (self->currency_row, position);
  self->reverting_currency = FALSE;
  fl_preferences_window_show_wage (self);

  server_url = g_settings_get_string (self->settings, "server-url");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);

  g_settings_bind (self->settings, "hide-below-target", self->hide_below_target_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "keep-going", self->keep_going_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "allow-insecure-http", self->insecure_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "idle-timeout", self->idle_timeout_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  adw_combo_row_set_selected (self->style_row,
                              (guint) g_settings_get_enum (self->settings, "color-scheme"));
}

static void
fl_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

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
fl_preferences_window_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

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
fl_preferences_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FL_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->dispose (object);
}

static void
fl_preferences_window_finalize (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fl_preferences_window_parent_class)->finalize (object);
}

static void
fl_preferences_window_class_init (FlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fl_preferences_window_constructed;
  object_class->set_property = fl_preferences_window_set_property;
  object_class->get_property = fl_preferences_window_get_property;
  object_class->dispose = fl_preferences_window_dispose;
  object_class->finalize = fl_preferences_window_finalize;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fairlabel/Fairlabel/fl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, wage_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, wage_unit_label);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, currency_list);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow,
                                        hide_below_target_switch);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, idle_timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, keep_going_switch);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, style_row);
  gtk_widget_class_bind_template_callback (widget_class, on_wage_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_currency_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_server_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_style_selected);
}

static void
fl_preferences_window_init (FlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Filled before constructed() selects the saved currency; the combo row's
   * notify::selected handler is blocked by reverting_currency until then. */
  self->reverting_currency = TRUE;
  gtk_string_list_splice (self->currency_list, 0, 0, (const char *const *) fl_currency_list ());
  self->reverting_currency = FALSE;
}

FlPreferencesWindow *
fl_preferences_window_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (FL_TYPE_PREFERENCES_WINDOW, "settings", settings, NULL);
}

/* A run started with --server connects without saving its address; the window shows the
 * address in use all the same, and saves it only when it is applied. */
void
fl_preferences_window_show_server_url (FlPreferencesWindow *self, const char *url)
{
  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (url != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
}
