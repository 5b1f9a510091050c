/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlDataset"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "fl-dataset.h"
#include "fl-format-private.h"

G_DEFINE_QUARK (fl - dataset - error - quark, fl_dataset_error)

#define MAX_REPORT_ENTRIES 1000

static goffset stream_threshold = 100 * 1024 * 1024;

/* Dataset */

static void
fl_dataset_item_free (FlDatasetItem *item)
{
  g_free (item->task_id);
  g_free (item->asset_name);
  g_free (item->asset_path);
  g_free (item->asset_sha256);
  g_free (item->media_type);
  g_clear_pointer (&item->result, json_node_unref);
  g_clear_pointer (&item->data, json_object_unref);
  g_free (item->worker);
  g_free (item->state);
  g_free (item);
}

FlDataset *
fl_dataset_new (const char *kind)
{
  FlDataset *ds;

  g_return_val_if_fail (kind != NULL, NULL);

  ds = g_new0 (FlDataset, 1);
  ds->kind = g_strdup (kind);
  ds->label_config = json_object_new ();
  ds->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_dataset_item_free);
  return ds;
}

void
fl_dataset_free (FlDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->kind);
  g_free (ds->project_title);
  g_clear_pointer (&ds->label_config, json_object_unref);
  g_ptr_array_unref (ds->items);
  g_free (ds);
}

FlDatasetItem *
fl_dataset_add_item (FlDataset *ds)
{
  FlDatasetItem *item;

  g_return_val_if_fail (ds != NULL, NULL);

  item = g_new0 (FlDatasetItem, 1);
  g_ptr_array_add (ds->items, item);
  return item;
}

void
fl_dataset_set_stream_threshold (goffset bytes)
{
  stream_threshold = bytes > 0 ? bytes : 100 * 1024 * 1024;
}

goffset
fl_format_stream_threshold (void)
{
  return stream_threshold;
}

/* Report */

static void
fl_import_entry_free (FlImportEntry *entry)
{
  g_free (entry->file);
  g_free (entry->reason);
  g_free (entry);
}

FlImportReport *
fl_import_report_new (const char *root)
{
  FlImportReport *report = g_new0 (FlImportReport, 1);

  report->root = g_strdup (root);
  report->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_import_entry_free);
  return report;
}

void
fl_import_report_free (FlImportReport *report)
{
  if (report == NULL)
    return;
  g_free (report->format);
  g_free (report->root);
  g_ptr_array_unref (report->entries);
  g_free (report);
}

void
fl_import_report_add (FlImportReport *report, FlImportEntryKind kind, const char *file, guint line,
                      const char *format, ...)
{
  FlImportEntry *entry;
  va_list args;

  g_return_if_fail (report != NULL);

  switch (kind)
    {
      case FL_IMPORT_ENTRY_IMPORTED:
        report->n_tasks++;
        return;
      case FL_IMPORT_ENTRY_SKIPPED:
        report->n_skipped++;
        break;
      case FL_IMPORT_ENTRY_KEPT_ASIDE:
        report->n_kept_aside++;
        break;
      case FL_IMPORT_ENTRY_CHANGED:
        report->n_changed++;
        break;
      default:
        g_assert_not_reached ();
    }

  if (report->entries->len >= MAX_REPORT_ENTRIES)
    {
      report->n_omitted++;
      return;
    }

  entry = g_new0 (FlImportEntry, 1);
  entry->kind = kind;
  entry->file = g_strdup (file);
  entry->line = line;
  va_start (args, format);
  entry->reason = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (report->entries, entry);
}

static const char *
entry_kind_name (FlImportEntryKind kind)
{
  switch (kind)
    {
      case FL_IMPORT_ENTRY_IMPORTED:
        return "imported";
      case FL_IMPORT_ENTRY_SKIPPED:
        return "skipped";
      case FL_IMPORT_ENTRY_KEPT_ASIDE:
        return "kept aside";
      case FL_IMPORT_ENTRY_CHANGED:
        return "changed";
      default:
        g_assert_not_reached ();
    }
}

