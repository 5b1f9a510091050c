/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestImageLoader"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/resource.h>

#include "fl-image-jpeg.h"
#include "fl-image-loader.h"
#include "test-image-util.h"

typedef struct
{
  GMainLoop *loop;
  GPtrArray *levels;
  /* "level-rows-ready": the raster, its level, and the rows, in order. */
  FlRaster *rows_raster;
  guint rows_level;
  GArray *rows;
  gboolean rows_raster_ready;
  guint level_numbers[32];
  int width;
  int height;
  gboolean done;
  gboolean ok;
  GError *error;
} LoadResult;

static void
on_level_ready (FlImageLoader *loader, guint level, FlRaster *raster, int width, int height,
                LoadResult *result)
{
  g_assert_cmpuint (result->levels->len, <, G_N_ELEMENTS (result->level_numbers));
  if (result->rows_raster != NULL && level == result->rows_level)
    {
      g_assert_true (raster == result->rows_raster);
      result->rows_raster_ready = TRUE;
    }
  result->level_numbers[result->levels->len] = level;
  /* Pixels are checked as RGB, whatever the raster keeps. */
  g_ptr_array_add (result->levels, fl_raster_to_pixbuf (raster));
  result->width = width;
  result->height = height;
}

static void
on_level_rows_ready (FlImageLoader *loader, guint level, FlRaster *raster, int rows,
                     LoadResult *result)
{
  /* Always before that level is ready. */
  for (guint i = 0; i < result->levels->len; i++)
    g_assert_cmpuint (result->level_numbers[i], !=, level);
  if (result->rows_raster == NULL)
    result->rows_raster = g_object_ref (raster);
  g_assert_true (result->rows_raster == raster);
  result->rows_level = level;
  g_array_append_val (result->rows, rows);
}

static void
on_loaded (GObject *source, GAsyncResult *res, gpointer user_data)
{
  LoadResult *result = user_data;

  result->ok = fl_image_loader_load_finish (FL_IMAGE_LOADER (source), res, &result->error);
  result->done = TRUE;
}

static void
load_result_clear (LoadResult *result)
{
  g_clear_pointer (&result->levels, g_ptr_array_unref);
  g_clear_pointer (&result->rows, g_array_unref);
  g_clear_object (&result->rows_raster);
  g_clear_error (&result->error);
}

