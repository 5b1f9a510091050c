/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageJpeg"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <jpeglib.h>

#include "fl-image-jpeg.h"
#include "fl-image-loader.h"

/* Decodes a JPEG straight to its Y'CbCr planes with libjpeg's raw data
 * interface: no colour conversion, no chroma upsampling, half the memory
 * of RGB. The quarter-size image, which shows a whole photo on most
 * screens, is made from the rows as they are decoded, while they are still
 * in the cache. */

typedef struct
{
  struct jpeg_error_mgr manager;
  jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
} ErrorManager;

static void
on_error_exit (j_common_ptr info)
{
  ErrorManager *errors = (ErrorManager *) info->err;

  info->err->format_message (info, errors->message);
  longjmp (errors->jump, 1);
}

/* Warnings (corrupt data the decoder fills in) are not printed; a cut-off
 * file is refused before decoding. */
static void
on_emit_message (j_common_ptr info, int level)
{
  if (level < 0)
    info->err->num_warnings++;
}

static guint
read16 (const guint8 *p, gboolean little)
{
  return little ? (guint) p[0] | (guint) p[1] << 8 : (guint) p[0] << 8 | p[1];
}

static guint32
read32 (const guint8 *p, gboolean little)
{
  return little ? (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 | (guint32) p[3] << 24
                : (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* The Orientation tag of an EXIF block (the APP1 payload), 1 when absent. */
static guint
exif_orientation (const guint8 *exif, gsize length)
{
  const guint8 *tiff = exif + 6;
  gsize size;
  gboolean little;
  guint32 ifd;
  guint entries;

  if (length < 6 + 8 || memcmp (exif, "Exif\0\0", 6) != 0)
    return 1;
  size = length - 6;
  if (tiff[0] != tiff[1] || (tiff[0] != 'I' && tiff[0] != 'M'))
    return 1;
  little = tiff[0] == 'I';
  ifd = read32 (tiff + 4, little);
  if ((gsize) ifd + 2 > size)
    return 1;
  entries = read16 (tiff + ifd, little);
  for (guint i = 0; i < entries && (gsize) ifd + 2 + 12 * (i + 1) <= size; i++)
    {
      const guint8 *entry = tiff + ifd + 2 + 12 * i;

      if (read16 (entry, little) == 0x0112)
        {
          guint value = read16 (entry + 8, little);

          return value >= 1 && value <= 8 ? value : 1;
        }
    }
  return 1;
}

typedef gboolean (*SegmentFunc) (guint8 marker, const guint8 *payload, gsize size,
                                 gpointer user_data);

/* Walks the marker segments of a JPEG file, past the entropy-coded data of
 * every scan, calling @func (when not NULL) with each segment until it
 * returns FALSE. TRUE once the end-of-image marker is reached; FALSE when
 * the data ends before it (libjpeg fills a cut-off JPEG with grey and only
 * warns), when it is not a JPEG, or when @func stopped the walk. */
static gboolean
walk_segments (const guint8 *data, gsize length, SegmentFunc func, gpointer user_data)
{
  gsize i = 2;

  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    return FALSE;
  while (i + 1 < length)
    {
      guint8 marker;
      gsize size;

      if (data[i] != 0xff)
        return FALSE;
      marker = data[i + 1];
      if (marker == 0xff)
        {
          i++;
          continue;
        }
      if (marker == 0xd9)
        return TRUE;
      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        {
          i += 2;
          continue;
        }
      if (i + 3 >= length)
        return FALSE;
      size = (gsize) data[i + 2] << 8 | data[i + 3];
      if (size < 2)
        return FALSE;
      if (func != NULL &&
          !func (marker, data + i + 4, MIN (size - 2, length - MIN (length, i + 4)), user_data))
        return FALSE;
      i += 2 + size;
      if (marker == 0xda)
        {
          /* Entropy-coded data runs to the next marker that is neither a
           * stuffed zero nor a restart marker. */
          for (;;)
            {
              const guint8 *ff = i < length ? memchr (data + i, 0xff, length - i) : NULL;

              if (ff == NULL || (gsize) (ff - data) + 1 >= length)
                return FALSE;
              i = ff - data;
              if (data[i + 1] == 0x00 || (data[i + 1] >= 0xd0 && data[i + 1] <= 0xd7))
                i += 2;
              else
                break;
            }
        }
    }
  return FALSE;
}

gboolean
fl_image_jpeg_is_complete (const guint8 *data, gsize length)
{
  return walk_segments (data, length, NULL, NULL);
}

static gboolean
find_orientation (guint8 marker, const guint8 *payload, gsize size, gpointer user_data)
{
  guint *orientation = user_data;

  if (marker == 0xe1 && size >= 4 && memcmp (payload, "Exif", 4) == 0)
    {
      *orientation = exif_orientation (payload, size);
      return FALSE;
    }
  return marker != 0xda;
}

/* The EXIF orientation of a JPEG file (1 to 8; 1 when it has none), read
 * from the markers before the image data. */
guint
fl_image_jpeg_read_orientation (const guint8 *data, gsize length)
{
  guint orientation = 1;

  walk_segments (data, length, find_orientation, &orientation);
  return orientation;
}

static gboolean
find_frame (guint8 marker, const guint8 *payload, gsize size, gpointer user_data)
{
  gboolean *progressive = user_data;

  /* SOF0 to SOF15, but for DHT, JPG and DAC, which share the range. */
  if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
    {
      *progressive = (marker & 0x03) == 0x02;
      return FALSE;
    }
  return marker != 0xda;
}

/* Whether the image data comes in several scans (SOF2, 6, 10 or 14): any
 * decode of it, even at 1/8, then holds every coefficient of the image. */
gboolean
fl_image_jpeg_is_progressive (const guint8 *data, gsize length)
{
  gboolean progressive = FALSE;

  walk_segments (data, length, find_frame, &progressive);
  return progressive;
}

/* Whether the planes can be kept as they are: Y'CbCr or grey, luma at full
 * resolution, both chroma planes alike and subsampled by 1, 2 or 4. */
static gboolean
planes_supported (struct jpeg_decompress_struct *info, guint *shift_x, guint *shift_y)
{
  jpeg_component_info *c = info->comp_info;
  int fx, fy;

  if (info->jpeg_color_space == JCS_GRAYSCALE && info->num_components == 1)
    {
      *shift_x = *shift_y = 0;
      return TRUE;
    }
  if (info->jpeg_color_space != JCS_YCbCr || info->num_components != 3)
    return FALSE;
  if (c[0].h_samp_factor != info->max_h_samp_factor ||
      c[0].v_samp_factor != info->max_v_samp_factor || c[1].h_samp_factor != c[2].h_samp_factor ||
      c[1].v_samp_factor != c[2].v_samp_factor ||
      info->max_h_samp_factor % c[1].h_samp_factor != 0 ||
      info->max_v_samp_factor % c[1].v_samp_factor != 0)
    return FALSE;
  fx = info->max_h_samp_factor / c[1].h_samp_factor;
  fy = info->max_v_samp_factor / c[1].v_samp_factor;
  if ((fx != 1 && fx != 2 && fx != 4) || (fy != 1 && fy != 2 && fy != 4))
    return FALSE;
  *shift_x = fx == 4 ? 2 : fx - 1;
  *shift_y = fy == 4 ? 2 : fy - 1;
  return TRUE;
}

typedef struct
{
  struct jpeg_decompress_struct info;
  ErrorManager errors;
  FlRaster *raster;
  /* The image at half and at a quarter of the size, made while decoding:
   * planes, then the quarter as RGB. */
  FlRaster *half;
  FlRaster *quarter;
  FlRaster *quarter_rgb;
  int half_rows[3];
  int quarter_rows[3];
  int rgb_rows;
  guint8 *scratch;
  /* Told of the quarter's rows as they are made, when the image is not
   * turned after the decode. */
  FlImageJpegRowsFunc rows_func;
  gpointer user_data;
  /* Makes the smaller images from the bands the decoder has finished,
   * while it decodes the next ones. */
  GThread *follower;
  GAsyncQueue *bands;
} Decode;

/* The end of the bands, on the follower's queue. */
static int no_more_bands;

static void follow_band (Decode *d, const int *rows);

/* Bands carry the rows of each plane decoded so far, in order. */
static gpointer
follow_bands (gpointer user_data)
{
  Decode *d = user_data;
  int *rows;

  /* Below the decoder and the preview, which the first frame waits for: it
   * catches up once they are done. On Linux a thread has a priority of its
   * own. */
  if (setpriority (PRIO_PROCESS, 0, 10) != 0)
    g_debug ("the smaller images are made at the usual priority: %s", g_strerror (errno));
  while ((rows = g_async_queue_pop (d->bands)) != &no_more_bands)
    {
      follow_band (d, rows);
      g_free (rows);
    }
  return NULL;
}

static void
stop_follower (Decode *d)
{
  if (d->follower == NULL)
    return;
  g_async_queue_push (d->bands, &no_more_bands);
  g_thread_join (g_steal_pointer (&d->follower));
  g_clear_pointer (&d->bands, g_async_queue_unref);
}

static void
decode_clear (Decode *d)
{
  stop_follower (d);
  jpeg_destroy_decompress (&d->info);
  g_clear_object (&d->raster);
  g_clear_object (&d->half);
  g_clear_object (&d->quarter);
  g_clear_object (&d->quarter_rgb);
  g_free (d->scratch);
}

/* Rows of plane @p of @src ready; returns how many rows of the same plane
 * of @dest, at half the size, can then be made. */
static int
halve_ready (FlRaster *src, FlRaster *dest, guint p, int src_rows, int *done)
{
  int height;
  int ready;

  fl_raster_get_plane (src, p, NULL, &height, NULL);
  ready = src_rows >= height ? G_MAXINT : src_rows / 2;
  fl_raster_halve_rows (src, dest, p, *done, ready);
  fl_raster_get_plane (dest, p, NULL, &height, NULL);
  *done = MAX (*done, MIN (ready, height));
  return *done;
}

/* After a band of rows of every plane: the smaller images as far as they
 * can go, while the rows are still in the cache. */
static void
follow_band (Decode *d, const int *rows)
{
  guint n = d->info.num_components;
  int luma = 0, chroma = G_MAXINT, height;

  if (d->half == NULL)
    return;
  for (guint p = 0; p < n; p++)
    {
      int half_rows = halve_ready (d->raster, d->half, p, rows[p], &d->half_rows[p]);
      int quarter_rows = halve_ready (d->half, d->quarter, p, half_rows, &d->quarter_rows[p]);

      if (p == 0)
        luma = quarter_rows;
      else
        chroma = MIN (chroma, quarter_rows);
    }
  /* An RGB row needs its luma row and the chroma row that covers it. */
  height = fl_raster_get_height (d->quarter);
  if (n > 1)
    {
      int chroma_height;
      guint shift;

      fl_raster_get_plane (d->quarter, FL_RASTER_PLANE_CB, NULL, &chroma_height, NULL);
      fl_raster_get_chroma_shift (d->quarter, NULL, &shift);
      luma = MIN (luma, chroma >= chroma_height ? height : chroma << shift);
    }
  luma = MIN (luma, height);
  if (luma > d->rgb_rows)
    {
      fl_raster_convert_rows (d->quarter, d->quarter_rgb, d->rgb_rows, luma);
      d->rgb_rows = luma;
      if (d->rows_func != NULL)
        d->rows_func (d->quarter_rgb, luma, d->user_data);
    }
}

/* Reads the image data of a started decompression into d->raster, and
 * makes the smaller images from each band of rows as it comes. */
static gboolean
read_planes (Decode *d, GCancellable *cancellable)
{
  struct jpeg_decompress_struct *info = &d->info;
  guint n = info->num_components;
  int band = info->max_v_samp_factor * DCTSIZE;
  JSAMPROW rows[3][4 * DCTSIZE];
  JSAMPARRAY arrays[3] = { rows[0], rows[1], rows[2] };

  while (info->output_scanline < info->output_height)
    {
      int line = info->output_scanline;
      int done[3];

      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      for (guint p = 0; p < n; p++)
        {
          jpeg_component_info *c = &info->comp_info[p];
          int height, stride;
          guint8 *plane = fl_raster_get_plane (d->raster, p, NULL, &height, &stride);
          int first = line * c->v_samp_factor / info->max_v_samp_factor;

          for (int r = 0; r < c->v_samp_factor * DCTSIZE; r++)
            rows[p][r] = first + r < height ? plane + (gsize) (first + r) * stride : d->scratch;
          done[p] = MIN (height, (line + band) * c->v_samp_factor / info->max_v_samp_factor);
        }
      jpeg_read_raw_data (info, arrays, band);
      if (d->follower != NULL)
        g_async_queue_push (d->bands, g_memdup2 (done, sizeof done));
    }
  /* The smaller images are whole once the follower is done. */
  stop_follower (d);
  return TRUE;
}

/* Returns the image at full size in the file's own orientation, and at a
 * quarter of the size as RGB in @quarter (unless it is tiny), with the
 * file's EXIF orientation in @orientation. When that is 1, @quarter_rows
 * (if not NULL) hears of the quarter's rows as they are made.
 * Sets @planar to FALSE and returns NULL without an error for a JPEG whose
 * planes are not kept as they are (CMYK, RGB, unusual subsampling): those
 * are for gdk-pixbuf to decode. */
FlRaster *
fl_image_jpeg_decode_planes (const guint8 *data, gsize length, GCancellable *cancellable,
                             FlRaster **quarter, guint *orientation, gboolean *planar,
                             FlImageJpegRowsFunc quarter_rows, gpointer user_data, GError **error)
{
  /* Static storage duration is not needed, only a stable address across
   * longjmp (): everything that changes after setjmp () lives in here. */
  g_autofree Decode *d = g_new0 (Decode, 1);
  guint shift_x = 0, shift_y = 0;
  gboolean ok;

  g_return_val_if_fail (quarter != NULL && orientation != NULL && planar != NULL, NULL);

  *quarter = NULL;
  *planar = TRUE;
  *orientation = fl_image_jpeg_read_orientation (data, length);
  if (*orientation == 1)
    {
      d->rows_func = quarter_rows;
      d->user_data = user_data;
    }
  d->info.err = jpeg_std_error (&d->errors.manager);
  d->errors.manager.error_exit = on_error_exit;
  d->errors.manager.emit_message = on_emit_message;
  if (setjmp (d->errors.jump) != 0)
    {
      g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
                   _ ("The image file is damaged or incomplete: %s"), d->errors.message);
      decode_clear (d);
      return NULL;
    }
  jpeg_create_decompress (&d->info);
  jpeg_mem_src (&d->info, data, length);
  jpeg_read_header (&d->info, TRUE);
  if (!planes_supported (&d->info, &shift_x, &shift_y))
    {
      *planar = FALSE;
      decode_clear (d);
      return NULL;
    }
  d->info.raw_data_out = TRUE;
  d->info.do_fancy_upsampling = FALSE;
  d->info.dct_method = JDCT_ISLOW;
  jpeg_start_decompress (&d->info);

  d->raster = fl_raster_new_ycbcr (d->info.output_width, d->info.output_height, shift_x, shift_y,
                                   d->info.num_components == 1);
  if (d->raster == NULL)
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_TOO_LARGE,
                           _ ("There is not enough memory to open the image"));
      decode_clear (d);
      return NULL;
    }
  for (int p = 0; p < d->info.num_components; p++)
    {
      int stride;

      fl_raster_get_plane (d->raster, p, NULL, NULL, &stride);
      /* The decoder writes whole blocks; rows are padded for them. */
      if ((int) d->info.comp_info[p].width_in_blocks * DCTSIZE > stride)
        {
          *planar = FALSE;
          jpeg_abort_decompress (&d->info);
          decode_clear (d);
          return NULL;
        }
    }
  d->scratch = g_malloc ((gsize) d->info.comp_info[0].width_in_blocks * DCTSIZE + 64);
  if (d->info.output_width > 3 || d->info.output_height > 3)
    {
      g_autoptr (GdkPixbuf) pixbuf = NULL;

      d->half = fl_raster_new_half (d->raster);
      d->quarter = d->half != NULL ? fl_raster_new_half (d->half) : NULL;
      pixbuf = d->quarter != NULL
                 ? gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, fl_raster_get_width (d->quarter),
                                   fl_raster_get_height (d->quarter))
                 : NULL;
      d->quarter_rgb = pixbuf != NULL ? fl_raster_new_for_pixbuf (pixbuf) : NULL;
      if (d->quarter_rgb == NULL)
        {
          g_clear_object (&d->half);
          g_clear_object (&d->quarter);
        }
      else
        {
          d->bands = g_async_queue_new ();
          d->follower = g_thread_new ("jpeg-follower", follow_bands, d);
        }
    }

  ok = read_planes (d, cancellable);
  if (!ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Loading was cancelled"));
      jpeg_abort_decompress (&d->info);
      decode_clear (d);
      return NULL;
    }
  jpeg_finish_decompress (&d->info);
  *quarter = g_steal_pointer (&d->quarter_rgb);
  {
    FlRaster *raster = g_steal_pointer (&d->raster);

    decode_clear (d);
    return raster;
  }
}

