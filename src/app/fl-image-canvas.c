/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlImageCanvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#include <errno.h>
#include <sys/resource.h>
#endif

#include "fl-backdrop.h"
#include "fl-image-canvas.h"
#include "fl-texture-maker.h"

/* After gtk.h, which brings the rest of GSK. */
#include <gsk/gl/gskglrenderer.h>

/* The image is kept as a pyramid of levels (level n is scaled by 1/2^n),
 * each cut into tiles that become textures only when they are on screen, so
 * a frame never draws more pixels than the widget shows: drawing a whole
 * 40 MP texture costs about 600 ms a frame in software. Past 100 % the
 * visible part is scaled by nearest neighbour on the CPU (GTK 4.8 has no
 * nearest filter for texture nodes) so that pixels stay crisp. */

/* Smaller tiles overhang the canvas less (fewer clipped pixels to shade and
 * upload); at 128 px the count of textures costs more than that saves. */
#define TILE_SIZE 256
#define MAX_LEVELS 16
/* Tile textures kept alive beyond those of the frame, in pixels (6 MB as
 * RGBA): about one and a half views. */
#define TEXTURE_BUDGET (1536 * 1024)
#define HANDLE_SIZE 8.0
#define HIT_TOLERANCE 6.0
#define MIN_ZOOM_FACTOR 0.25
#define MAX_ZOOM 64.0

typedef struct
{
  FlRaster *raster;
  guint level;
  guint64 serial;
  int width;
  int height;
  int cols;
  int rows;
  GdkTexture **tiles;
  /* Tiles asked of the worker that converts planes to RGB. */
  guint8 *pending;
  guint64 *last_used;
} FlLevel;

/* A tile of a level kept as planes, converted to RGB in a worker thread. */
typedef struct
{
  guint level;
  guint64 serial;
  int index;
  int x, y, width, height;
  FlRaster *raster;
  GBytes *bytes;
  gsize stride;
} TileRequest;

/* At most this many tiles a batch, so that a batch for a view already
 * left behind ends soon. */
#define MAX_TILE_REQUESTS 24

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_MOVE,
  DRAG_RESIZE,
  DRAG_CREATE_BOX,
} DragMode;

struct _FlImageCanvas
{
  GtkWidget parent_instance;

  FlImageDocument *document;
  FlLabelConfig *config;
  int image_width;
  int image_height;
  FlLevel *levels[MAX_LEVELS];
  /* A level still being made, whose finished tiles are uploaded ahead. */
  FlLevel *prepared;
  guint64 level_serial;
  GPtrArray *tile_requests;
  gboolean converting;
  FlTextureMaker *texture_maker;
  guint64 frame;
  gsize texture_pixels;
  int drawn_level;
  guint drawn_shapes;
  guint drawn_tiles;
  guint layer_shapes;
  /* The shapes in the layer as it was drawn, by id, to tell what an edit
   * changed; and whether the colours changed, which no diff shows. */
  GPtrArray *layer_list;
  GHashTable *layer_index;
  gboolean layer_stale;
  /* The layer's origin as drawn: shapes_area holds floats, which would move
   * a rounded edge by a pixel in a tile drawn again. */
  double layer_origin_x;
  double layer_origin_y;
  int layer_pixel_width;
  int layer_pixel_height;
  /* The image level drawn into the layer under the shapes, when it is; see
   * composite_level (). */
  FlRaster *layer_image;
  int layer_image_level;
  /* The layer's pixels, while tiles of it wait to be uploaded: those in
   * view are uploaded at once, the others a few a frame. */
  GBytes *layer_bytes;
  guint8 *layer_pending;
  guint layer_n_pending;
  guint layer_upload_id;
  /* Counts the layers installed and patched, for jobs that take tiles over
   * from the layer they saw. */
  guint64 layer_serial;
  gint64 snapshot_us;

  GdkTexture *nearest_texture;
  double nearest_key[5];

  /* The shapes, rendered once into a texture and reused while panning and
   * while zooming by small steps. */
  GPtrArray *shapes_tiles;
  int shapes_cols;
  int shapes_scale;
  graphene_rect_t shapes_area;
  double shapes_zoom;
  guint64 shapes_version;
  guint64 shapes_texture_version;
  guint settle_id;
  guint first_layer_id;
  gboolean settle_due;
  double last_view[3];
  gboolean rendering;
  GCancellable *cancellable;

  double zoom;
  double origin_x;
  double origin_y;
  gboolean fitted;

  FlImageTool tool;
  char *current_label;
  gboolean shapes_visible;
  GHashTable *selection;

  gboolean space_held;
  double pointer_x;
  double pointer_y;
  gboolean pointer_inside;

  DragMode drag_mode;
  double drag_start_x;
  double drag_start_y;
  double drag_origin_x;
  double drag_origin_y;
  GPtrArray *drag_originals;
  GPtrArray *drag_shapes;
  GHashTable *drag_ids;
  int drag_handle;
  double pinch_zoom;

  GArray *draft;
};

G_DEFINE_FINAL_TYPE (FlImageCanvas, fl_image_canvas, GTK_TYPE_WIDGET)

enum
{
  SELECTION_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
level_free (FlLevel *level)
{
  for (int i = 0; i < level->cols * level->rows; i++)
    g_clear_object (&level->tiles[i]);
  g_free (level->tiles);
  g_free (level->pending);
  g_free (level->last_used);
  g_object_unref (level->raster);
  g_free (level);
}

static void
clear_levels (FlImageCanvas *self)
{
  for (guint i = 0; i < MAX_LEVELS; i++)
    g_clear_pointer (&self->levels[i], level_free);
  g_clear_pointer (&self->prepared, level_free);
  g_ptr_array_set_size (self->tile_requests, 0);
  self->texture_pixels = 0;
  g_clear_object (&self->nearest_texture);
}

static void
invalidate_shapes (FlImageCanvas *self)
{
  self->shapes_version++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_drag (FlImageCanvas *self)
{
  if (self->drag_shapes->len > 0)
    invalidate_shapes (self);
  self->drag_mode = DRAG_NONE;
  g_ptr_array_set_size (self->drag_originals, 0);
  g_ptr_array_set_size (self->drag_shapes, 0);
  g_hash_table_remove_all (self->drag_ids);
}

static void
emit_selection_changed (FlImageCanvas *self)
{
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* View transform: widget = (image - origin) * zoom. */
void
fl_image_canvas_image_to_widget (FlImageCanvas *self, double x, double y, double *widget_x,
                                 double *widget_y)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  *widget_x = (x - self->origin_x) * self->zoom;
  *widget_y = (y - self->origin_y) * self->zoom;
}

void
fl_image_canvas_widget_to_image (FlImageCanvas *self, double widget_x, double widget_y, double *x,
                                 double *y)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  *x = widget_x / self->zoom + self->origin_x;
  *y = widget_y / self->zoom + self->origin_y;
}

static double
fit_zoom (FlImageCanvas *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));
  int h = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->image_width <= 0 || self->image_height <= 0 || w <= 0 || h <= 0)
    return 1.0;
  return MIN ((double) w / self->image_width, (double) h / self->image_height);
}

void
fl_image_canvas_set_view (FlImageCanvas *self, double zoom, double center_x, double center_y)
{
  int w, h;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  w = gtk_widget_get_width (GTK_WIDGET (self));
  h = gtk_widget_get_height (GTK_WIDGET (self));
  self->zoom = CLAMP (zoom, fit_zoom (self) * MIN_ZOOM_FACTOR, MAX_ZOOM);
  self->origin_x = center_x - w / 2.0 / self->zoom;
  self->origin_y = center_y - h / 2.0 / self->zoom;
  self->fitted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_image_canvas_zoom_to_fit (FlImageCanvas *self)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  fl_image_canvas_set_view (self, fit_zoom (self), self->image_width / 2.0,
                            self->image_height / 2.0);
  self->fitted = TRUE;
}

void
fl_image_canvas_zoom_at (FlImageCanvas *self, double factor, double widget_x, double widget_y)
{
  double x, y, zoom;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  fl_image_canvas_widget_to_image (self, widget_x, widget_y, &x, &y);
  zoom = CLAMP (self->zoom * factor, fit_zoom (self) * MIN_ZOOM_FACTOR, MAX_ZOOM);
  /* The image point under the cursor stays under the cursor. */
  self->zoom = zoom;
  self->origin_x = x - widget_x / zoom;
  self->origin_y = y - widget_y / zoom;
  self->fitted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fl_image_canvas_zoom_by (FlImageCanvas *self, double factor)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->pointer_inside)
    fl_image_canvas_zoom_at (self, factor, self->pointer_x, self->pointer_y);
  else
    fl_image_canvas_zoom_at (self, factor, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                             gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

void
fl_image_canvas_zoom_to_actual (FlImageCanvas *self)
{
  double cx, cy;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  fl_image_canvas_widget_to_image (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                                   gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, &cx, &cy);
  fl_image_canvas_set_view (self, 1.0, cx, cy);
}

double
fl_image_canvas_get_zoom (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 1.0);
  return self->zoom;
}

/* Textures */

/* A region of an RGB raster shares the raster's memory, no copy until the
 * renderer uploads it; a region of Y'CbCr planes is converted here. */
static GdkTexture *
texture_for_region (FlRaster *raster, int x, int y, int width, int height)
{
  gsize stride;
  g_autoptr (GBytes) bytes = fl_raster_read (raster, x, y, width, height, &stride);

  return gdk_memory_texture_new (
    width, height, fl_raster_get_has_alpha (raster) ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
    bytes, stride);
}

static void
tile_request_free (gpointer data)
{
  TileRequest *request = data;

  g_object_unref (request->raster);
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_free (request);
}

static void
install_tile (FlImageCanvas *self, FlLevel *level, int index, GdkTexture *texture)
{
  level->tiles[index] = texture;
  level->pending[index] = FALSE;
  self->texture_pixels +=
    (gsize) gdk_texture_get_width (texture) * (gsize) gdk_texture_get_height (texture);
}

/* The tile, or NULL while a worker makes it (asked for only if @ask): the
 * pixels of an RGB level are shared as they are, but converting planes
 * would hold up the frame. */
static GdkTexture *
level_get_tile (FlImageCanvas *self, FlLevel *level, int col, int row, gboolean ask)
{
  int index = row * level->cols + col;

  if (level->tiles[index] == NULL)
    {
      int x = col * TILE_SIZE;
      int y = row * TILE_SIZE;
      int w = MIN (TILE_SIZE, level->width - x);
      int h = MIN (TILE_SIZE, level->height - y);
      TileRequest *request;

      if (fl_raster_get_pixbuf (level->raster) != NULL)
        install_tile (self, level, index, texture_for_region (level->raster, x, y, w, h));
      else
        {
          if (!ask || level->pending[index] || self->tile_requests->len >= MAX_TILE_REQUESTS)
            return NULL;
          request = g_new0 (TileRequest, 1);
          request->level = level->level;
          request->serial = level->serial;
          request->index = index;
          request->x = x;
          request->y = y;
          request->width = w;
          request->height = h;
          request->raster = g_object_ref (level->raster);
          level->pending[index] = TRUE;
          g_ptr_array_add (self->tile_requests, request);
          return NULL;
        }
    }
  level->last_used[index] = self->frame;
  return level->tiles[index];
}

static void
convert_tiles_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  GPtrArray *requests = task_data;

  for (guint i = 0; i < requests->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      TileRequest *request = g_ptr_array_index (requests, i);

      request->bytes = fl_raster_read (request->raster, request->x, request->y, request->width,
                                       request->height, &request->stride);
    }
  g_task_return_boolean (task, TRUE);
}

static void start_tile_conversion (FlImageCanvas *self);

static void
convert_tiles_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (source);
  GPtrArray *requests = g_task_get_task_data (G_TASK (result));

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self->converting = FALSE;
  for (guint i = 0; i < requests->len; i++)
    {
      TileRequest *request = g_ptr_array_index (requests, i);
      FlLevel *level = self->levels[request->level];

      if (level == NULL || level->serial != request->serial || request->bytes == NULL ||
          level->tiles[request->index] != NULL)
        continue;
      install_tile (
        self, level, request->index,
        fl_texture_maker_make (self->texture_maker,
                               fl_raster_get_has_alpha (request->raster) ? GDK_MEMORY_R8G8B8A8
                                                                         : GDK_MEMORY_R8G8B8,
                               request->width, request->height, request->bytes, request->stride));
      level->last_used[request->index] = self->frame;
    }
  /* Asked while this batch ran: the next frame asks again for those still
   * in view. */
  for (guint i = 0; i < self->tile_requests->len; i++)
    {
      TileRequest *request = g_ptr_array_index (self->tile_requests, i);
      FlLevel *level = self->levels[request->level];

      if (level != NULL && level->serial == request->serial)
        level->pending[request->index] = FALSE;
    }
  g_ptr_array_set_size (self->tile_requests, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
start_tile_conversion (FlImageCanvas *self)
{
  g_autoptr (GTask) task = NULL;
  GPtrArray *requests;

  if (self->converting || self->tile_requests->len == 0)
    return;
  requests = g_steal_pointer (&self->tile_requests);
  self->tile_requests = g_ptr_array_new_with_free_func (tile_request_free);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, convert_tiles_done, NULL);
  g_task_set_task_data (task, requests, (GDestroyNotify) g_ptr_array_unref);
  self->converting = TRUE;
  g_task_run_in_thread (task, convert_tiles_thread);
}

/* Drops the least recently drawn tiles once over budget; the ones of the
 * current frame always stay. */
