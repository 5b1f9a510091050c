/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_WAVEFORM_ERROR (fl_waveform_error_quark ())

typedef enum
{
  FL_WAVEFORM_ERROR_EMPTY_FILE,
  FL_WAVEFORM_ERROR_NOT_AUDIO,
  FL_WAVEFORM_ERROR_NO_AUDIO_STREAM,
  FL_WAVEFORM_ERROR_MISSING_PLUGIN,
  FL_WAVEFORM_ERROR_CORRUPT,
  FL_WAVEFORM_ERROR_FAILED,
} FlWaveformError;

GQuark fl_waveform_error_quark (void);

/* The finest level holds one min/max pair per 5 ms; each coarser level merges four bins. */
#define FL_WAVEFORM_BINS_PER_SECOND 200
#define FL_WAVEFORM_N_LEVELS 8

#define FL_TYPE_WAVEFORM (fl_waveform_get_type ())
G_DECLARE_FINAL_TYPE (FlWaveform, fl_waveform, FL, WAVEFORM, GObject)

FlWaveform *fl_waveform_new (const char *cache_dir);

void fl_waveform_load_async (FlWaveform *self, GFile *file, const char *sha256,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data);
gboolean fl_waveform_load_finish (FlWaveform *self, GAsyncResult *result, GError **error);

gint64 fl_waveform_get_duration_ms (FlWaveform *self);
gint64 fl_waveform_get_loaded_ms (FlWaveform *self);
gboolean fl_waveform_get_complete (FlWaveform *self);
gboolean fl_waveform_get_from_cache (FlWaveform *self);
const char *fl_waveform_get_cache_dir (FlWaveform *self);

guint fl_waveform_get_peaks (FlWaveform *self, double start_seconds, double seconds_per_column,
                             guint n_columns, float *mins, float *maxs);

G_END_DECLS
