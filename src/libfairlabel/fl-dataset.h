/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fl-money.h"

G_BEGIN_DECLS

/* One task of a project with its (approved) result, as exported; or one task
 * read from a foreign file, with `result` holding its pre-annotation. */
typedef struct
{
  char *task_id;
  char *asset_name;   /* file name shown to people and used in exports */
  char *asset_path;   /* local file: the stored blob (export) or the verified file (import) */
  char *asset_sha256; /* nullable */
  char *media_type;   /* "image/jpeg", "audio/x-wav", ... nullable */
  int width, height;  /* pixels of the EXIF-rotated image, 0 when unknown */
  double duration;    /* seconds of audio, 0 when unknown */
  JsonNode *result;   /* result JSON (see the label contracts), nullable */
  JsonObject *data;   /* extra task data, kept through imports; nullable */
  char *worker;       /* who labeled it; nullable */
  gint64 submitted_at_unix;
  gint64 active_seconds;
  FlMoney reward;
  char *state; /* "approved", "submitted", ...; nullable */
} FlDatasetItem;

typedef struct
{
  char *kind; /* "image" | "audio" */
  char *project_title;
  JsonObject *label_config;
  GPtrArray *items; /* of FlDatasetItem */
} FlDataset;

typedef enum
{
  FL_IMPORT_ENTRY_IMPORTED,   /* a task was created */
  FL_IMPORT_ENTRY_SKIPPED,    /* something was not imported */
  FL_IMPORT_ENTRY_KEPT_ASIDE, /* not understood; kept in the task's data and listed here */
  FL_IMPORT_ENTRY_CHANGED,    /* imported, but altered (e.g. a box clipped to its image) */
} FlImportEntryKind;

typedef struct
{
  FlImportEntryKind kind;
  char *file; /* relative to the import folder */
  guint line; /* 1-based, 0 when not known */
  char *reason;
} FlImportEntry;

typedef struct
{
  char *format;    /* the format that was read */
  char *root;      /* the import folder: nothing outside it is read */
  guint n_tasks;   /* tasks imported */
  guint n_shapes;  /* shapes and segments imported as pre-annotations */
  guint n_skipped; /* entries skipped */
  guint n_kept_aside;
  guint n_changed;
  guint n_omitted;    /* entries not listed because the list was long */
  GPtrArray *entries; /* of FlImportEntry; imported tasks are counted, not listed */
} FlImportReport;

#define FL_DATASET_ERROR (fl_dataset_error_quark ())

typedef enum
{
  FL_DATASET_ERROR_UNKNOWN_FORMAT,   /* no such format, or the input's format is not recognised */
  FL_DATASET_ERROR_WRONG_FORMAT,     /* the input is not of the format asked for */
  FL_DATASET_ERROR_INVALID,          /* unreadable: broken syntax, not UTF-8, ... */
  FL_DATASET_ERROR_NOT_SUPPORTED,    /* e.g. an audio format for an image project */
  FL_DATASET_ERROR_NOTHING_IMPORTED, /* the report says why */
} FlDatasetError;

GQuark fl_dataset_error_quark (void);

FlDataset *fl_dataset_new (const char *kind);
void fl_dataset_free (FlDataset *ds);
FlDatasetItem *fl_dataset_add_item (FlDataset *ds);

/* Export formats for image projects: "json", "jsonl", "coco", "yolo", "voc",
 * "label-studio", "cvat"; for audio projects: "json", "jsonl", "label-studio",
 * "srt", "vtt", "txt", "asr-manifest", "segments". Writes into out_dir (created
 * when missing), copies the assets beside the labels and always writes
 * fairness-audit.csv. See docs/formats.md. */
gboolean fl_dataset_export (FlDataset *ds, const char *format, const char *out_dir, GError **error);

/* Reads path (a file or a folder); format NULL detects it. Every format that
 * can be exported can be imported, plus "folder" (plain media files).
 * Returns NULL with error when nothing could be read; report is set whenever
 * input was read (also on error), and lists what was skipped and why. */
FlDataset *fl_dataset_import (const char *path, const char *format, FlImportReport **report,
                              GError **error);

/* The same in a worker thread; cancellable stops between files. The dataset
 * must stay alive and unchanged until the callback runs. */
void fl_dataset_export_async (FlDataset *ds, const char *format, const char *out_dir,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
gboolean fl_dataset_export_finish (GAsyncResult *result, GError **error);
void fl_dataset_import_async (const char *path, const char *format, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
/* report is set whenever input was read, also on error. */
FlDataset *fl_dataset_import_finish (GAsyncResult *result, FlImportReport **report, GError **error);

const char *const *fl_dataset_export_formats (const char *kind);
const char *const *fl_dataset_import_formats (void);

/* Files larger than this are read piece by piece; 100 MB unless changed (tests). */
void fl_dataset_set_stream_threshold (goffset bytes);

FlImportReport *fl_import_report_new (const char *root);
void fl_import_report_free (FlImportReport *report);
void fl_import_report_add (FlImportReport *report, FlImportEntryKind kind, const char *file,
                           guint line, const char *format, ...) G_GNUC_PRINTF (5, 6);
char *fl_import_report_to_string (FlImportReport *report);
JsonNode *fl_import_report_to_json (FlImportReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlDataset, fl_dataset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlImportReport, fl_import_report_free)

G_END_DECLS