static const char *
entry_kind_label (FlImportEntryKind kind)
{
  switch (kind)
    {
      case FL_IMPORT_ENTRY_IMPORTED:
        return _ ("imported");
      case FL_IMPORT_ENTRY_SKIPPED:
        return _ ("skipped");
      case FL_IMPORT_ENTRY_KEPT_ASIDE:
        return _ ("kept aside");
      case FL_IMPORT_ENTRY_CHANGED:
        return _ ("changed");
      default:
        g_assert_not_reached ();
    }
}

char *
fl_import_report_to_string (FlImportReport *report)
{
  GString *out;

  g_return_val_if_fail (report != NULL, NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, _ ("Imported %u tasks with %u shapes and segments"), report->n_tasks,
                          report->n_shapes);
  if (report->format != NULL)
    g_string_append_printf (out, _ (" (format %s)"), report->format);
  if (report->root != NULL)
    g_string_append_printf (out, _ (" from %s"), report->root);
  g_string_append (out, ".\n");
  g_string_append_printf (out, _ ("Skipped %u, kept aside %u, changed %u.\n"), report->n_skipped,
                          report->n_kept_aside, report->n_changed);
  for (guint i = 0; i < report->entries->len; i++)
    {
      FlImportEntry *entry = g_ptr_array_index (report->entries, i);

      g_string_append (out, "  ");
      if (entry->file != NULL)
        {
          g_string_append (out, entry->file);
          if (entry->line > 0)
            g_string_append_printf (out, ":%u", entry->line);
          g_string_append (out, ": ");
        }
      g_string_append_printf (out, "%s: %s\n", entry_kind_label (entry->kind), entry->reason);
    }
  if (report->n_omitted > 0)
    g_string_append_printf (out, _ ("  … and %u more not listed.\n"), report->n_omitted);
  return g_string_free (out, FALSE);
}

JsonNode *
fl_import_report_to_json (FlImportReport *report)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (report != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, report->format);
  json_builder_set_member_name (b, "tasks");
  json_builder_add_int_value (b, report->n_tasks);
  json_builder_set_member_name (b, "shapes");
  json_builder_add_int_value (b, report->n_shapes);
  json_builder_set_member_name (b, "skipped");
  json_builder_add_int_value (b, report->n_skipped);
  json_builder_set_member_name (b, "kept_aside");
  json_builder_add_int_value (b, report->n_kept_aside);
  json_builder_set_member_name (b, "changed");
  json_builder_add_int_value (b, report->n_changed);
  json_builder_set_member_name (b, "not_listed");
  json_builder_add_int_value (b, report->n_omitted);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->entries->len; i++)
    {
      FlImportEntry *entry = g_ptr_array_index (report->entries, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, entry_kind_name (entry->kind));
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, entry->file);
      json_builder_set_member_name (b, "line");
      json_builder_add_int_value (b, entry->line);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, entry->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Formats */

typedef struct
{
  const char *name;
  const char *kind; /* NULL: both */
  FlExportFunc export_func;
  FlImportFunc import_func;
  const char *file_in_folder; /* what to read when given a folder; NULL: the folder */
} FlFormat;

static const FlFormat formats[] = {
  { "json", NULL, fl_format_export_json, fl_format_import_json, "tasks.json" },
  { "jsonl", NULL, fl_format_export_jsonl, fl_format_import_jsonl, "tasks.jsonl" },
  { "folder", NULL, NULL, fl_format_import_folder, NULL },
  { "coco", "image", fl_format_export_coco, fl_format_import_coco, "annotations.json" },
  { "yolo", "image", fl_format_export_yolo, fl_format_import_yolo, NULL },
  { "voc", "image", fl_format_export_voc, fl_format_import_voc, NULL },
  { "cvat", "image", fl_format_export_cvat, fl_format_import_cvat, "annotations.xml" },
  { "label-studio", NULL, fl_format_export_label_studio, fl_format_import_label_studio,
    "tasks.json" },
  { "srt", "audio", fl_format_export_srt, fl_format_import_srt, NULL },
  { "vtt", "audio", fl_format_export_vtt, fl_format_import_vtt, NULL },
  { "txt", "audio", fl_format_export_txt, fl_format_import_txt, NULL },
  { "asr-manifest", "audio", fl_format_export_asr_manifest, fl_format_import_asr_manifest,
    "manifest.jsonl" },
  { "segments", "audio", fl_format_export_segments, fl_format_import_segments, NULL },
};

