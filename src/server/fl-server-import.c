/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlServerImport"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fl-dataset.h"
#include "fl-server-import.h"

static void
new_asset_free (FlNewAsset *asset)
{
  g_free (asset->sha256);
  g_free (asset->name);
  g_free (asset);
}

static gboolean
path_error (GError **error, const char *path, const char *why)
{
  g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_PATH, "Asset path “%s” %s", path,
               why);
  return FALSE;
}

/* Resolves @relative inside @base_dir; nothing outside it is read, symlinks included. */
static char *
resolve_inside (const char *base_dir, const char *relative, GError **error)
{
  g_autofree char *base_real = realpath (base_dir, NULL);
  g_autofree char *joined = NULL;
  g_autofree char *real = NULL;
  g_auto (GStrv) parts = NULL;

  if (relative == NULL || relative[0] == '\0')
    return (path_error (error, "", "is empty"), NULL);
  parts = g_strsplit_set (relative, "/\\", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      return (
        path_error (error, relative, "contains “..”; paths must stay inside the list's folder"),
        NULL);
  if (base_real == NULL)
    return (path_error (error, base_dir, "is not a readable folder"), NULL);
  joined = g_path_is_absolute (relative) ? g_strdup (relative)
                                         : g_build_filename (base_real, relative, NULL);
  real = realpath (joined, NULL);
  if (real == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "Asset “%s” does not exist", relative);
      return NULL;
    }
  if (!g_str_has_prefix (real, base_real) || real[strlen (base_real)] != '/')
    return (path_error (error, relative, "leaves the list's folder"), NULL);
  if (!g_file_test (real, G_FILE_TEST_IS_REGULAR))
    return (path_error (error, relative, "is not a file"), NULL);
  return g_steal_pointer (&real);
}

static gboolean
add_one_task (FlServerStore *store, gint64 project_id, JsonObject *task, const char *base_dir,
              GError **error)
{
  static const char *const allowed[] = { "assets", "pre_annotation", "data", NULL };
  g_autoptr (GPtrArray) assets = g_ptr_array_new_with_free_func ((GDestroyNotify) new_asset_free);
  JsonArray *paths = NULL;
  JsonObject *data = NULL;

  if (!fl_protocol_check_members (task, allowed, error) ||
      !fl_protocol_get_array (task, "assets", TRUE, &paths, error) ||
      !fl_protocol_get_object (task, "data", FALSE, &data, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (paths); i++)
    {
      JsonNode *node = json_array_get_element (paths, i);
      g_autofree char *file = NULL;
      FlNewAsset *asset;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        {
          g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                               "Each of “assets” must be a relative path");
          return FALSE;
        }
      file = resolve_inside (base_dir, json_node_get_string (node), error);
      if (file == NULL)
        return FALSE;
      asset = g_new0 (FlNewAsset, 1);
      asset->name = g_path_get_basename (file);
      asset->sha256 = fl_server_store_add_blob_file (store, file, error);
      g_ptr_array_add (assets, asset);
      if (asset->sha256 == NULL)
        return FALSE;
    }
  return fl_server_store_add_task (store, project_id, assets,
                                   json_object_get_member (task, "pre_annotation"), data,
                                   error) != 0;
}

gboolean
fl_server_import_task_array (FlServerStore *store, gint64 project_id, JsonArray *tasks,
                             const char *base_dir, guint *n_added, GError **error)
{
  guint added = 0;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), FALSE);

  for (guint i = 0; i < json_array_get_length (tasks); i++)
    {
      JsonNode *node = json_array_get_element (tasks, i);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "Task %u must be an object", i + 1);
          return FALSE;
        }
      if (!add_one_task (store, project_id, json_node_get_object (node), base_dir, error))
        {
          g_prefix_error (error, "Task %u: ", i + 1);
          return FALSE;
        }
      added++;
    }
  if (n_added != NULL)
    *n_added = added;
  return TRUE;
}

