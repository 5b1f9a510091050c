/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestImageView"

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <math.h>

#include "fl-backdrop.h"
#include "fl-image-view.h"
#include "fl-test-gtk.h"
#include "fl-test-support.h"
#include "test-image-util.h"

/* After gtk.h, which brings the rest of GSK. */
#include <gsk/gl/gskglrenderer.h>

/* Real widgets in a real window under Xvfb; pointer and keys come from
 * xdotool through the X server, so GTK's own event handling is exercised. */

static const char *label_config_json =
  "{\"classes\":[{\"name\":\"car\",\"color\":\"#e01b24\",\"hotkey\":\"1\"},"
  "{\"name\":\"road\",\"color\":\"#3584e4\",\"hotkey\":\"2\","
  "\"attributes\":[{\"name\":\"occluded\",\"type\":\"bool\"},"
  "{\"name\":\"surface\",\"type\":\"text\"}]},"
  "{\"name\":\"person\",\"color\":\"#33d17a\"},"
  "{\"name\":\"building\",\"color\":\"#f6d32d\"}],"
  "\"tags\":[\"night\",\"blurry\"]}";

typedef struct
{
  char *dir;
  GtkWindow *window;
  FlImageView *view;
  FlImageCanvas *canvas;
  guint changed;
  guint ready;
  /* The level the canvas had drawn when the view became ready. */
  int level_at_ready;
  char *failure;
} Fixture;

static void
spin_until (gboolean (*done) (gpointer), Fixture *f)
{
  g_assert_true (fl_test_wait_until (done, f, 20000));
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_node_dup_object (node);
}

static void
on_changed (FlImageView *view, Fixture *f)
{
  f->changed++;
}

static void
on_ready (FlImageView *view, Fixture *f)
{
  f->ready++;
  f->level_at_ready = fl_image_canvas_get_drawn_level (f->canvas);
}

static void
on_load_failed (FlImageView *view, const char *message, Fixture *f)
{
  g_free (f->failure);
  f->failure = g_strdup (message);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("fl-image-view-XXXXXX", NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  gtk_window_set_decorated (f->window, FALSE);
  f->view = FL_IMAGE_VIEW (fl_image_view_new ());
  f->canvas = fl_image_view_get_canvas (f->view);
  g_signal_connect (f->view, "changed", G_CALLBACK (on_changed), f);
  g_signal_connect (f->view, "ready", G_CALLBACK (on_ready), f);
  g_signal_connect (f->view, "load-failed", G_CALLBACK (on_load_failed), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  fl_test_sleep_in_loop (300);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  fl_test_sleep_in_loop (50);
  g_free (f->failure);
  /* The files in it are removed by each test. */
  g_rmdir (f->dir);
  g_free (f->dir);
}

static gboolean
image_complete (gpointer data)
{
  Fixture *f = data;

  return f->ready > 0 && fl_image_canvas_has_level (f->canvas, 0);
}

static gboolean
load_failed (gpointer data)
{
  Fixture *f = data;

  return f->failure != NULL;
}

static char *
write_scene (Fixture *f, const char *name, int width, int height)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr (GdkPixbuf) pixbuf = fl_test_make_street (width, height);

  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
  return g_steal_pointer (&path);
}

static void
load (Fixture *f, const char *path, const char *config_json, const char *pre_annotation)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (JsonObject) config = parse_object (config_json);
  g_autoptr (JsonNode) pre = pre_annotation ? json_from_string (pre_annotation, NULL) : NULL;

  f->ready = 0;
  g_clear_pointer (&f->failure, g_free);
  fl_image_view_load (f->view, file, config, pre);
}

/* xdotool */

static void
xdotool (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  fl_test_sleep_in_loop (80);
}

static char *
window_id (Fixture *f)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (f->window));

  return g_strdup_printf ("%lu", (unsigned long) gdk_x11_surface_get_xid (surface));
}

/* Image coordinates to coordinates in the X window. */
static void
to_window (Fixture *f, double x, double y, char **wx, char **wy)
{
  double cx, cy, tx, ty, sx, sy;

  fl_image_canvas_image_to_widget (f->canvas, x, y, &cx, &cy);
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (f->canvas), GTK_WIDGET (f->window),
                                                   cx, cy, &tx, &ty));
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  *wx = g_strdup_printf ("%d", (int) round (tx + sx));
  *wy = g_strdup_printf ("%d", (int) round (ty + sy));
}

static void
drag (Fixture *f, double x0, double y0, double x1, double y1)
{
  g_autofree char *id = window_id (f);
  g_autofree char *ax = NULL, *ay = NULL, *mx = NULL, *my = NULL, *bx = NULL, *by = NULL;

  to_window (f, x0, y0, &ax, &ay);
  to_window (f, (x0 + x1) / 2, (y0 + y1) / 2, &mx, &my);
  to_window (f, x1, y1, &bx, &by);
  xdotool ("mousemove", "--window", id, ax, ay, "sleep", "0.05", "mousedown", "1", "sleep", "0.05",
           "mousemove", "--window", id, mx, my, "sleep", "0.05", "mousemove", "--window", id, bx,
           by, "sleep", "0.05", "mouseup", "1", NULL);
}

static void
click (Fixture *f, double x, double y)
{
  g_autofree char *id = window_id (f);
  g_autofree char *ax = NULL, *ay = NULL;

  to_window (f, x, y, &ax, &ay);
  xdotool ("mousemove", "--window", id, ax, ay, "sleep", "0.03", "click", "1", NULL);
}

static void
key (Fixture *f, const char *keys)
{
  xdotool ("key", "--clearmodifiers", keys, NULL);
}

/* Result helpers */

static JsonObject *
result (Fixture *f, JsonNode **holder)
{
  *holder = fl_image_view_get_result (f->view);
  g_assert_nonnull (*holder);
  return json_node_get_object (*holder);
}

static guint
n_shapes (Fixture *f)
{
  g_autoptr (JsonNode) node = NULL;
  JsonObject *object = result (f, &node);

  return json_array_get_length (json_object_get_array_member (object, "shapes"));
}

