/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlDataset"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "fl-dataset.h"
#include "fl-format-private.h"

G_DEFINE_QUARK (fl - dataset - error - quark, fl_dataset_error)

#define MAX_REPORT_ENTRIES 1000

static goffset stream_threshold = 100 * 1024 * 1024;

static char *media_type_of (const char *path);

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

gboolean
fl_format_write_file (FlExportContext *ctx, const char *relative, GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (ctx->out_dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, contents->str, contents->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
fl_format_copy_assets (FlExportContext *ctx, const char *subdir, GError **error)
{
  g_autofree char *dir = g_build_filename (ctx->out_dir, subdir, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      g_autofree char *dest = NULL;
      g_autoptr (GFile) src_file = NULL;
      g_autoptr (GFile) dest_file = NULL;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;
      if (item->asset_path == NULL)
        continue;
      dest = g_build_filename (dir, ctx->names[i], NULL);
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        g_unlink (dest);
      /* A copy, not a hard link: a tool that edits the exported file in place
       * must not change the server's stored blob. */
      src_file = g_file_new_for_path (item->asset_path);
      dest_file = g_file_new_for_path (dest);
      if (!g_file_copy (src_file, dest_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        {
          g_prefix_error (error, _ ("Asset of task %s: "), item->task_id ? item->task_id : "?");
          return FALSE;
        }
    }
  return TRUE;
}

void
fl_format_append_number (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0;
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  for (int precision = 6; precision <= 17; precision++)
    {
      static const char *const fmts[] = { "%.6g",  "%.7g",  "%.8g",  "%.9g",  "%.10g", "%.11g",
                                          "%.12g", "%.13g", "%.14g", "%.15g", "%.16g", "%.17g" };

      g_ascii_formatd (buf, sizeof buf, fmts[precision - 6], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

void
fl_format_append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

const char *
fl_format_shape_string (JsonObject *shape, const char *member)
{
  return fl_json_string (shape, member, "");
}

double
fl_format_shape_number (JsonObject *shape, const char *member)
{
  JsonNode *n = json_object_get_member (shape, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  if (json_node_get_value_type (n) == G_TYPE_INT64 || json_node_get_value_type (n) == G_TYPE_DOUBLE)
    return json_node_get_double (n);
  return 0;
}

double *
fl_format_shape_points (JsonObject *shape, guint *n_points)
{
  JsonArray *pts = fl_json_get_array (shape, "points");
  guint n = pts ? json_array_get_length (pts) : 0;
  double *xy = g_new0 (double, 2 * n + 2);

  for (guint k = 0; k < n; k++)
    {
      JsonNode *pn = json_array_get_element (pts, k);
      JsonArray *pt = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

      if (pt != NULL && json_array_get_length (pt) >= 2)
        {
          xy[2 * k] = json_array_get_double_element (pt, 0);
          xy[2 * k + 1] = json_array_get_double_element (pt, 1);
        }
    }
  *n_points = n;
  return xy;
}

void
fl_format_append_attributes_json (GString *out, JsonObject *shape)
{
  JsonNode *attrs = json_object_get_member (shape, "attributes");
  g_autoptr (JsonGenerator) gen = NULL;

  if (attrs == NULL || !JSON_NODE_HOLDS_OBJECT (attrs))
    {
      g_string_append (out, "{}");
      return;
    }
  gen = json_generator_new ();
  json_generator_set_root (gen, attrs);
  json_generator_to_gstring (gen, out);
}

void
fl_format_append_xml_escaped (GString *out, const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
          case '&':
            g_string_append (out, "&amp;");
            break;
          case '<':
            g_string_append (out, "&lt;");
            break;
          case '>':
            g_string_append (out, "&gt;");
            break;
          case '"':
            g_string_append (out, "&quot;");
            break;
          case '\'':
            g_string_append (out, "&apos;");
            break;
          case '\n':
            g_string_append (out, "&#10;");
            break;
          case '\r':
            g_string_append (out, "&#13;");
            break;
          case '\t':
            g_string_append (out, "&#9;");
            break;
          default:
            /* Other control characters are not allowed in XML 1.0 at all. */
            if ((guchar) *p < 0x20)
              g_string_append_c (out, ' ');
            else
              g_string_append_c (out, *p);
        }
    }
}

void
fl_format_append_csv_field (GString *out, const char *text)
{
  gboolean quote;

  if (text == NULL)
    return;
  quote = strpbrk (text, ",\"\r\n") != NULL;
  /* A leading = + - @ makes spreadsheets run the cell as a formula. */
  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    {
      g_string_append (out, "\"'");
      quote = TRUE;
    }
  else if (quote)
    g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

char *
fl_format_iso8601 (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

gint64
fl_format_parse_iso8601 (const char *text)
{
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, g_time_zone_new_utc ());
  return dt ? g_date_time_to_unix (dt) : 0;
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
    g_autofree char *media_type = media_type_of (base);

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

/* Import helpers */

char *
fl_format_relative (FlImportContext *ctx, const char *path)
{
  gsize n = strlen (ctx->root);

  if (path == NULL)
    return NULL;
  if (strncmp (path, ctx->root, n) == 0 && path[n] == '/')
    return g_strdup (path + n + 1);
  return g_path_get_basename (path);
}

static guint
line_of_offset (const char *text, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

gboolean
fl_format_read_text (FlImportContext *ctx, const char *path, char **contents, gsize *length,
                     GError **error)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *end = NULL;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > fl_format_stream_threshold ())
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                            _ ("file is %lld bytes; this kind of file is read whole and is "
                               "limited to %lld"),
                            (long long) st.st_size, (long long) fl_format_stream_threshold ());
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s is too large"), rel);
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  if (!g_utf8_validate (text, len, &end))
    {
      guint line = line_of_offset (text, end - text);

      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("not UTF-8 text; convert it (e.g. with iconv) and import again"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s:%u is not UTF-8 text"),
                   rel, line);
      return FALSE;
    }
  *contents = g_steal_pointer (&text);
  if (length != NULL)
    *length = len;
  return TRUE;
}

JsonNode *
fl_format_load_json (FlImportContext *ctx, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  gsize len = 0;

  if (!fl_format_read_text (ctx, path, &text, &len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, len, &local))
    {
      g_autofree char *rel = fl_format_relative (ctx, path);
      guint line = json_parser_get_current_line (parser);

      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("not valid JSON: %s"), local->message);
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                   _ ("%s is not valid JSON: %s"), rel, local->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
path_inside (const char *root, const char *path)
{
  gsize n = strlen (root);

  return strncmp (path, root, n) == 0 && (path[n] == '/' || (n == 1 && root[0] == '/'));
}

char *
fl_format_resolve_asset (FlImportContext *ctx, const char *ref, const char *base_dir,
                         const char *src_file, guint line)
{
  g_autofree char *local = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *scheme = NULL;

  /* A cancelled import stops reading files; the caller reports the cancellation. */
  if (g_cancellable_is_cancelled (ctx->cancellable))
    return NULL;
  if (ref == NULL || *ref == '\0')
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("no file named"));
      return NULL;
    }

  if (g_str_has_prefix (ref, "/data/local-files/"))
    {
      const char *d = strstr (ref, "d=");

      if (d != NULL)
        local = g_uri_unescape_string (d + 2, NULL);
      base_dir = ctx->root;
    }
  else if (g_str_has_prefix (ref, "/data/upload/"))
    {
      /* Label Studio's uploads live on its server; look for the file by name here. */
      g_autofree char *base = g_path_get_basename (ref);
      const char *dash = strchr (base, '-');

      local = g_strdup (dash != NULL && dash - base == 8 ? dash + 1 : base);
    }
  else if ((scheme = g_uri_parse_scheme (ref)) != NULL)
    {
      if (g_ascii_strcasecmp (scheme, "file") == 0)
        local = g_filename_from_uri (ref, NULL, NULL);
      if (local == NULL)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                                _ ("%s is not a file inside the import folder; remote files are "
                                   "not downloaded"),
                                ref);
          return NULL;
        }
    }
  else
    local = g_strdup (ref);

  if (local == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("cannot read the file reference %s"), ref);
      return NULL;
    }

  joined = g_path_is_absolute (local) ? g_strdup (local) : g_build_filename (base_dir, local, NULL);
  canonical = realpath (joined, NULL);
  if (canonical == NULL)
    {
      /* Tools often keep the media in an images/ folder beside the labels. */
      g_autofree char *base = g_path_get_basename (local);
      const char *const subdirs[] = { "images", "JPEGImages", "audio", NULL };

      for (guint i = 0; canonical == NULL && subdirs[i] != NULL; i++)
        {
          g_autofree char *alt = g_build_filename (base_dir, subdirs[i], base, NULL);
          canonical = realpath (alt, NULL);
        }
    }
  if (canonical == NULL)
    {
      /* A reference outside the folder is refused without looking at the disk there. */
      g_autofree char *norm = g_canonicalize_filename (joined, NULL);

      if (!path_inside (ctx->root, norm))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                              _ ("%s points outside the import folder"), ref);
      else
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                              _ ("%s: file not found"), ref);
      return NULL;
    }
  if (!path_inside (ctx->root, canonical))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("%s points outside the import folder"), ref);
      return NULL;
    }
  if (!g_file_test (canonical, G_FILE_TEST_IS_REGULAR))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("%s is not a regular file"), ref);
      return NULL;
    }
  return g_steal_pointer (&canonical);
}

