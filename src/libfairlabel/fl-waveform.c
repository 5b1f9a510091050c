/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlWaveform"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <utime.h>
#include <gst/app/gstappsink.h>
#include <gst/audio/audio.h>
#include <gst/gst.h>
#include <gst/pbutils/pbutils.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "fl-waveform.h"

#define CACHE_MAGIC "FLWAVE1"
#define CACHE_ENDIAN_MARK 0x01020304u
/* How often decoding reports progress to the main context: often at first, so the first
 * screen shows at once, then less often. */
#define PROGRESS_INTERVAL_START_US (8 * G_TIME_SPAN_MILLISECOND)
#define PROGRESS_INTERVAL_US (40 * G_TIME_SPAN_MILLISECOND)
#define PROGRESS_START_PERIOD_US (300 * G_TIME_SPAN_MILLISECOND)
#define SCRATCH_BINS 4096

typedef struct
{
  gint16 min;
  gint16 max;
} Peak;

#if defined(__SSE2__)
/* The vector code reads and writes Peaks as pairs of 16-bit lanes, minimum first. */
G_STATIC_ASSERT (sizeof (Peak) == 4 && G_BYTE_ORDER == G_LITTLE_ENDIAN);
#endif

typedef struct
{
  char magic[8];
  guint32 endian_mark;
  guint32 bins_per_second;
  gint64 duration_ms;
  guint64 n_bins;
} CacheHeader;

struct _FlWaveform
{
  GObject parent_instance;

  char *cache_dir;
  guint64 cache_limit_bytes;

  /* Written by the decoding thread, read by the UI: guarded by @lock. */
  GMutex lock;
  GArray *levels[FL_WAVEFORM_N_LEVELS];
  guint64 published_bins;
  gint progress_pending; /* atomic */

  /* Main context only. */
  GMainContext *context;
  gboolean loading;
  gint64 duration_ms;
  gint64 loaded_ms;
  gboolean complete;
  gboolean from_cache;
};

G_DEFINE_FINAL_TYPE (FlWaveform, fl_waveform, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CACHE_DIR,
  PROP_DURATION_MS,
  PROP_LOADED_MS,
  PROP_COMPLETE,
  PROP_FROM_CACHE,
  PROP_CACHE_LIMIT_BYTES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GQuark
fl_waveform_error_quark (void)
{
  return g_quark_from_static_string ("fl-waveform-error-quark");
}

typedef struct
{
  FlWaveform *self;
  GFile *file;
  char *sha256;
  char *alias_path;

  GstElement *pipeline;
  GstElement *convert;
  GstElement *sink;
  gboolean audio_linked;
  gboolean saw_other_stream;
  gboolean reserved;
  char *missing_plugin;

  /* Streaming thread state. */
  int rate;
  gboolean is_float;
  float cur_fmin;
  float cur_fmax;
  guint64 n_samples;
  guint64 cur_bin;
  guint64 bin_end; /* index of the first sample after the current bin */
  gint16 cur_min;
  gint16 cur_max;
  gboolean have_cur;
  guint64 next_clock_check;
  gint64 first_progress_us;
  gint64 last_progress_us;
  /* Bins not yet in the levels. */
  Peak *scratch;
  guint scratch_len;
  guint scratch_size;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *d = data;

  if (d->pipeline != NULL)
    {
      gst_element_set_state (d->pipeline, GST_STATE_NULL);
      gst_object_unref (d->pipeline);
    }
  g_clear_object (&d->file);
  g_free (d->sha256);
  g_free (d->alias_path);
  g_free (d->missing_plugin);
  g_free (d->scratch);
  g_free (d);
}

/* Main-context updates posted from worker threads. */
typedef struct
{
  FlWaveform *self;
  gint64 duration_ms;
  gboolean complete;
  gboolean from_cache;
} Update;

static gboolean
apply_update (gpointer data)
{
  Update *u = data;
  FlWaveform *self = u->self;
  guint64 bins;

  g_object_freeze_notify (G_OBJECT (self));
  g_atomic_int_set (&self->progress_pending, 0);
  g_mutex_lock (&self->lock);
  bins = self->published_bins;
  g_mutex_unlock (&self->lock);

  if (u->duration_ms > 0 && u->duration_ms != self->duration_ms)
    {
      self->duration_ms = u->duration_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
    }
  if ((gint64) (bins * 1000 / FL_WAVEFORM_BINS_PER_SECOND) != self->loaded_ms)
    {
      self->loaded_ms = bins * 1000 / FL_WAVEFORM_BINS_PER_SECOND;
      if (u->complete)
        self->loaded_ms = self->duration_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED_MS]);
    }
  if (u->from_cache && !self->from_cache)
    {
      self->from_cache = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM_CACHE]);
    }
  if (u->complete && !self->complete)
    {
      self->complete = TRUE;
      self->loaded_ms = self->duration_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED_MS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
update_free (gpointer data)
{
  Update *u = data;

  g_object_unref (u->self);
  g_free (u);
}

static void
post_update (FlWaveform *self, gint64 duration_ms, gboolean complete, gboolean from_cache)
{
  Update *u = g_new0 (Update, 1);

  u->self = g_object_ref (self);
  u->duration_ms = duration_ms;
  u->complete = complete;
  u->from_cache = from_cache;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_update, u, update_free);
}