static void
evict_tiles (FlImageCanvas *self, gsize budget)
{
  while (self->texture_pixels > budget)
    {
      FlLevel *oldest_level = NULL;
      int oldest = -1;
      guint64 oldest_frame = self->frame;

      for (guint l = 0; l < MAX_LEVELS; l++)
        {
          FlLevel *level = self->levels[l];

          if (level == NULL)
            continue;
          for (int i = 0; i < level->cols * level->rows; i++)
            if (level->tiles[i] != NULL && level->last_used[i] < oldest_frame)
              {
                oldest_frame = level->last_used[i];
                oldest_level = level;
                oldest = i;
              }
        }
      if (oldest_level == NULL)
        return;
      self->texture_pixels -= (gsize) gdk_texture_get_width (oldest_level->tiles[oldest]) *
                              gdk_texture_get_height (oldest_level->tiles[oldest]);
      g_clear_object (&oldest_level->tiles[oldest]);
    }
}

static FlLevel *
level_new (FlImageCanvas *self, guint level_number, FlRaster *raster)
{
  FlLevel *level = g_new0 (FlLevel, 1);

  level->raster = g_object_ref (raster);
  level->level = level_number;
  level->serial = ++self->level_serial;
  level->width = fl_raster_get_width (raster);
  level->height = fl_raster_get_height (raster);
  level->cols = (level->width + TILE_SIZE - 1) / TILE_SIZE;
  level->rows = (level->height + TILE_SIZE - 1) / TILE_SIZE;
  level->tiles = g_new0 (GdkTexture *, level->cols * level->rows);
  level->pending = g_new0 (guint8, level->cols * level->rows);
  level->last_used = g_new0 (guint64, level->cols * level->rows);
  return level;
}

/* The first @rows rows of @raster, an RGB level still being made, are
 * ready: their whole tiles are uploaded now, while the main thread waits
 * for the decoder, rather than all at once when the level is added. Only
 * with GL, where textures are uploaded as they are made. */
void
fl_image_canvas_prepare_level (FlImageCanvas *self, guint level_number, FlRaster *raster, int rows)
{
  FlLevel *level;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  g_return_if_fail (FL_IS_RASTER (raster));
  g_return_if_fail (level_number < MAX_LEVELS);

  /* Not before the first frame: the preview comes first. */
  if (self->drawn_level < 0 || fl_raster_get_pixbuf (raster) == NULL ||
      !fl_texture_maker_uses_gl (self->texture_maker))
    return;
  if (self->prepared == NULL || self->prepared->raster != raster)
    {
      g_clear_pointer (&self->prepared, level_free);
      self->prepared = level_new (self, level_number, raster);
    }
  level = self->prepared;
  for (int row = 0; row < level->rows && MIN (level->height, (row + 1) * TILE_SIZE) <= rows; row++)
    for (int col = 0; col < level->cols; col++)
      {
        int index = row * level->cols + col;
        int x = col * TILE_SIZE, y = row * TILE_SIZE;
        int w = MIN (TILE_SIZE, level->width - x), h = MIN (TILE_SIZE, level->height - y);
        g_autoptr (GBytes) bytes = NULL;
        gsize stride;

        if (level->tiles[index] != NULL)
          continue;
        bytes = fl_raster_read (raster, x, y, w, h, &stride);
        level->tiles[index] =
          fl_texture_maker_make (self->texture_maker, GDK_MEMORY_R8G8B8, w, h, bytes, stride);
        g_debug ("level %u: tile %d uploaded ahead", level_number, index);
      }
}

void
fl_image_canvas_add_level (FlImageCanvas *self, guint level_number, FlRaster *raster)
{
  FlLevel *level;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  g_return_if_fail (FL_IS_RASTER (raster));
  g_return_if_fail (level_number < MAX_LEVELS);

  if (self->prepared != NULL && self->prepared->raster == raster &&
      self->prepared->level == level_number)
    {
      level = g_steal_pointer (&self->prepared);
      for (int i = 0; i < level->cols * level->rows; i++)
        if (level->tiles[i] != NULL)
          self->texture_pixels += (gsize) gdk_texture_get_width (level->tiles[i]) *
                                  gdk_texture_get_height (level->tiles[i]);
    }
  else
    level = level_new (self, level_number, raster);
  if (self->levels[level_number] != NULL)
    {
      FlLevel *old = self->levels[level_number];

      for (int i = 0; i < old->cols * old->rows; i++)
        if (old->tiles[i] != NULL)
          self->texture_pixels -=
            (gsize) gdk_texture_get_width (old->tiles[i]) * gdk_texture_get_height (old->tiles[i]);
      level_free (old);
    }
  self->levels[level_number] = level;
  g_clear_object (&self->nearest_texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fl_image_canvas_has_level (FlImageCanvas *self, guint level)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FALSE);
  return level < MAX_LEVELS && self->levels[level] != NULL;
}

int
fl_image_canvas_get_drawn_level (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), -1);
  return self->drawn_level;
}

/* Whether the shapes layer in use holds the image under the shapes (see
 * composite_level ()). */
gboolean
fl_image_canvas_get_image_in_layer (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FALSE);
  return self->shapes_tiles != NULL && self->layer_image != NULL;
}

/* How long building the last frame's render nodes took, for benchmarks. */
gint64
fl_image_canvas_get_snapshot_time (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 0);
  return self->snapshot_us;
}

guint
fl_image_canvas_get_drawn_shapes (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 0);
  return self->drawn_shapes;
}

/* How many textures of the image's own tiles the last frame drew. */
guint
fl_image_canvas_get_drawn_tiles (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 0);
  return self->drawn_tiles;
}

static void
drop_layer_pixels (FlImageCanvas *self)
{
  g_clear_handle_id (&self->layer_upload_id, g_source_remove);
  g_clear_pointer (&self->layer_bytes, g_bytes_unref);
  g_clear_pointer (&self->layer_pending, g_free);
  self->layer_n_pending = 0;
}

void
fl_image_canvas_reset (FlImageCanvas *self, int image_width, int image_height)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  clear_levels (self);
  clear_drag (self);
  g_clear_handle_id (&self->first_layer_id, g_source_remove);
  g_clear_pointer (&self->shapes_tiles, g_ptr_array_unref);
  g_clear_object (&self->layer_image);
  drop_layer_pixels (self);
  self->shapes_version++;
  g_array_set_size (self->draft, 0);
  g_hash_table_remove_all (self->selection);
  self->image_width = image_width;
  self->image_height = image_height;
  self->drawn_level = -1;
  fl_image_canvas_zoom_to_fit (self);
  emit_selection_changed (self);
}

/* The coarsest level that still has a texel for every screen pixel. */
int
fl_image_canvas_get_ideal_level (FlImageCanvas *self)
{
  int ideal = 0;

  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 0);

  if (self->zoom < 1.0)
    ideal = (int) floor (log2 (1.0 / self->zoom) + 1e-9);
  return CLAMP (ideal, 0, MAX_LEVELS - 1);
}

/* The level matching the zoom; else one step finer; else the nearest
 * coarser one (cheap to draw); else whatever finer level is loaded. */
static int
pick_level (FlImageCanvas *self)
{
  int ideal = fl_image_canvas_get_ideal_level (self);

  if (self->levels[ideal] != NULL)
    return ideal;
  if (ideal > 0 && self->levels[ideal - 1] != NULL)
    return ideal - 1;
  for (int l = ideal + 1; l < MAX_LEVELS; l++)
    if (self->levels[l] != NULL)
      return l;
  for (int l = ideal - 2; l >= 0; l--)
    if (self->levels[l] != NULL)
      return l;
  return -1;
}

#define SETTLE_MS 150

/* Asks for one more frame; if the view has not moved since the last one,
 * the image and the shapes are drawn again at the exact zoom. Judged by
 * frames rather than by time alone, so that slow frames during a long zoom
 * do not count as a stop. */
static gboolean
settle_view (gpointer user_data)
{
  FlImageCanvas *self = user_data;

  self->settle_id = 0;
  self->settle_due = TRUE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_settle (FlImageCanvas *self)
{
  if (self->settle_id == 0)
    self->settle_id = g_timeout_add (SETTLE_MS, settle_view, self);
}

/* Past 100 %: the visible part, scaled by nearest neighbour, and while
 * panning a third of a view around it, so that panning mostly moves a texture.
 * While the zoom changes, FALSE: the tiles are drawn instead, and the crisp
 * texture is made once the zoom stops, rather than once a frame. */
static gboolean
snapshot_nearest (FlImageCanvas *self, GtkSnapshot *snapshot, int width, int height,
                  gboolean settled)
{
  FlLevel *level = self->levels[0];
  double vx = self->origin_x * self->zoom, vy = self->origin_y * self->zoom;
  double *key = self->nearest_key;
  double x, y;

  if (self->nearest_texture == NULL || key[0] != self->zoom || vx < key[1] || vy < key[2] ||
      MIN (vx + width, level->width * self->zoom) > key[3] ||
      MIN (vy + height, level->height * self->zoom) > key[4])
    {
      /* The margin only pays while panning; while zooming it is waste. */
      double m = key[0] == self->zoom ? 0.3 : 0;
      double gx0 = floor (MAX (0, vx - width * m));
      double gy0 = floor (MAX (0, vy - height * m));
      double gx1 = ceil (MIN (level->width * self->zoom, vx + width * (1 + m)));
      double gy1 = ceil (MIN (level->height * self->zoom, vy + height * (1 + m)));
      g_autoptr (GdkPixbuf) dest = NULL;
      g_autoptr (GdkPixbuf) source = NULL;
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GBytes) dest_bytes = NULL;
      int sx0, sy0, sx1, sy1;
      gsize stride;

      if (key[0] != self->zoom && !settled)
        {
          g_clear_object (&self->nearest_texture);
          schedule_settle (self);
          return FALSE;
        }
      g_clear_object (&self->nearest_texture);
      if (gx1 <= gx0 || gy1 <= gy0)
        return TRUE;
      /* Only the level-0 pixels under the view are read (and converted,
       * for planes), then scaled. */
      sx0 = (int) floor (gx0 / self->zoom);
      sy0 = (int) floor (gy0 / self->zoom);
      sx1 = MIN (level->width, (int) ceil (gx1 / self->zoom) + 1);
      sy1 = MIN (level->height, (int) ceil (gy1 / self->zoom) + 1);
      bytes = fl_raster_read (level->raster, sx0, sy0, sx1 - sx0, sy1 - sy0, &stride);
      source = gdk_pixbuf_new_from_bytes (bytes, GDK_COLORSPACE_RGB,
                                          fl_raster_get_has_alpha (level->raster), 8, sx1 - sx0,
                                          sy1 - sy0, (int) stride);
      dest = gdk_pixbuf_new (GDK_COLORSPACE_RGB, fl_raster_get_has_alpha (level->raster), 8,
                             (int) (gx1 - gx0), (int) (gy1 - gy0));
      if (dest == NULL)
        return FALSE;
      gdk_pixbuf_scale (source, dest, 0, 0, (int) (gx1 - gx0), (int) (gy1 - gy0),
                        sx0 * self->zoom - gx0, sy0 * self->zoom - gy0, self->zoom, self->zoom,
                        GDK_INTERP_NEAREST);
      dest_bytes = gdk_pixbuf_read_pixel_bytes (dest);
      self->nearest_texture = fl_texture_maker_make (
        self->texture_maker,
        gdk_pixbuf_get_has_alpha (dest) ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
        (int) (gx1 - gx0), (int) (gy1 - gy0), dest_bytes, gdk_pixbuf_get_rowstride (dest));
      key[0] = self->zoom;
      key[1] = gx0;
      key[2] = gy0;
      key[3] = gx1;
      key[4] = gy1;
    }
  /* Whole pixels: a fraction would blur every pixel edge. */
  x = round (key[1] - vx);
  y = round (key[2] - vy);
  gtk_snapshot_append_texture (snapshot, self->nearest_texture,
                               &GRAPHENE_RECT_INIT (x, y, key[3] - key[1], key[4] - key[2]));
  return TRUE;
}

/* Where a tile of a level goes on the widget, on whole pixels so that no
 * seams show between tiles. */
static graphene_rect_t
tile_rect (FlImageCanvas *self, FlLevel *level, int col, int row)
{
  double scale_x = (double) level->width / self->image_width;
  double scale_y = (double) level->height / self->image_height;
  double x0, y0, x1, y1;

  fl_image_canvas_image_to_widget (self, col * TILE_SIZE / scale_x, row * TILE_SIZE / scale_y, &x0,
                                   &y0);
  fl_image_canvas_image_to_widget (self, MIN (level->width, (col + 1) * TILE_SIZE) / scale_x,
                                   MIN (level->height, (row + 1) * TILE_SIZE) / scale_y, &x1, &y1);
  x0 = round (x0);
  y0 = round (y0);
  x1 = round (x1);
  y1 = round (y1);
  return GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0);
}

static void snapshot_tiles (FlImageCanvas *self, GtkSnapshot *snapshot,
                            const graphene_rect_t *hidden, int number, int c0, int r0, int c1,
                            int r1, gboolean stand_in);

/* A tile not made yet is stood in for by the tiles of the next coarser
 * level that cover it, clipped to it; those missing in turn by the next
 * level's, without asking for any of them; without a coarser level, by the
 * window's background. */
