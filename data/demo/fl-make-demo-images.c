/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Draws the demo pictures (street scenes, fruit, a kitchen shelf, faces) with cairo and writes
 * them as JPEG/PNG, plus annotations.json: for every picture the image result JSON of what was
 * drawn, which the demo manifest uses as pre-annotations. Everything comes from fixed seeds, so
 * each build makes the same files. */
#define G_LOG_DOMAIN "fl-make-demo-images"

#include "config.h"

#include <cairo.h>
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdlib.h>

#define WIDTH 1280
#define HEIGHT 853

typedef struct
{
  double r, g, b;
} FlDemoRgb;

typedef enum
{
  FL_DEMO_SHAPE_BOX,
  FL_DEMO_SHAPE_POLYGON,
  FL_DEMO_SHAPE_POINT,
} FlDemoShapeType;

typedef struct
{
  FlDemoShapeType type;
  char *label;
  double x, y, width, height; /* box, or x/y of a point */
  GArray *points;             /* polygon: pairs of doubles */
  gboolean with_occluded;
} FlDemoShape;

typedef enum
{
  FL_DEMO_LIGHT_GLOW,
  FL_DEMO_LIGHT_WINDOW,
  FL_DEMO_LIGHT_BEAM,
} FlDemoLightKind;

typedef struct
{
  FlDemoLightKind kind;
  double x, y, w, h;
  FlDemoRgb color;
  double strength;
} FlDemoLight;

typedef struct
{
  cairo_t *cr;
  GRand *rand;
  GPtrArray *shapes;
  GArray *lights;
  GPtrArray *tags;
  gboolean dark; /* night or dusk: windows and lamps light up */
} FlDemoScene;

/* ---- colours and small helpers ---------------------------------------------------------- */

static FlDemoRgb
hex (guint32 v)
{
  return (FlDemoRgb){ ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0 };
}

static FlDemoRgb
mix (FlDemoRgb a, FlDemoRgb b, double t)
{
  return (FlDemoRgb){ a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t };
}

static FlDemoRgb
darker (FlDemoRgb c, double t)
{
  return mix (c, (FlDemoRgb){ 0, 0, 0 }, t);
}

static FlDemoRgb
lighter (FlDemoRgb c, double t)
{
  return mix (c, (FlDemoRgb){ 1, 1, 1 }, t);
}

static void
set_rgb (cairo_t *cr, FlDemoRgb c)
{
  cairo_set_source_rgb (cr, c.r, c.g, c.b);
}

static void
set_rgba (cairo_t *cr, FlDemoRgb c, double a)
{
  cairo_set_source_rgba (cr, c.r, c.g, c.b, a);
}

static void
stop (cairo_pattern_t *p, double offset, FlDemoRgb c, double a)
{
  cairo_pattern_add_color_stop_rgba (p, offset, c.r, c.g, c.b, a);
}

static double
rnd (FlDemoScene *s, double lo, double hi)
{
  return g_rand_double_range (s->rand, lo, hi);
}

static int
rnd_int (FlDemoScene *s, int lo, int hi_exclusive)
{
  return g_rand_int_range (s->rand, lo, hi_exclusive);
}

static gboolean
chance (FlDemoScene *s, double p)
{
  return g_rand_double (s->rand) < p;
}

static FlDemoRgb
pick (FlDemoScene *s, const guint32 *palette, int n)
{
  return hex (palette[rnd_int (s, 0, n)]);
}

/* A radial glow that fades to nothing; used for soft shadows, clouds, bokeh and lights. */
static void
soft_ellipse (cairo_t *cr, double cx, double cy, double rx, double ry, FlDemoRgb c, double alpha)
{
  cairo_pattern_t *p;

  if (rx <= 0 || ry <= 0)
    return;
  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, rx, ry);
  p = cairo_pattern_create_radial (0, 0, 0, 0, 0, 1);
  stop (p, 0, c, alpha);
  stop (p, 0.5, c, alpha * 0.55);
  stop (p, 1, c, 0);
  cairo_set_source (cr, p);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_restore (cr);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Fills the current path with a vertical gradient from top to bottom colour. */
static void
fill_vertical (cairo_t *cr, double y0, double y1, FlDemoRgb top, FlDemoRgb bottom, gboolean keep)
{
  cairo_pattern_t *p = cairo_pattern_create_linear (0, y0, 0, y1);

  stop (p, 0, top, 1);
  stop (p, 1, bottom, 1);
  cairo_set_source (cr, p);
  if (keep)
    cairo_fill_preserve (cr);
  else
    cairo_fill (cr);
  cairo_pattern_destroy (p);
}

/* Fills the current path so it looks round: lit from the upper left, dark at the rim. */
static void
fill_ball (cairo_t *cr, double cx, double cy, double r, FlDemoRgb c, gboolean keep)
{
  cairo_pattern_t *p =
    cairo_pattern_create_radial (cx - r * 0.35, cy - r * 0.4, r * 0.05, cx, cy, r * 1.08);

  stop (p, 0, lighter (c, 0.45), 1);
  stop (p, 0.35, c, 1);
  stop (p, 0.85, darker (c, 0.35), 1);
  stop (p, 1, darker (c, 0.6), 1);
  cairo_set_source (cr, p);
  if (keep)
    cairo_fill_preserve (cr);
  else
    cairo_fill (cr);
  cairo_pattern_destroy (p);
}

static void
add_tag (FlDemoScene *s, const char *tag)
{
  for (guint i = 0; i < s->tags->len; i++)
    if (g_str_equal (g_ptr_array_index (s->tags, i), tag))
      return;
  g_ptr_array_add (s->tags, g_strdup (tag));
}

static void
add_light (FlDemoScene *s, FlDemoLightKind kind, double x, double y, double w, double h,
           FlDemoRgb color, double strength)
{
  FlDemoLight l = { kind, x, y, w, h, color, strength };

  g_array_append_val (s->lights, l);
}

/* ---- annotations ------------------------------------------------------------------------ */

static void
shape_free (gpointer data)
{
  FlDemoShape *shape = data;

  g_free (shape->label);
  if (shape->points != NULL)
    g_array_unref (shape->points);
  g_free (shape);
}

/* Records the device-space bounding box of what was drawn in user space (x0,y0)-(x1,y1). */
static FlDemoShape *
record_box (FlDemoScene *s, const char *label, double x0, double y0, double x1, double y1)
{
  FlDemoShape *shape = g_new0 (FlDemoShape, 1);
  double xs[4] = { x0, x1, x0, x1 }, ys[4] = { y0, y0, y1, y1 };
  double minx = G_MAXDOUBLE, miny = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, maxy = -G_MAXDOUBLE;

  for (int i = 0; i < 4; i++)
    {
      cairo_user_to_device (s->cr, &xs[i], &ys[i]);
      minx = MIN (minx, xs[i]);
      maxx = MAX (maxx, xs[i]);
      miny = MIN (miny, ys[i]);
      maxy = MAX (maxy, ys[i]);
    }
  minx = CLAMP (minx, 0, WIDTH);
  maxx = CLAMP (maxx, 0, WIDTH);
  miny = CLAMP (miny, 0, HEIGHT);
  maxy = CLAMP (maxy, 0, HEIGHT);
  shape->type = FL_DEMO_SHAPE_BOX;
  shape->label = g_strdup (label);
  shape->x = minx;
  shape->y = miny;
  shape->width = maxx - minx;
  shape->height = maxy - miny;
  shape->with_occluded = TRUE;
  if (shape->width < 4 || shape->height < 4)
    {
      shape_free (shape);
      return NULL;
    }
  g_ptr_array_add (s->shapes, shape);
  return shape;
}

static void
record_point (FlDemoScene *s, const char *label, double x, double y)
{
  FlDemoShape *shape = g_new0 (FlDemoShape, 1);

  cairo_user_to_device (s->cr, &x, &y);
  shape->type = FL_DEMO_SHAPE_POINT;
  shape->label = g_strdup (label);
  shape->x = x;
  shape->y = y;
  g_ptr_array_add (s->shapes, shape);
}

/* Records the current path, flattened, as a polygon of at most ~24 points in device space. */
static void
record_path_polygon (FlDemoScene *s, const char *label)
{
  cairo_path_t *path = cairo_copy_path_flat (s->cr);
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  FlDemoShape *shape;
  guint n, step;

  for (int i = 0; i < path->num_data; i += path->data[i].header.length)
    {
      cairo_path_data_t *d = &path->data[i];

      if (d->header.type == CAIRO_PATH_MOVE_TO || d->header.type == CAIRO_PATH_LINE_TO)
        {
          double x = d[1].point.x, y = d[1].point.y;

          cairo_user_to_device (s->cr, &x, &y);
          x = CLAMP (x, 0, WIDTH);
          y = CLAMP (y, 0, HEIGHT);
          g_array_append_val (all, x);
          g_array_append_val (all, y);
        }
    }
  cairo_path_destroy (path);

  n = all->len / 2;
  if (n < 3)
    return;
  step = MAX (1, n / 24);
  shape = g_new0 (FlDemoShape, 1);
  shape->type = FL_DEMO_SHAPE_POLYGON;
  shape->label = g_strdup (label);
  shape->points = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i += step)
    {
      g_array_append_val (shape->points, g_array_index (all, double, 2 * i));
      g_array_append_val (shape->points, g_array_index (all, double, 2 * i + 1));
    }
  g_ptr_array_add (s->shapes, shape);
}

static double
overlap_area (const FlDemoShape *a, const FlDemoShape *b)
{
  double w = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
  double h = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);

  return w > 0 && h > 0 ? w * h : 0;
}

static double
round1 (double v)
{
  return round (v * 10) / 10;
}

/* The image result JSON of the shared contract. A box counts as occluded when anything drawn
 * later covers more than a tenth of it. */
static JsonNode *
scene_result (FlDemoScene *s)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, "image");
  json_builder_set_member_name (b, "image");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "width");
  json_builder_add_int_value (b, WIDTH);
  json_builder_set_member_name (b, "height");
  json_builder_add_int_value (b, HEIGHT);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "shapes");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->shapes->len; i++)
    {
      FlDemoShape *shape = g_ptr_array_index (s->shapes, i);
      g_autofree char *id = g_strdup_printf ("s%u", i + 1);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, id);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, shape->type == FL_DEMO_SHAPE_BOX     ? "box"
                                        : shape->type == FL_DEMO_SHAPE_POINT ? "point"
                                                                             : "polygon");
      json_builder_set_member_name (b, "label");
      json_builder_add_string_value (b, shape->label);
      if (shape->type == FL_DEMO_SHAPE_POLYGON)
        {
          json_builder_set_member_name (b, "points");
          json_builder_begin_array (b);
          for (guint k = 0; k + 1 < shape->points->len; k += 2)
            {
              json_builder_begin_array (b);
              json_builder_add_double_value (b, round1 (g_array_index (shape->points, double, k)));
              json_builder_add_double_value (b,
                                             round1 (g_array_index (shape->points, double, k + 1)));
              json_builder_end_array (b);
            }
          json_builder_end_array (b);
        }
      else
        {
          json_builder_set_member_name (b, "x");
          json_builder_add_double_value (b, round1 (shape->x));
          json_builder_set_member_name (b, "y");
          json_builder_add_double_value (b, round1 (shape->y));
        }
      if (shape->type == FL_DEMO_SHAPE_BOX)
        {
          double covered = 0;

          json_builder_set_member_name (b, "width");
          json_builder_add_double_value (b, round1 (shape->width));
          json_builder_set_member_name (b, "height");
          json_builder_add_double_value (b, round1 (shape->height));
          for (guint k = i + 1; k < s->shapes->len; k++)
            {
              FlDemoShape *later = g_ptr_array_index (s->shapes, k);

              if (later->type == FL_DEMO_SHAPE_BOX)
                covered += overlap_area (shape, later);
            }
          if (shape->with_occluded)
            {
              json_builder_set_member_name (b, "attributes");
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "occluded");
              json_builder_add_boolean_value (b, covered > 0.1 * shape->width * shape->height);
              json_builder_end_object (b);
            }
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "tags");
  json_builder_begin_array (b);
  for (guint i = 0; i < s->tags->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (s->tags, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- lighting grade and film look --------------------------------------------------------- */

/* Darkens/tints everything drawn so far. */
static void
paint_grade (cairo_t *cr, FlDemoRgb tint)
{
  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_MULTIPLY);
  set_rgb (cr, tint);
  cairo_paint (cr);
  cairo_restore (cr);
}

/* Paints a group of foreground things graded like the background, keeping its transparency. */
static void
paint_graded_group (cairo_t *cr, cairo_pattern_t *group, FlDemoRgb tint)
{
  cairo_pattern_t *graded;

  cairo_push_group (cr);
  cairo_set_source (cr, group);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_MULTIPLY);
  set_rgb (cr, tint);
  cairo_paint (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_DEST_IN);
  cairo_set_source (cr, group);
  cairo_paint (cr);
  graded = cairo_pop_group (cr);
  cairo_set_source (cr, graded);
  cairo_paint (cr);
  cairo_pattern_destroy (graded);
}

/* Lets the lights recorded so far shine (after a grade), then forgets them. */
static void
draw_lights (FlDemoScene *s)
{
  cairo_t *cr = s->cr;

  for (guint i = 0; i < s->lights->len; i++)
    {
      FlDemoLight *l = &g_array_index (s->lights, FlDemoLight, i);

      cairo_save (cr);
      switch (l->kind)
        {
          case FL_DEMO_LIGHT_WINDOW:
            {
              cairo_pattern_t *p = cairo_pattern_create_linear (0, l->y, 0, l->y + l->h);

              /* added, not painted over, so frames and curtains stay visible */
              cairo_set_operator (cr, CAIRO_OPERATOR_ADD);
              stop (p, 0, lighter (l->color, 0.3), l->strength * 0.85);
              stop (p, 1, l->color, l->strength * 0.5);
              cairo_rectangle (cr, l->x, l->y, l->w, l->h);
              cairo_set_source (cr, p);
              cairo_fill (cr);
              cairo_pattern_destroy (p);
              soft_ellipse (cr, l->x + l->w / 2, l->y + l->h / 2, l->w * 1.2, l->h, l->color,
                            0.12 * l->strength);
            }
            break;
          case FL_DEMO_LIGHT_GLOW:
            cairo_set_operator (cr, CAIRO_OPERATOR_ADD);
            soft_ellipse (cr, l->x, l->y, l->w, l->h, l->color, 0.55 * l->strength);
            soft_ellipse (cr, l->x, l->y, l->w * 0.25, l->h * 0.25, lighter (l->color, 0.6),
                          0.9 * l->strength);
            break;
          case FL_DEMO_LIGHT_BEAM:
            {
              /* A headlight cone along the road: x,y is the lamp, w the length (signed). */
              cairo_pattern_t *p = cairo_pattern_create_linear (l->x, 0, l->x + l->w, 0);

              cairo_set_operator (cr, CAIRO_OPERATOR_ADD);
              stop (p, 0, l->color, 0.35 * l->strength);
              stop (p, 1, l->color, 0);
              cairo_move_to (cr, l->x, l->y - 4);
              cairo_line_to (cr, l->x + l->w, l->y + l->h - fabs (l->w) * 0.05);
              cairo_line_to (cr, l->x + l->w, l->y + l->h + fabs (l->w) * 0.12);
              cairo_line_to (cr, l->x, l->y + 4);
              cairo_close_path (cr);
              cairo_set_source (cr, p);
              cairo_fill (cr);
              cairo_pattern_destroy (p);
            }
            break;
          default:
            g_assert_not_reached ();
        }
      cairo_restore (cr);
    }
  g_array_set_size (s->lights, 0);
}

/* A lens is never quite as sharp as a vector edge: a small [1 2 1] blur each way. */
static void
soften (guchar *data, int stride)
{
  g_autofree guchar *row = g_malloc ((gsize) stride);

  for (int y = 0; y < HEIGHT; y++)
    {
      guchar *line = data + (gsize) y * stride;

      memcpy (row, line, (gsize) stride);
      for (int x = 1; x < WIDTH - 1; x++)
        for (int c = 0; c < 3; c++)
          line[4 * x + c] =
            (guchar) ((row[4 * (x - 1) + c] + 2 * row[4 * x + c] + row[4 * (x + 1) + c] + 2) / 4);
    }
  for (int x = 0; x < WIDTH; x++)
    {
      guchar above[3], here[3];

      for (int c = 0; c < 3; c++)
        above[c] = data[4 * x + c];
      for (int y = 1; y < HEIGHT - 1; y++)
        {
          guchar *p = data + (gsize) y * stride + 4 * x;
          const guchar *below = p + stride;

          for (int c = 0; c < 3; c++)
            {
              here[c] = p[c];
              p[c] = (guchar) ((above[c] + 2 * here[c] + below[c] + 2) / 4);
              above[c] = here[c];
            }
        }
    }
}

/* Film grain and a lens vignette, so the flat vector shapes read more like a photograph. */
static void
film_look (cairo_surface_t *surface, GRand *rand, double grain, double vignette)
{
  guchar *data;
  int stride;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  soften (data, stride);
  for (int y = 0; y < HEIGHT; y++)
    {
      guchar *row = data + (gsize) y * stride;
      double dy = (y - HEIGHT / 2.0) / (HEIGHT / 2.0);

      for (int x = 0; x < WIDTH; x++)
        {
          double dx = (x - WIDTH / 2.0) / (WIDTH / 2.0);
          double v = 1.0 - vignette * pow ((dx * dx + dy * dy) / 2.0, 1.2);
          double n = (g_rand_double (rand) + g_rand_double (rand) - 1.0) * grain;

          for (int c = 0; c < 3; c++)
            {
              double value = row[4 * x + c] * v + n;

              row[4 * x + c] = (guchar) CLAMP (value, 0, 255);
            }
        }
    }
  cairo_surface_mark_dirty (surface);
}

static gboolean
save_surface (cairo_surface_t *surface, const char *path, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, WIDTH, HEIGHT);
  guchar *dst = gdk_pixbuf_get_pixels (pixbuf);
  int dst_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guchar *src;
  int src_stride;

  cairo_surface_flush (surface);
  src = cairo_image_surface_get_data (surface);
  src_stride = cairo_image_surface_get_stride (surface);
  for (int y = 0; y < HEIGHT; y++)
    for (int x = 0; x < WIDTH; x++)
      {
        guint32 px;

        /* Opaque ARGB32 in native byte order: no unpremultiplying needed. */
        memcpy (&px, src + (gsize) y * src_stride + 4 * x, 4);
        dst[(gsize) y * dst_stride + 3 * x + 0] = (px >> 16) & 0xff;
        dst[(gsize) y * dst_stride + 3 * x + 1] = (px >> 8) & 0xff;
        dst[(gsize) y * dst_stride + 3 * x + 2] = px & 0xff;
      }
  if (g_str_has_suffix (path, ".png"))
    return gdk_pixbuf_save (pixbuf, path, "png", error, "compression", "6", NULL);
  return gdk_pixbuf_save (pixbuf, path, "jpeg", error, "quality", "88", NULL);
}

/* ---- street: sky, buildings, road -------------------------------------------------------- */

typedef enum
{
  FL_DEMO_DAY,
  FL_DEMO_DUSK,
  FL_DEMO_NIGHT,
  FL_DEMO_RAIN,
} FlDemoWeather;