/* The peak of four neighbouring peaks. */
static inline Peak
fold_peaks (const Peak *f)
{
#if defined(__SSE2__)
  /* Complemented maxima turn both into minima, as in lanes_s16 (). */
  const __m128i flip = _mm_set1_epi32 ((int) 0xffff0000u);
  __m128i v = _mm_xor_si128 (_mm_loadu_si128 ((const __m128i *) f), flip);
  guint32 bits;
  Peak p;

  v = _mm_min_epi16 (v, _mm_shuffle_epi32 (v, _MM_SHUFFLE (2, 3, 0, 1)));
  v = _mm_min_epi16 (v, _mm_shuffle_epi32 (v, _MM_SHUFFLE (1, 0, 3, 2)));
  bits = (guint32) _mm_cvtsi128_si32 (_mm_xor_si128 (v, flip));
  memcpy (&p, &bits, sizeof p);
  return p;
#else
  Peak p = f[0];

  for (guint j = 1; j < 4; j++)
    {
      p.min = MIN (p.min, f[j].min);
      p.max = MAX (p.max, f[j].max);
    }
  return p;
#endif
}

/* Folds finished bins of each level into the next coarser one; @final also folds the
 * incomplete remainder. Called with @lock held. */
static void
build_levels (FlWaveform *self, gboolean final)
{
  for (guint k = 1; k < FL_WAVEFORM_N_LEVELS; k++)
    {
      GArray *fine = self->levels[k - 1];
      GArray *coarse = self->levels[k];
      guint first = coarse->len;
      guint whole = fine->len / 4;
      guint target = final ? (fine->len + 3) / 4 : whole;
      const Peak *f;
      Peak *c;

      if (target <= first)
        continue;
      g_array_set_size (coarse, target);
      f = (const Peak *) fine->data;
      c = (Peak *) coarse->data;
      for (guint i = first; i < whole; i++)
        c[i] = fold_peaks (f + i * 4);
      if (target > whole)
        {
          Peak p = f[whole * 4];

          for (guint j = whole * 4 + 1; j < fine->len; j++)
            {
              p.min = MIN (p.min, f[j].min);
              p.max = MAX (p.max, f[j].max);
            }
          c[whole] = p;
        }
    }
}

/* Makes room for the bins of the whole file at once, so that appending them as decoding goes
 * does not move them again and again. The room is written to here, on the loading thread and
 * outside the lock, so that the streaming thread does not take its page faults one page at a
 * time as bins arrive. */
static void
reserve_levels (FlWaveform *self, gint64 duration_ms)
{
  /* A damaged header may claim any length; ten hours of bins take 29 MB. */
  guint64 n =
    (guint64) CLAMP (duration_ms, 0, 10 * 3600 * 1000) * FL_WAVEFORM_BINS_PER_SECOND / 1000 + 1;
  GArray *room[FL_WAVEFORM_N_LEVELS];

  for (guint k = 0; k < FL_WAVEFORM_N_LEVELS; k++, n = n / 4 + 1)
    {
      room[k] = g_array_sized_new (FALSE, TRUE, sizeof (Peak), (guint) n);
      g_array_set_size (room[k], (guint) n);
      g_array_set_size (room[k], 0);
    }

  g_mutex_lock (&self->lock);
  for (guint k = 0; k < FL_WAVEFORM_N_LEVELS; k++)
    {
      g_array_append_vals (room[k], self->levels[k]->data, self->levels[k]->len);
      g_array_unref (self->levels[k]);
      self->levels[k] = room[k];
    }
  g_mutex_unlock (&self->lock);
}

static void
reset_levels (FlWaveform *self)
{
  g_mutex_lock (&self->lock);
  for (guint k = 0; k < FL_WAVEFORM_N_LEVELS; k++)
    g_array_set_size (self->levels[k], 0);
  self->published_bins = 0;
  g_mutex_unlock (&self->lock);
}

/* The first sample of @bin; bins need not hold a whole number of samples. */
static inline guint64
bin_start (guint64 bin, int rate)
{
  return (bin * rate + FL_WAVEFORM_BINS_PER_SECOND - 1) / FL_WAVEFORM_BINS_PER_SECOND;
}

#if defined(__SSE2__)
/* The lanes of the minimum and of the complemented maximum of @n >= 8 samples. The tail is
 * taken by a load that overlaps the others, which does not change a minimum or a maximum. */
static inline void
lanes_s16 (const gint16 *s, gsize n, __m128i *lo, __m128i *not_hi)
{
  __m128i vl = _mm_loadu_si128 ((const __m128i *) (s + n - 8));
  __m128i vh = vl;
  gsize j;

  /* Two vectors a step halve the chains of dependent instructions. */
  for (j = 0; j + 16 <= n; j += 16)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (s + j));
      __m128i w = _mm_loadu_si128 ((const __m128i *) (s + j + 8));

      vl = _mm_min_epi16 (vl, _mm_min_epi16 (v, w));
      vh = _mm_max_epi16 (vh, _mm_max_epi16 (v, w));
    }
  if (j + 8 <= n)
    {
      __m128i v = _mm_loadu_si128 ((const __m128i *) (s + j));

      vl = _mm_min_epi16 (vl, v);
      vh = _mm_max_epi16 (vh, v);
    }
  /* max (x) is ~min (~x), so one folding of minima gives both. */
  *lo = vl;
  *not_hi = _mm_xor_si128 (vh, _mm_set1_epi32 (-1));
}

/* Folds the lanes of four bins, given as minimum and complemented maximum of each, into
 * their four peaks at once: each step interleaves two vectors and keeps the smaller halves,
 * so that three steps leave the eight results in order, which is the memory layout of four
 * Peaks once the maxima are complemented back. */
