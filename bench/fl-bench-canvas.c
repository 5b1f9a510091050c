/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBenchCanvas"

#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fl-backdrop.h"
#include "fl-image-jpeg.h"
#include "fl-image-view.h"
#include "fl-texture-maker.h"

/* Driven by bench/canvas:
 *   fl-bench-canvas generate FILE.jpg   a 40 MP JPEG and FILE.jpg.json (5,000 boxes, 200 polygons)
 *   fl-bench-canvas decode FILE.jpg     the bare gdk-pixbuf decode, in seconds
 *   fl-bench-canvas decode-eighth FILE.jpg   the same at 1/8 scale
 *   fl-bench-canvas scan-eighth FILE.jpg     the 1/8 preview the loader reads from the DC
 *                                            coefficients, as RGB
 *   fl-bench-canvas view FILE.jpg [--load-only]
 *                                        open it in FlImageView; print first frame and full
 *                                        resolution times, frame times while panning and
 *                                        zooming, idle wake-ups and peak RSS as key=value lines */

#define WIDTH 7296
#define HEIGHT 5472
#define N_BOXES 5000
#define N_POLYGONS 200
#define N_FRAMES 360

static const char *config_json =
  "{\"classes\":[{\"name\":\"car\",\"color\":\"#e01b24\"},{\"name\":\"person\",\"color\":"
  "\"#33d17a\"},{\"name\":\"sign\",\"color\":\"#f6d32d\"},{\"name\":\"road\",\"color\":"
  "\"#3584e4\"},{\"name\":\"tree\",\"color\":\"#26a269\"}]}";