#define HORIZON (HEIGHT * 0.40)
#define CAMERA_HEIGHT 4.0
#define BUILDING_BASE 482.0
#define FAR_CURB 520.0
#define FAR_LANE 588.0
#define LANE_DIVIDER 640.0
#define NEAR_LANE 716.0
#define NEAR_CURB 760.0

/* Pixels per metre for something standing on the ground at screen row y. */
static double
ppm_at (double y)
{
  return (y - HORIZON) / CAMERA_HEIGHT;
}

static void
draw_cloud (FlDemoScene *s, double cx, double cy, double size, FlDemoRgb c, double alpha)
{
  int n = rnd_int (s, 6, 11);

  for (int i = 0; i < n; i++)
    {
      double dx = rnd (s, -1.0, 1.0) * size;
      double dy = rnd (s, -0.25, 0.1) * size * (1 - fabs (dx) / size);
      double r = size * rnd (s, 0.28, 0.5) * (1 - 0.4 * fabs (dx) / size);

      soft_ellipse (s->cr, cx + dx, cy + dy + r * 0.2, r * 1.3, r * 0.5, darker (c, 0.25),
                    alpha * 0.35);
      soft_ellipse (s->cr, cx + dx, cy + dy, r * 1.2, r * 0.8, c, alpha);
    }
}

static void
draw_sky (FlDemoScene *s, FlDemoWeather weather)
{
  cairo_t *cr = s->cr;
  FlDemoRgb top, bottom;

  switch (weather)
    {
      case FL_DEMO_DUSK:
        top = hex (0x3b3f7a);
        bottom = hex (0xf6a55b);
        break;
      case FL_DEMO_NIGHT:
        top = hex (0x060a1c);
        bottom = hex (0x26325a);
        break;
      case FL_DEMO_RAIN:
        top = hex (0x6f7780);
        bottom = hex (0xb3b8bd);
        break;
      case FL_DEMO_DAY:
      default:
        top = hex (0x3d7fd1);
        bottom = hex (0xcfe4f4);
        break;
    }
  cairo_rectangle (cr, 0, 0, WIDTH, BUILDING_BASE);
  fill_vertical (cr, 0, BUILDING_BASE, top, bottom, FALSE);

  if (weather == FL_DEMO_NIGHT)
    {
      for (int i = 0; i < 220; i++)
        {
          double x = rnd (s, 0, WIDTH), y = rnd (s, 0, HORIZON);

          cairo_arc (cr, x, y, rnd (s, 0.4, 1.3), 0, 2 * G_PI);
          cairo_set_source_rgba (cr, 1, 1, 0.95, rnd (s, 0.3, 0.9));
          cairo_fill (cr);
        }
      soft_ellipse (cr, WIDTH * 0.8, 90, 70, 70, hex (0xdde6ff), 0.25);
      cairo_arc (cr, WIDTH * 0.8, 90, 22, 0, 2 * G_PI);
      fill_ball (cr, WIDTH * 0.8 + 8, 90, 22, hex (0xf2f0e4), FALSE);
    }
  else if (weather == FL_DEMO_DAY)
    {
      soft_ellipse (cr, WIDTH * 0.15, 60, 260, 200, hex (0xfffbe8), 0.55);
      for (int i = 0; i < 5; i++)
        draw_cloud (s, rnd (s, 0, WIDTH), rnd (s, 40, 220), rnd (s, 60, 150), hex (0xffffff), 0.7);
    }
  else if (weather == FL_DEMO_DUSK)
    {
      soft_ellipse (cr, WIDTH * 0.3, BUILDING_BASE - 60, 420, 180, hex (0xffd27a), 0.6);
      for (int i = 0; i < 6; i++)
        draw_cloud (s, rnd (s, 0, WIDTH), rnd (s, 30, 260), rnd (s, 80, 170), hex (0xe88a7a), 0.55);
    }
  else
    {
      for (int i = 0; i < 9; i++)
        draw_cloud (s, rnd (s, -100, WIDTH + 100), rnd (s, 0, 250), rnd (s, 120, 260),
                    hex (0x8a9098), 0.6);
    }
}

static void
draw_skyline (FlDemoScene *s, FlDemoWeather weather)
{
  cairo_t *cr = s->cr;
  FlDemoRgb haze = weather == FL_DEMO_NIGHT  ? hex (0x1b2340)
                   : weather == FL_DEMO_RAIN ? hex (0x8d939b)
                   : weather == FL_DEMO_DUSK ? hex (0x8a7089)
                                             : hex (0x9fb6cc);

  for (double x = -40; x < WIDTH;)
    {
      double w = rnd (s, 50, 130), h = rnd (s, 120, 380);
      double top = BUILDING_BASE - h;

      cairo_rectangle (cr, x, top, w, h);
      fill_vertical (cr, top, BUILDING_BASE, darker (haze, 0.08), lighter (haze, 0.1), FALSE);
      if (chance (s, 0.3))
        {
          cairo_rectangle (cr, x + w * 0.45, top - h * 0.12, 3, h * 0.12);
          set_rgb (cr, darker (haze, 0.1));
          cairo_fill (cr);
        }
      for (double wy = top + 10; wy < BUILDING_BASE - 10; wy += 14)
        for (double wx = x + 6; wx < x + w - 8; wx += 11)
          if (chance (s, weather == FL_DEMO_NIGHT ? 0.25 : 0.6))
            {
              cairo_rectangle (cr, wx, wy, 5, 7);
              if (weather == FL_DEMO_NIGHT || (weather == FL_DEMO_DUSK && chance (s, 0.3)))
                cairo_set_source_rgba (cr, 1, 0.85, 0.5, 0.5);
              else
                set_rgba (cr, darker (haze, 0.15), 0.5);
              cairo_fill (cr);
            }
      x += w + rnd (s, -10, 30);
    }
}

static const char *const shop_names[] = { "BAKERY", "CAFE",   "BOOKS",  "PHARMACY", "FLOWERS",
                                          "MARKET", "TAILOR", "GELATO", "HARDWARE", "NOODLES" };

static void
draw_window (FlDemoScene *s, double x, double y, double w, double h, FlDemoRgb wall,
             FlDemoWeather weather)
{
  cairo_t *cr = s->cr;
  FlDemoRgb frame = chance (s, 0.5) ? hex (0xf2efe8) : darker (wall, 0.45);
  FlDemoRgb glass_top = weather == FL_DEMO_DAY ? hex (0x9cc3e6) : hex (0x5b6676);
  FlDemoRgb glass_bottom = hex (0x2a3340);
  cairo_pattern_t *p;

  /* recess shadow, frame, glass with a sky reflection */
  cairo_rectangle (cr, x - 2, y - 2, w + 4, h + 4);
  set_rgb (cr, darker (wall, 0.35));
  cairo_fill (cr);
  cairo_rectangle (cr, x, y, w, h);
  set_rgb (cr, frame);
  cairo_fill (cr);
  cairo_rectangle (cr, x + w * 0.08, y + h * 0.06, w * 0.84, h * 0.88);
  p = cairo_pattern_create_linear (x, y, x + w * 0.6, y + h);
  stop (p, 0, glass_top, 1);
  stop (p, 0.55, glass_bottom, 1);
  stop (p, 0.6, lighter (glass_bottom, 0.12), 1);
  stop (p, 1, glass_bottom, 1);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  if (chance (s, 0.4))
    {
      /* curtains */
      cairo_rectangle (cr, x + w * 0.08, y + h * 0.06, w * 0.22, h * 0.88);
      cairo_rectangle (cr, x + w * 0.7, y + h * 0.06, w * 0.22, h * 0.88);
      set_rgba (cr, hex (0xe9dcc4), 0.8);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, x + w / 2 - 1, y, 2, h);
  cairo_rectangle (cr, x, y + h * 0.4, w, 2);
  set_rgb (cr, frame);
  cairo_fill (cr);
  /* sill */
  cairo_rectangle (cr, x - w * 0.08, y + h, w * 1.16, h * 0.06 + 1.5);
  set_rgb (cr, lighter (wall, 0.35));
  cairo_fill (cr);

  if (s->dark && chance (s, weather == FL_DEMO_NIGHT ? 0.45 : 0.3))
    add_light (s, FL_DEMO_LIGHT_WINDOW, x + w * 0.08, y + h * 0.06, w * 0.84, h * 0.88,
               chance (s, 0.8) ? hex (0xffc870) : hex (0xcfe0ff), rnd (s, 0.6, 0.95));
}

static void
draw_building (FlDemoScene *s, double x, double w, int storeys, FlDemoWeather weather)
{
  static const guint32 walls[] = { 0xb5553c, 0xd9b382, 0xe8dcc2, 0x8c9a9e, 0x6f8f86,
                                   0xc98f6b, 0xa8643f, 0xd6c9a8, 0x7d6a5a, 0xc4b9a8 };
  cairo_t *cr = s->cr;
  double ppm = ppm_at (BUILDING_BASE);
  double storey = 3.3 * ppm, ground = 4.0 * ppm;
  double h = ground + storeys * storey + 0.8 * ppm;
  double top = BUILDING_BASE - h;
  FlDemoRgb wall = pick (s, walls, G_N_ELEMENTS (walls));
  gboolean brick = chance (s, 0.35);
  int columns = MAX (1, (int) (w / (2.4 * ppm)));
  double col_w = w / columns;

  cairo_rectangle (cr, x, top, w, h);
  fill_vertical (cr, top, BUILDING_BASE, lighter (wall, 0.06), darker (wall, 0.12), FALSE);
  /* plaster speckle or brick courses */
  if (brick)
    {
      set_rgba (cr, darker (wall, 0.3), 0.35);
      cairo_set_line_width (cr, 0.8);
      for (double by = top + 3; by < BUILDING_BASE; by += 3.2)
        {
          cairo_move_to (cr, x, by);
          cairo_line_to (cr, x + w, by);
        }
      cairo_stroke (cr);
    }
  else
    {
      for (int i = 0; i < (int) (w * h / 90); i++)
        {
          cairo_rectangle (cr, x + rnd (s, 0, w), top + rnd (s, 0, h), 1.2, 1.2);
          set_rgba (cr, chance (s, 0.5) ? darker (wall, 0.2) : lighter (wall, 0.2), 0.35);
          cairo_fill (cr);
        }
    }
  /* cornice with its shadow */
  cairo_rectangle (cr, x - 3, top, w + 6, 0.45 * ppm);
  set_rgb (cr, lighter (wall, 0.25));
  cairo_fill (cr);
  cairo_rectangle (cr, x, top + 0.45 * ppm, w, 0.35 * ppm);
  fill_vertical (cr, top + 0.45 * ppm, top + 0.8 * ppm, darker (wall, 0.4), wall, FALSE);
  if (chance (s, 0.5))
    {
      double cx = x + rnd (s, 0.2, 0.8) * w;

      cairo_rectangle (cr, cx, top - 1.6 * ppm, 0.8 * ppm, 1.6 * ppm);
      fill_vertical (cr, top - 1.6 * ppm, top, darker (wall, 0.2), darker (wall, 0.4), FALSE);
    }
  /* upper floors */
  for (int f = 0; f < storeys; f++)
    {
      double fy = BUILDING_BASE - ground - (f + 1) * storey;

      cairo_rectangle (cr, x, fy + storey - 2, w, 2);
      set_rgba (cr, lighter (wall, 0.2), 0.6);
      cairo_fill (cr);
      for (int c = 0; c < columns; c++)
        draw_window (s, x + c * col_w + col_w * 0.22, fy + storey * 0.22, col_w * 0.56,
                     storey * 0.58, wall, weather);
    }
  /* shop front: sign band, display window, door, maybe an awning */
  {
    double sy = BUILDING_BASE - ground;
    FlDemoRgb sign = chance (s, 0.5) ? hex (0x1e3d34) : hex (0x2b2b33);
    const char *name = shop_names[rnd_int (s, 0, G_N_ELEMENTS (shop_names))];
    cairo_text_extents_t ext;
    double door_x = x + w * (chance (s, 0.5) ? 0.12 : 0.7);

    cairo_rectangle (cr, x, sy, w, 0.8 * ppm);
    set_rgb (cr, sign);
    cairo_fill (cr);
    cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size (cr, 0.5 * ppm);
    cairo_text_extents (cr, name, &ext);
    if (ext.width < w * 0.9)
      {
        cairo_move_to (cr, x + (w - ext.width) / 2 - ext.x_bearing, sy + 0.62 * ppm);
        cairo_set_source_rgb (cr, 0.96, 0.92, 0.8);
        cairo_show_text (cr, name);
        if (s->dark)
          add_light (s, FL_DEMO_LIGHT_GLOW, x + w / 2, sy + 0.4 * ppm, ext.width * 0.7, 0.7 * ppm,
                     hex (0xffe0a0), 0.35);
      }
    cairo_rectangle (cr, x + 2, sy + 0.8 * ppm, w - 4, ground - 0.8 * ppm);
    set_rgb (cr, darker (wall, 0.55));
    cairo_fill (cr);
    cairo_rectangle (cr, x + 5, sy + 1.1 * ppm, w - 10, ground - 1.6 * ppm);
    fill_vertical (cr, sy + 1.1 * ppm, BUILDING_BASE, hex (0x4a5561), hex (0x1d232a), FALSE);
    /* things in the shop window */
    for (int i = 0; i < (int) (w / 9); i++)
      {
        double ix = x + 8 + rnd (s, 0, w - 16), iy = BUILDING_BASE - 0.5 * ppm;
        double ih = rnd (s, 0.3, 1.2) * ppm;

        cairo_rectangle (cr, ix, iy - ih, rnd (s, 3, 8), ih);
        set_rgba (cr, hex ((guint32) g_rand_int (s->rand) & 0xffffff), 0.45);
        cairo_fill (cr);
      }
    if (s->dark)
      add_light (s, FL_DEMO_LIGHT_WINDOW, x + 5, sy + 1.1 * ppm, w - 10, ground - 1.6 * ppm,
                 hex (0xffd9a0), 0.55);
    cairo_rectangle (cr, door_x, sy + 1.2 * ppm, 1.1 * ppm, ground - 1.2 * ppm);
    fill_vertical (cr, sy, BUILDING_BASE, hex (0x5a3b28), hex (0x2e1d13), FALSE);
    if (chance (s, 0.55))
      {
        FlDemoRgb a = chance (s, 0.5) ? hex (0xc0392b) : hex (0x2e7d5b);
        double ay = sy + 0.85 * ppm, ah = 1.0 * ppm;

        for (int i = 0; i < 12; i++)
          {
            double sx = x + i * w / 12;

            cairo_move_to (cr, sx, ay);
            cairo_line_to (cr, sx + w / 12, ay);
            cairo_line_to (cr, sx + w / 12 + 4, ay + ah);
            cairo_line_to (cr, sx - 4 + (i == 0 ? 4 : 0), ay + ah);
            cairo_close_path (cr);
            fill_vertical (cr, ay, ay + ah, i % 2 ? hex (0xf4efe6) : a,
                           darker (i % 2 ? hex (0xf4efe6) : a, 0.25), FALSE);
          }
        soft_ellipse (cr, x + w / 2, ay + ah + 6, w / 2, 8, hex (0x000000), 0.35);
      }
  }
  /* the shadow a taller neighbour or the corner casts */
  cairo_rectangle (cr, x, top, 4, h);
  set_rgba (cr, hex (0x000000), 0.18);
  cairo_fill (cr);
}

static void
draw_ground (FlDemoScene *s, FlDemoWeather weather)
{
  cairo_t *cr = s->cr;
  FlDemoRgb paving = weather == FL_DEMO_RAIN ? hex (0x8d8a85) : hex (0xb9b2a5);
  FlDemoRgb asphalt = weather == FL_DEMO_RAIN ? hex (0x3a3d42) : hex (0x55575b);

  /* far sidewalk, curb, road, near curb, near sidewalk */
  cairo_rectangle (cr, 0, BUILDING_BASE, WIDTH, FAR_CURB - BUILDING_BASE);
  fill_vertical (cr, BUILDING_BASE, FAR_CURB, darker (paving, 0.15), paving, FALSE);
  cairo_rectangle (cr, 0, FAR_CURB - 3, WIDTH, 4);
  set_rgb (cr, lighter (paving, 0.2));
  cairo_fill (cr);
  cairo_rectangle (cr, 0, FAR_CURB + 1, WIDTH, NEAR_CURB - FAR_CURB);
  fill_vertical (cr, FAR_CURB, NEAR_CURB, lighter (asphalt, 0.08), darker (asphalt, 0.1), FALSE);
  for (int i = 0; i < 9000; i++)
    {
      double y = rnd (s, FAR_CURB, NEAR_CURB);

      cairo_rectangle (cr, rnd (s, 0, WIDTH), y, 1.5, 1.0);
      set_rgba (cr, chance (s, 0.5) ? hex (0x000000) : hex (0xffffff), 0.08);
      cairo_fill (cr);
    }
  /* tar seams and an old patch */
  set_rgba (cr, darker (asphalt, 0.5), 0.5);
  cairo_set_line_width (cr, 1.5);
  for (int i = 0; i < 4; i++)
    {
      double x = rnd (s, 0, WIDTH), y = rnd (s, FAR_CURB + 10, NEAR_CURB - 10);

      cairo_move_to (cr, x, y);
      for (int k = 0; k < 6; k++)
        cairo_rel_line_to (cr, rnd (s, 10, 40), rnd (s, -6, 6));
    }
  cairo_stroke (cr);
  /* lane markings: dashed centre line, solid edge lines */
  cairo_set_source_rgba (cr, 0.95, 0.95, 0.9, 0.85);
  for (double x = -20; x < WIDTH; x += 110)
    {
      cairo_rectangle (cr, x, LANE_DIVIDER - 3, 60, 5);
      cairo_fill (cr);
    }
  cairo_rectangle (cr, 0, FAR_CURB + 8, WIDTH, 2.5);
  cairo_rectangle (cr, 0, NEAR_CURB - 14, WIDTH, 4);
  cairo_fill (cr);
  /* near curb face and sidewalk slabs in perspective */
  cairo_rectangle (cr, 0, NEAR_CURB, WIDTH, 10);
  fill_vertical (cr, NEAR_CURB, NEAR_CURB + 10, lighter (paving, 0.25), darker (paving, 0.3),
                 FALSE);
  cairo_rectangle (cr, 0, NEAR_CURB + 10, WIDTH, HEIGHT - NEAR_CURB - 10);
  fill_vertical (cr, NEAR_CURB + 10, HEIGHT, paving, darker (paving, 0.1), FALSE);
  set_rgba (cr, darker (paving, 0.3), 0.6);
  cairo_set_line_width (cr, 1.2);
  for (double X = -40; X <= 40; X += 1.5)
    {
      cairo_move_to (cr, WIDTH / 2.0 + X * ppm_at (NEAR_CURB + 10), NEAR_CURB + 10);
      cairo_line_to (cr, WIDTH / 2.0 + X * ppm_at (HEIGHT), HEIGHT);
      cairo_move_to (cr, WIDTH / 2.0 + X * ppm_at (BUILDING_BASE), BUILDING_BASE);
      cairo_line_to (cr, WIDTH / 2.0 + X * ppm_at (FAR_CURB), FAR_CURB - 3);
    }
  for (double y = NEAR_CURB + 10; y < HEIGHT; y += (y - HORIZON) * 0.09)
    {
      cairo_move_to (cr, 0, y);
      cairo_line_to (cr, WIDTH, y);
    }
  cairo_move_to (cr, 0, 500);
  cairo_line_to (cr, WIDTH, 500);
  cairo_stroke (cr);
  if (weather == FL_DEMO_RAIN)
    {
      /* puddles that mirror the sky */
      for (int i = 0; i < 7; i++)
        soft_ellipse (cr, rnd (s, 0, WIDTH), rnd (s, FAR_CURB + 20, NEAR_CURB - 20),
                      rnd (s, 40, 120), rnd (s, 5, 12), hex (0xaab4c0), 0.35);
    }
}

