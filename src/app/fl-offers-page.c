/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlOffersPage"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-offer-item.h"
#include "fl-offer-row.h"
#include "fl-offers-page.h"

struct _FlOffersPage
{
  AdwBin parent_instance;

  GListStore *store;
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GtkCustomFilter *filter;
  gint64 target_minor;
  char *target_currency;
  gboolean loaded;
  guint spinner_source;

  GtkLabel *summary_label;
  GtkToggleButton *hide_toggle;
  GtkButton *refresh_button;
  GtkStack *stack;
  GtkSpinner *spinner;
  GtkListView *list_view;
  AdwStatusPage *offline_page;
};

G_DEFINE_FINAL_TYPE (FlOffersPage, fl_offers_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_HIDE_BELOW_TARGET,
  N_PROPS
};

enum
{
  SIGNAL_ACCEPT,
  SIGNAL_REFRESH,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_view (FlOffersPage *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->sorted));
  guint below = 0;
  g_autofree char *summary = NULL;

  if (!self->loaded)
    return;

  for (guint i = 0; i < total; i++)
    {
      g_autoptr (FlOfferItem) item = g_list_model_get_item (G_LIST_MODEL (self->store), i);
      if (fl_offer_item_is_below_target (item, self->target_minor, self->target_currency))
        below++;
    }

  if (total == 0)
    summary = g_strdup ("");
  else if (below > 0 && shown < total)
    /* Translators: %u offers shown, %u hidden because they pay below the target */
    summary = g_strdup_printf (_ ("%u offers, best hourly rate first; %u below your target "
                                  "hidden"),
                               shown, below);
  else if (below > 0)
    summary =
      g_strdup_printf (_ ("%u offers, best hourly rate first; %u below your target"), total, below);
  else
    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u offer, best hourly rate first",
                                            "%u offers, best hourly rate first", total),
                               total);
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_sensitive (GTK_WIDGET (self->hide_toggle), self->target_minor > 0);
  /* Says why the button does nothing yet. */
  gtk_widget_set_tooltip_text (
    GTK_WIDGET (self->hide_toggle),
    self->target_minor > 0
      ? _ ("Hide offers whose estimated hourly rate is below your target wage")
      : _ ("Set your target hourly wage in Preferences to hide the offers that pay less"));

  /* The first answer appears at once, with no fade from the blank page. */
  gtk_stack_set_visible_child_full (
    self->stack,
    total == 0   ? "empty"
    : shown == 0 ? "all-hidden"
                 : "list",
    g_str_equal (gtk_stack_get_visible_child_name (self->stack), "blank")
      ? GTK_STACK_TRANSITION_TYPE_NONE
      : GTK_STACK_TRANSITION_TYPE_CROSSFADE);
}

static gboolean
filter_offer (gpointer object, gpointer user_data)
{
  FlOffersPage *self = user_data;

  if (!gtk_toggle_button_get_active (self->hide_toggle))
    return TRUE;
  return !fl_offer_item_is_below_target (object, self->target_minor, self->target_currency);
}

static int
compare_offers (gconstpointer a, gconstpointer b, gpointer user_data)
{
  FlOffersPage *self = user_data;
  FlOfferItem *ia = (FlOfferItem *) a;
  FlOfferItem *ib = (FlOfferItem *) b;
  const char *ca = fl_offer_item_get_offer (ia)->reward.currency;
  const char *cb = fl_offer_item_get_offer (ib)->reward.currency;
  gint64 ra = fl_offer_item_get_hourly_rate (ia);
  gint64 rb = fl_offer_item_get_hourly_rate (ib);

  /* Rates in different currencies do not compare: the worker's own comes
   * first, then each currency in a block. */
  if (g_strcmp0 (ca, cb) != 0)
    {
      if (g_strcmp0 (ca, self->target_currency) == 0)
        return -1;
      if (g_strcmp0 (cb, self->target_currency) == 0)
        return 1;
      return g_strcmp0 (ca, cb);
    }

  if (ra != rb)
    return ra > rb ? -1 : 1;
  return g_utf8_collate (fl_offer_item_get_offer (ia)->title, fl_offer_item_get_offer (ib)->title);
}

static void
on_hide_toggled (FlOffersPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDE_BELOW_TARGET]);
}

static void
on_show_all_clicked (FlOffersPage *self)
{
  gtk_toggle_button_set_active (self->hide_toggle, FALSE);
}

static void
on_refresh_clicked (FlOffersPage *self)
{
  g_signal_emit (self, signals[SIGNAL_REFRESH], 0);
}

static void
on_row_accept (FlOfferRow *row, gint64 project_id, FlOffersPage *self)
{
  g_signal_emit (self, signals[SIGNAL_ACCEPT], 0, project_id);
}

