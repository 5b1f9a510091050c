/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatJson"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include <glib/gstdio.h>

#include "fl-format-private.h"

/* Fairlabel's own task list: JSON ({"fairlabel": 1, ..., "tasks": [...]}, or a
 * bare array of tasks) and JSON Lines (one task a line); also the reader of a
 * plain folder of media files and the piecewise JSON reader for big files. */

#define MAX_ELEMENT_BYTES (64 * 1024 * 1024)

static JsonNode *
task_to_json (FlExportContext *ctx, guint i, const char *asset_dir)
{
  FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *when = fl_format_iso8601 (item->submitted_at_unix);

  json_builder_begin_object (b);
  if (item->task_id != NULL)
    {
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, item->task_id);
    }
  json_builder_set_member_name (b, "asset");
  if (item->asset_path != NULL)
    {
      g_autofree char *rel = g_build_filename (asset_dir, ctx->names[i], NULL);
      json_builder_add_string_value (b, rel);
    }
  else
    json_builder_add_string_value (b, ctx->names[i]);
  if (item->asset_name != NULL)
    {
      json_builder_set_member_name (b, "asset_name");
      json_builder_add_string_value (b, item->asset_name);
    }
  if (item->asset_sha256 != NULL)
    {
      json_builder_set_member_name (b, "sha256");
      json_builder_add_string_value (b, item->asset_sha256);
    }
  if (item->media_type != NULL)
    {
      json_builder_set_member_name (b, "media_type");
      json_builder_add_string_value (b, item->media_type);
    }
  if (item->width > 0 && item->height > 0)
    {
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, item->width);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, item->height);
    }
  if (item->duration > 0)
    {
      json_builder_set_member_name (b, "duration");
      json_builder_add_double_value (b, item->duration);
    }
  if (item->data != NULL)
    {
      json_builder_set_member_name (b, "data");
      json_builder_add_value (b, json_node_init_object (json_node_alloc (), item->data));
    }
  if (item->result != NULL)
    {
      json_builder_set_member_name (b, "result");
      json_builder_add_value (b, json_node_copy (item->result));
    }
  if (item->worker != NULL)
    {
      json_builder_set_member_name (b, "worker");
      json_builder_add_string_value (b, item->worker);
    }
  if (when != NULL)
    {
      json_builder_set_member_name (b, "submitted_at");
      json_builder_add_string_value (b, when);
    }
  if (item->active_seconds > 0)
    {
      json_builder_set_member_name (b, "active_seconds");
      json_builder_add_int_value (b, item->active_seconds);
    }
  if (item->reward.currency[0] != '\0')
    {
      g_autofree char *amount = fl_money_to_decimal (&item->reward);

      json_builder_set_member_name (b, "reward");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "amount");
      json_builder_add_string_value (b, amount);
      json_builder_set_member_name (b, "amount_minor");
      json_builder_add_int_value (b, item->reward.amount_minor);
      json_builder_set_member_name (b, "currency");
      json_builder_add_string_value (b, item->reward.currency);
      json_builder_end_object (b);
    }
  if (item->state != NULL)
    {
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, item->state);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
fl_format_export_json (FlExportContext *ctx, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  if (!fl_format_copy_assets (ctx, "assets", error))
    return FALSE;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fairlabel");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, ctx->ds->kind);
  if (ctx->ds->project_title != NULL)
    {
      json_builder_set_member_name (b, "project_title");
      json_builder_add_string_value (b, ctx->ds->project_title);
    }
  json_builder_set_member_name (b, "label_config");
  json_builder_add_value (b, json_node_init_object (json_node_alloc (), ctx->ds->label_config));
  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; i < ctx->ds->items->len; i++)
    json_builder_add_value (b, task_to_json (ctx, i, "assets"));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_to_gstring (gen, out);
  g_string_append_c (out, '\n');
  return fl_format_write_file (ctx, "tasks.json", out, error);
}