static JsonObject *
shape (Fixture *f, guint index, JsonNode **holder)
{
  JsonObject *object = result (f, holder);
  JsonArray *shapes = json_object_get_array_member (object, "shapes");

  g_assert_cmpuint (index, <, json_array_get_length (shapes));
  return json_array_get_object_element (shapes, index);
}

/* One screen pixel, in image pixels, at the current zoom. */
static double
pixel (Fixture *f)
{
  return 1.5 / fl_image_canvas_get_zoom (f->canvas);
}

static void
assert_box (Fixture *f, guint index, const char *label, double x, double y, double w, double h)
{
  g_autoptr (JsonNode) holder = NULL;
  JsonObject *box = shape (f, index, &holder);
  double tolerance = pixel (f) * 2;

  g_assert_cmpstr (json_object_get_string_member (box, "type"), ==, "box");
  g_assert_cmpstr (json_object_get_string_member (box, "label"), ==, label);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "x"), x, tolerance);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "y"), y, tolerance);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "width"), w, tolerance);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "height"), h, tolerance);
}

static char *
tool (Fixture *f)
{
  char *name = NULL;

  g_object_get (f->view, "tool", &name, NULL);
  return name;
}

/* What the X server shows of the window, as a real screenshot. */
static GdkPixbuf *
grab_window (Fixture *f, const char *path)
{
  g_autofree char *id = window_id (f);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  GdkPixbuf *pixbuf;

  fl_test_sleep_in_loop (150);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "import", "-window", id, path, NULL);
  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  return pixbuf;
}

static void
save_screenshot (Fixture *f, const char *name)
{
  g_autofree char *path = fl_test_log_path (name);
  g_autoptr (GdkPixbuf) shot = grab_window (f, path);

  g_test_message ("screenshot: %s", path);
}

/* The colour the window shows at an image point. */
static void
canvas_color_at (Fixture *f, double x, double y, guint8 rgb[3])
{
  g_autofree char *path = g_build_filename (f->dir, "grab.png", NULL);
  g_autoptr (GdkPixbuf) shot = grab_window (f, path);
  g_autofree char *wx = NULL, *wy = NULL;

  to_window (f, x, y, &wx, &wy);
  fl_test_pixel (shot, atoi (wx), atoi (wy), &rgb[0], &rgb[1], &rgb[2]);
  g_unlink (path);
}

/* Tests */

static void
test_draw_edit_undo_redo (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "scene.png", 800, 600);
  g_autoptr (JsonNode) before_undo = NULL;
  g_autoptr (JsonNode) after_redo = NULL;
  g_autoptr (JsonNode) holder = NULL;
  g_autofree char *current = NULL;
  guint changes;
  JsonObject *object;

  load (f, path, label_config_json, NULL);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (100);
  g_assert_cmpuint (n_shapes (f), ==, 0);

  /* W picks the box tool, as in labelImg. */
  click (f, 780, 580);
  key (f, "w");
  current = tool (f);
  g_assert_cmpstr (current, ==, "box");

  drag (f, 100, 100, 300, 250);
  g_assert_cmpuint (n_shapes (f), ==, 1);
  assert_box (f, 0, "car", 100, 100, 200, 150);

  /* Move it with the select tool. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.tool", "s", "select");
  drag (f, 200, 175, 250, 195);
  assert_box (f, 0, "car", 150, 120, 200, 150);

  /* Resize by the bottom-right handle. */
  drag (f, 350, 270, 400, 300);
  assert_box (f, 0, "car", 150, 120, 250, 180);

  /* Key 2 relabels the selection; arrows nudge, Shift by 10. */
  key (f, "2");
  assert_box (f, 0, "road", 150, 120, 250, 180);
  key (f, "Right");
  key (f, "shift+Down");
  assert_box (f, 0, "road", 151, 130, 250, 180);

  /* Attributes of the class appear and apply to the selection. */
  {
    GtkWidget *check =
      fl_test_find_widget_of_type (GTK_WIDGET (f->view), GTK_TYPE_CHECK_BUTTON, "occluded");
    GtkWidget *entry =
      fl_test_find_widget_of_type (GTK_WIDGET (f->view), GTK_TYPE_ENTRY, "surface");
    JsonObject *attributes;

    g_assert_nonnull (check);
    g_assert_nonnull (entry);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    gtk_editable_set_text (GTK_EDITABLE (entry), "gravel");
    g_signal_emit_by_name (entry, "activate");
    object = shape (f, 0, &holder);
    attributes = json_object_get_object_member (object, "attributes");
    g_assert_true (json_object_get_boolean_member (attributes, "occluded"));
    g_assert_cmpstr (json_object_get_string_member (attributes, "surface"), ==, "gravel");
    g_clear_pointer (&holder, json_node_unref);
  }

  /* Ctrl+D duplicates, Delete removes the duplicate. */
  key (f, "ctrl+d");
  g_assert_cmpuint (n_shapes (f), ==, 2);
  assert_box (f, 1, "road", 161, 140, 250, 180);
  key (f, "Delete");
  g_assert_cmpuint (n_shapes (f), ==, 1);

  /* A polygon closed on its first point, one finished with Enter after
   * Backspace took its last point away, and a point. */
  key (f, "p");
  click (f, 500, 100);
  click (f, 700, 120);
  click (f, 600, 300);
  click (f, 500, 100);
  g_assert_cmpuint (n_shapes (f), ==, 2);
  click (f, 50, 400);
  click (f, 150, 400);
  click (f, 100, 500);
  click (f, 60, 590);
  g_assert_cmpuint (fl_image_canvas_get_draft_length (f->canvas), ==, 4);
  key (f, "BackSpace");
  key (f, "Return");
  g_assert_cmpuint (n_shapes (f), ==, 3);
  object = shape (f, 2, &holder);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "polygon");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "points")), ==, 3);
  g_clear_pointer (&holder, json_node_unref);
  key (f, "o");
  click (f, 400, 450);
  g_assert_cmpuint (n_shapes (f), ==, 4);
  object = shape (f, 3, &holder);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "point");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (object, "x"), 400, pixel (f) * 2);
  g_clear_pointer (&holder, json_node_unref);

  /* Alt+2 toggles the second tag, the action toggles a tag by name. */
  key (f, "alt+2");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.toggle-tag", "s", "night");
  object = result (f, &holder);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "tags")), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "tags"), 0),
                   ==, "blurry");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (object, "tags"), 1),
                   ==, "night");
  g_clear_pointer (&holder, json_node_unref);
  g_assert_cmpuint (f->changed, >=, 12);

  save_screenshot (f, "image-view-after-editing.png");

  /* Undo everything with Ctrl+Z, then redo it all with Ctrl+Shift+Z. */
  before_undo = fl_image_view_get_result (f->view);
  changes = 0;
  while (fl_image_document_can_undo (fl_image_view_get_document (f->view)))
    {
      key (f, "ctrl+z");
      g_assert_cmpuint (++changes, <, 50);
    }
  g_assert_cmpuint (n_shapes (f), ==, 0);
  for (guint i = 0; i < changes; i++)
    key (f, "ctrl+shift+z");
  after_redo = fl_image_view_get_result (f->view);
  g_assert_true (json_node_equal (before_undo, after_redo));

  g_unlink (path);
}

