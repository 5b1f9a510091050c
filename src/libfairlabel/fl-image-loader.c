/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageLoader"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "fl-image-jpeg.h"
#include "fl-image-loader.h"

/* Loads an image off the main thread as a pyramid of levels (FlRaster),
 * level n being the image scaled by 1/2^n, each announced by "level-ready" on the thread
 * default main context of the caller. A large JPEG is decoded twice at once,
 * on two threads: at 1/8 scale (libjpeg's DCT scaling, a fraction of the
 * cost) for a quick first frame, and at full size. The coarser levels are
 * then made from the full decode so that the canvas never scales a huge
 * texture down on the fly. */

struct _FlImageLoader
{
  GObject parent_instance;

  guint64 max_pixels;
};

G_DEFINE_FINAL_TYPE (FlImageLoader, fl_image_loader, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl - image - loader - error - quark, fl_image_loader_error)

enum
{
  SIZE_KNOWN,
  LEVEL_READY,
  LEVEL_ROWS_READY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Levels stop once an image fits in this many pixels a side. */
#define COARSEST_SIDE 1024
#define PREVIEW_LEVEL 3
#define PREVIEW_MIN_PIXELS (4 * 1000 * 1000)
/* Levels from this one on are RGB even when the image is decoded to planes. */
#define RGB_LEVEL 2

static const char *const supported_formats[] = { "jpeg", "png", "webp", "tiff", NULL };

typedef struct
{
  gatomicrefcount ref_count;
  FlImageLoader *loader;
  GMainContext *context;
  GCancellable *cancellable;
  char *path;
  gint64 start;
  int file_width;
  int file_height;
  GMutex mutex;
  guint delivered;
  int quarter_rows_told;
} LoadData;

static LoadData *
load_data_ref (LoadData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

static void
load_data_unref (LoadData *data)
{
  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;
  g_object_unref (data->loader);
  g_main_context_unref (data->context);
  g_clear_object (&data->cancellable);
  g_free (data->path);
  g_mutex_clear (&data->mutex);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_unref)

typedef struct
{
  LoadData *data;
  guint level;
  FlRaster *raster;
  int width;
  int height;
  /* For "level-rows-ready": the rows of the level made so far. */
  int rows;
} Delivery;

static void
delivery_free (gpointer user_data)
{
  Delivery *delivery = user_data;

  load_data_unref (delivery->data);
  g_clear_object (&delivery->raster);
  g_free (delivery);
}

static gboolean
deliver_in_main (gpointer user_data)
{
  Delivery *delivery = user_data;

  if (g_cancellable_is_cancelled (delivery->data->cancellable))
    return G_SOURCE_REMOVE;
  if (delivery->raster == NULL)
    g_signal_emit (delivery->data->loader, signals[SIZE_KNOWN], 0, delivery->width,
                   delivery->height);
  else if (delivery->rows > 0)
    g_signal_emit (delivery->data->loader, signals[LEVEL_ROWS_READY], 0, delivery->level,
                   delivery->raster, delivery->rows);
  else
    g_signal_emit (delivery->data->loader, signals[LEVEL_READY], 0, delivery->level,
                   delivery->raster, delivery->width, delivery->height);
  return G_SOURCE_REMOVE;
}

#define SIZE_ANNOUNCED 31

static Delivery *
delivery_new (LoadData *data, guint level, FlRaster *raster)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->data = load_data_ref (data);
  delivery->level = level;
  delivery->raster = raster != NULL ? g_object_ref (raster) : NULL;
  return delivery;
}

/* Hands @delivery to the caller's thread. Not g_main_context_invoke (): it
 * runs the callback in this thread when the context happens to be free. */
static void
post_delivery (Delivery *delivery)
{
  g_autoptr (GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_in_main, delivery, delivery_free);
  g_source_set_static_name (source, "[fl] image level delivery");
  g_source_attach (source, delivery->data->context);
}

/* Called from the worker threads; each level is delivered once, after the
 * size (level SIZE_ANNOUNCED, without a pixbuf). */
static void
deliver (LoadData *data, guint level, FlRaster *raster, int width, int height)
{
  Delivery *delivery;
  gboolean first;

  if (level != SIZE_ANNOUNCED)
    deliver (data, SIZE_ANNOUNCED, NULL, width, height);
  g_mutex_lock (&data->mutex);
  first = (data->delivered & (1u << level)) == 0;
  data->delivered |= 1u << level;
  g_mutex_unlock (&data->mutex);
  if (!first)
    return;

  if (raster == NULL)
    g_debug ("%s: %d x %d after %.3f s", data->path, width, height,
             (g_get_monotonic_time () - data->start) / 1e6);
  else
    g_debug ("%s: level %u after %.3f s", data->path, level,
             (g_get_monotonic_time () - data->start) / 1e6);
  delivery = delivery_new (data, level, raster);
  delivery->width = width;
  delivery->height = height;
  post_delivery (delivery);
}

static gboolean
swaps_sides (GdkPixbuf *pixbuf)
{
  const char *orientation = gdk_pixbuf_get_option (pixbuf, "orientation");

  /* EXIF orientations 5 to 8 turn the image by a quarter. */
  return orientation != NULL && orientation[0] >= '5' && orientation[0] <= '8' &&
         orientation[1] == '\0';
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  gdk_pixbuf_loader_set_size (loader, MAX (1, (width + 7) / 8), MAX (1, (height + 7) / 8));
}

/* The header is read: the size after EXIF orientation is known long before
 * any pixel, so shapes can be laid out while the decoders run. */
static void
on_area_prepared (GdkPixbufLoader *loader, gpointer user_data)
{
  LoadData *data = user_data;
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  gboolean swap = pixbuf != NULL && swaps_sides (pixbuf);

  deliver (data, SIZE_ANNOUNCED, NULL, swap ? data->file_height : data->file_width,
           swap ? data->file_width : data->file_height);
}

/* The 1/8 preview from the DC coefficients alone (see
 * fl_image_jpeg_decode_eighth ()), as RGB in the image's orientation;
 * NULL for a JPEG it does not read. */
static FlRaster *
scan_preview (LoadData *data, const guint8 *contents, gsize length, GCancellable *cancellable,
              gboolean *swap)
{
  guint orientation = fl_image_jpeg_read_orientation (contents, length);
  g_autoptr (FlRaster) planes = NULL;
  g_autoptr (FlRaster) oriented = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  /* EXIF orientations 5 to 8 turn the image by a quarter. */
  *swap = orientation >= 5 && orientation <= 8;
  deliver (data, SIZE_ANNOUNCED, NULL, *swap ? data->file_height : data->file_width,
           *swap ? data->file_width : data->file_height);
  planes = fl_image_jpeg_decode_eighth (contents, length, cancellable);
  if (planes == NULL)
    return NULL;
  oriented = fl_raster_orient (planes, orientation);
  pixbuf = oriented != NULL ? fl_raster_to_pixbuf (oriented) : NULL;
  return pixbuf != NULL ? fl_raster_new_for_pixbuf (pixbuf) : NULL;
}

/* libjpeg's 1/8 scaling through gdk-pixbuf, for what the DC scan leaves. */
static FlRaster *
decode_preview (LoadData *data, const guint8 *contents, gsize length, gboolean *swap)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr (GdkPixbuf) oriented = NULL;
  GdkPixbuf *pixbuf;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), NULL);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), data);
  /* A damaged file is reported by the full decode, not here. */
  if (!gdk_pixbuf_loader_write (loader, contents, length, NULL) ||
      !gdk_pixbuf_loader_close (loader, NULL) ||
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) == NULL)
    {
      gdk_pixbuf_loader_close (loader, NULL);
      return NULL;
    }
  *swap = swaps_sides (pixbuf);
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  return fl_raster_new_for_pixbuf (oriented);
}

