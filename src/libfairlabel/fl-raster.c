/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlRaster"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fl-raster.h"

/* Pixels held either as an RGB(A) GdkPixbuf or as the Y'CbCr planes a JPEG
 * decodes to, chroma at a lower resolution. A 40 MP photo as 4:2:0 planes
 * takes 60 MB instead of 120 MB of RGB, and decoding to planes skips the
 * decoder's colour conversion and upsampling; only the regions that are
 * shown are ever converted to RGB. */

struct _FlRaster
{
  GObject parent_instance;

  int width;
  int height;
  GdkPixbuf *pixbuf;
  /* A raster read from this one at half the size, on demand. */
  FlRaster *parent;

  gboolean gray;
  guint shift_x;
  guint shift_y;
  guint8 *planes[3];
  int plane_width[3];
  int plane_height[3];
  int stride[3];
};

G_DEFINE_FINAL_TYPE (FlRaster, fl_raster, G_TYPE_OBJECT)

static void
fl_raster_finalize (GObject *object)
{
  FlRaster *self = FL_RASTER (object);

  g_clear_object (&self->pixbuf);
  g_clear_object (&self->parent);
  for (guint p = 0; p < G_N_ELEMENTS (self->planes); p++)
    g_free (self->planes[p]);
  G_OBJECT_CLASS (fl_raster_parent_class)->finalize (object);
}

static void
fl_raster_class_init (FlRasterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_raster_finalize;
}

static void
fl_raster_init (FlRaster *self)
{
}

FlRaster *
fl_raster_new_for_pixbuf (GdkPixbuf *pixbuf)
{
  FlRaster *self;

  g_return_val_if_fail (GDK_IS_PIXBUF (pixbuf), NULL);
  g_return_val_if_fail (gdk_pixbuf_get_bits_per_sample (pixbuf) == 8, NULL);

  self = g_object_new (FL_TYPE_RASTER, NULL);
  self->pixbuf = g_object_ref (pixbuf);
  self->width = gdk_pixbuf_get_width (pixbuf);
  self->height = gdk_pixbuf_get_height (pixbuf);
  return self;
}

static guint
n_planes (FlRaster *self)
{
  return self->pixbuf != NULL || self->parent != NULL ? 0 : self->gray ? 1 : 3;
}

/* @parent at half the size (rounded up), each pixel the mean of the 2 x 2
 * it covers, made only for the regions read: for a level of a pyramid that
 * is not worth its memory. */
FlRaster *
fl_raster_new_half_of (FlRaster *parent)
{
  FlRaster *self;

  g_return_val_if_fail (FL_IS_RASTER (parent), NULL);

  self = g_object_new (FL_TYPE_RASTER, NULL);
  self->parent = g_object_ref (parent);
  self->width = (parent->width + 1) / 2;
  self->height = (parent->height + 1) / 2;
  return self;
}

/* Rows are padded to a multiple of 32 samples: a JPEG decoder writes whole
 * 8 x 8 blocks. Returns NULL when the memory is not there. */
FlRaster *
fl_raster_new_ycbcr (int width, int height, guint chroma_shift_x, guint chroma_shift_y,
                     gboolean gray)
{
  g_autoptr (FlRaster) self = NULL;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (chroma_shift_x <= 2 && chroma_shift_y <= 2, NULL);

  self = g_object_new (FL_TYPE_RASTER, NULL);
  self->width = width;
  self->height = height;
  self->gray = gray;
  self->shift_x = gray ? 0 : chroma_shift_x;
  self->shift_y = gray ? 0 : chroma_shift_y;
  for (guint p = 0; p < n_planes (self); p++)
    {
      guint sx = p == 0 ? 0 : self->shift_x, sy = p == 0 ? 0 : self->shift_y;

      self->plane_width[p] = (width + (1 << sx) - 1) >> sx;
      self->plane_height[p] = (height + (1 << sy) - 1) >> sy;
      self->stride[p] = (self->plane_width[p] + 31) & ~31;
      self->planes[p] = g_try_malloc ((gsize) self->stride[p] * self->plane_height[p]);
      if (self->planes[p] == NULL)
        return NULL;
    }
  return g_steal_pointer (&self);
}

int
fl_raster_get_width (FlRaster *self)
{
  g_return_val_if_fail (FL_IS_RASTER (self), 0);
  return self->width;
}

int
fl_raster_get_height (FlRaster *self)
{
  g_return_val_if_fail (FL_IS_RASTER (self), 0);
  return self->height;
}

