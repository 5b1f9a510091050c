/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormat"

#include "config.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>

#include "fl-format-private.h"

/* What the readers and writers of every format share: writing numbers,
 * strings and files; finding, checking and measuring the media of an import;
 * building and checking result JSON. */

/* Writing */

gboolean
fl_format_write_file (FlExportContext *ctx, const char *relative, GString *contents, GError **error)
{
  g_autofree char *path = g_build_filename (ctx->out_dir, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }
  return g_file_set_contents_full (path, contents->str, contents->len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
fl_format_copy_assets (FlExportContext *ctx, const char *subdir, GError **error)
{
  g_autofree char *dir = g_build_filename (ctx->out_dir, subdir, NULL);

  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), _ ("Cannot create %s: %s"),
                   dir, g_strerror (saved));
      return FALSE;
    }

  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      g_autofree char *dest = NULL;
      g_autoptr (GFile) src_file = NULL;
      g_autoptr (GFile) dest_file = NULL;

      if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
        return FALSE;
      if (item->asset_path == NULL)
        continue;
      dest = g_build_filename (dir, ctx->names[i], NULL);
      if (g_file_test (dest, G_FILE_TEST_EXISTS))
        g_unlink (dest);
      /* A copy, not a hard link: a tool that edits the exported file in place
       * must not change the server's stored blob. */
      src_file = g_file_new_for_path (item->asset_path);
      dest_file = g_file_new_for_path (dest);
      if (!g_file_copy (src_file, dest_file, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
        {
          g_prefix_error (error, _ ("Asset of task %s: "), item->task_id ? item->task_id : "?");
          return FALSE;
        }
    }
  return TRUE;
}

void
fl_format_append_number (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    value = 0;
  if (value == floor (value) && fabs (value) < 1e15)
    {
      g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) value);
      return;
    }
  for (int precision = 6; precision <= 17; precision++)
    {
      static const char *const fmts[] = { "%.6g",  "%.7g",  "%.8g",  "%.9g",  "%.10g", "%.11g",
                                          "%.12g", "%.13g", "%.14g", "%.15g", "%.16g", "%.17g" };

      g_ascii_formatd (buf, sizeof buf, fmts[precision - 6], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

void
fl_format_append_json_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

const char *
fl_format_shape_string (JsonObject *shape, const char *member)
{
  return fl_json_string (shape, member, "");
}

double
fl_format_shape_number (JsonObject *shape, const char *member)
{
  JsonNode *n = json_object_get_member (shape, member);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return 0;
  if (json_node_get_value_type (n) == G_TYPE_INT64 || json_node_get_value_type (n) == G_TYPE_DOUBLE)
    return json_node_get_double (n);
  return 0;
}

double *
fl_format_shape_points (JsonObject *shape, guint *n_points)
{
  JsonArray *pts = fl_json_get_array (shape, "points");
  guint n = pts ? json_array_get_length (pts) : 0;
  double *xy = g_new0 (double, 2 * n + 2);

  for (guint k = 0; k < n; k++)
    {
      JsonNode *pn = json_array_get_element (pts, k);
      JsonArray *pt = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

      if (pt != NULL && json_array_get_length (pt) >= 2)
        {
          xy[2 * k] = json_array_get_double_element (pt, 0);
          xy[2 * k + 1] = json_array_get_double_element (pt, 1);
        }
    }
  *n_points = n;
  return xy;
}

void
fl_format_append_attributes_json (GString *out, JsonObject *shape)
{
  JsonNode *attrs = json_object_get_member (shape, "attributes");
  g_autoptr (JsonGenerator) gen = NULL;

  if (attrs == NULL || !JSON_NODE_HOLDS_OBJECT (attrs))
    {
      g_string_append (out, "{}");
      return;
    }
  gen = json_generator_new ();
  json_generator_set_root (gen, attrs);
  json_generator_to_gstring (gen, out);
}

void
fl_format_append_xml_escaped (GString *out, const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
          case '&':
            g_string_append (out, "&amp;");
            break;
          case '<':
            g_string_append (out, "&lt;");
            break;
          case '>':
            g_string_append (out, "&gt;");
            break;
          case '"':
            g_string_append (out, "&quot;");
            break;
          case '\'':
            g_string_append (out, "&apos;");
            break;
          case '\n':
            g_string_append (out, "&#10;");
            break;
          case '\r':
            g_string_append (out, "&#13;");
            break;
          case '\t':
            g_string_append (out, "&#9;");
            break;
          default:
            /* Other control characters are not allowed in XML 1.0 at all. */
            if ((guchar) *p < 0x20)
              g_string_append_c (out, ' ');
            else
              g_string_append_c (out, *p);
        }
    }
}

