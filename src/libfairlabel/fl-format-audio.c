/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFormatAudio"

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>
#include <string.h>

#include "fl-format-private.h"

/* Transcripts: SRT, WebVTT, plain text with timestamps and the per-file
 * segments JSON are written as audio/NAME plus STEM.EXT beside the folder;
 * the ASR manifest is manifest.jsonl with one line per segment (NeMo style,
 * offset + duration). A speaker is written as "[A]: " in SRT and text, as a
 * voice span <v A> in WebVTT. */

static gint64
to_ms (double seconds)
{
  return seconds > 0 ? llround (seconds * 1000) : 0;
}

static void
append_time (GString *out, double seconds, char separator)
{
  gint64 ms = to_ms (seconds);

  g_string_append_printf (out, "%02" G_GINT64_FORMAT ":%02d:%02d%c%03d", ms / 3600000,
                          (int) (ms / 60000 % 60), (int) (ms / 1000 % 60), separator,
                          (int) (ms % 1000));
}

/* Blank lines end a cue, so a segment's text never holds one. */
static char *
cue_text (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (*p == '\r')
        continue;
      if (*p == '\n' && (out->len == 0 || out->str[out->len - 1] == '\n' || p[1] == '\0'))
        continue;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* WebVTT cue text knows &amp; &lt; &gt;; line breaks stay line breaks. */
static void
append_vtt_escaped (GString *out, const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '&')
        g_string_append (out, "&amp;");
      else if (*p == '<')
        g_string_append (out, "&lt;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
}

typedef enum
{
  STYLE_SRT,
  STYLE_VTT,
  STYLE_TXT,
} Style;

static gboolean
export_subtitles (FlExportContext *ctx, Style style, const char *ext, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (!fl_format_copy_assets (ctx, "audio", error))
    return FALSE;
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      JsonArray *segs = fl_format_result_array (item, "segments");
      g_autofree char *file = g_strconcat (ctx->stems[i], ext, NULL);

      g_string_truncate (out, 0);
      if (style == STYLE_VTT)
        g_string_append (out, "WEBVTT\n\n");
      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        {
          JsonObject *s = json_array_get_object_element (segs, k);
          const char *speaker = fl_json_string (s, "speaker", NULL);
          g_autofree char *text = cue_text (fl_format_shape_string (s, "text"));
          double start = fl_format_shape_number (s, "start"),
                 end = fl_format_shape_number (s, "end");

          if (style == STYLE_TXT)
            {
              g_string_append_c (out, '[');
              append_time (out, start, '.');
              g_string_append (out, " --> ");
              append_time (out, end, '.');
              g_string_append (out, "] ");
              if (speaker != NULL && *speaker != '\0')
                g_string_append_printf (out, "[%s]: ", speaker);
              g_string_append (out, text);
              g_string_append_c (out, '\n');
              continue;
            }
          if (style == STYLE_SRT)
            g_string_append_printf (out, "%u\n", k + 1);
          append_time (out, start, style == STYLE_SRT ? ',' : '.');
          g_string_append (out, " --> ");
          append_time (out, end, style == STYLE_SRT ? ',' : '.');
          g_string_append_c (out, '\n');
          if (style == STYLE_SRT)
            {
              if (speaker != NULL && *speaker != '\0')
                g_string_append_printf (out, "[%s]: ", speaker);
              g_string_append (out, text);
            }
          else
            {
              if (speaker != NULL && *speaker != '\0')
                {
                  g_string_append (out, "<v ");
                  append_vtt_escaped (out, speaker);
                  g_string_append_c (out, '>');
                }
              append_vtt_escaped (out, text);
            }
          g_string_append (out, "\n\n");
        }
      if (!fl_format_write_file (ctx, file, out, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fl_format_export_srt (FlExportContext *ctx, GError **error)
{
  return export_subtitles (ctx, STYLE_SRT, ".srt", error);
}

gboolean
fl_format_export_vtt (FlExportContext *ctx, GError **error)
{
  return export_subtitles (ctx, STYLE_VTT, ".vtt", error);
}

gboolean
fl_format_export_txt (FlExportContext *ctx, GError **error)
{
  return export_subtitles (ctx, STYLE_TXT, ".txt", error);
}

gboolean
fl_format_export_asr_manifest (FlExportContext *ctx, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (!fl_format_copy_assets (ctx, "audio", error))
    return FALSE;
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      JsonArray *segs = fl_format_result_array (item, "segments");
      g_autofree char *audio = g_build_filename ("audio", ctx->names[i], NULL);

      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        {
          JsonObject *s = json_array_get_object_element (segs, k);
          const char *speaker = fl_json_string (s, "speaker", NULL);
          double start = to_ms (fl_format_shape_number (s, "start")) / 1000.0;
          double end = to_ms (fl_format_shape_number (s, "end")) / 1000.0;

          g_string_append (out, "{\"audio_filepath\":");
          fl_format_append_json_string (out, audio);
          g_string_append (out, ",\"offset\":");
          fl_format_append_number (out, start);
          g_string_append (out, ",\"duration\":");
          fl_format_append_number (out, to_ms (end - start) / 1000.0);
          g_string_append (out, ",\"text\":");
          fl_format_append_json_string (out, fl_format_shape_string (s, "text"));
          if (speaker != NULL && *speaker != '\0')
            {
              g_string_append (out, ",\"speaker\":");
              fl_format_append_json_string (out, speaker);
            }
          g_string_append (out, "}\n");
        }
    }
  return fl_format_write_file (ctx, "manifest.jsonl", out, error);
}

gboolean
fl_format_export_segments (FlExportContext *ctx, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);

  if (!fl_format_copy_assets (ctx, "audio", error))
    return FALSE;
  for (guint i = 0; i < ctx->ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ctx->ds->items, i);
      JsonArray *segs = fl_format_result_array (item, "segments");
      g_autofree char *file = g_strconcat (ctx->stems[i], ".json", NULL);
      g_autofree char *audio = g_build_filename ("audio", ctx->names[i], NULL);
      g_autoptr (GPtrArray) speakers = g_ptr_array_new ();

      g_string_truncate (out, 0);
      g_string_append (out, "{\"audio\":");
      fl_format_append_json_string (out, audio);
      g_string_append (out, ",\"duration\":");
      fl_format_append_number (out, to_ms (fl_format_audio_duration (item)) / 1000.0);
      g_string_append (out, ",\n\"segments\":[");
      for (guint k = 0; segs != NULL && k < json_array_get_length (segs); k++)
        {
          JsonObject *s = json_array_get_object_element (segs, k);
          const char *speaker = fl_json_string (s, "speaker", NULL);

          g_string_append_printf (out, "%s\n{\"start\":", k ? "," : "");
          fl_format_append_number (out, to_ms (fl_format_shape_number (s, "start")) / 1000.0);
          g_string_append (out, ",\"end\":");
          fl_format_append_number (out, to_ms (fl_format_shape_number (s, "end")) / 1000.0);
          if (speaker != NULL && *speaker != '\0')
            {
              g_string_append (out, ",\"speaker\":");
              fl_format_append_json_string (out, speaker);
              if (!g_ptr_array_find_with_equal_func (speakers, speaker, g_str_equal, NULL))
                g_ptr_array_add (speakers, (gpointer) speaker);
            }
          g_string_append (out, ",\"text\":");
          fl_format_append_json_string (out, fl_format_shape_string (s, "text"));
          g_string_append_c (out, '}');
        }
      g_string_append (out, "],\n\"speakers\":[");
      for (guint k = 0; k < speakers->len; k++)
        {
          if (k > 0)
            g_string_append_c (out, ',');
          fl_format_append_json_string (out, g_ptr_array_index (speakers, k));
        }
      g_string_append (out, "]}\n");
      if (!fl_format_write_file (ctx, file, out, error))
        return FALSE;
    }
  return TRUE;
}

/* Reading */

/* Finds the audio a transcript belongs to: same stem, beside it or in audio/. */
static FlDatasetItem *
audio_for (FlImportContext *ctx, const char *transcript, const char *rel)
{
  g_autofree char *dir = g_path_get_dirname (transcript);
  g_autofree char *base = g_path_get_basename (transcript);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot ? g_strndup (base, dot - base) : g_strdup (base);
  g_autofree char *found = fl_format_find_media_by_stem (dir, stem, "audio");
  g_autofree char *resolved = NULL;
  g_autofree char *found_rel = NULL;

  if (found == NULL)
    {
      g_autofree char *sub = g_build_filename (dir, "audio", NULL);
      found = fl_format_find_media_by_stem (sub, stem, "audio");
    }
  if (found == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                            _ ("no audio file named %s.* beside it or in audio/"), stem);
      return NULL;
    }
  found_rel = fl_format_relative (ctx, found);
  resolved = fl_format_resolve_asset (ctx, found_rel, ctx->root, rel, 0);
  return resolved ? fl_format_add_asset (ctx, resolved, rel, 0) : NULL;
}