static void
snapshot_stand_in (FlImageCanvas *self, GtkSnapshot *snapshot, int number, int col, int row,
                   gboolean nested)
{
  FlLevel *level = self->levels[number];
  graphene_rect_t rect = tile_rect (self, level, col, row);

  if (nested)
    graphene_rect_inset (&rect, -1, -1);
  for (int coarser = number + 1; coarser < MAX_LEVELS; coarser++)
    {
      FlLevel *stand_in = self->levels[coarser];
      double sx, sy;

      if (stand_in == NULL)
        continue;
      sx = (double) stand_in->width / level->width;
      sy = (double) stand_in->height / level->height;
      gtk_snapshot_push_clip (snapshot, &rect);
      snapshot_tiles (
        self, snapshot, NULL, coarser, (int) floor (col * TILE_SIZE * sx / TILE_SIZE),
        (int) floor (row * TILE_SIZE * sy / TILE_SIZE),
        MIN (stand_in->cols - 1,
             (int) floor ((MIN (level->width, (col + 1) * TILE_SIZE) - 1) * sx / TILE_SIZE)),
        MIN (stand_in->rows - 1,
             (int) floor ((MIN (level->height, (row + 1) * TILE_SIZE) - 1) * sy / TILE_SIZE)),
        TRUE);
      gtk_snapshot_pop (snapshot);
      return;
    }
  {
    GdkRGBA window;

    fl_backdrop_get_window_color (GTK_WIDGET (self), &window);
    gtk_snapshot_append_color (snapshot, &window, &rect);
  }
}

/* Stand-ins reach a pixel past their place on every side: rounded at
 * another scale, their edges could leave a line of it uncovered. Tiles
 * inside @hidden are neither drawn nor asked for: something opaque covers
 * them. */
static void
snapshot_tiles (FlImageCanvas *self, GtkSnapshot *snapshot, const graphene_rect_t *hidden,
                int number, int c0, int r0, int c1, int r1, gboolean stand_in)
{
  FlLevel *level = self->levels[number];

  for (int row = r0; row <= r1; row++)
    for (int col = c0; col <= c1; col++)
      {
        graphene_rect_t rect = tile_rect (self, level, col, row);
        GdkTexture *tile;

        if (hidden != NULL && graphene_rect_contains_rect (hidden, &rect))
          continue;
        tile = level_get_tile (self, level, col, row, !stand_in);
        if (tile == NULL)
          snapshot_stand_in (self, snapshot, number, col, row, stand_in);
        else
          {
            if (stand_in)
              graphene_rect_inset (&rect, -1, -1);
            gtk_snapshot_append_texture (snapshot, tile, &rect);
            self->drawn_tiles++;
          }
      }
}

static void
snapshot_image (FlImageCanvas *self, GtkSnapshot *snapshot, int width, int height, gboolean settled,
                const graphene_rect_t *hidden)
{
  int number = pick_level (self);
  FlLevel *level;
  double scale_x, scale_y;
  double ix0, iy0, ix1, iy1;
  int c0, r0, c1, r1;

  self->drawn_level = number;
  if (number < 0)
    return;
  if (number == 0 && self->zoom > 1.0 + 1e-6 &&
      snapshot_nearest (self, snapshot, width, height, settled))
    return;

  level = self->levels[number];
  /* Level pixels per image pixel; levels are rounded, so not exactly 2^-n. */
  scale_x = (double) level->width / self->image_width;
  scale_y = (double) level->height / self->image_height;
  fl_image_canvas_widget_to_image (self, 0, 0, &ix0, &iy0);
  fl_image_canvas_widget_to_image (self, width, height, &ix1, &iy1);
  c0 = MAX (0, (int) floor (ix0 * scale_x / TILE_SIZE));
  r0 = MAX (0, (int) floor (iy0 * scale_y / TILE_SIZE));
  c1 = MIN (level->cols - 1, (int) floor (ix1 * scale_x / TILE_SIZE));
  r1 = MIN (level->rows - 1, (int) floor (iy1 * scale_y / TILE_SIZE));

  snapshot_tiles (self, snapshot, hidden, number, c0, r0, c1, r1, FALSE);
}

/* Shapes */

static GdkRGBA
shape_color (FlImageCanvas *self, const FlShape *shape, double alpha)
{
  FlColor color = { 0.6, 0.6, 0.6 };

  if (self->config != NULL)
    color = fl_label_config_get_color (self->config, shape->label);
  return (GdkRGBA){ color.red, color.green, color.blue, alpha };
}

static void
append_line (GtkSnapshot *snapshot, double x0, double y0, double x1, double y1, double width,
             const GdkRGBA *color)
{
  double length = hypot (x1 - x0, y1 - y0);

  if (length < 0.5)
    return;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x0, y0));
  gtk_snapshot_rotate (snapshot, atan2 (y1 - y0, x1 - x0) * 180 / G_PI);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (0, -width / 2, length, width));
  gtk_snapshot_restore (snapshot);
}

/* Four colour nodes: the cheapest thing to draw, and only the outline's
 * pixels are shaded, unlike a border node which covers the whole box. */
static void
append_outline (GtkSnapshot *snapshot, const graphene_rect_t *r, double line, const GdkRGBA *color)
{
  float w = MIN (line, r->size.width / 2), h = MIN (line, r->size.height / 2);

  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (r->origin.x, r->origin.y, r->size.width, h));
  gtk_snapshot_append_color (
    snapshot, color,
    &GRAPHENE_RECT_INIT (r->origin.x, r->origin.y + r->size.height - h, r->size.width, h));
  gtk_snapshot_append_color (
    snapshot, color, &GRAPHENE_RECT_INIT (r->origin.x, r->origin.y + h, w, r->size.height - 2 * h));
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (r->origin.x + r->size.width - w, r->origin.y + h,
                                                  w, r->size.height - 2 * h));
}

static void
append_handle (GtkSnapshot *snapshot, double x, double y, const GdkRGBA *color)
{
  static const GdkRGBA white = { 1, 1, 1, 1 };
  double h = HANDLE_SIZE / 2;

  gtk_snapshot_append_color (snapshot, &white, &GRAPHENE_RECT_INIT (x - h, y - h, 2 * h, 2 * h));
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT (x - h + 1.5, y - h + 1.5, 2 * h - 3, 2 * h - 3));
}

static void
append_dot (GtkSnapshot *snapshot, double x, double y, double radius, const GdkRGBA *color)
{
  GskRoundedRect rect;
  float widths[4] = { radius, radius, radius, radius };
  GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (
    &rect, &GRAPHENE_RECT_INIT (x - radius, y - radius, 2 * radius, 2 * radius), radius);
  gtk_snapshot_append_border (snapshot, &rect, widths, colors);
}

static void
box_handles (FlImageCanvas *self, const FlShape *shape, double *xs, double *ys)
{
  double x0, y0, x1, y1;

  fl_image_canvas_image_to_widget (self, shape->x, shape->y, &x0, &y0);
  fl_image_canvas_image_to_widget (self, shape->x + shape->width, shape->y + shape->height, &x1,
                                   &y1);
  /* Corners first, clockwise from the top left, then the edge midpoints. */
  xs[0] = x0, ys[0] = y0;
  xs[1] = x1, ys[1] = y0;
  xs[2] = x1, ys[2] = y1;
  xs[3] = x0, ys[3] = y1;
  xs[4] = (x0 + x1) / 2, ys[4] = y0;
  xs[5] = x1, ys[5] = (y0 + y1) / 2;
  xs[6] = (x0 + x1) / 2, ys[6] = y1;
  xs[7] = x0, ys[7] = (y0 + y1) / 2;
}

static void
append_label_chip (FlImageCanvas *self, GtkSnapshot *snapshot, const FlShape *shape, double x,
                   double y)
{
  g_autoptr (PangoLayout) layout = NULL;
  GdkRGBA background = shape_color (self, shape, 0.9);
  static const GdkRGBA white = { 1, 1, 1, 1 };
  int w, h;

  if (shape->label == NULL)
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), shape->label);
  pango_layout_get_pixel_size (layout, &w, &h);
  y = MAX (0, y - h - 2);
  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (x, y, w + 8, h + 2));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + 4, y + 1));
  gtk_snapshot_append_layout (snapshot, layout, &white);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_shape (FlImageCanvas *self, GtkSnapshot *snapshot, const FlShape *shape, gboolean selected)
{
  GdkRGBA color = shape_color (self, shape, 1.0);
  double line = selected ? 3.0 : 2.0;

  switch (shape->kind)
    {
      case FL_SHAPE_BOX:
        {
          double x0, y0, x1, y1;
          GskRoundedRect rect;

          fl_image_canvas_image_to_widget (self, shape->x, shape->y, &x0, &y0);
          fl_image_canvas_image_to_widget (self, shape->x + shape->width, shape->y + shape->height,
                                           &x1, &y1);
          gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0),
                                           0);
          if (selected)
            {
              GdkRGBA fill = shape_color (self, shape, 0.25);

              gtk_snapshot_append_color (snapshot, &fill, &rect.bounds);
            }
          append_outline (snapshot, &rect.bounds, line, &color);
          if (selected)
            {
              double xs[8], ys[8];

              box_handles (self, shape, xs, ys);
              for (guint i = 0; i < 8; i++)
                append_handle (snapshot, xs[i], ys[i], &color);
              append_label_chip (self, snapshot, shape, x0, y0);
            }
        }
        break;
      case FL_SHAPE_POLYGON:
        {
          guint n = shape->points->len;

          for (guint i = 0; i < n; i++)
            {
              const FlPoint *p = &g_array_index (shape->points, FlPoint, i);
              const FlPoint *q = &g_array_index (shape->points, FlPoint, (i + 1) % n);
              double x0, y0, x1, y1;

              fl_image_canvas_image_to_widget (self, p->x, p->y, &x0, &y0);
              fl_image_canvas_image_to_widget (self, q->x, q->y, &x1, &y1);
              append_line (snapshot, x0, y0, x1, y1, line, &color);
            }
          if (selected)
            {
              double lx = G_MAXDOUBLE, ly = G_MAXDOUBLE;

              for (guint i = 0; i < n; i++)
                {
                  const FlPoint *p = &g_array_index (shape->points, FlPoint, i);
                  double x, y;

                  fl_image_canvas_image_to_widget (self, p->x, p->y, &x, &y);
                  append_handle (snapshot, x, y, &color);
                  if (y < ly)
                    lx = x, ly = y;
                }
              append_label_chip (self, snapshot, shape, lx, ly - HANDLE_SIZE);
            }
        }
        break;
      case FL_SHAPE_POINT:
      default:
        {
          static const GdkRGBA white = { 1, 1, 1, 1 };
          double x, y;

          fl_image_canvas_image_to_widget (self, shape->x, shape->y, &x, &y);
          append_dot (snapshot, x, y, selected ? 7 : 5.5, &white);
          append_dot (snapshot, x, y, selected ? 5.5 : 4, &color);
          if (selected)
            append_label_chip (self, snapshot, shape, x + 8, y);
        }
        break;
    }
}

static gboolean
shape_visible (FlImageCanvas *self, const FlShape *shape, int width, int height)
{
  FlRect bounds;
  double x0, y0, x1, y1;
  const double margin = HANDLE_SIZE + 8;

  fl_image_canvas_image_to_widget (self, 0, 0, &x0, &y0);
  fl_shape_get_bounds (shape, &bounds);
  x0 = (bounds.x - self->origin_x) * self->zoom;
  y0 = (bounds.y - self->origin_y) * self->zoom;
  x1 = x0 + bounds.width * self->zoom;
  y1 = y0 + bounds.height * self->zoom;
  return x1 >= -margin && y1 >= -margin && x0 <= width + margin && y0 <= height + margin;
}

static void
snapshot_draft (FlImageCanvas *self, GtkSnapshot *snapshot)
{
  GdkRGBA color = { 0.6, 0.6, 0.6, 1 };
  FlShape probe = { .label = self->current_label };
  double px = 0, py = 0;

  color = shape_color (self, &probe, 1.0);
  if (self->drag_mode == DRAG_CREATE_BOX && self->pointer_inside)
    {
      double x0, y0;
      GskRoundedRect rect;
      float widths[4] = { 2, 2, 2, 2 };
      GdkRGBA colors[4] = { color, color, color, color };
      double ax, ay;

      fl_image_canvas_image_to_widget (self, self->drag_origin_x, self->drag_origin_y, &ax, &ay);
      x0 = MIN (ax, self->pointer_x);
      y0 = MIN (ay, self->pointer_y);
      gsk_rounded_rect_init_from_rect (
        &rect,
        &GRAPHENE_RECT_INIT (x0, y0, fabs (self->pointer_x - ax), fabs (self->pointer_y - ay)), 0);
      gtk_snapshot_append_border (snapshot, &rect, widths, colors);
    }

  for (guint i = 0; i < self->draft->len; i++)
    {
      const FlPoint *p = &g_array_index (self->draft, FlPoint, i);
      double x, y;

      fl_image_canvas_image_to_widget (self, p->x, p->y, &x, &y);
      if (i > 0)
        append_line (snapshot, px, py, x, y, 2, &color);
      append_handle (snapshot, x, y, &color);
      px = x, py = y;
    }
  if (self->draft->len > 0 && self->pointer_inside)
    append_line (snapshot, px, py, self->pointer_x, self->pointer_y, 1, &color);
}

#define LAYER_TILE_SIZE 256

/* What it takes to draw the shapes layer, copied so that a worker thread
 * can draw it while the canvas goes on. */
typedef struct
{
  GPtrArray *shapes;
  GArray *colors;
  double origin_x;
  double origin_y;
  double zoom;
  int width;
  int height;
  int scale;
  /* Device pixels drawn, and where in the layer they start: a tile's own
   * when only that tile is drawn again. */
  int pixel_width;
  int pixel_height;
  int offset_x;
  int offset_y;
  guint64 version;
  /* Per layer tile, whether anything was drawn in it. */
  guint8 *used;
  /* The image under the shapes, or NULL: a level, its pixels per image
   * pixel, and the image's size. */
  FlRaster *image;
  int image_level;
  double image_scale_x;
  double image_scale_y;
  int image_width;
  int image_height;
  /* Tiles taken over from layer @base_serial, by their index in it; -1 for
   * those drawn here. NULL when none is. Then, per shape, whether it
   * reaches a tile drawn here. */
  int *reuse;
  guint64 base_serial;
  guint8 *draw;
} ShapesJob;