static void
preview_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (FlRaster) raster = NULL;
  const guint8 *contents;
  gsize length;
  gboolean swap;

  mapped = g_mapped_file_new (data->path, FALSE, NULL);
  if (mapped == NULL || g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  contents = (const guint8 *) g_mapped_file_get_contents (mapped);
  length = g_mapped_file_get_length (mapped);
  raster = scan_preview (data, contents, length, cancellable, &swap);
  if (raster == NULL && !g_cancellable_is_cancelled (cancellable))
    raster = decode_preview (data, contents, length, &swap);
  if (raster == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  deliver (data, PREVIEW_LEVEL, raster, swap ? data->file_height : data->file_width,
           swap ? data->file_width : data->file_height);
  g_task_return_boolean (task, TRUE);
}

/* Tells a damaged image of a supported format from a file of another kind. */
static gboolean
has_image_signature (const char *path)
{
  static const struct
  {
    const char *bytes;
    gsize offset;
    gsize length;
  } signatures[] = {
    { "\xff\xd8\xff", 0, 3 }, { "\x89PNG\r\n\x1a\n", 0, 8 }, { "WEBP", 8, 4 }, { "II*\0", 0, 4 },
    { "MM\0*", 0, 4 },
  };
  guint8 head[16] = { 0 };
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = g_file_read (file, NULL, NULL);
  gsize got = 0;

  if (stream == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (stream), head, sizeof head, &got, NULL, NULL))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (signatures); i++)
    if (got >= signatures[i].offset + signatures[i].length &&
        memcmp (head + signatures[i].offset, signatures[i].bytes, signatures[i].length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
check_file (LoadData *data, const char **format_name, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (data->path);
  g_autoptr (GFileInfo) info = NULL;
  g_autoptr (GError) local_error = NULL;
  GdkPixbufFormat *format;
  g_autofree char *name = NULL;
  guint64 pixels;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL,
                            &local_error);
  if (info == NULL)
    {
      g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_NOT_FOUND,
                   _ ("The image cannot be read: %s"), local_error->message);
      return FALSE;
    }
  if (g_file_info_get_size (info) == 0)
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
                           _ ("The image file is empty"));
      return FALSE;
    }

  /* Reads only the header: the size is known before anything is decoded. */
  format = gdk_pixbuf_get_file_info (data->path, &data->file_width, &data->file_height);
  if (format == NULL && has_image_signature (data->path))
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
                           _ ("The image file is damaged: its header cannot be read"));
      return FALSE;
    }
  if (format == NULL)
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_UNSUPPORTED,
                           _ ("The file is not an image in a supported format "
                              "(JPEG, PNG, WebP or TIFF)"));
      return FALSE;
    }
  name = gdk_pixbuf_format_get_name (format);
  if (!g_strv_contains (supported_formats, name))
    {
      g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_UNSUPPORTED,
                   _ ("Images in the format “%s” are not supported; use JPEG, PNG, WebP or TIFF"),
                   name);
      return FALSE;
    }
  if (data->file_width <= 0 || data->file_height <= 0)
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
                           _ ("The image file is damaged: it gives no size"));
      return FALSE;
    }
  pixels = (guint64) data->file_width * (guint64) data->file_height;
  if (pixels > data->loader->max_pixels)
    {
      g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_TOO_LARGE,
                   _ ("The image is %d × %d pixels (%u megapixels), more than the %u "
                      "megapixels that can be opened safely; it was not decoded"),
                   data->file_width, data->file_height, (guint) MIN (pixels / 1000000, G_MAXUINT),
                   (guint) MIN (data->loader->max_pixels / 1000000, G_MAXUINT));
      return FALSE;
    }
  *format_name = g_intern_string (name);
  return TRUE;
}