static void
load (const char *path, LoadResult *result)
{
  g_autoptr (FlImageLoader) loader = fl_image_loader_new ();
  g_autoptr (GFile) file = g_file_new_for_path (path);

  memset (result, 0, sizeof *result);
  result->levels = g_ptr_array_new_with_free_func (g_object_unref);
  result->rows = g_array_new (FALSE, FALSE, sizeof (int));
  g_signal_connect (loader, "level-ready", G_CALLBACK (on_level_ready), result);
  g_signal_connect (loader, "level-rows-ready", G_CALLBACK (on_level_rows_ready), result);
  fl_image_loader_load_async (loader, file, NULL, on_loaded, result);
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
  /* Let queued deliveries arrive. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GdkPixbuf *
find_level (LoadResult *result, guint level)
{
  for (guint i = 0; i < result->levels->len; i++)
    if (result->level_numbers[i] == level)
      return g_ptr_array_index (result->levels, i);
  return NULL;
}

static void
test_large_jpeg_gives_preview_and_pyramid (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "big.jpg", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_street (3000, 2000);
  LoadResult result;
  GdkPixbuf *level;

  g_assert_true (gdk_pixbuf_save (source, path, "jpeg", NULL, "quality", "90", NULL));
  load (path, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  g_assert_cmpint (result.width, ==, 3000);
  g_assert_cmpint (result.height, ==, 2000);
  level = find_level (&result, 0);
  g_assert_nonnull (level);
  g_assert_cmpint (gdk_pixbuf_get_width (level), ==, 3000);
  g_assert_cmpint (gdk_pixbuf_get_height (level), ==, 2000);
  /* 3000 -> 1500 -> 750: two coarser levels, and the 1/8 preview. */
  g_assert_nonnull (find_level (&result, 1));
  g_assert_cmpint (gdk_pixbuf_get_width (find_level (&result, 1)), ==, 1500);
  /* Each level is the one before at half the size. */
  for (guint n = 1; n <= 2; n++)
    {
      GdkPixbuf *finer = find_level (&result, n - 1);
      GdkPixbuf *coarser = find_level (&result, n);
      g_autoptr (GdkPixbuf) scaled = gdk_pixbuf_scale_simple (
        finer, gdk_pixbuf_get_width (coarser), gdk_pixbuf_get_height (coarser), GDK_INTERP_TILES);

      g_assert_cmpfloat (fl_test_mean_difference (coarser, scaled), <, 3.0);
    }
  g_assert_nonnull (find_level (&result, 2));
  g_assert_cmpint (gdk_pixbuf_get_width (find_level (&result, 2)), ==, 750);
  level = find_level (&result, 3);
  g_assert_nonnull (level);
  g_assert_cmpint (gdk_pixbuf_get_width (level), ==, 375);
  g_assert_cmpint (gdk_pixbuf_get_height (level), ==, 250);
  /* The quarter-size level was told of row by row while it was made, down
   * to its last row, and then came ready as the same raster. */
  g_assert_cmpuint (result.rows_level, ==, 2);
  g_assert_cmpuint (result.rows->len, >=, 3);
  for (guint i = 1; i < result.rows->len; i++)
    g_assert_cmpint (g_array_index (result.rows, int, i), >,
                     g_array_index (result.rows, int, i - 1));
  g_assert_cmpint (g_array_index (result.rows, int, result.rows->len - 1), ==, 500);
  g_assert_true (result.rows_raster_ready);
  /* The preview, read from the DC coefficients, is libjpeg's 1/8 decode. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (GdkPixbuf) eighth =
      gdk_pixbuf_new_from_file_at_scale (path, 375, 250, FALSE, &error);

    g_assert_no_error (error);
    g_assert_cmpfloat (fl_test_mean_difference (level, eighth), <, 1.0);
  }
  load_result_clear (&result);
  g_unlink (path);
  g_rmdir (dir);
}

static void
check_rotated (const char *path, int width, int height)
{
  LoadResult result;
  GdkPixbuf *full;
  guint8 r, g, b;

  load (path, &result);
  g_assert_no_error (result.error);
  /* Orientation 6: the camera was turned; the picture is shown turned a
   * quarter clockwise, so the red left half of the stored image is on top.
   * Its levels are turned once decoded: no rows are told of before. */
  g_assert_cmpuint (result.rows->len, ==, 0);
  g_assert_cmpint (result.width, ==, height);
  g_assert_cmpint (result.height, ==, width);
  for (guint i = 0; i < result.levels->len; i++)
    {
      GdkPixbuf *level = g_ptr_array_index (result.levels, i);

      g_assert_cmpint (gdk_pixbuf_get_height (level), >, gdk_pixbuf_get_width (level));
    }
  full = find_level (&result, 0);
  g_assert_nonnull (full);
  g_assert_cmpint (gdk_pixbuf_get_width (full), ==, height);
  g_assert_cmpint (gdk_pixbuf_get_height (full), ==, width);
  fl_test_pixel (full, height / 2, width / 8, &r, &g, &b);
  g_assert_cmpint (r, >, b + 100);
  fl_test_pixel (full, height / 2, width * 7 / 8, &r, &g, &b);
  g_assert_cmpint (b, >, r + 100);
  load_result_clear (&result);
}