static void
draw_zebra (FlDemoScene *s, double center_x)
{
  cairo_t *cr = s->cr;

  for (double y = FAR_CURB + 14; y < NEAR_CURB - 18;)
    {
      double h = 0.5 * ppm_at (y) * 0.35;
      double half = 1.6 * ppm_at (y);

      cairo_move_to (cr, center_x - half, y);
      cairo_line_to (cr, center_x + half, y);
      cairo_line_to (cr, center_x + half * 1.02, y + h);
      cairo_line_to (cr, center_x - half * 1.02, y + h);
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0.93, 0.93, 0.9, 0.88);
      cairo_fill (cr);
      y += h * 2.1;
    }
}

/* ---- street: things standing on the ground ----------------------------------------------- */

typedef enum
{
  FL_DEMO_CAR_SEDAN,
  FL_DEMO_CAR_HATCH,
  FL_DEMO_CAR_SUV,
  FL_DEMO_CAR_VAN,
  FL_DEMO_CAR_TAXI,
  FL_DEMO_CAR_BUS,
} FlDemoCarKind;

typedef struct
{
  double length, clearance, belt_rear, belt_front, roof, roof_start, roof_end, hood_x, nose,
    wheel_r, wheel_rear, wheel_front, deck_x;
  int panes;
} FlDemoCarShape;

static const FlDemoCarShape car_shapes[] = {
  [FL_DEMO_CAR_SEDAN] = { 4.6, 0.18, 0.98, 0.9, 1.45, 1.45, 2.85, 3.5, 0.78, 0.33, 0.9, 3.65, 0.95,
                          2 },
  [FL_DEMO_CAR_HATCH] = { 4.0, 0.18, 1.0, 0.92, 1.5, 0.4, 2.35, 3.0, 0.8, 0.32, 0.75, 3.2, 0.15,
                          2 },
  [FL_DEMO_CAR_SUV] = { 4.7, 0.28, 1.15, 1.1, 1.78, 0.25, 3.0, 3.55, 1.0, 0.38, 0.95, 3.75, 0.1,
                        3 },
  [FL_DEMO_CAR_VAN] = { 5.2, 0.25, 1.2, 1.15, 2.2, 0.15, 4.0, 4.45, 1.05, 0.36, 1.0, 4.1, 0.08, 2 },
  [FL_DEMO_CAR_TAXI] = { 4.6, 0.18, 0.98, 0.9, 1.45, 1.45, 2.85, 3.5, 0.78, 0.33, 0.9, 3.65, 0.95,
                         2 },
  [FL_DEMO_CAR_BUS] = { 11.5, 0.35, 1.3, 1.3, 3.05, 0.1, 11.2, 11.35, 1.2, 0.5, 2.3, 9.2, 0.05, 6 },
};

static void
draw_wheel (cairo_t *cr, double cx, double cy, double r)
{
  cairo_pattern_t *p;

  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.08, 0.08, 0.09);
  cairo_fill (cr);
  cairo_arc (cr, cx, cy, r * 0.62, 0, 2 * G_PI);
  p = cairo_pattern_create_radial (cx - r * 0.2, cy - r * 0.2, 0, cx, cy, r * 0.62);
  cairo_pattern_add_color_stop_rgb (p, 0, 0.85, 0.86, 0.88);
  cairo_pattern_add_color_stop_rgb (p, 1, 0.4, 0.41, 0.44);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_set_line_width (cr, r * 0.09);
  cairo_set_source_rgb (cr, 0.25, 0.26, 0.28);
  for (int i = 0; i < 5; i++)
    {
      double a = i * 2 * G_PI / 5 + 0.3;

      cairo_move_to (cr, cx + cos (a) * r * 0.15, cy + sin (a) * r * 0.15);
      cairo_line_to (cr, cx + cos (a) * r * 0.58, cy + sin (a) * r * 0.58);
    }
  cairo_stroke (cr);
  cairo_arc (cr, cx, cy, r * 0.14, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.32);
  cairo_fill (cr);
}

static void
car_body_path (cairo_t *cr, const FlDemoCarShape *k)
{
  double L = k->length, arch = k->wheel_r * 1.22;

  cairo_move_to (cr, 0.03, -k->clearance);
  cairo_line_to (cr, 0.0, -k->belt_rear + 0.2);
  cairo_curve_to (cr, 0.0, -k->belt_rear + 0.05, 0.05, -k->belt_rear, 0.2, -k->belt_rear);
  cairo_line_to (cr, k->deck_x, -k->belt_rear - 0.02);
  cairo_curve_to (cr, k->deck_x + 0.1, -k->belt_rear - 0.1, k->roof_start - 0.25, -k->roof,
                  k->roof_start + 0.1, -k->roof);
  cairo_line_to (cr, k->roof_end - 0.1, -k->roof);
  cairo_curve_to (cr, k->roof_end + 0.05, -k->roof, k->roof_end + 0.1, -k->roof + 0.05, k->hood_x,
                  -k->belt_front - 0.02);
  cairo_curve_to (cr, k->hood_x + 0.4, -k->belt_front, L - 0.15, -k->nose - 0.05, L - 0.05,
                  -k->nose);
  cairo_curve_to (cr, L, -k->nose + 0.1, L + 0.02, -k->clearance - 0.2, L - 0.03, -k->clearance);
  cairo_line_to (cr, k->wheel_front + arch, -k->clearance);
  cairo_arc_negative (cr, k->wheel_front, -k->wheel_r, arch,
                      -asin ((k->clearance - k->wheel_r) / arch),
                      -G_PI + asin ((k->clearance - k->wheel_r) / arch));
  cairo_line_to (cr, k->wheel_rear + arch, -k->clearance);
  cairo_arc_negative (cr, k->wheel_rear, -k->wheel_r, arch,
                      -asin ((k->clearance - k->wheel_r) / arch),
                      -G_PI + asin ((k->clearance - k->wheel_r) / arch));
  cairo_close_path (cr);
}

/* A vehicle in side view; x is its rear (or front, when facing left) on the ground line y. */
static void
draw_vehicle (FlDemoScene *s, FlDemoCarKind kind, double x, double y, int dir, FlDemoRgb paint)
{
  static const char *labels[] = { "car", "car", "car", "car", "car", "bus" };
  const FlDemoCarShape *k = &car_shapes[kind];
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y), L = k->length;
  double glass_low = MAX (k->belt_rear, k->belt_front) + 0.04;
  cairo_pattern_t *p;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm * dir, ppm);
  record_box (s, labels[kind], 0, -k->roof - (kind == FL_DEMO_CAR_TAXI ? 0.22 : 0), L, 0);

  soft_ellipse (cr, L / 2, -0.02, L * 0.62, 0.22, hex (0x000000), 0.55);
  draw_wheel (cr, k->wheel_rear, -k->wheel_r, k->wheel_r);
  draw_wheel (cr, k->wheel_front, -k->wheel_r, k->wheel_r);

  car_body_path (cr, k);
  p = cairo_pattern_create_linear (0, -k->roof, 0, -k->clearance);
  stop (p, 0, lighter (paint, 0.15), 1);
  stop (p, 1 - (k->belt_rear + 0.05) / k->roof, lighter (paint, 0.35), 1);
  stop (p, 1 - (k->belt_rear - 0.15) / k->roof, paint, 1);
  stop (p, 1, darker (paint, 0.45), 1);
  cairo_set_source (cr, p);
  cairo_fill_preserve (cr);
  cairo_pattern_destroy (p);
  cairo_set_line_width (cr, 0.025);
  set_rgba (cr, darker (paint, 0.6), 0.9);
  cairo_stroke (cr);

  /* glass, split into panes by pillars */
  {
    double x0 = k->deck_x + 0.15, x1 = k->hood_x - 0.12;
    double top = -k->roof + 0.08;

    cairo_move_to (cr, x0, -glass_low);
    cairo_curve_to (cr, x0 + 0.1, -glass_low - 0.1, k->roof_start - 0.1, top, k->roof_start + 0.15,
                    top);
    cairo_line_to (cr, k->roof_end - 0.12, top);
    cairo_curve_to (cr, k->roof_end, top, k->roof_end + 0.05, top + 0.05, x1, -glass_low);
    cairo_close_path (cr);
    p = cairo_pattern_create_linear (0, top, 0, -glass_low);
    stop (p, 0, hex (0x7f93a8), 1);
    stop (p, 0.5, hex (0x2a3440), 1);
    stop (p, 1, hex (0x1a2028), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
    cairo_set_line_width (cr, 0.09);
    set_rgb (cr, darker (paint, 0.5));
    for (int i = 1; i < k->panes; i++)
      {
        double px = x0 + (x1 - x0) * i / k->panes;

        cairo_move_to (cr, px, top);
        cairo_line_to (cr, px, -glass_low);
      }
    cairo_stroke (cr);
    /* a streak of reflected sky */
    cairo_move_to (cr, x0 + 0.4, top + 0.02);
    cairo_line_to (cr, x0 + 0.7, top + 0.02);
    cairo_line_to (cr, x0 + 0.4, -glass_low);
    cairo_line_to (cr, x0 + 0.2, -glass_low);
    cairo_close_path (cr);
    cairo_set_source_rgba (cr, 1, 1, 1, 0.12);
    cairo_fill (cr);
  }
  /* doors, handles, bumpers, lamps */
  cairo_set_line_width (cr, 0.02);
  set_rgba (cr, darker (paint, 0.65), 0.8);
  if (kind != FL_DEMO_CAR_BUS)
    {
      double d0 = k->wheel_rear + k->wheel_r * 1.3, d1 = k->wheel_front - k->wheel_r * 1.3;
      double mid = (d0 + d1) / 2;

      cairo_move_to (cr, mid, -k->clearance - 0.05);
      cairo_line_to (cr, mid, -glass_low + 0.02);
      cairo_move_to (cr, d1, -k->clearance - 0.08);
      cairo_line_to (cr, d1 + 0.05, -glass_low + 0.02);
      cairo_stroke (cr);
      cairo_rectangle (cr, mid - 0.32, -glass_low + 0.15, 0.2, 0.05);
      cairo_rectangle (cr, d1 - 0.32, -glass_low + 0.15, 0.2, 0.05);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.22);
      cairo_fill (cr);
    }
  else
    {
      /* folding doors, a white band, the route display */
      for (int d = 0; d < 2; d++)
        {
          double dx = d == 0 ? L - 1.75 : 4.6;

          cairo_rectangle (cr, dx, -2.75, 1.15, 2.4);
          fill_vertical (cr, -2.75, -0.35, hex (0x55697a), hex (0x1c232b), FALSE);
          cairo_rectangle (cr, dx, -2.75, 1.15, 2.4);
          cairo_move_to (cr, dx + 0.575, -2.75);
          cairo_line_to (cr, dx + 0.575, -0.35);
          cairo_set_line_width (cr, 0.06);
          set_rgb (cr, darker (paint, 0.5));
          cairo_stroke (cr);
        }
      cairo_rectangle (cr, 0.1, -1.25, L - 0.2, 0.12);
      cairo_rectangle (cr, 0.3, -k->roof + 0.05, L - 0.6, 0.12);
      set_rgba (cr, hex (0xffffff), 0.5);
      cairo_fill (cr);
      cairo_rectangle (cr, L - 2.6, -k->roof + 0.12, 2.3, 0.32);
      cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
      cairo_fill (cr);
      cairo_save (cr);
      cairo_translate (cr, L - 1.45, -k->roof + 0.38);
      cairo_scale (cr, dir, 1);
      cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 0.26);
      cairo_move_to (cr, -1.0, 0);
      cairo_set_source_rgb (cr, 1.0, 0.62, 0.1);
      cairo_show_text (cr, "42 CENTRE");
      cairo_restore (cr);
    }
  cairo_rectangle (cr, -0.02, -k->clearance - 0.25, 0.45, 0.22);
  cairo_rectangle (cr, L - 0.45, -k->clearance - 0.25, 0.47, 0.22);
  cairo_set_source_rgb (cr, 0.16, 0.16, 0.18);
  cairo_fill (cr);
  rounded_rect (cr, 0.0, -k->belt_rear + 0.05, 0.12, 0.2, 0.04);
  cairo_set_source_rgb (cr, 0.75, 0.08, 0.06);
  cairo_fill (cr);
  rounded_rect (cr, L - 0.16, -k->nose + 0.04, 0.15, 0.14, 0.04);
  cairo_set_source_rgb (cr, 0.95, 0.93, 0.82);
  cairo_fill (cr);
  if (kind == FL_DEMO_CAR_TAXI)
    {
      rounded_rect (cr, 2.0, -k->roof - 0.22, 0.6, 0.22, 0.05);
      fill_vertical (cr, -k->roof - 0.22, -k->roof, hex (0xfff6c2), hex (0xd8b520), FALSE);
      cairo_rectangle (cr, 0.5, -0.62, L - 1.0, 0.08);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_fill (cr);
    }
  if (s->dark)
    {
      double hx = L, hy = -k->nose + 0.11, tx = 0.0, ty = -k->belt_rear + 0.15;

      cairo_user_to_device (cr, &hx, &hy);
      cairo_user_to_device (cr, &tx, &ty);
      add_light (s, FL_DEMO_LIGHT_GLOW, hx, hy, 0.7 * ppm, 0.5 * ppm, hex (0xfff2c8), 1.0);
      add_light (s, FL_DEMO_LIGHT_BEAM, hx, hy, dir * 4.5 * ppm, 0.5 * ppm, hex (0xfff2c8), 0.6);
      add_light (s, FL_DEMO_LIGHT_GLOW, tx, ty, 0.45 * ppm, 0.3 * ppm, hex (0xff3020), 0.9);
      if (kind == FL_DEMO_CAR_BUS)
        for (int i = 0; i < k->panes; i++)
          {
            double wx = k->deck_x + 0.3 + i * (L - 0.6) / k->panes, wy = -k->roof + 0.1;
            double ww = (L - 0.8) / k->panes, wh = k->roof - glass_low - 0.2;
            double x0 = wx, y0 = wy, x1 = wx + ww, y1 = wy + wh;

            cairo_user_to_device (cr, &x0, &y0);
            cairo_user_to_device (cr, &x1, &y1);
            add_light (s, FL_DEMO_LIGHT_WINDOW, MIN (x0, x1), y0, fabs (x1 - x0), y1 - y0,
                       hex (0xe8f0ff), 0.5);
          }
    }
  cairo_restore (cr);
}

static void
limb (cairo_t *cr, double x0, double y0, double x1, double y1, double x2, double y2, double width)
{
  cairo_set_line_width (cr, width);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_stroke (cr);
}

static const guint32 skin_tones[] = { 0xf1c7a5, 0xe0ac83, 0xc68a62, 0x9a6444, 0x6b432d, 0xf5d3b8 };
static const guint32 hair_colours[] = {
  0x2b1d14, 0x4a3020, 0x151110, 0x8a5a32, 0xc9a06a, 0x8c8c8c
};
static const guint32 clothes[] = { 0x2f4f7f, 0x8b2e2e, 0x3a6b45, 0xd9a441, 0x4b4b55, 0xe8e4dc,
                                   0x6b3f7a, 0x1f1f24, 0xc0622f, 0x5f8fb0, 0x97815c };