static inline void
fold_four_s16 (const __m128i x[8], Peak *out)
{
  __m128i a[4], b[2], c;

  for (int k = 0; k < 4; k++)
    a[k] = _mm_min_epi16 (_mm_unpacklo_epi16 (x[2 * k], x[2 * k + 1]),
                          _mm_unpackhi_epi16 (x[2 * k], x[2 * k + 1]));
  for (int k = 0; k < 2; k++)
    b[k] = _mm_min_epi16 (_mm_unpacklo_epi32 (a[2 * k], a[2 * k + 1]),
                          _mm_unpackhi_epi32 (a[2 * k], a[2 * k + 1]));
  c = _mm_min_epi16 (_mm_unpacklo_epi64 (b[0], b[1]), _mm_unpackhi_epi64 (b[0], b[1]));
  c = _mm_xor_si128 (c, _mm_set1_epi32 ((int) 0xffff0000u));
  _mm_storeu_si128 ((__m128i *) out, c);
}
#endif

/* The minimum and maximum of a run of samples, folded into *lo and *hi. */
static inline void
minmax_s16 (const gint16 *s, gsize n, gint16 *lo, gint16 *hi)
{
  gint16 l = *lo, h = *hi;

#if defined(__SSE2__)
  if (n >= 8)
    {
      __m128i vl, vh, m;

      /* Lanes 0-3 carry minima, lanes 4-7 complemented maxima. */
      lanes_s16 (s, n, &vl, &vh);
      m = _mm_min_epi16 (_mm_unpacklo_epi64 (vl, vh), _mm_unpackhi_epi64 (vl, vh));
      m = _mm_min_epi16 (m, _mm_shuffle_epi32 (m, _MM_SHUFFLE (2, 3, 0, 1)));
      m = _mm_min_epi16 (m, _mm_shufflehi_epi16 (_mm_shufflelo_epi16 (m, _MM_SHUFFLE (2, 3, 0, 1)),
                                                 _MM_SHUFFLE (2, 3, 0, 1)));
      *lo = MIN (l, (gint16) _mm_extract_epi16 (m, 0));
      *hi = MAX (h, (gint16) ~_mm_extract_epi16 (m, 4));
      return;
    }
#endif
  for (gsize j = 0; j < n; j++)
    {
      l = MIN (l, s[j]);
      h = MAX (h, s[j]);
    }
  *lo = l;
  *hi = h;
}

static inline void
minmax_f32 (const float *s, gsize n, float *lo, float *hi)
{
  float l = *lo, h = *hi;
  gsize j = 0;

#if defined(__SSE2__)
  if (n >= 4)
    {
      __m128 vl = _mm_loadu_ps (s);
      __m128 vh = vl;
      __m128 m;

      for (j = 4; j + 8 <= n; j += 8)
        {
          __m128 v = _mm_loadu_ps (s + j);
          __m128 w = _mm_loadu_ps (s + j + 4);

          vl = _mm_min_ps (vl, _mm_min_ps (v, w));
          vh = _mm_max_ps (vh, _mm_max_ps (v, w));
        }
      if (j + 4 <= n)
        {
          __m128 v = _mm_loadu_ps (s + j);

          vl = _mm_min_ps (vl, v);
          vh = _mm_max_ps (vh, v);
          j += 4;
        }
      /* As above with max (x) = -min (-x): lanes 0-1 minima, lanes 2-3 negated maxima. */
      vh = _mm_xor_ps (vh, _mm_set1_ps (-0.0f));
      m = _mm_min_ps (_mm_movelh_ps (vl, vh), _mm_movehl_ps (vh, vl));
      m = _mm_min_ps (m, _mm_shuffle_ps (m, m, _MM_SHUFFLE (2, 3, 0, 1)));
      l = MIN (l, _mm_cvtss_f32 (m));
      h = MAX (h, -_mm_cvtss_f32 (_mm_movehl_ps (m, m)));
    }
#endif
  for (; j < n; j++)
    {
      l = MIN (l, s[j]);
      h = MAX (h, s[j]);
    }
  *lo = l;
  *hi = h;
}

/* Room for the bins that @n more samples can finish. */
static Peak *
reserve_bins (LoadData *d, gsize n)
{
  guint most = (guint) (((guint64) n + 1) * FL_WAVEFORM_BINS_PER_SECOND / d->rate + 2);

  if (d->scratch_len + most > d->scratch_size)
    {
      d->scratch_size = MAX (d->scratch_size * 2, d->scratch_len + most);
      d->scratch = g_renew (Peak, d->scratch, d->scratch_size);
    }
  return d->scratch + d->scratch_len;
}

static void
scan_samples (LoadData *d, const gint16 *s, gsize n)
{
  Peak *bins = reserve_bins (d, n);
  guint n_bins = 0;
  guint64 pos = d->n_samples, end = d->bin_end;
  gint16 lo = d->cur_min, hi = d->cur_max;
  gsize i = 0;

  while (i < n)
    {
      gsize take;

#if defined(__SSE2__)
      /* Four whole bins of 8 samples or more, none of them begun in an earlier buffer: this is
       * nearly all of them, and this path most of the waveform's own work. */
      if (lo > hi && d->rate >= 8 * FL_WAVEFORM_BINS_PER_SECOND &&
          bin_start (d->cur_bin + 4, d->rate) - pos <= n - i)
        {
          __m128i x[8];

          for (int k = 0; k < 4; k++)
            {
              guint64 next = bin_start (d->cur_bin + k + 1, d->rate);

              lanes_s16 (s + i, (gsize) (next - pos), &x[2 * k], &x[2 * k + 1]);
              i += (gsize) (next - pos);
              pos = next;
            }
          fold_four_s16 (x, bins + n_bins);
          n_bins += 4;
          d->cur_bin += 4;
          end = bin_start (d->cur_bin + 1, d->rate);
          continue;
        }
#endif
      take = (gsize) MIN (end - pos, (guint64) (n - i));
      minmax_s16 (s + i, take, &lo, &hi);
      i += take;
      pos += take;
      if (pos == end)
        {
          bins[n_bins++] = (Peak){ lo, hi };
          lo = G_MAXINT16;
          hi = G_MININT16;
          end = bin_start (++d->cur_bin + 1, d->rate);
        }
    }
  d->scratch_len += n_bins;
  d->have_cur = pos > bin_start (d->cur_bin, d->rate);
  d->n_samples = pos;
  d->bin_end = end;
  d->cur_min = lo;
  d->cur_max = hi;
}

