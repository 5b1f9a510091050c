/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTestSupport"

#include "config.h"

#include <adwaita.h>

#include "fl-test-gtk.h"
#include "fl-test-support.h"

gboolean
fl_test_gtk_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  if (!gtk_init_check ())
    {
      g_test_message ("no display: run under xvfb-run");
      return FALSE;
    }
  adw_init ();
  return TRUE;
}

GtkWidget *
fl_test_find_widget (GtkWidget *root, FlTestWidgetMatch match, gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = fl_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GType type;
  const char *text;
} TypeAndText;

static gboolean
has_type_and_text (GtkWidget *widget, gconstpointer data)
{
  const TypeAndText *query = data;
  GObjectClass *klass = G_OBJECT_GET_CLASS (widget);
  const char *props[] = { "title", "label", "placeholder-text" };

  if (!G_TYPE_CHECK_INSTANCE_TYPE (widget, query->type))
    return FALSE;
  if (query->text == NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (props); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (klass, props[i]);
      g_autofree char *value = NULL;

      if (pspec == NULL || pspec->value_type != G_TYPE_STRING)
        continue;
      g_object_get (widget, props[i], &value, NULL);
      if (g_strcmp0 (value, query->text) == 0)
        return TRUE;
    }
  return FALSE;
}

GtkWidget *
fl_test_find_widget_of_type (GtkWidget *root, GType type, const char *text)
{
  TypeAndText query = { type, text };

  return fl_test_find_widget (root, has_type_and_text, &query);
}

GtkWindow *
fl_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *widget;
  GskRenderNode *node;
} Shot;

/* Right after a frame is drawn the layout is fresh; a widget with a resize
 * pending (a label that just changed) draws nothing, so try the next frame. */
static void
on_after_paint (GdkFrameClock *clock, Shot *shot)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;

  if (shot->node != NULL)
    return;
  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (shot->widget),
                          gtk_widget_get_height (shot->widget));
  shot->node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (shot->node == NULL)
    gtk_widget_queue_draw (shot->widget);
}

static gboolean
shot_taken (gpointer data)
{
  return ((Shot *) data)->node != NULL;
}

static gboolean
drawable (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

GdkTexture *
fl_test_render_next_frame (GtkWidget *widget)
{
  g_autoptr (GskRenderNode) node = NULL;
  Shot shot = { widget, NULL };
  GdkFrameClock *clock;
  gulong handler;

  /* On a busy machine the window may not be mapped yet. */
  g_assert_true (fl_test_wait_until (drawable, widget, 10000));
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &shot);
  gtk_widget_queue_draw (widget);
  g_assert_true (fl_test_wait_until (shot_taken, &shot, 10000));
  g_signal_handler_disconnect (clock, handler);
  node = shot.node;
  return gsk_renderer_render_texture (
    gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
    &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));
}

char *
fl_test_save_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr (GdkTexture) texture = fl_test_render_next_frame (widget);
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path = fl_test_log_path (file);

  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
  return path;
}

guint
fl_test_count_transparent (GdkPixbuf *pixbuf)
{
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  guint count = 0;

  if (!gdk_pixbuf_get_has_alpha (pixbuf))
    return 0;
  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      count += pixels[y * stride + x * 4 + 3] < 255;
  return count;
}

FlApplication *
fl_test_application_new (void)
{
  FlApplication *app = fl_application_new ();

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  return app;
}