void
fl_format_append_csv_field (GString *out, const char *text)
{
  gboolean quote;

  if (text == NULL)
    return;
  quote = strpbrk (text, ",\"\r\n") != NULL;
  /* A leading = + - @ makes spreadsheets run the cell as a formula. */
  if (strchr ("=+-@", text[0]) != NULL && text[0] != '\0')
    {
      g_string_append (out, "\"'");
      quote = TRUE;
    }
  else if (quote)
    g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

char *
fl_format_iso8601 (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = NULL;

  if (unix_time <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (unix_time);
  return dt ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

gint64
fl_format_parse_iso8601 (const char *text)
{
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (text, g_time_zone_new_utc ());
  return dt ? g_date_time_to_unix (dt) : 0;
}

/* Import helpers */

char *
fl_format_relative (FlImportContext *ctx, const char *path)
{
  gsize n = strlen (ctx->root);

  if (path == NULL)
    return NULL;
  if (strncmp (path, ctx->root, n) == 0 && path[n] == '/')
    return g_strdup (path + n + 1);
  return g_path_get_basename (path);
}

static guint
line_of_offset (const char *text, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    if (text[i] == '\n')
      line++;
  return line;
}

gboolean
fl_format_read_text (FlImportContext *ctx, const char *path, char **contents, gsize *length,
                     GError **error)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *end = NULL;
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > fl_format_stream_threshold ())
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                            _ ("file is %lld bytes; this kind of file is read whole and is "
                               "limited to %lld"),
                            (long long) st.st_size, (long long) fl_format_stream_threshold ());
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s is too large"), rel);
      return FALSE;
    }
  if (!g_file_get_contents (path, &text, &len, error))
    return FALSE;
  if (!g_utf8_validate (text, len, &end))
    {
      guint line = line_of_offset (text, end - text);

      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("not UTF-8 text; convert it (e.g. with iconv) and import again"));
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID, _ ("%s:%u is not UTF-8 text"),
                   rel, line);
      return FALSE;
    }
  *contents = g_steal_pointer (&text);
  if (length != NULL)
    *length = len;
  return TRUE;
}