static gint16
float_to_s16 (float v)
{
  return (gint16) CLAMP (v * 32767.0f, -32768.0f, 32767.0f);
}

/* Decoders of compressed formats give floats; reading them as they come saves a conversion. */
static void
scan_samples_f32 (LoadData *d, const float *s, gsize n)
{
  Peak *bins = reserve_bins (d, n);
  guint n_bins = 0;
  guint64 pos = d->n_samples, end = d->bin_end;
  float lo = d->cur_fmin, hi = d->cur_fmax;
  gsize i = 0;

  while (i < n)
    {
      gsize take = (gsize) MIN (end - pos, (guint64) (n - i));

      minmax_f32 (s + i, take, &lo, &hi);
      i += take;
      pos += take;
      if (pos == end)
        {
          bins[n_bins++] = (Peak){ float_to_s16 (lo), float_to_s16 (hi) };
          lo = G_MAXFLOAT;
          hi = -G_MAXFLOAT;
          end = bin_start (++d->cur_bin + 1, d->rate);
        }
    }
  d->scratch_len += n_bins;
  d->have_cur = pos > bin_start (d->cur_bin, d->rate);
  d->n_samples = pos;
  d->bin_end = end;
  d->cur_fmin = lo;
  d->cur_fmax = hi;
}

static void
publish_scratch (LoadData *d, gboolean final)
{
  FlWaveform *self = d->self;

  if (final && d->have_cur)
    {
      Peak p = { d->cur_min, d->cur_max };

      if (d->is_float)
        {
          p.min = float_to_s16 (d->cur_fmin);
          p.max = float_to_s16 (d->cur_fmax);
        }

      *reserve_bins (d, 0) = p;
      d->scratch_len++;
      d->have_cur = FALSE;
    }
  g_mutex_lock (&self->lock);
  g_array_append_vals (self->levels[0], d->scratch, d->scratch_len);
  build_levels (self, final);
  self->published_bins = self->levels[0]->len;
  g_mutex_unlock (&self->lock);
  d->scratch_len = 0;
}

static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer user_data)
{
  LoadData *d = user_data;
  g_autoptr (GstSample) sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer;
  GstMapInfo map;
  gint64 now;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (d->rate == 0)
    {
      GstAudioInfo info;

      if (!gst_audio_info_from_caps (&info, gst_sample_get_caps (sample)) || info.rate <= 0)
        return GST_FLOW_NOT_NEGOTIATED;
      d->rate = info.rate;
      d->is_float = GST_AUDIO_INFO_FORMAT (&info) == GST_AUDIO_FORMAT_F32;
      d->bin_end = bin_start (1, d->rate);
      d->cur_min = G_MAXINT16;
      d->cur_max = G_MININT16;
      d->cur_fmin = G_MAXFLOAT;
      d->cur_fmax = -G_MAXFLOAT;
    }
  buffer = gst_sample_get_buffer (sample);
  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_ERROR;
  if (d->is_float)
    scan_samples_f32 (d, (const float *) map.data, map.size / sizeof (float));
  else
    scan_samples (d, (const gint16 *) map.data, map.size / sizeof (gint16));
  gst_buffer_unmap (buffer, &map);

  /* Bins move to the levels in small steps, so that they are copied while still in cache. */
  if (d->scratch_len >= SCRATCH_BINS)
    publish_scratch (d, FALSE);

  /* Reading the clock for every small buffer costs more than it tells: once a second of audio
   * is often enough even for slow decoders. */
  if (d->n_samples < d->next_clock_check)
    return GST_FLOW_OK;
  d->next_clock_check = d->n_samples + d->rate;
  now = g_get_monotonic_time ();
  if (d->first_progress_us == 0)
    d->first_progress_us = now;
  if (d->last_progress_us == 0 ||
      now - d->last_progress_us >= (now - d->first_progress_us < PROGRESS_START_PERIOD_US
                                      ? PROGRESS_INTERVAL_START_US
                                      : PROGRESS_INTERVAL_US))
    {
      publish_scratch (d, FALSE);
      d->last_progress_us = now;
      if (g_atomic_int_compare_and_exchange (&d->self->progress_pending, 0, 1))
        post_update (d->self, 0, FALSE, FALSE);
    }
  return GST_FLOW_OK;
}

