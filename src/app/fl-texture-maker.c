/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTextureMaker"

#include "config.h"

#include <epoxy/gl.h>
#include <string.h>

#include "fl-texture-maker.h"

/* After gtk.h, which brings the rest of GSK. */
#include <gsk/gl/gskglrenderer.h>

/* Makes textures of pixels that exist only to be drawn: a tile converted
 * from planes, the shapes layer, a magnified view. When the widget's
 * window draws with GL, they are uploaded at once into GL textures and the
 * pixels are let go; a memory texture would keep them, beside the
 * renderer's own copy, for as long as it lives. */

struct _FlTextureMaker
{
  GObject parent_instance;

  GtkWidget *widget;
  GdkSurface *surface;
  GdkGLContext *context;
  gboolean tried;
  gboolean software;
};

G_DEFINE_FINAL_TYPE (FlTextureMaker, fl_texture_maker, G_TYPE_OBJECT)

typedef struct
{
  GdkGLContext *context;
  guint id;
} Doomed;

/* Not at once: a texture may be let go while the renderer draws with its
 * own context current. */
static gboolean
delete_texture (gpointer user_data)
{
  Doomed *doomed = user_data;

  gdk_gl_context_make_current (doomed->context);
  glDeleteTextures (1, &doomed->id);
  gdk_gl_context_clear_current ();
  g_object_unref (doomed->context);
  g_free (doomed);
  return G_SOURCE_REMOVE;
}

static void
release_texture (gpointer user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, delete_texture, user_data, NULL);
}

static void
fl_texture_maker_dispose (GObject *object)
{
  FlTextureMaker *self = FL_TEXTURE_MAKER (object);

  g_clear_object (&self->context);
  g_clear_weak_pointer (&self->surface);
  g_clear_weak_pointer (&self->widget);
  G_OBJECT_CLASS (fl_texture_maker_parent_class)->dispose (object);
}

static void
fl_texture_maker_class_init (FlTextureMakerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fl_texture_maker_dispose;
}

static void
fl_texture_maker_init (FlTextureMaker *self)
{
}

/* For textures drawn in @widget's window. */
FlTextureMaker *
fl_texture_maker_new (GtkWidget *widget)
{
  FlTextureMaker *self;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  self = g_object_new (FL_TYPE_TEXTURE_MAKER, NULL);
  g_set_weak_pointer (&self->widget, widget);
  return self;
}

/* A GL context sharing textures with the window's renderer, made once for
 * the window the widget is in; none with another renderer. */
static gboolean
ensure_context (FlTextureMaker *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkGLContext) context = NULL;
  GtkNative *native;
  GdkSurface *surface;
  GskRenderer *renderer;

  if (self->widget == NULL || (native = gtk_widget_get_native (self->widget)) == NULL ||
      (surface = gtk_native_get_surface (native)) == NULL)
    return FALSE;
  if (self->tried)
    return self->context != NULL && surface == self->surface;
  /* Not yet realized: ask again later. */
  if ((renderer = gtk_native_get_renderer (native)) == NULL)
    return FALSE;
  self->tried = TRUE;
  if (!GSK_IS_GL_RENDERER (renderer))
    return FALSE;
  context = gdk_surface_create_gl_context (surface, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      g_debug ("textures stay in memory: %s", error != NULL ? error->message : "no GL context");
      return FALSE;
    }
  g_set_weak_pointer (&self->surface, surface);
  self->context = g_steal_pointer (&context);
  gdk_gl_context_make_current (self->context);
  {
    const char *name = (const char *) glGetString (GL_RENDERER);

    self->software =
      name != NULL && (strstr (name, "llvmpipe") != NULL || strstr (name, "softpipe") != NULL ||
                       strstr (name, "software") != NULL);
    g_debug ("GL renderer: %s", name != NULL ? name : "unknown");
  }
  gdk_gl_context_clear_current ();
  return TRUE;
}

/* Mesa's software rasterizer, llvmpipe, runs one thread per processor. On
 * two, its threads overlapped poorly: a window of textures took 8.6 ms a
 * frame with two and 5.4 ms with four, at the same processor time, and the
 * image view's frames with shapes hidden 8.1-8.2 ms against 6.5-7.4. It
 * reads the count when it makes its first context, so this must run before
 * that, while the process has a single thread; a count the user set stays.
 * Hardware drivers do not read it. */