static void
test_exif_orientation_applied (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *small = g_build_filename (dir, "small.jpg", NULL);
  g_autofree char *large = g_build_filename (dir, "large.jpg", NULL);

  fl_test_write_rotated_jpeg (small, 120, 60, 6);
  check_rotated (small, 120, 60);
  /* Large enough for the quick 1/8 decode, which must turn too. */
  fl_test_write_rotated_jpeg (large, 3200, 1600, 6);
  check_rotated (large, 3200, 1600);
  g_unlink (small);
  g_unlink (large);
  g_rmdir (dir);
}

/* Y'CbCr JPEGs of every usual subsampling and every EXIF orientation, grey
 * ones (kept as their planes) and CMYK ones (left to gdk-pixbuf) come out
 * as gdk-pixbuf decodes and turns them, chroma interpolated alike, give or
 * take the rounding of the colour conversion and of the upsampling. */
static void
test_jpeg_kinds_match_reference_decode (void)
{
  static const struct
  {
    const char *kind;
    int h_samp, v_samp;
  } kinds[] = {
    { "ycbcr", 2, 2 }, { "ycbcr", 2, 1 }, { "ycbcr", 1, 1 },
    { "ycbcr", 1, 2 }, { "gray", 1, 1 },  { "cmyk", 1, 1 },
  };
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);
  /* Odd sides, so that the last chroma sample covers a single pixel, and
   * even ones, so that the planes are turned as they are. */
  static const int sizes[][2] = { { 203, 131 }, { 208, 144 } };

  for (guint size = 0; size < G_N_ELEMENTS (sizes); size++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      for (guint orientation = 1; orientation <= 8; orientation++)
        {
          int width = sizes[size][0], height = sizes[size][1];
          g_autoptr (GdkPixbuf) source = fl_test_make_street (width, height);
          g_autoptr (GError) error = NULL;
          g_autoptr (GdkPixbuf) stored = NULL;
          g_autoptr (GdkPixbuf) expected = NULL;
          LoadResult result;
          double difference;

          fl_test_write_jpeg (path, source, kinds[k].kind, kinds[k].h_samp, kinds[k].v_samp,
                              orientation);
          stored = gdk_pixbuf_new_from_file (path, &error);
          g_assert_no_error (error);
          expected = gdk_pixbuf_apply_embedded_orientation (stored);
          load (path, &result);
          g_assert_no_error (result.error);
          g_assert_true (result.ok);
          g_assert_cmpint (result.width, ==, gdk_pixbuf_get_width (expected));
          g_assert_cmpint (result.height, ==, gdk_pixbuf_get_height (expected));
          g_assert_cmpint (result.width, ==, orientation >= 5 ? height : width);
          difference = fl_test_mean_difference (find_level (&result, 0), expected);
          g_test_message ("%d x %d %s %dx%d, orientation %u: mean difference %.2f", width, height,
                          kinds[k].kind, kinds[k].h_samp, kinds[k].v_samp, orientation, difference);
          g_assert_cmpfloat (difference, <, 0.5);
          load_result_clear (&result);
        }
  g_unlink (path);
  g_rmdir (dir);
}

static GdkPixbuf *
read_eighth (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (FlRaster) raster = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  raster = fl_image_jpeg_decode_eighth ((const guint8 *) contents, length, NULL);
  return raster != NULL ? fl_raster_to_pixbuf (raster) : NULL;
}

/* The mean difference of the luma (BT.601) of two RGB images of one size. */
static double
mean_luma_difference (GdkPixbuf *a, GdkPixbuf *b)
{
  int width = gdk_pixbuf_get_width (a), height = gdk_pixbuf_get_height (a);
  double sum = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 ra, ga, ba, rb, gb, bb;

        fl_test_pixel (a, x, y, &ra, &ga, &ba);
        fl_test_pixel (b, x, y, &rb, &gb, &bb);
        sum += fabs (0.299 * (ra - rb) + 0.587 * (ga - gb) + 0.114 * (ba - bb));
      }
  return sum / ((double) width * height);
}