/* A walking person seen from the side, feet on ground line y, facing dir. */
static void
draw_person (FlDemoScene *s, double x, double y, int dir, gboolean umbrella)
{
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y), h = rnd (s, 1.58, 1.88), phase = rnd (s, -1, 1);
  FlDemoRgb skin = pick (s, skin_tones, G_N_ELEMENTS (skin_tones));
  FlDemoRgb hair = pick (s, hair_colours, G_N_ELEMENTS (hair_colours));
  FlDemoRgb top = pick (s, clothes, G_N_ELEMENTS (clothes));
  FlDemoRgb legs = chance (s, 0.6) ? hex (0x2c3446) : pick (s, clothes, G_N_ELEMENTS (clothes));
  gboolean skirt = chance (s, 0.25), long_hair = chance (s, 0.35), bag = chance (s, 0.35);
  double hip = h * 0.52, shoulder = h * 0.82, head_r = h * 0.068, stride = 0.22 * phase;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm * dir, ppm);
  record_box (s, "person", -0.32, -h - (umbrella ? 0.45 : 0.02), 0.32, 0.02);
  soft_ellipse (cr, 0, 0, 0.45, 0.08, hex (0x000000), 0.45);

  /* far arm and leg first, darker */
  set_rgb (cr, darker (legs, 0.25));
  limb (cr, 0, -hip, -stride * 0.6, -hip * 0.5, -stride - 0.05, -0.06, 0.13);
  rounded_rect (cr, -stride - 0.1, -0.08, 0.27, 0.08, 0.03);
  cairo_set_source_rgb (cr, 0.12, 0.1, 0.1);
  cairo_fill (cr);
  set_rgb (cr, darker (top, 0.3));
  limb (cr, 0.02, -shoulder + 0.04, 0.12 * phase + 0.02, -h * 0.62, 0.2 * phase + 0.06, -h * 0.48,
        0.1);

  /* near leg */
  set_rgb (cr, legs);
  limb (cr, 0, -hip, stride * 0.6 + 0.05, -hip * 0.5, stride + 0.05, -0.06, 0.14);
  rounded_rect (cr, stride - 0.02, -0.08, 0.28, 0.085, 0.03);
  cairo_set_source_rgb (cr, 0.15, 0.12, 0.11);
  cairo_fill (cr);

  /* torso */
  cairo_move_to (cr, -0.14, -hip + 0.05);
  cairo_curve_to (cr, -0.16, -hip - 0.1, -0.16, -shoulder + 0.05, -0.09, -shoulder);
  cairo_line_to (cr, 0.1, -shoulder);
  cairo_curve_to (cr, 0.17, -shoulder + 0.05, 0.16, -hip - 0.1, 0.14, -hip + 0.05);
  cairo_close_path (cr);
  if (skirt)
    {
      cairo_move_to (cr, -0.14, -hip + 0.05);
      cairo_line_to (cr, -0.22, -h * 0.3);
      cairo_line_to (cr, 0.24, -h * 0.3);
      cairo_line_to (cr, 0.14, -hip + 0.05);
      cairo_close_path (cr);
    }
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (-0.16, 0, 0.17, 0);

    stop (p, 0, darker (top, 0.3), 1);
    stop (p, 0.6, top, 1);
    stop (p, 1, lighter (top, 0.15), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  if (bag)
    {
      rounded_rect (cr, -0.24, -hip - 0.05, 0.16, 0.26, 0.03);
      set_rgb (cr, hex (0x6b4226));
      cairo_fill (cr);
      cairo_set_line_width (cr, 0.02);
      cairo_move_to (cr, -0.16, -hip - 0.05);
      cairo_line_to (cr, 0.05, -shoulder);
      cairo_stroke (cr);
    }
  /* neck and head */
  cairo_rectangle (cr, -0.03, -shoulder - 0.07, 0.07, 0.09);
  set_rgb (cr, darker (skin, 0.15));
  cairo_fill (cr);
  cairo_save (cr);
  cairo_translate (cr, 0.01, -h + head_r * 1.1);
  cairo_scale (cr, head_r * 0.92, head_r * 1.1);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  fill_ball (cr, 0.01, -h + head_r * 1.1, head_r * 1.1, skin, FALSE);
  /* nose bump in the walking direction */
  cairo_move_to (cr, head_r * 0.85, -h + head_r * 0.9);
  cairo_line_to (cr, head_r * 1.12, -h + head_r * 1.25);
  cairo_line_to (cr, head_r * 0.85, -h + head_r * 1.35);
  set_rgb (cr, skin);
  cairo_fill (cr);
  /* hair */
  cairo_arc (cr, -0.005, -h + head_r * 1.0, head_r * 1.0, G_PI * 0.95, G_PI * 2.05);
  if (long_hair)
    {
      cairo_line_to (cr, -head_r * 0.2, -h + head_r * 1.3);
      cairo_line_to (cr, -head_r * 1.2, -h + head_r * 3.2);
      cairo_line_to (cr, -head_r * 0.9, -h + head_r * 1.0);
    }
  cairo_close_path (cr);
  set_rgb (cr, hair);
  cairo_fill (cr);
  /* ear and eye */
  cairo_save (cr);
  cairo_translate (cr, -head_r * 0.05, -h + head_r * 1.2);
  cairo_scale (cr, head_r * 0.2, head_r * 0.3);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  set_rgb (cr, darker (skin, 0.15));
  cairo_fill (cr);
  cairo_arc (cr, head_r * 0.6, -h + head_r * 1.05, head_r * 0.1, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.1, 0.07, 0.06);
  cairo_fill (cr);

  /* near arm */
  set_rgb (cr, top);
  limb (cr, -0.02, -shoulder + 0.04, -0.12 * phase - 0.02, -h * 0.62, -0.2 * phase - 0.04,
        -h * 0.48, 0.11);
  cairo_arc (cr, -0.2 * phase - 0.04, -h * 0.47, 0.045, 0, 2 * G_PI);
  set_rgb (cr, skin);
  cairo_fill (cr);

  if (umbrella)
    {
      FlDemoRgb u = pick (s, clothes, G_N_ELEMENTS (clothes));

      cairo_set_line_width (cr, 0.025);
      cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
      cairo_move_to (cr, 0.05, -h * 0.6);
      cairo_line_to (cr, 0.05, -h - 0.4);
      cairo_stroke (cr);
      cairo_move_to (cr, -0.55, -h - 0.05);
      cairo_curve_to (cr, -0.5, -h - 0.55, 0.6, -h - 0.55, 0.65, -h - 0.05);
      for (int i = 5; i >= 0; i--)
        cairo_curve_to (cr, 0.65 - (i + 0.5) * 0.2 + 0.1, -h - 0.12, 0.65 - (i + 0.5) * 0.2 - 0.1,
                        -h - 0.12, 0.65 - (6 - i) * 0.2, -h - 0.05);
      cairo_close_path (cr);
      fill_vertical (cr, -h - 0.45, -h, lighter (u, 0.2), darker (u, 0.3), FALSE);
    }
  cairo_restore (cr);
}

static void
draw_bicycle (FlDemoScene *s, double x, double y, int dir)
{
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y), r = 0.34, wb = 1.05;
  FlDemoRgb frame = pick (s, clothes, G_N_ELEMENTS (clothes));
  FlDemoRgb skin = pick (s, skin_tones, G_N_ELEMENTS (skin_tones));
  FlDemoRgb shirt = pick (s, clothes, G_N_ELEMENTS (clothes));
  FlDemoRgb helmet = pick (s, clothes, G_N_ELEMENTS (clothes));
  double crank = rnd (s, 0, 2 * G_PI);
  double px = 0.48 + cos (crank) * 0.17, py = -0.3 + sin (crank) * 0.17;
  double qx = 0.48 - cos (crank) * 0.17, qy = -0.3 - sin (crank) * 0.17;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm * dir, ppm);
  record_box (s, "bicycle", -r, -1.05, wb + r, 0);
  record_box (s, "person", 0.2, -1.86, 0.92, -0.2);
  soft_ellipse (cr, wb / 2, 0, 0.95, 0.08, hex (0x000000), 0.45);

  /* far leg, then wheels and frame */
  set_rgb (cr, hex (0x252a36));
  limb (cr, 0.3, -0.98, 0.58, -0.72, qx, qy, 0.12);
  for (int w = 0; w < 2; w++)
    {
      double cx = w * wb;

      cairo_set_line_width (cr, 0.05);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_arc (cr, cx, -r, r, 0, 2 * G_PI);
      cairo_stroke (cr);
      cairo_set_line_width (cr, 0.008);
      cairo_set_source_rgba (cr, 0.75, 0.75, 0.75, 0.8);
      for (int i = 0; i < 16; i++)
        {
          double a = i * G_PI / 8;

          cairo_move_to (cr, cx, -r);
          cairo_line_to (cr, cx + cos (a) * r * 0.95, -r + sin (a) * r * 0.95);
        }
      cairo_stroke (cr);
    }
  set_rgb (cr, frame);
  cairo_set_line_width (cr, 0.045);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, 0, -r);
  cairo_line_to (cr, 0.48, -0.3);
  cairo_line_to (cr, 0.3, -0.88);
  cairo_close_path (cr);
  cairo_move_to (cr, 0.48, -0.3);
  cairo_line_to (cr, 0.92, -0.82);
  cairo_line_to (cr, 0.3, -0.82);
  cairo_move_to (cr, 0.92, -0.82);
  cairo_line_to (cr, wb, -r);
  cairo_move_to (cr, 0.92, -0.82);
  cairo_line_to (cr, 0.88, -0.98);
  cairo_line_to (cr, 0.8, -1.0);
  cairo_stroke (cr);
  rounded_rect (cr, 0.18, -0.95, 0.24, 0.05, 0.02);
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_fill (cr);

  /* rider: torso leaning forward, arms to the bars, near leg on the near pedal */
  set_rgb (cr, shirt);
  limb (cr, 0.3, -0.95, 0.5, -1.3, 0.62, -1.52, 0.2);
  set_rgb (cr, darker (shirt, 0.1));
  limb (cr, 0.6, -1.48, 0.78, -1.25, 0.84, -1.0, 0.08);
  cairo_arc (cr, 0.84, -1.0, 0.04, 0, 2 * G_PI);
  set_rgb (cr, skin);
  cairo_fill (cr);
  cairo_arc (cr, 0.74, -1.7, 0.11, 0, 2 * G_PI);
  fill_ball (cr, 0.74, -1.7, 0.11, skin, FALSE);
  cairo_arc (cr, 0.72, -1.72, 0.125, G_PI, 2 * G_PI);
  cairo_close_path (cr);
  fill_vertical (cr, -1.85, -1.72, lighter (helmet, 0.3), helmet, FALSE);
  set_rgb (cr, hex (0x2c3446));
  limb (cr, 0.3, -0.98, 0.62, -0.76, px, py, 0.13);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 0.03);
  cairo_move_to (cr, px, py);
  cairo_line_to (cr, qx, qy);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
draw_tree (FlDemoScene *s, double x, double y, FlDemoWeather weather)
{
  static const guint32 greens[] = { 0x3f6b2a, 0x4f7d32, 0x2f5a26, 0x5b8a3a, 0x6c9a40 };
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y), h = rnd (s, 5.5, 8.0), crown = rnd (s, 1.8, 2.6);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm, ppm);
  soft_ellipse (cr, 0.3, 0, 1.6, 0.2, hex (0x000000), 0.35);
  cairo_move_to (cr, -0.18, 0);
  cairo_curve_to (cr, -0.12, -h * 0.4, -0.1, -h * 0.5, -0.07, -h * 0.7);
  cairo_line_to (cr, 0.07, -h * 0.7);
  cairo_curve_to (cr, 0.1, -h * 0.5, 0.12, -h * 0.4, 0.18, 0);
  cairo_close_path (cr);
  fill_vertical (cr, -h, 0, hex (0x5a4330), hex (0x3b2a1e), FALSE);
  cairo_set_line_width (cr, 0.08);
  set_rgb (cr, hex (0x4a3626));
  for (int i = 0; i < 4; i++)
    {
      cairo_move_to (cr, 0, -h * 0.55 - i * 0.3);
      cairo_line_to (cr, (i % 2 ? 1 : -1) * crown * 0.6, -h * 0.7 - i * 0.4);
    }
  cairo_stroke (cr);
  for (int i = 0; i < 55; i++)
    {
      double a = rnd (s, 0, 2 * G_PI), d = sqrt (rnd (s, 0, 1));
      double bx = cos (a) * d * crown, by = -h + crown * 0.9 + sin (a) * d * crown * 0.85;
      double r = rnd (s, 0.35, 0.7);
      FlDemoRgb g = pick (s, greens, G_N_ELEMENTS (greens));

      if (weather == FL_DEMO_DUSK)
        g = mix (g, hex (0x8a6a2a), 0.25);
      /* the lower, shadowed side is darker */
      g = darker (g, CLAMP ((by + h - crown * 0.9) / crown * 0.35, 0, 0.4));
      cairo_arc (cr, bx, by, r, 0, 2 * G_PI);
      {
        cairo_pattern_t *p =
          cairo_pattern_create_radial (bx - r * 0.4, by - r * 0.5, r * 0.1, bx, by, r * 1.05);

        stop (p, 0, lighter (g, 0.12), 1);
        stop (p, 0.7, g, 1);
        stop (p, 1, darker (g, 0.18), 1);
        cairo_set_source (cr, p);
        cairo_fill (cr);
        cairo_pattern_destroy (p);
      }
      /* single leaves break up the round outline */
      for (int k = 0; k < 14; k++)
        {
          double la = rnd (s, 0, 2 * G_PI), ld = r * sqrt (rnd (s, 0.3, 1.15));

          cairo_save (cr);
          cairo_translate (cr, bx + cos (la) * ld, by + sin (la) * ld);
          cairo_rotate (cr, rnd (s, 0, G_PI));
          cairo_scale (cr, 0.11, 0.06);
          cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
          cairo_restore (cr);
          set_rgba (cr, chance (s, 0.5) ? lighter (g, 0.2) : darker (g, 0.25), 0.8);
          cairo_fill (cr);
        }
    }
  cairo_restore (cr);
}

static void
draw_street_lamp (FlDemoScene *s, double x, double y, int dir)
{
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y);

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm * dir, ppm);
  cairo_rectangle (cr, -0.07, -6.5, 0.14, 6.5);
  fill_vertical (cr, -6.5, 0, hex (0x4a4f55), hex (0x2b2e33), FALSE);
  cairo_set_line_width (cr, 0.1);
  cairo_set_source_rgb (cr, 0.2, 0.22, 0.25);
  cairo_move_to (cr, 0, -6.3);
  cairo_curve_to (cr, 0, -7.0, 0.8, -7.0, 1.3, -6.8);
  cairo_stroke (cr);
  rounded_rect (cr, 1.0, -6.95, 0.7, 0.22, 0.08);
  cairo_fill (cr);
  cairo_rectangle (cr, 1.08, -6.75, 0.54, 0.06);
  cairo_set_source_rgb (cr, 0.95, 0.92, 0.8);
  cairo_fill (cr);
  if (s->dark)
    {
      double lx = 1.35, ly = -6.7, gx = 1.35, gy = 0;

      cairo_user_to_device (cr, &lx, &ly);
      cairo_user_to_device (cr, &gx, &gy);
      add_light (s, FL_DEMO_LIGHT_GLOW, lx, ly, 2.2 * ppm, 2.0 * ppm, hex (0xffc77a), 0.9);
      add_light (s, FL_DEMO_LIGHT_GLOW, gx, gy, 3.0 * ppm, 0.6 * ppm, hex (0xffb35a), 0.5);
    }
  cairo_restore (cr);
}

static void
draw_traffic_light (FlDemoScene *s, double x, double y, int lit)
{
  cairo_t *cr = s->cr;
  double ppm = ppm_at (y);
  static const guint32 lamp_colours[] = { 0xff3b1f, 0xffb21f, 0x2bff8a };

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_scale (cr, ppm, ppm);
  soft_ellipse (cr, 0.1, 0, 0.4, 0.06, hex (0x000000), 0.4);
  cairo_rectangle (cr, -0.06, -3.0, 0.12, 3.0);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (-0.06, 0, 0.06, 0);

    cairo_pattern_add_color_stop_rgb (p, 0, 0.25, 0.27, 0.3);
    cairo_pattern_add_color_stop_rgb (p, 0.4, 0.6, 0.62, 0.66);
    cairo_pattern_add_color_stop_rgb (p, 1, 0.2, 0.21, 0.24);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  record_box (s, "traffic light", -0.2, -3.95, 0.2, -2.85);
  rounded_rect (cr, -0.2, -3.95, 0.4, 1.1, 0.08);
  fill_vertical (cr, -3.95, -2.85, hex (0x2a2c30), hex (0x121315), FALSE);
  for (int i = 0; i < 3; i++)
    {
      double cy = -3.75 + i * 0.35;
      FlDemoRgb c = hex (lamp_colours[i]);

      cairo_arc (cr, 0, cy, 0.12, 0, 2 * G_PI);
      set_rgb (cr, i == lit ? lighter (c, 0.3) : darker (c, 0.78));
      cairo_fill (cr);
      cairo_rectangle (cr, -0.16, cy - 0.16, 0.32, 0.04);
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.09);
      cairo_fill (cr);
      if (i == lit)
        {
          double lx = 0, ly = cy;

          cairo_user_to_device (cr, &lx, &ly);
          if (s->dark)
            add_light (s, FL_DEMO_LIGHT_GLOW, lx, ly, 0.6 * ppm, 0.6 * ppm, c, 1.0);
          else
            soft_ellipse (cr, 0, cy, 0.3, 0.3, c, 0.45);
        }
    }
  cairo_restore (cr);
}

typedef enum
{
  FL_DEMO_ACTOR_PERSON,
  FL_DEMO_ACTOR_VEHICLE,
  FL_DEMO_ACTOR_BICYCLE,
  FL_DEMO_ACTOR_TREE,
  FL_DEMO_ACTOR_LAMP,
  FL_DEMO_ACTOR_TRAFFIC_LIGHT,
} FlDemoActorKind;

typedef struct
{
  FlDemoActorKind kind;
  double x, y;
  int dir, variant;
  guint32 colour;
} FlDemoActor;

static int
actor_compare (gconstpointer a, gconstpointer b)
{
  const FlDemoActor *x = a, *y = b;

  return x->y < y->y ? -1 : x->y > y->y;
}

static void
add_actor (GArray *actors, FlDemoActorKind kind, double x, double y, int dir, int variant,
           guint32 colour)
{
  FlDemoActor a = { kind, x, y, dir, variant, colour };

  g_array_append_val (actors, a);
}

static void
draw_rain (FlDemoScene *s)
{
  cairo_t *cr = s->cr;

  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i < 2200; i++)
    {
      double x = rnd (s, -50, WIDTH), y = rnd (s, -20, HEIGHT), len = rnd (s, 10, 26);

      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + len * 0.25, y + len);
      cairo_set_source_rgba (cr, 0.85, 0.88, 0.92, rnd (s, 0.12, 0.3));
      cairo_stroke (cr);
    }
  /* haze over the distance */
  cairo_rectangle (cr, 0, 0, WIDTH, NEAR_CURB);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (0, 0, 0, NEAR_CURB);

    cairo_pattern_add_color_stop_rgba (p, 0, 0.75, 0.78, 0.82, 0.15);
    cairo_pattern_add_color_stop_rgba (p, 0.6, 0.75, 0.78, 0.82, 0.25);
    cairo_pattern_add_color_stop_rgba (p, 1, 0.75, 0.78, 0.82, 0.0);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
}

