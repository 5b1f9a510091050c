/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageJpeg"

#include "config.h"

#include <glib/gi18n.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

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
} Decode;

static void
decode_clear (Decode *d)
{
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
      follow_band (d, done);
    }
  return TRUE;
}

/* Returns the image at full size in the file's own orientation, and at a
 * quarter of the size as RGB in @quarter (unless it is tiny), with the
 * file's EXIF orientation in @orientation.
 * Sets @planar to FALSE and returns NULL without an error for a JPEG whose
 * planes are not kept as they are (CMYK, RGB, unusual subsampling): those
 * are for gdk-pixbuf to decode. */
FlRaster *
fl_image_jpeg_decode_planes (const guint8 *data, gsize length, GCancellable *cancellable,
                             FlRaster **quarter, guint *orientation, gboolean *planar,
                             GError **error)
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