const char *
fl_format_kind_of_media (const char *media_type)
{
  if (media_type == NULL)
    return NULL;
  if (g_str_has_prefix (media_type, "image/"))
    return "image";
  if (g_str_has_prefix (media_type, "audio/") || g_str_equal (media_type, "video/ogg") ||
      g_str_equal (media_type, "application/ogg"))
    return "audio";
  return NULL;
}

gboolean
fl_format_ensure_kind (FlImportContext *ctx, const char *kind, const char *src_file, GError **error)
{
  if (ctx->ds->kind == NULL)
    {
      ctx->ds->kind = g_strdup (kind);
      return TRUE;
    }
  if (g_strcmp0 (ctx->ds->kind, kind) == 0)
    return TRUE;
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOT_SUPPORTED,
               _ ("%s holds %s labels, but the import is %s"), src_file, kind, ctx->ds->kind);
  return FALSE;
}

static char *
media_type_of (const char *path)
{
  g_autofree char *content_type = g_content_type_guess (path, NULL, 0, NULL);

  return content_type ? g_content_type_get_mime_type (content_type) : NULL;
}

static void
on_area_prepared (GdkPixbufLoader *loader, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  /* Nothing is decoded at full size: the header is all that is wanted. */
  gdk_pixbuf_loader_set_size (loader, MAX (1, width / 8), MAX (1, height / 8));
}

