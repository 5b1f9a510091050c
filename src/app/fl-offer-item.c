/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlOfferItem"

#include "config.h"

#include "fl-money.h"
#include "fl-offer-item.h"

struct _FlOfferItem
{
  GObject parent_instance;

  FlOffer *offer;
};

G_DEFINE_FINAL_TYPE (FlOfferItem, fl_offer_item, G_TYPE_OBJECT)

static void
fl_offer_item_finalize (GObject *object)
{
  FlOfferItem *self = FL_OFFER_ITEM (object);

  g_clear_pointer (&self->offer, fl_offer_free);

  G_OBJECT_CLASS (fl_offer_item_parent_class)->finalize (object);
}

static void
fl_offer_item_class_init (FlOfferItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_offer_item_finalize;
}

static void
fl_offer_item_init (FlOfferItem *self)
{
}

FlOfferItem *
fl_offer_item_new (FlOffer *offer)
{
  FlOfferItem *self;

  g_return_val_if_fail (offer != NULL, NULL);

  self = g_object_new (FL_TYPE_OFFER_ITEM, NULL);
  self->offer = offer;
  return self;
}

const FlOffer *
fl_offer_item_get_offer (FlOfferItem *self)
{
  g_return_val_if_fail (FL_IS_OFFER_ITEM (self), NULL);

  return self->offer;
}

gint64
fl_offer_item_get_hourly_rate (FlOfferItem *self)
{
  g_return_val_if_fail (FL_IS_OFFER_ITEM (self), 0);

  /* Derived here too, so a server that rounds up cannot overstate it. */
  return MIN (self->offer->estimated_hourly_rate.amount_minor > 0
                ? self->offer->estimated_hourly_rate.amount_minor
                : G_MAXINT64,
              fl_rate_per_hour (self->offer->reward.amount_minor, self->offer->estimate.seconds));
}

gboolean
fl_offer_item_is_below_target (FlOfferItem *self, gint64 target_minor, const char *currency)
{
  g_return_val_if_fail (FL_IS_OFFER_ITEM (self), FALSE);

  if (target_minor <= 0 || currency == NULL || self->offer->estimate.seconds <= 0)
    return FALSE;
  if (g_strcmp0 (self->offer->reward.currency, currency) != 0)
    return FALSE;
  return fl_offer_item_get_hourly_rate (self) < target_minor;
}
