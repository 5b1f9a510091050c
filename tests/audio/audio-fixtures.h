/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "fl-test-support.h"

G_BEGIN_DECLS

char *fl_test_make_tone (const char *dir, const char *name, double tone_seconds,
                         double silence_seconds, double volume, int rate);
char *fl_test_encode (const char *wav_path, const char *dir, const char *format);
char *fl_test_make_speech (const char *dir, const char *name, const char *text);
char *fl_test_make_video_only (const char *dir, const char *name);
void fl_test_run_pipeline (const char *description);

G_END_DECLS
