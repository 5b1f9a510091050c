/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "fl-application.h"
#include "fl-client.h"

G_BEGIN_DECLS

#define FL_TYPE_WINDOW (fl_window_get_type ())
G_DECLARE_FINAL_TYPE (FlWindow, fl_window, FL, WINDOW, AdwApplicationWindow)

FlWindow *fl_window_new (FlApplication *application, GSettings *settings);

/* Connects with @token when given (not saved), else with the keyring's token
 * for @server_url (or the saved server address), else shows the first-run page. */
void fl_window_start (FlWindow *self, const char *server_url, const char *token);

void fl_window_show_connected (FlWindow *self, FlClient *client);
void fl_window_show_first_run (FlWindow *self, const char *message);
void fl_window_set_header_widgets (FlWindow *self, GtkWidget *title, GtkWidget *end);
void fl_window_add_toast (FlWindow *self, const char *message);

FlClient *fl_window_get_client (FlWindow *self);
GSettings *fl_window_get_settings (FlWindow *self);
const char *fl_window_get_visible_page (FlWindow *self);

G_END_DECLS