static void
shapes_job_free (gpointer data)
{
  ShapesJob *job = data;

  g_ptr_array_unref (job->shapes);
  g_array_unref (job->colors);
  g_free (job->used);
  g_free (job->reuse);
  g_free (job->draw);
  g_clear_object (&job->image);
  g_free (job);
}

static ShapesJob *
shapes_job_alloc (double origin_x, double origin_y, double zoom, int scale)
{
  ShapesJob *job = g_new0 (ShapesJob, 1);

  job->shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  job->colors = g_array_new (FALSE, FALSE, sizeof (GdkRGBA));
  job->origin_x = origin_x;
  job->origin_y = origin_y;
  job->zoom = zoom;
  job->scale = scale;
  return job;
}

static void
job_set_image (ShapesJob *job, FlRaster *image, int level, int image_width, int image_height)
{
  g_set_object (&job->image, image);
  job->image_level = level;
  job->image_width = image_width;
  job->image_height = image_height;
  job->image_scale_x = (double) fl_raster_get_width (image) / image_width;
  job->image_scale_y = (double) fl_raster_get_height (image) / image_height;
}

/* The image under the layer's pixels: the pixels whose centres fall in it,
 * resampled from the level; past 100 % by the nearest pixel, so that
 * pixels stay crisp, as the view draws them. */
static void
draw_job_image (const ShapesJob *job, guint8 *data, int stride, int left, int top, int right,
                int bottom)
{
  double zs = job->zoom * job->scale;
  int x0 = (int) ceil (-job->origin_x * zs - 0.5) - job->offset_x;
  int y0 = (int) ceil (-job->origin_y * zs - 0.5) - job->offset_y;
  int x1 = (int) ceil ((job->image_width - job->origin_x) * zs - 0.5) - job->offset_x;
  int y1 = (int) ceil ((job->image_height - job->origin_y) * zs - 0.5) - job->offset_y;

  x0 = MAX (x0, left);
  y0 = MAX (y0, top);
  x1 = MIN (x1, right);
  y1 = MIN (y1, bottom);
  if (x1 <= x0 || y1 <= y0)
    return;
  fl_raster_sample (job->image, (job->origin_x + (x0 + job->offset_x) / zs) * job->image_scale_x,
                    (job->origin_y + (y0 + job->offset_y) / zs) * job->image_scale_y,
                    job->image_scale_x / zs, zs < 1 - 1e-9, data + (gsize) y0 * stride + x0 * 4,
                    stride, x1 - x0, y1 - y0);
}

static void
job_to_widget (const ShapesJob *job, double x, double y, double *wx, double *wy)
{
  *wx = (x - job->origin_x) * job->zoom;
  *wy = (y - job->origin_y) * job->zoom;
}

/* Adds a shape's outline to the cairo path, in layer coordinates. */
static void
trace_shape (const ShapesJob *job, cairo_t *cr, const FlShape *shape)
{
  double x0, y0, x1, y1;

  switch (shape->kind)
    {
      case FL_SHAPE_BOX:
        job_to_widget (job, shape->x, shape->y, &x0, &y0);
        job_to_widget (job, shape->x + shape->width, shape->y + shape->height, &x1, &y1);
        /* Inside the box, as the selected outline is drawn, and on whole
         * pixels: cairo then fills plain pixel boxes, its fastest path. */
        x0 = round (x0);
        y0 = round (y0);
        x1 = round (x1);
        y1 = round (y1);
        cairo_rectangle (cr, x0 + 1, y0 + 1, MAX (0, x1 - x0 - 2), MAX (0, y1 - y0 - 2));
        break;
      case FL_SHAPE_POLYGON:
        for (guint i = 0; i < shape->points->len; i++)
          {
            const FlPoint *p = &g_array_index (shape->points, FlPoint, i);

            job_to_widget (job, p->x, p->y, &x0, &y0);
            if (i == 0)
              cairo_move_to (cr, x0, y0);
            else
              cairo_line_to (cr, x0, y0);
          }
        cairo_close_path (cr);
        break;
      case FL_SHAPE_POINT:
      default:
        job_to_widget (job, shape->x, shape->y, &x0, &y0);
        cairo_new_sub_path (cr);
        cairo_arc (cr, x0, y0, 4.75, 0, 2 * G_PI);
        break;
    }
}

/* With a software renderer, blending the layer over the image costs as
 * much again as drawing the image: the image is then drawn into the layer,
 * under the shapes, and frames draw the layer alone. The level drawn is
 * the one the view would draw; -1 when the image is not drawn in. */
static int
composite_level (FlImageCanvas *self)
{
  int level;

  if (self->texture_maker == NULL || !fl_texture_maker_draws_in_software (self->texture_maker))
    return -1;
  level = pick_level (self);
  if (level < 0 || fl_raster_get_has_alpha (self->levels[level]->raster))
    return -1;
  return level;
}

/* The shapes of an image area around the view: a fifth of a view more on
 * every side, within the image and its handles, so that panning reuses the
 * layer for a while; larger layers cost more to upload than they save.
 * NULL when there is nothing to draw. */
static ShapesJob *
shapes_job_new (FlImageCanvas *self, int width, int height)
{
  double saved_x = self->origin_x, saved_y = self->origin_y;
  double x0, y0, x1, y1, w, h, margin;
  ShapesJob *job;
  int level;

  fl_image_canvas_widget_to_image (self, 0, 0, &x0, &y0);
  fl_image_canvas_widget_to_image (self, width, height, &x1, &y1);
  w = x1 - x0;
  h = y1 - y0;
  margin = (HANDLE_SIZE + 40) / self->zoom;
  x0 = MAX (x0 - w * 0.2, -margin);
  y0 = MAX (y0 - h * 0.2, -margin);
  x1 = MIN (x1 + w * 0.2, self->image_width + margin);
  y1 = MIN (y1 + h * 0.2, self->image_height + margin);
  /* On a grid of tiles that stays put while the zoom does: see
   * plan_reuse (). */
  {
    double zs = self->zoom * gtk_widget_get_scale_factor (GTK_WIDGET (self));

    x0 = floor (x0 * zs / LAYER_TILE_SIZE) * LAYER_TILE_SIZE / zs;
    y0 = floor (y0 * zs / LAYER_TILE_SIZE) * LAYER_TILE_SIZE / zs;
  }

  job = shapes_job_alloc (x0, y0, self->zoom, gtk_widget_get_scale_factor (GTK_WIDGET (self)));
  job->width = (int) ceil ((x1 - x0) * self->zoom);
  job->height = (int) ceil ((y1 - y0) * self->zoom);
  job->pixel_width = job->width * job->scale;
  job->pixel_height = job->height * job->scale;
  job->version = self->shapes_version;
  if (job->width <= 0 || job->height <= 0 || job->width * job->scale > 4096 ||
      job->height * job->scale > 4096)
    {
      shapes_job_free (job);
      return NULL;
    }

  self->origin_x = x0;
  self->origin_y = y0;
  for (guint i = 0; i < fl_image_document_get_n_shapes (self->document); i++)
    {
      const FlShape *shape = fl_image_document_get_shape (self->document, i);
      GdkRGBA color;

      if (g_hash_table_contains (self->drag_ids, shape->id) ||
          !shape_visible (self, shape, job->width, job->height))
        continue;
      color = shape_color (self, shape, 1.0);
      g_ptr_array_add (job->shapes, fl_shape_copy (shape));
      g_array_append_val (job->colors, color);
    }
  self->origin_x = saved_x;
  self->origin_y = saved_y;
  if (job->shapes->len > 0 && (level = composite_level (self)) >= 0)
    job_set_image (job, self->levels[level]->raster, level, self->image_width, self->image_height);
  return job;
}

static void
free_surface_bytes (gpointer data)
{
  cairo_surface_destroy (data);
}

/* Notes which tiles of the layer hold anything: the empty ones are not
 * made into textures, and the renderer neither uploads nor blends them. */