/* The image at 1/8 scale from the DC coefficients alone, for a first
 * frame: each 8 x 8 block's mean, which is what libjpeg's 1/8 scaling
 * gives too. libjpeg decodes every coefficient of a block before it can
 * drop them, and for a photo that is most of its full decode; here the
 * AC coefficients are only stepped over, two codes a table lookup where
 * they fit, which takes about half the time. Baseline (sequential,
 * Huffman-coded, 8-bit) files in one scan only; anything else is left to
 * libjpeg. */

#define LOOKUP_BITS 12
#define LOOKUP_SIZE (1 << LOOKUP_BITS)
/* Zeros after the data: a damaged stream decoded past its end reads them
 * until the check after its MCU; one MCU reads at most 10 blocks of 64
 * codes of 31 bits. */
#define TAIL_BYTES 4096

typedef struct
{
  gboolean defined;
  guint8 counts[17];
  guint8 symbols[256];
  /* Codes of each length, for codes longer than LOOKUP_BITS. */
  int min_code[17];
  int max_code[17];
  int first_index[17];
  /* By the next LOOKUP_BITS bits: the code's length (0 when longer) and
   * its symbol. */
  guint8 lengths[LOOKUP_SIZE];
  guint8 values[LOOKUP_SIZE];
  /* AC tables, by the next LOOKUP_BITS bits: one or two codes stepped over
   * at once, see step_entry (); 0 when the first does not fit. */
  guint32 steps[LOOKUP_SIZE];
} HuffTable;

