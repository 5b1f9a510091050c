/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "formats-fixtures.h"

/* Every export format, read back by our own importer: nothing it can hold is lost. */

typedef struct
{
  const char *format;
  const char *kind;
  FxCompare what;
  double tolerance;
} RoundTrip;

static const RoundTrip round_trips[] = {
  { "json", "image", FX_ALL, 0 },
  { "jsonl", "image", FX_ALL, 0 },
  { "coco", "image", FX_ALL, 0 },
  { "yolo", "image", FX_SHAPES_BOXES | FX_SHAPES_POLYGONS, 1e-3 },
  { "voc", "image", FX_ALL, 0 },
  { "cvat", "image", FX_ALL, 0 },
  { "label-studio", "image", FX_ALL, 1e-9 },
  { "json", "audio", FX_ALL, 0 },
  { "jsonl", "audio", FX_ALL, 0 },
  { "label-studio", "audio", FX_ALL, 0 },
  { "srt", "audio", FX_ALL, 5e-4 },
  { "vtt", "audio", FX_ALL, 5e-4 },
  { "txt", "audio", FX_ALL, 5e-4 },
  { "asr-manifest", "audio", FX_ALL, 5e-4 },
  { "segments", "audio", FX_ALL, 5e-4 },
};

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip *rt = data;
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *out = g_build_filename (tmp, "export", NULL);
  g_autoptr (FlDataset) ds =
    g_str_equal (rt->kind, "image") ? fx_image_dataset (media) : fx_audio_dataset (media);
  g_autoptr (GError) error = NULL;

  g_assert_true (fl_dataset_export (ds, rt->format, out, &error));
  g_assert_no_error (error);

  /* Once with the format named, once detected from the folder. */
  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr (FlImportReport) report = NULL;
      g_autoptr (FlDataset) back =
        fl_dataset_import (out, pass == 0 ? rt->format : NULL, &report, &error);
      g_autofree char *text = report ? fl_import_report_to_string (report) : NULL;

      g_test_message ("%s", text ? text : "(no report)");
      g_assert_no_error (error);
      g_assert_nonnull (back);
      if (pass == 1)
        g_assert_cmpstr (report->format, ==, rt->format);
      g_assert_cmpuint (report->n_skipped, ==, 0);
      g_assert_cmpuint (report->n_tasks, ==, ds->items->len);
      fx_assert_same_results (ds, back, rt->what, rt->tolerance);
      for (guint i = 0; i < back->items->len; i++)
        {
          FlDatasetItem *item = g_ptr_array_index (back->items, i);

          GStatBuf exported, stored;
          const char *stored_path = NULL;

          for (guint k = 0; k < ds->items->len; k++)
            {
              FlDatasetItem *orig = g_ptr_array_index (ds->items, k);

              if (g_strcmp0 (orig->asset_name, item->asset_name) == 0)
                stored_path = orig->asset_path;
            }
          /* Imported assets are the exported copies, inside the folder;
           * copies, not links to the stored blobs. */
          g_assert_nonnull (stored_path);
          g_assert_true (g_str_has_prefix (item->asset_path, report->root));
          g_assert_true (g_file_test (item->asset_path, G_FILE_TEST_IS_REGULAR));
          g_assert_cmpint (g_stat (item->asset_path, &exported), ==, 0);
          g_assert_cmpint (g_stat (stored_path, &stored), ==, 0);
          g_assert_true (exported.st_ino != stored.st_ino);
          g_assert_cmpint (exported.st_size, ==, stored.st_size);
        }
      if (g_str_equal (rt->kind, "image") && (rt->what & FX_SHAPES_POINTS))
        {
          JsonArray *classes = json_object_get_array_member (back->label_config, "classes");

          g_assert_nonnull (classes);
          g_assert_cmpuint (json_array_get_length (classes), >=, 3);
        }
    }
  fl_test_remove_tree (tmp);
}