static void
on_pad_added (GstElement *decodebin, GstPad *pad, gpointer user_data)
{
  LoadData *d = user_data;
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr (GstCaps) sink_caps = NULL;
  g_autoptr (GstPad) sinkpad = NULL;
  const char *name;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (!g_str_has_prefix (name, "audio/"))
    d->saw_other_stream = TRUE;
  if (d->audio_linked || !g_str_has_prefix (name, "audio/"))
    return;

  /* A decoder that already gives what the appsink takes (16-bit or float mono, interleaved:
   * a mono WAV, FLAC, Vorbis or Opus file) feeds it directly, since audioconvert would only
   * pass each buffer on, which costs about 5 ms an hour of 16 kHz WAV. Such decoders keep
   * their channels and layout for the life of the pad. */
  sink_caps = gst_app_sink_get_caps (GST_APP_SINK (d->sink));
  if (gst_caps_is_fixed (caps) && gst_caps_can_intersect (caps, sink_caps))
    {
      gst_element_unlink (d->convert, d->sink);
      sinkpad = gst_element_get_static_pad (d->sink, "sink");
    }
  else
    sinkpad = gst_element_get_static_pad (d->convert, "sink");
  if (gst_pad_link (pad, sinkpad) == GST_PAD_LINK_OK)
    d->audio_linked = TRUE;
}

static void
on_no_more_pads (GstElement *decodebin, gpointer user_data)
{
  LoadData *d = user_data;

  if (!d->audio_linked)
    gst_element_post_message (
      decodebin, gst_message_new_application (GST_OBJECT (decodebin),
                                              gst_structure_new_empty ("fl-no-audio")));
}

static void
on_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GstBus *bus = user_data;

  gst_bus_post (bus, gst_message_new_application (NULL, gst_structure_new_empty ("fl-cancel")));
}

static GError *
error_from_message (LoadData *d, GstMessage *msg)
{
  g_autoptr (GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (msg, &gst_error, &debug);
  g_debug ("Decoding failed: %s (%s)", gst_error->message, debug != NULL ? debug : "");

  if (d->missing_plugin != NULL ||
      g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND))
    return g_error_new (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_MISSING_PLUGIN,
                        _ ("No decoder is installed for this audio (%s). Install the GStreamer "
                           "plugin that provides it, for example gstreamer1.0-libav or "
                           "gstreamer1.0-plugins-bad."),
                        d->missing_plugin != NULL ? d->missing_plugin : gst_error->message);
  if (g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND) ||
      g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE))
    return g_error_new_literal (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_NOT_AUDIO,
                                _ ("This file is not audio in a format that can be read."));
  if (!d->audio_linked && d->saw_other_stream)
    return g_error_new_literal (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_NO_AUDIO_STREAM,
                                _ ("This file has no audio stream."));
  if (g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE) ||
      g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX) ||
      g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT))
    return g_error_new (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_CORRUPT,
                        _ ("The audio file is damaged and cannot be decoded: %s"),
                        gst_error->message);
  /* A stream failure before any stream was found: the data was not recognised at all. */
  if (!d->audio_linked && gst_error->domain == GST_STREAM_ERROR)
    return g_error_new_literal (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_NOT_AUDIO,
                                _ ("This file is not audio in a format that can be read."));
  if (gst_error->domain == GST_STREAM_ERROR)
    return g_error_new (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_CORRUPT,
                        _ ("The audio file is damaged and cannot be decoded: %s"),
                        gst_error->message);
  return g_error_new (FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_FAILED,
                      _ ("The audio file could not be read: %s"), gst_error->message);
}

static gboolean
build_pipeline (LoadData *d, GError **error)
{
  g_autofree char *path = g_file_get_path (d->file);
  GstElement *src, *decode, *sink;
  g_autoptr (GstCaps) caps = NULL;
  GstAppSinkCallbacks callbacks = { NULL, NULL, on_new_sample };

  d->pipeline = gst_pipeline_new ("fl-waveform");
  src = gst_element_factory_make ("filesrc", NULL);
  decode = gst_element_factory_make ("decodebin", NULL);
  d->convert = gst_element_factory_make ("audioconvert", NULL);
  sink = gst_element_factory_make ("appsink", NULL);
  if (src == NULL || decode == NULL || d->convert == NULL || sink == NULL)
    {
      g_set_error_literal (error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_MISSING_PLUGIN,
                           _ ("GStreamer’s base plugins are missing. Install "
                              "gstreamer1.0-plugins-base."));
      g_clear_object (&src);
      g_clear_object (&decode);
      g_clear_object (&d->convert);
      g_clear_object (&sink);
      return FALSE;
    }

  /* The rate stays free: bins are cut at the decoder's own rate, so nothing is resampled, and
   * an audioresample element would only pass each buffer on. */
  caps = gst_caps_from_string ("audio/x-raw,format={" GST_AUDIO_NE (S16) "," GST_AUDIO_NE (
    F32) "},channels=1,layout=interleaved");
  g_object_set (src, "location", path, NULL);
  g_object_set (sink, "caps", caps, "sync", FALSE, "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, d, NULL);

  gst_bin_add_many (GST_BIN (d->pipeline), src, decode, d->convert, sink, NULL);
  d->sink = sink;
  if (!gst_element_link (src, decode) || !gst_element_link (d->convert, sink))
    {
      g_set_error_literal (error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_FAILED,
                           _ ("The audio decoding pipeline could not be built."));
      return FALSE;
    }
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), d);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), d);
  return TRUE;
}