typedef struct
{
  int id;
  int h, v;
  int quant;
  int dc_table, ac_table;
} Component;

typedef struct
{
  guint16 quant[4][64];
  gboolean quant_defined[4];
  HuffTable dc[4], ac[4];
  int width, height;
  int n_components;
  Component components[3];
  int restart_interval;
  gboolean frame_seen, supported;
  gboolean adobe_untransformed;
  const guint8 *scan_data;
} Header;

/* A step entry: bits 0-5 the bits of both codes with their extra bits,
 * 6-11 those of the first, 12-18 how far the coefficient index moves,
 * 19-23 how far the first code moves it, bit 24 whether the step ends
 * the block (end of block code). */
#define STEP_BITS(e) ((e) &63)
#define STEP_FIRST_BITS(e) ((e) >> 6 & 63)
#define STEP_ADVANCE(e) ((e) >> 12 & 127)
#define STEP_FIRST_ADVANCE(e) ((e) >> 19 & 31)
#define STEP_ENDS_BLOCK(e) ((e) >> 24 & 1)

static guint32
step_entry (guint bits, guint first_bits, guint advance, guint first_advance, gboolean ends)
{
  return bits | first_bits << 6 | advance << 12 | first_advance << 19 | (guint32) ends << 24;
}

/* One AC code at the head of @index: its bits with the extra bits, how far
 * it moves the coefficient index (0 for end of block). FALSE when it does
 * not fit in the lookup. */