gboolean
fl_format_export_jsonl (FlExportContext *ctx, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  if (!fl_format_copy_assets (ctx, "assets", error))
    return FALSE;
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      g_autoptr (JsonNode) task = task_to_json (ctx, i, "assets");

      json_generator_set_root (gen, task);
      json_generator_to_gstring (gen, out);
      g_string_append_c (out, '\n');
    }
  return fl_format_write_file (ctx, "tasks.jsonl", out, error);
}

/* Reading */

static const char *
task_reference (JsonObject *task)
{
  static const char *const keys[] = { "asset", "path", "file", "image", "audio", "url" };

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      JsonNode *n = json_object_get_member (task, keys[i]);

      if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        return json_node_get_string (n);
    }
  return NULL;
}

typedef struct
{
  FlImportContext *ctx;
  char *rel;      /* the task list, relative to the import folder */
  char *base_dir; /* where its paths start */
  guint index;
} TaskListReader;

static void
read_task (TaskListReader *r, JsonNode *element, guint line)
{
  FlImportContext *ctx = r->ctx;
  JsonObject *task = NULL;
  const char *ref = NULL;
  g_autofree char *resolved = NULL;
  FlDatasetItem *item;
  JsonNode *result = NULL;

  r->index++;
  if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
    ref = json_node_get_string (element);
  else if (JSON_NODE_HOLDS_OBJECT (element))
    {
      task = json_node_get_object (element);
      ref = task_reference (task);
    }
  else
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                            _ ("task %u is neither a file name nor an object"), r->index);
      return;
    }
  if (ref == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                            _ ("task %u names no file (expected \"asset\", \"path\", \"image\" or "
                               "\"audio\")"),
                            r->index);
      return;
    }
  resolved = fl_format_resolve_asset (ctx, ref, r->base_dir, r->rel, line);
  if (resolved == NULL)
    return;
  item = fl_format_add_asset (ctx, resolved, r->rel, line);
  if (item == NULL || task == NULL)
    return;

  if (json_object_has_member (task, "id"))
    {
      JsonNode *id = json_object_get_member (task, "id");

      if (JSON_NODE_HOLDS_VALUE (id))
        item->task_id = json_node_get_value_type (id) == G_TYPE_STRING
                          ? g_strdup (json_node_get_string (id))
                          : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
    }
  if (json_object_has_member (task, "asset_name"))
    {
      const char *name = fl_json_string (task, "asset_name", NULL);

      if (name != NULL)
        {
          g_free (item->asset_name);
          item->asset_name = g_strdup (name);
        }
    }
  item->asset_sha256 = g_strdup (fl_json_string (task, "sha256", NULL));
  if (json_object_has_member (task, "data") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (task, "data")))
    item->data = json_object_ref (fl_json_get_object (task, "data"));
  result = json_object_get_member (task, "result");
  if (result == NULL)
    result = json_object_get_member (task, "pre_annotation");
  item->result = fl_result_sanitize (ctx, result, r->rel, line);
  item->worker = g_strdup (fl_json_string (task, "worker", NULL));
  item->submitted_at_unix = fl_format_parse_iso8601 (fl_json_string (task, "submitted_at", NULL));
  item->active_seconds = fl_json_int (task, "active_seconds", 0);
  item->state = g_strdup (fl_json_string (task, "state", NULL));
  if (json_object_has_member (task, "reward") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (task, "reward")))
    {
      JsonObject *reward = fl_json_get_object (task, "reward");
      const char *currency = fl_json_string (reward, "currency", "");

      if (!fl_money_init (&item->reward, fl_json_int (reward, "amount_minor", 0), currency, NULL))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_CHANGED, r->rel, line,
                              _ ("task %u: reward in unknown currency “%s” left out"), r->index,
                              currency);
    }
  if (item->duration <= 0)
    item->duration = fl_json_double (task, "duration", 0);
}