static gboolean
is_media_file (const char *path, const char *kind)
{
  g_autofree char *type = g_content_type_guess (path, NULL, 0, NULL);
  g_autofree char *mime = g_content_type_get_mime_type (type);
  const char *prefix = g_strcmp0 (kind, "audio") == 0 ? "audio/" : "image/";

  return mime != NULL && g_str_has_prefix (mime, prefix);
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gboolean
fl_server_import_path (FlServerStore *store, gint64 project_id, const char *path, guint *n_added,
                       GError **error)
{
  g_autoptr (FlProjectSpec) project = NULL;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), FALSE);

  project = fl_server_store_get_project (store, project_id, error);
  if (project == NULL)
    return FALSE;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, error);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (JsonArray) tasks = json_array_new ();
      const char *name;

      if (dir == NULL)
        return FALSE;
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *full = g_build_filename (path, name, NULL);

          if (name[0] != '.' && g_file_test (full, G_FILE_TEST_IS_REGULAR) &&
              is_media_file (full, project->kind))
            g_ptr_array_add (names, g_strdup (name));
        }
      if (names->len == 0)
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "“%s” holds no %s files", path, project->kind);
          return FALSE;
        }
      g_ptr_array_sort (names, compare_strings);
      for (guint i = 0; i < names->len; i++)
        {
          JsonObject *task = json_object_new ();
          JsonArray *assets = json_array_new ();

          json_array_add_string_element (assets, g_ptr_array_index (names, i));
          json_object_set_array_member (task, "assets", assets);
          json_array_add_object_element (tasks, task);
        }
      return fl_server_import_task_array (store, project_id, tasks, path, n_added, error);
    }
  else
    {
      g_autofree char *contents = NULL;
      g_autofree char *base_dir = g_path_get_dirname (path);
      g_autoptr (JsonNode) root = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, error))
        return FALSE;
      root = fl_protocol_parse (contents, (gssize) length, error);
      if (root == NULL)
        {
          g_prefix_error (error, "%s: ", path);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_ARRAY (root))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "%s: a task list is a JSON array of tasks", path);
          return FALSE;
        }
      return fl_server_import_task_array (store, project_id, json_node_get_array (root), base_dir,
                                          n_added, error);
    }
}