JsonNode *
fl_format_load_json (FlImportContext *ctx, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  gsize len = 0;

  if (!fl_format_read_text (ctx, path, &text, &len, error))
    return NULL;
  if (!json_parser_load_from_data (parser, text, len, &local))
    {
      g_autofree char *rel = fl_format_relative (ctx, path);
      guint line = json_parser_get_current_line (parser);

      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                            _ ("not valid JSON: %s"), local->message);
      g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
                   _ ("%s is not valid JSON: %s"), rel, local->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

static gboolean
path_inside (const char *root, const char *path)
{
  gsize n = strlen (root);

  return strncmp (path, root, n) == 0 && (path[n] == '/' || (n == 1 && root[0] == '/'));
}

char *
fl_format_resolve_asset (FlImportContext *ctx, const char *ref, const char *base_dir,
                         const char *src_file, guint line)
{
  g_autofree char *local = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *scheme = NULL;

  /* A cancelled import stops reading files; the caller reports the cancellation. */
  if (g_cancellable_is_cancelled (ctx->cancellable))
    return NULL;
  if (ref == NULL || *ref == '\0')
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("no file named"));
      return NULL;
    }

  if (g_str_has_prefix (ref, "/data/local-files/"))
    {
      const char *d = strstr (ref, "d=");

      if (d != NULL)
        local = g_uri_unescape_string (d + 2, NULL);
      base_dir = ctx->root;
    }
  else if (g_str_has_prefix (ref, "/data/upload/"))
    {
      /* Label Studio's uploads live on its server; look for the file by name here. */
      g_autofree char *base = g_path_get_basename (ref);
      const char *dash = strchr (base, '-');

      local = g_strdup (dash != NULL && dash - base == 8 ? dash + 1 : base);
    }
  else if ((scheme = g_uri_parse_scheme (ref)) != NULL)
    {
      if (g_ascii_strcasecmp (scheme, "file") == 0)
        local = g_filename_from_uri (ref, NULL, NULL);
      if (local == NULL)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                                _ ("%s is not a file inside the import folder; remote files are "
                                   "not downloaded"),
                                ref);
          return NULL;
        }
    }
  else
    local = g_strdup (ref);

  if (local == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("cannot read the file reference %s"), ref);
      return NULL;
    }

  joined = g_path_is_absolute (local) ? g_strdup (local) : g_build_filename (base_dir, local, NULL);
  canonical = realpath (joined, NULL);
  if (canonical == NULL)
    {
      /* Tools often keep the media in an images/ folder beside the labels. */
      g_autofree char *base = g_path_get_basename (local);
      const char *const subdirs[] = { "images", "JPEGImages", "audio", NULL };

      for (guint i = 0; canonical == NULL && subdirs[i] != NULL; i++)
        {
          g_autofree char *alt = g_build_filename (base_dir, subdirs[i], base, NULL);
          canonical = realpath (alt, NULL);
        }
    }
  if (canonical == NULL)
    {
      /* A reference outside the folder is refused without looking at the disk there. */
      g_autofree char *norm = g_canonicalize_filename (joined, NULL);

      if (!path_inside (ctx->root, norm))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                              _ ("%s points outside the import folder"), ref);
      else
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                              _ ("%s: file not found"), ref);
      return NULL;
    }
  if (!path_inside (ctx->root, canonical))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("%s points outside the import folder"), ref);
      return NULL;
    }
  if (!g_file_test (canonical, G_FILE_TEST_IS_REGULAR))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("%s is not a regular file"), ref);
      return NULL;
    }
  return g_steal_pointer (&canonical);
}

const char *
fl_format_kind_of_media (const char *media_type)
{
  if (media_type == NULL)
    return NULL;
  if (g_str_has_prefix (media_type, "image/"))
    return "image";
  if (g_str_has_prefix (media_type, "audio/") || g_str_equal (media_type, "video/ogg") ||
      g_str_equal (media_type, "application/ogg"))
    return "audio";
  return NULL;
}

gboolean
fl_format_ensure_kind (FlImportContext *ctx, const char *kind, const char *src_file, GError **error)
{
  if (ctx->ds->kind == NULL)
    {
      ctx->ds->kind = g_strdup (kind);
      return TRUE;
    }
  if (g_strcmp0 (ctx->ds->kind, kind) == 0)
    return TRUE;
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOT_SUPPORTED,
               _ ("%s holds %s labels, but the import is %s"), src_file, kind, ctx->ds->kind);
  return FALSE;
}

char *
fl_format_media_type_of (const char *path)
{
  g_autofree char *content_type = g_content_type_guess (path, NULL, 0, NULL);

  return content_type ? g_content_type_get_mime_type (content_type) : NULL;
}