/* The EXIF orientation, read by feeding the file to a loader only until the
 * image header is through; decoding a JPEG just for it costs 0.2 s at 40 MP. */
static int
read_orientation (const char *path)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  gboolean prepared = FALSE;
  guchar buf[16384];
  int orientation = 1;
  gsize total = 0;

  if (in == NULL)
    return 1;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), NULL);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), &prepared);
  while (!prepared && total < 4 * 1024 * 1024)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, NULL, NULL);

      if (n <= 0 || !gdk_pixbuf_loader_write (loader, buf, n, NULL))
        break;
      total += n;
    }
  /* Small files are prepared only when closed; for big ones the rest of the
   * image is not wanted, and closing early is an error we expect. */
  gdk_pixbuf_loader_close (loader, NULL);
  {
    GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
    const char *value = pixbuf ? gdk_pixbuf_get_option (pixbuf, "orientation") : NULL;

    if (value != NULL)
      orientation = atoi (value);
  }
  return orientation;
}

/* The size as shown: EXIF orientations 5-8 swap width and height. */
static gboolean
read_image_size (const char *path, const char *media_type, int *width, int *height)
{
  if (gdk_pixbuf_get_file_info (path, width, height) == NULL)
    return FALSE;
  if (g_strcmp0 (media_type, "image/jpeg") == 0 || g_strcmp0 (media_type, "image/tiff") == 0)
    {
      int orientation = read_orientation (path);

      if (orientation >= 5 && orientation <= 8)
        {
          int tmp = *width;
          *width = *height;
          *height = tmp;
        }
    }
  return TRUE;
}

