/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fl-protocol.h"

G_BEGIN_DECLS

#define FL_TYPE_TASK_PAGE (fl_task_page_get_type ())
G_DECLARE_FINAL_TYPE (FlTaskPage, fl_task_page, FL, TASK_PAGE, AdwBin)

GtkWidget *fl_task_page_new (void);

/* Shows @assignment (borrowed; copied as needed) with its downloaded asset files
 * (GFile, in the order of the task's assets; NULL where a download failed).
 * @deadline_us: g_get_monotonic_time () at which the lease runs out.
 * @draft_json: nullable; the result to restore. */
void fl_task_page_show (FlTaskPage *self, const FlAssignment *assignment, GPtrArray *files,
                        gint64 deadline_us, const char *draft_json);
gint64 fl_task_page_get_assignment_id (FlTaskPage *self);
void fl_task_page_set_deadline (FlTaskPage *self, gint64 deadline_us);

/* The result as it stands: a new JSON node, or NULL and an error a person can act on. */
JsonNode *fl_task_page_get_result (FlTaskPage *self, GError **error);

/* What to keep as the draft: the result as text, even when it is not valid JSON yet. */
char *fl_task_page_get_draft_text (FlTaskPage *self);

/* A message above the work (NULL hides it); the work stays as it is. */
void fl_task_page_show_message (FlTaskPage *self, const char *message, gboolean is_error);
void fl_task_page_set_busy (FlTaskPage *self, gboolean busy);
/* The lease ran out: Submit turns off and the message says why; the work stays. */
void fl_task_page_set_expired (FlTaskPage *self);
gboolean fl_task_page_get_expired (FlTaskPage *self);

gboolean fl_task_page_get_keep_going (FlTaskPage *self);
void fl_task_page_set_keep_going (FlTaskPage *self, gboolean keep_going);

G_END_DECLS
