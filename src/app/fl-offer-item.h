/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

#define FL_TYPE_OFFER_ITEM (fl_offer_item_get_type ())
G_DECLARE_FINAL_TYPE (FlOfferItem, fl_offer_item, FL, OFFER_ITEM, GObject)

/* Takes @offer. */
FlOfferItem *fl_offer_item_new (FlOffer *offer);
const FlOffer *fl_offer_item_get_offer (FlOfferItem *self);
/* The estimated hourly rate, rounded down; 0 when nothing is known. */
gint64 fl_offer_item_get_hourly_rate (FlOfferItem *self);
/* TRUE when the rate is known, in @currency, and below @target_minor. */
gboolean fl_offer_item_is_below_target (FlOfferItem *self, gint64 target_minor,
                                        const char *currency);

G_END_DECLS
