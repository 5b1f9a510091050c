/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "fl-dataset.h"
#include "fl-test-support.h"

G_BEGIN_DECLS

char *fx_make_tmp_dir (void);
char *fx_make_png (const char *dir, const char *name, int width, int height);
/* A JPEG stored width x height whose EXIF orientation (6) turns it a quarter:
 * shown height x width. */
char *fx_make_rotated_jpeg (const char *dir, const char *name, int width, int height);
char *fx_make_wav (const char *dir, const char *name, double seconds);
void fx_write (const char *dir, const char *name, const char *contents, gssize len);
char *fx_read (const char *dir, const char *name);

/* Two images with boxes, polygons, points, tags and attributes. */
FlDataset *fx_image_dataset (const char *media_dir);
/* Two audio files with speakers and text, one in whole-file mode. */
FlDataset *fx_audio_dataset (const char *media_dir);

typedef enum
{
  FX_SHAPES_BOXES = 1 << 0,
  FX_SHAPES_POLYGONS = 1 << 1,
  FX_SHAPES_POINTS = 1 << 2,
  FX_TAGS = 1 << 3,
  FX_ATTRIBUTES = 1 << 4,
  FX_SPEAKERS = 1 << 5,
  FX_ALL = 0xff,
} FxCompare;

/* Asserts that every shape (or segment) of `expected` is in `actual`, in order,
 * matched by asset name; coordinates within tolerance pixels (or seconds). */
void fx_assert_same_results (FlDataset *expected, FlDataset *actual, FxCompare what,
                             double tolerance);

/* Runs argv, returning its exit status; output in *out when not NULL. */
int fx_run (const char *const *argv, char **out);
gboolean fx_have_program (const char *name);

gboolean fx_report_has (FlImportReport *report, FlImportEntryKind kind, const char *fragment);

G_END_DECLS
