/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FL_TRANSCRIPT_ERROR (fl_transcript_error_quark ())

typedef enum
{
  FL_TRANSCRIPT_ERROR_INVALID_JSON,
  FL_TRANSCRIPT_ERROR_INVALID_UTF8,
  FL_TRANSCRIPT_ERROR_OVERLAP,
  FL_TRANSCRIPT_ERROR_OUT_OF_RANGE,
  FL_TRANSCRIPT_ERROR_INVALID_SPLIT,
  FL_TRANSCRIPT_ERROR_INVALID_MERGE,
} FlTranscriptError;

GQuark fl_transcript_error_quark (void);

/* Times are whole milliseconds: the result JSON carries ms precision. */
typedef struct
{
  gint64 start_ms;
  gint64 end_ms;
  char *speaker; /* nullable */
  char *text;    /* valid UTF-8, never NULL */
} FlSegment;

#define FL_TYPE_TRANSCRIPT (fl_transcript_get_type ())
G_DECLARE_FINAL_TYPE (FlTranscript, fl_transcript, FL, TRANSCRIPT, GObject)

FlTranscript *fl_transcript_new (gint64 duration_ms);

gint64 fl_transcript_get_duration_ms (FlTranscript *self);
gboolean fl_transcript_set_duration_ms (FlTranscript *self, gint64 duration_ms,
                                        GPtrArray *warnings);

gboolean fl_transcript_load_result (FlTranscript *self, JsonNode *result, GPtrArray *warnings,
                                    GError **error);
JsonNode *fl_transcript_to_result (FlTranscript *self);

guint fl_transcript_get_n_segments (FlTranscript *self);
const FlSegment *fl_transcript_get_segment (FlTranscript *self, guint index);
int fl_transcript_find_at (FlTranscript *self, gint64 time_ms);

int fl_transcript_add_segment (FlTranscript *self, gint64 start_ms, gint64 end_ms,
                               const char *speaker, const char *text, GError **error);
gboolean fl_transcript_remove_segment (FlTranscript *self, guint index);
gboolean fl_transcript_set_bounds (FlTranscript *self, guint index, gint64 start_ms, gint64 end_ms,
                                   GError **error);
gboolean fl_transcript_set_text (FlTranscript *self, guint index, const char *text, GError **error);
gboolean fl_transcript_set_speaker (FlTranscript *self, guint index, const char *speaker);
gboolean fl_transcript_split (FlTranscript *self, guint index, gint64 at_ms, int text_offset,
                              GError **error);
gboolean fl_transcript_merge_with_next (FlTranscript *self, guint index, GError **error);
void fl_transcript_set_whole_file (FlTranscript *self, const char *text);

char *fl_format_timestamp (gint64 time_ms);

G_END_DECLS