/* The PNG loader also returns a cut-off image without complaint: walk the
 * chunks to IEND. */
static gboolean
png_is_complete (const guint8 *data, gsize length)
{
  gsize i = 8;

  while (i + 8 <= length)
    {
      guint64 chunk = (guint64) data[i] << 24 | data[i + 1] << 16 | data[i + 2] << 8 | data[i + 3];

      if (memcmp (data + i + 4, "IEND", 4) == 0)
        return TRUE;
      i += 12 + chunk;
    }
  return FALSE;
}

/* A RIFF container states its own length. */
static gboolean
webp_is_complete (const guint8 *data, gsize length)
{
  guint64 riff;

  if (length < 12)
    return FALSE;
  riff = (guint64) data[4] | data[5] << 8 | data[6] << 16 | (guint64) data[7] << 24;
  return riff + 8 <= length;
}

static gboolean
is_complete (const char *format_name, const guint8 *data, gsize length)
{
  if (g_str_equal (format_name, "jpeg"))
    return fl_image_jpeg_is_complete (data, length);
  if (g_str_equal (format_name, "png"))
    return png_is_complete (data, length);
  if (g_str_equal (format_name, "webp"))
    return webp_is_complete (data, length);
  return TRUE;
}

/* Halves the rows as the decoder writes them, while they are still in the
 * cache, so that the first finer level is ready when the decode is. A
 * progressive image writes its rows again at every pass, and so are they
 * halved again. */