static const FlFormat *
find_format (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].name, name) == 0)
      return &formats[i];
  return NULL;
}

const char *const *
fl_dataset_export_formats (const char *kind)
{
  static GPtrArray *lists[2];
  int which = g_strcmp0 (kind, "audio") == 0 ? 1 : 0;

  if (g_once_init_enter (&lists[which]))
    {
      GPtrArray *list = g_ptr_array_new ();

      for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
        if (formats[i].export_func != NULL &&
            (formats[i].kind == NULL ||
             g_strcmp0 (formats[i].kind, which ? "audio" : "image") == 0))
          g_ptr_array_add (list, (gpointer) formats[i].name);
      g_ptr_array_add (list, NULL);
      g_once_init_leave (&lists[which], list);
    }
  return (const char *const *) lists[which]->pdata;
}

const char *const *
fl_dataset_import_formats (void)
{
  static GPtrArray *list;

  if (g_once_init_enter (&list))
    {
      GPtrArray *l = g_ptr_array_new ();

      for (gsize i = 0; i < G_N_ELEMENTS (formats); i++)
        if (formats[i].import_func != NULL)
          g_ptr_array_add (l, (gpointer) formats[i].name);
      g_ptr_array_add (l, NULL);
      g_once_init_leave (&list, l);
    }
  return (const char *const *) list->pdata;
}

/* Export */

static char *
sanitize_name (const char *name)
{
  g_autofree char *base = NULL;
  GString *out = g_string_new (NULL);

  if (name != NULL)
    base = g_path_get_basename (name);
  if (base == NULL || g_str_equal (base, ".") || g_str_equal (base, "..") ||
      g_str_equal (base, "/"))
    g_clear_pointer (&base, g_free);

  for (const char *p = base; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
        g_string_append_c (out, '_');
      else
        g_string_append_unichar (out, c);
    }
  if (out->len > 0 && out->str[0] == '.')
    g_string_prepend_c (out, '_');
  return g_string_free (out, out->len == 0);
}

static void
export_context_clear (FlExportContext *ctx)
{
  g_free (ctx->out_dir);
  g_strfreev (ctx->names);
  g_strfreev (ctx->stems);
}

static void
export_context_name_items (FlExportContext *ctx)
{
  g_autoptr (GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = ctx->ds->items->len;

  ctx->names = g_new0 (char *, n + 1);
  ctx->stems = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      g_autofree char *name = sanitize_name (item->asset_name);
      g_autofree char *stem = NULL;
      const char *dot;
      const char *ext;

      if (name == NULL)
        name = sanitize_name (item->asset_path);
      if (name == NULL)
        name = g_strdup_printf ("task-%s", item->task_id ? item->task_id : "");
      if (name == NULL || *name == '\0')
        {
          g_free (name);
          name = g_strdup_printf ("task-%u", i + 1);
        }
      dot = strrchr (name, '.');
      if (dot == NULL || dot == name)
        dot = name + strlen (name);
      stem = g_strndup (name, dot - name);
      ext = dot;

      /* Stems are unique (case-insensitively) so that a.jpg and a.png get
       * separate label files in YOLO and VOC. */
      for (guint k = 1;; k++)
        {
          g_autofree char *candidate =
            k == 1 ? g_strdup (stem) : g_strdup_printf ("%s-%u", stem, k);
          g_autofree char *folded = g_utf8_casefold (candidate, -1);

          if (!g_hash_table_contains (used, folded))
            {
              g_hash_table_add (used, g_steal_pointer (&folded));
              ctx->stems[i] = g_steal_pointer (&candidate);
              ctx->names[i] = g_strconcat (ctx->stems[i], ext, NULL);
              break;
            }
        }
    }
}