static void
find_used_tiles (ShapesJob *job, const guint8 *data, int stride, int w, int h)
{
  int cols = (w + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;
  int rows = (h + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;

  job->used = g_new0 (guint8, (gsize) cols * rows);
  for (int y = 0; y < h; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);

      for (int col = 0; col < cols; col++)
        {
          guint8 *used = &job->used[(y / LAYER_TILE_SIZE) * cols + col];
          int end = MIN (w, (col + 1) * LAYER_TILE_SIZE);

          if (*used)
            continue;
          for (int x = col * LAYER_TILE_SIZE; x < end; x++)
            if (row[x] != 0)
              {
                *used = 1;
                break;
              }
        }
    }
}

static int
compare_labels (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Draws the layer with cairo on the CPU: thousands of thin outlines cost
 * far less there than as render nodes on a software GL. Shapes of a label
 * share one path and one stroke. The image under them first, if the job
 * has it; only the tiles not taken over from the last layer, if any are.
 * Safe in any thread. */
static GBytes *
shapes_job_draw (ShapesJob *job)
{
  g_autoptr (GHashTable) by_label =
    g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_array_unref);
  int w = job->pixel_width, h = job->pixel_height;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, w, h);
  cairo_t *cr;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree gpointer *labels = NULL;
  guint n_labels;

  for (guint i = 0; i < job->shapes->len; i++)
    {
      const FlShape *shape = g_ptr_array_index (job->shapes, i);
      const char *label = shape->label != NULL ? shape->label : "";
      GArray *list = g_hash_table_lookup (by_label, label);

      if (list == NULL)
        g_hash_table_insert (by_label, (gpointer) label,
                             list = g_array_new (FALSE, FALSE, sizeof (guint)));
      g_array_append_val (list, i);
    }

  if (job->image != NULL)
    {
      for (int y = 0; y < h; y += LAYER_TILE_SIZE)
        for (int x = 0; x < w; x += LAYER_TILE_SIZE)
          if (job->reuse == NULL ||
              job->reuse[(y / LAYER_TILE_SIZE) * ((w + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE) +
                         x / LAYER_TILE_SIZE] < 0)
            draw_job_image (job, cairo_image_surface_get_data (surface),
                            cairo_image_surface_get_stride (surface), x, y,
                            MIN (w, x + LAYER_TILE_SIZE), MIN (h, y + LAYER_TILE_SIZE));
      cairo_surface_mark_dirty (surface);
    }
  cr = cairo_create (surface);
  if (job->reuse != NULL)
    {
      int cols = (w + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;

      for (int y = 0; y < h; y += LAYER_TILE_SIZE)
        for (int x = 0; x < w; x += LAYER_TILE_SIZE)
          if (job->reuse[(y / LAYER_TILE_SIZE) * cols + x / LAYER_TILE_SIZE] < 0)
            cairo_rectangle (cr, x, y, LAYER_TILE_SIZE, LAYER_TILE_SIZE);
      cairo_clip (cr);
    }
  /* At device pixels, so HiDPI screens get sharp lines. */
  cairo_translate (cr, -job->offset_x, -job->offset_y);
  cairo_scale (cr, job->scale, job->scale);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  /* Labels in a fixed order, so that a tile drawn again alone overlaps as
   * the whole layer does. */
  labels = g_hash_table_get_keys_as_array (by_label, &n_labels);
  qsort (labels, n_labels, sizeof (gpointer), compare_labels);
  for (guint l = 0; l < n_labels; l++)
    {
      GArray *list = g_hash_table_lookup (by_label, labels[l]);
      const GdkRGBA *color = &g_array_index (job->colors, GdkRGBA, g_array_index (list, guint, 0));
      gboolean points = FALSE;

      gdk_cairo_set_source_rgba (cr, color);
      cairo_set_line_width (cr, 2);
      /* Boxes apart from polygons: a path of rectangles only is stroked as
       * boxes, without the general (slow) stroker. */
      for (FlShapeKind kind = FL_SHAPE_BOX; kind <= FL_SHAPE_POLYGON; kind++)
        {
          cairo_new_path (cr);
          for (guint k = 0; k < list->len; k++)
            {
              const FlShape *shape =
                g_ptr_array_index (job->shapes, g_array_index (list, guint, k));

              if (job->draw != NULL && !job->draw[g_array_index (list, guint, k)])
                continue;
              points |= shape->kind == FL_SHAPE_POINT;
              if (shape->kind == kind)
                trace_shape (job, cr, shape);
            }
          cairo_stroke (cr);
        }
      if (!points)
        continue;
      for (guint k = 0; k < list->len; k++)
        {
          const FlShape *shape = g_ptr_array_index (job->shapes, g_array_index (list, guint, k));

          if (shape->kind == FL_SHAPE_POINT &&
              (job->draw == NULL || job->draw[g_array_index (list, guint, k)]))
            trace_shape (job, cr, shape);
        }
      gdk_cairo_set_source_rgba (cr, color);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  find_used_tiles (job, cairo_image_surface_get_data (surface),
                   cairo_image_surface_get_stride (surface), w, h);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * h,
                                      free_surface_bytes, surface);
  return g_steal_pointer (&bytes);
}

/* Cut into tiles that share the layer's pixels, so a frame draws only the
 * tiles in view and most of them lie wholly inside the canvas: a texture
 * that reaches past its clip is drawn with a costlier shader, and the
 * renderer uploads only what is drawn. */
static void
keep_layer_index (FlImageCanvas *self, GPtrArray *shapes)
{
  g_clear_pointer (&self->layer_index, g_hash_table_unref);
  g_clear_pointer (&self->layer_list, g_ptr_array_unref);
  self->layer_list = g_ptr_array_ref (shapes);
  self->layer_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < shapes->len; i++)
    {
      FlShape *shape = g_ptr_array_index (shapes, i);

      g_hash_table_insert (self->layer_index, shape->id, shape);
    }
  self->layer_stale = FALSE;
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* Tile @i of the layer, which waits to be uploaded, as a texture. */
static void
upload_layer_tile (FlImageCanvas *self, guint i)
{
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, self->layer_pixel_width);
  int x = (int) (i % self->shapes_cols) * LAYER_TILE_SIZE;
  int y = (int) (i / self->shapes_cols) * LAYER_TILE_SIZE;
  int tw = MIN (LAYER_TILE_SIZE, self->layer_pixel_width - x);
  int th = MIN (LAYER_TILE_SIZE, self->layer_pixel_height - y);
  g_autoptr (GBytes) slice =
    g_bytes_new_from_bytes (self->layer_bytes, (gsize) y * stride + (gsize) x * 4,
                            (gsize) (th - 1) * stride + (gsize) tw * 4);

  g_ptr_array_index (self->shapes_tiles, i) =
    fl_texture_maker_make (self->texture_maker, GDK_MEMORY_DEFAULT, tw, th, slice, stride);
  self->layer_pending[i] = FALSE;
  if (--self->layer_n_pending == 0)
    drop_layer_pixels (self);
}

/* Between frames, two more tiles for the view to move into. */
static gboolean
upload_more_layer_tiles (gpointer user_data)
{
  FlImageCanvas *self = user_data;

  for (guint i = 0, n = 0; self->layer_pending != NULL && i < self->shapes_tiles->len && n < 2; i++)
    if (self->layer_pending[i])
      {
        upload_layer_tile (self, i);
        n++;
      }
  if (self->layer_pending != NULL)
    return G_SOURCE_CONTINUE;
  self->layer_upload_id = 0;
  return G_SOURCE_REMOVE;
}

/* Uploading a whole layer at once holds up the main thread for several
 * milliseconds: the tiles in view are uploaded first, the others two at
 * a time between frames, after which the pixels are let go; a tile the
 * view reaches before is uploaded as it is drawn. */
static void
install_layer (FlImageCanvas *self, const ShapesJob *job, GBytes *bytes)
{
  int w = job->pixel_width, h = job->pixel_height;
  g_autoptr (GPtrArray) before = g_steal_pointer (&self->shapes_tiles);
  guint n;

  drop_layer_pixels (self);
  self->shapes_cols = (w + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;
  n = self->shapes_cols * ((h + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE);
  self->shapes_tiles = g_ptr_array_new_full (n, unref_if_set);
  g_ptr_array_set_size (self->shapes_tiles, n);
  self->shapes_scale = job->scale;
  self->layer_pending = g_memdup2 (job->used, n);
  for (guint i = 0; job->reuse != NULL && i < n; i++)
    if (job->reuse[i] >= 0)
      {
        GdkTexture *tile = g_ptr_array_index (before, job->reuse[i]);

        g_ptr_array_index (self->shapes_tiles, i) = tile != NULL ? g_object_ref (tile) : NULL;
        self->layer_pending[i] = FALSE;
      }
  self->layer_serial++;
  for (guint i = 0; i < n; i++)
    self->layer_n_pending += self->layer_pending[i] != 0;
  if (self->layer_n_pending == 0)
    drop_layer_pixels (self);
  else
    {
      self->layer_bytes = g_bytes_ref (bytes);
      self->layer_upload_id = g_idle_add_full (G_PRIORITY_LOW, upload_more_layer_tiles, self, NULL);
    }
  self->shapes_area = GRAPHENE_RECT_INIT (job->origin_x, job->origin_y, job->width / job->zoom,
                                          job->height / job->zoom);
  self->shapes_zoom = job->zoom;
  self->layer_origin_x = job->origin_x;
  self->layer_origin_y = job->origin_y;
  self->layer_pixel_width = job->pixel_width;
  self->layer_pixel_height = job->pixel_height;
  self->shapes_texture_version = job->version;
  self->layer_shapes = job->shapes->len;
  g_set_object (&self->layer_image, job->image);
  self->layer_image_level = job->image != NULL ? job->image_level : -1;
  keep_layer_index (self, job->shapes);
}

/* A shape's box in layer pixels (device), grown as for the layer's own
 * choice of shapes (which takes in their handles), more than what an
 * outline, a point or antialiasing reach past it. */
static void
layer_box (FlImageCanvas *self, const FlShape *shape, double box[4])
{
  FlRect bounds;
  double zoom = self->shapes_zoom, scale = self->shapes_scale;
  double grow = (HANDLE_SIZE + 8) * scale;

  fl_shape_get_bounds (shape, &bounds);
  box[0] = (bounds.x - self->layer_origin_x) * zoom * scale - grow;
  box[1] = (bounds.y - self->layer_origin_y) * zoom * scale - grow;
  box[2] = (bounds.x + bounds.width - self->layer_origin_x) * zoom * scale + grow;
  box[3] = (bounds.y + bounds.height - self->layer_origin_y) * zoom * scale + grow;
}

static gboolean
box_meets_tile (const double box[4], double x0, double y0, double x1, double y1)
{
  return box[2] > x0 && box[0] < x1 && box[3] > y0 && box[1] < y1;
}

/* Whether the shape belongs in the layer: not dragged, and within it. */
static gboolean
in_layer (FlImageCanvas *self, const FlShape *shape, int pixel_width, int pixel_height)
{
  double box[4];

  if (g_hash_table_contains (self->drag_ids, shape->id))
    return FALSE;
  layer_box (self, shape, box);
  return box_meets_tile (box, 0, 0, pixel_width, pixel_height);
}

static void
mark_tiles (FlImageCanvas *self, const double box[4], guint8 *dirty, int cols, int rows)
{
  int c0 = MAX (0, (int) floor (box[0] / LAYER_TILE_SIZE));
  int r0 = MAX (0, (int) floor (box[1] / LAYER_TILE_SIZE));
  int c1 = MIN (cols - 1, (int) floor (box[2] / LAYER_TILE_SIZE));
  int r1 = MIN (rows - 1, (int) floor (box[3] / LAYER_TILE_SIZE));

  for (int r = r0; r <= r1; r++)
    for (int c = c0; c <= c1; c++)
      dirty[r * cols + c] = TRUE;
}

/* After an edit: the layer tiles the changed shapes were or are in, drawn
 * again alone, rather than the whole layer (25 ms for 5,200 shapes). FALSE
 * when that would not pay, or when the colours changed. */
static gboolean
update_layer_tiles (FlImageCanvas *self)
{
  int pw = self->layer_pixel_width, ph = self->layer_pixel_height;
  int cols = self->shapes_cols, rows;
  g_autofree guint8 *dirty = NULL;
  g_autoptr (GPtrArray) now = NULL;
  guint n_dirty = 0;
  GHashTableIter iter;
  gpointer value;

  if (self->layer_stale || self->layer_index == NULL || self->shapes_tiles == NULL || cols == 0)
    return FALSE;
  rows = (int) (self->shapes_tiles->len / cols);
  if (rows == 0 || (pw + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE != cols)
    return FALSE;
  dirty = g_new0 (guint8, (gsize) cols * rows);
  now = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);

  g_hash_table_iter_init (&iter, self->layer_index);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const FlShape *before = value;
      const FlShape *after = fl_image_document_lookup (self->document, before->id);
      double box[4];

      if (after != NULL && in_layer (self, after, pw, ph) && fl_shape_equal (before, after))
        continue;
      layer_box (self, before, box);
      mark_tiles (self, box, dirty, cols, rows);
    }
  for (guint i = 0; i < fl_image_document_get_n_shapes (self->document); i++)
    {
      const FlShape *shape = fl_image_document_get_shape (self->document, i);
      const FlShape *before;
      double box[4];

      if (!in_layer (self, shape, pw, ph))
        continue;
      g_ptr_array_add (now, fl_shape_copy (shape));
      before = g_hash_table_lookup (self->layer_index, shape->id);
      if (before != NULL && fl_shape_equal (before, shape))
        continue;
      layer_box (self, shape, box);
      mark_tiles (self, box, dirty, cols, rows);
    }
  for (int i = 0; i < cols * rows; i++)
    n_dirty += dirty[i];
  if (n_dirty * 2 > (guint) (cols * rows))
    return FALSE;

  for (int i = 0; i < cols * rows; i++)
    {
      int tx = (i % cols) * LAYER_TILE_SIZE, ty = (i / cols) * LAYER_TILE_SIZE;
      ShapesJob *job;
      g_autoptr (GBytes) bytes = NULL;
      GdkTexture **slot;

      if (!dirty[i])
        continue;
      job = shapes_job_alloc (self->layer_origin_x, self->layer_origin_y, self->shapes_zoom,
                              self->shapes_scale);
      job->pixel_width = MIN (LAYER_TILE_SIZE, pw - tx);
      job->pixel_height = MIN (LAYER_TILE_SIZE, ph - ty);
      job->offset_x = tx;
      job->offset_y = ty;
      if (self->layer_image != NULL)
        job_set_image (job, self->layer_image, self->layer_image_level, self->image_width,
                       self->image_height);
      for (guint k = 0; k < now->len; k++)
        {
          const FlShape *shape = g_ptr_array_index (now, k);
          GdkRGBA color = shape_color (self, shape, 1.0);
          double box[4];

          layer_box (self, shape, box);
          if (!box_meets_tile (box, tx, ty, tx + job->pixel_width, ty + job->pixel_height))
            continue;
          g_ptr_array_add (job->shapes, fl_shape_copy (shape));
          g_array_append_val (job->colors, color);
        }
      bytes = shapes_job_draw (job);
      slot = (GdkTexture **) &g_ptr_array_index (self->shapes_tiles, i);
      g_clear_object (slot);
      if (self->layer_pending != NULL && self->layer_pending[i])
        {
          self->layer_pending[i] = FALSE;
          if (--self->layer_n_pending == 0)
            drop_layer_pixels (self);
        }
      if (job->used[0])
        *slot = fl_texture_maker_make (
          self->texture_maker, GDK_MEMORY_DEFAULT, job->pixel_width, job->pixel_height, bytes,
          cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, job->pixel_width));
      shapes_job_free (job);
    }
  self->layer_shapes = now->len;
  self->layer_serial++;
  keep_layer_index (self, now);
  self->shapes_texture_version = self->shapes_version;
  g_debug ("%u of %d layer tiles drawn again", n_dirty, cols * rows);
  return TRUE;
}

static void
render_shapes_now (FlImageCanvas *self, int width, int height)
{
  ShapesJob *job = shapes_job_new (self, width, height);
  g_autoptr (GBytes) bytes = NULL;
  gint64 start = g_get_monotonic_time ();

  g_clear_pointer (&self->shapes_tiles, g_ptr_array_unref);
  if (job == NULL)
    return;
  bytes = shapes_job_draw (job);
  install_layer (self, job, bytes);
  g_debug ("%u shapes drawn in %.3f s", job->shapes->len, (g_get_monotonic_time () - start) / 1e6);
  shapes_job_free (job);
}

/* Layers are drawn in a thread of their own, at a lower priority: while
 * the view moves, frames need both processors of a small machine, and a
 * layer a little late only shows the last one scaled a little longer. */
static void
shapes_job_thread (gpointer data, gpointer user_data)
{
  static gboolean lowered;
  g_autoptr (GTask) task = data;
  gint64 start = g_get_monotonic_time ();
  GBytes *bytes;

  /* The pool is exclusive: this thread draws layers and nothing else. On
   * Linux a thread has a priority of its own. */
  if (!lowered)
    {
      if (setpriority (PRIO_PROCESS, 0, 10) != 0)
        g_debug ("layers are drawn at the usual priority: %s", g_strerror (errno));
      lowered = TRUE;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  bytes = shapes_job_draw (g_task_get_task_data (task));
  g_debug ("%u shapes drawn aside in %.3f s",
           ((ShapesJob *) g_task_get_task_data (task))->shapes->len,
           (g_get_monotonic_time () - start) / 1e6);
  g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

static void
run_shapes_job (GTask *task)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (shapes_job_thread, NULL, 1, TRUE, NULL));
  g_thread_pool_push (pool, g_object_ref (task), NULL);
}

static void upload_visible_layer_tiles (FlImageCanvas *self);

/* While the view pans at one zoom, the tiles of the layer shown stay
 * right: the new layer, on the same grid, takes them over, and its job
 * draws only the others, and only the shapes that reach them. */
static void
plan_reuse (FlImageCanvas *self, ShapesJob *job)
{
  double zs = job->zoom * job->scale;
  double dx = (job->origin_x - self->layer_origin_x) * zs / LAYER_TILE_SIZE;
  double dy = (job->origin_y - self->layer_origin_y) * zs / LAYER_TILE_SIZE;
  int cols = (job->pixel_width + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;
  int rows = (job->pixel_height + LAYER_TILE_SIZE - 1) / LAYER_TILE_SIZE;
  int dc = (int) lround (dx), dr = (int) lround (dy), old_cols, old_rows;
  double grow = (HANDLE_SIZE + 8) * job->scale;
  guint reused = 0;

  if (self->shapes_tiles == NULL || self->layer_stale || self->shapes_zoom != job->zoom ||
      self->shapes_scale != job->scale || self->shapes_texture_version != job->version ||
      self->layer_image != job->image || fabs (dx - dc) > 1e-6 || fabs (dy - dr) > 1e-6)
    return;
  old_cols = self->shapes_cols;
  old_rows = (int) (self->shapes_tiles->len / old_cols);
  job->reuse = g_new (int, (gsize) cols *rows);
  for (int r = 0; r < rows; r++)
    for (int c = 0; c < cols; c++)
      {
        int oc = c + dc, orow = r + dr, old = orow * old_cols + oc;

        job->reuse[r * cols + c] = -1;
        if (oc < 0 || orow < 0 || oc >= old_cols || orow >= old_rows ||
            (self->layer_pending != NULL && self->layer_pending[old]) ||
            MIN (LAYER_TILE_SIZE, job->pixel_width - c * LAYER_TILE_SIZE) !=
              MIN (LAYER_TILE_SIZE, self->layer_pixel_width - oc * LAYER_TILE_SIZE) ||
            MIN (LAYER_TILE_SIZE, job->pixel_height - r * LAYER_TILE_SIZE) !=
              MIN (LAYER_TILE_SIZE, self->layer_pixel_height - orow * LAYER_TILE_SIZE))
          continue;
        job->reuse[r * cols + c] = old;
        reused++;
      }
  if (reused == 0)
    {
      g_clear_pointer (&job->reuse, g_free);
      return;
    }
  g_debug ("%u of %d layer tiles taken over", reused, cols * rows);
  job->base_serial = self->layer_serial;
  job->draw = g_new0 (guint8, job->shapes->len);
  for (guint k = 0; k < job->shapes->len; k++)
    {
      const FlShape *shape = g_ptr_array_index (job->shapes, k);
      FlRect bounds;
      int c0, r0, c1, r1;

      fl_shape_get_bounds (shape, &bounds);
      c0 = MAX (0, (int) floor (((bounds.x - job->origin_x) * zs - grow) / LAYER_TILE_SIZE));
      r0 = MAX (0, (int) floor (((bounds.y - job->origin_y) * zs - grow) / LAYER_TILE_SIZE));
      c1 = MIN (cols - 1, (int) floor (((bounds.x + bounds.width - job->origin_x) * zs + grow) /
                                       LAYER_TILE_SIZE));
      r1 = MIN (rows - 1, (int) floor (((bounds.y + bounds.height - job->origin_y) * zs + grow) /
                                       LAYER_TILE_SIZE));
      for (int r = r0; r <= r1 && !job->draw[k]; r++)
        for (int c = c0; c <= c1; c++)
          if (job->reuse[r * cols + c] < 0)
            {
              job->draw[k] = TRUE;
              break;
            }
    }
}

static void
shapes_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (source);
  const ShapesJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GBytes) bytes = g_task_propagate_pointer (G_TASK (result), NULL);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self->rendering = FALSE;
  /* An edit since the job started makes it stale, as does a new layer for
   * a job that takes tiles over; the next frame draws again. */
  if (bytes != NULL && job->version == self->shapes_version &&
      (job->reuse == NULL || job->base_serial == self->layer_serial))
    {
      install_layer (self, job, bytes);
      upload_visible_layer_tiles (self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Only the view moved: keep showing the layer there is, moved and scaled,
 * while a worker draws the new one, so frames stay cheap. */
static void
render_shapes_later (FlImageCanvas *self, int width, int height)
{
  g_autoptr (GTask) task = NULL;
  ShapesJob *job;

  if (self->rendering)
    return;
  job = shapes_job_new (self, width, height);
  if (job == NULL)
    return;
  plan_reuse (self, job);
  if (self->cancellable == NULL)
    self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, shapes_job_done, NULL);
  g_task_set_task_data (task, job, shapes_job_free);
  self->rendering = TRUE;
  run_shapes_job (task);
}

/* After the frame that asked for it: the redraw runs at a higher priority. */
static gboolean
start_first_layer (gpointer user_data)
{
  FlImageCanvas *self = user_data;

  self->first_layer_id = 0;
  if (self->shapes_tiles == NULL && self->document != NULL && self->shapes_visible)
    render_shapes_later (self, gtk_widget_get_width (GTK_WIDGET (self)),
                         gtk_widget_get_height (GTK_WIDGET (self)));
  return G_SOURCE_REMOVE;
}

static gboolean
shapes_texture_usable (FlImageCanvas *self, int width, int height)
{
  double x0, y0, x1, y1;
  const graphene_rect_t *area = &self->shapes_area;

  if (self->shapes_tiles == NULL || self->shapes_zoom <= 0 ||
      fabs (log (self->zoom / self->shapes_zoom)) > G_LN2)
    return FALSE;
  fl_image_canvas_widget_to_image (self, 0, 0, &x0, &y0);
  fl_image_canvas_widget_to_image (self, width, height, &x1, &y1);
  /* Only the part of the view that can hold shapes has to be covered. */
  x0 = MAX (x0, 0);
  y0 = MAX (y0, 0);
  x1 = MIN (x1, self->image_width);
  y1 = MIN (y1, self->image_height);
  return x0 >= area->origin.x && y0 >= area->origin.y && x1 <= area->origin.x + area->size.width &&
         y1 <= area->origin.y + area->size.height;
}

/* Whether the view keeps a tenth of itself inside the layer on every side
 * where the layer could reach further: panning on, the next layer is
 * asked for while this one still covers the view. */
static gboolean
shapes_layer_ahead (FlImageCanvas *self, int width, int height)
{
  const graphene_rect_t *area = &self->shapes_area;
  double x0, y0, x1, y1, sx, sy;

  fl_image_canvas_widget_to_image (self, 0, 0, &x0, &y0);
  fl_image_canvas_widget_to_image (self, width, height, &x1, &y1);
  sx = (x1 - x0) * 0.1;
  sy = (y1 - y0) * 0.1;
  return (area->origin.x <= 0 || x0 - sx >= area->origin.x) &&
         (area->origin.y <= 0 || y0 - sy >= area->origin.y) &&
         (area->origin.x + area->size.width >= self->image_width ||
          x1 + sx <= area->origin.x + area->size.width) &&
         (area->origin.y + area->size.height >= self->image_height ||
          y1 + sy <= area->origin.y + area->size.height);
}

/* Until the image is as sharp as the screen, drawing shapes would only
 * take the processor from the decoders; the layer follows, once that frame
 * is rendered. */
static void
ask_first_layer (FlImageCanvas *self)
{
  if (self->shapes_tiles == NULL && self->document != NULL && self->shapes_visible &&
      self->drawn_level >= 0 && self->drawn_level <= fl_image_canvas_get_ideal_level (self) &&
      self->first_layer_id == 0)
    self->first_layer_id = g_idle_add_full (G_PRIORITY_LOW, start_first_layer, self, NULL);
}

/* Whether the layer should be drawn again for the image in it: from
 * another level than the view would draw, or at a zoom a quarter away
 * (scaled that much, the image blurs). */
static gboolean
layer_image_outdated (FlImageCanvas *self)
{
  if (self->layer_image == NULL)
    return self->layer_shapes > 0 && composite_level (self) >= 0;
  return composite_level (self) != self->layer_image_level ||
         fabs (log (self->zoom / self->shapes_zoom)) > log (1.25);
}

/* Starts or redraws the layer as the view and the shapes ask. TRUE when
 * the layer holds the image and covers the view: no tile of the image is
 * drawn then. */
static gboolean
update_shapes (FlImageCanvas *self, int width, int height, gboolean settled)
{
  if (self->document == NULL || !self->shapes_visible)
    return FALSE;

  /* Edits are shown at once; the first layer and view changes may wait a
   * frame or two, while the image itself is being decoded or moved. */
  if (self->shapes_tiles == NULL)
    ask_first_layer (self);
  else if (self->shapes_texture_version != self->shapes_version)
    {
      if (!update_layer_tiles (self))
        render_shapes_now (self, width, height);
    }
  else if (!shapes_texture_usable (self, width, height) ||
           (settled && self->zoom != self->shapes_zoom) || layer_image_outdated (self) ||
           (self->zoom == self->shapes_zoom && !shapes_layer_ahead (self, width, height)))
    render_shapes_later (self, width, height);
  return self->layer_image != NULL && shapes_texture_usable (self, width, height);
}

/* Where tile @i of the layer goes on the widget at the present view;
 * FALSE when it is out of sight. At the layer's zoom, on whole pixels,
 * which keep one-pixel lines sharp; scaled while zooming, which keeps
 * frames cheap, until it is drawn again at the exact zoom. */
static gboolean
layer_tile_rect (FlImageCanvas *self, guint i, int width, int height, graphene_rect_t *rect)
{
  const graphene_rect_t *area = &self->shapes_area;
  int tx = (int) (i % self->shapes_cols) * LAYER_TILE_SIZE;
  int ty = (int) (i / self->shapes_cols) * LAYER_TILE_SIZE;
  double x0, y0, x1, y1, scale;

  fl_image_canvas_image_to_widget (self, area->origin.x, area->origin.y, &x0, &y0);
  fl_image_canvas_image_to_widget (self, area->origin.x + area->size.width,
                                   area->origin.y + area->size.height, &x1, &y1);
  if (self->zoom == self->shapes_zoom)
    {
      x0 = round (x0);
      y0 = round (y0);
      scale = 1.0 / self->shapes_scale;
    }
  else
    scale = (x1 - x0) / (area->size.width * self->shapes_zoom * self->shapes_scale);
  *rect = GRAPHENE_RECT_INIT (x0 + tx * scale, y0 + ty * scale,
                              MIN (LAYER_TILE_SIZE, self->layer_pixel_width - tx) * scale,
                              MIN (LAYER_TILE_SIZE, self->layer_pixel_height - ty) * scale);
  return rect->origin.x + rect->size.width > 0 && rect->origin.y + rect->size.height > 0 &&
         rect->origin.x < width && rect->origin.y < height;
}

/* Where the shapes layer, which holds the image, paints over the widget
 * entirely: the image's own tiles need not be drawn there. While zooming
 * away from the layer's zoom, it covers only part of the view until it is
 * drawn again. Empty when there is no such layer, or a tile of it is
 * missing, or without GL: cairo smooths the edges of scaled textures, and
 * what is beneath shows through the seams between the layer's tiles. */
static graphene_rect_t
layer_cover (FlImageCanvas *self, int width, int height)
{
  graphene_rect_t cover = GRAPHENE_RECT_INIT (0, 0, 0, 0), rect;

  if (self->document == NULL || !self->shapes_visible || self->shapes_tiles == NULL ||
      self->layer_image == NULL || !fl_texture_maker_uses_gl (self->texture_maker))
    return cover;
  for (guint i = 0; i < self->shapes_tiles->len; i++)
    {
      gboolean visible = layer_tile_rect (self, i, width, height, &rect);

      if (visible && g_ptr_array_index (self->shapes_tiles, i) == NULL &&
          (self->layer_pending == NULL || !self->layer_pending[i]))
        return GRAPHENE_RECT_INIT (0, 0, 0, 0);
      if (i == 0)
        cover = rect;
      else
        graphene_rect_union (&cover, &rect, &cover);
    }
  /* Scaled, its edges fall between pixels. */
  graphene_rect_inset (&cover, 1, 1);
  return cover;
}

static void
upload_visible_layer_tiles (FlImageCanvas *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  graphene_rect_t rect;

  for (guint i = 0; self->layer_pending != NULL && i < self->shapes_tiles->len; i++)
    if (self->layer_pending[i] && layer_tile_rect (self, i, width, height, &rect))
      upload_layer_tile (self, i);
}

static void
snapshot_shapes (FlImageCanvas *self, GtkSnapshot *snapshot, int width, int height)
{
  if (self->document == NULL || !self->shapes_visible || self->shapes_tiles == NULL)
    {
      self->drawn_shapes = 0;
      return;
    }
  self->drawn_shapes = self->layer_shapes;
  if (self->zoom != self->shapes_zoom)
    schedule_settle (self);
  for (guint i = 0; i < self->shapes_tiles->len; i++)
    {
      GdkTexture *tile;
      graphene_rect_t rect;

      if (!layer_tile_rect (self, i, width, height, &rect))
        continue;
      if (self->layer_pending != NULL && self->layer_pending[i])
        upload_layer_tile (self, i);
      tile = g_ptr_array_index (self->shapes_tiles, i);
      if (tile != NULL)
        gtk_snapshot_append_texture (snapshot, tile, &rect);
    }
}

/* Whether the window draws with GL; unlike the texture maker, without
 * making a context, which would hold up the first frame. */
static gboolean
renders_with_gl (FlImageCanvas *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

  return native != NULL && GSK_IS_GL_RENDERER (gtk_native_get_renderer (native));
}

/* A darker backdrop shows where the image ends, and the window's
 * background where it may let it show: in its transparent pixels, and
 * with cairo, between the layer's tiles while they are scaled. Opaque, as
 * nothing is drawn beneath the canvas; only around the image otherwise, as
 * painting what the image covers is a cost of its own on a software GL. */
static void
snapshot_backdrop (FlImageCanvas *self, GtkSnapshot *snapshot, int width, int height,
                   FlRaster *shown)
{
  GdkRGBA window, shade;
  double x0, y0, x1, y1;

  fl_backdrop_get_window_color (GTK_WIDGET (self), &window);
  shade = (GdkRGBA){ window.red * 0.92, window.green * 0.92, window.blue * 0.92, 1 };
  if (shown == NULL)
    {
      gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, 0, width, height));
      return;
    }
  fl_image_canvas_image_to_widget (self, 0, 0, &x0, &y0);
  fl_image_canvas_image_to_widget (self, self->image_width, self->image_height, &x1, &y1);
  x0 = CLAMP (round (x0), 0, width);
  y0 = CLAMP (round (y0), 0, height);
  x1 = CLAMP (round (x1), 0, width);
  y1 = CLAMP (round (y1), 0, height);
  if (y0 > 0)
    gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, 0, width, y0));
  if (y1 < height)
    gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, y1, width, height - y1));
  if (x0 > 0)
    gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (0, y0, x0, y1 - y0));
  if (x1 < width)
    gtk_snapshot_append_color (snapshot, &shade, &GRAPHENE_RECT_INIT (x1, y0, width - x1, y1 - y0));
  if ((fl_raster_get_has_alpha (shown) || !renders_with_gl (self)) && x1 > x0 && y1 > y0)
    gtk_snapshot_append_color (snapshot, &window, &GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
}