static gboolean
parse_time (const char *text, double *out, const char **end)
{
  guint parts[4] = { 0 };
  guint n = 0, digits;
  const char *p = text;
  double ms = 0;

  for (;;)
    {
      digits = 0;
      parts[n] = 0;
      while (g_ascii_isdigit (*p) && digits < 9)
        parts[n] = parts[n] * 10 + (*p++ - '0'), digits++;
      if (digits == 0)
        return FALSE;
      n++;
      if (*p == ':' && n < 3)
        {
          p++;
          continue;
        }
      break;
    }
  if (*p == ',' || *p == '.')
    {
      double scale = 100;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        {
          ms += (*p++ - '0') * scale;
          scale /= 10;
        }
    }
  if (n < 2 || (n == 2 && parts[1] >= 60) || (n == 3 && (parts[1] >= 60 || parts[2] >= 60)))
    return FALSE;
  if (n == 2)
    *out = parts[0] * 60.0 + parts[1] + ms / 1000;
  else
    *out = parts[0] * 3600.0 + parts[1] * 60.0 + parts[2] + ms / 1000;
  *out = round (*out * 1000) / 1000;
  if (end != NULL)
    *end = p;
  return TRUE;
}

/* "00:00:01,000 --> 00:00:02,500 settings" */
static gboolean
parse_timing (const char *line, double *start, double *end)
{
  const char *p = line;

  while (*p == ' ')
    p++;
  if (!parse_time (p, start, &p))
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_str_has_prefix (p, "-->"))
    return FALSE;
  p += 3;
  while (*p == ' ' || *p == '\t')
    p++;
  return parse_time (p, end, NULL) && *end >= *start;
}

