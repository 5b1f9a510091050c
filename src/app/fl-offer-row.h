/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-offer-item.h"

G_BEGIN_DECLS

#define FL_TYPE_OFFER_ROW (fl_offer_row_get_type ())
G_DECLARE_FINAL_TYPE (FlOfferRow, fl_offer_row, FL, OFFER_ROW, AdwBin)

GtkWidget *fl_offer_row_new (void);
void fl_offer_row_set_item (FlOfferRow *self, FlOfferItem *item, gint64 target_minor,
                            const char *target_currency);
FlOfferItem *fl_offer_row_get_item (FlOfferRow *self);

G_END_DECLS
