/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_APPLICATION (fl_application_get_type ())
G_DECLARE_FINAL_TYPE (FlApplication, fl_application, FL, APPLICATION, AdwApplication)

/* Exit status for a command line that cannot be used (unknown option, bad URL). */
#define FL_EXIT_USAGE 2

FlApplication *fl_application_new (void);

GSettings *fl_application_get_settings (FlApplication *self);

G_END_DECLS