static gboolean
run_decode (LoadData *d, GCancellable *cancellable, GError **error)
{
  g_autoptr (GstBus) bus = NULL;
  gulong cancel_id;
  gboolean done = FALSE;
  gboolean ok = FALSE;

  if (!build_pipeline (d, error))
    return FALSE;

  bus = gst_element_get_bus (d->pipeline);
  cancel_id = cancellable != NULL
                ? g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), bus, NULL)
                : 0;
  gst_element_set_state (d->pipeline, GST_STATE_PLAYING);

  while (!done)
    {
      g_autoptr (GstMessage) msg = gst_bus_timed_pop (bus, GST_CLOCK_TIME_NONE);

      switch (GST_MESSAGE_TYPE (msg))
        {
          case GST_MESSAGE_ERROR:
            g_propagate_error (error, error_from_message (d, msg));
            done = TRUE;
            break;

          case GST_MESSAGE_EOS:
            if (d->n_samples == 0)
              g_set_error_literal (error, FL_WAVEFORM_ERROR,
                                   d->audio_linked ? FL_WAVEFORM_ERROR_CORRUPT
                                                   : FL_WAVEFORM_ERROR_NO_AUDIO_STREAM,
                                   d->audio_linked ? _ ("The audio file contains no sound.")
                                                   : _ ("This file has no audio stream."));
            else
              ok = TRUE;
            done = TRUE;
            break;

          case GST_MESSAGE_ELEMENT:
            if (gst_is_missing_plugin_message (msg) && d->missing_plugin == NULL)
              d->missing_plugin = gst_missing_plugin_message_get_description (msg);
            break;

          case GST_MESSAGE_ASYNC_DONE:
          case GST_MESSAGE_DURATION_CHANGED:
            {
              gint64 duration = 0;

              if (gst_element_query_duration (d->pipeline, GST_FORMAT_TIME, &duration) &&
                  duration > 0)
                {
                  if (!d->reserved)
                    reserve_levels (d->self, duration / GST_MSECOND);
                  d->reserved = TRUE;
                  post_update (d->self, duration / GST_MSECOND, FALSE, FALSE);
                }
            }
            break;

          case GST_MESSAGE_APPLICATION:
            if (gst_message_has_name (msg, "fl-cancel"))
              {
                g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     _ ("Loading the waveform was cancelled."));
                done = TRUE;
              }
            else if (gst_message_has_name (msg, "fl-no-audio"))
              {
                if (d->missing_plugin != NULL)
                  g_set_error (error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_MISSING_PLUGIN,
                               _ ("No decoder is installed for this audio (%s). Install the "
                                  "GStreamer plugin that provides it, for example "
                                  "gstreamer1.0-libav or gstreamer1.0-plugins-bad."),
                               d->missing_plugin);
                else
                  g_set_error_literal (error, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_NO_AUDIO_STREAM,
                                       _ ("This file has no audio stream."));
                done = TRUE;
              }
            break;

          default:
            break;
        }
    }

  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, cancel_id);
  gst_element_set_state (d->pipeline, GST_STATE_NULL);
  if (ok)
    publish_scratch (d, TRUE);
  return ok;
}

static char *
hash_file (GFile *file, GCancellable *cancellable)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GFileInputStream) stream = g_file_read (file, cancellable, NULL);
  g_autofree guint8 *buf = g_malloc (1 << 20);
  gssize n;

  if (stream == NULL)
    return NULL;
  while ((n = g_input_stream_read (G_INPUT_STREAM (stream), buf, 1 << 20, cancellable, NULL)) > 0)
    g_checksum_update (checksum, buf, n);
  if (n < 0)
    return NULL;
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
cache_path (FlWaveform *self, const char *sha256)
{
  g_autofree char *name = g_strconcat (sha256, ".peaks", NULL);

  return g_build_filename (self->cache_dir, name, NULL);
}

static gboolean
read_cache (FlWaveform *self, const char *sha256)
{
  g_autofree char *path = cache_path (self, sha256);
  g_autofree char *contents = NULL;
  gsize length = 0;
  CacheHeader header;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length < sizeof header)
    return FALSE;
  memcpy (&header, contents, sizeof header);
  if (memcmp (header.magic, CACHE_MAGIC, sizeof header.magic) != 0 ||
      header.endian_mark != CACHE_ENDIAN_MARK ||
      header.bins_per_second != FL_WAVEFORM_BINS_PER_SECOND || header.n_bins == 0 ||
      header.n_bins > (length - sizeof header) / sizeof (Peak) ||
      length != sizeof header + header.n_bins * sizeof (Peak) || header.duration_ms <= 0)
    {
      g_debug ("Ignoring a damaged waveform cache file %s", path);
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  g_array_append_vals (self->levels[0], contents + sizeof header, header.n_bins);
  build_levels (self, TRUE);
  self->published_bins = self->levels[0]->len;
  g_mutex_unlock (&self->lock);
  post_update (self, header.duration_ms, TRUE, TRUE);
  /* Recently used entries are the last to be pruned. */
  g_utime (path, NULL);
  return TRUE;
}

typedef struct
{
  char *path;
  guint64 size;
  guint64 mtime;
} CacheEntry;

static void
cache_entry_free (gpointer data)
{
  CacheEntry *e = data;

  g_free (e->path);
  g_free (e);
}

static int
compare_mtime (gconstpointer a, gconstpointer b)
{
  const CacheEntry *ea = *(const CacheEntry *const *) a;
  const CacheEntry *eb = *(const CacheEntry *const *) b;

  return ea->mtime < eb->mtime ? -1 : ea->mtime > eb->mtime;
}