static void
test_exif_rotated_photo (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "rotated.jpg", NULL);
  g_autoptr (JsonNode) holder = NULL;
  JsonObject *image;
  guint8 top[3], bottom[3];

  /* Stored 400 x 200, red left and blue right, to be shown turned clockwise. */
  fl_test_write_rotated_jpeg (path, 400, 200, 6);
  load (f, path, label_config_json, NULL);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (100);
  image = json_object_get_object_member (result (f, &holder), "image");
  g_assert_cmpint (json_object_get_int_member (image, "width"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (image, "height"), ==, 400);
  canvas_color_at (f, 100, 50, top);
  canvas_color_at (f, 100, 350, bottom);
  g_test_message ("top %u,%u,%u bottom %u,%u,%u", top[0], top[1], top[2], bottom[0], bottom[1],
                  bottom[2]);
  g_assert_cmpint (top[0], >, top[2] + 100);
  g_assert_cmpint (bottom[2], >, bottom[0] + 100);
  g_unlink (path);
}

static void
assert_load_fails (Fixture *f, const char *path, const char *config, const char *expected)
{
  load (f, path, config, NULL);
  spin_until (load_failed, f);
  g_test_message ("%s: %s", path, f->failure);
  g_assert_nonnull (strstr (f->failure, expected));
  g_assert_cmpstr (fl_image_view_get_error (f->view), ==, f->failure);
  g_assert_null (fl_image_view_get_result (f->view));
  g_assert_cmpuint (f->ready, ==, 0);
}

static void
test_bad_inputs_show_errors (Fixture *f, gconstpointer data)
{
  g_autofree char *bomb = g_build_filename (f->dir, "bomb.png", NULL);
  g_autofree char *good = write_scene (f, "good.png", 300, 200);
  g_autofree char *cut = g_build_filename (f->dir, "cut.png", NULL);
  g_autofree char *text = g_build_filename (f->dir, "text.webp", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  fl_test_write_png_bomb (bomb, 60000, 60000);
  assert_load_fails (f, bomb, label_config_json, "60000");
  save_screenshot (f, "image-view-bomb-refused.png");

  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut, contents, length / 3, NULL));
  assert_load_fails (f, cut, label_config_json, "incomplete");

  g_assert_true (g_file_set_contents (text, "RIFF but not really", -1, NULL));
  assert_load_fails (f, text, label_config_json, "format");

  assert_load_fails (
    f, good,
    "{\"classes\":[{\"name\":\"car\",\"hotkey\":\"3\"},{\"name\":\"bus\",\"hotkey\":\"3\"}]}",
    "hotkey 3");

  /* After all that, a good image still opens in the same view. */
  load (f, good, label_config_json, NULL);
  spin_until (image_complete, f);
  g_assert_null (fl_image_view_get_error (f->view));

  g_unlink (bomb);
  g_unlink (good);
  g_unlink (cut);
  g_unlink (text);
}

static void
test_preannotation_clamped_with_visible_warning (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "pre.png", 400, 300);
  g_autoptr (JsonNode) holder = NULL;
  const char *warning;
  JsonObject *box;

  load (f, path, label_config_json,
        "{\"kind\":\"image\",\"shapes\":["
        "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":350,\"y\":-20,\"width\":100,"
        "\"height\":100},"
        "{\"id\":\"s2\",\"type\":\"box\",\"label\":\"car\",\"x\":10,\"y\":10,\"width\":0,"
        "\"height\":0},"
        "{\"id\":\"s3\",\"type\":\"point\",\"label\":\"person\",\"x\":1000,\"y\":10},"
        "{\"id\":\"s4\",\"type\":\"point\",\"label\":\"bicycle\",\"x\":100,\"y\":10}]}");
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (100);
  warning = fl_image_view_get_warning (f->view);
  g_assert_nonnull (warning);
  g_test_message ("warning: %s", warning);
  g_assert_nonnull (strstr (warning, "clamped"));
  g_assert_nonnull (strstr (warning, "dropped"));
  g_assert_nonnull (strstr (warning, "“bicycle”"));
  g_assert_cmpuint (n_shapes (f), ==, 2);
  box = shape (f, 0, &holder);
  g_assert_cmpfloat (json_object_get_double_member (box, "x"), ==, 350);
  g_assert_cmpfloat (json_object_get_double_member (box, "y"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (box, "width"), ==, 50);
  g_assert_cmpfloat (json_object_get_double_member (box, "height"), ==, 80);
  save_screenshot (f, "image-view-pre-annotation-warning.png");
  g_unlink (path);
}