/* Selected shapes are drawn over the cached layer every frame, with their
 * handles and label, so selecting needs no new layer. */
static void
snapshot_selection (FlImageCanvas *self, GtkSnapshot *snapshot, int width, int height)
{
  GHashTableIter iter;
  gpointer key;

  if (self->document == NULL || !self->shapes_visible)
    return;
  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const FlShape *shape = fl_image_document_lookup (self->document, key);

      if (shape != NULL && !g_hash_table_contains (self->drag_ids, shape->id) &&
          shape_visible (self, shape, width, height))
        snapshot_shape (self, snapshot, shape, TRUE);
    }
}

static void
fl_image_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  gint64 start = g_get_monotonic_time ();
  gboolean settled = self->settle_due && self->last_view[0] == self->zoom &&
                     self->last_view[1] == self->origin_x && self->last_view[2] == self->origin_y;
  FlRaster *shown = NULL;
  gboolean covered;
  int number;

  self->settle_due = FALSE;
  self->last_view[0] = self->zoom;
  self->last_view[1] = self->origin_x;
  self->last_view[2] = self->origin_y;
  self->frame++;
  self->drawn_tiles = 0;
  covered = update_shapes (self, width, height, settled);
  if (covered)
    {
      self->drawn_level = self->layer_image_level;
      shown = self->layer_image;
    }
  else if ((number = pick_level (self)) >= 0)
    shown = self->levels[number]->raster;
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  snapshot_backdrop (self, snapshot, width, height, shown);
  if (!covered)
    {
      graphene_rect_t hidden = layer_cover (self, width, height);

      snapshot_image (self, snapshot, width, height, settled, &hidden);
      ask_first_layer (self);
    }
  snapshot_shapes (self, snapshot, width, height);
  snapshot_selection (self, snapshot, width, height);
  for (guint i = 0; i < self->drag_shapes->len; i++)
    snapshot_shape (self, snapshot, g_ptr_array_index (self->drag_shapes, i), TRUE);
  snapshot_draft (self, snapshot);
  gtk_snapshot_pop (snapshot);

  /* While the layer holds the image, tiles are kept only for a while:
   * hiding the shapes draws them again. */
  evict_tiles (self, covered ? TEXTURE_BUDGET / 3 : TEXTURE_BUDGET);
  start_tile_conversion (self);
  self->snapshot_us = g_get_monotonic_time () - start;
}