/* Keeps the cache under its limit by removing the least recently used waveforms. */
static void
prune_cache (FlWaveform *self, const char *keep)
{
  g_autoptr (GDir) dir = g_dir_open (self->cache_dir, 0, NULL);
  g_autoptr (GPtrArray) entries = g_ptr_array_new_with_free_func (cache_entry_free);
  guint64 total = 0;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      GStatBuf st;
      CacheEntry *e;

      if (!g_str_has_suffix (name, ".peaks"))
        continue;
      path = g_build_filename (self->cache_dir, name, NULL);
      if (g_stat (path, &st) != 0)
        continue;
      e = g_new0 (CacheEntry, 1);
      e->path = g_steal_pointer (&path);
      e->size = st.st_size;
      e->mtime = st.st_mtime;
      total += e->size;
      g_ptr_array_add (entries, e);
    }
  g_ptr_array_sort (entries, compare_mtime);
  for (guint i = 0; i < entries->len && total > self->cache_limit_bytes; i++)
    {
      CacheEntry *e = entries->pdata[i];

      if (g_strcmp0 (e->path, keep) == 0)
        continue;
      if (g_unlink (e->path) == 0)
        total -= e->size;
    }
}

static void
write_cache (FlWaveform *self, const char *sha256, gint64 duration_ms, const char *alias_path)
{
  g_autofree char *path = cache_path (self, sha256);
  g_autoptr (GError) error = NULL;
  CacheHeader header = { CACHE_MAGIC, CACHE_ENDIAN_MARK, FL_WAVEFORM_BINS_PER_SECOND, 0, 0 };
  g_autofree char *contents = NULL;
  gsize length;

  if (g_mkdir_with_parents (self->cache_dir, 0700) != 0)
    {
      g_warning ("Could not create the waveform cache folder %s", self->cache_dir);
      return;
    }
  g_mutex_lock (&self->lock);
  header.duration_ms = duration_ms;
  header.n_bins = self->levels[0]->len;
  length = sizeof header + header.n_bins * sizeof (Peak);
  contents = g_malloc (length);
  memcpy (contents, &header, sizeof header);
  memcpy (contents + sizeof header, self->levels[0]->data, header.n_bins * sizeof (Peak));
  g_mutex_unlock (&self->lock);

  if (!g_file_set_contents (path, contents, length, &error))
    {
      g_warning ("Could not write the waveform cache: %s", error->message);
      return;
    }
  if (alias_path != NULL && !g_file_set_contents (alias_path, sha256, -1, &error))
    g_warning ("Could not write the waveform cache index: %s", error->message);
  prune_cache (self, path);
}

/* The sha256 of an unchanged local file is remembered under a key made of its path, size,
 * change time and inode, so that reopening does not hash the whole file again. */
static char *
alias_path_for (FlWaveform *self, GFileInfo *info, GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *key = NULL;
  g_autofree char *key_hash = NULL;
  g_autofree char *folder = g_build_filename (self->cache_dir, "files", NULL);

  key =
    g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%" G_GUINT64_FORMAT ".%u\n%" G_GUINT64_FORMAT, path,
                     g_file_info_get_size (info),
                     g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED),
                     g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC),
                     g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_UNIX_INODE));
  key_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_mkdir_with_parents (folder, 0700);
  return g_build_filename (folder, key_hash, NULL);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FlWaveform *self = source;
  LoadData *d = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GFileInfo) info = NULL;
  g_autofree char *sha256 = NULL;

  info = g_file_query_info (d->file,
                            G_FILE_ATTRIBUTE_STANDARD_SIZE
                            "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_TIME_MODIFIED
                            "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC "," G_FILE_ATTRIBUTE_UNIX_INODE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_NOT_AUDIO,
                               _ ("This is not a regular file."));
      return;
    }
  if (g_file_info_get_size (info) == 0)
    {
      g_task_return_new_error (task, FL_WAVEFORM_ERROR, FL_WAVEFORM_ERROR_EMPTY_FILE,
                               _ ("The audio file is empty (0 bytes)."));
      return;
    }

  sha256 = g_strdup (d->sha256);
  d->alias_path = alias_path_for (self, info, d->file);
  if (sha256 == NULL)
    {
      g_autofree char *known = NULL;

      if (g_file_get_contents (d->alias_path, &known, NULL, NULL) && strlen (known) == 64)
        sha256 = g_steal_pointer (&known);
    }
  if (sha256 != NULL && read_cache (self, sha256))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!run_decode (d, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    gint64 duration_ms = (gint64) (d->n_samples * 1000 / (guint64) d->rate);

    post_update (self, MAX (duration_ms, 1), TRUE, FALSE);
    /* The main thread has just been woken to show the whole waveform; when the other cores are
     * busy it would otherwise wait a few milliseconds for this thread's hashing and writing. */
    g_thread_yield ();
    /* Hashed only once the waveform is whole, so that it does not slow the first drawing. */
    if (sha256 == NULL)
      sha256 = hash_file (d->file, cancellable);
    if (sha256 != NULL)
      write_cache (self, sha256, MAX (duration_ms, 1), d->alias_path);
  }
  g_task_return_boolean (task, TRUE);
}

static void
fl_waveform_finalize (GObject *object)
{
  FlWaveform *self = FL_WAVEFORM (object);

  for (guint k = 0; k < FL_WAVEFORM_N_LEVELS; k++)
    g_array_unref (self->levels[k]);
  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);
  g_free (self->cache_dir);
  G_OBJECT_CLASS (fl_waveform_parent_class)->finalize (object);
}