static void
test_copy_previous_and_paste (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "next.png", 400, 300);
  g_autoptr (JsonNode) previous = json_from_string (
    "{\"kind\":\"image\",\"shapes\":["
    "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":10,\"y\":10,\"width\":50,\"height\":"
    "40},"
    "{\"id\":\"s2\",\"type\":\"polygon\",\"label\":\"road\",\"points\":[[0,0],[100,0],[50,80]]}]}",
    NULL);

  load (f, path, label_config_json, NULL);
  spin_until (image_complete, f);

  /* The label search: "/" focuses it, Enter takes the first match. */
  {
    GtkWidget *search =
      fl_test_find_widget_of_type (GTK_WIDGET (f->view), GTK_TYPE_SEARCH_ENTRY, NULL);

    g_assert_nonnull (search);
    g_assert_cmpstr (fl_image_canvas_get_current_label (f->canvas), ==, "car");
    key (f, "slash");
    g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), search));
    xdotool ("type", "buil", NULL);
    key (f, "Return");
    g_assert_cmpstr (fl_image_canvas_get_current_label (f->canvas), ==, "building");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  }

  fl_image_view_set_previous_result (f->view, previous);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.copy-previous", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 2);
  /* Both are selected: copy, paste gives two more; one undo takes them back. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.copy", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.paste", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 4);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.undo", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 2);
  /* Hide all draws nothing; show all brings them back. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.shapes-visible", NULL);
  fl_test_sleep_in_loop (100);
  g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.shapes-visible", NULL);
  fl_test_sleep_in_loop (100);
  g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 2);
  g_unlink (path);
}

/* The canvas as it draws a frame now, through the window's own renderer. */
static GdkPixbuf *
render_canvas (Fixture *f)
{
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (GTK_WIDGET (f->canvas));
  int height = gtk_widget_get_height (GTK_WIDGET (f->canvas));

  GTK_WIDGET_GET_CLASS (f->canvas)->snapshot (GTK_WIDGET (f->canvas), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (f->window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_pixbuf_get_from_texture (texture);
}

/* The mean difference between the canvas and the image it shows, over a
 * block of the view's middle. */
static double
difference_from_image (Fixture *f, GdkPixbuf *canvas, GdkPixbuf *image)
{
  g_autoptr (GdkPixbuf) block = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 200, 150);
  int x0 = gdk_pixbuf_get_width (canvas) / 2 - 100, y0 = gdk_pixbuf_get_height (canvas) / 2 - 75;

  for (int y = 0; y < 150; y++)
    for (int x = 0; x < 200; x++)
      {
        guint8 *out = gdk_pixbuf_get_pixels (block) + y * gdk_pixbuf_get_rowstride (block) + x * 3;
        double ix, iy;

        fl_image_canvas_widget_to_image (f->canvas, x0 + x + 0.5, y0 + y + 0.5, &ix, &iy);
        fl_test_pixel (image, (int) ix, (int) iy, &out[0], &out[1], &out[2]);
      }
  {
    g_autoptr (GdkPixbuf) shown = gdk_pixbuf_new_subpixbuf (canvas, x0, y0, 200, 150);
    g_autoptr (GdkPixbuf) opaque = gdk_pixbuf_add_alpha (shown, FALSE, 0, 0, 0);

    return fl_test_mean_difference (opaque, block);
  }
}

/* A large JPEG is kept as planes, and tiles of its two finest levels are
 * converted by a worker: until one arrives, the coarser level stands in for
 * it, in the same place; then the frame is as sharp as the image. */
static void
test_converted_tiles_stand_in_then_sharp (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "large.jpg", NULL);
  /* Odd sides: the levels are not exact halves, and tiles of two levels
   * do not quite line up. */
  g_autoptr (GdkPixbuf) source = fl_test_make_street (4093, 3071);
  g_autoptr (GdkPixbuf) decoded = NULL;
  g_autoptr (GError) error = NULL;
  const double zooms[] = { 1.0, 0.5 };

  g_assert_true (gdk_pixbuf_save (source, path, "jpeg", &error, "quality", "92", NULL));
  g_assert_no_error (error);
  decoded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  load (f, path, label_config_json, NULL);
  spin_until (image_complete, f);
  /* The shapes are laid out once the image is on screen, not before:
   * that would take the processor from the decoders. */
  g_assert_cmpint (f->level_at_ready, >=, 0);
  fl_test_sleep_in_loop (200);

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr (GdkPixbuf) first = NULL;
      g_autoptr (GdkPixbuf) last = NULL;
      double early, late;

      fl_image_canvas_set_view (f->canvas, zooms[i], 1500 + 300 * i, 1700);
      /* Drawn before the main loop runs again: no converted tile yet. */
      first = render_canvas (f);
      fl_test_sleep_in_loop (400);
      last = render_canvas (f);
      early = difference_from_image (f, first, decoded);
      late = difference_from_image (f, last, decoded);
      g_test_message ("zoom %.1f: %.2f from the image with stand-ins, %.2f sharp", zooms[i], early,
                      late);
      g_assert_cmpfloat (late, <, 3.0);
      g_assert_cmpfloat (early, >, late);
      g_assert_cmpfloat (early, <, 12.0);
      /* No gap between stand-ins and tiles: the image covers the view. */
      g_assert_cmpuint (fl_test_count_transparent (first), ==, 0);
      g_assert_cmpuint (fl_test_count_transparent (last), ==, 0);
    }
  g_unlink (path);
}

/* A grid of 300 boxes ("s1" to "s300") of four labels, and a polygon
 * across some of them, for a 1600 x 1200 image. */
static char *
crowd_pre_annotation (void)
{
  const char *labels[] = { "car", "road", "person", "building" };
  GString *pre = g_string_new ("{\"kind\":\"image\",\"shapes\":[");

  for (int i = 0; i < 300; i++)
    g_string_append_printf (pre,
                            "{\"id\":\"s%d\",\"type\":\"box\",\"label\":\"%s\",\"x\":%d,"
                            "\"y\":%d,\"width\":%d,\"height\":%d},",
                            i + 1, labels[i % 4], 20 + (i % 20) * 78, 20 + (i / 20) * 76,
                            40 + i % 30, 30 + i % 40);
  g_string_append (pre, "{\"id\":\"p1\",\"type\":\"polygon\",\"label\":\"road\","
                        "\"points\":[[100,100],[900,300],[400,800]]}]}");
  return g_string_free (pre, FALSE);
}