FlDatasetItem *
fl_format_add_asset (FlImportContext *ctx, const char *resolved, const char *src_file, guint line)
{
  g_autofree char *media_type = media_type_of (resolved);
  const char *kind = fl_format_kind_of_media (media_type);
  g_autofree char *rel = fl_format_relative (ctx, resolved);
  FlDatasetItem *item;

  if (kind == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file ? src_file : rel, line,
                            _ ("%s is neither an image nor audio (%s)"), rel,
                            media_type ? media_type : "unknown type");
      return NULL;
    }
  if (ctx->ds->kind == NULL)
    ctx->ds->kind = g_strdup (kind);
  else if (!g_str_equal (ctx->ds->kind, kind))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file ? src_file : rel, line,
                            _ ("%s is %s, but this import holds %s tasks"), rel, kind,
                            ctx->ds->kind);
      return NULL;
    }

  item = fl_dataset_add_item (ctx->ds);
  item->asset_path = g_strdup (resolved);
  item->asset_name = g_path_get_basename (resolved);
  item->media_type = g_steal_pointer (&media_type);
  if (g_str_equal (kind, "image") &&
      !read_image_size (resolved, item->media_type, &item->width, &item->height))
    {
      item->width = 0;
      item->height = 0;
    }
  return item;
}

char *
fl_format_find_media_by_stem (const char *dir, const char *stem, const char *kind)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      const char *dot = strrchr (name, '.');
      g_autofree char *media_type = NULL;

      if (dot == NULL || (gsize) (dot - name) != strlen (stem) ||
          strncmp (name, stem, dot - name) != 0)
        continue;
      media_type = media_type_of (name);
      if (g_strcmp0 (fl_format_kind_of_media (media_type), kind) == 0 ||
          (kind == NULL && fl_format_kind_of_media (media_type) != NULL))
        g_ptr_array_add (found, g_build_filename (dir, name, NULL));
    }
  if (found->len == 0)
    return NULL;
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  return g_strdup (g_ptr_array_index (found, 0));
}

/* Result helpers */

JsonObject *
fl_result_image_new (int width, int height)
{
  JsonObject *result = json_object_new ();
  JsonObject *image = json_object_new ();

  json_object_set_string_member (result, "kind", "image");
  json_object_set_int_member (image, "width", width);
  json_object_set_int_member (image, "height", height);
  json_object_set_object_member (result, "image", image);
  json_object_set_array_member (result, "shapes", json_array_new ());
  json_object_set_array_member (result, "tags", json_array_new ());
  return result;
}

JsonObject *
fl_result_add_shape (JsonObject *result, const char *type, const char *label)
{
  JsonArray *shapes = fl_json_get_array (result, "shapes");
  JsonObject *shape = json_object_new ();
  g_autofree char *id = g_strdup_printf ("s%u", json_array_get_length (shapes) + 1);

  json_object_set_string_member (shape, "id", id);
  json_object_set_string_member (shape, "type", type);
  json_object_set_string_member (shape, "label", label ? label : "");
  json_array_add_object_element (shapes, shape);
  return shape;
}

void
fl_result_add_tag (JsonObject *result, const char *tag)
{
  JsonArray *tags = fl_json_get_array (result, "tags");

  for (guint i = 0; i < json_array_get_length (tags); i++)
    if (g_strcmp0 (json_array_get_string_element (tags, i), tag) == 0)
      return;
  json_array_add_string_element (tags, tag);
}

JsonObject *
fl_result_audio_new (double duration)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "kind", "audio");
  json_object_set_double_member (result, "duration", duration);
  json_object_set_array_member (result, "segments", json_array_new ());
  return result;
}

void
fl_result_add_segment (JsonObject *result, double start, double end, const char *speaker,
                       const char *text)
{
  JsonArray *segments = fl_json_get_array (result, "segments");
  JsonObject *seg = json_object_new ();

  json_object_set_double_member (seg, "start", start);
  json_object_set_double_member (seg, "end", end);
  if (speaker != NULL && *speaker != '\0')
    json_object_set_string_member (seg, "speaker", speaker);
  json_object_set_string_member (seg, "text", text ? text : "");
  json_array_add_object_element (segments, seg);
  if (end > fl_json_double (result, "duration", 0))
    json_object_set_double_member (result, "duration", end);
}

