/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_FIRST_RUN_PAGE (fl_first_run_page_get_type ())
G_DECLARE_FINAL_TYPE (FlFirstRunPage, fl_first_run_page, FL, FIRST_RUN_PAGE, AdwBin)

GtkWidget *fl_first_run_page_new (void);

const char *fl_first_run_page_get_server_url (FlFirstRunPage *self);
void fl_first_run_page_set_server_url (FlFirstRunPage *self, const char *url);
const char *fl_first_run_page_get_token (FlFirstRunPage *self);
void fl_first_run_page_clear_token (FlFirstRunPage *self);

/* Shows @message (NULL hides it) under the fields. */
void fl_first_run_page_set_error (FlFirstRunPage *self, const char *message);
const char *fl_first_run_page_get_error (FlFirstRunPage *self);

/* While busy the fields are locked and a spinner turns. */
void fl_first_run_page_set_busy (FlFirstRunPage *self, gboolean busy);
gboolean fl_first_run_page_get_busy (FlFirstRunPage *self);

/* Offers to connect for this session only, after the keyring refused the token. */
void fl_first_run_page_set_offer_unsaved (FlFirstRunPage *self, gboolean offer);

G_END_DECLS