gboolean
fl_raster_get_has_alpha (FlRaster *self)
{
  g_return_val_if_fail (FL_IS_RASTER (self), FALSE);
  if (self->parent != NULL)
    return fl_raster_get_has_alpha (self->parent);
  return self->pixbuf != NULL && gdk_pixbuf_get_has_alpha (self->pixbuf);
}

/* How many times (as a power of two) the chroma planes are smaller. */
void
fl_raster_get_chroma_shift (FlRaster *self, guint *shift_x, guint *shift_y)
{
  g_return_if_fail (FL_IS_RASTER (self));
  if (shift_x != NULL)
    *shift_x = n_planes (self) > 1 ? self->shift_x : 0;
  if (shift_y != NULL)
    *shift_y = n_planes (self) > 1 ? self->shift_y : 0;
}

gboolean
fl_raster_is_gray (FlRaster *self)
{
  g_return_val_if_fail (FL_IS_RASTER (self), FALSE);
  return self->pixbuf == NULL && self->gray;
}

gsize
fl_raster_get_byte_size (FlRaster *self)
{
  gsize size = 0;

  g_return_val_if_fail (FL_IS_RASTER (self), 0);
  if (self->pixbuf != NULL)
    return gdk_pixbuf_get_byte_length (self->pixbuf);
  for (guint p = 0; p < n_planes (self); p++)
    size += (gsize) self->stride[p] * self->plane_height[p];
  return size;
}

/* (nullable): the pixels of an RGB(A) raster. */
GdkPixbuf *
fl_raster_get_pixbuf (FlRaster *self)
{
  g_return_val_if_fail (FL_IS_RASTER (self), NULL);
  return self->pixbuf;
}

/* (nullable): a plane of a Y'CbCr raster, for the decoder to fill. */
guint8 *
fl_raster_get_plane (FlRaster *self, FlRasterPlane plane, int *width, int *height, int *stride)
{
  g_return_val_if_fail (FL_IS_RASTER (self), NULL);

  if ((guint) plane >= n_planes (self))
    return NULL;
  if (width != NULL)
    *width = self->plane_width[plane];
  if (height != NULL)
    *height = self->plane_height[plane];
  if (stride != NULL)
    *stride = self->stride[plane];
  return self->planes[plane];
}

/* JFIF's full-range BT.601, in 16-bit fixed point, as libjpeg does. */
typedef struct
{
  int cr_r[256];
  int cb_b[256];
  int cr_g[256];
  int cb_g[256];
} ColorTables;

static const ColorTables *
color_tables (void)
{
  static ColorTables tables;
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      for (int i = 0; i < 256; i++)
        {
          int c = i - 128;

          tables.cr_r[i] = (int) (1.40200 * 65536 * c + 32768) >> 16;
          tables.cb_b[i] = (int) (1.77200 * 65536 * c + 32768) >> 16;
          tables.cr_g[i] = (int) (-0.71414 * 65536 * c);
          tables.cb_g[i] = (int) (-0.34414 * 65536 * c + 32768);
        }
      g_once_init_leave (&ready, 1);
    }
  return &tables;
}

static inline guint8
clamp_byte (int v)
{
  return (guint8) (v < 0 ? 0 : v > 255 ? 255 : v);
}

static inline void
put_rgb (guint8 *out, const ColorTables *t, int l, int cb, int cr)
{
  out[0] = clamp_byte (l + t->cr_r[cr]);
  out[1] = clamp_byte (l + ((t->cb_g[cb] + t->cr_g[cr]) >> 16));
  out[2] = clamp_byte (l + t->cb_b[cb]);
}

static void
convert_row (FlRaster *self, const ColorTables *t, int x, int y, int width, guint8 *out)
{
  const guint8 *luma = self->planes[0] + (gsize) y * self->stride[0] + x;
  const guint8 *cb, *cr;
  guint sx = self->shift_x;

  if (self->gray)
    {
      for (int i = 0; i < width; i++, out += 3)
        out[0] = out[1] = out[2] = luma[i];
      return;
    }
  cb = self->planes[1] + (gsize) (y >> self->shift_y) * self->stride[1];
  cr = self->planes[2] + (gsize) (y >> self->shift_y) * self->stride[2];
  for (int i = 0; i < width; i++, out += 3)
    {
      int c = (x + i) >> sx;
      int l = luma[i];

      put_rgb (out, t, l, cb[c], cr[c]);
    }
}