JsonArray *
fl_format_result_array (FlDatasetItem *item, const char *member)
{
  JsonObject *obj;
  JsonNode *node;

  if (item->result == NULL || !JSON_NODE_HOLDS_OBJECT (item->result))
    return NULL;
  obj = json_node_get_object (item->result);
  node = json_object_get_member (obj, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

guint
fl_result_count (JsonNode *result)
{
  FlDatasetItem fake = { 0 };
  JsonArray *a;

  fake.result = result;
  a = fl_format_result_array (&fake, "shapes");
  if (a == NULL)
    a = fl_format_result_array (&fake, "segments");
  return a ? json_array_get_length (a) : 0;
}

static gboolean
number_member (JsonObject *obj, const char *name, double *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

JsonNode *
fl_result_sanitize (FlImportContext *ctx, JsonNode *result, const char *src_file, guint line)
{
  JsonObject *in;
  const char *kind;
  g_autoptr (JsonObject) out = NULL;

  if (result == NULL || JSON_NODE_HOLDS_NULL (result))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation is not a JSON object"));
      return NULL;
    }
  in = json_node_get_object (result);
  kind = fl_json_string (in, "kind", NULL);

  if (g_strcmp0 (kind, "image") == 0)
    {
      JsonObject *image = fl_json_get_object (in, "image");
      JsonArray *shapes = fl_json_get_array (in, "shapes");
      JsonArray *tags = fl_json_get_array (in, "tags");
      double w = 0, h = 0;

      if (image != NULL)
        {
          number_member (image, "width", &w);
          number_member (image, "height", &h);
        }
      out = fl_result_image_new ((int) w, (int) h);
      for (guint i = 0; shapes != NULL && i < json_array_get_length (shapes); i++)
        {
          JsonNode *sn = json_array_get_element (shapes, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          const char *type = s ? fl_json_string (s, "type", "") : "";
          const char *label = s ? fl_json_string (s, "label", "") : "";
          double x, y, sw, sh;
          gboolean ok = FALSE;

          if (g_str_equal (type, "box"))
            ok = number_member (s, "x", &x) && number_member (s, "y", &y) &&
                 number_member (s, "width", &sw) && number_member (s, "height", &sh) && sw >= 0 &&
                 sh >= 0;
          else if (g_str_equal (type, "point"))
            ok = number_member (s, "x", &x) && number_member (s, "y", &y);
          else if (g_str_equal (type, "polygon"))
            {
              JsonArray *pts = fl_json_get_array (s, "points");

              ok = pts != NULL && json_array_get_length (pts) >= 3;
              for (guint k = 0; ok && k < json_array_get_length (pts); k++)
                {
                  JsonNode *pn = json_array_get_element (pts, k);
                  JsonArray *pt = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

                  ok = pt != NULL && json_array_get_length (pt) == 2 &&
                       isfinite (fl_json_array_double (pt, 0)) &&
                       isfinite (fl_json_array_double (pt, 1));
                }
            }
          if (!ok)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                                    _ ("shape %u of the pre-annotation is not a valid box, polygon "
                                       "or point"),
                                    i + 1);
              continue;
            }
          json_array_add_element (fl_json_get_array (out, "shapes"), json_node_copy (sn));
          (void) label;
        }
      for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
        {
          const char *tag = fl_json_array_string (tags, i);

          if (tag != NULL)
            fl_result_add_tag (out, tag);
        }
    }
  else if (g_strcmp0 (kind, "audio") == 0)
    {
      JsonArray *segments = fl_json_get_array (in, "segments");
      double duration = 0;

      number_member (in, "duration", &duration);
      out = fl_result_audio_new (duration);
      for (guint i = 0; segments != NULL && i < json_array_get_length (segments); i++)
        {
          JsonNode *sn = json_array_get_element (segments, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          double start, end;

          if (s == NULL || !number_member (s, "start", &start) || !number_member (s, "end", &end) ||
              start < 0 || end < start)
            {
              fl_import_report_add (
                ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                _ ("segment %u of the pre-annotation has no valid start and end"), i + 1);
              continue;
            }
          fl_result_add_segment (out, start, end, fl_json_string (s, "speaker", NULL),
                                 fl_json_string (s, "text", ""));
        }
    }
  else
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation has kind “%s”; expected image or audio"),
                            kind ? kind : "(none)");
      return NULL;
    }
  if (ctx->ds->kind != NULL && !g_str_equal (ctx->ds->kind, kind))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation is %s, but the task is %s"), kind, ctx->ds->kind);
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), out);
}