static void
draw_street (FlDemoScene *s, FlDemoWeather weather, int vehicles, int people, int bikes)
{
  static const guint32 paints[] = { 0xb3261e, 0x1c4e80, 0xe8e8e8, 0x202226, 0x8a8f96,
                                    0x2f6b4f, 0xc7c2b8, 0x5a2a6e, 0xd46f1a, 0x3d5a73 };
  g_autoptr (GArray) actors = g_array_new (FALSE, FALSE, sizeof (FlDemoActor));
  double zebra = rnd (s, 0.3, 0.7) * WIDTH;
  gboolean rain = weather == FL_DEMO_RAIN;
  FlDemoRgb tint = weather == FL_DEMO_NIGHT ? hex (0x2c3458) : hex (0xc89a8c);

  s->dark = weather == FL_DEMO_NIGHT || weather == FL_DEMO_DUSK;
  if (weather == FL_DEMO_NIGHT)
    add_tag (s, "night");
  if (weather == FL_DEMO_RAIN)
    add_tag (s, "rain");
  if (weather == FL_DEMO_DUSK)
    add_tag (s, "dusk");
  if (people + vehicles + bikes >= 12)
    add_tag (s, "crowded");

  draw_sky (s, weather);
  draw_skyline (s, weather);
  for (double x = rnd (s, -120, -20); x < WIDTH;)
    {
      double w = rnd (s, 5.0, 10.0) * ppm_at (BUILDING_BASE);

      draw_building (s, x, w, rnd_int (s, 1, 5), weather);
      x += w + (chance (s, 0.2) ? rnd (s, 20, 60) : 0);
    }
  /* air between the camera and the far side of the street */
  cairo_rectangle (s->cr, 0, 0, WIDTH, BUILDING_BASE);
  if (weather == FL_DEMO_DAY)
    cairo_set_source_rgba (s->cr, 0.8, 0.88, 0.95, 0.12);
  else
    cairo_set_source_rgba (s->cr, 0.6, 0.6, 0.65, 0.08);
  cairo_fill (s->cr);
  draw_ground (s, weather);
  draw_zebra (s, zebra);
  if (s->dark)
    {
      paint_grade (s->cr, tint);
      draw_lights (s);
    }

  for (double x = rnd (s, 40, 160); x < WIDTH; x += rnd (s, 260, 420))
    add_actor (actors, FL_DEMO_ACTOR_TREE, x, rnd (s, 500, 508), 1, 0, 0);
  add_actor (actors, FL_DEMO_ACTOR_LAMP, rnd (s, 0.05, 0.95) * WIDTH, 510, -1, 0, 0);
  add_actor (actors, FL_DEMO_ACTOR_LAMP, rnd (s, 0.1, 0.9) * WIDTH, NEAR_CURB + 25, 1, 0, 0);
  add_actor (actors, FL_DEMO_ACTOR_TRAFFIC_LIGHT, zebra + 1.9 * ppm_at (NEAR_CURB + 22),
             NEAR_CURB + 22, 1, rnd_int (s, 0, 3), 0);
  add_actor (actors, FL_DEMO_ACTOR_TRAFFIC_LIGHT, zebra - 1.9 * ppm_at (FAR_CURB - 6), FAR_CURB - 6,
             1, rnd_int (s, 0, 3), 0);

  for (int i = 0; i < vehicles; i++)
    {
      gboolean far = i % 2 == 0;
      double y = far ? FAR_LANE + rnd (s, -4, 4) : NEAR_LANE + rnd (s, -4, 4);
      FlDemoCarKind kind = chance (s, 0.12) ? FL_DEMO_CAR_BUS : rnd_int (s, 0, 5);
      double len = car_shapes[kind].length * ppm_at (y);
      /* spread vehicles along their lane, clear of the zebra crossing */
      double slot = (i / 2 + rnd (s, 0.0, 0.6)) * WIDTH / MAX (1, (vehicles + 1) / 2);
      double x = slot - len * 0.2;

      if (fabs (x + len / 2 - zebra) < len / 2 + 60)
        x = x + len / 2 < zebra ? zebra - len - 70 : zebra + 70;
      add_actor (actors, FL_DEMO_ACTOR_VEHICLE, far ? x + len : x, y, far ? -1 : 1, kind,
                 kind == FL_DEMO_CAR_TAXI  ? 0xf2c029
                 : kind == FL_DEMO_CAR_BUS ? 0x2b6cb0
                                           : paints[rnd_int (s, 0, G_N_ELEMENTS (paints))]);
    }
  for (int i = 0; i < bikes; i++)
    add_actor (actors, FL_DEMO_ACTOR_BICYCLE, rnd (s, 0.05, 0.9) * WIDTH,
               i % 2 ? FAR_CURB + 28 : NEAR_CURB - 22, i % 2 ? -1 : 1, 0, 0);
  for (int i = 0; i < people; i++)
    {
      double r = rnd (s, 0, 1);
      double y, x = rnd (s, 0.02, 0.98) * WIDTH;

      if (r < 0.4)
        y = rnd (s, 490, 516);
      else if (r < 0.8)
        y = rnd (s, NEAR_CURB + 30, HEIGHT - 15);
      else
        {
          y = rnd (s, FAR_CURB + 20, NEAR_CURB - 10);
          x = zebra + rnd (s, -1.2, 1.2) * ppm_at (y);
        }
      add_actor (actors, FL_DEMO_ACTOR_PERSON, x, y, chance (s, 0.5) ? 1 : -1,
                 rain && chance (s, 0.7), 0);
    }
  g_array_sort (actors, actor_compare);
  for (guint i = 0; i < actors->len; i++)
    {
      FlDemoActor *a = &g_array_index (actors, FlDemoActor, i);

      /* after dark each thing is graded and lit on its own, so that whatever stands in front
       * of a headlight also hides its glow */
      if (s->dark)
        cairo_push_group (s->cr);
      switch (a->kind)
        {
          case FL_DEMO_ACTOR_PERSON:
            draw_person (s, a->x, a->y, a->dir, a->variant);
            break;
          case FL_DEMO_ACTOR_VEHICLE:
            draw_vehicle (s, a->variant, a->x, a->y, a->dir, hex (a->colour));
            break;
          case FL_DEMO_ACTOR_BICYCLE:
            draw_bicycle (s, a->x, a->y, a->dir);
            break;
          case FL_DEMO_ACTOR_TREE:
            draw_tree (s, a->x, a->y, weather);
            break;
          case FL_DEMO_ACTOR_LAMP:
            draw_street_lamp (s, a->x, a->y, a->dir);
            break;
          case FL_DEMO_ACTOR_TRAFFIC_LIGHT:
            draw_traffic_light (s, a->x, a->y, a->variant);
            break;
          default:
            g_assert_not_reached ();
        }
      if (s->dark)
        {
          cairo_pattern_t *group = cairo_pop_group (s->cr);

          paint_graded_group (s->cr, group, tint);
          cairo_pattern_destroy (group);
          draw_lights (s);
        }
    }

  if (weather == FL_DEMO_RAIN)
    {
      paint_grade (s->cr, hex (0xc4cad2));
      draw_rain (s);
    }
}

/* ---- fruit ------------------------------------------------------------------------------ */

typedef enum
{
  FL_DEMO_APPLE,
  FL_DEMO_GREEN_APPLE,
  FL_DEMO_ORANGE,
  FL_DEMO_LEMON,
  FL_DEMO_PEAR,
  FL_DEMO_TOMATO,
  FL_DEMO_BANANA,
  FL_DEMO_GRAPES,
  FL_DEMO_N_FRUIT,
} FlDemoFruit;

static const char *const fruit_labels[] = { "apple", "apple",  "orange", "lemon",
                                            "pear",  "tomato", "banana", "grapes" };
static const char *const fruit_names[] = { "APPLES", "GREEN APPLES", "ORANGES", "LEMONS",
                                           "PEARS",  "TOMATOES",     "BANANAS", "GRAPES" };

/* Outline radius of round fruit at angle t (cairo angles: -pi/2 is up). */
static double
fruit_radius (FlDemoFruit kind, double t)
{
  switch (kind)
    {
      case FL_DEMO_APPLE:
      case FL_DEMO_GREEN_APPLE:
        {
          double d = t + G_PI / 2;

          while (d > G_PI)
            d -= 2 * G_PI;
          return 1 + 0.05 * cos (2 * t) - 0.14 * exp (-d * d / 0.04) - 0.06 * MAX (0, sin (t));
        }
      case FL_DEMO_TOMATO:
        return (1 + 0.035 * cos (5 * t)) * (1 - 0.12 * fabs (sin (t)));
      case FL_DEMO_LEMON:
        return (1 + 0.32 * pow (fabs (cos (t)), 14)) * (0.82 + 0.18 * fabs (cos (t)));
      case FL_DEMO_ORANGE:
      default:
        return 1 + 0.015 * cos (7 * t);
    }
}

static void
round_fruit_path (cairo_t *cr, FlDemoFruit kind)
{
  for (int i = 0; i < 64; i++)
    {
      double t = i * 2 * G_PI / 64 - G_PI, r = fruit_radius (kind, t);

      if (i == 0)
        cairo_move_to (cr, r * cos (t), r * sin (t));
      else
        cairo_line_to (cr, r * cos (t), r * sin (t));
    }
  cairo_close_path (cr);
}

static void
pear_path (cairo_t *cr)
{
  cairo_move_to (cr, 0, -1.3);
  cairo_curve_to (cr, 0.38, -1.3, 0.4, -0.7, 0.7, -0.25);
  cairo_curve_to (cr, 1.05, 0.25, 1.0, 1.05, 0, 1.08);
  cairo_curve_to (cr, -1.0, 1.05, -1.05, 0.25, -0.7, -0.25);
  cairo_curve_to (cr, -0.4, -0.7, -0.38, -1.3, 0, -1.3);
  cairo_close_path (cr);
}

static void
banana_path (cairo_t *cr, double bend)
{
  cairo_move_to (cr, -1.4, -0.45);
  cairo_curve_to (cr, -0.9, 0.5 + bend, 0.9, 0.5 + bend, 1.45, -0.5);
  cairo_curve_to (cr, 1.45, -0.38, 1.4, -0.3, 1.35, -0.3);
  cairo_curve_to (cr, 0.8, 0.12 + bend, -0.8, 0.12 + bend, -1.3, -0.25);
  cairo_close_path (cr);
}

static int
point_compare (const void *a, const void *b)
{
  const double *p = a, *q = b;

  if (p[0] != q[0])
    return p[0] < q[0] ? -1 : 1;
  return p[1] < q[1] ? -1 : p[1] > q[1];
}

static double
cross (const double *o, const double *a, const double *b)
{
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/* Andrew's monotone chain; sorts pts (n pairs) and writes the hull's pairs to out (room for
 * n + 1 pairs). Returns the number of hull points. */
static int
convex_hull (double *pts, int n, double *out)
{
  int k = 0;

  qsort (pts, n, 2 * sizeof (double), point_compare);
  for (int i = 0; i < n; i++)
    {
      while (k >= 2 && cross (&out[2 * (k - 2)], &out[2 * (k - 1)], &pts[2 * i]) <= 0)
        k--;
      out[2 * k] = pts[2 * i];
      out[2 * k + 1] = pts[2 * i + 1];
      k++;
    }
  for (int i = n - 2, lower = k + 1; i >= 0; i--)
    {
      while (k >= lower && cross (&out[2 * (k - 2)], &out[2 * (k - 1)], &pts[2 * i]) <= 0)
        k--;
      out[2 * k] = pts[2 * i];
      out[2 * k + 1] = pts[2 * i + 1];
      k++;
    }
  return k - 1;
}

static void
draw_fruit (FlDemoScene *s, FlDemoFruit kind, double cx, double cy, double size, double angle,
            gboolean annotate)
{
  cairo_t *cr = s->cr;

  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_rotate (cr, angle);
  cairo_scale (cr, size, size);

  switch (kind)
    {
      case FL_DEMO_BANANA:
        if (annotate)
          {
            /* the bunch's outline: the lowest finger's belly, the highest finger's back; the
             * path survives cairo_restore, the rotations are baked into it */
            cairo_new_path (cr);
            cairo_save (cr);
            cairo_translate (cr, -1.4, -0.45);
            cairo_rotate (cr, 0.12);
            cairo_translate (cr, 1.4, 0.45);
            cairo_move_to (cr, -1.4, -0.45);
            cairo_curve_to (cr, -0.9, 0.5, 0.9, 0.5, 1.45, -0.5);
            cairo_restore (cr);
            cairo_save (cr);
            cairo_translate (cr, -1.4, -0.45);
            cairo_rotate (cr, 0.12 - 3 * 0.16);
            cairo_translate (cr, 1.4, 0.45);
            cairo_line_to (cr, 1.35, -0.3);
            cairo_curve_to (cr, 0.8, 0.12, -0.8, 0.12, -1.3, -0.25);
            cairo_restore (cr);
            cairo_close_path (cr);
            record_path_polygon (s, fruit_labels[kind]);
            cairo_new_path (cr);
          }
        for (int i = 3; i >= 0; i--)
          {
            double bend = 0.04 * i;

            cairo_save (cr);
            cairo_translate (cr, -1.4, -0.45);
            cairo_rotate (cr, 0.12 - i * 0.16);
            cairo_translate (cr, 1.4 + 0.04 * i, 0.45);
            banana_path (cr, bend);
            fill_vertical (cr, -0.5, 0.6, hex (0xf7dc55), hex (0xc99a1a), TRUE);
            cairo_set_line_width (cr, 0.03);
            set_rgba (cr, hex (0x7a5a10), 0.7);
            cairo_stroke (cr);
            cairo_move_to (cr, -1.2, -0.3);
            cairo_curve_to (cr, -0.7, 0.35 + bend, 0.7, 0.35 + bend, 1.3, -0.4);
            cairo_set_line_width (cr, 0.02);
            set_rgba (cr, hex (0xa88a2a), 0.5);
            cairo_stroke (cr);
            cairo_arc (cr, 1.42, -0.42, 0.07, 0, 2 * G_PI);
            set_rgb (cr, hex (0x3b2a14));
            cairo_fill (cr);
            cairo_restore (cr);
          }
        cairo_move_to (cr, -1.35, -0.4);
        cairo_curve_to (cr, -1.55, -0.55, -1.65, -0.75, -1.7, -0.95);
        cairo_set_line_width (cr, 0.16);
        set_rgb (cr, hex (0x7b6a2a));
        cairo_stroke (cr);
        break;

      case FL_DEMO_GRAPES:
        {
          double pts[64];
          int n = 0;

          for (int row = 0; row < 6; row++)
            for (int k = 0; k <= 5 - row; k++)
              if (n < 32)
                {
                  pts[2 * n] = (k - (5 - row) / 2.0) * 0.38 + rnd (s, -0.04, 0.04);
                  pts[2 * n + 1] = -0.8 + row * 0.33 + rnd (s, -0.04, 0.04);
                  n++;
                }
          if (annotate)
            {
              /* the convex hull of all the grapes' rims */
              double rim[32 * 2 * 12], hull[32 * 2 * 12 + 4];
              int m = 0, h;

              for (int k = 0; k < n; k++)
                for (int j = 0; j < 12; j++)
                  {
                    rim[2 * m] = pts[2 * k] + 0.21 * cos (j * G_PI / 6);
                    rim[2 * m + 1] = pts[2 * k + 1] + 0.21 * sin (j * G_PI / 6);
                    m++;
                  }
              h = convex_hull (rim, m, hull);
              for (int k = 0; k < h; k++)
                {
                  if (k == 0)
                    cairo_move_to (cr, hull[2 * k], hull[2 * k + 1]);
                  else
                    cairo_line_to (cr, hull[2 * k], hull[2 * k + 1]);
                }
              cairo_close_path (cr);
              record_path_polygon (s, fruit_labels[kind]);
              cairo_new_path (cr);
            }
          cairo_move_to (cr, 0, -0.85);
          cairo_curve_to (cr, 0.05, -1.1, 0.2, -1.2, 0.3, -1.25);
          cairo_set_line_width (cr, 0.08);
          set_rgb (cr, hex (0x5a4a22));
          cairo_stroke (cr);
          for (int k = 0; k < n; k++)
            {
              FlDemoRgb g = mix (hex (0x5a2150), hex (0x3a1438), rnd (s, 0, 1));

              cairo_arc (cr, pts[2 * k], pts[2 * k + 1], 0.21, 0, 2 * G_PI);
              fill_ball (cr, pts[2 * k], pts[2 * k + 1], 0.21, g, FALSE);
              soft_ellipse (cr, pts[2 * k] - 0.06, pts[2 * k + 1] - 0.07, 0.07, 0.05,
                            hex (0xe8d8f0), 0.45);
            }
        }
        break;

      case FL_DEMO_PEAR:
        pear_path (cr);
        if (annotate)
          record_path_polygon (s, fruit_labels[kind]);
        fill_ball (cr, -0.1, 0.35, 1.25, hex (0xb9c24a), TRUE);
        cairo_save (cr);
        cairo_clip (cr);
        for (int i = 0; i < 40; i++)
          {
            cairo_arc (cr, rnd (s, -1, 1), rnd (s, -1.2, 1), 0.018, 0, 2 * G_PI);
            set_rgba (cr, hex (0x7a5a2a), 0.6);
            cairo_fill (cr);
          }
        soft_ellipse (cr, 0.5, 0.2, 0.8, 1.0, hex (0xc06020), 0.25);
        cairo_restore (cr);
        cairo_move_to (cr, 0, -1.25);
        cairo_curve_to (cr, 0.02, -1.45, 0.1, -1.55, 0.18, -1.6);
        cairo_set_line_width (cr, 0.07);
        set_rgb (cr, hex (0x4a3520));
        cairo_stroke (cr);
        break;

      default:
        {
          FlDemoRgb c = kind == FL_DEMO_APPLE ? mix (hex (0xb8141a), hex (0xd8401e), rnd (s, 0, 1))
                        : kind == FL_DEMO_GREEN_APPLE ? hex (0x8cbf3a)
                        : kind == FL_DEMO_ORANGE      ? hex (0xf28a12)
                        : kind == FL_DEMO_LEMON       ? hex (0xf3d526)
                                                      : hex (0xd8281c);

          round_fruit_path (cr, kind);
          if (annotate)
            record_path_polygon (s, fruit_labels[kind]);
          fill_ball (cr, 0, 0, 1, c, TRUE);
          cairo_save (cr);
          cairo_clip (cr);
          if (kind == FL_DEMO_APPLE || kind == FL_DEMO_GREEN_APPLE)
            {
              /* streaks and a sunny blush */
              cairo_set_line_width (cr, 0.05);
              for (int i = 0; i < 14; i++)
                {
                  double x = rnd (s, -0.9, 0.9);

                  cairo_move_to (cr, x * 0.3, -0.8);
                  cairo_curve_to (cr, x, -0.4, x * 1.1, 0.3, x * 0.6, 0.9);
                  set_rgba (cr, kind == FL_DEMO_APPLE ? hex (0xf0c040) : hex (0xe0e070), 0.18);
                  cairo_stroke (cr);
                }
              if (kind == FL_DEMO_GREEN_APPLE)
                soft_ellipse (cr, 0.3, -0.2, 0.6, 0.6, hex (0xe08040), 0.3);
            }
          else if (kind == FL_DEMO_ORANGE || kind == FL_DEMO_LEMON)
            {
              for (int i = 0; i < 90; i++)
                {
                  cairo_arc (cr, rnd (s, -1.3, 1.3), rnd (s, -1, 1), 0.02, 0, 2 * G_PI);
                  set_rgba (cr, darker (c, 0.3), 0.4);
                  cairo_fill (cr);
                }
            }
          soft_ellipse (cr, -0.35, -0.4, 0.28, 0.2, hex (0xffffff), 0.55);
          cairo_restore (cr);
          if (kind == FL_DEMO_TOMATO)
            {
              for (int i = 0; i < 5; i++)
                {
                  double a = i * 2 * G_PI / 5 - G_PI / 2;

                  cairo_move_to (cr, 0, -0.8);
                  cairo_curve_to (cr, cos (a) * 0.2, -0.8 + sin (a) * 0.1, cos (a) * 0.45,
                                  -0.8 + sin (a) * 0.25, cos (a) * 0.5, -0.78 + sin (a) * 0.18);
                }
              cairo_set_line_width (cr, 0.09);
              set_rgb (cr, hex (0x2f6b22));
              cairo_stroke (cr);
            }
          else if (kind == FL_DEMO_APPLE || kind == FL_DEMO_GREEN_APPLE)
            {
              cairo_move_to (cr, 0, -0.82);
              cairo_curve_to (cr, 0.02, -1.05, 0.08, -1.15, 0.16, -1.22);
              cairo_set_line_width (cr, 0.07);
              set_rgb (cr, hex (0x4a3520));
              cairo_stroke (cr);
              if (chance (s, 0.3))
                {
                  cairo_move_to (cr, 0.08, -1.05);
                  cairo_curve_to (cr, 0.3, -1.3, 0.6, -1.2, 0.7, -1.05);
                  cairo_curve_to (cr, 0.5, -0.9, 0.25, -0.95, 0.08, -1.05);
                  fill_vertical (cr, -1.3, -0.9, hex (0x5fa03a), hex (0x2f6a22), FALSE);
                }
            }
          else if (kind == FL_DEMO_ORANGE)
            {
              cairo_arc (cr, 0.1, -0.1, 0.05, 0, 2 * G_PI);
              set_rgba (cr, hex (0x6a4a10), 0.5);
              cairo_fill (cr);
            }
        }
        break;
    }
  cairo_restore (cr);
}

static void
wood_rect (FlDemoScene *s, double x, double y, double w, double h, FlDemoRgb wood,
           gboolean vertical)
{
  cairo_t *cr = s->cr;

  cairo_rectangle (cr, x, y, w, h);
  fill_vertical (cr, y, y + h, lighter (wood, 0.08), darker (wood, 0.15), FALSE);
  cairo_save (cr);
  cairo_rectangle (cr, x, y, w, h);
  cairo_clip (cr);
  cairo_set_line_width (cr, 1.0);
  for (int i = 0; i < (vertical ? w : h) / 3; i++)
    {
      double o = rnd (s, 0, vertical ? w : h), wave = rnd (s, 1, 4);

      if (vertical)
        {
          cairo_move_to (cr, x + o, y);
          cairo_curve_to (cr, x + o + wave, y + h * 0.3, x + o - wave, y + h * 0.6, x + o, y + h);
        }
      else
        {
          cairo_move_to (cr, x, y + o);
          cairo_curve_to (cr, x + w * 0.3, y + o + wave, x + w * 0.6, y + o - wave, x + w, y + o);
        }
      set_rgba (cr, darker (wood, 0.35), rnd (s, 0.1, 0.35));
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
draw_price_tag (FlDemoScene *s, double x, double y, const char *name, const char *price)
{
  cairo_t *cr = s->cr;
  cairo_text_extents_t ext;

  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, rnd (s, -0.08, 0.08));
  cairo_move_to (cr, 0, 10);
  cairo_line_to (cr, 0, 60);
  cairo_set_line_width (cr, 3);
  set_rgb (cr, hex (0xc8a878));
  cairo_stroke (cr);
  rounded_rect (cr, -62, -36, 124, 56, 4);
  set_rgb (cr, hex (0x1e2420));
  cairo_fill_preserve (cr);
  cairo_set_line_width (cr, 4);
  set_rgb (cr, hex (0x8a6a42));
  cairo_stroke (cr);
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 12);
  cairo_text_extents (cr, name, &ext);
  cairo_move_to (cr, -ext.width / 2 - ext.x_bearing, -17);
  cairo_set_source_rgb (cr, 0.95, 0.95, 0.9);
  cairo_show_text (cr, name);
  cairo_set_font_size (cr, 19);
  cairo_text_extents (cr, price, &ext);
  cairo_move_to (cr, -ext.width / 2 - ext.x_bearing, 10);
  cairo_set_source_rgb (cr, 0.98, 0.85, 0.45);
  cairo_show_text (cr, price);
  cairo_restore (cr);
}

/* A crate (or basket) of one fruit kind; its front row is annotated. */
static void
draw_fruit_crate (FlDemoScene *s, double x, double top, double w, double h, FlDemoFruit kind,
                  gboolean basket, const char *price)
{
  cairo_t *cr = s->cr;
  double size = kind == FL_DEMO_GRAPES ? 34 : kind == FL_DEMO_BANANA ? 44 : 26;
  int rows = kind == FL_DEMO_BANANA || kind == FL_DEMO_GRAPES ? 2 : 4;
  FlDemoRgb wood = basket ? hex (0xb58a4c) : hex (0xc9a16a);

  /* inside of the crate */
  cairo_rectangle (cr, x + 4, top - 18, w - 8, 24);
  set_rgb (cr, darker (wood, 0.6));
  cairo_fill (cr);
  for (int row = 0; row < rows; row++)
    {
      double spacing = size * (kind == FL_DEMO_BANANA ? 2.6 : kind == FL_DEMO_GRAPES ? 2.0 : 1.85);
      int n = MAX (1, (int) ((w - size) / spacing));
      double offset = (w - (n - 1) * spacing) / 2 + (row % 2 ? spacing * 0.25 : 0);

      for (int i = 0; i < n; i++)
        {
          double fx = x + offset + i * spacing + rnd (s, -3, 3);
          double dx = (fx - (x + w / 2)) / (w / 2);
          double bump = size * 0.9 * (1 - dx * dx) * (rows - 1 - row) / MAX (1, rows - 1);
          double fy = top - size * 0.35 - (rows - 1 - row) * size * 0.55 - bump + rnd (s, -2, 2);
          double angle = kind == FL_DEMO_BANANA || kind == FL_DEMO_GRAPES ? rnd (s, -0.2, 0.2)
                                                                          : rnd (s, -0.6, 0.6);

          if (fx + size > x + w + size * 0.3)
            continue;
          draw_fruit (s, kind, fx, fy, size * rnd (s, 0.92, 1.08), angle, row == rows - 1);
        }
    }
  if (basket)
    {
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x + w, top);
      cairo_curve_to (cr, x + w, top + h * 0.8, x + w * 0.85, top + h, x + w / 2, top + h);
      cairo_curve_to (cr, x + w * 0.15, top + h, x, top + h * 0.8, x, top);
      cairo_close_path (cr);
      fill_vertical (cr, top, top + h, lighter (wood, 0.1), darker (wood, 0.3), TRUE);
      cairo_save (cr);
      cairo_clip (cr);
      cairo_set_line_width (cr, 2);
      for (double yy = top; yy < top + h; yy += 9)
        for (double xx = x + ((int) ((yy - top) / 9) % 2) * 9; xx < x + w; xx += 18)
          {
            cairo_move_to (cr, xx, yy + 4.5);
            cairo_curve_to (cr, xx + 4, yy, xx + 10, yy, xx + 14, yy + 4.5);
            set_rgba (cr, darker (wood, 0.45), 0.6);
            cairo_stroke (cr);
          }
      cairo_restore (cr);
      cairo_new_path (cr);
      cairo_rectangle (cr, x - 3, top - 4, w + 6, 8);
      fill_vertical (cr, top - 4, top + 4, lighter (wood, 0.2), darker (wood, 0.2), FALSE);
    }
  else
    {
      for (int p = 0; p < 3; p++)
        wood_rect (s, x, top + p * h / 3, w, h / 3 - 4, mix (wood, hex (0x8a6a3a), p * 0.1), FALSE);
      cairo_rectangle (cr, x, top, 10, h);
      cairo_rectangle (cr, x + w - 10, top, 10, h);
      set_rgb (cr, darker (wood, 0.2));
      cairo_fill (cr);
      soft_ellipse (cr, x + w / 2, top + h + 4, w * 0.55, 10, hex (0x000000), 0.4);
    }
  draw_price_tag (s, x + w * 0.75, top - size * 2.4, fruit_names[kind], price);
}

