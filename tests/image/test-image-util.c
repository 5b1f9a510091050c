/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestImageUtil"

#include "config.h"

#include <cairo.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "test-image-util.h"

/* Left half red, right half blue, with a dark grid every 32 pixels. */
GdkPixbuf *
fl_test_make_pattern (int width, int height, gboolean alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, alpha, 8, width, height);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * channels;
        gboolean line = (x % 32 == 31 || y % 32 == 31) && x > 8 && y > 8;

        p[0] = line ? 60 : (x < width / 2 ? 255 : 0);
        p[1] = line ? 60 : 0;
        p[2] = line ? 60 : (x < width / 2 ? 0 : 255);
        if (alpha)
          p[3] = 255;
      }
  return pixbuf;
}

/* A street drawn with cairo: sky, houses, a road and two cars, something
 * to label in screenshots. */
GdkPixbuf *
fl_test_make_street (int width, int height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cairo_t *cr = cairo_create (surface);
  cairo_pattern_t *sky = cairo_pattern_create_linear (0, 0, 0, height * 0.6);
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  const guint8 *src;
  guint8 *dst;
  double w = width, h = height;

  cairo_pattern_add_color_stop_rgb (sky, 0, 0.35, 0.55, 0.85);
  cairo_pattern_add_color_stop_rgb (sky, 1, 0.80, 0.88, 0.95);
  cairo_set_source (cr, sky);
  cairo_paint (cr);
  cairo_pattern_destroy (sky);
  for (int i = 0; i < 5; i++)
    {
      double x = w * (0.02 + i * 0.2), top = h * (0.22 + 0.06 * (i % 3));

      cairo_set_source_rgb (cr, 0.55 + 0.08 * (i % 3), 0.45, 0.38 + 0.05 * i);
      cairo_rectangle (cr, x, top, w * 0.17, h * 0.6 - top);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.95, 0.9, 0.6);
      for (int k = 0; k < 3; k++)
        {
          cairo_rectangle (cr, x + w * (0.02 + 0.05 * k), top + h * 0.05, w * 0.03, h * 0.05);
          cairo_fill (cr);
        }
    }
  cairo_set_source_rgb (cr, 0.25, 0.27, 0.28);
  cairo_rectangle (cr, 0, h * 0.6, w, h * 0.4);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.9);
  for (int k = 0; k < 8; k++)
    {
      cairo_rectangle (cr, w * (0.02 + 0.125 * k), h * 0.79, w * 0.07, h * 0.012);
      cairo_fill (cr);
    }
  for (int car = 0; car < 2; car++)
    {
      double x = w * (0.12 + 0.5 * car), y = h * (0.64 + 0.12 * car);

      cairo_set_source_rgb (cr, car ? 0.85 : 0.15, car ? 0.2 : 0.35, car ? 0.15 : 0.7);
      cairo_rectangle (cr, x, y, w * 0.24, h * 0.08);
      cairo_rectangle (cr, x + w * 0.05, y - h * 0.05, w * 0.13, h * 0.06);
      cairo_fill (cr);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_arc (cr, x + w * 0.05, y + h * 0.085, h * 0.03, 0, 2 * G_PI);
      cairo_fill (cr);
      cairo_arc (cr, x + w * 0.19, y + h * 0.085, h * 0.03, 0, 2 * G_PI);
      cairo_fill (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  src = cairo_image_surface_get_data (surface);
  dst = gdk_pixbuf_get_pixels (pixbuf);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint32 p =
          *(const guint32 *) (const void *) (src + y * cairo_image_surface_get_stride (surface) +
                                             x * 4);
        guint8 *d = dst + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf) + x * 3;

        d[0] = p >> 16;
        d[1] = p >> 8;
        d[2] = p;
      }
  cairo_surface_destroy (surface);
  return pixbuf;
}

void
fl_test_pixel (GdkPixbuf *pixbuf, int x, int y, guint8 *r, guint8 *g, guint8 *b)
{
  const guint8 *p;

  g_assert_nonnull (pixbuf);
  g_assert_cmpint (x, <, gdk_pixbuf_get_width (pixbuf));
  g_assert_cmpint (y, <, gdk_pixbuf_get_height (pixbuf));
  p = gdk_pixbuf_read_pixels (pixbuf) + (gsize) y * gdk_pixbuf_get_rowstride (pixbuf) +
      (gsize) x * gdk_pixbuf_get_n_channels (pixbuf);
  *r = p[0];
  *g = p[1];
  *b = p[2];
}