static gboolean
lookup_ac (const HuffTable *table, guint index, guint available, guint *bits, guint *advance)
{
  guint length = table->lengths[index];
  guint symbol = table->values[index];
  guint run = symbol >> 4, size = symbol & 15;

  if (length == 0 || length + size > available)
    return FALSE;
  *bits = length + size;
  *advance = size == 0 && run != 15 ? 0 : run + 1;
  return TRUE;
}

static gboolean
build_table (HuffTable *table, gboolean ac)
{
  int code = 0, index = 0;

  memset (table->lengths, 0, sizeof table->lengths);
  for (int length = 1; length <= 16; length++)
    {
      table->first_index[length] = index;
      table->min_code[length] = code;
      for (int i = 0; i < table->counts[length]; i++, index++, code++)
        {
          guint8 symbol = table->symbols[index];

          /* More codes than the length holds is not a Huffman table; sizes
           * past 11 bits for DC, 10 for AC, are not 8-bit JPEG. */
          if (code >= (1 << length) - 1 || (!ac && symbol > 11) || (ac && (symbol & 15) > 10))
            return FALSE;
          if (length <= LOOKUP_BITS)
            {
              int shift = LOOKUP_BITS - length;

              for (int fill = 0; fill < 1 << shift; fill++)
                {
                  table->lengths[(code << shift) | fill] = length;
                  table->values[(code << shift) | fill] = symbol;
                }
            }
        }
      table->max_code[length] = code - 1;
      code <<= 1;
    }
  if (!ac)
    return TRUE;
  for (guint index = 0; index < LOOKUP_SIZE; index++)
    {
      guint bits, advance, bits2, advance2;

      table->steps[index] = 0;
      if (!lookup_ac (table, index, LOOKUP_BITS, &bits, &advance))
        continue;
      if (advance == 0)
        table->steps[index] = step_entry (bits, bits, 0, 0, TRUE);
      else if (lookup_ac (table, (index << bits) & (LOOKUP_SIZE - 1), LOOKUP_BITS - bits, &bits2,
                          &advance2))
        table->steps[index] =
          step_entry (bits + bits2, bits, advance + advance2, advance, advance2 == 0);
      else
        table->steps[index] = step_entry (bits, bits, advance, advance, FALSE);
    }
  return TRUE;
}