/* The canvas rendered with the shapes hidden, which draws the image's own
 * tiles; the shapes are shown again after. */
static GdkPixbuf *
render_canvas_without_shapes (Fixture *f)
{
  GdkPixbuf *tiled;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.shapes-visible", NULL);
  fl_test_sleep_in_loop (400);
  tiled = render_canvas (f);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.shapes-visible", NULL);
  return tiled;
}

/* The mean difference of two renders of the canvas over a block of the
 * view's middle. */
static double
difference_in_middle (GdkPixbuf *a, GdkPixbuf *b)
{
  int x = gdk_pixbuf_get_width (a) / 2 - 100, y = gdk_pixbuf_get_height (a) / 2 - 75;
  g_autoptr (GdkPixbuf) block_a = gdk_pixbuf_new_subpixbuf (a, x, y, 200, 150);
  g_autoptr (GdkPixbuf) block_b = gdk_pixbuf_new_subpixbuf (b, x, y, 200, 150);

  return fl_test_mean_difference (block_a, block_b);
}

/* With a software renderer (llvmpipe under Xvfb, or cairo), the image is
 * drawn into the shapes layer: where no shape is, that must show what the
 * image's own tiles show, at every zoom, and the shapes must be there. */
static void
test_image_in_layer_matches_tiles (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "scene.png", 1600, 1200);
  g_autoptr (GdkPixbuf) decoded = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) pre = g_string_new ("{\"kind\":\"image\",\"shapes\":[");
  const double zooms[] = { 0.45, 0.7, 1.0, 2.0, 3.0 };

  /* Boxes on the left quarter only. The views below look further right,
   * with the boxes just in the layer's margin: the layer holds the image,
   * and the middle of the view has no shape. */
  for (int i = 0; i < 40; i++)
    g_string_append_printf (pre,
                            "%s{\"type\":\"box\",\"label\":\"car\",\"x\":%d,\"y\":%d,"
                            "\"width\":60,\"height\":50}",
                            i > 0 ? "," : "", 20 + (i % 4) * 80, 20 + (i / 4) * 110);
  g_string_append (pre, "]}");
  decoded = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  load (f, path, label_config_json, pre->str);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (400);
  g_assert_true (fl_image_canvas_get_image_in_layer (f->canvas));

  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr (GdkPixbuf) layered = NULL;
      g_autoptr (GdkPixbuf) tiled = NULL;
      double between, from_image;

      fl_image_canvas_set_view (
        f->canvas, zooms[i],
        400 + 0.4 * gtk_widget_get_width (GTK_WIDGET (f->canvas)) / 2 / zooms[i], 650);
      fl_test_sleep_in_loop (400);
      g_assert_true (fl_image_canvas_get_image_in_layer (f->canvas));
      layered = render_canvas (f);
      tiled = render_canvas_without_shapes (f);
      between = difference_in_middle (layered, tiled);
      from_image = difference_from_image (f, layered, decoded);
      g_test_message ("zoom %.2f: layer against tiles %.2f, against the image %.2f", zooms[i],
                      between, from_image);
      g_assert_cmpfloat (between, <, 1.5);
      /* From 100 % on, pixels are copied as they are, and the image
       * covers the canvas: nothing is left out. */
      if (zooms[i] >= 1.0)
        {
          g_assert_cmpfloat (from_image, <, 0.01);
          g_assert_cmpuint (fl_test_count_transparent (layered), ==, 0);
        }
    }

  /* Over the boxes, the layer shows them. */
  fl_image_canvas_set_view (f->canvas, 1.0, 180, 300);
  fl_test_sleep_in_loop (400);
  {
    g_autoptr (GdkPixbuf) layered = render_canvas (f);
    g_autoptr (GdkPixbuf) tiled = render_canvas_without_shapes (f);

    g_assert_cmpfloat (fl_test_mean_difference (layered, tiled), >, 1.0);
  }
  g_unlink (path);
}

/* Panning at one zoom, each new layer takes over the tiles it shares with
 * the one before, on the same grid, and draws only the others: the view
 * must then be what a layer drawn whole shows. */
static void
test_panned_layer_as_drawn_whole (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "crowd.png", 1600, 1200);
  g_autofree char *pre = crowd_pre_annotation ();
  g_autoptr (JsonObject) config = parse_object (label_config_json);
  g_autoptr (FlLabelConfig) same = fl_label_config_new_from_json (config, NULL);
  g_autoptr (GdkPixbuf) panned = NULL;
  g_autoptr (GdkPixbuf) whole = NULL;
  double difference;

  load (f, path, label_config_json, pre);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (300);
  for (int step = 0; step <= 12; step++)
    {
      fl_image_canvas_set_view (f->canvas, 1.0, 500 + 45 * step, 400 + 20 * step);
      fl_test_sleep_in_loop (120);
    }
  fl_test_sleep_in_loop (300);
  panned = render_canvas (f);
  fl_image_canvas_set_label_config (f->canvas, same);
  fl_test_sleep_in_loop (100);
  whole = render_canvas (f);
  difference = fl_test_mean_difference (panned, whole);
  g_test_message ("panned layer against a whole one: mean difference %.4f", difference);
  g_assert_cmpfloat (difference, <, 0.01);
  g_unlink (path);
}

/* Zooming out, the layer drawn at the zoom before covers only the middle
 * of the view until it is drawn again: the image's own tiles show around
 * it, and with GL those it covers are not drawn under it. */