static gboolean
write_audit_csv (FlExportContext *ctx, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  g_string_append (out, "task_id,asset,worker,submitted_at,active_seconds,reward,currency,"
                        "rate_per_hour,state,shapes\r\n");
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      g_autofree char *when = fl_format_iso8601 (item->submitted_at_unix);
      gboolean has_money = item->reward.currency[0] != '\0';

      fl_format_append_csv_field (out, item->task_id);
      g_string_append_c (out, ',');
      fl_format_append_csv_field (out, ctx->names[i]);
      g_string_append_c (out, ',');
      fl_format_append_csv_field (out, item->worker);
      g_string_append_c (out, ',');
      fl_format_append_csv_field (out, when);
      g_string_append_printf (out, ",%" G_GINT64_FORMAT ",", item->active_seconds);
      if (has_money)
        {
          g_autofree char *amount = fl_money_to_decimal (&item->reward);
          g_autofree char *rate = NULL;
          FlMoney rate_money = item->reward;

          fl_format_append_csv_field (out, amount);
          g_string_append_c (out, ',');
          fl_format_append_csv_field (out, item->reward.currency);
          g_string_append_c (out, ',');
          if (item->active_seconds > 0)
            {
              rate_money.amount_minor =
                fl_rate_per_hour (item->reward.amount_minor, item->active_seconds);
              rate = fl_money_to_decimal (&rate_money);
              fl_format_append_csv_field (out, rate);
            }
        }
      else
        g_string_append (out, ",,");
      g_string_append_c (out, ',');
      fl_format_append_csv_field (out, item->state);
      g_string_append_printf (out, ",%u\r\n", fl_result_count (item->result));
    }
  return fl_format_write_file (ctx, "fairness-audit.csv", out, error);
}

static gboolean
export_dataset (FlDataset *ds, const char *format, const char *out_dir, GCancellable *cancellable,
                GError **error)
{
  const FlFormat *fmt;
  FlExportContext ctx = { 0 };
  gboolean ok;

  fmt = find_format (format);
  if (fmt == NULL || fmt->export_func == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) fl_dataset_export_formats (ds->kind));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT,
                   _ ("Unknown export format “%s” (known for %s projects: %s)"), format, ds->kind,
                   known);
      return FALSE;
    }
  if (fmt->kind != NULL && g_strcmp0 (fmt->kind, ds->kind) != 0)
    {
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOT_SUPPORTED,
                   _ ("Format “%s” is for %s projects; this project is %s"), format, fmt->kind,
                   ds->kind);
      return FALSE;
    }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   out_dir, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < ds->items->len; i++)
    if (!fl_format_check_result (ds, g_ptr_array_index (ds->items, i), error))
      return FALSE;

  ctx.ds = ds;
  ctx.out_dir = g_strdup (out_dir);
  ctx.cancellable = cancellable;
  export_context_name_items (&ctx);
  ok = fmt->export_func (&ctx, error) &&
       !g_cancellable_set_error_if_cancelled (cancellable, error) && write_audit_csv (&ctx, error);
  export_context_clear (&ctx);
  return ok;
}