static void
on_area_updated (GdkPixbufLoader *loader, int x, int y, int width, int height, gpointer user_data)
{
  FlRaster **half = user_data;
  GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  g_autoptr (FlRaster) full = fl_raster_new_for_pixbuf (pixbuf);
  int half_height;

  if (*half == NULL)
    *half = fl_raster_new_half (full);
  if (*half == NULL)
    return;
  half_height = fl_raster_get_height (*half);
  fl_raster_halve_rows (full, *half, FL_RASTER_PLANE_Y, y / 2,
                        y + height >= gdk_pixbuf_get_height (pixbuf) ? half_height
                                                                     : (y + height) / 2);
}

static GMappedFile *
map_whole_file (LoadData *data, const char *format_name, GError **error)
{
  g_autoptr (GMappedFile) mapped = NULL;
  g_autoptr (GError) local_error = NULL;

  mapped = g_mapped_file_new (data->path, FALSE, &local_error);
  if (mapped == NULL)
    {
      g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_NOT_FOUND,
                   _ ("The image cannot be read: %s"), local_error->message);
      return NULL;
    }
  if (!is_complete (format_name, (const guint8 *) g_mapped_file_get_contents (mapped),
                    g_mapped_file_get_length (mapped)))
    {
      g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
                           _ ("The image file is damaged or incomplete: its data ends early"));
      return NULL;
    }
  return g_steal_pointer (&mapped);
}

/* Also gives the image at half size in @half, when the decoder said which
 * rows it wrote; both turned as the EXIF orientation says. */
static FlRaster *
decode_with_pixbuf (GMappedFile *mapped, const char *format_name, FlRaster **half, GError **error)
{
  g_autoptr (GdkPixbufLoader) loader = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (FlRaster) unturned_half = NULL;
  GdkPixbuf *pixbuf;

  loader = gdk_pixbuf_loader_new_with_type (format_name, &local_error);
  if (loader != NULL)
    g_signal_connect (loader, "area-updated", G_CALLBACK (on_area_updated), &unturned_half);
  if (loader != NULL &&
      gdk_pixbuf_loader_write (loader, (const guchar *) g_mapped_file_get_contents (mapped),
                               g_mapped_file_get_length (mapped), &local_error) &&
      gdk_pixbuf_loader_close (loader, &local_error) &&
      (pixbuf = gdk_pixbuf_loader_get_pixbuf (loader)) != NULL)
    {
      g_autoptr (GdkPixbuf) full = gdk_pixbuf_apply_embedded_orientation (pixbuf);

      if (unturned_half != NULL)
        {
          GdkPixbuf *small = fl_raster_get_pixbuf (unturned_half);
          g_autoptr (GdkPixbuf) turned = NULL;

          gdk_pixbuf_copy_options (pixbuf, small);
          turned = gdk_pixbuf_apply_embedded_orientation (small);
          *half = fl_raster_new_for_pixbuf (turned);
        }
      return fl_raster_new_for_pixbuf (full);
    }

  if (loader != NULL)
    gdk_pixbuf_loader_close (loader, NULL);
  g_set_error (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_CORRUPT,
               _ ("The image file is damaged or incomplete: %s"),
               local_error != NULL ? local_error->message : _ ("no image in it"));
  return NULL;
}

/* The quarter-size level (level 2) while it is being made, every
 * QUARTER_ROWS_STEP rows: the view can upload its finished tiles while the
 * decoder goes on, instead of all of them once the decode is done. */
#define QUARTER_ROWS_STEP 128