/* A code longer than the lookup, read from the head of @bits: its symbol,
 * or -1. */
static int
decode_long (const HuffTable *table, guint64 bits, guint *length)
{
  for (int l = 1; l <= 16; l++)
    {
      int code = (int) (bits >> (64 - l));

      if (table->counts[l] > 0 && code >= table->min_code[l] && code <= table->max_code[l])
        {
          *length = l;
          return table->symbols[table->first_index[l] + code - table->min_code[l]];
        }
    }
  return -1;
}

static gboolean
read_tables (Header *header, guint8 marker, const guint8 *payload, gsize size)
{
  const guint8 *end = payload + size;

  if (marker == 0xdb)
    while (payload < end)
      {
        int precision = payload[0] >> 4, id = payload[0] & 15;
        gsize entry = precision ? 2 : 1;

        if (id > 3 || precision > 1 || (gsize) (end - payload) < 1 + 64 * entry)
          return FALSE;
        /* Only the first value, the DC one, is used (zigzag order). */
        header->quant[id][0] = precision ? payload[1] << 8 | payload[2] : payload[1];
        header->quant_defined[id] = TRUE;
        payload += 1 + 64 * entry;
      }
  else
    while (payload < end)
      {
        int class = payload[0] >> 4, id = payload[0] & 15;
        HuffTable *table;
        int total = 0;

        if (class > 1 || id > 3 || end - payload < 17)
          return FALSE;
        table = class ? &header->ac[id] : &header->dc[id];
        for (int length = 1; length <= 16; length++)
          total += table->counts[length] = payload[length];
        if (total > 256 || end - payload < 17 + total)
          return FALSE;
        memcpy (table->symbols, payload + 17, total);
        if (!build_table (table, class == 1))
          return FALSE;
        table->defined = TRUE;
        payload += 17 + total;
      }
  return TRUE;
}