static gboolean
task_list_element (const char *key, JsonNode *element, guint line, gpointer user_data,
                   GError **error)
{
  TaskListReader *r = user_data;
  FlImportContext *ctx = r->ctx;

  if (key == NULL || g_str_equal (key, "tasks"))
    read_task (r, element, line);
  else if (g_str_equal (key, "kind") && JSON_NODE_HOLDS_VALUE (element))
    {
      const char *kind = json_node_get_string (element);

      if (g_strcmp0 (kind, "image") != 0 && g_strcmp0 (kind, "audio") != 0)
        {
          g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                       _ ("%s: unknown kind “%s”"), r->rel, kind ? kind : "");
          return FALSE;
        }
      return fl_format_ensure_kind (ctx, kind, r->rel, error);
    }
  else if (g_str_equal (key, "project_title") && JSON_NODE_HOLDS_VALUE (element))
    {
      g_free (ctx->ds->project_title);
      ctx->ds->project_title = g_strdup (json_node_get_string (element));
    }
  else if (g_str_equal (key, "label_config") && JSON_NODE_HOLDS_OBJECT (element))
    {
      json_object_unref (ctx->ds->label_config);
      ctx->ds->label_config = json_object_ref (json_node_get_object (element));
    }
  else if (!g_str_equal (key, "fairlabel"))
    fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r->rel, line,
                          _ ("unknown member “%s” ignored"), key);
  return TRUE;
}

gboolean
fl_format_import_json (FlImportContext *ctx, const char *path, GError **error)
{
  TaskListReader r = { ctx, fl_format_relative (ctx, path), g_path_get_dirname (path), 0 };
  gboolean ok = fl_format_stream_json (ctx, path, task_list_element, &r, error);

  g_free (r.rel);
  g_free (r.base_dir);
  return ok;
}

gboolean
fl_format_import_jsonl (FlImportContext *ctx, const char *path, GError **error)
{
  TaskListReader r = { ctx, fl_format_relative (ctx, path), g_path_get_dirname (path), 0 };
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
  g_autoptr (GDataInputStream) data = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gboolean ok = TRUE;
  guint line = 0;

  if (in == NULL)
    {
      ok = FALSE;
      goto out;
    }
  /* Line by line, whatever the size: only one task is in memory at a time. */
  data = g_data_input_stream_new (G_INPUT_STREAM (in));
  g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (data), 256 * 1024);
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gsize len = 0;
      g_autofree char *text = g_data_input_stream_read_line (data, &len, NULL, &local);
      char *p;

      if (text == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          break;
        }
      line++;
      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        {
          ok = FALSE;
          break;
        }
      if (len > 0 && text[len - 1] == '\r')
        text[--len] = '\0';
      p = g_strstrip (text);
      if (*p == '\0')
        continue;
      if (!g_utf8_validate (text, len, NULL))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, line,
                                _ ("not UTF-8 text"));
          continue;
        }
      if (!json_parser_load_from_data (parser, p, -1, &local))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, r.rel, line,
                                _ ("not valid JSON: %s"), local->message);
          continue;
        }
      read_task (&r, json_parser_get_root (parser), line);
    }
out:
  g_free (r.rel);
  g_free (r.base_dir);
  return ok;
}

/* A folder of media files: one task per image or audio file, recursively;
 * hidden files and label files beside them are not tasks. */
static void
scan_folder (FlImportContext *ctx, const char *dir, GPtrArray *files, guint depth)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL || depth > 16)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (p, G_FILE_TEST_IS_SYMLINK) && g_file_test (p, G_FILE_TEST_IS_DIR))
        continue;
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        scan_folder (ctx, p, files, depth + 1);
      else
        g_ptr_array_add (files, g_steal_pointer (&p));
    }
}

static gboolean
is_label_file (const char *name)
{
  static const char *const exts[] = { ".json", ".jsonl", ".xml",   ".txt",  ".srt",
                                      ".vtt",  ".csv",   ".names", ".yaml", ".md" };

  for (gsize i = 0; i < G_N_ELEMENTS (exts); i++)
    if (g_str_has_suffix (name, exts[i]))
      return TRUE;
  return FALSE;
}

