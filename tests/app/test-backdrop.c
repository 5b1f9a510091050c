/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's background, painted by its content around an image canvas
 * rather than beneath it: real widgets in a real window under Xvfb. */
#include "config.h"

#include <adwaita.h>

#include "fl-backdrop.h"
#include "fl-image-canvas.h"
#include "fl-test-gtk.h"
#include "fl-test-support.h"

typedef struct
{
  GtkWindow *window;
  FlBackdrop *backdrop;
  GtkStack *stack;
  GtkWidget *canvas;
  GtkWidget *other;
} Fixture;

/* A heading over a stack of an image canvas and a page of text. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 640, 480);
  gtk_window_set_decorated (f->window, FALSE);
  f->backdrop = FL_BACKDROP (fl_backdrop_new ());
  f->stack = GTK_STACK (gtk_stack_new ());
  f->canvas = GTK_WIDGET (fl_image_canvas_new ());
  f->other = gtk_label_new ("Nothing to label");
  gtk_widget_set_vexpand (GTK_WIDGET (f->stack), TRUE);
  gtk_stack_add_named (f->stack, f->canvas, "canvas");
  gtk_stack_add_named (f->stack, f->other, "other");
  gtk_box_append (GTK_BOX (box), gtk_label_new ("A heading"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->stack));
  adw_bin_set_child (ADW_BIN (f->backdrop), box);
  gtk_window_set_child (f->window, GTK_WIDGET (f->backdrop));
  gtk_window_present (f->window);
  fl_test_sleep_in_loop (300);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (f->window);
  fl_test_sleep_in_loop (50);
}

/* The content rendered alone: where it paints nothing, the window would
 * have to. */
static guint
unpainted (Fixture *f)
{
  g_autoptr (GdkTexture) texture = fl_test_render_next_frame (GTK_WIDGET (f->backdrop));
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_get_from_texture (texture);

  return fl_test_count_transparent (pixbuf);
}

static gboolean
transition_over (gpointer data)
{
  return !gtk_stack_get_transition_running (data);
}

static void
test_background_around_the_canvas (Fixture *f, gconstpointer data)
{
  /* Shown: the window paints no background of its own, the content paints
   * all of it, and leaves out the canvas, which paints every pixel. */
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "fl-hollow"));
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 1);

  /* Half see-through, the canvas lets what is beneath show. */
  gtk_widget_set_opacity (f->canvas, 0.5);
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 0);
  gtk_widget_set_opacity (f->canvas, 1.0);
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 1);

  /* Cross-fading to another page, and on that page. */
  gtk_stack_set_transition_type (f->stack, GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_set_transition_duration (f->stack, 600);
  gtk_stack_set_visible_child_name (f->stack, "other");
  g_assert_true (gtk_stack_get_transition_running (f->stack));
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 0);
  g_assert_true (fl_test_wait_until (transition_over, f->stack, 5000));
  g_assert_false (gtk_widget_get_mapped (f->canvas));
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 0);

  /* Sliding back: the canvas moves while it is drawn. */
  gtk_stack_set_transition_type (f->stack, GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT);
  gtk_stack_set_visible_child_name (f->stack, "canvas");
  g_assert_true (gtk_stack_get_transition_running (f->stack));
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 0);
  g_assert_true (fl_test_wait_until (transition_over, f->stack, 5000));
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 1);

  /* Without the backdrop, the window paints its background again. */
  g_object_ref (f->backdrop);
  gtk_window_set_child (f->window, NULL);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (f->window), "fl-hollow"));
  gtk_window_set_child (f->window, GTK_WIDGET (f->backdrop));
  g_object_unref (f->backdrop);
  g_assert_true (fl_test_wait_until ((GSourceFunc) gtk_widget_get_mapped, f->backdrop, 5000));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (f->window), "fl-hollow"));
}

/* A canvas larger than the scrolled window it is in: only the part in
 * sight is left out. */
static void
test_clipped_canvas_leaves_out_what_shows (Fixture *f, gconstpointer data)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *canvas = GTK_WIDGET (fl_image_canvas_new ());

  gtk_widget_set_size_request (canvas, 2000, 2000);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), canvas);
  gtk_stack_add_named (f->stack, scrolled, "scrolled");
  gtk_stack_set_transition_type (f->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (f->stack, "scrolled");
  g_assert_true (fl_test_wait_until ((GSourceFunc) gtk_widget_get_mapped, canvas, 5000));
  /* Scrolled down and right, the canvas reaches over the heading. */
  fl_test_sleep_in_loop (100);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                            500);
  gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                            500);
  g_assert_cmpuint (unpainted (f), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (f->backdrop), ==, 1);
}

int
main (int argc, char *argv[])
{
  if (!fl_test_gtk_init (&argc, &argv))
    return 1;

  g_test_add ("/app/backdrop/background-around-the-canvas", Fixture, NULL, fixture_set_up,
              test_background_around_the_canvas, fixture_tear_down);
  g_test_add ("/app/backdrop/clipped-canvas-leaves-out-what-shows", Fixture, NULL, fixture_set_up,
              test_clipped_canvas_leaves_out_what_shows, fixture_tear_down);
  return g_test_run ();
}