/* "[A]: text" */
static const char *
split_speaker (const char *text, char **speaker)
{
  const char *close;

  *speaker = NULL;
  if (text[0] != '[' || (close = strstr (text, "]: ")) == NULL || memchr (text, '\n', close - text))
    {
      if (text[0] == '[' && g_str_has_suffix (text, "]:") && strchr (text, '\n') == NULL)
        {
          *speaker = g_strndup (text + 1, strlen (text) - 3);
          return text + strlen (text);
        }
      return text;
    }
  *speaker = g_strndup (text + 1, close - text - 1);
  return close + 3;
}

static char *
vtt_unescape (const char *text, char **voice)
{
  GString *out = g_string_new (NULL);
  const char *p = text;

  *voice = NULL;
  while (*p != '\0')
    {
      if (*p == '<')
        {
          const char *close = strchr (p, '>');

          if (close == NULL)
            break;
          if (p[1] == 'v' && (p[2] == ' ' || p[2] == '.') && *voice == NULL)
            {
              const char *name = strchr (p, ' ');

              if (name != NULL && name < close)
                {
                  g_autofree char *raw = g_strndup (name + 1, close - name - 1);
                  char *ignored = NULL;

                  *voice = vtt_unescape (raw, &ignored);
                  g_free (ignored);
                }
            }
          p = close + 1; /* other tags (<i>, </v>, timestamps) carry no text */
          continue;
        }
      if (*p == '&')
        {
          static const struct
          {
            const char *entity;
            char c;
          } entities[] = { { "&amp;", '&' },  { "&lt;", '<' },    { "&gt;", '>' },
                           { "&quot;", '"' }, { "&apos;", '\'' }, { "&#10;", '\n' },
                           { "&#13;", '\r' }, { "&#9;", '\t' },   { "&nbsp;", ' ' } };
          gboolean matched = FALSE;

          for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
            if (g_str_has_prefix (p, entities[i].entity))
              {
                g_string_append_c (out, entities[i].c);
                p += strlen (entities[i].entity);
                matched = TRUE;
                break;
              }
          if (matched)
            continue;
        }
      g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static void
import_cues (FlImportContext *ctx, const char *path, Style style)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) local = NULL;
  FlDatasetItem *item;
  JsonObject *result;
  guint i = 0;

  if (!fl_format_read_text (ctx, path, &text, NULL, &local))
    {
      if (!g_error_matches (local, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0, "%s", local->message);
      return;
    }
  if (style == STYLE_VTT && !g_str_has_prefix (text, "WEBVTT") &&
      !g_str_has_prefix (text, "\xef\xbb\xbfWEBVTT"))
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 1,
                            _ ("not WebVTT: the file does not start with WEBVTT"));
      return;
    }
  item = audio_for (ctx, path, rel);
  if (item == NULL)
    return;
  result = fl_result_audio_new (0);
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);

  g_strdelimit (text, "\r", ' ');
  lines = g_strsplit (text, "\n", -1);
  while (lines[i] != NULL)
    {
      double start, end;
      g_autoptr (GString) body = g_string_new (NULL);
      g_autofree char *speaker = NULL;
      g_autofree char *clean = NULL;
      const char *content;
      guint timing_line;

      if (style == STYLE_TXT)
        {
          const char *close;

          g_strchomp (lines[i]);
          if (lines[i][0] == '\0')
            {
              i++;
              continue;
            }
          close = strstr (lines[i], "] ");
          if (lines[i][0] != '[' || close == NULL)
            {
              if (close == NULL && lines[i][0] == '[' && g_str_has_suffix (lines[i], "]"))
                close = lines[i] + strlen (lines[i]) - 1;
              else
                {
                  fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, i + 1,
                                        _ ("line does not start with [start --> end]"));
                  i++;
                  continue;
                }
            }
          {
            g_autofree char *timing = g_strndup (lines[i] + 1, close - lines[i] - 1);

            if (!parse_timing (timing, &start, &end))
              {
                fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, i + 1,
                                      _ ("timestamps are not valid"));
                i++;
                continue;
              }
          }
          g_string_append (body, *close == ']' && close[1] == ' ' ? close + 2 : "");
          i++;
          /* Lines that do not open a segment continue the previous one. */
          while (lines[i] != NULL && lines[i][0] != '\0' && lines[i][0] != '[')
            {
              g_strchomp (lines[i]);
              g_string_append_printf (body, "\n%s", lines[i++]);
            }
          content = split_speaker (body->str, &speaker);
          fl_result_add_segment (result, start, end, speaker, content);
          continue;
        }

      /* SRT and WebVTT: blocks separated by blank lines. */
      g_strchomp (lines[i]);
      if (lines[i][0] == '\0')
        {
          i++;
          continue;
        }
      if (style == STYLE_VTT &&
          (g_str_has_prefix (lines[i], "WEBVTT") ||
           g_str_has_prefix (lines[i], "\xef\xbb\xbfWEBVTT") ||
           g_str_has_prefix (lines[i], "NOTE") || g_str_has_prefix (lines[i], "STYLE") ||
           g_str_has_prefix (lines[i], "REGION")))
        {
          while (lines[i] != NULL && lines[i][0] != '\0')
            i++;
          continue;
        }
      /* A cue number (SRT) or identifier (WebVTT) may come before the timing. */
      if (strstr (lines[i], "-->") == NULL && lines[i + 1] != NULL &&
          strstr (lines[i + 1], "-->") != NULL)
        i++;
      timing_line = i + 1;
      if (!parse_timing (lines[i], &start, &end))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, timing_line,
                                _ ("expected “start --> end” timestamps"));
          while (lines[i] != NULL && lines[i][0] != '\0')
            i++;
          continue;
        }
      i++;
      while (lines[i] != NULL && lines[i][0] != '\0')
        {
          g_strchomp (lines[i]);
          if (lines[i][0] == '\0')
            break;
          if (body->len > 0)
            g_string_append_c (body, '\n');
          g_string_append (body, lines[i++]);
        }
      if (style == STYLE_SRT)
        {
          content = split_speaker (body->str, &speaker);
          fl_result_add_segment (result, start, end, speaker, content);
        }
      else
        {
          clean = vtt_unescape (body->str, &speaker);
          fl_result_add_segment (result, start, end, speaker, clean);
        }
    }
}

