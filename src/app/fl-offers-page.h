/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_OFFERS_PAGE (fl_offers_page_get_type ())
G_DECLARE_FINAL_TYPE (FlOffersPage, fl_offers_page, FL, OFFERS_PAGE, AdwBin)

GtkWidget *fl_offers_page_new (void);

void fl_offers_page_show_loading (FlOffersPage *self);
/* Takes the FlOffer array; shows the list, best estimated hourly rate first. */
void fl_offers_page_set_offers (FlOffersPage *self, GPtrArray *offers);
/* The server cannot be reached: an AdwStatusPage with @message and Retry. */
void fl_offers_page_show_offline (FlOffersPage *self, const char *message);
void fl_offers_page_set_target (FlOffersPage *self, gint64 target_minor, const char *currency);
void fl_offers_page_set_busy (FlOffersPage *self, gboolean busy);

/* The offers as shown: filtered and sorted (FlOfferItem). */
GListModel *fl_offers_page_get_model (FlOffersPage *self);

G_END_DECLS
