/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "fl-player.h"
#include "fl-transcript-editor.h"
#include "fl-transcript.h"
#include "fl-waveform-view.h"
#include "fl-waveform.h"

G_BEGIN_DECLS

#define FL_TYPE_AUDIO_VIEW (fl_audio_view_get_type ())
G_DECLARE_FINAL_TYPE (FlAudioView, fl_audio_view, FL, AUDIO_VIEW, GtkWidget)

GtkWidget *fl_audio_view_new (void);

void fl_audio_view_load (FlAudioView *self, GFile *asset, JsonObject *label_config,
                         JsonNode *pre_annotation);
JsonNode *fl_audio_view_get_result (FlAudioView *self);

void fl_audio_view_set_audio_sink (FlAudioView *self, GstElement *sink);
FlPlayer *fl_audio_view_get_player (FlAudioView *self);
FlWaveform *fl_audio_view_get_waveform (FlAudioView *self);
FlTranscript *fl_audio_view_get_transcript (FlAudioView *self);
FlWaveformView *fl_audio_view_get_waveform_view (FlAudioView *self);
FlTranscriptEditor *fl_audio_view_get_editor (FlAudioView *self);
const char *fl_audio_view_get_warnings (FlAudioView *self);

G_END_DECLS