/* Every pixel is painted: the background beneath need not be. */
static void
fl_image_canvas_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (fl_image_canvas_parent_class)->map (widget);
  fl_backdrop_add_opaque (widget);
}

static void
fl_image_canvas_unmap (GtkWidget *widget)
{
  fl_backdrop_remove_opaque (widget);
  GTK_WIDGET_CLASS (fl_image_canvas_parent_class)->unmap (widget);
}

static void
fl_image_canvas_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (widget);

  if (self->fitted)
    fl_image_canvas_zoom_to_fit (self);
}

/* Hit testing */

static gboolean
point_in_polygon (const FlShape *shape, double x, double y)
{
  gboolean inside = FALSE;
  guint n = shape->points->len;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      const FlPoint *a = &g_array_index (shape->points, FlPoint, i);
      const FlPoint *b = &g_array_index (shape->points, FlPoint, j);

      if ((a->y > y) != (b->y > y) && x < (b->x - a->x) * (y - a->y) / (b->y - a->y) + a->x)
        inside = !inside;
    }
  return inside;
}

/* The shape under a widget point: points first, then the smallest box or
 * polygon holding it, so that nested boxes stay reachable. */
static const FlShape *
shape_at (FlImageCanvas *self, double wx, double wy)
{
  const FlShape *best = NULL;
  double best_area = G_MAXDOUBLE;
  double x, y, tolerance;

  if (self->document == NULL || !self->shapes_visible)
    return NULL;
  fl_image_canvas_widget_to_image (self, wx, wy, &x, &y);
  tolerance = HIT_TOLERANCE / self->zoom;
  for (guint i = fl_image_document_get_n_shapes (self->document); i-- > 0;)
    {
      const FlShape *shape = fl_image_document_get_shape (self->document, i);
      double area;

      switch (shape->kind)
        {
          case FL_SHAPE_POINT:
            if (hypot (shape->x - x, shape->y - y) <= tolerance)
              return shape;
            break;
          case FL_SHAPE_BOX:
            if (x >= shape->x - tolerance && x <= shape->x + shape->width + tolerance &&
                y >= shape->y - tolerance && y <= shape->y + shape->height + tolerance)
              {
                area = shape->width * shape->height;
                if (area < best_area)
                  best = shape, best_area = area;
              }
            break;
          case FL_SHAPE_POLYGON:
          default:
            if (point_in_polygon (shape, x, y))
              {
                area = fl_shape_polygon_area (shape);
                if (area < best_area)
                  best = shape, best_area = area;
              }
            break;
        }
    }
  return best;
}

/* A resize handle of a selected shape: box handles 0-7, polygon vertices,
 * or 0 for a point. */
static const FlShape *
handle_at (FlImageCanvas *self, double wx, double wy, int *handle)
{
  GHashTableIter iter;
  gpointer key;

  if (self->document == NULL || !self->shapes_visible)
    return NULL;
  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const FlShape *shape = fl_image_document_lookup (self->document, key);
      double x, y;

      if (shape == NULL)
        continue;
      if (shape->kind == FL_SHAPE_BOX)
        {
          double xs[8], ys[8];

          box_handles (self, shape, xs, ys);
          for (int i = 0; i < 8; i++)
            if (fabs (xs[i] - wx) <= HIT_TOLERANCE && fabs (ys[i] - wy) <= HIT_TOLERANCE)
              {
                *handle = i;
                return shape;
              }
        }
      else if (shape->kind == FL_SHAPE_POLYGON)
        {
          for (guint i = 0; i < shape->points->len; i++)
            {
              const FlPoint *p = &g_array_index (shape->points, FlPoint, i);

              fl_image_canvas_image_to_widget (self, p->x, p->y, &x, &y);
              if (fabs (x - wx) <= HIT_TOLERANCE && fabs (y - wy) <= HIT_TOLERANCE)
                {
                  *handle = i;
                  return shape;
                }
            }
        }
      else
        {
          fl_image_canvas_image_to_widget (self, shape->x, shape->y, &x, &y);
          if (hypot (x - wx, y - wy) <= HIT_TOLERANCE)
            {
              *handle = 0;
              return shape;
            }
        }
    }
  return NULL;
}

/* Editing */

static void
select_only (FlImageCanvas *self, const char *id)
{
  g_hash_table_remove_all (self->selection);
  if (id != NULL)
    g_hash_table_add (self->selection, g_strdup (id));
  emit_selection_changed (self);
}

static void
add_shape (FlImageCanvas *self, FlShape *shape)
{
  g_autofree char *id = fl_image_document_next_id (self->document);

  fl_shape_set_id (shape, id);
  fl_image_document_add (self->document, shape);
  select_only (self, id);
}

static void
start_drag_of_selection (FlImageCanvas *self, DragMode mode)
{
  GHashTableIter iter;
  gpointer key;

  clear_drag (self);
  self->drag_mode = mode;
  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const FlShape *shape = fl_image_document_lookup (self->document, key);

      if (shape == NULL)
        continue;
      g_ptr_array_add (self->drag_originals, fl_shape_copy (shape));
      g_ptr_array_add (self->drag_shapes, fl_shape_copy (shape));
      g_hash_table_add (self->drag_ids, g_strdup (shape->id));
    }
  invalidate_shapes (self);
}

/* Limits a move so that the moved shapes stay inside the image. */
static void
clamp_translation (FlImageCanvas *self, GPtrArray *shapes, double *dx, double *dy)
{
  double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;

  if (shapes->len == 0)
    return;
  for (guint i = 0; i < shapes->len; i++)
    {
      FlRect b;

      fl_shape_get_bounds (g_ptr_array_index (shapes, i), &b);
      x0 = MIN (x0, b.x);
      y0 = MIN (y0, b.y);
      x1 = MAX (x1, b.x + b.width);
      y1 = MAX (y1, b.y + b.height);
    }
  *dx = CLAMP (*dx, -x0, MAX (-x0, self->image_width - x1));
  *dy = CLAMP (*dy, -y0, MAX (-y0, self->image_height - y1));
}

static void
update_move (FlImageCanvas *self, double dx, double dy)
{
  clamp_translation (self, self->drag_originals, &dx, &dy);
  for (guint i = 0; i < self->drag_shapes->len; i++)
    {
      FlShape *shape = g_ptr_array_index (self->drag_shapes, i);
      const FlShape *original = g_ptr_array_index (self->drag_originals, i);

      fl_shape_free (shape);
      shape = fl_shape_copy (original);
      fl_shape_translate (shape, dx, dy);
      g_ptr_array_index (self->drag_shapes, i) = shape;
    }
}

static void
update_resize (FlImageCanvas *self, double x, double y)
{
  const FlShape *original;
  FlShape *shape;

  if (self->drag_shapes->len == 0)
    return;
  original = g_ptr_array_index (self->drag_originals, 0);
  shape = g_ptr_array_index (self->drag_shapes, 0);
  x = CLAMP (x, 0, self->image_width);
  y = CLAMP (y, 0, self->image_height);

  if (original->kind == FL_SHAPE_BOX)
    {
      double x0 = original->x, y0 = original->y;
      double x1 = original->x + original->width, y1 = original->y + original->height;

      switch (self->drag_handle)
        {
          case 0:
            x0 = x, y0 = y;
            break;
          case 1:
            x1 = x, y0 = y;
            break;
          case 2:
            x1 = x, y1 = y;
            break;
          case 3:
            x0 = x, y1 = y;
            break;
          case 4:
            y0 = y;
            break;
          case 5:
            x1 = x;
            break;
          case 6:
            y1 = y;
            break;
          case 7:
          default:
            x0 = x;
            break;
        }
      shape->x = MIN (x0, x1);
      shape->y = MIN (y0, y1);
      shape->width = fabs (x1 - x0);
      shape->height = fabs (y1 - y0);
    }
  else if (original->kind == FL_SHAPE_POLYGON)
    {
      FlPoint *p = &g_array_index (shape->points, FlPoint, self->drag_handle);

      p->x = x;
      p->y = y;
    }
  else
    {
      shape->x = x;
      shape->y = y;
    }
}

static void
commit_drag (FlImageCanvas *self)
{
  fl_image_document_begin (self->document);
  for (guint i = 0; i < self->drag_shapes->len; i++)
    {
      const FlShape *shape = g_ptr_array_index (self->drag_shapes, i);

      if (shape->kind == FL_SHAPE_BOX && (shape->width < 1 || shape->height < 1))
        continue;
      fl_image_document_replace (self->document, fl_shape_copy (shape));
    }
  fl_image_document_end (self->document);
}

gboolean
fl_image_canvas_finish_polygon (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FALSE);

  if (self->draft->len < 3 || self->document == NULL)
    return FALSE;
  add_shape (self, fl_shape_new_polygon (NULL, self->current_label,
                                         (const FlPoint *) (gpointer) self->draft->data,
                                         self->draft->len));
  g_array_set_size (self->draft, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

gboolean
fl_image_canvas_remove_polygon_point (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FALSE);

  if (self->draft->len == 0)
    return FALSE;
  g_array_set_size (self->draft, self->draft->len - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

guint
fl_image_canvas_get_draft_length (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), 0);
  return self->draft->len;
}

