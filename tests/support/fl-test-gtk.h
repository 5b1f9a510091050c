/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*FlTestWidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget, @root included and depth first, for which @match answers TRUE. */
GtkWidget *fl_test_find_widget (GtkWidget *root, FlTestWidgetMatch match, gconstpointer data);

G_END_DECLS
