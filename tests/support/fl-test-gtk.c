/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include "fl-test-gtk.h"

GtkWidget *
fl_test_find_widget (GtkWidget *root, FlTestWidgetMatch match, gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fl_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}