/* The 1/8 preview read from the DC coefficients alone matches libjpeg's
 * own 1/8 decode, for every usual subsampling, with restart markers, at
 * sizes that leave partial blocks and MCUs: exactly where chroma is not
 * subsampled, and in luma. Subsampled chroma differs a little on sharp
 * colour edges: libjpeg makes it with a 2 x 2 inverse DCT, from AC
 * coefficients the scan does not read. */
static void
test_eighth_scan_matches_libjpeg (void)
{
  static const struct
  {
    const char *kind;
    int h_samp, v_samp;
  } kinds[] = {
    { "ycbcr", 2, 2 }, { "ycbcr", 2, 1 },    { "ycbcr", 1, 1 },    { "ycbcr", 1, 2 },
    { "gray", 1, 1 },  { "restarts", 2, 2 }, { "restarts", 1, 1 },
  };
  static const int sizes[][2] = { { 203, 131 }, { 208, 144 }, { 1001, 763 } };
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);

  for (guint size = 0; size < G_N_ELEMENTS (sizes); size++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        int width = sizes[size][0], height = sizes[size][1];
        g_autoptr (GdkPixbuf) source = fl_test_make_street (width, height);
        g_autoptr (GdkPixbuf) expected = NULL;
        g_autoptr (GdkPixbuf) scanned = NULL;
        g_autoptr (GError) error = NULL;
        double difference;

        fl_test_write_jpeg (path, source, kinds[k].kind, kinds[k].h_samp, kinds[k].v_samp, 0);
        expected = gdk_pixbuf_new_from_file_at_scale (path, (width + 7) / 8, (height + 7) / 8,
                                                      FALSE, &error);
        g_assert_no_error (error);
        scanned = read_eighth (path);
        g_assert_nonnull (scanned);
        g_assert_cmpint (gdk_pixbuf_get_width (scanned), ==, (width + 7) / 8);
        g_assert_cmpint (gdk_pixbuf_get_height (scanned), ==, (height + 7) / 8);
        difference = fl_test_mean_difference (scanned, expected);
        g_test_message ("%d x %d %s %dx%d: mean difference %.2f, in luma %.2f", width, height,
                        kinds[k].kind, kinds[k].h_samp, kinds[k].v_samp, difference,
                        mean_luma_difference (scanned, expected));
        g_assert_cmpfloat (mean_luma_difference (scanned, expected), <, 0.6);
        if (kinds[k].h_samp == 1 && kinds[k].v_samp == 1)
          g_assert_cmpfloat (difference, <, 0.05);
        else
          g_assert_cmpfloat (difference, <, 8.0);
      }
  g_unlink (path);
  g_rmdir (dir);
}

/* What the DC scan does not read is left to libjpeg (no raster), and
 * damaged data gives no raster or one of the right size, never a read
 * past the data. */