static void halve_pixbuf_rows (GdkPixbuf *src, GdkPixbuf *dest, int first, int end);

/* As convert_row (), but with chroma halved along a side interpolated as
 * libjpeg's "fancy" upsampling does: each pixel weighs the chroma sample it
 * lies in three times, the next one across the nearer edge once. Edges of
 * colour then look as other viewers show them, not in steps of two pixels. */
static void
convert_row_smooth (FlRaster *self, const ColorTables *t, int x, int y, int width, guint8 *out)
{
  guint sx = self->shift_x, sy = self->shift_y;
  const guint8 *luma = self->planes[0] + (gsize) y * self->stride[0] + x;
  const guint8 *cb0, *cb1, *cr0, *cr1;
  int last_x, cy, near_y;

  if (self->gray || sx > 1 || sy > 1 || (sx == 0 && sy == 0))
    {
      convert_row (self, t, x, y, width, out);
      return;
    }
  last_x = self->plane_width[1] - 1;
  cy = y >> sy;
  near_y = sy == 0 ? cy : CLAMP ((y & 1) ? cy + 1 : cy - 1, 0, self->plane_height[1] - 1);
  cb0 = self->planes[1] + (gsize) cy * self->stride[1];
  cb1 = self->planes[1] + (gsize) near_y * self->stride[1];
  cr0 = self->planes[2] + (gsize) cy * self->stride[2];
  cr1 = self->planes[2] + (gsize) near_y * self->stride[2];
  for (int i = 0; i < width; i++, out += 3)
    {
      int px = x + i, cx = px >> sx;
      int nx = sx == 0 ? cx : CLAMP ((px & 1) ? cx + 1 : cx - 1, 0, last_x);
      int l = luma[i], b, r;

      if (sx == 1 && sy == 1)
        {
          b = (9 * cb0[cx] + 3 * cb0[nx] + 3 * cb1[cx] + cb1[nx] + 8) >> 4;
          r = (9 * cr0[cx] + 3 * cr0[nx] + 3 * cr1[cx] + cr1[nx] + 8) >> 4;
        }
      else if (sx == 1)
        {
          b = (3 * cb0[cx] + cb0[nx] + 2) >> 2;
          r = (3 * cr0[cx] + cr0[nx] + 2) >> 2;
        }
      else
        {
          b = (3 * cb0[cx] + cb1[cx] + 2) >> 2;
          r = (3 * cr0[cx] + cr1[cx] + 2) >> 2;
        }
      put_rgb (out, t, l, b, r);
    }
}

/* Region (@x, @y, @width, @height) of @parent at half the size. Planes are
 * averaged before they are converted: a quarter of the conversions. */
static GBytes *
read_half (FlRaster *parent, int x, int y, int width, int height, gsize *stride)
{
  const ColorTables *t = color_tables ();
  gsize row_bytes;
  guint8 *pixels;

  if (parent->pixbuf != NULL || parent->parent != NULL)
    {
      int px = 2 * x, py = 2 * y;
      int pw = MIN (2 * width, parent->width - px), ph = MIN (2 * height, parent->height - py);
      gsize parent_stride;
      g_autoptr (GBytes) bytes = fl_raster_read (parent, px, py, pw, ph, &parent_stride);
      g_autoptr (GdkPixbuf) source =
        gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB, fl_raster_get_has_alpha (parent), 8,
                                   pw, ph, (int) parent_stride);
      g_autoptr (GdkPixbuf) half = gdk_pixbuf_new (
        GDK_COLORSPACE_RGB, fl_raster_get_has_alpha (parent), 8, (pw + 1) / 2, (ph + 1) / 2);

      halve_pixbuf_rows (source, half, 0, height);
      *stride = gdk_pixbuf_get_rowstride (half);
      return g_bytes_new_with_free_func (gdk_pixbuf_read_pixels (half),
                                         (gsize) (height - 1) * *stride +
                                           (gsize) width * gdk_pixbuf_get_n_channels (half),
                                         g_object_unref, g_object_ref (half));
    }

  row_bytes = ((gsize) width * 3 + 3) & ~(gsize) 3;
  pixels = g_malloc (row_bytes * height);
  for (int row = 0; row < height; row++)
    {
      int y0 = 2 * (y + row), y1 = MIN (y0 + 1, parent->height - 1);
      const guint8 *l0 = parent->planes[0] + (gsize) y0 * parent->stride[0];
      const guint8 *l1 = parent->planes[0] + (gsize) y1 * parent->stride[0];
      const guint8 *cb0 = NULL, *cb1 = NULL, *cr0 = NULL, *cr1 = NULL;
      guint8 *out = pixels + row_bytes * row;

      if (!parent->gray)
        {
          cb0 = parent->planes[1] + (gsize) (y0 >> parent->shift_y) * parent->stride[1];
          cb1 = parent->planes[1] + (gsize) (y1 >> parent->shift_y) * parent->stride[1];
          cr0 = parent->planes[2] + (gsize) (y0 >> parent->shift_y) * parent->stride[2];
          cr1 = parent->planes[2] + (gsize) (y1 >> parent->shift_y) * parent->stride[2];
        }
      for (int i = 0; i < width; i++, out += 3)
        {
          int x0 = 2 * (x + i), x1 = MIN (x0 + 1, parent->width - 1);
          int l = (l0[x0] + l0[x1] + l1[x0] + l1[x1] + 2) >> 2;
          int a, b, cb, cr;

          if (parent->gray)
            {
              out[0] = out[1] = out[2] = (guint8) l;
              continue;
            }
          a = x0 >> parent->shift_x;
          b = x1 >> parent->shift_x;
          cb = (cb0[a] + cb0[b] + cb1[a] + cb1[b] + 2) >> 2;
          cr = (cr0[a] + cr0[b] + cr1[a] + cr1[b] + 2) >> 2;
          put_rgb (out, t, l, cb, cr);
        }
    }
  *stride = row_bytes;
  return g_bytes_new_take (pixels, row_bytes * height);
}