static void
on_area_prepared (GdkPixbufLoader *loader, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
on_size_prepared (GdkPixbufLoader *loader, int width, int height, gpointer user_data)
{
  /* Nothing is decoded at full size: the header is all that is wanted. */
  gdk_pixbuf_loader_set_size (loader, MAX (1, width / 8), MAX (1, height / 8));
}

/* The EXIF orientation, read by feeding the file to a loader only until the
 * image header is through; decoding a JPEG just for it costs 0.2 s at 40 MP. */
static int
read_orientation (const char *path)
{
  g_autoptr (GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, NULL, NULL);
  gboolean prepared = FALSE;
  guchar buf[16384];
  int orientation = 1;
  gsize total = 0;

  if (in == NULL)
    return 1;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (on_size_prepared), NULL);
  g_signal_connect (loader, "area-prepared", G_CALLBACK (on_area_prepared), &prepared);
  while (!prepared && total < 4 * 1024 * 1024)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), buf, sizeof buf, NULL, NULL);

      if (n <= 0 || !gdk_pixbuf_loader_write (loader, buf, n, NULL))
        break;
      total += n;
    }
  /* Small files are prepared only when closed; for big ones the rest of the
   * image is not wanted, and closing early is an error we expect. */
  gdk_pixbuf_loader_close (loader, NULL);
  {
    GdkPixbuf *pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
    const char *value = pixbuf ? gdk_pixbuf_get_option (pixbuf, "orientation") : NULL;

    if (value != NULL)
      orientation = atoi (value);
  }
  return orientation;
}

/* The size as shown: EXIF orientations 5-8 swap width and height. */
static gboolean
read_image_size (const char *path, const char *media_type, int *width, int *height)
{
  if (gdk_pixbuf_get_file_info (path, width, height) == NULL)
    return FALSE;
  if (g_strcmp0 (media_type, "image/jpeg") == 0 || g_strcmp0 (media_type, "image/tiff") == 0)
    {
      int orientation = read_orientation (path);

      if (orientation >= 5 && orientation <= 8)
        {
          int tmp = *width;
          *width = *height;
          *height = tmp;
        }
    }
  return TRUE;
}

FlDatasetItem *
fl_format_add_asset (FlImportContext *ctx, const char *resolved, const char *src_file, guint line)
{
  g_autofree char *media_type = fl_format_media_type_of (resolved);
  const char *kind = fl_format_kind_of_media (media_type);
  g_autofree char *rel = fl_format_relative (ctx, resolved);
  FlDatasetItem *item;

  if (kind == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file ? src_file : rel, line,
                            _ ("%s is neither an image nor audio (%s)"), rel,
                            media_type ? media_type : "unknown type");
      return NULL;
    }
  if (ctx->ds->kind == NULL)
    ctx->ds->kind = g_strdup (kind);
  else if (!g_str_equal (ctx->ds->kind, kind))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file ? src_file : rel, line,
                            _ ("%s is %s, but this import holds %s tasks"), rel, kind,
                            ctx->ds->kind);
      return NULL;
    }

  item = fl_dataset_add_item (ctx->ds);
  item->asset_path = g_strdup (resolved);
  item->asset_name = g_path_get_basename (resolved);
  item->media_type = g_steal_pointer (&media_type);
  if (g_str_equal (kind, "image") &&
      !read_image_size (resolved, item->media_type, &item->width, &item->height))
    {
      item->width = 0;
      item->height = 0;
    }
  return item;
}

char *
fl_format_find_media_by_stem (const char *dir, const char *stem, const char *kind)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      const char *dot = strrchr (name, '.');
      g_autofree char *media_type = NULL;

      if (dot == NULL || (gsize) (dot - name) != strlen (stem) ||
          strncmp (name, stem, dot - name) != 0)
        continue;
      media_type = fl_format_media_type_of (name);
      if (g_strcmp0 (fl_format_kind_of_media (media_type), kind) == 0 ||
          (kind == NULL && fl_format_kind_of_media (media_type) != NULL))
        g_ptr_array_add (found, g_build_filename (dir, name, NULL));
    }
  if (found->len == 0)
    return NULL;
  g_ptr_array_sort (found, (GCompareFunc) g_strcmp0);
  return g_strdup (g_ptr_array_index (found, 0));
}

/* Result helpers */