static void
polygon_click (FlImageCanvas *self, double wx, double wy)
{
  FlPoint p;

  if (self->draft->len >= 3)
    {
      const FlPoint *first = &g_array_index (self->draft, FlPoint, 0);
      double fx, fy;

      fl_image_canvas_image_to_widget (self, first->x, first->y, &fx, &fy);
      if (hypot (fx - wx, fy - wy) <= HIT_TOLERANCE + 2)
        {
          fl_image_canvas_finish_polygon (self);
          return;
        }
    }
  fl_image_canvas_widget_to_image (self, wx, wy, &p.x, &p.y);
  p.x = CLAMP (p.x, 0, self->image_width);
  p.y = CLAMP (p.y, 0, self->image_height);
  g_array_append_val (self->draft, p);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_begin (GtkGestureDrag *gesture, double x, double y, FlImageCanvas *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  const FlShape *shape;
  int handle;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  clear_drag (self);
  self->drag_start_x = x;
  self->drag_start_y = y;
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;

  if (button == GDK_BUTTON_MIDDLE || (button == GDK_BUTTON_PRIMARY && self->space_held))
    {
      self->drag_mode = DRAG_PAN;
      self->drag_origin_x = self->origin_x;
      self->drag_origin_y = self->origin_y;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
      return;
    }
  if (button != GDK_BUTTON_PRIMARY || self->document == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (self->tool == FL_IMAGE_TOOL_POLYGON)
    {
      polygon_click (self, x, y);
      return;
    }
  shape = handle_at (self, x, y, &handle);
  if (shape != NULL)
    {
      select_only (self, shape->id);
      start_drag_of_selection (self, DRAG_RESIZE);
      self->drag_handle = handle;
      return;
    }

  switch (self->tool)
    {
      case FL_IMAGE_TOOL_SELECT:
        shape = shape_at (self, x, y);
        if (shape == NULL)
          {
            if ((state & GDK_SHIFT_MASK) == 0)
              select_only (self, NULL);
            return;
          }
        if (state & (GDK_SHIFT_MASK | GDK_CONTROL_MASK))
          {
            if (!g_hash_table_remove (self->selection, shape->id))
              g_hash_table_add (self->selection, g_strdup (shape->id));
            emit_selection_changed (self);
          }
        else if (!g_hash_table_contains (self->selection, shape->id))
          select_only (self, shape->id);
        if (g_hash_table_contains (self->selection, shape->id))
          start_drag_of_selection (self, DRAG_MOVE);
        break;
      case FL_IMAGE_TOOL_BOX:
        fl_image_canvas_widget_to_image (self, x, y, &self->drag_origin_x, &self->drag_origin_y);
        self->drag_origin_x = CLAMP (self->drag_origin_x, 0, self->image_width);
        self->drag_origin_y = CLAMP (self->drag_origin_y, 0, self->image_height);
        self->drag_mode = DRAG_CREATE_BOX;
        break;
      case FL_IMAGE_TOOL_POINT:
        {
          double ix, iy;

          fl_image_canvas_widget_to_image (self, x, y, &ix, &iy);
          if (ix >= 0 && iy >= 0 && ix <= self->image_width && iy <= self->image_height)
            add_shape (self, fl_shape_new_point (NULL, self->current_label, ix, iy));
        }
        break;
      case FL_IMAGE_TOOL_POLYGON:
      default:
        break;
    }
}

static void
on_drag_update (GtkGestureDrag *gesture, double dx, double dy, FlImageCanvas *self)
{
  double x = self->drag_start_x + dx;
  double y = self->drag_start_y + dy;
  double ix, iy;

  self->pointer_x = x;
  self->pointer_y = y;
  fl_image_canvas_widget_to_image (self, x, y, &ix, &iy);
  switch (self->drag_mode)
    {
      case DRAG_PAN:
        self->origin_x = self->drag_origin_x - dx / self->zoom;
        self->origin_y = self->drag_origin_y - dy / self->zoom;
        self->fitted = FALSE;
        break;
      case DRAG_MOVE:
        update_move (self, dx / self->zoom, dy / self->zoom);
        break;
      case DRAG_RESIZE:
        update_resize (self, ix, iy);
        break;
      case DRAG_CREATE_BOX:
      case DRAG_NONE:
      default:
        break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture, double dx, double dy, FlImageCanvas *self)
{
  switch (self->drag_mode)
    {
      case DRAG_MOVE:
      case DRAG_RESIZE:
        commit_drag (self);
        break;
      case DRAG_CREATE_BOX:
        {
          double ix, iy, x0, y0, x1, y1;

          fl_image_canvas_widget_to_image (self, self->drag_start_x + dx, self->drag_start_y + dy,
                                           &ix, &iy);
          ix = CLAMP (ix, 0, self->image_width);
          iy = CLAMP (iy, 0, self->image_height);
          x0 = MIN (ix, self->drag_origin_x);
          y0 = MIN (iy, self->drag_origin_y);
          x1 = MAX (ix, self->drag_origin_x);
          y1 = MAX (iy, self->drag_origin_y);
          /* A click without a drag is not a box. */
          if (x1 - x0 >= 1 && y1 - y0 >= 1 && fabs (dx) >= 3 && fabs (dy) >= 3)
            add_shape (self,
                       fl_shape_new_box (NULL, self->current_label, x0, y0, x1 - x0, y1 - y0));
        }
        break;
      case DRAG_PAN:
      case DRAG_NONE:
      default:
        break;
    }
  clear_drag (self);
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   self->tool == FL_IMAGE_TOOL_SELECT ? NULL : "crosshair");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *controller, double x, double y, FlImageCanvas *self)
{
  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (self->draft->len > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller, FlImageCanvas *self)
{
  self->pointer_inside = FALSE;
  if (self->draft->len > 0)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_scroll (GtkEventControllerScroll *controller, double dx, double dy, FlImageCanvas *self)
{
  GdkModifierType state =
    gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  const double step = 48;

  if (state & GDK_CONTROL_MASK)
    {
      fl_image_canvas_zoom_at (self, pow (1.2, -dy), self->pointer_x, self->pointer_y);
      return TRUE;
    }
  if (state & GDK_SHIFT_MASK)
    dx = dy, dy = 0;
  self->origin_x += dx * step / self->zoom;
  self->origin_y += dy * step / self->zoom;
  self->fitted = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static void
on_zoom_begin (GtkGesture *gesture, GdkEventSequence *sequence, FlImageCanvas *self)
{
  self->pinch_zoom = self->zoom;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture, double scale, FlImageCanvas *self)
{
  double cx, cy;

  if (!gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &cx, &cy))
    return;
  fl_image_canvas_zoom_at (self, self->pinch_zoom * scale / self->zoom, cx, cy);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, FlImageCanvas *self)
{
  if (keyval != GDK_KEY_space)
    return FALSE;
  self->space_held = TRUE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grab");
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller, guint keyval, guint keycode,
                 GdkModifierType state, FlImageCanvas *self)
{
  if (keyval != GDK_KEY_space)
    return;
  self->space_held = FALSE;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   self->tool == FL_IMAGE_TOOL_SELECT ? NULL : "crosshair");
}

static void
on_document_changed (FlImageDocument *document, FlImageCanvas *self)
{
  GHashTableIter iter;
  gpointer key;
  gboolean dropped = FALSE;

  /* Undo can take selected shapes away. */
  g_hash_table_iter_init (&iter, self->selection);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (fl_image_document_lookup (document, key) == NULL)
      {
        g_hash_table_iter_remove (&iter);
        dropped = TRUE;
      }
  if (dropped)
    emit_selection_changed (self);
  invalidate_shapes (self);
}

void
fl_image_canvas_set_document (FlImageCanvas *self, FlImageDocument *document)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, on_document_changed, self);
  g_set_object (&self->document, document);
  if (document != NULL)
    g_signal_connect (document, "changed", G_CALLBACK (on_document_changed), self);
  g_hash_table_remove_all (self->selection);
  emit_selection_changed (self);
}

void
fl_image_canvas_set_label_config (FlImageCanvas *self, FlLabelConfig *config)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  g_set_object (&self->config, config);
  self->layer_stale = TRUE;
  invalidate_shapes (self);
}

void
fl_image_canvas_set_tool (FlImageCanvas *self, FlImageTool tool)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (tool != FL_IMAGE_TOOL_POLYGON)
    g_array_set_size (self->draft, 0);
  self->tool = tool;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                   tool == FL_IMAGE_TOOL_SELECT ? NULL : "crosshair");
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

FlImageTool
fl_image_canvas_get_tool (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FL_IMAGE_TOOL_SELECT);
  return self->tool;
}

void
fl_image_canvas_set_current_label (FlImageCanvas *self, const char *label)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  g_free (self->current_label);
  self->current_label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
fl_image_canvas_get_current_label (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), NULL);
  return self->current_label;
}

void
fl_image_canvas_set_shapes_visible (FlImageCanvas *self, gboolean visible)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));
  /* The layer is kept while hidden: shown again, it is as it was. */
  self->shapes_visible = visible;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fl_image_canvas_get_shapes_visible (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), TRUE);
  return self->shapes_visible;
}

/* Selection, in document order. */
GStrv
fl_image_canvas_dup_selection (FlImageCanvas *self)
{
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), NULL);

  if (self->document != NULL)
    for (guint i = 0; i < fl_image_document_get_n_shapes (self->document); i++)
      {
        const FlShape *shape = fl_image_document_get_shape (self->document, i);

        if (g_hash_table_contains (self->selection, shape->id))
          g_strv_builder_add (builder, shape->id);
      }
  return g_strv_builder_end (builder);
}

void
fl_image_canvas_select (FlImageCanvas *self, const char *const *ids)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  g_hash_table_remove_all (self->selection);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    if (self->document != NULL && fl_image_document_lookup (self->document, ids[i]) != NULL)
      g_hash_table_add (self->selection, g_strdup (ids[i]));
  emit_selection_changed (self);
}

void
fl_image_canvas_select_all (FlImageCanvas *self)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  g_hash_table_remove_all (self->selection);
  if (self->document != NULL)
    for (guint i = 0; i < fl_image_document_get_n_shapes (self->document); i++)
      g_hash_table_add (self->selection,
                        g_strdup (fl_image_document_get_shape (self->document, i)->id));
  emit_selection_changed (self);
}

/* Escape: drops a polygon in progress, else the selection. */
gboolean
fl_image_canvas_cancel (FlImageCanvas *self)
{
  g_return_val_if_fail (FL_IS_IMAGE_CANVAS (self), FALSE);

  if (self->draft->len > 0)
    {
      g_array_set_size (self->draft, 0);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;
    }
  if (g_hash_table_size (self->selection) > 0)
    {
      select_only (self, NULL);
      return TRUE;
    }
  return FALSE;
}

void
fl_image_canvas_delete_selection (FlImageCanvas *self)
{
  g_auto (GStrv) ids = NULL;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->document == NULL)
    return;
  ids = fl_image_canvas_dup_selection (self);
  fl_image_document_begin (self->document);
  for (guint i = 0; ids[i] != NULL; i++)
    fl_image_document_remove (self->document, ids[i]);
  fl_image_document_end (self->document);
}

void
fl_image_canvas_duplicate_selection (FlImageCanvas *self)
{
  g_auto (GStrv) ids = NULL;
  g_autoptr (GStrvBuilder) copies = g_strv_builder_new ();
  g_auto (GStrv) new_ids = NULL;
  g_autoptr (GPtrArray) shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  double dx = 10, dy = 10;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->document == NULL)
    return;
  ids = fl_image_canvas_dup_selection (self);
  for (guint i = 0; ids[i] != NULL; i++)
    g_ptr_array_add (shapes, fl_shape_copy (fl_image_document_lookup (self->document, ids[i])));
  clamp_translation (self, shapes, &dx, &dy);
  fl_image_document_begin (self->document);
  for (guint i = 0; i < shapes->len; i++)
    {
      FlShape *copy = fl_shape_copy (g_ptr_array_index (shapes, i));
      g_autofree char *id = fl_image_document_next_id (self->document);

      fl_shape_set_id (copy, id);
      fl_shape_translate (copy, dx, dy);
      g_strv_builder_add (copies, id);
      fl_image_document_add (self->document, copy);
    }
  fl_image_document_end (self->document);
  new_ids = g_strv_builder_end (copies);
  fl_image_canvas_select (self, (const char *const *) new_ids);
}

void
fl_image_canvas_nudge_selection (FlImageCanvas *self, double dx, double dy)
{
  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->document == NULL || g_hash_table_size (self->selection) == 0)
    return;
  start_drag_of_selection (self, DRAG_MOVE);
  update_move (self, dx, dy);
  commit_drag (self);
  clear_drag (self);
}

void
fl_image_canvas_relabel_selection (FlImageCanvas *self, const char *label)
{
  g_auto (GStrv) ids = NULL;

  g_return_if_fail (FL_IS_IMAGE_CANVAS (self));

  if (self->document == NULL)
    return;
  ids = fl_image_canvas_dup_selection (self);
  fl_image_document_begin (self->document);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      FlShape *shape = fl_shape_copy (fl_image_document_lookup (self->document, ids[i]));

      fl_shape_set_label (shape, label);
      fl_image_document_replace (self->document, shape);
    }
  fl_image_document_end (self->document);
}

static void
fl_image_canvas_dispose (GObject *object)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (object);

  if (self->document != NULL)
    g_signal_handlers_disconnect_by_func (self->document, on_document_changed, self);
  g_clear_object (&self->document);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->first_layer_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->layer_index, g_hash_table_unref);
  g_clear_pointer (&self->layer_list, g_ptr_array_unref);
  g_clear_pointer (&self->shapes_tiles, g_ptr_array_unref);
  g_clear_object (&self->layer_image);
  drop_layer_pixels (self);
  clear_levels (self);
  g_clear_object (&self->config);
  g_clear_object (&self->texture_maker);
  G_OBJECT_CLASS (fl_image_canvas_parent_class)->dispose (object);
}

static void
fl_image_canvas_finalize (GObject *object)
{
  FlImageCanvas *self = FL_IMAGE_CANVAS (object);

  g_free (self->current_label);
  g_hash_table_unref (self->selection);
  g_ptr_array_unref (self->drag_originals);
  g_ptr_array_unref (self->drag_shapes);
  g_hash_table_unref (self->drag_ids);
  g_array_unref (self->draft);
  g_ptr_array_unref (self->tile_requests);
  G_OBJECT_CLASS (fl_image_canvas_parent_class)->finalize (object);
}

static void
fl_image_canvas_class_init (FlImageCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

#ifdef __GLIBC__
  /* Tile textures, shapes layers and crisp views are buffers of a few MB,
   * made and freed while panning. glibc raises its mmap threshold to the
   * size of each such buffer freed, later ones then come from the heap, and
   * the heap keeps about 50 MB of them once freed; a fixed threshold gives
   * them back to the system. */
  mallopt (M_MMAP_THRESHOLD, 128 * 1024);
#endif

  object_class->dispose = fl_image_canvas_dispose;
  object_class->finalize = fl_image_canvas_finalize;
  widget_class->snapshot = fl_image_canvas_snapshot;
  widget_class->size_allocate = fl_image_canvas_size_allocate;
  widget_class->map = fl_image_canvas_map;
  widget_class->unmap = fl_image_canvas_unmap;

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "fl-image-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fl_image_canvas_init (FlImageCanvas *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *zoom = gtk_gesture_zoom_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkEventController *scroll =
    gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  GtkEventController *key = gtk_event_controller_key_new ();

  self->tile_requests = g_ptr_array_new_with_free_func (tile_request_free);
  self->texture_maker = fl_texture_maker_new (GTK_WIDGET (self));

  self->zoom = 1.0;
  self->fitted = TRUE;
  self->drawn_level = -1;
  self->shapes_visible = TRUE;
  self->selection = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->drag_originals = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  self->drag_shapes = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_shape_free);
  self->drag_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->draft = g_array_new (FALSE, FALSE, sizeof (FlPoint));

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), 0);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  g_signal_connect (key, "key-pressed", G_CALLBACK (on_key_pressed), self);
  g_signal_connect (key, "key-released", G_CALLBACK (on_key_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
}

GtkWidget *
fl_image_canvas_new (void)
{
  return g_object_new (FL_TYPE_IMAGE_CANVAS, NULL);
}