static gboolean
check_failed (FlDatasetItem *item, GError **error, const char *what)
{
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
               _ ("Task %s (%s) has a result that cannot be exported: %s"),
               item->task_id ? item->task_id : "?", item->asset_name ? item->asset_name : "?",
               what);
  return FALSE;
}

gboolean
fl_format_check_result (FlDataset *ds, FlDatasetItem *item, GError **error)
{
  JsonObject *result;
  JsonArray *list;
  const char *kind;

  if (item->result == NULL || JSON_NODE_HOLDS_NULL (item->result))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (item->result))
    return check_failed (item, error, "not a JSON object");
  result = json_node_get_object (item->result);
  kind = fl_json_string (result, "kind", NULL);
  if (g_strcmp0 (kind, ds->kind) != 0)
    return check_failed (item, error, "its kind is not the project's");

  if (g_str_equal (kind, "image"))
    {
      JsonNode *shapes = json_object_get_member (result, "shapes");
      JsonNode *tags = json_object_get_member (result, "tags");

      if (shapes != NULL && !JSON_NODE_HOLDS_ARRAY (shapes))
        return check_failed (item, error, "shapes is not a list");
      if (tags != NULL && !JSON_NODE_HOLDS_ARRAY (tags))
        return check_failed (item, error, "tags is not a list");
      list = tags ? json_node_get_array (tags) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        if (fl_json_array_string (list, i) == NULL)
          return check_failed (item, error, "a tag is not text");
      list = shapes ? json_node_get_array (shapes) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *sn = json_array_get_element (list, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          const char *type = s ? fl_json_string (s, "type", "") : "";
          JsonNode *label = s ? json_object_get_member (s, "label") : NULL;
          JsonNode *attrs = s ? json_object_get_member (s, "attributes") : NULL;
          double v;
          gboolean ok;

          if (s == NULL)
            return check_failed (item, error, "a shape is not an object");
          if (label != NULL &&
              (!JSON_NODE_HOLDS_VALUE (label) || json_node_get_value_type (label) != G_TYPE_STRING))
            return check_failed (item, error, "a shape's label is not text");
          if (attrs != NULL && !JSON_NODE_HOLDS_OBJECT (attrs))
            return check_failed (item, error, "a shape's attributes are not an object");
          if (g_str_equal (type, "box"))
            ok = number_member (s, "x", &v) && number_member (s, "y", &v) &&
                 number_member (s, "width", &v) && number_member (s, "height", &v);
          else if (g_str_equal (type, "point"))
            ok = number_member (s, "x", &v) && number_member (s, "y", &v);
          else if (g_str_equal (type, "polygon"))
            {
              JsonArray *pts = fl_json_get_array (s, "points");

              ok = pts != NULL;
              for (guint k = 0; ok && k < json_array_get_length (pts); k++)
                {
                  JsonArray *pt = fl_json_array_array (pts, k);

                  ok = pt != NULL && json_array_get_length (pt) == 2 &&
                       isfinite (fl_json_array_double (pt, 0)) &&
                       isfinite (fl_json_array_double (pt, 1));
                }
            }
          else
            return check_failed (item, error, "a shape is not a box, polygon or point");
          if (!ok)
            return check_failed (item, error, "a shape's coordinates are not numbers");
        }
    }
  else
    {
      JsonNode *segs = json_object_get_member (result, "segments");

      if (segs != NULL && !JSON_NODE_HOLDS_ARRAY (segs))
        return check_failed (item, error, "segments is not a list");
      list = segs ? json_node_get_array (segs) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *sn = json_array_get_element (list, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          JsonNode *speaker = s ? json_object_get_member (s, "speaker") : NULL;
          JsonNode *text = s ? json_object_get_member (s, "text") : NULL;
          double v;

          if (s == NULL || !number_member (s, "start", &v) || !number_member (s, "end", &v))
            return check_failed (item, error, "a segment has no numeric start and end");
          if ((speaker != NULL && !JSON_NODE_HOLDS_NULL (speaker) &&
               (!JSON_NODE_HOLDS_VALUE (speaker) ||
                json_node_get_value_type (speaker) != G_TYPE_STRING)) ||
              (text != NULL &&
               (!JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING)))
            return check_failed (item, error, "a segment's speaker or text is not text");
        }
    }
  return TRUE;
}