static void
test_zoomed_out_layer_hides_tiles_under_it (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "crowd.png", 1600, 1200);
  g_autofree char *pre = crowd_pre_annotation ();
  g_autoptr (GdkPixbuf) stale = NULL;
  g_autoptr (GdkPixbuf) tiled = NULL;
  guint stale_tiles, all_tiles;
  double difference;

  load (f, path, label_config_json, pre);
  spin_until (image_complete, f);
  fl_image_canvas_set_view (f->canvas, 1.0, 800, 600);
  fl_test_sleep_in_loop (400);
  g_assert_true (fl_image_canvas_get_image_in_layer (f->canvas));
  /* Drawn before the main loop runs again: the layer is the one before. */
  fl_image_canvas_set_view (f->canvas, 0.6, 800, 600);
  stale = render_canvas (f);
  stale_tiles = fl_image_canvas_get_drawn_tiles (f->canvas);
  tiled = render_canvas_without_shapes (f);
  all_tiles = fl_image_canvas_get_drawn_tiles (f->canvas);
  difference = difference_in_middle (stale, tiled);
  g_test_message ("zoomed out under the layer before: %u of %u tiles drawn; middle differs by "
                  "%.2f from the tiles",
                  stale_tiles, all_tiles, difference);
  g_assert_cmpuint (stale_tiles, >, 0);
  /* Cairo smooths the edges of the layer's scaled tiles: there, what is
   * beneath them stays drawn. */
  if (GSK_IS_GL_RENDERER (gtk_native_get_renderer (GTK_NATIVE (f->window))))
    g_assert_cmpuint (stale_tiles, <, all_tiles);
  else
    g_assert_cmpuint (stale_tiles, ==, all_tiles);
  /* No gap between the layer and the tiles around it: the canvas paints
   * every pixel. */
  g_assert_cmpuint (fl_test_count_transparent (stale), ==, 0);
  g_assert_cmpuint (fl_test_count_transparent (tiled), ==, 0);
  g_assert_cmpfloat (difference, <, 20.0);
  g_unlink (path);
}

/* Whether the pixel at @x, @y of @pixbuf is @color, give or take a step. */
static gboolean
pixel_is (GdkPixbuf *pixbuf, int x, int y, const GdkRGBA *color)
{
  const guint8 *p = gdk_pixbuf_read_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4;

  g_test_message ("pixel %d,%d: %u %u %u %u, against %.0f %.0f %.0f", x, y, p[0], p[1], p[2], p[3],
                  color->red * 255, color->green * 255, color->blue * 255);
  return p[3] == 255 && fabs (p[0] - color->red * 255) <= 2 &&
         fabs (p[1] - color->green * 255) <= 2 && fabs (p[2] - color->blue * 255) <= 2;
}

/* The canvas paints every pixel of its own, so that its window need not
 * paint anything beneath it: before any image, around one, and through a
 * transparent one, where the window's background shows as it would. */
static void
test_canvas_paints_every_pixel (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "clear.png", NULL);
  g_autoptr (GdkPixbuf) street = fl_test_make_street (1600, 1200);
  g_autoptr (GdkPixbuf) image = gdk_pixbuf_add_alpha (street, FALSE, 0, 0, 0);
  const char *pre = "{\"kind\":\"image\",\"shapes\":[{\"type\":\"box\",\"label\":\"car\","
                    "\"x\":100,\"y\":100,\"width\":300,\"height\":200}]}";
  const double zooms[] = { 0.3, 1.0, 2.5 };
  GdkRGBA window, shade;

  /* The right half of the image is transparent. */
  for (int y = 0; y < 1200; y++)
    for (int x = 800; x < 1600; x++)
      gdk_pixbuf_get_pixels (image)[y * gdk_pixbuf_get_rowstride (image) + x * 4 + 3] = 0;
  g_assert_true (gdk_pixbuf_save (image, path, "png", NULL, NULL));
  fl_backdrop_get_window_color (GTK_WIDGET (f->canvas), &window);
  shade = (GdkRGBA){ window.red * 0.92, window.green * 0.92, window.blue * 0.92, 1 };

  {
    g_autoptr (GdkPixbuf) empty = render_canvas (f);

    g_assert_cmpuint (fl_test_count_transparent (empty), ==, 0);
    g_assert_true (pixel_is (empty, 10, 10, &shade));
  }
  load (f, path, label_config_json, pre);
  spin_until (image_complete, f);
  for (guint i = 0; i < G_N_ELEMENTS (zooms); i++)
    {
      g_autoptr (GdkPixbuf) shown = NULL;
      double x, y;

      /* The middle of the view on the edge of the transparent half. */
      fl_image_canvas_set_view (f->canvas, zooms[i], 800, 600);
      fl_test_sleep_in_loop (400);
      shown = render_canvas (f);
      g_test_message ("zoom %.1f: shapes layer holds the image: %d", zooms[i],
                      fl_image_canvas_get_image_in_layer (f->canvas));
      g_assert_cmpuint (fl_test_count_transparent (shown), ==, 0);
      /* The transparent half shows the window's background. */
      fl_image_canvas_image_to_widget (f->canvas, 900, 560, &x, &y);
      g_assert_true (pixel_is (shown, (int) x, (int) y, &window));
      /* Around the whole image, the backdrop. */
      if (zooms[i] < 0.5)
        g_assert_true (pixel_is (shown, 2, 2, &shade));
    }
  g_unlink (path);
}

/* An edit draws again only the layer tiles the changed shapes touch: what
 * that gives must be what drawing the whole layer gives. */