static void
draw_market_stall (FlDemoScene *s, gboolean baskets)
{
  static const char *const prices[] = { "2.40 / kg", "2.10 / kg", "1.90 / kg", "0.45 each",
                                        "2.80 / kg", "3.20 / kg", "1.20 / kg", "4.50 / kg" };
  cairo_t *cr = s->cr;
  FlDemoRgb stripe = baskets ? hex (0x2e6b8f) : hex (0xb8262a);
  FlDemoFruit order[FL_DEMO_N_FRUIT];

  for (int i = 0; i < FL_DEMO_N_FRUIT; i++)
    order[i] = i;
  for (int i = FL_DEMO_N_FRUIT - 1; i > 0; i--)
    {
      int j = rnd_int (s, 0, i + 1);
      FlDemoFruit t = order[i];

      order[i] = order[j];
      order[j] = t;
    }

  /* back of the stall: plank wall, hanging bulbs */
  for (double x = 0; x < WIDTH; x += 64)
    wood_rect (s, x, 0, 62, 470, baskets ? hex (0x6a5a48) : hex (0x5a3f2a), TRUE);
  cairo_rectangle (cr, 0, 0, WIDTH, 470);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (0, 0, 0, 470);

    cairo_pattern_add_color_stop_rgba (p, 0, 0, 0, 0, 0.55);
    cairo_pattern_add_color_stop_rgba (p, 1, 0, 0, 0, 0.1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  for (int i = 0; i < 5; i++)
    {
      double bx = 130 + i * 255 + rnd (s, -20, 20), by = rnd (s, 200, 240);

      cairo_move_to (cr, bx, 120);
      cairo_line_to (cr, bx, by - 14);
      cairo_set_line_width (cr, 2);
      cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
      cairo_stroke (cr);
      soft_ellipse (cr, bx, by, 160, 140, hex (0xffc870), 0.25);
      cairo_arc (cr, bx, by, 11, 0, 2 * G_PI);
      fill_ball (cr, bx, by, 11, hex (0xfff2c0), FALSE);
    }
  /* awning with scalloped edge */
  for (int i = 0; i < 16; i++)
    {
      double x = i * WIDTH / 16.0, w = WIDTH / 16.0;
      FlDemoRgb c = i % 2 ? hex (0xf3eee4) : stripe;

      cairo_move_to (cr, x, 0);
      cairo_line_to (cr, x + w, 0);
      cairo_line_to (cr, x + w, 135);
      cairo_curve_to (cr, x + w, 165, x, 165, x, 135);
      cairo_close_path (cr);
      fill_vertical (cr, 0, 165, darker (c, 0.25), c, FALSE);
    }
  soft_ellipse (cr, WIDTH / 2, 170, WIDTH * 0.6, 30, hex (0x000000), 0.5);

  /* two tiers of crates on a cloth-covered table */
  for (int tier = 0; tier < 2; tier++)
    {
      int n = 4;
      double top = tier == 0 ? 430 : 640, h = tier == 0 ? 80 : 110;
      double w = (WIDTH - 80) / (double) n;

      if (tier == 0)
        {
          cairo_rectangle (cr, 0, 500, WIDTH, 140);
          set_rgb (cr, hex (0x3a2a1e));
          cairo_fill (cr);
        }
      for (int i = 0; i < n; i++)
        draw_fruit_crate (s, 40 + i * w + 8, top, w - 16, h,
                          order[(tier * n + i) % FL_DEMO_N_FRUIT], baskets,
                          prices[order[(tier * n + i) % FL_DEMO_N_FRUIT]]);
    }
  cairo_rectangle (cr, 0, 760, WIDTH, HEIGHT - 760);
  fill_vertical (cr, 760, HEIGHT, baskets ? hex (0x7a3b2a) : hex (0x2f5d3a),
                 darker (baskets ? hex (0x7a3b2a) : hex (0x2f5d3a), 0.4), FALSE);
  for (double x = 0; x < WIDTH; x += 40)
    {
      cairo_move_to (cr, x, 760);
      cairo_curve_to (cr, x + 10, 800, x - 5, 830, x + 6, HEIGHT);
      cairo_set_line_width (cr, 6);
      set_rgba (cr, hex (0x000000), 0.12);
      cairo_stroke (cr);
    }
  soft_ellipse (cr, WIDTH / 2, 762, WIDTH * 0.6, 14, hex (0x000000), 0.5);
}

static void
draw_fruit_bowl (FlDemoScene *s)
{
  cairo_t *cr = s->cr;
  double cx = 600, rim = 520, rx = 300, ry = 70;
  FlDemoRgb glaze = hex (0x3f6f9e);
  static const FlDemoFruit heap[] = { FL_DEMO_ORANGE, FL_DEMO_APPLE,  FL_DEMO_ORANGE,
                                      FL_DEMO_PEAR,   FL_DEMO_APPLE,  FL_DEMO_GREEN_APPLE,
                                      FL_DEMO_LEMON,  FL_DEMO_ORANGE, FL_DEMO_APPLE };
  static const double heap_pos[][2] = { { -170, -40 }, { -60, -70 }, { 60, -72 },
                                        { 170, -60 },  { -200, 10 }, { -95, 0 },
                                        { 15, -5 },    { 125, 5 },   { 215, 15 } };

  /* wall with window light, table top with grain */
  cairo_rectangle (cr, 0, 0, WIDTH, 470);
  fill_vertical (cr, 0, 470, hex (0xd9cfbf), hex (0xb8ab96), FALSE);
  cairo_move_to (cr, 120, 0);
  cairo_line_to (cr, 520, 0);
  cairo_line_to (cr, 760, 470);
  cairo_line_to (cr, 300, 470);
  cairo_close_path (cr);
  cairo_set_source_rgba (cr, 1, 0.97, 0.88, 0.25);
  cairo_fill (cr);
  cairo_rectangle (cr, 0, 455, WIDTH, 15);
  set_rgb (cr, hex (0x8a7a66));
  cairo_fill (cr);
  wood_rect (s, 0, 470, WIDTH, HEIGHT - 470, hex (0x9a6a3c), FALSE);
  cairo_rectangle (cr, 0, 470, WIDTH, HEIGHT - 470);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (0, 470, 0, HEIGHT);

    cairo_pattern_add_color_stop_rgba (p, 0, 0, 0, 0, 0.25);
    cairo_pattern_add_color_stop_rgba (p, 1, 0, 0, 0, 0);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  /* shadow, inside of the bowl, the heap, then the front wall over the heap */
  soft_ellipse (cr, cx + 60, 700, rx * 1.1, 50, hex (0x000000), 0.45);
  cairo_save (cr);
  cairo_translate (cr, cx, rim);
  cairo_scale (cr, rx, ry);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  fill_vertical (cr, rim - ry, rim + ry, darker (hex (0xeae6dc), 0.35), hex (0xeae6dc), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (heap); i++)
    draw_fruit (s, heap[i], cx + heap_pos[i][0], rim + heap_pos[i][1], rnd (s, 52, 60),
                rnd (s, -0.5, 0.5), TRUE);
  cairo_move_to (cr, cx - rx, rim);
  cairo_save (cr);
  cairo_translate (cr, cx, rim);
  cairo_scale (cr, rx, ry);
  cairo_arc_negative (cr, 0, 0, 1, G_PI, 0);
  cairo_restore (cr);
  cairo_curve_to (cr, cx + rx, rim + 110, cx + 160, rim + 175, cx + 110, rim + 185);
  cairo_line_to (cr, cx - 110, rim + 185);
  cairo_curve_to (cr, cx - 160, rim + 175, cx - rx, rim + 110, cx - rx, rim);
  cairo_close_path (cr);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (cx - rx, 0, cx + rx, 0);

    stop (p, 0, darker (glaze, 0.3), 1);
    stop (p, 0.3, lighter (glaze, 0.35), 1);
    stop (p, 0.45, glaze, 1);
    stop (p, 1, darker (glaze, 0.55), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  cairo_save (cr);
  cairo_translate (cr, cx, rim);
  cairo_scale (cr, rx, ry);
  cairo_arc_negative (cr, 0, 0, 1, G_PI, 0);
  cairo_restore (cr);
  cairo_set_line_width (cr, 7);
  set_rgb (cr, hex (0xf2efe6));
  cairo_stroke (cr);
  soft_ellipse (cr, cx - 120, rim + 70, 60, 30, hex (0xffffff), 0.35);
  cairo_rectangle (cr, cx - 110, rim + 183, 220, 14);
  fill_vertical (cr, rim + 183, rim + 197, darker (glaze, 0.3), darker (glaze, 0.6), FALSE);

  /* bananas leaning on the rim, loose fruit on the table */
  draw_fruit (s, FL_DEMO_BANANA, cx + 250, rim + 30, 95, -0.35, TRUE);
  soft_ellipse (cr, cx - 410, rim + 250, 75, 12, hex (0x000000), 0.4);
  draw_fruit (s, FL_DEMO_LEMON, cx - 410, rim + 200, 58, 0.3, TRUE);
  soft_ellipse (cr, cx + 440, rim + 250, 80, 14, hex (0x000000), 0.4);
  draw_fruit (s, FL_DEMO_GRAPES, cx + 440, rim + 170, 80, 0.15, TRUE);
  soft_ellipse (cr, cx - 250, rim + 285, 70, 12, hex (0x000000), 0.4);
  draw_fruit (s, FL_DEMO_APPLE, cx - 250, rim + 235, 55, -0.2, TRUE);
}

/* ---- kitchen shelf ---------------------------------------------------------------------- */

static double
draw_jar (FlDemoScene *s, double x, double base, double w, double h)
{
  static const guint32 contents[] = { 0xe8c872, 0xf2efe4, 0x8a4a2a, 0xd98a2a, 0x5a3a22, 0xc8a050 };
  cairo_t *cr = s->cr;
  FlDemoRgb c = pick (s, contents, G_N_ELEMENTS (contents));
  double fill = rnd (s, 0.45, 0.9);

  rounded_rect (cr, x, base - h, w, h, w * 0.12);
  record_path_polygon (s, "jar");
  cairo_set_source_rgba (cr, 0.85, 0.92, 0.95, 0.25);
  cairo_fill (cr);
  cairo_save (cr);
  rounded_rect (cr, x + 3, base - h * fill, w - 6, h * fill - 3, w * 0.1);
  cairo_clip_preserve (cr);
  fill_vertical (cr, base - h, base, lighter (c, 0.1), darker (c, 0.25), FALSE);
  for (int i = 0; i < w * h * fill / 30; i++)
    {
      double gx = x + rnd (s, 0, w), gy = base - rnd (s, 0, h * fill);

      cairo_save (cr);
      cairo_translate (cr, gx, gy);
      cairo_rotate (cr, rnd (s, 0, G_PI));
      cairo_scale (cr, rnd (s, 2, 5), rnd (s, 1.5, 3));
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      set_rgba (cr, chance (s, 0.5) ? darker (c, 0.3) : lighter (c, 0.25), 0.6);
      cairo_fill (cr);
    }
  cairo_restore (cr);
  /* glass highlights */
  cairo_rectangle (cr, x + w * 0.12, base - h + 10, w * 0.07, h - 20);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.45);
  cairo_fill (cr);
  cairo_rectangle (cr, x + w * 0.8, base - h + 14, w * 0.04, h - 28);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.25);
  cairo_fill (cr);
  rounded_rect (cr, x, base - h, w, h, w * 0.12);
  cairo_set_line_width (cr, 1.5);
  cairo_set_source_rgba (cr, 0.5, 0.6, 0.62, 0.6);
  cairo_stroke (cr);
  /* lid */
  rounded_rect (cr, x + w * 0.06, base - h - 14, w * 0.88, 18, 4);
  {
    FlDemoRgb lid = chance (s, 0.5) ? hex (0xb02a2a) : hex (0xb8b8b8);

    fill_vertical (cr, base - h - 14, base - h + 4, lighter (lid, 0.3), darker (lid, 0.3), FALSE);
  }
  return w;
}

static double
draw_bottle (FlDemoScene *s, double x, double base, double w, double h)
{
  static const guint32 glass[] = { 0x1f4a2a, 0x6a3a12, 0x2a3a5a, 0xc8a030 };
  static const char *const names[] = { "OLIVE OIL", "VINEGAR", "SOY", "WINE", "SYRUP" };
  cairo_t *cr = s->cr;
  FlDemoRgb g = pick (s, glass, G_N_ELEMENTS (glass));
  double neck = w * 0.32, shoulder = base - h * 0.62;
  const char *name = names[rnd_int (s, 0, G_N_ELEMENTS (names))];
  cairo_text_extents_t ext;

  cairo_move_to (cr, x, base - 4);
  cairo_line_to (cr, x, shoulder);
  cairo_curve_to (cr, x, shoulder - h * 0.15, x + w / 2 - neck / 2, shoulder - h * 0.12,
                  x + w / 2 - neck / 2, shoulder - h * 0.25);
  cairo_line_to (cr, x + w / 2 - neck / 2, base - h);
  cairo_line_to (cr, x + w / 2 + neck / 2, base - h);
  cairo_line_to (cr, x + w / 2 + neck / 2, shoulder - h * 0.25);
  cairo_curve_to (cr, x + w / 2 + neck / 2, shoulder - h * 0.12, x + w, shoulder - h * 0.15, x + w,
                  shoulder);
  cairo_line_to (cr, x + w, base - 4);
  cairo_curve_to (cr, x + w, base, x, base, x, base - 4);
  cairo_close_path (cr);
  record_path_polygon (s, "bottle");
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (x, 0, x + w, 0);

    stop (p, 0, darker (g, 0.4), 0.95);
    stop (p, 0.25, lighter (g, 0.35), 0.95);
    stop (p, 0.4, g, 0.95);
    stop (p, 1, darker (g, 0.5), 0.95);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  cairo_rectangle (cr, x + w / 2 - neck / 2 - 1, base - h - 10, neck + 2, 14);
  set_rgb (cr, chance (s, 0.5) ? hex (0xd4af37) : hex (0x222222));
  cairo_fill (cr);
  cairo_rectangle (cr, x + 2, base - h * 0.5, w - 4, h * 0.28);
  set_rgb (cr, hex (0xf1e9d2));
  cairo_fill (cr);
  cairo_select_font_face (cr, "DejaVu Serif", CAIRO_FONT_SLANT_ITALIC, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, MIN (14, w * 0.2));
  cairo_text_extents (cr, name, &ext);
  cairo_move_to (cr, x + (w - ext.width) / 2 - ext.x_bearing, base - h * 0.34);
  cairo_set_source_rgb (cr, 0.3, 0.1, 0.1);
  cairo_show_text (cr, name);
  cairo_rectangle (cr, x + w * 0.18, shoulder - h * 0.1, w * 0.08, h * 0.55);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.3);
  cairo_fill (cr);
  return w;
}