static void
setup_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, FlOffersPage *self)
{
  GtkWidget *row = fl_offer_row_new ();

  g_signal_connect_object (row, "accept", G_CALLBACK (on_row_accept), self, 0);
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_row (GtkSignalListItemFactory *factory, GtkListItem *list_item, FlOffersPage *self)
{
  fl_offer_row_set_item (FL_OFFER_ROW (gtk_list_item_get_child (list_item)),
                         gtk_list_item_get_item (list_item), self->target_minor,
                         self->target_currency);
}

static void
fl_offers_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlOffersPage *self = FL_OFFERS_PAGE (object);

  switch (prop_id)
    {
      case PROP_HIDE_BELOW_TARGET:
        g_value_set_boolean (value, gtk_toggle_button_get_active (self->hide_toggle));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_offers_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlOffersPage *self = FL_OFFERS_PAGE (object);

  switch (prop_id)
    {
      case PROP_HIDE_BELOW_TARGET:
        gtk_toggle_button_set_active (self->hide_toggle, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_offers_page_dispose (GObject *object)
{
  FlOffersPage *self = FL_OFFERS_PAGE (object);

  g_clear_handle_id (&self->spinner_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_OFFERS_PAGE);
  g_clear_object (&self->sorted);
  g_clear_pointer (&self->target_currency, g_free);

  G_OBJECT_CLASS (fl_offers_page_parent_class)->dispose (object);
}

static void
fl_offers_page_class_init (FlOffersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_offers_page_dispose;
  object_class->get_property = fl_offers_page_get_property;
  object_class->set_property = fl_offers_page_set_property;

  properties[PROP_HIDE_BELOW_TARGET] =
    g_param_spec_boolean ("hide-below-target", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (project id) */
  signals[SIGNAL_ACCEPT] = g_signal_new ("accept", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_REFRESH] = g_signal_new ("refresh", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-offers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, hide_toggle);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, FlOffersPage, offline_page);
  gtk_widget_class_bind_template_callback (widget_class, on_hide_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_show_all_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
}

static void
fl_offers_page_init (FlOffersPage *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (FL_TYPE_OFFER_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->store = g_list_store_new (FL_TYPE_OFFER_ITEM);
  self->filter = gtk_custom_filter_new (filter_offer, self, NULL);
  self->filtered =
    gtk_filter_list_model_new (G_LIST_MODEL (self->store), GTK_FILTER (self->filter));
  self->sorted = gtk_sort_list_model_new (
    G_LIST_MODEL (self->filtered),
    GTK_SORTER (gtk_custom_sorter_new ((GCompareDataFunc) compare_offers, self, NULL)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (gtk_no_selection_new (
                                              G_LIST_MODEL (g_object_ref (self->sorted)))));
  gtk_widget_set_sensitive (GTK_WIDGET (self->hide_toggle), FALSE);
  fl_offers_page_show_loading (self);
}

GtkWidget *
fl_offers_page_new (void)
{
  return g_object_new (FL_TYPE_OFFERS_PAGE, NULL);
}

static gboolean
on_still_loading (gpointer user_data)
{
  FlOffersPage *self = user_data;

  self->spinner_source = 0;
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  return G_SOURCE_REMOVE;
}

/* A spinner only when the wait is long enough to notice: drawing one costs
 * frames that a fast answer does not need. */
void
fl_offers_page_show_loading (FlOffersPage *self)
{
  g_return_if_fail (FL_IS_OFFERS_PAGE (self));

  if (self->loaded || self->spinner_source != 0)
    return;
  self->spinner_source = g_timeout_add (300, on_still_loading, self);
}

void
fl_offers_page_set_busy (FlOffersPage *self, gboolean busy)
{
  g_return_if_fail (FL_IS_OFFERS_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->list_view), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->refresh_button), !busy);
}

void
fl_offers_page_set_offers (FlOffersPage *self, GPtrArray *offers)
{
  g_autoptr (GPtrArray) owned = offers;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (FL_IS_OFFERS_PAGE (self));
  g_return_if_fail (offers != NULL);

  /* The items take the offers over from the array. */
  g_ptr_array_set_free_func (owned, NULL);
  for (guint i = 0; i < owned->len; i++)
    g_ptr_array_add (items, fl_offer_item_new (owned->pdata[i]));
  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       items->pdata, items->len);
  self->loaded = TRUE;
  g_clear_handle_id (&self->spinner_source, g_source_remove);
  gtk_spinner_stop (self->spinner);
  update_view (self);
}

void
fl_offers_page_show_offline (FlOffersPage *self, const char *message)
{
  g_return_if_fail (FL_IS_OFFERS_PAGE (self));

  adw_status_page_set_description (self->offline_page, message);
  g_clear_handle_id (&self->spinner_source, g_source_remove);
  gtk_spinner_stop (self->spinner);
  gtk_label_set_label (self->summary_label, "");
  gtk_stack_set_visible_child_name (self->stack, "offline");
}

void
fl_offers_page_set_target (FlOffersPage *self, gint64 target_minor, const char *currency)
{
  g_autoptr (GListModel) model = NULL;

  g_return_if_fail (FL_IS_OFFERS_PAGE (self));

  self->target_minor = target_minor;
  g_free (self->target_currency);
  self->target_currency = g_strdup (currency);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (gtk_sort_list_model_get_sorter (self->sorted), GTK_SORTER_CHANGE_DIFFERENT);
  /* Rebind the rows so their marks follow the new target. */
  model = G_LIST_MODEL (g_object_ref (gtk_list_view_get_model (self->list_view)));
  gtk_list_view_set_model (self->list_view, NULL);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (model));
  update_view (self);
}

GListModel *
fl_offers_page_get_model (FlOffersPage *self)
{
  g_return_val_if_fail (FL_IS_OFFERS_PAGE (self), NULL);

  return G_LIST_MODEL (self->sorted);
}