static void
on_quarter_rows (FlRaster *quarter, int rows, gpointer user_data)
{
  LoadData *data = user_data;
  Delivery *delivery;

  if (MAX (data->file_width, data->file_height) <= COARSEST_SIDE ||
      (rows / QUARTER_ROWS_STEP == data->quarter_rows_told / QUARTER_ROWS_STEP &&
       rows < fl_raster_get_height (quarter)))
    return;
  data->quarter_rows_told = rows;
  delivery = delivery_new (data, 2, quarter);
  delivery->rows = rows;
  post_delivery (delivery);
}

/* A JPEG is kept as its Y'CbCr planes when it can be, and comes with its
 * quarter-size level in @quarter; anything else, and JPEGs in other colour
 * spaces, become RGB(A) pixbufs, with the half-size level in @half. */
static FlRaster *
decode_full (LoadData *data, const char *format_name, GCancellable *cancellable, FlRaster **half,
             FlRaster **quarter, GError **error)
{
  g_autoptr (GMappedFile) mapped = map_whole_file (data, format_name, error);
  g_autoptr (FlRaster) raster = NULL;
  g_autoptr (FlRaster) small = NULL;
  gboolean planar = FALSE;
  guint orientation = 1;

  if (mapped == NULL)
    return NULL;
  if (g_str_equal (format_name, "jpeg"))
    raster = fl_image_jpeg_decode_planes ((const guint8 *) g_mapped_file_get_contents (mapped),
                                          g_mapped_file_get_length (mapped), cancellable, &small,
                                          &orientation, &planar, on_quarter_rows, data, error);
  if (!planar)
    return decode_with_pixbuf (mapped, format_name, half, error);
  if (raster == NULL)
    return NULL;
  if (orientation != 1)
    {
      g_autoptr (FlRaster) turned = fl_raster_orient (raster, orientation);

      g_clear_object (&raster);
      if (small != NULL)
        {
          FlRaster *turned_small = fl_raster_orient (small, orientation);

          g_clear_object (&small);
          small = turned_small;
        }
      if (turned == NULL)
        {
          g_set_error_literal (error, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_TOO_LARGE,
                               _ ("There is not enough memory to open the image"));
          return NULL;
        }
      raster = g_steal_pointer (&turned);
    }
  *quarter = g_steal_pointer (&small);
  return g_steal_pointer (&raster);
}

static gboolean
is_progressive (LoadData *data)
{
  g_autoptr (GMappedFile) mapped = g_mapped_file_new (data->path, FALSE, NULL);

  return mapped != NULL &&
         fl_image_jpeg_is_progressive ((const guint8 *) g_mapped_file_get_contents (mapped),
                                       g_mapped_file_get_length (mapped));
}

static void
preview_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
}

/* Levels from the second on: kept as planes only while they are large;
 * the small ones become RGB once, being drawn whole and often. */
static FlRaster *
next_level (FlRaster *raster, guint number)
{
  g_autoptr (FlRaster) next = fl_raster_halve (raster);
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  if (next == NULL || number < RGB_LEVEL || fl_raster_get_pixbuf (next) != NULL)
    return g_steal_pointer (&next);
  pixbuf = fl_raster_to_pixbuf (next);
  return fl_raster_new_for_pixbuf (pixbuf);
}