JsonObject *
fl_result_image_new (int width, int height)
{
  JsonObject *result = json_object_new ();
  JsonObject *image = json_object_new ();

  json_object_set_string_member (result, "kind", "image");
  json_object_set_int_member (image, "width", width);
  json_object_set_int_member (image, "height", height);
  json_object_set_object_member (result, "image", image);
  json_object_set_array_member (result, "shapes", json_array_new ());
  json_object_set_array_member (result, "tags", json_array_new ());
  return result;
}

JsonObject *
fl_result_add_shape (JsonObject *result, const char *type, const char *label)
{
  JsonArray *shapes = fl_json_get_array (result, "shapes");
  JsonObject *shape = json_object_new ();
  g_autofree char *id = g_strdup_printf ("s%u", json_array_get_length (shapes) + 1);

  json_object_set_string_member (shape, "id", id);
  json_object_set_string_member (shape, "type", type);
  json_object_set_string_member (shape, "label", label ? label : "");
  json_array_add_object_element (shapes, shape);
  return shape;
}

void
fl_result_add_tag (JsonObject *result, const char *tag)
{
  JsonArray *tags = fl_json_get_array (result, "tags");

  for (guint i = 0; i < json_array_get_length (tags); i++)
    if (g_strcmp0 (json_array_get_string_element (tags, i), tag) == 0)
      return;
  json_array_add_string_element (tags, tag);
}

JsonObject *
fl_result_audio_new (double duration)
{
  JsonObject *result = json_object_new ();

  json_object_set_string_member (result, "kind", "audio");
  json_object_set_double_member (result, "duration", duration);
  json_object_set_array_member (result, "segments", json_array_new ());
  return result;
}

void
fl_result_add_segment (JsonObject *result, double start, double end, const char *speaker,
                       const char *text)
{
  JsonArray *segments = fl_json_get_array (result, "segments");
  JsonObject *seg = json_object_new ();

  json_object_set_double_member (seg, "start", start);
  json_object_set_double_member (seg, "end", end);
  if (speaker != NULL && *speaker != '\0')
    json_object_set_string_member (seg, "speaker", speaker);
  json_object_set_string_member (seg, "text", text ? text : "");
  json_array_add_object_element (segments, seg);
  if (end > fl_json_double (result, "duration", 0))
    json_object_set_double_member (result, "duration", end);
}

JsonArray *
fl_format_result_array (FlDatasetItem *item, const char *member)
{
  JsonObject *obj;
  JsonNode *node;

  if (item->result == NULL || !JSON_NODE_HOLDS_OBJECT (item->result))
    return NULL;
  obj = json_node_get_object (item->result);
  node = json_object_get_member (obj, member);
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

guint
fl_result_count (JsonNode *result)
{
  FlDatasetItem fake = { 0 };
  JsonArray *a;

  fake.result = result;
  a = fl_format_result_array (&fake, "shapes");
  if (a == NULL)
    a = fl_format_result_array (&fake, "segments");
  return a ? json_array_get_length (a) : 0;
}

static gboolean
number_member (JsonObject *obj, const char *name, double *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) != G_TYPE_DOUBLE &&
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return isfinite (*out);
}

