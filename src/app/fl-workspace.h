/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-client.h"
#include "fl-earnings-page.h"
#include "fl-local-store.h"
#include "fl-offers-page.h"
#include "fl-task-page.h"

G_BEGIN_DECLS

#define FL_TYPE_WORKSPACE (fl_workspace_get_type ())
G_DECLARE_FINAL_TYPE (FlWorkspace, fl_workspace, FL, WORKSPACE, AdwBin)

/* The worker's day on @client's server: offers, the task at hand, earnings.
 * @store: the local drafts and outbox (NULL: the one in the XDG data dir).
 * @currency: the server's currency, for the meter. */
FlWorkspace *fl_workspace_new (FlClient *client, GSettings *settings, FlLocalStore *store,
                               const char *currency, GError **error);

/* The widgets for the window's header bar: the view switcher with the outbox
 * count, and the earnings meter. */
GtkWidget *fl_workspace_get_header_title (FlWorkspace *self);
GtkWidget *fl_workspace_get_header_end (FlWorkspace *self);

/* Reloads the offers (also done at start). */
void fl_workspace_reload_offers (FlWorkspace *self);
/* "offers", "waiting", "task" or "earnings". */
const char *fl_workspace_get_visible_page (FlWorkspace *self);
void fl_workspace_show_earnings (FlWorkspace *self);

FlOffersPage *fl_workspace_get_offers_page (FlWorkspace *self);
FlTaskPage *fl_workspace_get_task_page (FlWorkspace *self);
FlEarningsPage *fl_workspace_get_earnings_page (FlWorkspace *self);
/* Submissions committed locally and not yet delivered. */
guint fl_workspace_get_waiting (FlWorkspace *self);
/* The worker leaves for good (the window closes, the app quits): the open task's draft is
 * saved and it stays reserved; the task reserved ahead to keep going goes back to the pool,
 * the application held (if there is one) until the server answers, a second at the most.
 * Also done on dispose. */
void fl_workspace_leave (FlWorkspace *self);

G_END_DECLS