/* Saves the pattern as a JPEG and adds an EXIF APP1 segment, as a camera
 * would, holding only the Orientation tag (0x0112). */
void
fl_test_write_rotated_jpeg (const char *path, int width, int height, guint orientation)
{
  static const guint8 app1_head[] = {
    0xff, 0xe1, 0x00, 34,              /* APP1, length 34 */
    'E',  'x',  'i',  'f', 0, 0,       /* EXIF header */
    'M',  'M',  0,    42,  0, 0, 0, 8, /* big-endian TIFF, IFD at 8 */
    0,    1,                           /* one entry */
    0x01, 0x12, 0,    3,   0, 0, 0, 1, /* Orientation, SHORT, count 1 */
  };
  g_autoptr (GdkPixbuf) pixbuf = fl_test_make_pattern (width, height, FALSE);
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *jpeg = NULL;
  gsize length;
  guint8 value[8] = { 0, (guint8) orientation, 0, 0, 0, 0, 0, 0 };

  g_assert_true (
    gdk_pixbuf_save_to_buffer (pixbuf, &jpeg, &length, "jpeg", &error, "quality", "95", NULL));
  g_assert_no_error (error);
  g_assert_cmpuint ((guint8) jpeg[0], ==, 0xff);
  g_assert_cmpuint ((guint8) jpeg[1], ==, 0xd8);
  g_byte_array_append (out, (const guint8 *) jpeg, 2);
  g_byte_array_append (out, app1_head, sizeof app1_head);
  /* the value (padded to 4 bytes), then no next IFD */
  g_byte_array_append (out, value, sizeof value);
  g_byte_array_append (out, (const guint8 *) jpeg + 2, length - 2);
  g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, &error));
  g_assert_no_error (error);
}

static guint32
crc32_update (guint32 crc, const guint8 *data, gsize length)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
  return ~crc;
}

static void
put_be32 (GByteArray *out, guint32 value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (out, bytes, 4);
}