static void
test_edits_redraw_layer_as_a_whole_redraw_would (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "crowd.png", 1600, 1200);
  g_autofree char *pre = crowd_pre_annotation ();
  g_autoptr (JsonObject) config = parse_object (label_config_json);
  g_autoptr (FlLabelConfig) same = fl_label_config_new_from_json (config, NULL);
  /* Far from the layer's first tile, where a misplaced tile would show. */
  const char *const *first = (const char *const[]){ "s300", NULL };

  load (f, path, label_config_json, pre);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (400);
  g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 301);

  /* Move one box, delete another, undo the delete: three edits. */
  fl_image_canvas_select (f->canvas, first);
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.nudge", "(ii)", 10, 10);
  fl_test_sleep_in_loop (100);
  {
    const char *const *other = (const char *const[]){ "s150", NULL };

    fl_image_canvas_select (f->canvas, other);
    gtk_widget_activate_action (GTK_WIDGET (f->view), "image.delete", NULL);
    fl_test_sleep_in_loop (100);
    g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 300);
    gtk_widget_activate_action (GTK_WIDGET (f->view), "image.undo", NULL);
    fl_test_sleep_in_loop (100);
  }
  fl_image_canvas_select (f->canvas, NULL);
  fl_test_sleep_in_loop (100);
  {
    g_autoptr (GdkPixbuf) patched = render_canvas (f);
    g_autoptr (GdkPixbuf) whole = NULL;
    double difference;

    /* The same colours again: the whole layer is drawn anew. */
    fl_image_canvas_set_label_config (f->canvas, same);
    fl_test_sleep_in_loop (100);
    whole = render_canvas (f);
    difference = fl_test_mean_difference (patched, whole);
    g_test_message ("patched layer against a whole redraw: mean difference %.4f", difference);
    g_assert_cmpfloat (difference, <, 0.01);
  }
  g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 301);
  g_unlink (path);
}

static void
test_labeled_street_screenshot (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "street.png", 800, 600);
  g_autoptr (GString) pre = g_string_new ("{\"kind\":\"image\",\"tags\":[\"blurry\"],\"shapes\":["
                                          "{\"type\":\"box\",\"label\":\"car\",\"x\":92,\"y\":350,"
                                          "\"width\":200,\"height\":106},"
                                          "{\"type\":\"box\",\"label\":\"car\",\"x\":492,\"y\":422,"
                                          "\"width\":200,\"height\":106},"
                                          "{\"type\":\"polygon\",\"label\":\"road\",\"points\":"
                                          "[[0,362],[800,362],[800,598],[0,598]]}");
  const char *const *ids = (const char *const[]){ "s1", NULL };

  for (int i = 0; i < 5; i++)
    {
      double x = 800 * (0.02 + i * 0.2), top = 600 * (0.22 + 0.06 * (i % 3));

      g_string_append_printf (pre,
                              ",{\"type\":\"box\",\"label\":\"building\",\"x\":%.0f,\"y\":%.0f,"
                              "\"width\":136,\"height\":%.0f}",
                              x, top, 360 - top);
    }
  g_string_append (pre, "]}");
  load (f, path, label_config_json, pre->str);
  spin_until (image_complete, f);
  g_assert_cmpuint (n_shapes (f), ==, 8);
  fl_image_canvas_select (f->canvas, ids);
  fl_test_sleep_in_loop (150);
  g_assert_cmpuint (fl_image_canvas_get_drawn_shapes (f->canvas), ==, 8);
  save_screenshot (f, "image-view-labeled.png");
  g_unlink (path);
}

static gboolean
has_action_name (GtkWidget *widget, gconstpointer name)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), name) == 0;
}

/* Whether the toolbar button of @action can be pressed. */
static gboolean
button_enabled (Fixture *f, const char *action)
{
  GtkWidget *button = fl_test_find_widget (GTK_WIDGET (f->view), has_action_name, action);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static void
test_selection_actions_follow_the_selection (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "selection.png", 400, 300);
  const char *const *first = (const char *const[]){ "s1", NULL };
  const char *const *none = (const char *const[]){ NULL };

  load (f, path, label_config_json,
        "{\"kind\":\"image\",\"shapes\":["
        "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":10,\"y\":10,"
        "\"width\":50,\"height\":40},"
        "{\"id\":\"s2\",\"type\":\"box\",\"label\":\"car\",\"x\":100,\"y\":100,"
        "\"width\":50,\"height\":40}]}");
  spin_until (image_complete, f);
  g_assert_cmpuint (n_shapes (f), ==, 2);

  /* Nothing selected: nothing to duplicate or delete. */
  g_assert_false (button_enabled (f, "image.duplicate"));
  g_assert_false (button_enabled (f, "image.delete"));

  fl_image_canvas_select (f->canvas, first);
  g_assert_true (button_enabled (f, "image.duplicate"));
  g_assert_true (button_enabled (f, "image.delete"));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.duplicate", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 3);

  /* Escape drops the selection, and with it the actions. */
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  key (f, "Escape");
  g_assert_false (button_enabled (f, "image.duplicate"));
  g_assert_false (button_enabled (f, "image.delete"));
  key (f, "ctrl+d");
  key (f, "Delete");
  g_assert_cmpuint (n_shapes (f), ==, 3);

  /* Deleting the selected shape leaves nothing selected. */
  fl_image_canvas_select_all (f->canvas);
  g_assert_true (button_enabled (f, "image.delete"));
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.delete", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 0);
  g_assert_false (button_enabled (f, "image.duplicate"));
  g_assert_false (button_enabled (f, "image.delete"));

  /* Undo brings the shapes back, not the selection. */
  gtk_widget_activate_action (GTK_WIDGET (f->view), "image.undo", NULL);
  g_assert_cmpuint (n_shapes (f), ==, 3);
  fl_image_canvas_select (f->canvas, none);
  g_assert_false (button_enabled (f, "image.delete"));
  g_unlink (path);
}

static void
image_under (Fixture *f, const char *wx, const char *wy, double *x, double *y)
{
  double sx, sy, cx, cy;

  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (f->window), GTK_WIDGET (f->canvas),
                                                   atoi (wx) - sx, atoi (wy) - sy, &cx, &cy));
  fl_image_canvas_widget_to_image (f->canvas, cx, cy, x, y);
}