JsonNode *
fl_result_sanitize (FlImportContext *ctx, JsonNode *result, const char *src_file, guint line)
{
  JsonObject *in;
  const char *kind;
  g_autoptr (JsonObject) out = NULL;

  if (result == NULL || JSON_NODE_HOLDS_NULL (result))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation is not a JSON object"));
      return NULL;
    }
  in = json_node_get_object (result);
  kind = fl_json_string (in, "kind", NULL);

  if (g_strcmp0 (kind, "image") == 0)
    {
      JsonObject *image = fl_json_get_object (in, "image");
      JsonArray *shapes = fl_json_get_array (in, "shapes");
      JsonArray *tags = fl_json_get_array (in, "tags");
      double w = 0, h = 0;

      if (image != NULL)
        {
          number_member (image, "width", &w);
          number_member (image, "height", &h);
        }
      out = fl_result_image_new ((int) w, (int) h);
      for (guint i = 0; shapes != NULL && i < json_array_get_length (shapes); i++)
        {
          JsonNode *sn = json_array_get_element (shapes, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          const char *type = s ? fl_json_string (s, "type", "") : "";
          const char *label = s ? fl_json_string (s, "label", "") : "";
          double x, y, sw, sh;
          gboolean ok = FALSE;

          if (g_str_equal (type, "box"))
            ok = number_member (s, "x", &x) && number_member (s, "y", &y) &&
                 number_member (s, "width", &sw) && number_member (s, "height", &sh) && sw >= 0 &&
                 sh >= 0;
          else if (g_str_equal (type, "point"))
            ok = number_member (s, "x", &x) && number_member (s, "y", &y);
          else if (g_str_equal (type, "polygon"))
            {
              JsonArray *pts = fl_json_get_array (s, "points");

              ok = pts != NULL && json_array_get_length (pts) >= 3;
              for (guint k = 0; ok && k < json_array_get_length (pts); k++)
                {
                  JsonNode *pn = json_array_get_element (pts, k);
                  JsonArray *pt = JSON_NODE_HOLDS_ARRAY (pn) ? json_node_get_array (pn) : NULL;

                  ok = pt != NULL && json_array_get_length (pt) == 2 &&
                       isfinite (fl_json_array_double (pt, 0)) &&
                       isfinite (fl_json_array_double (pt, 1));
                }
            }
          if (!ok)
            {
              fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                                    _ ("shape %u of the pre-annotation is not a valid box, polygon "
                                       "or point"),
                                    i + 1);
              continue;
            }
          json_array_add_element (fl_json_get_array (out, "shapes"), json_node_copy (sn));
          (void) label;
        }
      for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
        {
          const char *tag = fl_json_array_string (tags, i);

          if (tag != NULL)
            fl_result_add_tag (out, tag);
        }
    }
  else if (g_strcmp0 (kind, "audio") == 0)
    {
      JsonArray *segments = fl_json_get_array (in, "segments");
      double duration = 0;

      number_member (in, "duration", &duration);
      out = fl_result_audio_new (duration);
      for (guint i = 0; segments != NULL && i < json_array_get_length (segments); i++)
        {
          JsonNode *sn = json_array_get_element (segments, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          double start, end;

          if (s == NULL || !number_member (s, "start", &start) || !number_member (s, "end", &end) ||
              start < 0 || end < start)
            {
              fl_import_report_add (
                ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                _ ("segment %u of the pre-annotation has no valid start and end"), i + 1);
              continue;
            }
          fl_result_add_segment (out, start, end, fl_json_string (s, "speaker", NULL),
                                 fl_json_string (s, "text", ""));
        }
    }
  else
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation has kind “%s”; expected image or audio"),
                            kind ? kind : "(none)");
      return NULL;
    }
  if (ctx->ds->kind != NULL && !g_str_equal (ctx->ds->kind, kind))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, src_file, line,
                            _ ("pre-annotation is %s, but the task is %s"), kind, ctx->ds->kind);
      return NULL;
    }
  return json_node_init_object (json_node_alloc (), out);
}

static gboolean
check_failed (FlDatasetItem *item, GError **error, const char *what)
{
  g_set_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID,
               _ ("Task %s (%s) has a result that cannot be exported: %s"),
               item->task_id ? item->task_id : "?", item->asset_name ? item->asset_name : "?",
               what);
  return FALSE;
}

