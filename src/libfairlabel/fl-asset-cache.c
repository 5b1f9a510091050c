/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlAssetCache"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-asset-cache.h"
#include "fl-token.h"

struct _FlAssetCache
{
  GObject parent_instance;

  GFile *dir;
  gint64 max_bytes;
  GMutex trim_lock;
};

G_DEFINE_FINAL_TYPE (FlAssetCache, fl_asset_cache, G_TYPE_OBJECT)

static void
fl_asset_cache_finalize (GObject *object)
{
  FlAssetCache *self = FL_ASSET_CACHE (object);

  g_clear_object (&self->dir);
  g_mutex_clear (&self->trim_lock);

  G_OBJECT_CLASS (fl_asset_cache_parent_class)->finalize (object);
}

static void
fl_asset_cache_class_init (FlAssetCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_asset_cache_finalize;
}

static void
fl_asset_cache_init (FlAssetCache *self)
{
  g_mutex_init (&self->trim_lock);
}

FlAssetCache *
fl_asset_cache_new (const char *dir, gint64 max_bytes)
{
  FlAssetCache *self;

  g_return_val_if_fail (max_bytes > 0, NULL);

  self = g_object_new (FL_TYPE_ASSET_CACHE, NULL);
  if (dir != NULL)
    self->dir = g_file_new_for_path (dir);
  else
    self->dir = g_file_new_build_filename (g_get_user_cache_dir (), "fairlabel", "assets", NULL);
  self->max_bytes = max_bytes;
  return self;
}

GFile *
fl_asset_cache_get_dir (FlAssetCache *self)
{
  g_return_val_if_fail (FL_IS_ASSET_CACHE (self), NULL);

  return self->dir;
}

gint64
fl_asset_cache_get_max_bytes (FlAssetCache *self)
{
  g_return_val_if_fail (FL_IS_ASSET_CACHE (self), 0);

  return self->max_bytes;
}

typedef struct
{
  char *name;
  gint64 size;
  guint64 used; /* modification time, bumped on every use */
} Entry;

static int
compare_entries (gconstpointer a, gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;

  if (ea->used != eb->used)
    return ea->used < eb->used ? -1 : 1;
  return g_strcmp0 (ea->name, eb->name);
}

gint64
fl_asset_cache_trim_sync (FlAssetCache *self, const char *const *keep, GError **error)
{
  g_autoptr (GFileEnumerator) enumerator = NULL;
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  gint64 total = 0;
  GFileInfo *info;

  g_return_val_if_fail (FL_IS_ASSET_CACHE (self), -1);

  g_mutex_lock (&self->trim_lock);
  enumerator =
    g_file_enumerate_children (self->dir,
                               G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_SIZE
                                                              "," G_FILE_ATTRIBUTE_TIME_MODIFIED,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error);
  if (enumerator == NULL)
    {
      g_mutex_unlock (&self->trim_lock);
      return -1;
    }
  while ((info = g_file_enumerator_next_file (enumerator, NULL, NULL)) != NULL)
    {
      const char *name = g_file_info_get_name (info);

      /* Only finished files (named by their hash) count; downloads in flight
       * are someone else's. */
      if (fl_sha256_is_valid_hex (name))
        {
          Entry entry = {
            .name = g_strdup (name),
            .size = g_file_info_get_size (info),
            .used = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
          };
          total += entry.size;
          g_array_append_val (entries, entry);
        }
      g_object_unref (info);
    }

  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len && total > self->max_bytes; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);
      g_autoptr (GFile) file = NULL;

      if (keep != NULL && g_strv_contains (keep, entry->name))
        continue;
      file = g_file_get_child (self->dir, entry->name);
      if (g_file_delete (file, NULL, NULL))
        total -= entry->size;
    }
  for (guint i = 0; i < entries->len; i++)
    g_free (g_array_index (entries, Entry, i).name);
  g_mutex_unlock (&self->trim_lock);
  return total;
}

typedef struct
{
  FlClient *client;
  char *sha256;
  GFile *file;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->client);
  g_free (data->sha256);
  g_clear_object (&data->file);
  g_free (data);
}

static void
trim_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FlAssetCache *self = source;
  FetchData *data = task_data;
  const char *keep[] = { data->sha256, NULL };
  g_autoptr (GError) error = NULL;

  if (fl_asset_cache_trim_sync (self, keep, &error) < 0)
    g_debug ("Cannot trim the asset cache: %s", error->message);
  g_task_return_pointer (task, g_object_ref (data->file), g_object_unref);
}

static void
on_downloaded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  data->file = fl_client_fetch_asset_finish (FL_CLIENT (source), result, &error);
  if (data->file == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, trim_thread);
}

static void
lookup_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FlAssetCache *self = source;
  FetchData *data = task_data;
  g_autoptr (GFile) file = g_file_get_child (self->dir, data->sha256);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = NULL;

  if (!g_file_make_directory_with_parents (self->dir, cancellable, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, NULL);
  if (info != NULL)
    {
      /* Files appear under their hash only after verification; mark as used. */
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED,
                                   (guint64) g_date_time_to_unix (now), G_FILE_QUERY_INFO_NONE,
                                   NULL, NULL);
      data->file = g_object_ref (file);
    }
  g_task_return_boolean (task, TRUE);
}

static void
on_looked_up (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);
  FlAssetCache *self = g_task_get_source_object (task);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->file != NULL)
    {
      g_task_return_pointer (task, g_object_ref (data->file), g_object_unref);
      return;
    }
  fl_client_fetch_asset_async (data->client, data->sha256, self->dir, cancellable, on_downloaded,
                               g_steal_pointer (&task));
}

void
fl_asset_cache_fetch_async (FlAssetCache *self, FlClient *client, const char *sha256,
                            GCancellable *cancellable, GAsyncReadyCallback callback,
                            gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GTask) lookup = NULL;
  FetchData *data;

  g_return_if_fail (FL_IS_ASSET_CACHE (self));
  g_return_if_fail (FL_IS_CLIENT (client));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_asset_cache_fetch_async);
  if (sha256 == NULL || !fl_sha256_is_valid_hex (sha256))
    {
      g_task_return_new_error (task, FL_CLIENT_ERROR, FL_CLIENT_ERROR_BAD_RESPONSE,
                               _ ("A task file has no valid SHA-256 name."));
      return;
    }

  data = g_new0 (FetchData, 1);
  data->client = g_object_ref (client);
  data->sha256 = g_ascii_strdown (sha256, -1);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  lookup = g_task_new (self, cancellable, on_looked_up, g_steal_pointer (&task));
  g_task_set_task_data (lookup, data, NULL);
  g_task_run_in_thread (lookup, lookup_thread);
}

GFile *
fl_asset_cache_fetch_finish (FlAssetCache *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_ASSET_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