static JsonArray *
array_member (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
entry_name (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_string_member_with_default (json_node_get_object (node), "name", NULL);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gboolean
list_has_name (JsonArray *list, const char *name)
{
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    if (g_strcmp0 (entry_name (json_array_get_element (list, i)), name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
list_has_member_value (JsonArray *list, const char *member, const char *value)
{
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && g_strcmp0 (json_object_get_string_member_with_default (
                                                        json_node_get_object (node), member, NULL),
                                                      value) == 0)
        return TRUE;
    }
  return FALSE;
}

/* A copy of an imported entry with only the members a label config allows; a
 * hotkey the project already uses is left out. */
static JsonNode *
copy_entry (JsonNode *node, const char *key, JsonArray *existing)
{
  static const char *const class_members[] = { "name", "color", "hotkey", "attributes", NULL };
  static const char *const speaker_members[] = { "name", "color", NULL };
  const char *const *members = strcmp (key, "classes") == 0 ? class_members : speaker_members;
  JsonObject *from, *to;
  JsonNode *copy;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return json_node_copy (node);
  from = json_node_get_object (node);
  to = json_object_new ();
  for (guint i = 0; members[i] != NULL; i++)
    {
      JsonNode *value = json_object_get_member (from, members[i]);

      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        continue;
      if (strcmp (members[i], "hotkey") == 0 &&
          (!JSON_NODE_HOLDS_VALUE (value) ||
           list_has_member_value (existing, "hotkey", json_node_get_string (value))))
        continue;
      json_object_set_member (to, members[i], json_node_copy (value));
    }
  copy = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (copy, to);
  return copy;
}

/* Adds to @config the classes, tags and speakers of @imported it lacks; says
 * what it did in @summary. Returns whether @config changed. */
static gboolean
merge_label_config (JsonObject *config, JsonObject *imported, GString *summary)
{
  static const char *const keys[] = { "classes", "tags", "speakers" };
  gboolean changed = FALSE;

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      JsonArray *from = array_member (imported, keys[k]);
      JsonArray *to = array_member (config, keys[k]);
      gboolean was_empty = to == NULL || json_array_get_length (to) == 0;
      g_autoptr (GString) names = g_string_new (NULL);
      guint added = 0;

      if (from == NULL)
        continue;
      if (to == NULL)
        {
          to = json_array_new ();
          json_object_set_array_member (config, keys[k], to);
        }
      for (guint i = 0; i < json_array_get_length (from); i++)
        {
          JsonNode *node = json_array_get_element (from, i);
          const char *name = entry_name (node);

          if (name == NULL || name[0] == '\0' || list_has_name (to, name))
            continue;
          g_string_append_printf (names, "%s%s", added ? ", " : "", name);
          json_array_add_element (to, copy_entry (node, keys[k], to));
          added++;
        }
      if (added == 0)
        continue;
      changed = TRUE;
      g_string_append_printf (summary, "label config: %s %u %s from the import: %s\n",
                              was_empty ? "set" : "added", added, keys[k], names->str);
    }
  return changed;
}

gboolean
fl_server_import_dataset (FlServerStore *store, gint64 project_id, const char *path,
                          const char *format, guint *n_added, char **report_text, GError **error)
{
  g_autoptr (FlProjectSpec) project = NULL;
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  guint added = 0;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), FALSE);

  project = fl_server_store_get_project (store, project_id, error);
  if (project == NULL)
    return FALSE;
  ds = fl_dataset_import (path, format, &report, error);
  if (report != NULL && report_text != NULL)
    *report_text = fl_import_report_to_string (report);
  if (ds == NULL)
    return FALSE;
  if (g_strcmp0 (ds->kind, project->kind) != 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "“%s” holds %s tasks; the project is %s", path, ds->kind, project->kind);
      return FALSE;
    }
  if (ds->label_config != NULL)
    {
      g_autoptr (GString) summary = g_string_new (NULL);

      if (!merge_label_config (project->label_config, ds->label_config, summary))
        g_string_append (summary, "label config: unchanged, the project has every class, tag "
                                  "and speaker of the import\n");
      else if (!fl_server_store_set_label_config (store, project_id, project->label_config, error))
        {
          g_prefix_error (error, "The imported label config: ");
          return FALSE;
        }
      if (report_text != NULL)
        {
          char *joined = g_strconcat (*report_text ? *report_text : "", *report_text ? "\n" : "",
                                      summary->str, NULL);

          g_free (*report_text);
          *report_text = g_strchomp (joined);
        }
    }
  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      g_autoptr (GPtrArray) assets =
        g_ptr_array_new_with_free_func ((GDestroyNotify) new_asset_free);
      FlNewAsset *asset = g_new0 (FlNewAsset, 1);

      g_ptr_array_add (assets, asset);
      asset->name = g_strdup (item->asset_name);
      if (asset->name == NULL || strchr (asset->name, '/') != NULL)
        {
          g_free (asset->name);
          asset->name = g_path_get_basename (item->asset_path);
        }
      asset->sha256 = fl_server_store_add_blob_file (store, item->asset_path, error);
      if (asset->sha256 == NULL || fl_server_store_add_task (store, project_id, assets,
                                                             item->result, item->data, error) == 0)
        {
          g_prefix_error (error, "%s: ", item->asset_name ? item->asset_name : item->asset_path);
          return FALSE;
        }
      added++;
    }
  if (n_added != NULL)
    *n_added = added;
  return TRUE;
}