void
fl_texture_maker_tune_rasterizer (void)
{
  guint processors = g_get_num_processors ();

  if (processors >= 2 && processors < 4)
    g_setenv ("LP_NUM_THREADS", "4", FALSE);
}

gboolean
fl_texture_maker_uses_gl (FlTextureMaker *self)
{
  g_return_val_if_fail (FL_IS_TEXTURE_MAKER (self), FALSE);
  return ensure_context (self);
}

/* Whether every pixel drawn costs the processor: a software GL, or no GL.
 * Blending a layer over the image then costs about as much as drawing the
 * image; FALSE before the window has a renderer. */
gboolean
fl_texture_maker_draws_in_software (FlTextureMaker *self)
{
  GtkNative *native;

  g_return_val_if_fail (FL_IS_TEXTURE_MAKER (self), FALSE);
  if (ensure_context (self))
    return self->software;
  return self->tried && self->widget != NULL &&
         (native = gtk_widget_get_native (self->widget)) != NULL &&
         gtk_native_get_renderer (native) != NULL;
}

static gboolean
gl_format (FlTextureMaker *self, GdkMemoryFormat format, GLint *internal, GLenum *pixels,
           int *bytes_per_pixel)
{
  switch ((int) format)
    {
      case GDK_MEMORY_R8G8B8:
        *internal = GL_RGB8;
        *pixels = GL_RGB;
        *bytes_per_pixel = 3;
        return TRUE;
      case GDK_MEMORY_B8G8R8A8_PREMULTIPLIED:
        /* GL textures are taken as premultiplied RGBA; BGRA needs desktop GL.
         * Unsized, the driver may keep the pixels in the order given: Mesa
         * then copies them, where for GL_RGBA8 it reordered every pixel, a
         * tenth of the main thread's time while panning. */
        if (gdk_gl_context_get_use_es (self->context))
          return FALSE;
        *internal = GL_RGBA;
        *pixels = GL_BGRA;
        *bytes_per_pixel = 4;
        return TRUE;
      default:
        return FALSE;
    }
}

/* Rows longer than the texture need GL_UNPACK_ROW_LENGTH, which OpenGL ES
 * has only from 3.0 on. */
static gboolean
has_row_length (FlTextureMaker *self)
{
  int major = 0, minor = 0;

  if (!gdk_gl_context_get_use_es (self->context))
    return TRUE;
  gdk_gl_context_get_version (self->context, &major, &minor);
  return major >= 3;
}

/* A texture of the pixels in @bytes, @stride bytes a row. */
GdkTexture *
fl_texture_maker_make (FlTextureMaker *self, GdkMemoryFormat format, int width, int height,
                       GBytes *bytes, gsize stride)
{
  GLint internal;
  GLenum pixels;
  int bpp, alignment, row_length;
  Doomed *doomed;

  g_return_val_if_fail (FL_IS_TEXTURE_MAKER (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0 && bytes != NULL, NULL);

  if (!ensure_context (self) || !gl_format (self, format, &internal, &pixels, &bpp))
    return gdk_memory_texture_new (width, height, format, bytes, stride);
  if (stride == (((gsize) width * bpp + 3) & ~(gsize) 3))
    alignment = 4, row_length = 0;
  else if (stride % bpp == 0 && has_row_length (self))
    alignment = 1, row_length = (int) (stride / bpp);
  else
    return gdk_memory_texture_new (width, height, format, bytes, stride);

  doomed = g_new0 (Doomed, 1);
  doomed->context = g_object_ref (self->context);
  gdk_gl_context_make_current (self->context);
  glGenTextures (1, &doomed->id);
  glBindTexture (GL_TEXTURE_2D, doomed->id);
  glPixelStorei (GL_UNPACK_ALIGNMENT, alignment);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, row_length);
  glTexImage2D (GL_TEXTURE_2D, 0, internal, width, height, 0, pixels, GL_UNSIGNED_BYTE,
                g_bytes_get_data (bytes, NULL));
  glPixelStorei (GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei (GL_UNPACK_ROW_LENGTH, 0);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri (GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture (GL_TEXTURE_2D, 0);
  /* The renderer's context sees the upload only once it is flushed. */
  glFlush ();
  gdk_gl_context_clear_current ();
  return gdk_gl_texture_new (self->context, doomed->id, width, height, release_texture, doomed);
}
