/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fl-application.h"

G_BEGIN_DECLS

/* g_test_init (), then GTK and libadwaita on the display; FALSE, said why, without one. */
gboolean fl_test_gtk_init (int *argc, char ***argv);

typedef gboolean (*FlTestWidgetMatch) (GtkWidget *widget, gconstpointer data);

/* The first widget, @root included and depth first, for which @match answers TRUE. */
GtkWidget *fl_test_find_widget (GtkWidget *root, FlTestWidgetMatch match, gconstpointer data);
/* The first widget at or below @root of @type whose "title" (rows, pages), "label" (buttons,
 * labels, check buttons) or "placeholder-text" (entries) is @text; any of @type when @text
 * is NULL. */
GtkWidget *fl_test_find_widget_of_type (GtkWidget *root, GType type, const char *text);
/* A mapped toplevel window of @type, or NULL. */
GtkWindow *fl_test_find_toplevel (GType type);

/* The next frame @widget draws, rendered by its window's renderer. */
GdkTexture *fl_test_render_next_frame (GtkWidget *widget);
/* Saves the next frame @widget draws to <builddir>/meson-logs/NAME.png; answers the path. */
char *fl_test_save_screenshot (GtkWidget *widget, const char *name);
/* The pixels of @pixbuf less than opaque: in a render, which starts
 * transparent, the places nothing was painted. */
guint fl_test_count_transparent (GdkPixbuf *pixbuf);

/* An application like main() makes, never handed to another instance. */
FlApplication *fl_test_application_new (void);

G_END_DECLS