static gboolean
import_transcripts (FlImportContext *ctx, const char *path, const char *ext, Style style,
                    GError **error)
{
  if (!fl_format_ensure_kind (ctx, "audio", path, error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, error);
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (d == NULL)
        return FALSE;
      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ext) && name[0] != '.')
          g_ptr_array_add (files, g_build_filename (path, name, NULL));
      g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < files->len; i++)
        import_cues (ctx, *(const char **) &g_ptr_array_index (files, i), style);
    }
  else
    import_cues (ctx, path, style);
  return TRUE;
}

gboolean
fl_format_import_srt (FlImportContext *ctx, const char *path, GError **error)
{
  return import_transcripts (ctx, path, ".srt", STYLE_SRT, error);
}

gboolean
fl_format_import_vtt (FlImportContext *ctx, const char *path, GError **error)
{
  return import_transcripts (ctx, path, ".vtt", STYLE_VTT, error);
}

gboolean
fl_format_import_txt (FlImportContext *ctx, const char *path, GError **error)
{
  return import_transcripts (ctx, path, ".txt", STYLE_TXT, error);
}

/* Segments JSON: {"audio": ..., "segments": [{start, end, text, speaker}]}, as
 * written above and by speech recognisers (Whisper, WhisperX); a bare array
 * of segments works too. The audio is named by "audio" or found by stem. */
