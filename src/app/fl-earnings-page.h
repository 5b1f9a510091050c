/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

#define FL_TYPE_EARNINGS_PAGE (fl_earnings_page_get_type ())
G_DECLARE_FINAL_TYPE (FlEarningsPage, fl_earnings_page, FL, EARNINGS_PAGE, AdwBin)

GtkWidget *fl_earnings_page_new (void);
void fl_earnings_page_show_loading (FlEarningsPage *self);
void fl_earnings_page_show_error (FlEarningsPage *self, const char *message);
/* Takes @earnings; @work_time (day -> gint64 * seconds, nullable) is referenced. */
void fl_earnings_page_set_earnings (FlEarningsPage *self, FlEarnings *earnings,
                                    GHashTable *work_time);
/* The ledger as CSV, as the export writes it; NULL before it loaded. */
char *fl_earnings_page_get_csv (FlEarningsPage *self);

G_END_DECLS