static void
fl_waveform_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlWaveform *self = FL_WAVEFORM (object);

  switch (prop_id)
    {
      case PROP_CACHE_DIR:
        g_value_set_string (value, self->cache_dir);
        break;
      case PROP_DURATION_MS:
        g_value_set_int64 (value, self->duration_ms);
        break;
      case PROP_LOADED_MS:
        g_value_set_int64 (value, self->loaded_ms);
        break;
      case PROP_COMPLETE:
        g_value_set_boolean (value, self->complete);
        break;
      case PROP_FROM_CACHE:
        g_value_set_boolean (value, self->from_cache);
        break;
      case PROP_CACHE_LIMIT_BYTES:
        g_value_set_uint64 (value, self->cache_limit_bytes);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_waveform_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlWaveform *self = FL_WAVEFORM (object);

  switch (prop_id)
    {
      case PROP_CACHE_DIR:
        g_free (self->cache_dir);
        self->cache_dir = g_value_dup_string (value);
        if (self->cache_dir == NULL)
          self->cache_dir =
            g_build_filename (g_get_user_cache_dir (), "fairlabel", "waveforms", NULL);
        break;
      case PROP_CACHE_LIMIT_BYTES:
        self->cache_limit_bytes = g_value_get_uint64 (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_waveform_class_init (FlWaveformClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_waveform_finalize;
  object_class->get_property = fl_waveform_get_property;
  object_class->set_property = fl_waveform_set_property;

  properties[PROP_CACHE_DIR] =
    g_param_spec_string ("cache-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED_MS] =
    g_param_spec_int64 ("loaded-ms", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FROM_CACHE] =
    g_param_spec_boolean ("from-cache", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* About 90 hours of audio at 2.9 MB an hour. */
  properties[PROP_CACHE_LIMIT_BYTES] =
    g_param_spec_uint64 ("cache-limit-bytes", NULL, NULL, 0, G_MAXUINT64, 256 * 1024 * 1024,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_waveform_init (FlWaveform *self)
{
  g_mutex_init (&self->lock);
  for (guint k = 0; k < FL_WAVEFORM_N_LEVELS; k++)
    self->levels[k] = g_array_new (FALSE, FALSE, sizeof (Peak));
  self->context = g_main_context_ref_thread_default ();
}

FlWaveform *
fl_waveform_new (const char *cache_dir)
{
  return g_object_new (FL_TYPE_WAVEFORM, "cache-dir", cache_dir, NULL);
}

void
fl_waveform_load_async (FlWaveform *self, GFile *file, const char *sha256,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *d;

  g_return_if_fail (FL_IS_WAVEFORM (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!self->loading);

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_waveform_load_async);
  g_task_set_return_on_cancel (task, FALSE);

  if (sha256 != NULL &&
      !(strlen (sha256) == 64 && sha256[strspn (sha256, "0123456789abcdef")] == '\0'))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a sha256 digest", sha256);
      return;
    }

  reset_levels (self);
  self->loading = TRUE;
  self->complete = FALSE;
  self->from_cache = FALSE;
  self->loaded_ms = 0;
  self->duration_ms = 0;
  g_main_context_unref (self->context);
  self->context = g_main_context_ref_thread_default ();

  d = g_new0 (LoadData, 1);
  d->self = self;
  d->file = g_object_ref (file);
  d->sha256 = g_strdup (sha256);
  g_task_set_task_data (task, d, load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
fl_waveform_load_finish (FlWaveform *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  self->loading = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}

gint64
fl_waveform_get_duration_ms (FlWaveform *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), 0);
  return self->duration_ms;
}

gint64
fl_waveform_get_loaded_ms (FlWaveform *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), 0);
  return self->loaded_ms;
}

gboolean
fl_waveform_get_complete (FlWaveform *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), FALSE);
  return self->complete;
}

gboolean
fl_waveform_get_from_cache (FlWaveform *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), FALSE);
  return self->from_cache;
}

const char *
fl_waveform_get_cache_dir (FlWaveform *self)
{
  g_return_val_if_fail (FL_IS_WAVEFORM (self), NULL);
  return self->cache_dir;
}

/* Fills one column per @seconds_per_column from the coarsest level that still resolves it.
 * Returns how many columns had decoded audio; values are in [-1, 1]. */
guint
fl_waveform_get_peaks (FlWaveform *self, double start_seconds, double seconds_per_column,
                       guint n_columns, float *mins, float *maxs)
{
  guint level = 0;
  double bin_seconds = 1.0 / FL_WAVEFORM_BINS_PER_SECOND;
  GArray *bins;
  guint filled = 0;

  g_return_val_if_fail (FL_IS_WAVEFORM (self), 0);
  g_return_val_if_fail (seconds_per_column > 0, 0);
  g_return_val_if_fail (mins != NULL && maxs != NULL, 0);

  /* Bins at most half a column wide keep edges sharp without reading many bins. */
  while (level + 1 < FL_WAVEFORM_N_LEVELS && bin_seconds * 4 * 2 <= seconds_per_column)
    {
      level++;
      bin_seconds *= 4;
    }

  g_mutex_lock (&self->lock);
  bins = self->levels[level];
  for (guint c = 0; c < n_columns; c++)
    {
      double t0 = start_seconds + c * seconds_per_column;
      gint64 b0 = (gint64) (t0 / bin_seconds + 1e-6);
      gint64 b1 = (gint64) ((t0 + seconds_per_column) / bin_seconds + 1e-6);
      gint16 lo = G_MAXINT16, hi = G_MININT16;

      if (t0 < 0)
        {
          mins[c] = maxs[c] = 0;
          filled = c + 1;
          continue;
        }
      if (b0 >= (gint64) bins->len)
        break;
      b1 = CLAMP (b1, b0 + 1, (gint64) bins->len);
      for (gint64 b = b0; b < b1; b++)
        {
          const Peak *p = &g_array_index (bins, Peak, b);

          lo = MIN (lo, p->min);
          hi = MAX (hi, p->max);
        }
      mins[c] = lo / 32768.0f;
      maxs[c] = hi / 32768.0f;
      filled = c + 1;
    }
  g_mutex_unlock (&self->lock);
  return filled;
}
