/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fl-server-store.h"

G_BEGIN_DECLS

/* Adding tasks from files, shared by the command line and --demo. All of these
 * run inside the caller's transaction and refuse asset paths that leave @base_dir. */

/* A JSON list [{"assets":["rel/path.jpg"],"pre_annotation":{...},"data":{...}}]. */
gboolean fl_server_import_task_array (FlServerStore *store, gint64 project_id, JsonArray *tasks,
                                      const char *base_dir, guint *n_added, GError **error);
/* A task-list file, or a folder of images or audio files (one task per file). */
gboolean fl_server_import_path (FlServerStore *store, gint64 project_id, const char *path,
                                guint *n_added, GError **error);
/* A file in a foreign dataset format (read by fl_dataset_import). */
gboolean fl_server_import_dataset (FlServerStore *store, gint64 project_id, const char *path,
                                   const char *format, guint *n_added, char **report,
                                   GError **error);
/* Seeds the projects of a demo manifest (demo.json). */
gboolean fl_server_seed_demo (FlServerStore *store, const char *manifest, GError **error);
/* Writes a project's approved results with fl_dataset_export. */
gboolean fl_server_export (FlServerStore *store, gint64 project_id, const char *format,
                           const char *out_dir, guint *n_items, GError **error);

G_END_DECLS