static void
import_segments_file (FlImportContext *ctx, const char *path)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonNode) root = fl_format_load_json (ctx, path, &local);
  JsonArray *segs = NULL;
  JsonObject *obj = NULL;
  FlDatasetItem *item = NULL;
  JsonObject *result;
  const char *audio = NULL;
  double duration = 0;

  if (root == NULL)
    {
      if (local != NULL && !g_error_matches (local, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID))
        fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0, "%s", local->message);
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (root))
    segs = json_node_get_array (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      obj = json_node_get_object (root);
      segs = fl_json_get_array (obj, "segments");
      audio = fl_json_string (obj, "audio", NULL);
      if (audio == NULL)
        audio = fl_json_string (obj, "audio_filepath", NULL);
      duration = fl_json_double (obj, "duration", 0);
    }
  if (segs == NULL)
    {
      fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                            _ ("valid JSON, but not a segments file (no \"segments\" list)"));
      return;
    }
  if (audio != NULL)
    {
      g_autofree char *resolved = fl_format_resolve_asset (ctx, audio, dir, rel, 0);

      if (resolved == NULL)
        return;
      item = fl_format_add_asset (ctx, resolved, rel, 0);
    }
  else
    item = audio_for (ctx, path, rel);
  if (item == NULL)
    return;

  result = fl_result_audio_new (duration);
  item->result = json_node_init_object (json_node_alloc (), result);
  json_object_unref (result);
  if (duration > 0)
    item->duration = duration;
  for (guint k = 0; k < json_array_get_length (segs); k++)
    {
      JsonNode *sn = json_array_get_element (segs, k);
      JsonObject *s = JSON_NODE_HOLDS_OBJECT (sn) ? json_node_get_object (sn) : NULL;
      double start = s ? fl_json_double (s, "start", -1) : -1;
      double end = s ? fl_json_double (s, "end", -1) : -1;
      const char *text = s ? fl_json_string (s, "text", "") : "";

      if (start < 0 || end < start)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, 0,
                                _ ("segment %u has no valid start and end"), k + 1);
          continue;
        }
      /* Recognisers put a space before each segment's text. */
      while (obj != NULL && !json_object_has_member (obj, "speakers") && *text == ' ')
        text++;
      fl_result_add_segment (result, start, end, fl_json_string (s, "speaker", NULL), text);
    }
}

