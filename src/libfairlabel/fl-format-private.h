/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <math.h>

#include <gio/gio.h>

#include "fl-dataset.h"

G_BEGIN_DECLS

/* Shared by the fl-format-*.c readers and writers; not public API. */

/* Members that may be missing or of another type: NULL, without a critical. */
static inline JsonArray *
fl_json_get_array (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static inline JsonObject *
fl_json_get_object (JsonObject *object, const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static inline const char *
fl_json_array_string (JsonArray *array, guint index)
{
  JsonNode *node =
    array && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : NULL;
}

/* Typed members with a default for missing members and members of another
 * type: input files are not trusted to have the types they should. */
static inline const char *
fl_json_string (JsonObject *object, const char *name, const char *default_value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : default_value;
}

static inline double
fl_json_double (JsonObject *object, const char *name, double default_value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             (json_node_get_value_type (node) == G_TYPE_DOUBLE ||
              json_node_get_value_type (node) == G_TYPE_INT64)
           ? json_node_get_double (node)
           : default_value;
}

static inline gint64
fl_json_int (JsonObject *object, const char *name, gint64 default_value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_INT64
           ? json_node_get_int (node)
           : default_value;
}

static inline gboolean
fl_json_bool (JsonObject *object, const char *name, gboolean default_value)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
             json_node_get_value_type (node) == G_TYPE_BOOLEAN
           ? json_node_get_boolean (node)
           : default_value;
}

/* NAN unless the element is a number. */
static inline double
fl_json_array_double (JsonArray *array, guint index)
{
  JsonNode *node =
    array && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    return NAN;
  return json_node_get_double (node);
}

static inline JsonArray *
fl_json_array_array (JsonArray *array, guint index)
{
  JsonNode *node =
    array && index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

typedef struct
{
  FlDataset *ds;
  FlImportReport *report;
  char *root; /* canonical import folder, no trailing slash */
  GCancellable *cancellable;
} FlImportContext;

/* Export: the names the items get in the output, unique by stem. */
typedef struct
{
  FlDataset *ds;
  char *out_dir;
  char **names; /* per item, file name in the export */
  char **stems; /* per item, names without extension */
  GCancellable *cancellable;
} FlExportContext;

typedef gboolean (*FlExportFunc) (FlExportContext *ctx, GError **error);
typedef gboolean (*FlImportFunc) (FlImportContext *ctx, const char *path, GError **error);

/* Writers */
gboolean fl_format_export_json (FlExportContext *ctx, GError **error);
gboolean fl_format_export_jsonl (FlExportContext *ctx, GError **error);
gboolean fl_format_export_coco (FlExportContext *ctx, GError **error);
gboolean fl_format_export_yolo (FlExportContext *ctx, GError **error);
gboolean fl_format_export_voc (FlExportContext *ctx, GError **error);
gboolean fl_format_export_cvat (FlExportContext *ctx, GError **error);
gboolean fl_format_export_label_studio (FlExportContext *ctx, GError **error);
gboolean fl_format_export_srt (FlExportContext *ctx, GError **error);
gboolean fl_format_export_vtt (FlExportContext *ctx, GError **error);
gboolean fl_format_export_txt (FlExportContext *ctx, GError **error);
gboolean fl_format_export_asr_manifest (FlExportContext *ctx, GError **error);
gboolean fl_format_export_segments (FlExportContext *ctx, GError **error);

/* Readers: path is the file (or folder) that holds the format. */
gboolean fl_format_import_json (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_jsonl (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_folder (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_coco (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_yolo (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_voc (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_cvat (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_label_studio (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_srt (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_vtt (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_txt (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_asr_manifest (FlImportContext *ctx, const char *path, GError **error);
gboolean fl_format_import_segments (FlImportContext *ctx, const char *path, GError **error);

/* Numbers: the shortest text that reads back as the same double. */
void fl_format_append_number (GString *out, double value);
/* JSON string literal with quotes; the writers build JSON text directly so
 * that numbers come out in their shortest form (JsonGenerator writes %.17g). */
void fl_format_append_json_string (GString *out, const char *text);
/* XML text and attribute escaping for the writers. */
void fl_format_append_xml_escaped (GString *out, const char *text);
void fl_format_append_csv_field (GString *out, const char *text);
gboolean fl_format_write_file (FlExportContext *ctx, const char *relative, GString *contents,
                               GError **error);
char *fl_format_iso8601 (gint64 unix_time);
gint64 fl_format_parse_iso8601 (const char *text);
/* Copies every item's asset into out_dir/subdir. */
gboolean fl_format_copy_assets (FlExportContext *ctx, const char *subdir, GError **error);
/* The label config's class names in order, then labels only seen in results. */
GPtrArray *fl_format_collect_labels (FlDataset *ds);
/* Width and height of an image result, else of the item, else read from the file. */
gboolean fl_format_image_size (FlDatasetItem *item, int *width, int *height);
/* Seconds of an audio item: result, else item, else the last segment end. */
double fl_format_audio_duration (FlDatasetItem *item);
JsonArray *fl_format_result_array (FlDatasetItem *item, const char *member);
const char *fl_format_shape_string (JsonObject *shape, const char *member);
double fl_format_shape_number (JsonObject *shape, const char *member);
/* Points of a polygon shape as x0,y0,x1,y1,...; n_points set. */
double *fl_format_shape_points (JsonObject *shape, guint *n_points);
void fl_format_append_attributes_json (GString *out, JsonObject *shape);
char *fl_format_relative (FlImportContext *ctx, const char *path);

/* Refuses results that do not follow the result contract, naming the task. */
gboolean fl_format_check_result (FlDataset *ds, FlDatasetItem *item, GError **error);

/* Import helpers */
gboolean fl_format_read_text (FlImportContext *ctx, const char *path, char **contents,
                              gsize *length, GError **error);
/* Parses a JSON file of at most the stream threshold; larger files return
 * NULL with FL_DATASET_ERROR_NOT_SUPPORTED unless streamed by the caller. */
JsonNode *fl_format_load_json (FlImportContext *ctx, const char *path, GError **error);
goffset fl_format_stream_threshold (void);
/* Calls func for each element of the top-level array of a JSON file, or of each
 * array member of the top-level object (with its key), reading it piece by piece. */
typedef gboolean (*FlJsonElementFunc) (const char *key, JsonNode *element, guint line,
                                       gpointer user_data, GError **error);
gboolean fl_format_stream_json (FlImportContext *ctx, const char *path, FlJsonElementFunc func,
                                gpointer user_data, GError **error);
/* Resolves a reference (path, file:// URL, Label Studio local-files URL)
 * relative to base_dir; NULL and a report entry when it leaves the import folder
 * or does not exist. */
char *fl_format_resolve_asset (FlImportContext *ctx, const char *ref, const char *base_dir,
                               const char *src_file, guint line);
/* Creates an item for a verified local file; fills name, media type and,
 * for images, the size. NULL (reported) when its kind does not fit the dataset. */
FlDatasetItem *fl_format_add_asset (FlImportContext *ctx, const char *resolved,
                                    const char *src_file, guint line);
gboolean fl_format_ensure_kind (FlImportContext *ctx, const char *kind, const char *src_file,
                                GError **error);
const char *fl_format_kind_of_media (const char *media_type);
/* The media type guessed from the file name. */
char *fl_format_media_type_of (const char *path);
char *fl_format_find_media_by_stem (const char *dir, const char *stem, const char *kind);

/* Result JSON builders */
JsonObject *fl_result_image_new (int width, int height);
JsonObject *fl_result_add_shape (JsonObject *result, const char *type, const char *label);
void fl_result_add_tag (JsonObject *result, const char *tag);
JsonObject *fl_result_audio_new (double duration);
void fl_result_add_segment (JsonObject *result, double start, double end, const char *speaker,
                            const char *text);
/* Checks a result read from a file; invalid shapes are dropped and reported. */
JsonNode *fl_result_sanitize (FlImportContext *ctx, JsonNode *result, const char *src_file,
                              guint line);
guint fl_result_count (JsonNode *result);
/* Adds classes, tags and speakers seen in results to the label config. */
void fl_format_complete_label_config (FlDataset *ds);

G_END_DECLS