gboolean
fl_dataset_export (FlDataset *ds, const char *format, const char *out_dir, GError **error)
{
  g_return_val_if_fail (ds != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);
  g_return_val_if_fail (out_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return export_dataset (ds, format, out_dir, NULL, error);
}

typedef struct
{
  FlDataset *ds; /* borrowed: the caller keeps it alive and unchanged */
  char *format;
  char *path;
  FlImportReport *report;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->format);
  g_free (data->path);
  g_clear_pointer (&data->report, fl_import_report_free);
  g_free (data);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;

  if (export_dataset (data->ds, data->format, data->path, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
fl_dataset_export_async (FlDataset *ds, const char *format, const char *out_dir,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (ds != NULL);
  g_return_if_fail (format != NULL);
  g_return_if_fail (out_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_dataset_export_async);
  data = g_new0 (TaskData, 1);
  data->ds = ds;
  data->format = g_strdup (format);
  data->path = g_strdup (out_dir);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
fl_dataset_export_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fl_dataset_export_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Import */

static gboolean
has_suffix_ci (const char *name, const char *suffix)
{
  gsize n = strlen (name), s = strlen (suffix);

  return n >= s && g_ascii_strcasecmp (name + n - s, suffix) == 0;
}

/* Looks at the first bytes of a JSON file: '[' or '{' and, for objects, keys. */
typedef struct
{
  const char *format;
  gboolean done;
} Detect;

static gboolean
detect_json_element (const char *key, JsonNode *element, guint line, gpointer user_data,
                     GError **error)
{
  Detect *d = user_data;
  JsonObject *obj = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;

  if (key == NULL)
    {
      if (obj != NULL &&
          (json_object_has_member (obj, "data") || json_object_has_member (obj, "annotations") ||
           json_object_has_member (obj, "predictions")))
        d->format = "label-studio";
      else if (obj != NULL && json_object_has_member (obj, "start") &&
               json_object_has_member (obj, "end"))
        d->format = "segments";
      else
        d->format = "json";
      d->done = TRUE;
    }
  else if (g_str_equal (key, "fairlabel") || g_str_equal (key, "tasks"))
    d->format = "json", d->done = TRUE;
  else if (g_str_equal (key, "images") || g_str_equal (key, "categories"))
    d->format = "coco", d->done = TRUE;
  else if (g_str_equal (key, "annotations") && obj != NULL)
    {
      d->format = json_object_has_member (obj, "image_id") ? "coco" : "label-studio";
      d->done = TRUE;
    }
  else if (g_str_equal (key, "segments"))
    d->format = "segments", d->done = TRUE;
  else if (g_str_equal (key, "data") || g_str_equal (key, "predictions"))
    d->format = "label-studio", d->done = TRUE;
  return !d->done;
}

static const char *
detect_file_format (FlImportContext *ctx, const char *path, GError **error)
{
  g_autofree char *base = g_path_get_basename (path);

  if (has_suffix_ci (base, ".json"))
    {
      Detect d = { NULL, FALSE };
      g_autoptr (FlImportReport) scratch = fl_import_report_new (NULL);
      FlImportContext probe = *ctx;

      probe.report = scratch;
      if (!fl_format_stream_json (&probe, path, detect_json_element, &d, error) && !d.done)
        {
          /* Why it could not be read belongs in the real report. */
          for (guint i = 0; i < scratch->entries->len; i++)
            {
              FlImportEntry *e = g_ptr_array_index (scratch->entries, i);

              fl_import_report_add (ctx->report, e->kind, e->file, e->line, "%s", e->reason);
            }
          return NULL;
        }
      if (d.format == NULL)
        g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT,
                     _ ("%s is JSON, but not a task list, COCO, Label Studio or segments file"),
                     base);
      return d.format;
    }
  if (has_suffix_ci (base, ".jsonl") || has_suffix_ci (base, ".ndjson"))
    {
      g_autofree char *text = NULL;
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
      g_autoptr (GDataInputStream) data = NULL;

      if (in == NULL)
        return NULL;
      data = g_data_input_stream_new (G_INPUT_STREAM (in));
      text = g_data_input_stream_read_line (data, NULL, NULL, NULL);
      return text != NULL && strstr (text, "\"audio_filepath\"") != NULL ? "asr-manifest" : "jsonl";
    }
  if (has_suffix_ci (base, ".xml"))
    {
      g_autoptr (GFile) file = g_file_new_for_path (path);
      g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
      char head[4096];
      gssize n;

      if (in == NULL)
        return NULL;
      /* The root element is near the start: CVAT's <annotations>, VOC's <annotation>. */
      n = g_input_stream_read (G_INPUT_STREAM (in), head, sizeof head - 1, NULL, error);
      if (n < 0)
        return NULL;
      head[n] = '\0';
      return strstr (head, "<annotations") != NULL ? "cvat" : "voc";
    }
  if (has_suffix_ci (base, ".srt"))
    return "srt";
  if (has_suffix_ci (base, ".vtt"))
    return "vtt";
  if (g_str_equal (base, "classes.txt") || g_str_equal (base, "obj.names"))
    return "yolo";
  if (has_suffix_ci (base, ".txt"))
    return "txt";

  {
    g_autofree char *media_type = fl_format_media_type_of (base);

    /* One image or audio file alone is a folder of one. */
    if (fl_format_kind_of_media (media_type) != NULL)
      return "folder";
  }
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT,
               _ ("Cannot tell the format of %s; name it with --format"), base);
  return NULL;
}

static const char *
detect_folder_format (FlImportContext *ctx, const char *dir, char **format_path, GError **error)
{
  static const char *const known[] = {
    "tasks.json",  "tasks.jsonl", "annotations.json", "annotations.xml",
    "classes.txt", "obj.names",   "manifest.jsonl",
  };
  g_autoptr (GDir) d = NULL;
  const char *name;
  g_autofree char *single_json = NULL;
  guint n_json = 0;
  const char *by_ext = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_autofree char *p = g_build_filename (dir, known[i], NULL);

      if (g_file_test (p, G_FILE_TEST_IS_REGULAR))
        {
          *format_path = g_steal_pointer (&p);
          return detect_file_format (ctx, *format_path, error);
        }
    }
  {
    g_autofree char *voc = g_build_filename (dir, "Annotations", NULL);

    if (g_file_test (voc, G_FILE_TEST_IS_DIR))
      {
        *format_path = g_strdup (dir);
        return "voc";
      }
  }

  d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (has_suffix_ci (name, ".json"))
        {
          n_json++;
          g_free (single_json);
          single_json = g_build_filename (dir, name, NULL);
        }
      else if (has_suffix_ci (name, ".srt"))
        by_ext = "srt";
      else if (has_suffix_ci (name, ".vtt"))
        by_ext = "vtt";
      else if (has_suffix_ci (name, ".xml") && by_ext == NULL)
        by_ext = "voc";
      else if (has_suffix_ci (name, ".txt") && by_ext == NULL)
        {
          /* Transcripts with timestamps start with "[00:". */
          g_autofree char *p = g_build_filename (dir, name, NULL);
          g_autoptr (GFile) file = g_file_new_for_path (p);
          g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
          char head[4] = { 0 };

          if (in != NULL &&
              g_input_stream_read (G_INPUT_STREAM (in), head, sizeof head, NULL, NULL) == 4 &&
              head[0] == '[' && g_ascii_isdigit (head[1]) && g_ascii_isdigit (head[2]))
            by_ext = "txt";
        }
    }
  if (by_ext != NULL)
    {
      *format_path = g_strdup (dir);
      return by_ext;
    }
  if (n_json == 1)
    {
      const char *fmt = detect_file_format (ctx, single_json, error);

      if (fmt == NULL)
        return NULL;
      /* A JSON per audio file (recogniser output) is read folder-wide. */
      *format_path =
        g_str_equal (fmt, "segments") ? g_strdup (dir) : g_steal_pointer (&single_json);
      return fmt;
    }
  *format_path = g_strdup (dir);
  return n_json > 1 ? "segments" : "folder";
}