/* The RGB(A) pixels of a region, @stride bytes a row: the pixbuf's own
 * memory for an RGB raster, a conversion of the planes otherwise. */
GBytes *
fl_raster_read (FlRaster *self, int x, int y, int width, int height, gsize *stride)
{
  const ColorTables *tables;
  gsize row_bytes;
  guint8 *pixels;

  g_return_val_if_fail (FL_IS_RASTER (self), NULL);
  g_return_val_if_fail (x >= 0 && y >= 0 && width > 0 && height > 0, NULL);
  g_return_val_if_fail (x + width <= self->width && y + height <= self->height, NULL);
  g_return_val_if_fail (stride != NULL, NULL);

  if (self->pixbuf != NULL)
    {
      int pixbuf_stride = gdk_pixbuf_get_rowstride (self->pixbuf);
      int channels = gdk_pixbuf_get_n_channels (self->pixbuf);
      const guint8 *base = gdk_pixbuf_read_pixels (self->pixbuf);

      *stride = pixbuf_stride;
      return g_bytes_new_with_free_func (base + (gsize) y * pixbuf_stride + (gsize) x * channels,
                                         (gsize) (height - 1) * pixbuf_stride +
                                           (gsize) width * channels,
                                         g_object_unref, g_object_ref (self->pixbuf));
    }

  if (self->parent != NULL)
    return read_half (self->parent, x, y, width, height, stride);

  tables = color_tables ();
  row_bytes = ((gsize) width * 3 + 3) & ~(gsize) 3;
  pixels = g_malloc (row_bytes * height);
  for (int row = 0; row < height; row++)
    convert_row_smooth (self, tables, x, y + row, width, pixels + row_bytes * row);
  *stride = row_bytes;
  return g_bytes_new_take (pixels, row_bytes * height);
}

/* Rows [@first, @end) of @self, Y'CbCr planes, into @rgb, an RGB raster of
 * the same size. */
void
fl_raster_convert_rows (FlRaster *self, FlRaster *rgb, int first, int end)
{
  const ColorTables *tables = color_tables ();
  int stride;
  guint8 *pixels;

  g_return_if_fail (FL_IS_RASTER (self) && n_planes (self) > 0);
  g_return_if_fail (FL_IS_RASTER (rgb) && rgb->pixbuf != NULL);
  g_return_if_fail (!gdk_pixbuf_get_has_alpha (rgb->pixbuf));
  g_return_if_fail (rgb->width == self->width && rgb->height == self->height);

  stride = gdk_pixbuf_get_rowstride (rgb->pixbuf);
  pixels = gdk_pixbuf_get_pixels (rgb->pixbuf);
  for (int row = MAX (first, 0); row < MIN (end, self->height); row++)
    convert_row (self, tables, 0, row, self->width, pixels + (gsize) row * stride);
}

