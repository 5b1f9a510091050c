/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlTranscript"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fl-transcript.h"

struct _FlTranscript
{
  GObject parent_instance;

  gint64 duration_ms;
  GPtrArray *segments; /* FlSegment*, sorted by start, never overlapping */
};

G_DEFINE_FINAL_TYPE (FlTranscript, fl_transcript, G_TYPE_OBJECT)

GQuark
fl_transcript_error_quark (void)
{
  return g_quark_from_static_string ("fl-transcript-error-quark");
}

enum
{
  SEGMENTS_CHANGED,
  SEGMENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static FlSegment *
segment_new (gint64 start_ms, gint64 end_ms, const char *speaker, const char *text)
{
  FlSegment *seg = g_new0 (FlSegment, 1);

  seg->start_ms = start_ms;
  seg->end_ms = end_ms;
  seg->speaker = (speaker != NULL && *speaker != '\0') ? g_strdup (speaker) : NULL;
  seg->text = g_strdup (text != NULL ? text : "");
  return seg;
}

static void
segment_free (gpointer data)
{
  FlSegment *seg = data;

  g_free (seg->speaker);
  g_free (seg->text);
  g_free (seg);
}

char *
fl_format_timestamp (gint64 time_ms)
{
  gint64 t = MAX (time_ms, 0);
  gint64 h = t / 3600000;
  gint64 m = (t / 60000) % 60;
  gint64 s = (t / 1000) % 60;
  gint64 ms = t % 1000;

  if (h > 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT
                            ".%03" G_GINT64_FORMAT,
                            h, m, s, ms);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, m, s,
                          ms);
}

static void add_warning (GPtrArray *warnings, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_warning (GPtrArray *warnings, const char *format, ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_debug ("%s", message);
  if (warnings != NULL)
    g_ptr_array_add (warnings, message);
  else
    g_free (message);
}

static void
fl_transcript_finalize (GObject *object)
{
  FlTranscript *self = FL_TRANSCRIPT (object);

  g_ptr_array_unref (self->segments);
  G_OBJECT_CLASS (fl_transcript_parent_class)->finalize (object);
}

static void
fl_transcript_class_init (FlTranscriptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_transcript_finalize;

  /* Like GListModel::items-changed: @removed segments at @position were replaced by @added. */
  signals[SEGMENTS_CHANGED] =
    g_signal_new ("segments-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /* Bounds, speaker or text of one segment changed. */
  signals[SEGMENT_CHANGED] =
    g_signal_new ("segment-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
fl_transcript_init (FlTranscript *self)
{
  self->segments = g_ptr_array_new_with_free_func (segment_free);
}

FlTranscript *
fl_transcript_new (gint64 duration_ms)
{
  FlTranscript *self = g_object_new (FL_TYPE_TRANSCRIPT, NULL);

  self->duration_ms = MAX (duration_ms, 0);
  return self;
}

gint64
fl_transcript_get_duration_ms (FlTranscript *self)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), 0);
  return self->duration_ms;
}

static gint64
seconds_to_ms (double seconds)
{
  return (gint64) llround (seconds * 1000.0);
}

static gboolean
text_is_valid (const char *text, GError **error)
{
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_UTF8,
                           _ ("The text is not valid UTF-8"));
      return FALSE;
    }
  return TRUE;
}

static void
append_text (FlSegment *seg, const char *text, gboolean at_end)
{
  char *joined;

  if (text == NULL || *text == '\0')
    return;
  if (*seg->text == '\0')
    joined = g_strdup (text);
  else if (at_end)
    joined = g_strconcat (seg->text, " ", text, NULL);
  else
    joined = g_strconcat (text, " ", seg->text, NULL);
  g_free (seg->text);
  seg->text = joined;
}

static int
compare_start (gconstpointer a, gconstpointer b)
{
  const FlSegment *sa = *(const FlSegment *const *) a;
  const FlSegment *sb = *(const FlSegment *const *) b;

  if (sa->start_ms != sb->start_ms)
    return sa->start_ms < sb->start_ms ? -1 : 1;
  return sa->end_ms < sb->end_ms ? -1 : sa->end_ms > sb->end_ms;
}

/* Repairs a segment list so that it is sorted, inside [0, duration] and free of overlaps.
 * Text is never dropped: a segment that cannot stand is folded into its neighbour. */