static FlDataset *
import_dataset (const char *path, const char *format, GCancellable *cancellable,
                FlImportReport **report, GError **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *format_path = NULL;
  g_autoptr (FlImportReport) rep = NULL;
  g_autoptr (FlDataset) ds = NULL;
  FlImportContext ctx = { 0 };
  const FlFormat *fmt;
  gboolean is_dir;
  gboolean ok;

  canonical = realpath (path, NULL);
  if (canonical == NULL)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot read %s: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  is_dir = g_file_test (canonical, G_FILE_TEST_IS_DIR);
  ctx.root = is_dir ? g_strdup (canonical) : g_path_get_dirname (canonical);
  rep = fl_import_report_new (ctx.root);
  ds = fl_dataset_new ("image");
  g_clear_pointer (&ds->kind, g_free); /* set by the first asset or the format */
  ctx.ds = ds;
  ctx.report = rep;
  ctx.cancellable = cancellable;

  if (format == NULL)
    format = is_dir ? detect_folder_format (&ctx, canonical, &format_path, error)
                    : detect_file_format (&ctx, canonical, error);
  if (format_path == NULL)
    format_path = g_strdup (canonical);
  if (format == NULL)
    {
      g_free (ctx.root);
      if (report != NULL)
        *report = g_steal_pointer (&rep);
      return NULL;
    }

  fmt = find_format (format);
  if (fmt == NULL || fmt->import_func == NULL)
    {
      g_autofree char *known = g_strjoinv (", ", (char **) fl_dataset_import_formats ());
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT,
                   _ ("Unknown import format “%s” (known: %s)"), format, known);
      g_free (ctx.root);
      return NULL;
    }
  if (is_dir && fmt->file_in_folder != NULL && g_strcmp0 (format_path, canonical) == 0)
    {
      g_autofree char *inner = g_build_filename (canonical, fmt->file_in_folder, NULL);

      if (!g_file_test (inner, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
                       _ ("The folder %s has no %s; name the file to import"), path,
                       fmt->file_in_folder);
          g_free (ctx.root);
          if (report != NULL)
            *report = g_steal_pointer (&rep);
          return NULL;
        }
      g_free (format_path);
      format_path = g_steal_pointer (&inner);
    }
  rep->format = g_strdup (fmt->name);
  if (fmt->kind != NULL)
    ds->kind = g_strdup (fmt->kind);

  ok = fmt->import_func (&ctx, format_path, error);
  g_free (ctx.root);
  if (ok && g_cancellable_set_error_if_cancelled (cancellable, error))
    ok = FALSE;

  if (ds->kind == NULL)
    ds->kind = g_strdup ("image");
  if (ok && ds->items->len == 0)
    {
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOTHING_IMPORTED,
                   _ ("Nothing was imported from %s (%u skipped)"), path, rep->n_skipped);
      ok = FALSE;
    }
  if (ok)
    {
      rep->n_tasks = ds->items->len;
      rep->n_shapes = 0;
      for (guint i = 0; i < ds->items->len; i++)
        rep->n_shapes +=
          fl_result_count (((FlDatasetItem *) g_ptr_array_index (ds->items, i))->result);
      fl_format_complete_label_config (ds);
    }
  if (report != NULL)
    *report = g_steal_pointer (&rep);
  return ok ? g_steal_pointer (&ds) : NULL;
}

FlDataset *
fl_dataset_import (const char *path, const char *format, FlImportReport **report, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return import_dataset (path, format, NULL, report, error);
}

static void
import_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  FlDataset *ds = import_dataset (data->path, data->format, cancellable, &data->report, &error);

  if (ds != NULL)
    g_task_return_pointer (task, ds, (GDestroyNotify) fl_dataset_free);
  else
    g_task_return_error (task, error);
}

void
fl_dataset_import_async (const char *path, const char *format, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_dataset_import_async);
  data = g_new0 (TaskData, 1);
  data->path = g_strdup (path);
  data->format = g_strdup (format);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  g_task_run_in_thread (task, import_thread);
}

FlDataset *
fl_dataset_import_finish (GAsyncResult *result, FlImportReport **report, GError **error)
{
  TaskData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fl_dataset_import_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (report != NULL)
    *report = g_steal_pointer (&data->report);
  return g_task_propagate_pointer (G_TASK (result), error);
}