gboolean
fl_server_seed_demo (FlServerStore *store, const char *manifest, GError **error)
{
  static const char *const root_allowed[] = { "projects", NULL };
  static const char *const extra[] = { "tasks", NULL };
  g_autofree char *contents = NULL;
  g_autofree char *base_dir = g_path_get_dirname (manifest);
  g_autoptr (JsonNode) root = NULL;
  JsonArray *projects = NULL;
  gsize length;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), FALSE);

  if (!g_file_get_contents (manifest, &contents, &length, error))
    return FALSE;
  root = fl_protocol_parse (contents, (gssize) length, error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      if (root != NULL)
        g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                             "A demo manifest is a JSON object with “projects”");
      g_prefix_error (error, "%s: ", manifest);
      return FALSE;
    }
  if (!fl_protocol_check_members (json_node_get_object (root), root_allowed, error) ||
      !fl_protocol_get_array (json_node_get_object (root), "projects", TRUE, &projects, error))
    {
      g_prefix_error (error, "%s: ", manifest);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (projects); i++)
    {
      JsonNode *node = json_array_get_element (projects, i);
      g_autoptr (FlProjectSpec) spec = NULL;
      JsonArray *tasks = NULL;
      gint64 project_id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "%s: project %u must be an object", manifest, i + 1);
          return FALSE;
        }
      spec = fl_project_spec_from_json (json_node_get_object (node), extra, error);
      if (spec == NULL ||
          !fl_protocol_get_array (json_node_get_object (node), "tasks", FALSE, &tasks, error))
        {
          g_prefix_error (error, "%s: project %u: ", manifest, i + 1);
          return FALSE;
        }
      project_id = fl_server_store_create_project (store, spec, error);
      if (project_id == 0)
        return FALSE;
      if (tasks != NULL &&
          !fl_server_import_task_array (store, project_id, tasks, base_dir, NULL, error))
        {
          g_prefix_error (error, "%s: project %u: ", manifest, i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
fl_server_export (FlServerStore *store, gint64 project_id, const char *format, const char *out_dir,
                  guint *n_items, GError **error)
{
  g_autoptr (FlProjectSpec) project = NULL;
  g_autoptr (JsonNode) rows = NULL;
  g_autoptr (FlDataset) ds = NULL;
  JsonArray *array;

  g_return_val_if_fail (FL_IS_SERVER_STORE (store), FALSE);

  project = fl_server_store_get_project (store, project_id, error);
  if (project == NULL)
    return FALSE;
  rows = fl_server_store_approved_results (store, project_id, error);
  if (rows == NULL)
    return FALSE;
  ds = fl_dataset_new (project->kind);
  ds->project_title = g_strdup (project->title);
  ds->label_config = json_object_ref (project->label_config);
  array = json_node_get_array (rows);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *row = json_array_get_object_element (array, i);
      JsonArray *assets = json_object_get_array_member (row, "assets");
      JsonObject *asset =
        json_array_get_length (assets) > 0 ? json_array_get_object_element (assets, 0) : NULL;
      FlDatasetItem *item = fl_dataset_add_item (ds);
      JsonNode *result = json_object_get_member (row, "result");

      item->task_id =
        g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (row, "task_id"));
      if (asset != NULL)
        {
          item->asset_name = g_strdup (json_object_get_string_member (asset, "name"));
          item->asset_path = g_strdup (json_object_get_string_member (asset, "path"));
          item->asset_sha256 = g_strdup (json_object_get_string_member (asset, "sha256"));
          item->media_type =
            g_strdup (json_object_get_string_member_with_default (asset, "media_type", NULL));
          item->width = (int) json_object_get_int_member_with_default (asset, "width", 0);
          item->height = (int) json_object_get_int_member_with_default (asset, "height", 0);
          item->duration = json_object_get_double_member_with_default (asset, "duration", 0);
        }
      if (result != NULL && !JSON_NODE_HOLDS_NULL (result))
        item->result = json_node_copy (result);
      if (json_object_has_member (row, "data"))
        item->data = json_object_ref (json_object_get_object_member (row, "data"));
      item->worker = g_strdup (json_object_get_string_member (row, "worker"));
      item->submitted_at_unix = json_object_get_int_member (row, "submitted_at");
      item->active_seconds = json_object_get_int_member (row, "active_seconds");
      item->reward = project->reward;
      item->reward.amount_minor = json_object_get_int_member (row, "paid_minor");
      item->state = g_strdup (json_object_get_string_member (row, "state"));
    }
  if (n_items != NULL)
    *n_items = ds->items->len;
  return fl_dataset_export (ds, format, out_dir, error);
}
