/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fl-transcript.h"

G_BEGIN_DECLS

#define FL_TYPE_TRANSCRIPT_EDITOR (fl_transcript_editor_get_type ())
G_DECLARE_FINAL_TYPE (FlTranscriptEditor, fl_transcript_editor, FL, TRANSCRIPT_EDITOR, GtkWidget)

GtkWidget *fl_transcript_editor_new (void);

void fl_transcript_editor_set_transcript (FlTranscriptEditor *self, FlTranscript *transcript);
void fl_transcript_editor_set_speakers (FlTranscriptEditor *self, const char *const *speakers);
void fl_transcript_editor_set_whole_file (FlTranscriptEditor *self, gboolean whole_file);
gboolean fl_transcript_editor_get_whole_file (FlTranscriptEditor *self);

void fl_transcript_editor_focus_segment (FlTranscriptEditor *self, int index, gboolean at_start);
int fl_transcript_editor_get_current_segment (FlTranscriptEditor *self);
int fl_transcript_editor_get_cursor_offset (FlTranscriptEditor *self);
void fl_transcript_editor_insert_at_cursor (FlTranscriptEditor *self, const char *text);
GtkTextView *fl_transcript_editor_get_text_view (FlTranscriptEditor *self, int index);

G_END_DECLS
