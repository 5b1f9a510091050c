/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "fl-player.h"
#include "fl-transcript.h"
#include "fl-waveform.h"

G_BEGIN_DECLS

#define FL_TYPE_WAVEFORM_VIEW (fl_waveform_view_get_type ())
G_DECLARE_FINAL_TYPE (FlWaveformView, fl_waveform_view, FL, WAVEFORM_VIEW, GtkWidget)

GtkWidget *fl_waveform_view_new (void);

void fl_waveform_view_set_waveform (FlWaveformView *self, FlWaveform *waveform);
void fl_waveform_view_set_player (FlWaveformView *self, FlPlayer *player);
void fl_waveform_view_set_transcript (FlWaveformView *self, FlTranscript *transcript);
void fl_waveform_view_set_speaker_color (FlWaveformView *self, const char *speaker,
                                         const GdkRGBA *color);
void fl_waveform_view_clear_speaker_colors (FlWaveformView *self);
void fl_waveform_view_set_selected (FlWaveformView *self, int index);

GtkAdjustment *fl_waveform_view_get_adjustment (FlWaveformView *self);
double fl_waveform_view_get_pixels_per_second (FlWaveformView *self);
void fl_waveform_view_set_pixels_per_second (FlWaveformView *self, double pixels_per_second);
void fl_waveform_view_zoom (FlWaveformView *self, double factor);

double fl_waveform_view_time_to_x (FlWaveformView *self, gint64 time_ms);
gint64 fl_waveform_view_x_to_time (FlWaveformView *self, double x);

G_END_DECLS