gboolean
fl_format_import_folder (FlImportContext *ctx, const char *path, GError **error)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autofree char *rel = fl_format_relative (ctx, path);
      g_autofree char *resolved = fl_format_resolve_asset (ctx, rel, ctx->root, rel, 0);

      if (resolved != NULL)
        fl_format_add_asset (ctx, resolved, NULL, 0);
      return TRUE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT, _ ("%s is not a folder"),
                   path);
      return FALSE;
    }
  scan_folder (ctx, path, files, 0);
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = *(const char **) &g_ptr_array_index (files, i);
      g_autofree char *rel = fl_format_relative (ctx, file);
      g_autofree char *resolved = NULL;

      if (is_label_file (file))
        continue;
      resolved = fl_format_resolve_asset (ctx, rel, ctx->root, rel, 0);
      if (resolved != NULL)
        fl_format_add_asset (ctx, resolved, NULL, 0);
    }
  return TRUE;
}

/* Piecewise JSON: a small scanner finds where each element of the top-level
 * array (or of each top-level member that is an array) ends, and json-glib
 * parses that element alone. Memory is one element, not the file. */

typedef struct
{
  GInputStream *in;
  guchar buf[64 * 1024];
  gsize len, pos;
  guint line;
  GError *error;
} Reader;

static int
reader_peek (Reader *r)
{
  if (r->pos >= r->len)
    {
      gssize n;

      if (r->error != NULL)
        return -1;
      n = g_input_stream_read (r->in, r->buf, sizeof r->buf, NULL, &r->error);
      if (n <= 0)
        return -1;
      r->len = n;
      r->pos = 0;
    }
  return r->buf[r->pos];
}

static int
reader_next (Reader *r)
{
  int c = reader_peek (r);

  if (c >= 0)
    {
      r->pos++;
      if (c == '\n')
        r->line++;
    }
  return c;
}

static int
reader_skip_ws (Reader *r)
{
  int c;

  while ((c = reader_peek (r)) == ' ' || c == '\t' || c == '\n' || c == '\r')
    reader_next (r);
  return c;
}

