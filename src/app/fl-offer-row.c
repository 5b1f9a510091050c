/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlOfferRow"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-money.h"
#include "fl-offer-row.h"
#include "fl-worker-format.h"

struct _FlOfferRow
{
  AdwBin parent_instance;

  FlOfferItem *item;

  GtkImage *kind_icon;
  GtkLabel *title_label;
  GtkLabel *facts_label;
  GtkLabel *terms_label;
  GtkLabel *reward_label;
  GtkLabel *minutes_label;
  GtkLabel *rate_label;
  GtkLabel *source_label;
  GtkLabel *below_label;
};

G_DEFINE_FINAL_TYPE (FlOfferRow, fl_offer_row, ADW_TYPE_BIN)

enum
{
  SIGNAL_ACCEPT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_accept_clicked (FlOfferRow *self)
{
  if (self->item != NULL)
    g_signal_emit (self, signals[SIGNAL_ACCEPT], 0,
                   fl_offer_item_get_offer (self->item)->project_id);
}

static void
fl_offer_row_dispose (GObject *object)
{
  FlOfferRow *self = FL_OFFER_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_OFFER_ROW);

  G_OBJECT_CLASS (fl_offer_row_parent_class)->dispose (object);
}

static void
fl_offer_row_class_init (FlOfferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_offer_row_dispose;

  /* (project id) */
  signals[SIGNAL_ACCEPT] = g_signal_new ("accept", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-offer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, kind_icon);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, facts_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, terms_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, reward_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, minutes_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, rate_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, source_label);
  gtk_widget_class_bind_template_child (widget_class, FlOfferRow, below_label);
  gtk_widget_class_bind_template_callback (widget_class, on_accept_clicked);
}

static void
fl_offer_row_init (FlOfferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fl_offer_row_new (void)
{
  return g_object_new (FL_TYPE_OFFER_ROW, NULL);
}

FlOfferItem *
fl_offer_row_get_item (FlOfferRow *self)
{
  g_return_val_if_fail (FL_IS_OFFER_ROW (self), NULL);

  return self->item;
}

static char *
estimate_source_text (const FlEstimate *estimate)
{
  switch (estimate->source)
    {
      case FL_ESTIMATE_SOURCE_WORKER_MEDIAN:
        /* Translators: where a time estimate comes from; %u is a number of tasks */
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "your median of %u",
                                             "your median of %u", estimate->samples),
                                estimate->samples);
      case FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN:
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "all workers’ median of %u",
                                             "all workers’ median of %u", estimate->samples),
                                estimate->samples);
      case FL_ESTIMATE_SOURCE_REQUESTER:
      default:
        return g_strdup (_ ("requester’s estimate"));
    }
}

void
fl_offer_row_set_item (FlOfferRow *self, FlOfferItem *item, gint64 target_minor,
                       const char *target_currency)
{
  const FlOffer *offer;
  FlMoney rate;
  g_autofree char *reward = NULL;
  g_autofree char *rate_text = NULL;
  g_autofree char *per_hour = NULL;
  g_autofree char *minutes = NULL;
  g_autofree char *source = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *approve = NULL;
  g_autofree char *approval = NULL;
  g_autofree char *facts = NULL;
  g_autofree char *terms = NULL;
  gboolean below;
  int left;

  g_return_if_fail (FL_IS_OFFER_ROW (self));
  g_return_if_fail (item == NULL || FL_IS_OFFER_ITEM (item));

  g_set_object (&self->item, item);
  if (item == NULL)
    return;
  offer = fl_offer_item_get_offer (item);

  gtk_image_set_from_icon_name (self->kind_icon, g_strcmp0 (offer->kind, "audio") == 0
                                                   ? "audio-x-generic-symbolic"
                                                   : "image-x-generic-symbolic");
  gtk_label_set_label (self->title_label, offer->title);

  reward = fl_money_format (&offer->reward);
  gtk_label_set_label (self->reward_label, reward);
  minutes = fl_worker_format_estimate (offer->estimate.seconds);
  gtk_label_set_label (self->minutes_label, minutes);

  rate = offer->reward;
  rate.amount_minor = fl_offer_item_get_hourly_rate (item);
  rate_text = fl_money_format (&rate);
  /* Translators: an hourly rate, such as “≈ 7.50 USD/h” */
  per_hour = g_strdup_printf (_ ("≈ %s/h"), rate_text);
  gtk_label_set_label (self->rate_label, per_hour);
  source = estimate_source_text (&offer->estimate);
  gtk_label_set_label (self->source_label, source);

  if (offer->reviewed == 0 || offer->approval_rate < 0)
    approval = g_strdup (_ ("no reviews yet"));
  else
    /* Translators: the requester's approval rate; %d%% is a percentage, %u a count */
    approval = g_strdup_printf (_ ("%d%% of %u approved"), (int) (offer->approval_rate * 100),
                                offer->reviewed);
  left = (int) CLAMP (offer->tasks_left, 0, G_MAXINT);
  /* Translators: “Image · 12 tasks left · 96% of 50 approved” */
  facts = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %d task left · %s",
                                        "%s · %d tasks left · %s", (gulong) left),
                           g_strcmp0 (offer->kind, "audio") == 0 ? _ ("Audio") : _ ("Image"), left,
                           approval);
  gtk_label_set_label (self->facts_label, facts);

  lease = fl_worker_format_duration (offer->lease_seconds);
  approve = fl_worker_format_duration (offer->auto_approve_seconds);
  /* Translators: the first %s is how long a task is held, the second when work is approved */
  terms = g_strdup_printf (_ ("Held for %s · approved automatically after %s"), lease, approve);
  gtk_label_set_label (self->terms_label, terms);

  below = fl_offer_item_is_below_target (item, target_minor, target_currency);
  gtk_widget_set_visible (GTK_WIDGET (self->below_label), below);
  if (below)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->rate_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->rate_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->rate_label), "warning");
      if (target_minor > 0 && g_strcmp0 (offer->reward.currency, target_currency) == 0)
        gtk_widget_add_css_class (GTK_WIDGET (self->rate_label), "success");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self->rate_label), "success");
    }
}