static void
test_zoom_and_pan (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_scene (f, "zoom.png", 1600, 1200);
  g_autofree char *id = NULL;
  g_autofree char *wx = NULL, *wy = NULL, *wx2 = NULL, *wy2 = NULL;
  double fit, zoom, x0, y0, x1, y1;

  load (f, path, label_config_json, NULL);
  spin_until (image_complete, f);
  fl_test_sleep_in_loop (100);
  id = window_id (f);
  fit = fl_image_canvas_get_zoom (f->canvas);
  g_assert_cmpfloat (fit, <, 1.0);

  /* Ctrl+scroll zooms in keeping the image point under the pointer. */
  to_window (f, 400, 300, &wx, &wy);
  xdotool ("mousemove", "--window", id, wx, wy, "keydown", "ctrl", "click", "4", "click", "4",
           "keyup", "ctrl", NULL);
  zoom = fl_image_canvas_get_zoom (f->canvas);
  g_assert_cmpfloat (zoom, >, fit * 1.3);
  image_under (f, wx, wy, &x0, &y0);
  g_assert_cmpfloat_with_epsilon (x0, 400, 2 / zoom + 1);
  g_assert_cmpfloat_with_epsilon (y0, 300, 2 / zoom + 1);

  /* Plain scrolling pans. */
  xdotool ("click", "5", NULL);
  image_under (f, wx, wy, &x1, &y1);
  g_assert_cmpfloat (y1, >, y0 + 5);

  /* Middle drag and Space + drag pan by what the pointer moved. */
  image_under (f, wx, wy, &x0, &y0);
  wx2 = g_strdup_printf ("%d", atoi (wx) - 100);
  wy2 = g_strdup_printf ("%d", atoi (wy) - 50);
  xdotool ("mousedown", "2", "sleep", "0.05", "mousemove", "--window", id, wx2, wy2, "sleep",
           "0.05", "mouseup", "2", NULL);
  image_under (f, wx2, wy2, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1, x0, 2 / zoom + 1);
  g_assert_cmpfloat_with_epsilon (y1, y0, 2 / zoom + 1);
  xdotool ("mousemove", "--window", id, wx, wy, NULL);
  image_under (f, wx, wy, &x0, &y0);
  xdotool ("keydown", "space", "mousedown", "1", "sleep", "0.05", "mousemove", "--window", id, wx2,
           wy2, "sleep", "0.05", "mouseup", "1", "keyup", "space", NULL);
  image_under (f, wx2, wy2, &x1, &y1);
  g_assert_cmpfloat_with_epsilon (x1, x0, 2 / zoom + 1);
  g_assert_cmpfloat_with_epsilon (y1, y0, 2 / zoom + 1);
  g_assert_cmpuint (n_shapes (f), ==, 0);

  /* Ctrl+1 is 1:1, + and - step, 0 fits again. */
  key (f, "ctrl+1");
  g_assert_cmpfloat (fl_image_canvas_get_zoom (f->canvas), ==, 1.0);
  key (f, "plus");
  g_assert_cmpfloat (fl_image_canvas_get_zoom (f->canvas), >, 1.0);
  key (f, "minus");
  key (f, "minus");
  g_assert_cmpfloat (fl_image_canvas_get_zoom (f->canvas), <, 1.0);
  key (f, "0");
  g_assert_cmpfloat_with_epsilon (fl_image_canvas_get_zoom (f->canvas), fit, 1e-9);
  g_unlink (path);
}

int
main (int argc, char *argv[])
{
  if (!fl_test_gtk_init (&argc, &argv))
    return 1;
  /* What the application's resource base path gives it: the tool icons. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/fairlabel/Fairlabel/icons");

  g_test_add ("/image/view/draw-move-resize-relabel-delete-undo-redo", Fixture, NULL,
              fixture_set_up, test_draw_edit_undo_redo, fixture_tear_down);
  g_test_add ("/image/view/exif-rotated-photo-shown-upright", Fixture, NULL, fixture_set_up,
              test_exif_rotated_photo, fixture_tear_down);
  g_test_add ("/image/view/bad-files-and-configs-show-errors", Fixture, NULL, fixture_set_up,
              test_bad_inputs_show_errors, fixture_tear_down);
  g_test_add ("/image/view/pre-annotation-clamped-with-visible-warning", Fixture, NULL,
              fixture_set_up, test_preannotation_clamped_with_visible_warning, fixture_tear_down);
  g_test_add ("/image/view/converted-tiles-stand-in-then-sharp", Fixture, NULL, fixture_set_up,
              test_converted_tiles_stand_in_then_sharp, fixture_tear_down);
  g_test_add ("/image/view/image-in-layer-matches-tiles", Fixture, NULL, fixture_set_up,
              test_image_in_layer_matches_tiles, fixture_tear_down);
  g_test_add ("/image/view/panned-layer-as-drawn-whole", Fixture, NULL, fixture_set_up,
              test_panned_layer_as_drawn_whole, fixture_tear_down);
  g_test_add ("/image/view/zoomed-out-layer-hides-tiles-under-it", Fixture, NULL, fixture_set_up,
              test_zoomed_out_layer_hides_tiles_under_it, fixture_tear_down);
  g_test_add ("/image/view/canvas-paints-every-pixel", Fixture, NULL, fixture_set_up,
              test_canvas_paints_every_pixel, fixture_tear_down);
  g_test_add ("/image/view/edits-redraw-layer-as-a-whole-redraw-would", Fixture, NULL,
              fixture_set_up, test_edits_redraw_layer_as_a_whole_redraw_would, fixture_tear_down);
  g_test_add ("/image/view/labeled-street-screenshot", Fixture, NULL, fixture_set_up,
              test_labeled_street_screenshot, fixture_tear_down);
  g_test_add ("/image/view/zoom-at-pointer-and-pan", Fixture, NULL, fixture_set_up,
              test_zoom_and_pan, fixture_tear_down);
  g_test_add ("/image/view/label-search-copy-previous-paste-hide", Fixture, NULL, fixture_set_up,
              test_copy_previous_and_paste, fixture_tear_down);
  g_test_add ("/image/view/selection-actions-disabled-without-selection", Fixture, NULL,
              fixture_set_up, test_selection_actions_follow_the_selection, fixture_tear_down);
  return g_test_run ();
}