static void
load_levels (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (FlRaster) full = NULL;
  g_autoptr (FlRaster) half = NULL;
  g_autoptr (FlRaster) quarter = NULL;
  g_autoptr (GPtrArray) levels = NULL;
  const char *format_name = NULL;
  int width, height;
  guint made;

  if (!check_file (data, &format_name, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Decoding a progressive JPEG twice would hold its coefficients twice
   * (120 MB for 40 MP): it gets no preview. */
  if (g_str_equal (format_name, "jpeg") &&
      (guint64) data->file_width * data->file_height >= PREVIEW_MIN_PIXELS &&
      !is_progressive (data))
    {
      g_autoptr (GTask) preview = g_task_new (NULL, cancellable, preview_done, NULL);

      g_task_set_task_data (preview, load_data_ref (data), (GDestroyNotify) load_data_unref);
      g_task_run_in_thread (preview, preview_thread);
    }

  full = decode_full (data, format_name, cancellable, &half, &quarter, &error);
  if (full == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  width = fl_raster_get_width (full);
  height = fl_raster_get_height (full);

  /* Handed over coarsest first: a whole-image view shows one of the coarse
   * levels, and the first frame after the decode is already sharp. Planes
   * at half the size cost a quarter of the full ones; read from those on
   * demand, they cost nothing. */
  levels = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (levels, g_object_ref (full));
  if (quarter != NULL && MAX (width, height) > COARSEST_SIDE)
    {
      g_ptr_array_add (levels, fl_raster_new_half_of (full));
      if (MAX (width, height) > 2 * COARSEST_SIDE)
        g_ptr_array_add (levels, g_steal_pointer (&quarter));
    }
  else if (half != NULL && MAX (width, height) > COARSEST_SIDE)
    g_ptr_array_add (levels, g_steal_pointer (&half));
  for (guint n = levels->len; n-- > 0;)
    deliver (data, n, g_ptr_array_index (levels, n), width, height);
  /* The coarser ones, each from the one before. */
  made = levels->len;
  while (MAX (fl_raster_get_width (g_ptr_array_index (levels, levels->len - 1)),
              fl_raster_get_height (g_ptr_array_index (levels, levels->len - 1))) > COARSEST_SIDE)
    {
      FlRaster *next;

      if (g_task_return_error_if_cancelled (task))
        return;
      next = next_level (g_ptr_array_index (levels, levels->len - 1), levels->len);
      if (next == NULL)
        break;
      g_ptr_array_add (levels, next);
    }
  for (guint n = levels->len; n-- > made;)
    deliver (data, n, g_ptr_array_index (levels, n), width, height);
  g_task_return_boolean (task, TRUE);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  load_levels (task, source, task_data, cancellable);
#ifdef __GLIBC__
  /* A large image leaves tens of MB freed in the middle of the heaps (the
   * half-size planes, the decoder's buffers); glibc keeps them until told. */
  malloc_trim (0);
#endif
}

static void
fl_image_loader_class_init (FlImageLoaderClass *klass)
{
  /* (int image_width, int image_height): the size after EXIF orientation,
   * before any "level-ready". */
  signals[SIZE_KNOWN] = g_signal_new ("size-known", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  /* (guint level, FlRaster *raster, int image_width, int image_height):
   * the image size is that of level 0, after EXIF orientation. */
  signals[LEVEL_READY] =
    g_signal_new ("level-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_UINT, FL_TYPE_RASTER, G_TYPE_INT, G_TYPE_INT);
  /* (guint level, FlRaster *raster, int rows): the first @rows rows of a
   * level still being made, before its "level-ready" with the same raster;
   * the rest of the raster is not ready to be read. */
  signals[LEVEL_ROWS_READY] =
    g_signal_new ("level-rows-ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_UINT, FL_TYPE_RASTER, G_TYPE_INT);
}

static void
fl_image_loader_init (FlImageLoader *self)
{
  self->max_pixels = FL_IMAGE_LOADER_DEFAULT_MAX_PIXELS;
}

FlImageLoader *
fl_image_loader_new (void)
{
  return g_object_new (FL_TYPE_IMAGE_LOADER, NULL);
}

void
fl_image_loader_set_max_pixels (FlImageLoader *self, guint64 max_pixels)
{
  g_return_if_fail (FL_IS_IMAGE_LOADER (self));
  self->max_pixels = max_pixels;
}

guint64
fl_image_loader_get_max_pixels (FlImageLoader *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_LOADER (self), 0);
  return self->max_pixels;
}

void
fl_image_loader_load_async (FlImageLoader *self, GFile *file, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (FL_IS_IMAGE_LOADER (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_image_loader_load_async);

  data = g_new0 (LoadData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->loader = g_object_ref (self);
  data->context = g_main_context_ref_thread_default ();
  data->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  data->path = g_file_get_path (file);
  data->start = g_get_monotonic_time ();
  g_mutex_init (&data->mutex);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_unref);

  if (data->path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_task_return_new_error (task, FL_IMAGE_LOADER_ERROR, FL_IMAGE_LOADER_ERROR_NOT_FOUND,
                               _ ("Only local images can be opened, not %s"), uri);
      return;
    }
  g_task_run_in_thread (task, load_thread);
}

gboolean
fl_image_loader_load_finish (FlImageLoader *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_IMAGE_LOADER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
