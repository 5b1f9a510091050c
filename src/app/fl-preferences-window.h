/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_PREFERENCES_WINDOW (fl_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, FL, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

FlPreferencesWindow *fl_preferences_window_new (GSettings *settings);

/* The same steps as the wage row's apply button; FALSE (and a toast) when
 * @text is not an amount in the chosen currency. */
gboolean fl_preferences_window_apply_wage (FlPreferencesWindow *self, const char *text);
gboolean fl_preferences_window_select_currency (FlPreferencesWindow *self, const char *code);
gboolean fl_preferences_window_apply_server_url (FlPreferencesWindow *self, const char *url);

G_END_DECLS