static gboolean
read_frame (Header *header, const guint8 *payload, gsize size)
{
  if (size < 6 || payload[0] != 8)
    return FALSE;
  header->height = payload[1] << 8 | payload[2];
  header->width = payload[3] << 8 | payload[4];
  header->n_components = payload[5];
  if ((header->n_components != 1 && header->n_components != 3) ||
      size < 6 + 3 * (gsize) header->n_components || header->width == 0 || header->height == 0)
    return FALSE;
  for (int c = 0; c < header->n_components; c++)
    {
      Component *component = &header->components[c];

      component->id = payload[6 + 3 * c];
      component->h = payload[7 + 3 * c] >> 4;
      component->v = payload[7 + 3 * c] & 15;
      component->quant = payload[8 + 3 * c];
      if (component->h < 1 || component->h > 4 || component->v < 1 || component->v > 4 ||
          component->quant > 3)
        return FALSE;
    }
  header->frame_seen = TRUE;
  return TRUE;
}

static gboolean
read_scan (Header *header, const guint8 *payload, gsize size)
{
  int n = size > 0 ? payload[0] : 0;

  if (!header->frame_seen || n != header->n_components || size < 4 + 2 * (gsize) n)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      Component *component = &header->components[i];

      /* In the frame's order, as every encoder writes them. */
      if (payload[1 + 2 * i] != component->id)
        return FALSE;
      component->dc_table = payload[2 + 2 * i] >> 4;
      component->ac_table = payload[2 + 2 * i] & 15;
      if (component->dc_table > 3 || component->ac_table > 3 ||
          !header->dc[component->dc_table].defined || !header->ac[component->ac_table].defined ||
          !header->quant_defined[component->quant])
        return FALSE;
    }
  /* Spectral selection 0-63 and no successive approximation: sequential. */
  return payload[1 + 2 * n] == 0 && payload[2 + 2 * n] == 63 && payload[3 + 2 * n] == 0;
}

