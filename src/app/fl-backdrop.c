/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBackdrop"

#include "config.h"

#include <math.h>

#include "fl-backdrop.h"

/* The content of a window, painting the window's background itself: all
 * of it but the places opaque widgets below cover. The window's own
 * background, a single rectangle, is turned off while the backdrop is
 * mapped. The window clips its content to its rounded corners, if any,
 * as it does its background. */

struct _FlBackdrop
{
  AdwBin parent_instance;

  /* Not referenced: each leaves on unmap, while still a descendant. */
  GPtrArray *opaque;
  GtkWidget *hollowed;
  guint n_holes;
};

G_DEFINE_FINAL_TYPE (FlBackdrop, fl_backdrop, ADW_TYPE_BIN)

#define HOLLOW_CLASS "fl-hollow"

static const char hollow_css[] =
  "window." HOLLOW_CLASS " { background-color: transparent; background-image: none; }";

static void
ensure_style (GdkDisplay *display)
{
  g_autoptr (GtkCssProvider) provider = NULL;

  if (g_object_get_data (G_OBJECT (display), "fl-backdrop-style") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, hollow_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data_full (G_OBJECT (display), "fl-backdrop-style", g_steal_pointer (&provider),
                          g_object_unref);
}

static gboolean
lookup_window_color (GtkWidget *widget, GdkRGBA *color)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  return gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), "window_bg_color",
                                         color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

void
fl_backdrop_get_window_color (GtkWidget *widget, GdkRGBA *color)
{
  if (!lookup_window_color (widget, color))
    *color = (GdkRGBA){ 0.98, 0.98, 0.98, 1 };
}

/* Where @widget covers the backdrop, in its coordinates; FALSE while
 * something between them may let what is beneath show: a transition, an
 * opacity below 1. Clipping ancestors cut the place down. */
static gboolean
hole_for (FlBackdrop *self, GtkWidget *widget, graphene_rect_t *hole)
{
  if (!gtk_widget_get_mapped (widget) ||
      !gtk_widget_compute_bounds (widget, GTK_WIDGET (self), hole))
    return FALSE;
  for (GtkWidget *w = widget; w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    {
      graphene_rect_t clip;

      if (w == NULL || gtk_widget_get_opacity (w) < 1.0)
        return FALSE;
      if (GTK_IS_STACK (w) && gtk_stack_get_transition_running (GTK_STACK (w)))
        return FALSE;
      if (GTK_IS_REVEALER (w) && gtk_revealer_get_child_revealed (GTK_REVEALER (w)) !=
                                   gtk_revealer_get_reveal_child (GTK_REVEALER (w)))
        return FALSE;
      if (w != widget && gtk_widget_get_overflow (w) == GTK_OVERFLOW_HIDDEN)
        {
          if (!gtk_widget_compute_bounds (w, GTK_WIDGET (self), &clip) ||
              !graphene_rect_intersection (hole, &clip, hole))
            return FALSE;
        }
    }
  return TRUE;
}

static void
fl_backdrop_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FlBackdrop *self = FL_BACKDROP (widget);
  cairo_rectangle_int_t all = { 0, 0, gtk_widget_get_width (widget),
                                gtk_widget_get_height (widget) };
  cairo_region_t *region;
  GdkRGBA color;

  self->n_holes = 0;
  if (self->hollowed == NULL)
    {
      GTK_WIDGET_CLASS (fl_backdrop_parent_class)->snapshot (widget, snapshot);
      return;
    }
  region = cairo_region_create_rectangle (&all);
  for (guint i = 0; i < self->opaque->len; i++)
    {
      graphene_rect_t hole;
      cairo_rectangle_int_t pixels;

      if (!hole_for (self, g_ptr_array_index (self->opaque, i), &hole))
        continue;
      /* Only pixels covered whole. */
      pixels.x = (int) ceil (hole.origin.x);
      pixels.y = (int) ceil (hole.origin.y);
      pixels.width = (int) floor (hole.origin.x + hole.size.width) - pixels.x;
      pixels.height = (int) floor (hole.origin.y + hole.size.height) - pixels.y;
      if (pixels.width <= 0 || pixels.height <= 0)
        continue;
      cairo_region_subtract_rectangle (region, &pixels);
      self->n_holes++;
    }
  fl_backdrop_get_window_color (widget, &color);
  for (int i = 0; i < cairo_region_num_rectangles (region); i++)
    {
      cairo_rectangle_int_t r;

      cairo_region_get_rectangle (region, i, &r);
      gtk_snapshot_append_color (snapshot, &color,
                                 &GRAPHENE_RECT_INIT (r.x, r.y, r.width, r.height));
    }
  cairo_region_destroy (region);
  GTK_WIDGET_CLASS (fl_backdrop_parent_class)->snapshot (widget, snapshot);
}

/* Only in a window, and with a background colour to paint. */
static void
fl_backdrop_map (GtkWidget *widget)
{
  FlBackdrop *self = FL_BACKDROP (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GdkRGBA color;

  GTK_WIDGET_CLASS (fl_backdrop_parent_class)->map (widget);
  if (!GTK_IS_WINDOW (root) || !lookup_window_color (widget, &color))
    return;
  ensure_style (gtk_widget_get_display (widget));
  self->hollowed = GTK_WIDGET (root);
  gtk_widget_add_css_class (self->hollowed, HOLLOW_CLASS);
}

static void
fl_backdrop_unmap (GtkWidget *widget)
{
  FlBackdrop *self = FL_BACKDROP (widget);

  if (self->hollowed != NULL)
    gtk_widget_remove_css_class (self->hollowed, HOLLOW_CLASS);
  self->hollowed = NULL;
  GTK_WIDGET_CLASS (fl_backdrop_parent_class)->unmap (widget);
}

static void
fl_backdrop_finalize (GObject *object)
{
  FlBackdrop *self = FL_BACKDROP (object);

  g_ptr_array_unref (self->opaque);

  G_OBJECT_CLASS (fl_backdrop_parent_class)->finalize (object);
}

static void
fl_backdrop_class_init (FlBackdropClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_backdrop_finalize;
  widget_class->snapshot = fl_backdrop_snapshot;
  widget_class->map = fl_backdrop_map;
  widget_class->unmap = fl_backdrop_unmap;
  gtk_widget_class_set_css_name (widget_class, "fl-backdrop");
}

static void
fl_backdrop_init (FlBackdrop *self)
{
  self->opaque = g_ptr_array_new ();
}

GtkWidget *
fl_backdrop_new (void)
{
  return g_object_new (FL_TYPE_BACKDROP, NULL);
}

void
fl_backdrop_add_opaque (GtkWidget *widget)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (widget, FL_TYPE_BACKDROP);
  FlBackdrop *self;

  if (ancestor == NULL)
    return;
  self = FL_BACKDROP (ancestor);
  if (!g_ptr_array_find (self->opaque, widget, NULL))
    g_ptr_array_add (self->opaque, widget);
  gtk_widget_queue_draw (ancestor);
}

void
fl_backdrop_remove_opaque (GtkWidget *widget)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (widget, FL_TYPE_BACKDROP);

  if (ancestor == NULL)
    return;
  g_ptr_array_remove (FL_BACKDROP (ancestor)->opaque, widget);
  gtk_widget_queue_draw (ancestor);
}

guint
fl_backdrop_get_n_holes (FlBackdrop *self)
{
  g_return_val_if_fail (FL_IS_BACKDROP (self), 0);

  return self->n_holes;
}