static void
normalize (GPtrArray *segs, gint64 duration_ms, GPtrArray *warnings)
{
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (segment_free);
  g_autofree char *end_text = fl_format_timestamp (duration_ms);

  g_ptr_array_sort (segs, compare_start);

  for (guint i = 0; i < segs->len; i++)
    {
      FlSegment *seg = segs->pdata[i];
      FlSegment *prev = kept->len > 0 ? kept->pdata[kept->len - 1] : NULL;
      g_autofree char *start_text = fl_format_timestamp (seg->start_ms);
      g_autofree char *stop_text = fl_format_timestamp (seg->end_ms);
      gboolean fold = FALSE;

      if (seg->start_ms < 0)
        {
          add_warning (warnings, _ ("A segment started before the beginning; it now starts at 0."));
          seg->start_ms = 0;
        }
      if (duration_ms > 0 && seg->start_ms >= duration_ms)
        {
          add_warning (warnings,
                       _ ("The segment %s–%s starts after the end of the audio (%s); its text was "
                          "moved into the segment before it."),
                       start_text, stop_text, end_text);
          fold = TRUE;
        }
      else if (duration_ms > 0 && seg->end_ms > duration_ms)
        {
          add_warning (
            warnings,
            _ ("The segment %s–%s ran past the end of the audio (%s); it now ends there."),
            start_text, stop_text, end_text);
          seg->end_ms = duration_ms;
        }
      if (!fold && prev != NULL && seg->start_ms < prev->end_ms)
        {
          g_autofree char *prev_start = fl_format_timestamp (prev->start_ms);
          g_autofree char *prev_stop = fl_format_timestamp (prev->end_ms);

          if (seg->end_ms <= prev->end_ms)
            {
              add_warning (warnings,
                           _ ("The segment %s–%s lay inside the segment %s–%s; their texts were "
                              "joined."),
                           start_text, stop_text, prev_start, prev_stop);
              fold = TRUE;
            }
          else
            {
              add_warning (warnings,
                           _ ("The segment %s–%s overlapped the segment %s–%s; it now starts at "
                              "%s."),
                           start_text, stop_text, prev_start, prev_stop, prev_stop);
              seg->start_ms = prev->end_ms;
            }
        }
      if (!fold && seg->end_ms <= seg->start_ms)
        {
          add_warning (warnings,
                       _ ("The segment %s–%s had no length; its text was moved into a "
                          "neighbouring segment."),
                       start_text, stop_text);
          fold = TRUE;
        }

      if (fold)
        {
          if (prev != NULL)
            append_text (prev, seg->text, TRUE);
          else if (i + 1 < segs->len)
            append_text (segs->pdata[i + 1], seg->text, FALSE);
          else if (duration_ms > 0)
            {
              /* Nothing to fold into: keep the text in one segment spanning the file. */
              seg->start_ms = 0;
              seg->end_ms = duration_ms;
              g_ptr_array_add (kept, g_ptr_array_steal_index (segs, i--));
            }
          continue;
        }
      g_ptr_array_add (kept, g_ptr_array_steal_index (segs, i--));
    }

  g_ptr_array_set_size (segs, 0);
  g_ptr_array_extend_and_steal (segs, g_steal_pointer (&kept));
}

gboolean
fl_transcript_set_duration_ms (FlTranscript *self, gint64 duration_ms, GPtrArray *warnings)
{
  guint old_len;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (duration_ms >= 0, FALSE);

  self->duration_ms = duration_ms;
  old_len = self->segments->len;
  normalize (self->segments, duration_ms, warnings);
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, 0, old_len, self->segments->len);
  return TRUE;
}

static gboolean
read_number (JsonObject *obj, const char *name, double *out)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node))
    {
      case G_TYPE_DOUBLE:
      case G_TYPE_INT64:
        *out = json_node_get_double (node);
        return isfinite (*out);
      default:
        return FALSE;
    }
}