/* The whole raster as a pixbuf: the same one for an RGB raster. */
GdkPixbuf *
fl_raster_to_pixbuf (FlRaster *self)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize stride;

  g_return_val_if_fail (FL_IS_RASTER (self), NULL);

  if (self->pixbuf != NULL)
    return g_object_ref (self->pixbuf);
  bytes = fl_raster_read (self, 0, 0, self->width, self->height, &stride);
  return gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB, FALSE, 8, self->width, self->height,
                                    (int) stride);
}

/* A raster of the same kind at half the size (rounded up), not yet filled;
 * NULL when the memory is not there. */
FlRaster *
fl_raster_new_half (FlRaster *self)
{
  int width, height;

  g_return_val_if_fail (FL_IS_RASTER (self), NULL);

  width = (self->width + 1) / 2;
  height = (self->height + 1) / 2;
  if (self->pixbuf != NULL || self->parent != NULL)
    {
      g_autoptr (GdkPixbuf) half = gdk_pixbuf_new (
        GDK_COLORSPACE_RGB, gdk_pixbuf_get_has_alpha (self->pixbuf), 8, width, height);

      return half != NULL ? fl_raster_new_for_pixbuf (half) : NULL;
    }
  return fl_raster_new_ycbcr (width, height, self->shift_x, self->shift_y, self->gray);
}

/* Rows [@first, @end) of @dest, @src at half the size: each pixel the mean
 * of the 2 x 2 block it covers (an odd last row or column counts twice),
 * weighted by alpha as gdk-pixbuf does not premultiply. */
static void
halve_pixbuf_rows (GdkPixbuf *src, GdkPixbuf *dest, int first, int end)
{
  int src_width = gdk_pixbuf_get_width (src);
  int src_height = gdk_pixbuf_get_height (src);
  int src_stride = gdk_pixbuf_get_rowstride (src);
  int channels = gdk_pixbuf_get_n_channels (src);
  gboolean alpha = gdk_pixbuf_get_has_alpha (src);
  int width = gdk_pixbuf_get_width (dest);
  const guint8 *src_pixels = gdk_pixbuf_read_pixels (src);

  for (int y = first; y < end; y++)
    {
      const guint8 *r0 = src_pixels + (gsize) (2 * y) * src_stride;
      const guint8 *r1 = src_pixels + (gsize) MIN (2 * y + 1, src_height - 1) * src_stride;
      guint8 *out = gdk_pixbuf_get_pixels (dest) + (gsize) y * gdk_pixbuf_get_rowstride (dest);

      for (int x = 0; x < width; x++, out += channels)
        {
          int a = 2 * x * channels;
          int b = MIN (2 * x + 1, src_width - 1) * channels;

          if (!alpha)
            {
              out[0] = (r0[a] + r0[b] + r1[a] + r1[b] + 2) >> 2;
              out[1] = (r0[a + 1] + r0[b + 1] + r1[a + 1] + r1[b + 1] + 2) >> 2;
              out[2] = (r0[a + 2] + r0[b + 2] + r1[a + 2] + r1[b + 2] + 2) >> 2;
            }
          else
            {
              guint w = r0[a + 3] + r0[b + 3] + r1[a + 3] + r1[b + 3];

              for (int c = 0; c < 3; c++)
                out[c] = w == 0 ? 0
                                : (r0[a + c] * r0[a + 3] + r0[b + c] * r0[b + 3] +
                                   r1[a + c] * r1[a + 3] + r1[b + c] * r1[b + 3] + w / 2) /
                                    w;
              out[3] = (w + 2) >> 2;
            }
        }
    }
}

static void
halve_plane_rows (const guint8 *src, int src_width, int src_height, int src_stride, guint8 *dest,
                  int width, int dest_stride, int first, int end)
{
  int pairs = src_width / 2;

  for (int y = first; y < end; y++)
    {
      const guint8 *r0 = src + (gsize) (2 * y) * src_stride;
      const guint8 *r1 = src + (gsize) MIN (2 * y + 1, src_height - 1) * src_stride;
      guint8 *out = dest + (gsize) y * dest_stride;
      int x;

      for (x = 0; x < MIN (pairs, width); x++)
        out[x] = (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1] + 2) >> 2;
      for (; x < width; x++)
        {
          int a = MIN (2 * x, src_width - 1);

          out[x] = (r0[a] + r1[a] + 1) >> 1;
        }
    }
}