static void
test_audit_csv (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autofree char *expected_path =
    g_test_build_filename (G_TEST_DIST, "formats", "data", "expected", "fairness-audit.csv", NULL);
  g_autofree char *expected = NULL;
  const char *const *formats = fl_dataset_export_formats ("image");

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_autofree char *out = g_build_filename (tmp, formats[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autofree char *csv = NULL;

      g_assert_true (fl_dataset_export (ds, formats[i], out, &error));
      g_assert_no_error (error);
      csv = fx_read (out, "fairness-audit.csv");
      g_assert_cmpstr (csv, ==, expected);
    }
  fl_test_remove_tree (tmp);
}

static void
assert_same_file (const char *expected_rel, const char *dir, const char *name)
{
  g_autofree char *expected_path =
    g_test_build_filename (G_TEST_DIST, "formats", "data", "expected", expected_rel, NULL);
  g_autofree char *expected = NULL;
  g_autofree char *actual = fx_read (dir, name);

  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_coco_expected (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *out = g_build_filename (tmp, "coco", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (GError) error = NULL;
  g_autofree char *expected_path =
    g_test_build_filename (G_TEST_DIST, "formats", "data", "expected", "coco.json", NULL);
  g_autofree char *actual_path = g_build_filename (out, "annotations.json", NULL);
  g_autoptr (JsonParser) p1 = json_parser_new ();
  g_autoptr (JsonParser) p2 = json_parser_new ();

  g_assert_true (fl_dataset_export (ds, "coco", out, &error));
  g_assert_true (json_parser_load_from_file (p1, expected_path, &error));
  g_assert_true (json_parser_load_from_file (p2, actual_path, &error));
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_parser_get_root (p1), json_parser_get_root (p2)));
  fl_test_remove_tree (tmp);
}

static void
test_yolo_expected (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *out = g_build_filename (tmp, "yolo", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (GError) error = NULL;

  g_assert_true (fl_dataset_export (ds, "yolo", out, &error));
  g_assert_no_error (error);
  assert_same_file ("yolo/classes.txt", out, "classes.txt");
  assert_same_file ("yolo/labels/street one.txt", out, "labels/street one.txt");
  assert_same_file ("yolo/labels/b.txt", out, "labels/b.txt");
  g_assert_true (g_file_test (out, G_FILE_TEST_IS_DIR));
  fl_test_remove_tree (tmp);
}

static void
test_audio_expected (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autoptr (FlDataset) ds = fx_audio_dataset (media);
  const char *const formats[] = { "srt", "vtt", "txt" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = g_build_filename (tmp, formats[i], NULL);
      g_autofree char *name = g_strconcat ("talk.", formats[i], NULL);
      g_autofree char *expected = g_build_filename ("audio", name, NULL);
      g_autoptr (GError) error = NULL;

      g_assert_true (fl_dataset_export (ds, formats[i], out, &error));
      g_assert_no_error (error);
      assert_same_file (expected, out, name);
    }
  {
    g_autofree char *out = g_build_filename (tmp, "manifest", NULL);
    g_autoptr (GError) error = NULL;

    g_assert_true (fl_dataset_export (ds, "asr-manifest", out, &error));
    g_assert_no_error (error);
    assert_same_file ("audio/manifest.jsonl", out, "manifest.jsonl");
  }
  fl_test_remove_tree (tmp);
}

static void
test_export_wrong_kind (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autoptr (FlDataset) ds = fx_audio_dataset (media);
  g_autoptr (GError) error = NULL;

  g_assert_false (fl_dataset_export (ds, "yolo", tmp, &error));
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (fl_dataset_export (ds, "no-such-format", tmp, &error));
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT);
  fl_test_remove_tree (tmp);
}

static void
test_export_same_stems (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autoptr (FlDataset) ds = fl_dataset_new ("image");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlDataset) back = NULL;
  const char *const names[] = { "a.png", "a.jpg", "../../etc/a.png", "A.png" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      FlDatasetItem *item = fl_dataset_add_item (ds);
      g_autofree char *blob = g_strdup_printf ("blob%u", i);

      item->asset_name = g_strdup (names[i]);
      item->asset_path = fx_make_png (tmp, blob, 10, 10);
      item->result = json_from_string (
        "{\"kind\":\"image\",\"image\":{\"width\":10,\"height\":10},\"shapes\":[{\"type\":\"box\","
        "\"label\":\"x\",\"x\":1,\"y\":1,\"width\":2,\"height\":2}]}",
        NULL);
    }
  g_assert_true (fl_dataset_export (ds, "yolo", out, &error));
  g_assert_no_error (error);
  /* Four label files: names that differ only in extension or case do not collide. */
  back = fl_dataset_import (out, "yolo", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->items->len, ==, 4);
  for (guint i = 0; i < back->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (back->items, i);
      JsonObject *result = json_node_get_object (item->result);

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "shapes")), ==,
                        1);
      g_assert_null (strstr (item->asset_path, "/etc/"));
    }
  fl_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/formats/round-trip/%s/%s", round_trips[i].kind, round_trips[i].format);

      g_test_add_data_func (path, &round_trips[i], test_round_trip);
    }
  g_test_add_func ("/formats/export/audit-csv-matches-hand-computed", test_audit_csv);
  g_test_add_func ("/formats/export/coco-matches-hand-computed", test_coco_expected);
  g_test_add_func ("/formats/export/yolo-matches-hand-computed", test_yolo_expected);
  g_test_add_func ("/formats/export/subtitles-match-hand-computed", test_audio_expected);
  g_test_add_func ("/formats/export/refuses-wrong-kind-and-unknown-format", test_export_wrong_kind);
  g_test_add_func ("/formats/export/same-stems-do-not-collide", test_export_same_stems);
  return g_test_run ();
}