static void
test_eighth_scan_leaves_others (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "photo.jpg", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_street (301, 203);
  g_autoptr (GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (8);
  gsize length, headers;

  fl_test_write_jpeg (path, source, "progressive", 2, 2, 0);
  g_assert_null (read_eighth (path));
  fl_test_write_jpeg (path, source, "cmyk", 1, 1, 0);
  g_assert_null (read_eighth (path));

  fl_test_write_jpeg (path, source, "restarts", 2, 2, 0);
  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  /* The headers end with the start-of-scan segment's. */
  for (headers = 2; headers + 3 < length; headers++)
    if ((guint8) contents[headers] == 0xff && (guint8) contents[headers + 1] == 0xda)
      break;
  headers += 2 + ((guint8) contents[headers + 2] << 8 | (guint8) contents[headers + 3]);
  /* Cut off anywhere: in the header, or in the image data. */
  for (gsize cut = 0; cut < length; cut += 1 + length / 97)
    {
      g_autofree guint8 *copy = g_memdup2 (contents, cut);
      g_autoptr (FlRaster) raster = fl_image_jpeg_decode_eighth (copy, cut, NULL);

      if (raster != NULL)
        g_assert_cmpint (fl_raster_get_width (raster), ==, (301 + 7) / 8);
    }
  /* Bytes changed at random, a few at a time. Past the headers, what a
   * raster comes out has the image's size. */
  for (int trial = 0; trial < 400; trial++)
    {
      g_autofree guint8 *copy = g_memdup2 (contents, length);
      g_autoptr (FlRaster) raster = NULL;
      gsize first = length;

      for (int i = 0; i < 1 + trial % 4; i++)
        {
          gsize at = g_rand_int_range (rand, 0, (gint32) length);

          copy[at] = g_rand_int_range (rand, 0, 256);
          first = MIN (first, at);
        }
      raster = fl_image_jpeg_decode_eighth (copy, length, NULL);
      if (raster != NULL && first >= headers)
        {
          g_assert_cmpint (fl_raster_get_width (raster), ==, (301 + 7) / 8);
          g_assert_cmpint (fl_raster_get_height (raster), ==, (203 + 7) / 8);
        }
    }
  g_unlink (path);
  g_rmdir (dir);
}

/* A large progressive JPEG gets no 1/8 preview, which would hold all its
 * coefficients a second time: its levels all come after the full decode,
 * and they are right. */
static void
test_progressive_jpeg_without_preview (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "progressive.jpg", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_street (2600, 1800);
  g_autoptr (GdkPixbuf) expected = NULL;
  g_autoptr (GError) error = NULL;
  LoadResult result;

  fl_test_write_jpeg (path, source, "progressive", 2, 2, 0);
  expected = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  load (path, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);
  /* The quarter-size level made while decoding comes first: nothing was
   * there to show before the full decode. */
  g_assert_cmpuint (result.levels->len, >, 1);
  g_assert_cmpuint (result.level_numbers[0], ==, 2);
  g_assert_cmpfloat (fl_test_mean_difference (find_level (&result, 0), expected), <, 2.0);
  g_assert_nonnull (find_level (&result, 1));
  g_assert_cmpint (gdk_pixbuf_get_width (find_level (&result, 1)), ==, 1300);
  load_result_clear (&result);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_formats_open (void)
{
  const char *formats[] = { "png", "jpeg", "tiff", "webp" };
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_pattern (64, 48, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *path = g_build_filename (dir, formats[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (GdkPixbuf) opaque = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 64, 48);
      LoadResult result;
      guint8 r, g, b;

      gdk_pixbuf_composite_color (source, opaque, 0, 0, 64, 48, 0, 0, 1, 1, GDK_INTERP_NEAREST, 255,
                                  0, 0, 8, 0xffffff, 0xffffff);
      if (!gdk_pixbuf_save (g_str_equal (formats[i], "jpeg") ? opaque : source, path, formats[i],
                            &error, NULL))
        g_error ("cannot write a %s test image: %s", formats[i], error->message);
      load (path, &result);
      g_assert_no_error (result.error);
      g_assert_true (result.ok);
      g_assert_cmpint (result.width, ==, 64);
      g_assert_cmpint (result.height, ==, 48);
      fl_test_pixel (find_level (&result, 0), 4, 4, &r, &g, &b);
      g_assert_cmpint (r, >, 200);
      g_assert_cmpint (g, <, 60);
      load_result_clear (&result);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
assert_refused (const char *path, FlImageLoaderError code, const char *expected)
{
  LoadResult result;

  load (path, &result);
  g_assert_false (result.ok);
  g_assert_error (result.error, FL_IMAGE_LOADER_ERROR, (int) code);
  g_test_message ("%s: %s", path, result.error->message);
  if (expected != NULL)
    g_assert_nonnull (strstr (result.error->message, expected));
  g_assert_cmpuint (result.levels->len, ==, 0);
  load_result_clear (&result);
}

static void
test_truncated_and_corrupt_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_pattern (400, 300, FALSE);
  const char *formats[] = { "jpeg", "png", "tiff", "webp" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *whole = g_build_filename (dir, formats[i], NULL);
      g_autofree char *cut = g_strconcat (whole, "-cut", NULL);
      g_autofree char *garbled = g_strconcat (whole, "-garbled", NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (gdk_pixbuf_save (source, whole, formats[i], NULL, NULL));
      g_assert_true (g_file_get_contents (whole, &contents, &length, NULL));
      g_assert_true (g_file_set_contents (cut, contents, length / 2, NULL));
      assert_refused (cut, FL_IMAGE_LOADER_ERROR_CORRUPT, "damaged");
      /* Keep the header, scramble the rest. */
      for (gsize j = 64; j < length; j++)
        contents[j] = (char) (j * 7919 + 13);
      g_assert_true (g_file_set_contents (garbled, contents, length, NULL));
      assert_refused (garbled, FL_IMAGE_LOADER_ERROR_CORRUPT, NULL);
      g_unlink (whole);
      g_unlink (cut);
      g_unlink (garbled);
    }
  g_rmdir (dir);
}

static void
test_decompression_bomb_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bomb.png", NULL);
  struct rusage usage;
  GStatBuf st;

  fl_test_write_png_bomb (path, 60000, 60000);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_test_message ("bomb file: %" G_GINT64_FORMAT " bytes", (gint64) st.st_size);
  g_assert_cmpint (st.st_size, <, 64 * 1024);
  assert_refused (path, FL_IMAGE_LOADER_ERROR_TOO_LARGE, "60000 × 60000");
  /* Nothing near the 3.6 GB of pixels was ever allocated. */
  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss, <, 512 * 1024);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_unsupported_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fl-image-XXXXXX", NULL);
  g_autofree char *bmp = g_build_filename (dir, "image.bmp", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.jpg", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autoptr (GdkPixbuf) source = fl_test_make_pattern (16, 16, FALSE);

  g_assert_true (gdk_pixbuf_save (source, bmp, "bmp", NULL, NULL));
  assert_refused (bmp, FL_IMAGE_LOADER_ERROR_UNSUPPORTED, "bmp");
  g_assert_true (g_file_set_contents (text, "these are not pixels\n", -1, NULL));
  assert_refused (text, FL_IMAGE_LOADER_ERROR_UNSUPPORTED, "supported format");
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  assert_refused (empty, FL_IMAGE_LOADER_ERROR_CORRUPT, "empty");
  assert_refused (missing, FL_IMAGE_LOADER_ERROR_NOT_FOUND, NULL);
  g_unlink (bmp);
  g_unlink (text);
  g_unlink (empty);
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/loader/large-jpeg-gives-preview-and-pyramid",
                   test_large_jpeg_gives_preview_and_pyramid);
  g_test_add_func ("/image/loader/exif-orientation-applied", test_exif_orientation_applied);
  g_test_add_func ("/image/loader/png-jpeg-tiff-webp-open", test_formats_open);
  g_test_add_func ("/image/loader/progressive-jpeg-gets-no-preview",
                   test_progressive_jpeg_without_preview);
  g_test_add_func ("/image/loader/jpeg-kinds-match-reference-decode",
                   test_jpeg_kinds_match_reference_decode);
  g_test_add_func ("/image/loader/eighth-scan-matches-libjpeg", test_eighth_scan_matches_libjpeg);
  g_test_add_func ("/image/loader/eighth-scan-leaves-others", test_eighth_scan_leaves_others);
  g_test_add_func ("/image/loader/truncated-and-corrupt-refused",
                   test_truncated_and_corrupt_refused);
  g_test_add_func ("/image/loader/decompression-bomb-refused-before-decoding",
                   test_decompression_bomb_refused);
  g_test_add_func ("/image/loader/unsupported-empty-missing-refused", test_unsupported_refused);
  return g_test_run ();
}