gboolean
fl_transcript_load_result (FlTranscript *self, JsonNode *result, GPtrArray *warnings,
                           GError **error)
{
  g_autoptr (GPtrArray) segs = g_ptr_array_new_with_free_func (segment_free);
  JsonObject *root;
  JsonNode *segments_node;
  JsonArray *array;
  guint old_len;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (result != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON,
                           _ ("The pre-annotation is not a JSON object"));
      return FALSE;
    }
  root = json_node_get_object (result);
  if (json_object_has_member (root, "kind") &&
      g_strcmp0 (json_object_get_string_member_with_default (root, "kind", ""), "audio") != 0)
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON,
                           _ ("The pre-annotation is not an audio result"));
      return FALSE;
    }
  segments_node = json_object_get_member (root, "segments");
  if (segments_node == NULL || JSON_NODE_HOLDS_NULL (segments_node))
    array = NULL;
  else if (JSON_NODE_HOLDS_ARRAY (segments_node))
    array = json_node_get_array (segments_node);
  else
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON,
                           _ ("The pre-annotation’s “segments” is not a list"));
      return FALSE;
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *obj;
      double start, end;
      const char *speaker = NULL;
      const char *text = "";
      g_autofree char *fixed_text = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON,
                       _ ("Segment %u of the pre-annotation is not an object"), i + 1);
          return FALSE;
        }
      obj = json_node_get_object (node);
      if (!read_number (obj, "start", &start) || !read_number (obj, "end", &end))
        {
          g_set_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON,
                       _ ("Segment %u of the pre-annotation needs numeric “start” and “end”"),
                       i + 1);
          return FALSE;
        }
      if (json_object_has_member (obj, "speaker") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "speaker")))
        speaker = json_object_get_string_member (obj, "speaker");
      if (json_object_has_member (obj, "text") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "text")))
        text = json_object_get_string_member (obj, "text");
      if (text == NULL)
        text = "";
      if (!g_utf8_validate (text, -1, NULL))
        {
          add_warning (warnings,
                       _ ("Segment %u had text that is not valid UTF-8; the broken bytes were "
                          "replaced with “\xef\xbf\xbd”."),
                       i + 1);
          fixed_text = g_utf8_make_valid (text, -1);
          text = fixed_text;
        }
      if (end < start)
        {
          double t = start;

          add_warning (
            warnings, _ ("Segment %u ended before it started; start and end were swapped."), i + 1);
          start = end;
          end = t;
        }
      g_ptr_array_add (segs,
                       segment_new (seconds_to_ms (start), seconds_to_ms (end), speaker, text));
    }

  normalize (segs, self->duration_ms, warnings);

  old_len = self->segments->len;
  g_ptr_array_set_size (self->segments, 0);
  g_ptr_array_extend_and_steal (self->segments, g_steal_pointer (&segs));
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, 0, old_len, self->segments->len);
  return TRUE;
}

static double
ms_to_seconds (gint64 ms)
{
  return (double) ms / 1000.0;
}

JsonNode *
fl_transcript_to_result (FlTranscript *self)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "audio");
  json_builder_set_member_name (builder, "duration");
  json_builder_add_double_value (builder, ms_to_seconds (self->duration_ms));
  json_builder_set_member_name (builder, "segments");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->segments->len; i++)
    {
      const FlSegment *seg = self->segments->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "start");
      json_builder_add_double_value (builder, ms_to_seconds (seg->start_ms));
      json_builder_set_member_name (builder, "end");
      json_builder_add_double_value (builder, ms_to_seconds (seg->end_ms));
      if (seg->speaker != NULL)
        {
          json_builder_set_member_name (builder, "speaker");
          json_builder_add_string_value (builder, seg->speaker);
        }
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, seg->text);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

guint
fl_transcript_get_n_segments (FlTranscript *self)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), 0);
  return self->segments->len;
}

const FlSegment *
fl_transcript_get_segment (FlTranscript *self, guint index)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), NULL);
  g_return_val_if_fail (index < self->segments->len, NULL);
  return self->segments->pdata[index];
}

int
fl_transcript_find_at (FlTranscript *self, gint64 time_ms)
{
  guint lo = 0, hi;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), -1);

  hi = self->segments->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const FlSegment *seg = self->segments->pdata[mid];

      if (time_ms < seg->start_ms)
        hi = mid;
      else if (time_ms >= seg->end_ms)
        lo = mid + 1;
      else
        return (int) mid;
    }
  return -1;
}

/* Whether [start, end) fits between the neighbours of @index (or of a new segment when
 * @index is -1). */
static gboolean
check_range (FlTranscript *self, int index, gint64 start_ms, gint64 end_ms, GError **error)
{
  if (start_ms < 0 || end_ms <= start_ms || (self->duration_ms > 0 && end_ms > self->duration_ms))
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OUT_OF_RANGE,
                           _ ("A segment must have a length and lie within the audio"));
      return FALSE;
    }
  for (guint i = 0; i < self->segments->len; i++)
    {
      const FlSegment *seg = self->segments->pdata[i];

      if ((int) i == index)
        continue;
      if (start_ms < seg->end_ms && seg->start_ms < end_ms)
        {
          g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OVERLAP,
                               _ ("Segments may not overlap"));
          return FALSE;
        }
    }
  return TRUE;
}

int
fl_transcript_add_segment (FlTranscript *self, gint64 start_ms, gint64 end_ms, const char *speaker,
                           const char *text, GError **error)
{
  guint pos = 0;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), -1);

  if (text != NULL && !text_is_valid (text, error))
    return -1;
  if (speaker != NULL && !text_is_valid (speaker, error))
    return -1;
  if (!check_range (self, -1, start_ms, end_ms, error))
    return -1;
  while (pos < self->segments->len &&
         ((FlSegment *) self->segments->pdata[pos])->start_ms < start_ms)
    pos++;
  g_ptr_array_insert (self->segments, pos, segment_new (start_ms, end_ms, speaker, text));
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, pos, 0, 1);
  return (int) pos;
}

