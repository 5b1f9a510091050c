/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlLabelRow"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-label-row.h"

struct _FlLabelRow
{
  GtkListBoxRow parent_instance;

  GtkDrawingArea *swatch;
  GtkLabel *name_label;
  GtkLabel *hotkey_label;

  char *name;
  FlColor color;
};

G_DEFINE_FINAL_TYPE (FlLabelRow, fl_label_row, GTK_TYPE_LIST_BOX_ROW)

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  FlLabelRow *self = user_data;
  double size = MIN (width, height);

  cairo_set_source_rgb (cr, self->color.red, self->color.green, self->color.blue);
  cairo_arc (cr, width / 2.0, height / 2.0, size / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
fl_label_row_finalize (GObject *object)
{
  FlLabelRow *self = FL_LABEL_ROW (object);

  g_free (self->name);
  G_OBJECT_CLASS (fl_label_row_parent_class)->finalize (object);
}

static void
fl_label_row_class_init (FlLabelRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_label_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-label-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLabelRow, swatch);
  gtk_widget_class_bind_template_child (widget_class, FlLabelRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlLabelRow, hotkey_label);
}

static void
fl_label_row_init (FlLabelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->swatch, draw_swatch, self, NULL);
}

GtkWidget *
fl_label_row_new (const FlLabelClass *klass)
{
  FlLabelRow *self;

  g_return_val_if_fail (klass != NULL, NULL);

  self = g_object_new (FL_TYPE_LABEL_ROW, NULL);
  self->name = g_strdup (klass->name);
  self->color = klass->color;
  gtk_label_set_text (self->name_label, klass->name);
  if (klass->hotkey != 0)
    {
      char key[2] = { klass->hotkey, '\0' };

      gtk_label_set_text (self->hotkey_label, key);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->hotkey_label), klass->hotkey != 0);
  return GTK_WIDGET (self);
}

const char *
fl_label_row_get_name (FlLabelRow *self)
{
  g_return_val_if_fail (FL_IS_LABEL_ROW (self), NULL);
  return self->name;
}