gboolean
fl_format_check_result (FlDataset *ds, FlDatasetItem *item, GError **error)
{
  JsonObject *result;
  JsonArray *list;
  const char *kind;

  if (item->result == NULL || JSON_NODE_HOLDS_NULL (item->result))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (item->result))
    return check_failed (item, error, "not a JSON object");
  result = json_node_get_object (item->result);
  kind = fl_json_string (result, "kind", NULL);
  if (g_strcmp0 (kind, ds->kind) != 0)
    return check_failed (item, error, "its kind is not the project's");

  if (g_str_equal (kind, "image"))
    {
      JsonNode *shapes = json_object_get_member (result, "shapes");
      JsonNode *tags = json_object_get_member (result, "tags");

      if (shapes != NULL && !JSON_NODE_HOLDS_ARRAY (shapes))
        return check_failed (item, error, "shapes is not a list");
      if (tags != NULL && !JSON_NODE_HOLDS_ARRAY (tags))
        return check_failed (item, error, "tags is not a list");
      list = tags ? json_node_get_array (tags) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        if (fl_json_array_string (list, i) == NULL)
          return check_failed (item, error, "a tag is not text");
      list = shapes ? json_node_get_array (shapes) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *sn = json_array_get_element (list, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          const char *type = s ? fl_json_string (s, "type", "") : "";
          JsonNode *label = s ? json_object_get_member (s, "label") : NULL;
          JsonNode *attrs = s ? json_object_get_member (s, "attributes") : NULL;
          double v;
          gboolean ok;

          if (s == NULL)
            return check_failed (item, error, "a shape is not an object");
          if (label != NULL &&
              (!JSON_NODE_HOLDS_VALUE (label) || json_node_get_value_type (label) != G_TYPE_STRING))
            return check_failed (item, error, "a shape's label is not text");
          if (attrs != NULL && !JSON_NODE_HOLDS_OBJECT (attrs))
            return check_failed (item, error, "a shape's attributes are not an object");
          if (g_str_equal (type, "box"))
            ok = number_member (s, "x", &v) && number_member (s, "y", &v) &&
                 number_member (s, "width", &v) && number_member (s, "height", &v);
          else if (g_str_equal (type, "point"))
            ok = number_member (s, "x", &v) && number_member (s, "y", &v);
          else if (g_str_equal (type, "polygon"))
            {
              JsonArray *pts = fl_json_get_array (s, "points");

              ok = pts != NULL;
              for (guint k = 0; ok && k < json_array_get_length (pts); k++)
                {
                  JsonArray *pt = fl_json_array_array (pts, k);

                  ok = pt != NULL && json_array_get_length (pt) == 2 &&
                       isfinite (fl_json_array_double (pt, 0)) &&
                       isfinite (fl_json_array_double (pt, 1));
                }
            }
          else
            return check_failed (item, error, "a shape is not a box, polygon or point");
          if (!ok)
            return check_failed (item, error, "a shape's coordinates are not numbers");
        }
    }
  else
    {
      JsonNode *segs = json_object_get_member (result, "segments");

      if (segs != NULL && !JSON_NODE_HOLDS_ARRAY (segs))
        return check_failed (item, error, "segments is not a list");
      list = segs ? json_node_get_array (segs) : NULL;
      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *sn = json_array_get_element (list, i);
          JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
          JsonNode *speaker = s ? json_object_get_member (s, "speaker") : NULL;
          JsonNode *text = s ? json_object_get_member (s, "text") : NULL;
          double v;

          if (s == NULL || !number_member (s, "start", &v) || !number_member (s, "end", &v))
            return check_failed (item, error, "a segment has no numeric start and end");
          if ((speaker != NULL && !JSON_NODE_HOLDS_NULL (speaker) &&
               (!JSON_NODE_HOLDS_VALUE (speaker) ||
                json_node_get_value_type (speaker) != G_TYPE_STRING)) ||
              (text != NULL &&
               (!JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING)))
            return check_failed (item, error, "a segment's speaker or text is not text");
        }
    }
  return TRUE;
}

GPtrArray *
fl_format_collect_labels (FlDataset *ds)
{
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *classes = fl_json_get_array (ds->label_config, "classes");

  for (guint i = 0; classes != NULL && i < json_array_get_length (classes); i++)
    {
      JsonNode *cn = json_array_get_element (classes, i);
      const char *name = JSON_NODE_HOLDS_OBJECT (cn)
                           ? fl_json_string (json_node_get_object (cn), "name", NULL)
                           : NULL;

      if (name != NULL && !g_hash_table_contains (seen, name))
        {
          char *copy = g_strdup (name);
          g_ptr_array_add (labels, copy);
          g_hash_table_add (seen, copy);
        }
    }
  for (guint i = 0; i < ds->items->len; i++)
    {
      JsonArray *shapes = fl_format_result_array (g_ptr_array_index (ds->items, i), "shapes");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        {
          const char *label =
            fl_json_string (json_array_get_object_element (shapes, k), "label", "");

          if (!g_hash_table_contains (seen, label))
            {
              char *copy = g_strdup (label);
              g_ptr_array_add (labels, copy);
              g_hash_table_add (seen, copy);
            }
        }
    }
  return labels;
}