/* Fills rows [@first, @end) of one plane of @half (made by
 * fl_raster_new_half ()) from @self; an RGB raster has one plane, Y. The
 * rows of each plane can be made as soon as the rows they cover are. */
void
fl_raster_halve_rows (FlRaster *self, FlRaster *half, FlRasterPlane plane, int first, int end)
{
  g_return_if_fail (FL_IS_RASTER (self));
  g_return_if_fail (FL_IS_RASTER (half));

  if (self->pixbuf != NULL)
    {
      g_return_if_fail (plane == FL_RASTER_PLANE_Y && half->pixbuf != NULL);
      end = MIN (end, half->height);
      halve_pixbuf_rows (self->pixbuf, half->pixbuf, first, end);
      return;
    }
  g_return_if_fail ((guint) plane < n_planes (self) && (guint) plane < n_planes (half));
  end = MIN (end, half->plane_height[plane]);
  if (first >= end)
    return;
  halve_plane_rows (self->planes[plane], self->plane_width[plane], self->plane_height[plane],
                    self->stride[plane], half->planes[plane], half->plane_width[plane],
                    half->stride[plane], first, end);
}

FlRaster *
fl_raster_halve (FlRaster *self)
{
  FlRaster *half;

  g_return_val_if_fail (FL_IS_RASTER (self), NULL);

  if (self->parent != NULL)
    {
      g_autoptr (GdkPixbuf) pixbuf = fl_raster_to_pixbuf (self);
      g_autoptr (FlRaster) made = fl_raster_new_for_pixbuf (pixbuf);

      return fl_raster_halve (made);
    }
  half = fl_raster_new_half (self);
  if (half == NULL)
    return NULL;
  if (self->pixbuf != NULL)
    fl_raster_halve_rows (self, half, FL_RASTER_PLANE_Y, 0, half->height);
  for (guint p = 0; p < n_planes (self); p++)
    fl_raster_halve_rows (self, half, p, 0, half->plane_height[p]);
  return half;
}

/* Where pixel (x, y) of the turned plane comes from, for EXIF orientation
 * @orientation of a @width x @height plane. */
static inline void
oriented_source (guint orientation, int width, int height, int x, int y, int *sx, int *sy)
{
  switch (orientation)
    {
      case 2:
        *sx = width - 1 - x, *sy = y;
        break;
      case 3:
        *sx = width - 1 - x, *sy = height - 1 - y;
        break;
      case 4:
        *sx = x, *sy = height - 1 - y;
        break;
      case 5:
        *sx = y, *sy = x;
        break;
      case 6:
        *sx = y, *sy = height - 1 - x;
        break;
      case 7:
        *sx = width - 1 - y, *sy = height - 1 - x;
        break;
      case 8:
        *sx = width - 1 - y, *sy = x;
        break;
      default:
        *sx = x, *sy = y;
        break;
    }
}

#define ORIENT_BLOCK 64

/* In blocks, so that a quarter turn reads and writes within the cache. */
static void
orient_plane (const guint8 *src, int width, int height, int src_stride, guint8 *dest,
              int dest_stride, guint orientation)
{
  gboolean turned = orientation >= 5;
  int dest_width = turned ? height : width;
  int dest_height = turned ? width : height;
  int x0, y0, x1, y1;
  gssize step;

  /* Along a row of the turned plane, the source moves by a fixed step. */
  oriented_source (orientation, width, height, 0, 0, &x0, &y0);
  oriented_source (orientation, width, height, 1, 0, &x1, &y1);
  step = (gssize) (y1 - y0) * src_stride + (x1 - x0);
  for (int by = 0; by < dest_height; by += ORIENT_BLOCK)
    for (int bx = 0; bx < dest_width; bx += ORIENT_BLOCK)
      for (int y = by; y < MIN (by + ORIENT_BLOCK, dest_height); y++)
        {
          guint8 *out = dest + (gsize) y * dest_stride;
          const guint8 *in;
          int sx, sy;

          oriented_source (orientation, width, height, bx, y, &sx, &sy);
          in = src + (gsize) sy * src_stride + sx;
          for (int x = bx; x < MIN (bx + ORIENT_BLOCK, dest_width); x++, in += step)
            out[x] = *in;
        }
}

/* @self as EXIF orientation @orientation (1 to 8) says it is to be shown;
 * NULL when the memory is not there. */
