/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char *fl_test_make_tone (const char *dir, const char *name, double tone_seconds,
                         double silence_seconds, double volume, int rate);
char *fl_test_encode (const char *wav_path, const char *dir, const char *format);
char *fl_test_make_speech (const char *dir, const char *name, const char *text);
char *fl_test_make_video_only (const char *dir, const char *name);
void fl_test_run_pipeline (const char *description);
gboolean fl_test_wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms);
void fl_test_sleep_in_loop (guint ms);
void fl_test_remove_tree (const char *dir);

G_END_DECLS