GPtrArray *
fl_format_collect_labels (FlDataset *ds)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *classes = fl_json_get_array (ds->label_config, "classes");

  for (guint i = 0; classes != NULL && i < json_array_get_length (classes); i++)
    {
      JsonNode *cn = json_array_get_element (classes, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (cn)
                           ? fl_json_string (json_node_get_object (cn), "name", NULL)
                           : NULL;

      if (name != NULL && !g_hash_table_contains (seen, name))
        {
          char *copy = g_strdup (name);
          g_ptr_array_add (labels, copy);
          g_hash_table_add (seen, copy);
        }
    }
  for (guint i = 0; i < ds->items->len; i++)
    {
      JsonArray *shapes = fl_format_result_array (g_ptr_array_index (ds->items, i), "shapes");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          const char *label =
            fl_json_string (json_array_get_object_element (shapes, k), "label", "");

          if (!g_hash_table_contains (seen, label))
            {
              char *copy = g_strdup (label);
              g_ptr_array_add (labels, copy);
              g_hash_table_add (seen, copy);
            }
        }
    }
  return labels;
}

static void
complete_name_list (JsonObject *config, const char *member, gboolean as_objects, GPtrArray *names)
{
  JsonArray *list = fl_json_get_array (config, member);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *n = json_array_get_element (list, i);
      const char *name = NULL;

      if (as_objects && JSON_NODE_HOLDS_OBJECT (n))
        name = fl_json_string (json_node_get_object (n), "name", NULL);
      else if (!as_objects && JSON_NODE_HOLDS_VALUE (n))
        name = json_node_get_string (n);
      if (name != NULL)
        g_hash_table_add (seen, (gpointer) name);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (name == NULL || *name == '\0' || g_hash_table_contains (seen, name))
        continue;
      if (list == NULL)
        {
          list = json_array_new ();
          json_object_set_array_member (config, member, list);
        }
      if (as_objects)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "name", name);
          json_array_add_object_element (list, o);
        }
      else
        json_array_add_string_element (list, name);
      g_hash_table_add (seen, (gpointer) name);
    }
}

void
fl_format_complete_label_config (FlDataset *ds)
{
  g_autoptr (GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) speakers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      JsonArray *t = fl_format_result_array (item, "tags");
      JsonArray *segs = fl_format_result_array (item, "segments");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        g_ptr_array_add (classes, g_strdup (fl_json_string (
                                    json_array_get_object_element (shapes, k), "label", NULL)));
      for (guint k = 0; t != NULL && k < json_array_get_length (t); k++)
        g_ptr_array_add (tags, g_strdup (json_array_get_string_element (t, k)));
      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        g_ptr_array_add (speakers, g_strdup (fl_json_string (
                                     json_array_get_object_element (segs, k), "speaker", NULL)));
    }
  complete_name_list (ds->label_config, "classes", TRUE, classes);
  complete_name_list (ds->label_config, "tags", FALSE, tags);
  complete_name_list (ds->label_config, "speakers", TRUE, speakers);
}

gboolean
fl_format_image_size (FlDatasetItem *item, int *width, int *height)
{
  JsonObject *image = NULL;

  if (item->result != NULL && JSON_NODE_HOLDS_OBJECT (item->result))
    image = fl_json_get_object (json_node_get_object (item->result), "image");
  *width = image ? (int) fl_json_int (image, "width", 0) : 0;
  *height = image ? (int) fl_json_int (image, "height", 0) : 0;
  if (*width > 0 && *height > 0)
    return TRUE;
  *width = item->width;
  *height = item->height;
  if (*width > 0 && *height > 0)
    return TRUE;
  if (item->asset_path != NULL &&
      read_image_size (item->asset_path, item->media_type, width, height))
    return TRUE;
  *width = *height = 0;
  return FALSE;
}

double
fl_format_audio_duration (FlDatasetItem *item)
{
  JsonArray *segs = fl_format_result_array (item, "segments");
  double d = 0;

  if (item->result != NULL && JSON_NODE_HOLDS_OBJECT (item->result))
    d = fl_json_double (json_node_get_object (item->result), "duration", 0);
  if (d <= 0)
    d = item->duration;
  for (guint k = 0; d <= 0 && segs != NULL && k < json_array_get_length (segs); k++)
    d = MAX (d, fl_json_double (json_array_get_object_element (segs, k), "end", 0));
  return d;
}