FlRaster *
fl_raster_orient (FlRaster *self, guint orientation)
{
  g_autoptr (FlRaster) oriented = NULL;
  gboolean turned = orientation >= 5 && orientation <= 8;
  gboolean flips_x = orientation == 2 || orientation == 3 || orientation == 7 || orientation == 8;
  gboolean flips_y = orientation == 3 || orientation == 4 || orientation == 6 || orientation == 7;

  g_return_val_if_fail (FL_IS_RASTER (self), NULL);

  if (orientation < 2 || orientation > 8)
    return g_object_ref (self);
  if (self->parent != NULL)
    {
      g_autoptr (GdkPixbuf) pixbuf = fl_raster_to_pixbuf (self);
      g_autoptr (FlRaster) made = fl_raster_new_for_pixbuf (pixbuf);

      return fl_raster_orient (made, orientation);
    }
  if (self->pixbuf != NULL)
    {
      static const struct
      {
        GdkPixbufRotation rotation;
        gboolean flip;
      } steps[] = {
        [2] = { GDK_PIXBUF_ROTATE_NONE, TRUE },
        [3] = { GDK_PIXBUF_ROTATE_UPSIDEDOWN, FALSE },
        [4] = { GDK_PIXBUF_ROTATE_UPSIDEDOWN, TRUE },
        [5] = { GDK_PIXBUF_ROTATE_CLOCKWISE, TRUE },
        [6] = { GDK_PIXBUF_ROTATE_CLOCKWISE, FALSE },
        [7] = { GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE, TRUE },
        [8] = { GDK_PIXBUF_ROTATE_COUNTERCLOCKWISE, FALSE },
      };
      g_autoptr (GdkPixbuf) rotated =
        gdk_pixbuf_rotate_simple (self->pixbuf, steps[orientation].rotation);
      g_autoptr (GdkPixbuf) flipped = NULL;

      if (rotated == NULL)
        return NULL;
      if (!steps[orientation].flip)
        return fl_raster_new_for_pixbuf (rotated);
      flipped = gdk_pixbuf_flip (rotated, TRUE);
      return flipped != NULL ? fl_raster_new_for_pixbuf (flipped) : NULL;
    }

  /* A plane flipped along a side that is not a whole number of chroma
   * samples would move the chroma by a pixel: such a raster turns as RGB. */
  if ((flips_x && self->width % (1 << self->shift_x) != 0) ||
      (flips_y && self->height % (1 << self->shift_y) != 0))
    {
      g_autoptr (GdkPixbuf) pixbuf = fl_raster_to_pixbuf (self);
      g_autoptr (FlRaster) rgb = fl_raster_new_for_pixbuf (pixbuf);

      return fl_raster_orient (rgb, orientation);
    }
  oriented = fl_raster_new_ycbcr (
    turned ? self->height : self->width, turned ? self->width : self->height,
    turned ? self->shift_y : self->shift_x, turned ? self->shift_x : self->shift_y, self->gray);
  if (oriented == NULL)
    return NULL;
  for (guint p = 0; p < n_planes (self); p++)
    orient_plane (self->planes[p], self->plane_width[p], self->plane_height[p], self->stride[p],
                  oriented->planes[p], oriented->stride[p], orientation);
  return g_steal_pointer (&oriented);
}

/* Where a row or column of a resampled raster reads: two neighbours and
 * the weight of the second, out of 256. */
typedef struct
{
  int first;
  int second;
  int weight;
} Tap;

static Tap *
make_taps (double origin, double step, int n, int size, gboolean smooth)
{
  Tap *taps = g_new (Tap, n);

  for (int i = 0; i < n; i++)
    {
      double centre = origin + (i + 0.5) * step;

      if (smooth)
        {
          /* Between the pixel centres on either side. */
          double s = centre - 0.5;
          double k = floor (s);

          taps[i].first = (int) CLAMP (k, 0, size - 1);
          taps[i].second = (int) CLAMP (k + 1, 0, size - 1);
          taps[i].weight = (int) ((s - k) * 256 + 0.5);
        }
      else
        {
          taps[i].first = taps[i].second = (int) CLAMP (floor (centre), 0, size - 1);
          taps[i].weight = 0;
        }
    }
  return taps;
}

static inline int
lerp (int a, int b, int weight)
{
  return (a * (256 - weight) + b * weight + 128) >> 8;
}