gboolean
fl_format_import_segments (FlImportContext *ctx, const char *path, GError **error)
{
  if (!fl_format_ensure_kind (ctx, "audio", path, error))
    return FALSE;
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) d = g_dir_open (path, 0, error);
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (d == NULL)
        return FALSE;
      while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".json") && name[0] != '.')
          g_ptr_array_add (files, g_build_filename (path, name, NULL));
      g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < files->len; i++)
        import_segments_file (ctx, *(const char **) &g_ptr_array_index (files, i));
    }
  else
    import_segments_file (ctx, path);
  return TRUE;
}

gboolean
fl_format_import_asr_manifest (FlImportContext *ctx, const char *path, GError **error)
{
  g_autofree char *rel = fl_format_relative (ctx, path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GDataInputStream) data = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint line = 0;

  if (!fl_format_ensure_kind (ctx, "audio", path, error))
    return FALSE;
  in = g_file_read (file, NULL, error);
  if (in == NULL)
    return FALSE;
  data = g_data_input_stream_new (G_INPUT_STREAM (in));
  for (;;)
    {
      g_autoptr (GError) local = NULL;
      gsize len = 0;
      g_autofree char *text = g_data_input_stream_read_line (data, &len, NULL, &local);
      JsonObject *o;
      const char *audio;
      FlDatasetItem *item;
      JsonObject *result;
      double offset, duration;

      if (text == NULL)
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          break;
        }
      line++;
      g_strstrip (text);
      if (*text == '\0')
        continue;
      if (!g_utf8_validate (text, -1, NULL))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("not UTF-8 text"));
          continue;
        }
      if (!json_parser_load_from_data (parser, text, -1, &local) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("not a JSON object"));
          continue;
        }
      o = json_node_get_object (json_parser_get_root (parser));
      audio = fl_json_string (o, "audio_filepath", NULL);
      duration = fl_json_double (o, "duration", -1);
      offset = fl_json_double (o, "offset", 0);
      if (audio == NULL || duration < 0 || offset < 0)
        {
          fl_import_report_add (ctx->report, FL_IMPORT_ENTRY_SKIPPED, rel, line,
                                _ ("needs audio_filepath and a duration of zero or more"));
          continue;
        }
      item = g_hash_table_lookup (items, audio);
      if (item == NULL)
        {
          g_autofree char *resolved = fl_format_resolve_asset (ctx, audio, dir, rel, line);

          if (resolved == NULL)
            continue;
          item = fl_format_add_asset (ctx, resolved, rel, line);
          if (item == NULL)
            continue;
          result = fl_result_audio_new (0);
          item->result = json_node_init_object (json_node_alloc (), result);
          json_object_unref (result);
          g_hash_table_insert (items, g_strdup (audio), item);
        }
      result = json_node_get_object (item->result);
      fl_result_add_segment (result, offset, round ((offset + duration) * 1000) / 1000,
                             fl_json_string (o, "speaker", NULL), fl_json_string (o, "text", ""));
    }
  return TRUE;
}