gboolean
fl_transcript_remove_segment (FlTranscript *self, guint index)
{
  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (index < self->segments->len, FALSE);

  g_ptr_array_remove_index (self->segments, index);
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, index, 1, 0);
  return TRUE;
}

gboolean
fl_transcript_set_bounds (FlTranscript *self, guint index, gint64 start_ms, gint64 end_ms,
                          GError **error)
{
  FlSegment *seg;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (index < self->segments->len, FALSE);

  if (!check_range (self, (int) index, start_ms, end_ms, error))
    return FALSE;
  seg = self->segments->pdata[index];
  seg->start_ms = start_ms;
  seg->end_ms = end_ms;
  g_signal_emit (self, signals[SEGMENT_CHANGED], 0, index);
  return TRUE;
}

gboolean
fl_transcript_set_text (FlTranscript *self, guint index, const char *text, GError **error)
{
  FlSegment *seg;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (index < self->segments->len, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!text_is_valid (text, error))
    return FALSE;
  seg = self->segments->pdata[index];
  if (g_strcmp0 (seg->text, text) == 0)
    return TRUE;
  g_free (seg->text);
  seg->text = g_strdup (text);
  g_signal_emit (self, signals[SEGMENT_CHANGED], 0, index);
  return TRUE;
}

gboolean
fl_transcript_set_speaker (FlTranscript *self, guint index, const char *speaker)
{
  FlSegment *seg;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (index < self->segments->len, FALSE);
  g_return_val_if_fail (speaker == NULL || g_utf8_validate (speaker, -1, NULL), FALSE);

  seg = self->segments->pdata[index];
  if (speaker != NULL && *speaker == '\0')
    speaker = NULL;
  if (g_strcmp0 (seg->speaker, speaker) == 0)
    return TRUE;
  g_free (seg->speaker);
  seg->speaker = g_strdup (speaker);
  g_signal_emit (self, signals[SEGMENT_CHANGED], 0, index);
  return TRUE;
}

gboolean
fl_transcript_split (FlTranscript *self, guint index, gint64 at_ms, int text_offset, GError **error)
{
  FlSegment *seg;
  FlSegment *tail;
  const char *cut;
  glong n_chars;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);
  g_return_val_if_fail (index < self->segments->len, FALSE);

  seg = self->segments->pdata[index];
  if (at_ms <= seg->start_ms || at_ms >= seg->end_ms)
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_SPLIT,
                           _ ("The playhead must be inside the segment to split it"));
      return FALSE;
    }
  n_chars = g_utf8_strlen (seg->text, -1);
  if (text_offset < 0 || text_offset > n_chars)
    text_offset = (int) n_chars;
  cut = g_utf8_offset_to_pointer (seg->text, text_offset);

  tail = segment_new (at_ms, seg->end_ms, seg->speaker, NULL);
  g_free (tail->text);
  tail->text = g_strstrip (g_strdup (cut));
  *(char *) cut = '\0';
  g_strchomp (seg->text);
  seg->end_ms = at_ms;
  g_ptr_array_insert (self->segments, index + 1, tail);
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, index, 1, 2);
  return TRUE;
}

gboolean
fl_transcript_merge_with_next (FlTranscript *self, guint index, GError **error)
{
  FlSegment *seg;
  FlSegment *next;

  g_return_val_if_fail (FL_IS_TRANSCRIPT (self), FALSE);

  if (index + 1 >= self->segments->len)
    {
      g_set_error_literal (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_MERGE,
                           _ ("There is no following segment to merge with"));
      return FALSE;
    }
  seg = self->segments->pdata[index];
  next = self->segments->pdata[index + 1];
  seg->end_ms = next->end_ms;
  append_text (seg, next->text, TRUE);
  if (seg->speaker == NULL && next->speaker != NULL)
    seg->speaker = g_strdup (next->speaker);
  g_ptr_array_remove_index (self->segments, index + 1);
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, index, 2, 1);
  return TRUE;
}

void
fl_transcript_set_whole_file (FlTranscript *self, const char *text)
{
  g_autoptr (GString) joined = g_string_new (text);
  guint old_len;

  g_return_if_fail (FL_IS_TRANSCRIPT (self));
  g_return_if_fail (self->duration_ms > 0);

  for (guint i = 0; text == NULL && i < self->segments->len; i++)
    {
      const FlSegment *seg = self->segments->pdata[i];

      if (*seg->text == '\0')
        continue;
      if (joined->len > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, seg->text);
    }
  old_len = self->segments->len;
  g_ptr_array_set_size (self->segments, 0);
  g_ptr_array_add (self->segments, segment_new (0, self->duration_ms, NULL, joined->str));
  g_signal_emit (self, signals[SEGMENTS_CHANGED], 0, 0, old_len, 1);
}