static void
complete_name_list (JsonObject *config, const char *member, gboolean as_objects, GPtrArray *names)
{
  JsonArray *list = fl_json_get_array (config, member);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *n = json_array_get_element (list, i);
      const char *name = NULL;

      if (as_objects && JSON_NODE_HOLDS_OBJECT (n))
        name = fl_json_string (json_node_get_object (n), "name", NULL);
      else if (!as_objects && JSON_NODE_HOLDS_VALUE (n))
        name = json_node_get_string (n);
      if (name != NULL)
        g_hash_table_add (seen, (gpointer) name);
    }
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (name == NULL || *name == '\0' || g_hash_table_contains (seen, name))
        continue;
      if (list == NULL)
        {
          list = json_array_new ();
          json_object_set_array_member (config, member, list);
        }
      if (as_objects)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "name", name);
          json_array_add_object_element (list, o);
        }
      else
        json_array_add_string_element (list, name);
      g_hash_table_add (seen, (gpointer) name);
    }
}

void
fl_format_complete_label_config (FlDataset *ds)
{
  g_autoptr (GPtrArray) classes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) speakers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      JsonArray *shapes = fl_format_result_array (item, "shapes");
      JsonArray *t = fl_format_result_array (item, "tags");
      JsonArray *segs = fl_format_result_array (item, "segments");

      for (guint k = 0; shapes != NULL && k < json_array_get_length (shapes); k++)
        g_ptr_array_add (classes, g_strdup (fl_json_string (
                                    json_array_get_object_element (shapes, k), "label", NULL)));
      for (guint k = 0; t != NULL && k < json_array_get_length (t); k++)
        g_ptr_array_add (tags, g_strdup (json_array_get_string_element (t, k)));
      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        g_ptr_array_add (speakers, g_strdup (fl_json_string (
                                     json_array_get_object_element (segs, k), "speaker", NULL)));
    }
  complete_name_list (ds->label_config, "classes", TRUE, classes);
  complete_name_list (ds->label_config, "tags", FALSE, tags);
  complete_name_list (ds->label_config, "speakers", TRUE, speakers);
}

gboolean
fl_format_image_size (FlDatasetItem *item, int *width, int *height)
{
  JsonObject *image = NULL;

  if (item->result != NULL && JSON_NODE_HOLDS_OBJECT (item->result))
    image = fl_json_get_object (json_node_get_object (item->result), "image");
  *width = image ? (int) fl_json_int (image, "width", 0) : 0;
  *height = image ? (int) fl_json_int (image, "height", 0) : 0;
  if (*width > 0 && *height > 0)
    return TRUE;
  *width = item->width;
  *height = item->height;
  if (*width > 0 && *height > 0)
    return TRUE;
  if (item->asset_path != NULL &&
      read_image_size (item->asset_path, item->media_type, width, height))
    return TRUE;
  *width = *height = 0;
  return FALSE;
}

double
fl_format_audio_duration (FlDatasetItem *item)
{
  JsonArray *segs = fl_format_result_array (item, "segments");
  double d = 0;

  if (item->result != NULL && JSON_NODE_HOLDS_OBJECT (item->result))
    d = fl_json_double (json_node_get_object (item->result), "duration", 0);
  if (d <= 0)
    d = item->duration;
  for (guint k = 0; d <= 0 && segs != NULL && k < json_array_get_length (segs); k++)
    d = MAX (d, fl_json_double (json_array_get_object_element (segs, k), "end", 0));
  return d;
}