static int
generate (const char *path)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *json_path = g_strconcat (path, ".json", NULL);
  static const char *labels[] = { "car", "person", "sign", "road", "tree" };
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  guint32 noise = 1;

  /* Smooth colour fields with grain, so the JPEG costs what a photo costs to decode. */
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint8 *p = pixels + (gsize) y * stride + (gsize) x * 3;
        int grain;

        noise = noise * 1664525u + 1013904223u;
        grain = (int) (noise >> 28) - 8;
        p[0] = CLAMP (128 + 100 * sin (x / 400.0) + grain, 0, 255);
        p[1] = CLAMP (128 + 100 * cos (y / 300.0) + grain, 0, 255);
        p[2] = CLAMP ((x + y) * 255 / (WIDTH + HEIGHT) + grain, 0, 255);
      }
  if (!gdk_pixbuf_save (pixbuf, path, "jpeg", &error, "quality", "90", NULL))
    g_error ("cannot write %s: %s", path, error->message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "image");
  json_builder_set_member_name (builder, "shapes");
  json_builder_begin_array (builder);
  for (int i = 0; i < N_BOXES + N_POLYGONS; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, labels[i % G_N_ELEMENTS (labels)]);
      if (i < N_BOXES)
        {
          double w = g_rand_double_range (rand, 20, 400);
          double h = g_rand_double_range (rand, 20, 400);

          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "box");
          json_builder_set_member_name (builder, "x");
          json_builder_add_double_value (builder, g_rand_double_range (rand, 0, WIDTH - w));
          json_builder_set_member_name (builder, "y");
          json_builder_add_double_value (builder, g_rand_double_range (rand, 0, HEIGHT - h));
          json_builder_set_member_name (builder, "width");
          json_builder_add_double_value (builder, w);
          json_builder_set_member_name (builder, "height");
          json_builder_add_double_value (builder, h);
        }
      else
        {
          double cx = g_rand_double_range (rand, 400, WIDTH - 400);
          double cy = g_rand_double_range (rand, 400, HEIGHT - 400);
          int n = g_rand_int_range (rand, 8, 17);

          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, "polygon");
          json_builder_set_member_name (builder, "points");
          json_builder_begin_array (builder);
          for (int k = 0; k < n; k++)
            {
              double r = g_rand_double_range (rand, 50, 300);

              json_builder_begin_array (builder);
              json_builder_add_double_value (builder, cx + r * cos (2 * G_PI * k / n));
              json_builder_add_double_value (builder, cy + r * sin (2 * G_PI * k / n));
              json_builder_end_array (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  if (!json_generator_to_file (generator, json_path, &error))
    g_error ("cannot write %s: %s", json_path, error->message);
  return 0;
}

static int
decode (const char *path)
{
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file (path, &error);

  if (pixbuf == NULL)
    g_error ("%s", error->message);
  g_print ("decode_s=%.3f\n", (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  gdk_pixbuf_loader_set_size (loader, (width + 7) / 8, (height + 7) / 8);
}

/* What a first frame from a baseline JPEG would wait for with libjpeg's
 * 1/8 decode, which decodes every coefficient before it drops most. */
static int
decode_eighth (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  gint64 start;
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);

  if (!g_file_get_contents (path, &data, &length, &error))
    g_error ("%s", error->message);
  start = g_get_monotonic_time ();
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), NULL);
  if (!gdk_pixbuf_loader_write (loader, (const guchar *) data, length, &error) ||
      !gdk_pixbuf_loader_close (loader, &error))
    g_error ("%s", error->message);
  g_print ("decode_eighth_s=%.3f\n", (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

typedef struct
{
  GtkWindow *window;
  FlImageView *view;
  FlImageCanvas *canvas;
  gboolean load_only;
  gint64 start;
  gint64 first_frame;
  gint64 full_frame;
  guint coarsest;
  int image_width;
  int image_height;

  gboolean animating;
  guint frame;
  gint64 frame_start;
  GArray *frame_times;
  guint64 shapes_drawn;
  gint64 snapshot_us;

  gboolean idle;
  guint idle_wakeups;
  guint idle_paints;
  GMainLoop *loop;
} Bench;

static Bench bench;
static GPollFunc default_poll;

static int
counting_poll (GPollFD *fds, guint n_fds, int timeout)
{
  int result = default_poll (fds, n_fds, timeout);

  if (bench.idle)
    bench.idle_wakeups++;
  return result;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
current_rss_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%lu %lu", &size, &resident);
  return resident * (double) sysconf (_SC_PAGESIZE) / (1024 * 1024);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
all_levels (void)
{
  for (guint l = 0; l <= bench.coarsest; l++)
    if (!fl_image_canvas_has_level (bench.canvas, l))
      return FALSE;
  return TRUE;
}

/* What a worker does, at a brisk pace: zoom from the whole image to 200 %
 * (past 1:1, where pixels are scaled by nearest neighbour), pan along at
 * 1,440 screen pixels a second, zoom out to 50 % while panning back, pan
 * there, then zoom out to the whole image again. 360 frames in all. */
static void
view_for_frame (guint frame, double *zoom, double *cx, double *cy)
{
  double fit =
    MIN ((double) gtk_widget_get_width (GTK_WIDGET (bench.canvas)) / bench.image_width,
         (double) gtk_widget_get_height (GTK_WIDGET (bench.canvas)) / bench.image_height);
  const double step = 24; /* screen pixels a frame */
  double w = bench.image_width, h = bench.image_height;
  double x = w * 0.3, y = h * 0.4, u;

  if (frame < 90)
    {
      u = frame / 90.0;
      *zoom = fit * pow (2.0 / fit, u);
      *cx = x;
      *cy = y;
      return;
    }
  x += MIN (frame - 90, 90) * step / 2.0;
  if (frame < 180)
    {
      *zoom = 2.0;
      *cx = x;
      *cy = y;
      return;
    }
  if (frame < 240)
    {
      u = (frame - 180) / 60.0;
      *zoom = 2.0 * pow (0.25, u);
      *cx = x - u * 60 * step / *zoom / 2;
      *cy = y;
      return;
    }
  x -= 30 * step / 0.5;
  if (frame < 300)
    {
      *zoom = 0.5;
      *cx = x;
      *cy = y + (frame - 240) * step / 0.5;
      return;
    }
  u = (frame - 300) / 60.0;
  *zoom = 0.5 * pow (fit / 0.5, u);
  *cx = x + (w / 2 - x) * u;
  *cy = y + 60 * step / 0.5 + (h / 2 - y - 60 * step / 0.5) * u;
}

static gboolean
tick (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  double zoom, cx, cy;

  if (!bench.animating)
    return G_SOURCE_REMOVE;
  if (bench.frame >= N_FRAMES)
    {
      bench.animating = FALSE;
      g_main_loop_quit (bench.loop);
      return G_SOURCE_REMOVE;
    }
  view_for_frame (bench.frame++, &zoom, &cx, &cy);
  fl_image_canvas_set_view (bench.canvas, zoom, cx, cy);
  return G_SOURCE_CONTINUE;
}

/* An edit: from the action to the frame that shows it. */
static gint64 edit_start;
static GArray *edit_times;

static void
on_edit_painted (GdkFrameClock *clock, gpointer user_data)
{
  double ms;

  if (edit_start == 0)
    return;
  ms = (g_get_monotonic_time () - edit_start) / 1000.0;
  g_array_append_val (edit_times, ms);
  edit_start = 0;
  g_main_loop_quit (bench.loop);
}

static void
on_update (GdkFrameClock *clock, gpointer user_data)
{
  bench.frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (bench.idle)
    bench.idle_paints++;
  if (bench.first_frame == 0 && fl_image_canvas_get_drawn_level (bench.canvas) >= 0)
    bench.first_frame = now;
  /* Full resolution is on screen once the frame shows a level made from
   * the full decode as sharp as the screen, not merely once it is loaded. */
  if (bench.full_frame == 0 && fl_image_canvas_has_level (bench.canvas, 0) &&
      fl_image_canvas_get_drawn_level (bench.canvas) >= 0 &&
      fl_image_canvas_get_drawn_level (bench.canvas) <=
        fl_image_canvas_get_ideal_level (bench.canvas))
    bench.full_frame = now;
  if (bench.animating && bench.frame > 0 && bench.frame_start > 0)
    {
      double ms = (now - bench.frame_start) / 1000.0;

      g_array_append_val (bench.frame_times, ms);
      bench.shapes_drawn += fl_image_canvas_get_drawn_shapes (bench.canvas);
      bench.snapshot_us += fl_image_canvas_get_snapshot_time (bench.canvas);
    }
  bench.frame_start = 0;
}

static gboolean
check_loaded (gpointer user_data)
{
  if (bench.full_frame == 0 || bench.image_width == 0 || !all_levels ())
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (bench.loop);
  return G_SOURCE_REMOVE;
}

static gboolean
stop_idle (gpointer user_data)
{
  g_main_loop_quit (bench.loop);
  return G_SOURCE_REMOVE;
}

static void
on_ready (FlImageView *view, gpointer user_data)
{
  FlImageDocument *document = fl_image_view_get_document (view);

  bench.image_width = fl_image_document_get_width (document);
  bench.image_height = fl_image_document_get_height (document);
  while (MAX (bench.image_width, bench.image_height) >> bench.coarsest > 1024)
    bench.coarsest++;
}

static void
on_load_failed (FlImageView *view, const char *message, gpointer user_data)
{
  g_error ("loading failed: %s", message);
}

/* The preview as the loader makes it: the DC scan, then RGB. */
static int
scan_eighth (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  g_autoptr (FlRaster) planes = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  gsize length;
  gint64 start;

  if (!g_file_get_contents (path, &data, &length, &error))
    g_error ("%s", error->message);
  start = g_get_monotonic_time ();
  planes = fl_image_jpeg_decode_eighth ((const guint8 *) data, length, NULL);
  if (planes == NULL)
    g_error ("the DC scan does not read %s", path);
  pixbuf = fl_raster_to_pixbuf (planes);
  g_print ("scan_eighth_s=%.3f\n", (g_get_monotonic_time () - start) / 1e6);
  return 0;
}

typedef struct
{
  GArray *times;
  guint64 shapes_drawn;
  gint64 snapshot_us;
  double cpu_s;
} Pass;

/* Plays the path once, adding its frame times to @pass. */
static void
run_animation (Pass *pass)
{
  double cpu_before;

  g_array_set_size (bench.frame_times, 0);
  bench.shapes_drawn = 0;
  bench.snapshot_us = 0;
  bench.frame = 0;
  cpu_before = cpu_seconds ();
  bench.animating = TRUE;
  gtk_widget_add_tick_callback (GTK_WIDGET (bench.canvas), tick, NULL, NULL);
  g_main_loop_run (bench.loop);
  pass->cpu_s += cpu_seconds () - cpu_before;
  g_array_append_vals (pass->times, bench.frame_times->data, bench.frame_times->len);
  pass->shapes_drawn += bench.shapes_drawn;
  pass->snapshot_us += bench.snapshot_us;
}

static void
print_pass (const char *name, Pass *pass)
{
  GArray *times = pass->times;

  g_array_sort (times, compare_doubles);
  g_print ("%s_count=%u\n", name, times->len);
  g_print ("%s_median_ms=%.2f\n", name, g_array_index (times, double, times->len / 2));
  g_print ("%s_p95_ms=%.2f\n", name, g_array_index (times, double, (times->len * 95) / 100));
  g_print ("%s_max_ms=%.2f\n", name, g_array_index (times, double, times->len - 1));
  g_print ("%s_shapes_drawn=%.0f\n", name, (double) pass->shapes_drawn / MAX (1, times->len));
  g_print ("%s_snapshot_ms=%.2f\n", name, pass->snapshot_us / 1000.0 / MAX (1, times->len));
  /* All threads of the process (the renderer's too): less swayed by other
   * work on the machine than the frame times. */
  g_print ("%s_cpu_ms=%.2f\n", name, pass->cpu_s * 1000.0 / MAX (1, times->len));
}

static int
view (const char *path, gboolean load_only)
{
  g_autofree char *json_path = g_strconcat (path, ".json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) config = json_from_string (config_json, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  GdkFrameClock *clock;
  Pass with_shapes = { g_array_new (FALSE, FALSE, sizeof (double)) };
  Pass image_only = { g_array_new (FALSE, FALSE, sizeof (double)) };
  struct rusage usage;
  double cpu_before;
  GtkWidget *backdrop;

  if (!json_parser_load_from_file (parser, json_path, &error))
    g_error ("%s", error->message);

  /* As the application does. */
  fl_texture_maker_tune_rasterizer ();
  gtk_init ();
  adw_init ();
  /* What the application's resource base path gives it: the tool icons. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/fairlabel/Fairlabel/icons");
  default_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, counting_poll);
  bench.load_only = load_only;
  bench.loop = g_main_loop_new (NULL, FALSE);
  bench.frame_times = g_array_new (FALSE, FALSE, sizeof (double));
  bench.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (bench.window, FALSE);
  gtk_window_set_default_size (bench.window, 1280, 800);
  bench.view = FL_IMAGE_VIEW (fl_image_view_new ());
  bench.canvas = fl_image_view_get_canvas (bench.view);
  g_signal_connect (bench.view, "ready", G_CALLBACK (on_ready), NULL);
  g_signal_connect (bench.view, "load-failed", G_CALLBACK (on_load_failed), NULL);
  /* As in the application's window, the content paints the window's background. */
  backdrop = fl_backdrop_new ();
  adw_bin_set_child (ADW_BIN (backdrop), GTK_WIDGET (bench.view));
  gtk_window_set_child (bench.window, backdrop);
  gtk_window_present (bench.window);

  /* Wait for the empty window to be on screen, so its mapping is not counted. */
  while (!gtk_widget_get_mapped (GTK_WIDGET (bench.window)))
    g_main_context_iteration (NULL, TRUE);
  g_timeout_add (300, stop_idle, NULL);
  g_main_loop_run (bench.loop);

  getrusage (RUSAGE_SELF, &usage);
  g_print ("window_rss_mb=%.1f\n", usage.ru_maxrss / 1024.0);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (bench.window));
  g_signal_connect (clock, "update", G_CALLBACK (on_update), NULL);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), NULL);

  bench.start = g_get_monotonic_time ();
  fl_image_view_load (bench.view, file, json_node_get_object (config),
                      json_parser_get_root (parser));
  g_timeout_add (5, check_loaded, NULL);
  g_main_loop_run (bench.loop);

  g_print ("renderer=%s\n",
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (bench.window))));
  g_print ("image=%dx%d\n", bench.image_width, bench.image_height);
  g_print ("shapes=%u\n", fl_image_document_get_n_shapes (fl_image_view_get_document (bench.view)));
  g_print ("first_frame_s=%.3f\n", (bench.first_frame - bench.start) / 1e6);
  g_print ("full_resolution_s=%.3f\n", (bench.full_frame - bench.start) / 1e6);
  if (load_only)
    return 0;

  getrusage (RUSAGE_SELF, &usage);
  g_print ("rss_after_load_mb=%.1f\n", usage.ru_maxrss / 1024.0);
  /* Loaded: let the last frame settle, then watch 10 s of idleness. */
  g_timeout_add (500, stop_idle, NULL);
  g_main_loop_run (bench.loop);
  cpu_before = cpu_seconds ();
  bench.idle = TRUE;
  bench.idle_wakeups = 0;
  g_timeout_add_seconds (10, stop_idle, NULL);
  g_main_loop_run (bench.loop);
  bench.idle = FALSE;
  /* Not counted: the first poll, which only takes the wake-up left by the
   * g_main_loop_quit () before, and the timer that ends the wait. */
  g_print ("idle_wakeups=%u\n", bench.idle_wakeups > 2 ? bench.idle_wakeups - 2 : 0);
  g_print ("idle_paints=%u\n", bench.idle_paints);
  g_print ("idle_cpu_ms=%.1f\n", (cpu_seconds () - cpu_before) * 1000);

  /* The path with the shapes, then with them hidden (what the image alone
   * costs), twice in turn, so that a machine busy with other work weighs
   * on both alike. */
  for (guint round = 0; round < 2; round++)
    {
      run_animation (&with_shapes);
      g_print ("rss_now_mb=%.1f\n", current_rss_mb ());
      gtk_widget_activate_action (GTK_WIDGET (bench.view), "image.shapes-visible", NULL);
      run_animation (&image_only);
      gtk_widget_activate_action (GTK_WIDGET (bench.view), "image.shapes-visible", NULL);
    }
  print_pass ("frame", &with_shapes);
  print_pass ("image_only_frame", &image_only);

  /* Edits with every shape in view: a box nudged back and forth. */
  {
    FlImageDocument *document = fl_image_view_get_document (bench.view);
    const char *ids[] = { fl_image_document_get_shape (document, 0)->id, NULL };

    fl_image_canvas_zoom_to_fit (bench.canvas);
    g_timeout_add (500, stop_idle, NULL);
    g_main_loop_run (bench.loop);
    fl_image_canvas_select (bench.canvas, ids);
    edit_times = g_array_new (FALSE, FALSE, sizeof (double));
    g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_edit_painted), NULL);
    for (int i = 0; i < 30; i++)
      {
        edit_start = g_get_monotonic_time ();
        gtk_widget_activate_action (GTK_WIDGET (bench.view), "image.nudge", "(ii)",
                                    i % 2 == 0 ? 8 : -8, 0);
        g_main_loop_run (bench.loop);
        g_timeout_add (30, stop_idle, NULL);
        g_main_loop_run (bench.loop);
      }
    g_array_sort (edit_times, compare_doubles);
    g_print ("edit_median_ms=%.2f\n", g_array_index (edit_times, double, edit_times->len / 2));
    g_print ("edit_max_ms=%.2f\n", g_array_index (edit_times, double, edit_times->len - 1));
  }

  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak_rss_mb=%.1f\n", usage.ru_maxrss / 1024.0);
  return 0;
}

int
main (int argc, char *argv[])
{
  if (argc >= 3 && g_str_equal (argv[1], "generate"))
    return generate (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "decode"))
    return decode (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "decode-eighth"))
    return decode_eighth (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "scan-eighth"))
    return scan_eighth (argv[2]);
  if (argc >= 3 && g_str_equal (argv[1], "view"))
    return view (argv[2], argc >= 4 && g_str_equal (argv[3], "--load-only"));
  g_printerr ("usage: %s generate|decode|view FILE [--load-only]\n", argv[0]);
  return 2;
}
