/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "fl-client.h"

G_BEGIN_DECLS

#define FL_TYPE_ASSET_CACHE (fl_asset_cache_get_type ())
G_DECLARE_FINAL_TYPE (FlAssetCache, fl_asset_cache, FL, ASSET_CACHE, GObject)

/* Task files by SHA-256, in @dir (NULL: fairlabel/assets in the XDG cache dir),
 * trimmed to @max_bytes by dropping the least recently used. */
FlAssetCache *fl_asset_cache_new (const char *dir, gint64 max_bytes);
GFile *fl_asset_cache_get_dir (FlAssetCache *self);
gint64 fl_asset_cache_get_max_bytes (FlAssetCache *self);

/* The cached file, or a download through @client verified against the hash. */
void fl_asset_cache_fetch_async (FlAssetCache *self, FlClient *client, const char *sha256,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data);
GFile *fl_asset_cache_fetch_finish (FlAssetCache *self, GAsyncResult *result, GError **error);

/* Blocking: drops the least recently used files until the total fits; the
 * files in @keep (sha256 strings, nullable) stay. Answers the bytes left. */
gint64 fl_asset_cache_trim_sync (FlAssetCache *self, const char *const *keep, GError **error);

G_END_DECLS