static gboolean
read_header_segment (guint8 marker, const guint8 *payload, gsize size, gpointer user_data)
{
  Header *header = user_data;

  switch (marker)
    {
      case 0xc0: /* baseline */
      case 0xc1: /* extended sequential, Huffman */
        return read_frame (header, payload, size);
      case 0xc4:
      case 0xdb:
        return read_tables (header, marker, payload, size);
      case 0xdd:
        if (size < 2)
          return FALSE;
        header->restart_interval = payload[0] << 8 | payload[1];
        return TRUE;
      case 0xee: /* Adobe: transform 0 is RGB or CMYK as they are */
        if (size >= 12 && memcmp (payload, "Adobe", 5) == 0 && payload[11] == 0)
          header->adobe_untransformed = TRUE;
        return TRUE;
      case 0xda:
        header->supported = read_scan (header, payload, size);
        header->scan_data = payload + size;
        return FALSE;
      default:
        /* Any other frame type: progressive, lossless, arithmetic coding. */
        return !(marker >= 0xc2 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 &&
                 marker != 0xcc);
    }
}

/* The entropy-coded data with stuffed zeros taken out, followed by
 * TAIL_BYTES zeros, and where each restart marker was in it. */
static guint8 *
unstuff (const guint8 *data, const guint8 *end, gsize *length, GArray *restarts)
{
  guint8 *out = g_try_malloc ((gsize) (end - data) + TAIL_BYTES);
  gsize n = 0;

  if (out == NULL)
    return NULL;
  while (data < end)
    {
      const guint8 *ff = memchr (data, 0xff, end - data);

      if (ff == NULL)
        ff = end;
      memcpy (out + n, data, ff - data);
      n += ff - data;
      while (ff + 1 < end && ff[1] == 0xff)
        ff++;
      if (ff + 1 >= end)
        break;
      if (ff[1] == 0x00)
        out[n++] = 0xff;
      else if (ff[1] >= 0xd0 && ff[1] <= 0xd7)
        {
          guint32 offset = n;

          g_array_append_val (restarts, offset);
        }
      else
        break;
      data = ff + 2;
    }
  memset (out + n, 0, TAIL_BYTES);
  *length = n;
  return out;
}

typedef struct
{
  const guint8 *next;
  guint64 bits; /* unread bits, from the top */
  guint n_bits;
} BitReader;

/* At least 56 bits after it: two codes with their extra bits. */
static inline void
refill (BitReader *r)
{
  guint64 word;

  memcpy (&word, r->next, 8);
  r->bits |= GUINT64_FROM_BE (word) >> r->n_bits;
  r->next += (63 - r->n_bits) >> 3;
  r->n_bits |= 56;
}

static inline void
consume (BitReader *r, guint n)
{
  r->bits <<= n;
  r->n_bits -= n;
}

/* A code and the extra bits it announces, as a signed value. */
static inline gboolean
read_dc (BitReader *r, const HuffTable *table, int *diff)
{
  guint length = table->lengths[r->bits >> (64 - LOOKUP_BITS)];
  int size;

  if (length != 0)
    size = table->values[r->bits >> (64 - LOOKUP_BITS)];
  else if ((size = decode_long (table, r->bits, &length)) < 0)
    return FALSE;
  consume (r, length);
  *diff = 0;
  if (size > 0)
    {
      int value = (int) (r->bits >> (64 - size));

      *diff = value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
      consume (r, size);
    }
  return TRUE;
}

/* Steps over a block's AC codes. */
static inline gboolean
skip_ac (BitReader *r, const HuffTable *table)
{
  int k = 1;

  for (;;)
    {
      guint32 step;

      refill (r);
      /* Four steps of at most LOOKUP_BITS bits a refill; a longer code
       * refills before and after itself. */
      for (int i = 0; i < 4; i++)
        {
          step = table->steps[r->bits >> (64 - LOOKUP_BITS)];
          if (G_LIKELY (step != 0 && k + (int) STEP_FIRST_ADVANCE (step) < 64))
            {
              consume (r, STEP_BITS (step));
              k += STEP_ADVANCE (step);
              if (STEP_ENDS_BLOCK (step) || k >= 64)
                return TRUE;
            }
          else
            {
              guint length;
              int symbol, run, size;

              refill (r);
              symbol = decode_long (table, r->bits, &length);
              run = symbol >> 4;
              size = symbol & 15;
              if (symbol < 0)
                return FALSE;
              consume (r, length + size);
              refill (r);
              if (size == 0 && run != 15)
                return TRUE;
              k += run + 1;
              if (k >= 64)
                return TRUE;
            }
        }
    }
}