static double
draw_can (FlDemoScene *s, double x, double base, double w, double h)
{
  static const guint32 labels[] = { 0xc0392b, 0x2e86c1, 0xf1c40f, 0x27ae60, 0xe67e22 };
  cairo_t *cr = s->cr;
  FlDemoRgb l = pick (s, labels, G_N_ELEMENTS (labels));
  cairo_pattern_t *p = cairo_pattern_create_linear (x, 0, x + w, 0);

  stop (p, 0, hex (0x6a6e72), 1);
  stop (p, 0.3, hex (0xe8eaec), 1);
  stop (p, 1, hex (0x55585c), 1);
  cairo_rectangle (cr, x, base - h, w, h);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_rectangle (cr, x, base - h * 0.85, w, h * 0.7);
  p = cairo_pattern_create_linear (x, 0, x + w, 0);
  stop (p, 0, darker (l, 0.45), 1);
  stop (p, 0.3, lighter (l, 0.25), 1);
  stop (p, 1, darker (l, 0.5), 1);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_arc (cr, x + w / 2, base - h / 2, w * 0.22, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.8);
  cairo_fill (cr);
  cairo_arc (cr, x + w / 2, base - h / 2, w * 0.14, 0, 2 * G_PI);
  set_rgb (cr, chance (s, 0.5) ? hex (0xd8281c) : hex (0x6a9a2a));
  cairo_fill (cr);
  return w;
}

