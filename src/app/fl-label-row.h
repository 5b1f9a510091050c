/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fl-label-config.h"

G_BEGIN_DECLS

#define FL_TYPE_LABEL_ROW (fl_label_row_get_type ())
G_DECLARE_FINAL_TYPE (FlLabelRow, fl_label_row, FL, LABEL_ROW, GtkListBoxRow)

GtkWidget *fl_label_row_new (const FlLabelClass *klass);
const char *fl_label_row_get_name (FlLabelRow *self);

G_END_DECLS