FlRaster *
fl_image_jpeg_decode_eighth (const guint8 *data, gsize length, GCancellable *cancellable)
{
  g_autoptr (GArray) restarts = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autofree Header *header = g_new0 (Header, 1);
  g_autoptr (FlRaster) raster = NULL;
  g_autofree guint8 *stream = NULL;
  guint8 *planes[3];
  int strides[3], plane_width[3], plane_height[3];
  int max_h = 1, max_v = 1, mcus_x, mcus_y;
  gsize stream_length;
  BitReader r = { 0 };
  int predictions[3] = { 0 };
  guint next_restart = 0;
  int mcu = 0;

  walk_segments (data, length, read_header_segment, header);
  if (!header->supported)
    return NULL;
  for (int c = 0; c < header->n_components; c++)
    {
      max_h = MAX (max_h, header->components[c].h);
      max_v = MAX (max_v, header->components[c].v);
    }
  if (header->n_components == 3)
    {
      Component *y = &header->components[0], *cb = &header->components[1],
                *cr = &header->components[2];
      int fx, fy;

      /* RGB as it is, by libjpeg's own guess: Adobe's transform 0, or
       * components named so. */
      if (header->adobe_untransformed || (y->id == 'R' && cb->id == 'G' && cr->id == 'B'))
        return NULL;
      /* At most 10 blocks an MCU, as the standard has it. */
      if (y->h * y->v + 2 * cb->h * cb->v > 10)
        return NULL;
      if (y->h != max_h || y->v != max_v || cb->h != cr->h || cb->v != cr->v ||
          max_h % cb->h != 0 || max_v % cb->v != 0)
        return NULL;
      fx = max_h / cb->h;
      fy = max_v / cb->v;
      if ((fx != 1 && fx != 2 && fx != 4) || (fy != 1 && fy != 2 && fy != 4))
        return NULL;
      raster = fl_raster_new_ycbcr ((header->width + 7) / 8, (header->height + 7) / 8,
                                    fx == 4 ? 2 : fx - 1, fy == 4 ? 2 : fy - 1, FALSE);
      mcus_x = (header->width + 8 * max_h - 1) / (8 * max_h);
      mcus_y = (header->height + 8 * max_v - 1) / (8 * max_v);
    }
  else
    {
      /* One component is never interleaved: an MCU is one block. */
      header->components[0].h = header->components[0].v = 1;
      raster = fl_raster_new_ycbcr ((header->width + 7) / 8, (header->height + 7) / 8, 0, 0, TRUE);
      mcus_x = (header->width + 7) / 8;
      mcus_y = (header->height + 7) / 8;
    }
  if (raster == NULL)
    return NULL;
  for (int c = 0; c < header->n_components; c++)
    planes[c] = fl_raster_get_plane (raster, c, &plane_width[c], &plane_height[c], &strides[c]);

  stream = unstuff (header->scan_data, data + length, &stream_length, restarts);
  if (stream == NULL)
    return NULL;
  r.next = stream;
  for (int y = 0; y < mcus_y; y++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return NULL;
      for (int x = 0; x < mcus_x; x++, mcu++)
        {
          if (header->restart_interval > 0 && mcu > 0 && mcu % header->restart_interval == 0)
            {
              if (next_restart >= restarts->len)
                return NULL;
              r.next = stream + g_array_index (restarts, guint32, next_restart++);
              r.bits = 0;
              r.n_bits = 0;
              memset (predictions, 0, sizeof predictions);
            }
          for (int c = 0; c < header->n_components; c++)
            {
              const Component *component = &header->components[c];
              const HuffTable *dc = &header->dc[component->dc_table];
              const HuffTable *ac = &header->ac[component->ac_table];
              int quant = header->quant[component->quant][0];

              for (int by = 0; by < component->v; by++)
                for (int bx = 0; bx < component->h; bx++)
                  {
                    int row = y * component->v + by, col = x * component->h + bx;
                    int diff;

                    refill (&r);
                    if (!read_dc (&r, dc, &diff) || !skip_ac (&r, ac))
                      return NULL;
                    predictions[c] += diff;
                    /* Blocks past the image's edge only pad the MCU. */
                    if (row < plane_height[c] && col < plane_width[c])
                      {
                        /* libjpeg's 1 x 1 inverse DCT: the mean, rounded. */
                        int value = ((predictions[c] * quant + 4) >> 3) + 128;

                        planes[c][(gsize) row * strides[c] + col] = CLAMP (value, 0, 255);
                      }
                  }
            }
          /* Past the data's end: cut off or damaged. */
          if (r.next > stream + stream_length + 8)
            return NULL;
        }
    }
  return g_steal_pointer (&raster);
}