static double
draw_mug (FlDemoScene *s, double x, double base, double w)
{
  static const guint32 glazes[] = { 0xf2efe8, 0x2a6f97, 0xd35d3a, 0x3a3a3a, 0xe6c84a };
  cairo_t *cr = s->cr;
  FlDemoRgb g = pick (s, glazes, G_N_ELEMENTS (glazes));
  double h = w * 1.05;

  cairo_arc (cr, x + w, base - h * 0.55, h * 0.25, -G_PI / 2, G_PI / 2);
  cairo_set_line_width (cr, w * 0.12);
  set_rgb (cr, darker (g, 0.15));
  cairo_stroke (cr);
  rounded_rect (cr, x, base - h, w, h, 6);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (x, 0, x + w, 0);

    stop (p, 0, darker (g, 0.3), 1);
    stop (p, 0.35, lighter (g, 0.3), 1);
    stop (p, 1, darker (g, 0.45), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  return w + h * 0.3;
}

static double
draw_books (FlDemoScene *s, double x, double base, double max_h)
{
  static const guint32 spines[] = { 0x7a1f2b, 0x1f3a5a, 0x2f5a3a, 0xc8a050, 0x4a2a5a, 0xd0cbb8 };
  cairo_t *cr = s->cr;
  int n = rnd_int (s, 3, 7);
  double cx = x;

  for (int i = 0; i < n; i++)
    {
      double w = rnd (s, 18, 34), h = max_h * rnd (s, 0.75, 0.98);
      FlDemoRgb c = pick (s, spines, G_N_ELEMENTS (spines));
      cairo_pattern_t *p = cairo_pattern_create_linear (cx, 0, cx + w, 0);

      stop (p, 0, darker (c, 0.3), 1);
      stop (p, 0.4, lighter (c, 0.15), 1);
      stop (p, 1, darker (c, 0.35), 1);
      cairo_rectangle (cr, cx, base - h, w, h);
      cairo_set_source (cr, p);
      cairo_fill (cr);
      cairo_pattern_destroy (p);
      cairo_rectangle (cr, cx, base - h + 12, w, 4);
      cairo_rectangle (cr, cx, base - 22, w, 4);
      cairo_set_source_rgba (cr, 0.9, 0.8, 0.4, 0.7);
      cairo_fill (cr);
      cx += w + 1;
    }
  return cx - x;
}

static double
draw_plant (FlDemoScene *s, double x, double base, double w)
{
  cairo_t *cr = s->cr;
  double h = w * 0.8;

  for (int i = 0; i < 14; i++)
    {
      double a = rnd (s, -G_PI * 0.95, -G_PI * 0.05), len = rnd (s, 0.8, 1.5) * w;

      cairo_save (cr);
      cairo_translate (cr, x + w / 2, base - h);
      cairo_rotate (cr, a);
      cairo_move_to (cr, 0, 0);
      cairo_curve_to (cr, len * 0.3, -len * 0.18, len * 0.7, -len * 0.15, len, 0);
      cairo_curve_to (cr, len * 0.7, len * 0.15, len * 0.3, len * 0.18, 0, 0);
      fill_vertical (cr, -len * 0.2, len * 0.2, hex (0x6aaa4a), hex (0x2a5a22), FALSE);
      cairo_restore (cr);
    }
  cairo_move_to (cr, x, base - h);
  cairo_line_to (cr, x + w, base - h);
  cairo_line_to (cr, x + w * 0.85, base);
  cairo_line_to (cr, x + w * 0.15, base);
  cairo_close_path (cr);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (x, 0, x + w, 0);

    stop (p, 0, hex (0x8a3f22), 1);
    stop (p, 0.35, hex (0xd9784a), 1);
    stop (p, 1, hex (0x7a3520), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  cairo_rectangle (cr, x - 4, base - h, w + 8, 12);
  set_rgb (cr, hex (0xc0603a));
  cairo_fill (cr);
  return w;
}

static double
draw_basket_of_fruit (FlDemoScene *s, double x, double base, double w)
{
  FlDemoFruit kinds[] = { FL_DEMO_LEMON, FL_DEMO_APPLE, FL_DEMO_ORANGE, FL_DEMO_GREEN_APPLE };
  double r = w * 0.13;

  for (int row = 0; row < 2; row++)
    for (int i = 0; i < 3 + row; i++)
      draw_fruit (s, kinds[rnd_int (s, 0, G_N_ELEMENTS (kinds))],
                  x + w * (0.18 + i * 0.64 / (2 + row)) + (row ? 0 : w * 0.1),
                  base - w * 0.42 - (1 - row) * r * 0.9, r * rnd (s, 0.92, 1.08),
                  rnd (s, -0.5, 0.5), row == 1);
  {
    cairo_t *cr = s->cr;
    double top = base - w * 0.42, h = w * 0.42;

    cairo_move_to (cr, x, top);
    cairo_line_to (cr, x + w, top);
    cairo_line_to (cr, x + w * 0.9, base);
    cairo_line_to (cr, x + w * 0.1, base);
    cairo_close_path (cr);
    fill_vertical (cr, top, base, hex (0xc09a5a), hex (0x7a5a2a), TRUE);
    cairo_save (cr);
    cairo_clip (cr);
    cairo_set_line_width (cr, 2);
    for (double yy = top; yy < top + h; yy += 8)
      {
        cairo_move_to (cr, x, yy);
        cairo_line_to (cr, x + w, yy);
      }
    for (double xx = x; xx < x + w; xx += 12)
      {
        cairo_move_to (cr, xx, top);
        cairo_line_to (cr, xx + 2, base);
      }
    cairo_set_source_rgba (cr, 0.35, 0.22, 0.1, 0.45);
    cairo_stroke (cr);
    cairo_restore (cr);
    cairo_new_path (cr);
  }
  return w;
}

static void
draw_kitchen_shelf (FlDemoScene *s, gboolean dark_wall)
{
  cairo_t *cr = s->cr;
  FlDemoRgb tile = dark_wall ? hex (0x2f4f4f) : hex (0xeeeae2);
  static const double shelves[] = { 290, 560, 830 };

  /* subway tiles */
  cairo_rectangle (cr, 0, 0, WIDTH, HEIGHT);
  set_rgb (cr, darker (tile, 0.25));
  cairo_fill (cr);
  for (int row = 0; row * 42 < HEIGHT; row++)
    for (double x = (row % 2) * -42; x < WIDTH; x += 84)
      {
        rounded_rect (cr, x + 1.5, row * 42 + 1.5, 81, 39, 3);
        fill_vertical (cr, row * 42, row * 42 + 42, lighter (tile, 0.12),
                       darker (tile, rnd (s, 0.0, 0.08)), FALSE);
      }
  soft_ellipse (cr, 300, 100, 700, 500, hex (0xfff4dc), 0.2);

  for (guint sh = 0; sh < G_N_ELEMENTS (shelves); sh++)
    {
      double base = shelves[sh], x = rnd (s, 30, 70);
      double space = sh == 0 ? 230 : 240;

      /* shadow on the wall and the brackets */
      soft_ellipse (cr, WIDTH / 2, base + 30, WIDTH * 0.7, 30, hex (0x000000), 0.35);
      for (int b = 0; b < 2; b++)
        {
          double bx = b ? WIDTH - 200 : 180;

          cairo_move_to (cr, bx, base + 20);
          cairo_line_to (cr, bx + 14, base + 20);
          cairo_line_to (cr, bx + 14, base + 70);
          cairo_close_path (cr);
          set_rgb (cr, hex (0x2a2a2a));
          cairo_fill (cr);
        }
      while (x < WIDTH - 120)
        {
          int what = rnd_int (s, 0, 8);
          double used;

          switch (what)
            {
              case 0:
              case 1:
                used = draw_jar (s, x, base, rnd (s, 70, 110), rnd (s, 110, MIN (190, space - 30)));
                break;
              case 2:
                used = draw_bottle (s, x, base, rnd (s, 55, 75), rnd (s, 170, space - 10));
                break;
              case 3:
                used = draw_can (s, x, base, rnd (s, 55, 75), rnd (s, 80, 110));
                break;
              case 4:
                used = draw_mug (s, x, base, rnd (s, 60, 80));
                break;
              case 5:
                used = draw_books (s, x, base, space - 20);
                break;
              case 6:
                used = draw_plant (s, x, base, rnd (s, 80, 110));
                break;
              case 7:
              default:
                used = draw_basket_of_fruit (s, x, base, rnd (s, 170, 220));
                break;
            }
          x += used + rnd (s, 12, 40);
        }
      /* the board itself, in front of everything standing on it */
      cairo_rectangle (cr, 0, base, WIDTH, 8);
      set_rgb (cr, hex (0xc89a64));
      cairo_fill (cr);
      wood_rect (s, 0, base + 6, WIDTH, 22, hex (0xa8743e), FALSE);
    }
}

/* ---- faces ------------------------------------------------------------------------------ */

typedef struct
{
  FlDemoRgb skin, hair, eyes, shirt;
  int hair_style; /* 0 short, 1 long, 2 curly, 3 bun, 4 shaved */
  gboolean glasses, beard, smile_open;
  double tilt, gaze;
} FlDemoFace;

static void
face_outline (cairo_t *cr)
{
  cairo_move_to (cr, 0, -1.35);
  cairo_curve_to (cr, 0.75, -1.35, 1.02, -0.9, 1.02, -0.2);
  cairo_curve_to (cr, 1.0, 0.5, 0.75, 1.02, 0.38, 1.2);
  cairo_curve_to (cr, 0.2, 1.32, -0.2, 1.32, -0.38, 1.2);
  cairo_curve_to (cr, -0.75, 1.02, -1.0, 0.5, -1.02, -0.2);
  cairo_curve_to (cr, -1.02, -0.9, -0.75, -1.35, 0, -1.35);
  cairo_close_path (cr);
}

static void
draw_eye (FlDemoScene *s, const FlDemoFace *f, double ex, double ey)
{
  cairo_t *cr = s->cr;
  cairo_pattern_t *p;

  soft_ellipse (cr, ex, ey - 0.08, 0.32, 0.16, darker (f->skin, 0.5), 0.25);
  cairo_move_to (cr, ex - 0.22, ey);
  cairo_curve_to (cr, ex - 0.1, ey - 0.14, ex + 0.1, ey - 0.14, ex + 0.22, ey - 0.01);
  cairo_curve_to (cr, ex + 0.1, ey + 0.1, ex - 0.1, ey + 0.1, ex - 0.22, ey);
  cairo_close_path (cr);
  cairo_save (cr);
  cairo_clip_preserve (cr);
  cairo_set_source_rgb (cr, 0.95, 0.93, 0.9);
  cairo_fill (cr);
  cairo_arc (cr, ex + f->gaze, ey - 0.01, 0.1, 0, 2 * G_PI);
  p = cairo_pattern_create_radial (ex + f->gaze, ey - 0.01, 0.02, ex + f->gaze, ey - 0.01, 0.1);
  stop (p, 0, lighter (f->eyes, 0.3), 1);
  stop (p, 0.8, f->eyes, 1);
  stop (p, 1, darker (f->eyes, 0.6), 1);
  cairo_set_source (cr, p);
  cairo_fill (cr);
  cairo_pattern_destroy (p);
  cairo_arc (cr, ex + f->gaze, ey - 0.01, 0.045, 0, 2 * G_PI);
  cairo_set_source_rgb (cr, 0.05, 0.04, 0.04);
  cairo_fill (cr);
  cairo_arc (cr, ex + f->gaze - 0.035, ey - 0.045, 0.022, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_fill (cr);
  /* upper lid shadow on the eyeball */
  cairo_rectangle (cr, ex - 0.25, ey - 0.15, 0.5, 0.06);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.2);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_move_to (cr, ex - 0.23, ey + 0.005);
  cairo_curve_to (cr, ex - 0.1, ey - 0.15, ex + 0.1, ey - 0.15, ex + 0.23, ey - 0.02);
  cairo_set_line_width (cr, 0.035);
  cairo_set_source_rgba (cr, 0.12, 0.08, 0.07, 0.9);
  cairo_stroke (cr);
  cairo_move_to (cr, ex - 0.2, ey - 0.1);
  cairo_curve_to (cr, ex - 0.08, ey - 0.22, ex + 0.1, ey - 0.22, ex + 0.22, ey - 0.1);
  cairo_set_line_width (cr, 0.015);
  set_rgba (cr, darker (f->skin, 0.4), 0.6);
  cairo_stroke (cr);
}

static void
draw_face (FlDemoScene *s, double cx, double cy, double a, const FlDemoFace *f)
{
  cairo_t *cr = s->cr;
  FlDemoRgb shade = darker (f->skin, 0.3);
  FlDemoRgb lips = mix (darker (f->skin, 0.25), hex (0xb0404a), 0.45);
  double mouth_y = 0.64, corner_y = f->smile_open ? 0.57 : 0.6;

  cairo_save (cr);
  cairo_translate (cr, cx, cy);
  cairo_scale (cr, a, a);

  if (f->hair_style == 1)
    {
      cairo_save (cr);
      cairo_rotate (cr, f->tilt);
      cairo_scale (cr, 0.9, 1);
      cairo_move_to (cr, -1.2, -0.5);
      cairo_curve_to (cr, -1.45, 0.4, -1.5, 1.5, -1.35, 2.2);
      cairo_curve_to (cr, -0.6, 2.35, 0.6, 2.35, 1.35, 2.2);
      cairo_curve_to (cr, 1.5, 1.5, 1.45, 0.4, 1.2, -0.5);
      cairo_curve_to (cr, 1.2, -1.6, -1.2, -1.6, -1.2, -0.5);
      cairo_close_path (cr);
      fill_vertical (cr, -1.6, 2.3, lighter (f->hair, 0.1), darker (f->hair, 0.3), FALSE);
      cairo_restore (cr);
    }

  /* shoulders and neck do not tilt with the head */
  cairo_move_to (cr, -0.55, 1.55);
  cairo_curve_to (cr, -1.4, 1.85, -2.6, 1.9, -2.9, 2.6);
  cairo_line_to (cr, -3.3, 6);
  cairo_line_to (cr, 3.3, 6);
  cairo_line_to (cr, 2.9, 2.6);
  cairo_curve_to (cr, 2.6, 1.9, 1.4, 1.85, 0.55, 1.55);
  cairo_close_path (cr);
  {
    cairo_pattern_t *p = cairo_pattern_create_linear (-3, 0, 3, 0);

    stop (p, 0, lighter (f->shirt, 0.15), 1);
    stop (p, 0.6, f->shirt, 1);
    stop (p, 1, darker (f->shirt, 0.4), 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  cairo_move_to (cr, -0.46, 0.7);
  cairo_line_to (cr, -0.5, 1.7);
  cairo_line_to (cr, 0, 2.2);
  cairo_line_to (cr, 0.5, 1.7);
  cairo_line_to (cr, 0.46, 0.7);
  cairo_close_path (cr);
  fill_vertical (cr, 0.7, 2.2, darker (f->skin, 0.25), darker (f->skin, 0.08), FALSE);
  cairo_move_to (cr, -0.6, 1.62);
  cairo_line_to (cr, 0, 2.25);
  cairo_line_to (cr, 0.6, 1.62);
  cairo_set_line_width (cr, 0.12);
  set_rgb (cr, darker (f->shirt, 0.2));
  cairo_stroke (cr);

  cairo_rotate (cr, f->tilt);
  cairo_scale (cr, 0.9, 1);
  soft_ellipse (cr, 0, 1.2, 0.8, 0.3, hex (0x000000), 0.3);
  for (int side = -1; side <= 1; side += 2)
    {
      cairo_save (cr);
      cairo_translate (cr, side * 0.99, 0.05);
      cairo_scale (cr, 0.17, 0.3);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      fill_ball (cr, side * 0.99, 0.05, 0.3, darker (f->skin, 0.08), FALSE);
    }
  face_outline (cr);
  {
    cairo_pattern_t *p = cairo_pattern_create_radial (-0.25, -0.35, 0.1, 0, 0.05, 1.4);

    stop (p, 0, lighter (f->skin, 0.18), 1);
    stop (p, 0.55, f->skin, 1);
    stop (p, 0.85, darker (f->skin, 0.15), 1);
    stop (p, 1, shade, 1);
    cairo_set_source (cr, p);
    cairo_fill (cr);
    cairo_pattern_destroy (p);
  }
  soft_ellipse (cr, -0.55, 0.4, 0.3, 0.2, hex (0xd04a4a), 0.12);
  soft_ellipse (cr, 0.55, 0.4, 0.3, 0.2, hex (0xd04a4a), 0.12);
  if (f->beard)
    {
      cairo_save (cr);
      face_outline (cr);
      cairo_clip (cr);
      cairo_move_to (cr, -1.1, 0.3);
      cairo_curve_to (cr, -0.6, 0.55, -0.3, 0.42, 0, 0.45);
      cairo_curve_to (cr, 0.3, 0.42, 0.6, 0.55, 1.1, 0.3);
      cairo_line_to (cr, 1.1, 1.5);
      cairo_line_to (cr, -1.1, 1.5);
      cairo_close_path (cr);
      set_rgba (cr, f->hair, 0.55);
      cairo_fill (cr);
      for (int i = 0; i < 500; i++)
        {
          cairo_rectangle (cr, rnd (s, -1, 1), rnd (s, 0.45, 1.3), 0.012, 0.03);
          set_rgba (cr, darker (f->hair, 0.3), 0.5);
          cairo_fill (cr);
        }
      cairo_restore (cr);
    }

  draw_eye (s, f, -0.4, -0.1);
  draw_eye (s, f, 0.4, -0.1);
  for (int side = -1; side <= 1; side += 2)
    {
      cairo_move_to (cr, side * 0.15, -0.34);
      cairo_curve_to (cr, side * 0.3, -0.46, side * 0.5, -0.47, side * 0.66, -0.36);
      cairo_set_line_width (cr, 0.075);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      set_rgba (cr, darker (f->hair, 0.1), 0.9);
      cairo_stroke (cr);
    }
  /* nose: bridge shading, tip, nostrils */
  cairo_move_to (cr, 0.1, -0.12);
  cairo_curve_to (cr, 0.12, 0.05, 0.2, 0.18, 0.17, 0.3);
  cairo_set_line_width (cr, 0.05);
  set_rgba (cr, shade, 0.35);
  cairo_stroke (cr);
  soft_ellipse (cr, 0, 0.45, 0.28, 0.07, darker (f->skin, 0.5), 0.3);
  soft_ellipse (cr, -0.03, 0.24, 0.1, 0.08, hex (0xffffff), 0.25);
  for (int side = -1; side <= 1; side += 2)
    {
      cairo_save (cr);
      cairo_translate (cr, side * 0.085, 0.35);
      cairo_scale (cr, 0.05, 0.025);
      cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
      cairo_restore (cr);
      set_rgba (cr, darker (f->skin, 0.65), 0.7);
      cairo_fill (cr);
      cairo_arc (cr, side * 0.12, 0.3, 0.07, side > 0 ? -G_PI / 2 : G_PI / 2,
                 side > 0 ? G_PI / 2 : 3 * G_PI / 2);
      cairo_set_line_width (cr, 0.02);
      set_rgba (cr, shade, 0.5);
      cairo_stroke (cr);
    }
  /* mouth */
  if (f->smile_open)
    {
      cairo_move_to (cr, -0.28, corner_y);
      cairo_curve_to (cr, -0.12, mouth_y + 0.02, 0.12, mouth_y + 0.02, 0.28, corner_y);
      cairo_curve_to (cr, 0.15, mouth_y + 0.14, -0.15, mouth_y + 0.14, -0.28, corner_y);
      cairo_close_path (cr);
      cairo_set_source_rgb (cr, 0.35, 0.1, 0.1);
      cairo_fill (cr);
      cairo_move_to (cr, -0.24, corner_y + 0.02);
      cairo_curve_to (cr, -0.1, mouth_y + 0.03, 0.1, mouth_y + 0.03, 0.24, corner_y + 0.02);
      cairo_curve_to (cr, 0.1, mouth_y + 0.07, -0.1, mouth_y + 0.07, -0.24, corner_y + 0.02);
      cairo_set_source_rgb (cr, 0.96, 0.94, 0.9);
      cairo_fill (cr);
    }
  cairo_move_to (cr, -0.28, corner_y);
  cairo_curve_to (cr, -0.18, mouth_y - 0.09, -0.06, mouth_y - 0.08, 0, mouth_y - 0.05);
  cairo_curve_to (cr, 0.06, mouth_y - 0.08, 0.18, mouth_y - 0.09, 0.28, corner_y);
  cairo_curve_to (cr, 0.12, mouth_y + 0.01, -0.12, mouth_y + 0.01, -0.28, corner_y);
  cairo_close_path (cr);
  fill_vertical (cr, mouth_y - 0.1, mouth_y, darker (lips, 0.1), lips, FALSE);
  cairo_move_to (cr, -0.26, corner_y + 0.01);
  cairo_curve_to (cr, -0.15, mouth_y + (f->smile_open ? 0.14 : 0.16), 0.15,
                  mouth_y + (f->smile_open ? 0.14 : 0.16), 0.26, corner_y + 0.01);
  cairo_curve_to (cr, 0.12, mouth_y + 0.04, -0.12, mouth_y + 0.04, -0.26, corner_y + 0.01);
  cairo_close_path (cr);
  fill_vertical (cr, mouth_y, mouth_y + 0.16, lighter (lips, 0.1), darker (lips, 0.1), FALSE);
  soft_ellipse (cr, 0.02, mouth_y + 0.08, 0.08, 0.03, hex (0xffffff), 0.3);
  cairo_move_to (cr, -0.28, corner_y);
  cairo_curve_to (cr, -0.12, mouth_y + 0.01, 0.12, mouth_y + 0.01, 0.28, corner_y);
  cairo_set_line_width (cr, 0.022);
  set_rgba (cr, darker (lips, 0.6), 0.8);
  cairo_stroke (cr);

  /* hair in front */
  if (f->hair_style != 4)
    {
      cairo_move_to (cr, -1.06, -0.1);
      cairo_curve_to (cr, -1.2, -1.1, -0.6, -1.58, 0.05, -1.58);
      cairo_curve_to (cr, 0.7, -1.58, 1.2, -1.1, 1.06, -0.1);
      cairo_curve_to (cr, 0.98, -0.5, 0.9, -0.8, 0.7, -0.92);
      cairo_curve_to (cr, 0.3, -0.78, -0.3, -1.05, -0.75, -0.85);
      cairo_curve_to (cr, -0.92, -0.7, -1.0, -0.4, -1.06, -0.1);
      cairo_close_path (cr);
      fill_vertical (cr, -1.6, -0.1, lighter (f->hair, 0.12), darker (f->hair, 0.2), TRUE);
      cairo_save (cr);
      cairo_clip (cr);
      cairo_set_line_width (cr, 0.012);
      for (int i = 0; i < 60; i++)
        {
          double x0 = rnd (s, -1.0, 1.0);

          cairo_move_to (cr, x0 * 0.3, -1.6);
          cairo_curve_to (cr, x0 * 0.8, -1.3, x0 * 1.05, -0.9, x0 * 1.1, -0.3);
          set_rgba (cr, lighter (f->hair, 0.3), 0.3);
          cairo_stroke (cr);
        }
      cairo_restore (cr);
      cairo_new_path (cr);
    }
  else
    {
      cairo_save (cr);
      face_outline (cr);
      cairo_clip (cr);
      /* stubble up to a rounded hairline */
      cairo_move_to (cr, -1.1, -0.55);
      cairo_curve_to (cr, -0.9, -0.8, -0.5, -0.95, 0, -0.93);
      cairo_curve_to (cr, 0.5, -0.95, 0.9, -0.8, 1.1, -0.55);
      cairo_line_to (cr, 1.1, -1.5);
      cairo_line_to (cr, -1.1, -1.5);
      cairo_close_path (cr);
      set_rgba (cr, f->hair, 0.55);
      cairo_fill (cr);
      for (int i = 0; i < 700; i++)
        {
          cairo_rectangle (cr, rnd (s, -1.1, 1.1), rnd (s, -1.45, -0.8), 0.012, 0.012);
          set_rgba (cr, darker (f->hair, 0.4), 0.5);
          cairo_fill (cr);
        }
      cairo_restore (cr);
    }
  if (f->hair_style == 2)
    for (int i = 0; i < 150; i++)
      {
        /* curls fill the crown and spill a little past the hairline */
        double t = rnd (s, G_PI * 0.93, G_PI * 2.07), rr = sqrt (rnd (s, 0.05, 1.0)) * 1.38;
        double x = cos (t) * rr * 0.95, y = -0.4 + sin (t) * rr * 0.9, r = rnd (s, 0.1, 0.17);
        cairo_pattern_t *p;

        if (y > -0.75 && fabs (x) < 0.85)
          continue;
        cairo_arc (cr, x, y, r, 0, 2 * G_PI);
        p = cairo_pattern_create_radial (x - r * 0.3, y - r * 0.4, r * 0.1, x, y, r);
        stop (p, 0, lighter (f->hair, 0.22), 1);
        stop (p, 0.6, f->hair, 1);
        stop (p, 1, darker (f->hair, 0.45), 1);
        cairo_set_source (cr, p);
        cairo_fill (cr);
        cairo_pattern_destroy (p);
      }
  if (f->hair_style == 3)
    {
      cairo_arc (cr, 0.1, -1.7, 0.38, 0, 2 * G_PI);
      fill_ball (cr, 0.1, -1.7, 0.38, f->hair, FALSE);
    }
  if (f->glasses)
    {
      for (int side = -1; side <= 1; side += 2)
        {
          rounded_rect (cr, side * 0.4 - 0.27, -0.27, 0.54, 0.36, 0.1);
          cairo_set_source_rgba (cr, 0.8, 0.9, 1.0, 0.1);
          cairo_fill_preserve (cr);
          cairo_set_line_width (cr, 0.045);
          cairo_set_source_rgb (cr, 0.12, 0.1, 0.1);
          cairo_stroke (cr);
          cairo_move_to (cr, side * 0.67, -0.18);
          cairo_line_to (cr, side * 1.0, -0.12);
          cairo_stroke (cr);
          cairo_move_to (cr, side * 0.4 - 0.18, -0.22);
          cairo_line_to (cr, side * 0.4 - 0.08, -0.22);
          cairo_line_to (cr, side * 0.4 - 0.2, 0.05);
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, 1, 1, 1, 0.2);
          cairo_fill (cr);
        }
      cairo_move_to (cr, -0.13, -0.16);
      cairo_curve_to (cr, -0.05, -0.22, 0.05, -0.22, 0.13, -0.16);
      cairo_set_line_width (cr, 0.04);
      cairo_set_source_rgb (cr, 0.12, 0.1, 0.1);
      cairo_stroke (cr);
    }

  if (f->glasses)
    add_tag (s, "glasses");
  if (f->beard)
    add_tag (s, "beard");
  /* the person's left is on the viewer's right */
  record_point (s, "left eye", 0.4 + f->gaze, -0.11);
  record_point (s, "right eye", -0.4 + f->gaze, -0.11);
  record_point (s, "nose tip", 0, 0.28);
  record_point (s, "mouth left", 0.28, corner_y);
  record_point (s, "mouth right", -0.28, corner_y);
  cairo_restore (cr);
}

static void
random_face (FlDemoScene *s, FlDemoFace *f)
{
  static const guint32 iris[] = { 0x5a3a1e, 0x3a6a9a, 0x4a7a4a, 0x7a5a2a, 0x2a1a10 };

  f->skin = pick (s, skin_tones, G_N_ELEMENTS (skin_tones));
  f->hair = pick (s, hair_colours, G_N_ELEMENTS (hair_colours));
  f->eyes = pick (s, iris, G_N_ELEMENTS (iris));
  f->shirt = pick (s, clothes, G_N_ELEMENTS (clothes));
  f->hair_style = rnd_int (s, 0, 5);
  f->glasses = chance (s, 0.3);
  f->beard = f->hair_style != 1 && f->hair_style != 3 && chance (s, 0.35);
  f->smile_open = chance (s, 0.5);
  f->tilt = rnd (s, -0.12, 0.12);
  f->gaze = rnd (s, -0.04, 0.04);
}

static void
draw_bokeh (FlDemoScene *s, FlDemoRgb top, FlDemoRgb bottom, const guint32 *lights, int n)
{
  cairo_t *cr = s->cr;

  cairo_rectangle (cr, 0, 0, WIDTH, HEIGHT);
  fill_vertical (cr, 0, HEIGHT, top, bottom, FALSE);
  for (int i = 0; i < 60; i++)
    soft_ellipse (cr, rnd (s, 0, WIDTH), rnd (s, 0, HEIGHT), rnd (s, 80, 260), rnd (s, 80, 260),
                  pick (s, lights, n), rnd (s, 0.1, 0.35));
  for (int i = 0; i < 40; i++)
    {
      double r = rnd (s, 12, 40);

      cairo_arc (cr, rnd (s, 0, WIDTH), rnd (s, 0, HEIGHT * 0.7), r, 0, 2 * G_PI);
      set_rgba (cr, lighter (pick (s, lights, n), 0.4), rnd (s, 0.08, 0.22));
      cairo_fill (cr);
    }
}

static void
draw_faces (FlDemoScene *s, int people, int background)
{
  static const guint32 city[] = { 0xffb347, 0xff6f61, 0xfff1c1, 0x6fa8dc, 0xf6d365 };
  static const guint32 park[] = { 0x8fc16a, 0x4f8a3a, 0xdfe8a0, 0xfff6d0, 0x2f6a3a };
  static const guint32 office[] = { 0xe8e2d6, 0xc9d6e3, 0xfffaf0, 0xb0a690 };
  FlDemoFace faces[4];

  if (background == 0)
    draw_bokeh (s, hex (0x1e2438), hex (0x3a2a3a), city, G_N_ELEMENTS (city));
  else if (background == 1)
    draw_bokeh (s, hex (0x9fc48a), hex (0x3f6a3a), park, G_N_ELEMENTS (park));
  else
    draw_bokeh (s, hex (0xcfc6b6), hex (0x8a8273), office, G_N_ELEMENTS (office));

  for (int i = 0, style = rnd_int (s, 0, 5); i < people; i++)
    {
      random_face (s, &faces[i]);
      faces[i].hair_style = (style + 2 * i) % 5;
      faces[i].beard = faces[i].beard && faces[i].hair_style != 1 && faces[i].hair_style != 3;
    }
  if (people == 1)
    {
      faces[0].tilt = 0.06;
      draw_face (s, WIDTH * 0.5, HEIGHT * 0.44, 150, &faces[0]);
    }
  else
    for (int i = 0; i < people; i++)
      {
        /* back row first, so nearer people overlap them */
        int order = i;
        double x = WIDTH * (order + 0.5) / people + rnd (s, -30, 30);
        double a = (people > 2 ? 92 : 118) * rnd (s, 0.92, 1.06);
        double y = HEIGHT * (people > 2 ? 0.42 : 0.45) + (order % 2 ? 40 : -10);

        draw_face (s, x, y, a, &faces[i]);
      }
}

/* ---- main ------------------------------------------------------------------------------- */

typedef enum
{
  FL_DEMO_SCENE_STREET,
  FL_DEMO_SCENE_STALL,
  FL_DEMO_SCENE_BOWL,
  FL_DEMO_SCENE_SHELF,
  FL_DEMO_SCENE_FACES,
} FlDemoSceneKind;

typedef struct
{
  const char *file;
  FlDemoSceneKind kind;
  guint32 seed;
  int a, b, c, d;
} FlDemoPicture;

static const FlDemoPicture pictures[] = {
  { "street-01.jpg", FL_DEMO_SCENE_STREET, 11, FL_DEMO_DAY, 4, 5, 1 },
  { "street-02.jpg", FL_DEMO_SCENE_STREET, 23, FL_DEMO_DAY, 5, 8, 2 },
  { "street-03.jpg", FL_DEMO_SCENE_STREET, 37, FL_DEMO_NIGHT, 4, 4, 1 },
  { "street-04.jpg", FL_DEMO_SCENE_STREET, 41, FL_DEMO_RAIN, 4, 6, 1 },
  { "street-05.png", FL_DEMO_SCENE_STREET, 59, FL_DEMO_DUSK, 5, 6, 2 },
  { "fruit-01.jpg", FL_DEMO_SCENE_STALL, 61, 0, 0, 0, 0 },
  { "fruit-02.jpg", FL_DEMO_SCENE_BOWL, 71, 0, 0, 0, 0 },
  { "fruit-03.jpg", FL_DEMO_SCENE_STALL, 83, 1, 0, 0, 0 },
  { "shelf-01.jpg", FL_DEMO_SCENE_SHELF, 97, 0, 0, 0, 0 },
  { "shelf-02.jpg", FL_DEMO_SCENE_SHELF, 101, 1, 0, 0, 0 },
  { "faces-01.jpg", FL_DEMO_SCENE_FACES, 113, 1, 0, 0, 0 },
  { "faces-02.png", FL_DEMO_SCENE_FACES, 127, 3, 2, 0, 0 },
  { "faces-03.jpg", FL_DEMO_SCENE_FACES, 131, 2, 1, 0, 0 },
};

static gboolean
make_picture (const FlDemoPicture *pic, const char *outdir, JsonObject *annotations, GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, WIDTH, HEIGHT);
  g_autofree char *path = g_build_filename (outdir, pic->file, NULL);
  g_autofree char *key = g_strconcat ("images/", pic->file, NULL);
  FlDemoScene s = { 0 };
  gboolean ok;

  s.cr = cairo_create (surface);
  s.rand = g_rand_new_with_seed (pic->seed);
  s.shapes = g_ptr_array_new_with_free_func (shape_free);
  s.lights = g_array_new (FALSE, FALSE, sizeof (FlDemoLight));
  s.tags = g_ptr_array_new_with_free_func (g_free);

  switch (pic->kind)
    {
      case FL_DEMO_SCENE_STREET:
        draw_street (&s, pic->a, pic->b, pic->c, pic->d);
        break;
      case FL_DEMO_SCENE_STALL:
        draw_market_stall (&s, pic->a);
        break;
      case FL_DEMO_SCENE_BOWL:
        draw_fruit_bowl (&s);
        break;
      case FL_DEMO_SCENE_SHELF:
        draw_kitchen_shelf (&s, pic->a);
        break;
      case FL_DEMO_SCENE_FACES:
        draw_faces (&s, pic->a, pic->b);
        break;
      default:
        g_assert_not_reached ();
    }
  film_look (surface, s.rand, pic->kind == FL_DEMO_SCENE_STREET ? 9 : 6, 0.35);
  json_object_set_member (annotations, key, scene_result (&s));
  ok = save_surface (surface, path, error);

  cairo_destroy (s.cr);
  cairo_surface_destroy (surface);
  g_rand_free (s.rand);
  g_ptr_array_unref (s.shapes);
  g_array_unref (s.lights);
  g_ptr_array_unref (s.tags);
  return ok;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) annotations = json_object_new ();
  g_autoptr (JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autofree char *annotations_path = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s OUTPUT-FOLDER\n", argv[0]);
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    {
      g_printerr ("Cannot create %s: %s\n", argv[1], g_strerror (errno));
      return 1;
    }
  for (guint i = 0; i < G_N_ELEMENTS (pictures); i++)
    if (!make_picture (&pictures[i], argv[1], annotations, &error))
      {
        g_printerr ("Cannot write %s: %s\n", pictures[i].file, error->message);
        return 1;
      }

  json_node_set_object (root, annotations);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  annotations_path = g_build_filename (argv[1], "annotations.json", NULL);
  if (!json_generator_to_file (generator, annotations_path, &error))
    {
      g_printerr ("Cannot write %s: %s\n", annotations_path, error->message);
      return 1;
    }
  return 0;
}