/* Copies one complete JSON value into out. */
static gboolean
reader_value (Reader *r, GString *out)
{
  int depth = 0;
  gboolean in_string = FALSE, escape = FALSE;
  int c = reader_skip_ws (r);

  if (c < 0)
    return FALSE;
  for (;;)
    {
      c = reader_peek (r);
      if (c < 0)
        return FALSE;
      if (!in_string && depth == 0 && out->len > 0 &&
          (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t'))
        return TRUE;
      reader_next (r);
      if (out->len >= MAX_ELEMENT_BYTES)
        return FALSE;
      g_string_append_c (out, (char) c);
      if (in_string)
        {
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return TRUE;
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        {
          if (--depth == 0)
            return TRUE;
          if (depth < 0)
            return FALSE;
        }
    }
}

static JsonNode *
parse_element (FlImportContext *ctx, const char *rel, GString *text, guint line, JsonParser *parser)
{
  g_autoptr (GError) local = NULL;

  if (!g_utf8_validate (text->str, text->len, NULL))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("element is not UTF-8 text"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text->str, text->len, &local))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("element is not valid JSON: %s"), local->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
stream_array (Reader *r, FlImportContext *ctx, const char *rel, const char *key,
              FlJsonElementFunc func, gpointer user_data, gboolean *stopped, GError **error)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (reader_skip_ws (r) == ']')
    {
      reader_next (r);
      return TRUE;
    }
  for (;;)
    {
      guint line;
      g_autoptr (JsonNode) node = NULL;
      int c;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;
      reader_skip_ws (r);
      line = r->line;
      g_string_truncate (text, 0);
      if (!reader_value (r, text))
        break;
      node = parse_element (ctx, rel, text, line, parser);
      if (node != NULL && !func (key, node, line, user_data, error))
        {
          *stopped = TRUE;
          return error == NULL || *error == NULL;
        }
      c = reader_skip_ws (r);
      reader_next (r);
      if (c == ']')
        return TRUE;
      if (c != ',')
        break;
    }
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
               _ ("%s:%u: broken JSON (an element is unfinished or larger than %d MB)"), rel,
               r->line, MAX_ELEMENT_BYTES / (1024 * 1024));
  return FALSE;
}

static gboolean
stream_file (FlImportContext *ctx, const char *path, const char *rel, FlJsonElementFunc func,
             gpointer user_data, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, error);
  g_autofree Reader *r = NULL;
  gboolean stopped = FALSE;
  int c;

  if (in == NULL)
    return FALSE;
  r = g_new0 (Reader, 1);
  r->in = G_INPUT_STREAM (in);
  r->line = 1;

  c = reader_skip_ws (r);
  if (c == 0xef) /* a UTF-8 byte order mark */
    {
      reader_next (r);
      reader_next (r);
      reader_next (r);
      c = reader_skip_ws (r);
    }
  reader_next (r);
  if (c == '[')
    {
      gboolean ok = stream_array (r, ctx, rel, NULL, func, user_data, &stopped, error);

      g_clear_error (&r->error);
      return ok;
    }
  if (c != '{')
    {
      g_clear_error (&r->error);
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, r->line,
                            _ ("not a JSON array or object"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                   _ ("%s is not a JSON array or object"), rel);
      return FALSE;
    }

  if (reader_skip_ws (r) == '}')
    return TRUE;
  for (;;)
    {
      g_autoptr (GString) key_text = g_string_new (NULL);
      g_autoptr (JsonNode) key_node = NULL;
      const char *key;
      guint line;

      reader_skip_ws (r);
      line = r->line;
      if (reader_peek (r) != '"' || !reader_value (r, key_text) ||
          (key_node = json_from_string (key_text->str, NULL)) == NULL ||
          json_node_get_value_type (key_node) != G_TYPE_STRING)
        break;
      key = json_node_get_string (key_node);
      if (reader_skip_ws (r) != ':')
        break;
      reader_next (r);
      if (reader_skip_ws (r) == '[')
        {
          reader_next (r);
          if (!stream_array (r, ctx, rel, key, func, user_data, &stopped, error))
            {
              g_clear_error (&r->error);
              return FALSE;
            }
          if (stopped)
            return TRUE;
        }
      else
        {
          g_autoptr (GString) text = g_string_new (NULL);
          g_autoptr (JsonParser) parser = json_parser_new ();
          g_autoptr (JsonNode) node = NULL;

          if (!reader_value (r, text))
            break;
          node = parse_element (ctx, rel, text, line, parser);
          if (node != NULL && !func (key, node, line, user_data, error))
            return error == NULL || *error == NULL;
        }
      c = reader_skip_ws (r);
      reader_next (r);
      if (c == '}')
        return TRUE;
      if (c != ',')
        break;
    }
  g_clear_error (&r->error);
  fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, r->line, _ ("broken JSON"));
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s:%u: broken JSON"), rel,
               r->line);
  return FALSE;
}

gboolean
fl_format_stream_json (FlImportContext *ctx, const char *path, FlJsonElementFunc func,
                       gpointer user_data, GError **error)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autoptr (JsonNode) root = NULL;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > fl_format_stream_threshold ())
    return stream_file (ctx, path, rel, func, user_data, error);

  root = fl_format_load_json (ctx, path, error);
  if (root == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s is not valid JSON"),
                     rel);
      return FALSE;
    }
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *a = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (a); i++)
        if (!func (NULL, json_array_get_element (a, i), 0, user_data, error))
          return error == NULL || *error == NULL;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      g_autoptr (GList) members = json_object_get_members (o);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (o, l->data);

          if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *a = json_node_get_array (value);

              for (guint i = 0; i < json_array_get_length (a); i++)
                if (!func (l->data, json_array_get_element (a, i), 0, user_data, error))
                  return error == NULL || *error == NULL;
            }
          else if (!func (l->data, value, 0, user_data, error))
            return error == NULL || *error == NULL;
        }
      return TRUE;
    }
  fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                        _ ("not a JSON array or object"));
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT,
               _ ("%s is not a JSON array or object"), rel);
  return FALSE;
}