static void
put_chunk (GByteArray *out, const char *type, const guint8 *data, gsize length)
{
  guint32 crc;

  put_be32 (out, length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (out, data, length);
  crc = crc32_update (0, (const guint8 *) type, 4);
  crc = crc32_update (crc, data, length);
  put_be32 (out, crc);
}

/* A PNG that claims width x height grey pixels in a few kilobytes: its
 * IDAT holds the first rows of zeros, which compress a thousandfold. */
void
fl_test_write_png_bomb (const char *path, guint32 width, guint32 height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr (GError) error = NULL;
  gsize raw_length = (gsize) (width + 1) * 200;
  g_autofree guint8 *raw = g_malloc0 (raw_length);
  gsize capacity = raw_length / 100 + 1024;
  g_autofree guint8 *packed = g_malloc (capacity);
  gsize read, written;
  guint8 ihdr[13];

  ihdr[0] = width >> 24, ihdr[1] = width >> 16, ihdr[2] = width >> 8, ihdr[3] = width;
  ihdr[4] = height >> 24, ihdr[5] = height >> 16, ihdr[6] = height >> 8, ihdr[7] = height;
  ihdr[8] = 8;  /* bit depth */
  ihdr[9] = 0;  /* greyscale */
  ihdr[10] = 0; /* deflate */
  ihdr[11] = 0; /* adaptive filtering */
  ihdr[12] = 0; /* not interlaced */

  g_assert_cmpint (g_converter_convert (G_CONVERTER (compressor), raw, raw_length, packed, capacity,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                   ==, G_CONVERTER_FINISHED);
  g_assert_no_error (error);

  g_byte_array_append (out, signature, sizeof signature);
  put_chunk (out, "IHDR", ihdr, sizeof ihdr);
  put_chunk (out, "IDAT", packed, written);
  put_chunk (out, "IEND", NULL, 0);
  g_assert_true (g_file_set_contents (path, (const char *) out->data, out->len, &error));
  g_assert_no_error (error);
}

/* A JPEG written with libjpeg itself, for what gdk-pixbuf does not write:
 * @kind "ycbcr" with luma sampled @h_samp x @v_samp times the chroma
 * (2 x 2 is 4:2:0, 1 x 1 is 4:4:4), "gray" or "cmyk" (Adobe's inverted
 * CMYK, as Photoshop writes it), "progressive" (Y'CbCr in several
 * scans) or "restarts" (Y'CbCr with a restart marker every 3 MCUs); with
 * an EXIF orientation unless it is 0. */
void
fl_test_write_jpeg (const char *path, GdkPixbuf *pixbuf, const char *kind, int h_samp, int v_samp,
                    guint orientation)
{
  struct jpeg_compress_struct info;
  struct jpeg_error_mgr errors;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean gray = g_str_equal (kind, "gray");
  gboolean cmyk = g_str_equal (kind, "cmyk");
  int components = gray ? 1 : cmyk ? 4 : 3;
  g_autofree guint8 *row = g_malloc ((gsize) width * components);
  FILE *file = fopen (path, "wb");

  g_assert_nonnull (file);
  info.err = jpeg_std_error (&errors);
  jpeg_create_compress (&info);
  jpeg_stdio_dest (&info, file);
  info.image_width = width;
  info.image_height = height;
  info.input_components = components;
  info.in_color_space = gray ? JCS_GRAYSCALE : cmyk ? JCS_CMYK : JCS_RGB;
  jpeg_set_defaults (&info);
  jpeg_set_quality (&info, 95, TRUE);
  if (!gray && !cmyk)
    {
      info.comp_info[0].h_samp_factor = h_samp;
      info.comp_info[0].v_samp_factor = v_samp;
      info.comp_info[1].h_samp_factor = info.comp_info[1].v_samp_factor = 1;
      info.comp_info[2].h_samp_factor = info.comp_info[2].v_samp_factor = 1;
    }
  if (g_str_equal (kind, "progressive"))
    jpeg_simple_progression (&info);
  if (g_str_equal (kind, "restarts"))
    info.restart_interval = 3;
  jpeg_start_compress (&info, TRUE);
  if (orientation != 0)
    {
      const guint8 exif[] = {
        'E', 'x', 'i', 'f',  0,    0, 'M', 'M', 0, 42, 0, 0, 0,
        8,   0,   1,   0x01, 0x12, 0, 3,   0,   0, 0,  1, 0, (guint8) orientation,
        0,   0,   0,   0,    0,    0, /* the value, padded; no next IFD */
      };

      jpeg_write_marker (&info, JPEG_APP0 + 1, exif, sizeof exif);
    }
  while (info.next_scanline < info.image_height)
    {
      const guint8 *src = gdk_pixbuf_read_pixels (pixbuf) +
                          (gsize) info.next_scanline * gdk_pixbuf_get_rowstride (pixbuf);

      for (int x = 0; x < width; x++)
        {
          const guint8 *p = src + (gsize) x * channels;

          if (gray)
            row[x] = (p[0] * 77 + p[1] * 150 + p[2] * 29) >> 8;
          else
            for (int c = 0; c < components; c++)
              row[(gsize) x * components + c] = c < 3 ? p[c] : 255;
        }
      jpeg_write_scanlines (&info, &row, 1);
    }
  jpeg_finish_compress (&info);
  jpeg_destroy_compress (&info);
  g_assert_cmpint (fclose (file), ==, 0);
}

/* The mean absolute difference of two RGB(A) images of one size, over
 * every colour channel of every pixel. */
double
fl_test_mean_difference (GdkPixbuf *a, GdkPixbuf *b)
{
  int width = gdk_pixbuf_get_width (a), height = gdk_pixbuf_get_height (a);
  guint64 sum = 0;

  g_assert_cmpint (gdk_pixbuf_get_width (b), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (b), ==, height);
  for (int y = 0; y < height; y++)
    {
      const guint8 *pa = gdk_pixbuf_read_pixels (a) + (gsize) y * gdk_pixbuf_get_rowstride (a);
      const guint8 *pb = gdk_pixbuf_read_pixels (b) + (gsize) y * gdk_pixbuf_get_rowstride (b);

      for (int x = 0; x < width; x++)
        for (int c = 0; c < 3; c++)
          sum += ABS (pa[x * gdk_pixbuf_get_n_channels (a) + c] -
                      pb[x * gdk_pixbuf_get_n_channels (b) + c]);
    }
  return (double) sum / ((double) width * height * 3);
}
