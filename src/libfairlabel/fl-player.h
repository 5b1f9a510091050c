/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define FL_PLAYER_MIN_SPEED 0.5
#define FL_PLAYER_MAX_SPEED 2.0

#define FL_TYPE_PLAYER (fl_player_get_type ())
G_DECLARE_FINAL_TYPE (FlPlayer, fl_player, FL, PLAYER, GObject)

FlPlayer *fl_player_new (GstElement *audio_sink);

void fl_player_open (FlPlayer *self, GFile *file);
void fl_player_close (FlPlayer *self);

void fl_player_play (FlPlayer *self);
void fl_player_pause (FlPlayer *self);
void fl_player_toggle (FlPlayer *self);
void fl_player_seek (FlPlayer *self, gint64 position_ms);
void fl_player_skip (FlPlayer *self, int direction);

gboolean fl_player_get_ready (FlPlayer *self);
gboolean fl_player_get_playing (FlPlayer *self);
gint64 fl_player_get_position_ms (FlPlayer *self);
gint64 fl_player_query_position_ms (FlPlayer *self);
gint64 fl_player_get_duration_ms (FlPlayer *self);
const char *fl_player_get_error (FlPlayer *self);
gboolean fl_player_get_has_audio_output (FlPlayer *self);

double fl_player_get_speed (FlPlayer *self);
void fl_player_set_speed (FlPlayer *self, double speed);
double fl_player_get_volume (FlPlayer *self);
void fl_player_set_volume (FlPlayer *self, double volume);
gint64 fl_player_get_skip_ms (FlPlayer *self);
void fl_player_set_skip_ms (FlPlayer *self, gint64 skip_ms);
gint64 fl_player_get_rewind_on_pause_ms (FlPlayer *self);
void fl_player_set_rewind_on_pause_ms (FlPlayer *self, gint64 rewind_ms);
void fl_player_set_loop (FlPlayer *self, gint64 start_ms, gint64 end_ms);
void fl_player_clear_loop (FlPlayer *self);
gboolean fl_player_get_looping (FlPlayer *self);

G_END_DECLS