static inline int
bilinear (const guint8 *row0, const guint8 *row1, const Tap *tx, int wy, int channels, int c)
{
  return lerp (lerp (row0[tx->first * channels + c], row0[tx->second * channels + c], tx->weight),
               lerp (row1[tx->first * channels + c], row1[tx->second * channels + c], tx->weight),
               wy);
}

static void
sample_pixbuf (GdkPixbuf *pixbuf, const Tap *tx, const Tap *ty, guint8 *dest, int dest_stride,
               int width, int height)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);

  for (int j = 0; j < height; j++)
    {
      const guint8 *row0 = pixels + (gsize) ty[j].first * stride;
      const guint8 *row1 = pixels + (gsize) ty[j].second * stride;
      guint32 *out = (guint32 *) (dest + (gsize) j * dest_stride);
      int wy = ty[j].weight;

      for (int i = 0; i < width; i++)
        out[i] = 0xff000000u | (guint32) bilinear (row0, row1, &tx[i], wy, channels, 0) << 16 |
                 (guint32) bilinear (row0, row1, &tx[i], wy, channels, 1) << 8 |
                 (guint32) bilinear (row0, row1, &tx[i], wy, channels, 2);
    }
}

/* Fills @dest, @width x @height pixels of 32 bits (cairo's native xRGB)
 * @dest_stride bytes apart, with the raster resampled: pixel (i, j) shows
 * the raster at (@x + (i + 0.5) * @step, @y + (j + 0.5) * @step), raster
 * pixel k spanning [k, k + 1). Bilinear when @smooth, the nearest pixel
 * otherwise; past the edges, the edge. Chroma planes are interpolated at
 * their own resolution. Alpha is not kept. Safe in any thread. */
void
fl_raster_sample (FlRaster *self, double x, double y, double step, gboolean smooth, guint8 *dest,
                  int dest_stride, int width, int height)
{
  const ColorTables *t = color_tables ();
  g_autofree Tap *tx = NULL, *ty = NULL, *cx = NULL, *cy = NULL;

  g_return_if_fail (FL_IS_RASTER (self));
  g_return_if_fail (step > 0 && width > 0 && height > 0 && dest != NULL);

  /* A half-size raster read from its parent: the same points, there. */
  if (self->parent != NULL)
    {
      fl_raster_sample (self->parent, x * 2, y * 2, step * 2, smooth, dest, dest_stride, width,
                        height);
      return;
    }
  tx = make_taps (x, step, width, self->width, smooth);
  ty = make_taps (y, step, height, self->height, smooth);
  if (self->pixbuf != NULL)
    {
      sample_pixbuf (self->pixbuf, tx, ty, dest, dest_stride, width, height);
      return;
    }
  if (!self->gray)
    {
      cx = make_taps (x / (1 << self->shift_x), step / (1 << self->shift_x), width,
                      self->plane_width[1], smooth);
      cy = make_taps (y / (1 << self->shift_y), step / (1 << self->shift_y), height,
                      self->plane_height[1], smooth);
    }
  for (int j = 0; j < height; j++)
    {
      const guint8 *l0 = self->planes[0] + (gsize) ty[j].first * self->stride[0];
      const guint8 *l1 = self->planes[0] + (gsize) ty[j].second * self->stride[0];
      guint32 *out = (guint32 *) (dest + (gsize) j * dest_stride);
      const guint8 *b0, *b1, *r0, *r1;

      if (self->gray)
        {
          for (int i = 0; i < width; i++)
            {
              guint32 l = (guint32) bilinear (l0, l1, &tx[i], ty[j].weight, 1, 0);

              out[i] = 0xff000000u | l << 16 | l << 8 | l;
            }
          continue;
        }
      b0 = self->planes[1] + (gsize) cy[j].first * self->stride[1];
      b1 = self->planes[1] + (gsize) cy[j].second * self->stride[1];
      r0 = self->planes[2] + (gsize) cy[j].first * self->stride[2];
      r1 = self->planes[2] + (gsize) cy[j].second * self->stride[2];
      for (int i = 0; i < width; i++)
        {
          int l = bilinear (l0, l1, &tx[i], ty[j].weight, 1, 0);
          int cb = bilinear (b0, b1, &cx[i], cy[j].weight, 1, 0);
          int cr = bilinear (r0, r1, &cx[i], cy[j].weight, 1, 0);
          guint8 rgb[3];

          put_rgb (rgb, t, l, cb, cr);
          out[i] = 0xff000000u | (guint32) rgb[0] << 16 | (guint32) rgb[1] << 8 | rgb[2];
        }
    }
}
