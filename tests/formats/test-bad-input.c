/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "formats-fixtures.h"

/* Foreign files that are wrong in the ways real files are: each import says
 * what it took, what it skipped and why, and never reads outside its folder. */

static FlDataset *
import_ok (const char *path, const char *format, FlImportReport **report)
{
  g_autoptr (GError) error = NULL;
  FlDataset *ds = fl_dataset_import (path, format, report, &error);
  g_autofree char *text = *report ? fl_import_report_to_string (*report) : NULL;

  g_test_message ("%s", text ? text : "(no report)");
  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

static JsonArray *
shapes_of (FlDatasetItem *item)
{
  return json_object_get_array_member (json_node_get_object (item->result), "shapes");
}

static void
test_wrong_format (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *path = g_build_filename (tmp, "data.json", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;

  /* Valid JSON, but a Label Studio task list read as COCO. */
  fx_make_png (tmp, "a.png", 10, 10);
  fx_write (tmp, "data.json", "[{\"data\":{\"image\":\"a.png\"}}]", -1);
  ds = fl_dataset_import (path, "coco", &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT);
  g_clear_error (&error);
  g_clear_pointer (&report, fl_import_report_free);

  /* Valid JSON with none of COCO's members. */
  fx_write (tmp, "data.json", "{\"hello\": [1, 2, 3], \"world\": true}", -1);
  ds = fl_dataset_import (path, "coco", &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_WRONG_FORMAT);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not COCO"));
  g_clear_error (&error);
  g_clear_pointer (&report, fl_import_report_free);

  /* The same object with detection: no format matches. */
  ds = fl_dataset_import (path, NULL, &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_UNKNOWN_FORMAT);
  g_clear_error (&error);
  g_clear_pointer (&report, fl_import_report_free);

  /* Not JSON at all. */
  fx_write (tmp, "data.json", "{\"images\": [", -1);
  ds = fl_dataset_import (path, "coco", &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&report, fl_import_report_free);

  /* A JSON task list handed in as segments: the report names what is wrong. */
  fx_write (tmp, "data.json", "{\"tasks\": []}", -1);
  ds = fl_dataset_import (path, "segments", &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOTHING_IMPORTED);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not a segments file"));
  fl_test_remove_tree (tmp);
}

static void
test_coco_dangling_references (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *path = g_build_filename (tmp, "annotations.json", NULL);
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  FlDatasetItem *item;

  fx_make_png (tmp, "images/a.png", 100, 50);
  fx_write (tmp, "annotations.json",
            "{\"images\":[{\"id\":1,\"file_name\":\"a.png\",\"width\":100,\"height\":50},"
            "{\"id\":2,\"file_name\":\"gone.png\",\"width\":10,\"height\":10}],"
            "\"categories\":[{\"id\":7,\"name\":\"cat\"}],"
            "\"annotations\":["
            "{\"id\":1,\"image_id\":1,\"category_id\":7,\"bbox\":[1,2,3,4]},"
            "{\"id\":2,\"image_id\":99,\"category_id\":7,\"bbox\":[1,2,3,4]},"
            "{\"id\":3,\"image_id\":1,\"category_id\":8,\"bbox\":[1,2,3,4]},"
            "{\"id\":4,\"image_id\":2,\"category_id\":7,\"bbox\":[1,2,3,4]},"
            "{\"id\":5,\"image_id\":1,\"category_id\":7,\"segmentation\":[[1,1,5,1,3,4]],"
            "\"bbox\":[1,1,4,3]}]}",
            -1);
  ds = import_ok (path, NULL, &report);
  g_assert_cmpstr (report->format, ==, "coco");
  g_assert_cmpuint (ds->items->len, ==, 1);
  item = g_ptr_array_index (ds->items, 0);
  g_assert_cmpuint (json_array_get_length (shapes_of (item)), ==, 2);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED,
                                "annotation 2 points at an image that is not in the file"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED,
                                "annotation 3 points at a category that is not in the file"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "gone.png: file not found"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED,
                                "annotation 4 belongs to image 2, which was skipped"));
  g_assert_cmpuint (report->n_skipped, ==, 4);
  fl_test_remove_tree (tmp);
}

static void
test_yolo_bad_lines (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  FlDatasetItem *item;
  JsonObject *box;

  fx_make_png (tmp, "images/a.png", 200, 100);
  fx_write (tmp, "obj.names", "car\nperson\n", -1);
  fx_write (tmp, "labels/a.txt",
            "0 0.5 0.5 0.2 0.4\n"          /* fine */
            "1 0.5 1.5 0.2 0.2\n"          /* out of range */
            "2 0.5 0.5 0.2 0.2\n"          /* no such class */
            "0 0.5 abc 0.2 0.2\n"          /* not numeric */
            "x 0.5 0.5 0.2 0.2\n"          /* class not a number */
            "0 0.5 0.5 0.2\n"              /* too few values */
            "0 0.5 0.5 nan 0.2\n"          /* NaN */
            "1 0.1 0.1 0.2 0.1 0.3 0.3\n", /* polygon: fine */
            -1);
  fx_write (tmp, "labels/orphan.txt", "0 0.5 0.5 0.2 0.2\n", -1);
  ds = import_ok (tmp, NULL, &report);
  g_assert_cmpstr (report->format, ==, "yolo");
  item = g_ptr_array_index (ds->items, 0);
  g_assert_cmpuint (json_array_get_length (shapes_of (item)), ==, 2);
  box = json_array_get_object_element (shapes_of (item), 0);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "x"), 80, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "y"), 30, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "width"), 40, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (box, "height"), 40, 1e-9);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "value 1.5 is outside 0..1"));
  g_assert_true (
    fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "class 2 is not in the class list"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "value “abc” is not a number"));
  g_assert_true (
    fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "class “x” is not a whole number"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "found 4 values"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "value “nan” is not a number"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "label file without an image"));
  for (guint i = 0; i < report->entries->len; i++)
    {
      FlImportEntry *e = g_ptr_array_index (report->entries, i);

      if (g_strcmp0 (e->file, "labels/a.txt") == 0)
        g_assert_cmpuint (e->line, >=, 2);
    }
  g_assert_cmpuint (report->n_skipped, ==, 7);
  fl_test_remove_tree (tmp);
}

static void
test_voc_boxes_outside_image (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  JsonArray *shapes;
  JsonObject *clipped;

  fx_make_png (tmp, "JPEGImages/a.png", 100, 80);
  fx_write (tmp, "Annotations/a.xml",
            "<annotation><filename>a.png</filename>"
            "<size><width>100</width><height>80</height><depth>3</depth></size>"
            "<object><name>in</name><bndbox><xmin>10</xmin><ymin>10</ymin><xmax>20</xmax>"
            "<ymax>20</ymax></bndbox></object>"
            "<object><name>over &amp; out</name><bndbox><xmin>90</xmin><ymin>-5</ymin>"
            "<xmax>120</xmax><ymax>30</ymax></bndbox></object>"
            "<object><name>gone</name><bndbox><xmin>200</xmin><ymin>200</ymin><xmax>220</xmax>"
            "<ymax>220</ymax></bndbox></object>"
            "<object><name>flat</name><bndbox><xmin>5</xmin><ymin>5</ymin><xmax>5</xmax>"
            "<ymax>9</ymax></bndbox></object>"
            "<object><name>words</name><bndbox><xmin>a</xmin><ymin>5</ymin><xmax>5</xmax>"
            "<ymax>9</ymax></bndbox></object>"
            "</annotation>",
            -1);
  fx_write (tmp, "Annotations/broken.xml", "<annotation><filename>a.png", -1);
  ds = import_ok (tmp, NULL, &report);
  g_assert_cmpstr (report->format, ==, "voc");
  g_assert_cmpuint (ds->items->len, ==, 1);
  shapes = shapes_of (g_ptr_array_index (ds->items, 0));
  g_assert_cmpuint (json_array_get_length (shapes), ==, 2);
  clipped = json_array_get_object_element (shapes, 1);
  g_assert_cmpstr (json_object_get_string_member (clipped, "label"), ==, "over & out");
  g_assert_cmpfloat (json_object_get_double_member (clipped, "x"), ==, 90);
  g_assert_cmpfloat (json_object_get_double_member (clipped, "y"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (clipped, "width"), ==, 10);
  g_assert_cmpfloat (json_object_get_double_member (clipped, "height"), ==, 30);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_CHANGED, "clipped to it"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "lies outside the 100x80 image"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "has no area"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "has no numeric <bndbox>"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not well-formed XML"));
  fl_test_remove_tree (tmp);
}

static void
test_label_studio_percent_and_unknown (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *path = g_build_filename (tmp, "export.json", NULL);
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  FlDatasetItem *item;
  JsonArray *shapes, *aside;
  JsonObject *box, *point;

  fx_make_png (tmp, "photos/a.png", 400, 200);
  fx_make_png (tmp, "photos/b.png", 400, 200);
  fx_write (
    tmp, "export.json",
    "[{\"id\":1,\"data\":{\"photo\":\"/data/local-files/?d=photos/a.png\"},"
    "\"annotations\":[{\"id\":10,\"result\":["
    "{\"id\":\"r1\",\"type\":\"rectanglelabels\",\"from_name\":\"label\",\"to_name\":\"image\","
    "\"original_width\":400,\"original_height\":200,"
    "\"value\":{\"x\":25,\"y\":50,\"width\":12.5,\"height\":10,\"rotation\":0,"
    "\"rectanglelabels\":[\"car\"]}},"
    "{\"id\":\"r1\",\"type\":\"choices\",\"from_name\":\"occluded\",\"to_name\":\"image\","
    "\"value\":{\"x\":25,\"y\":50,\"width\":12.5,\"height\":10,\"choices\":[\"true\"]}},"
    "{\"id\":\"r2\",\"type\":\"keypointlabels\",\"from_name\":\"kp\",\"to_name\":\"image\","
    "\"original_width\":400,\"original_height\":200,"
    "\"value\":{\"x\":50,\"y\":50,\"width\":1,\"keypointlabels\":[\"eye\"]}},"
    "{\"id\":\"r3\",\"type\":\"brushlabels\",\"from_name\":\"mask\",\"to_name\":\"image\","
    "\"original_width\":400,\"original_height\":200,"
    "\"value\":{\"format\":\"rle\",\"rle\":[1,2,3],\"brushlabels\":[\"sky\"]}},"
    "{\"id\":\"r4\",\"type\":\"ellipselabels\",\"from_name\":\"e\",\"to_name\":\"image\","
    "\"original_width\":400,\"original_height\":200,"
    "\"value\":{\"x\":1,\"y\":1,\"radiusX\":2,\"radiusY\":3,\"ellipselabels\":[\"ball\"]}},"
    "{\"type\":\"relation\",\"from_id\":\"r1\",\"to_id\":\"r2\",\"direction\":\"right\"},"
    "{\"id\":\"t\",\"type\":\"choices\",\"from_name\":\"tags\",\"to_name\":\"image\","
    "\"value\":{\"choices\":[\"night\"]}}"
    "]}],"
    "\"predictions\":[{\"result\":[]}]},"
    "{\"id\":2,\"data\":{\"image\":\"photos/b.png\"},"
    "\"predictions\":[{\"model_version\":\"v1\",\"score\":0.5,\"result\":["
    "{\"id\":\"p1\",\"type\":\"polygonlabels\",\"from_name\":\"label\",\"to_name\":\"image\","
    "\"original_width\":400,\"original_height\":200,"
    "\"value\":{\"points\":[[0,0],[50,0],[50,100]],\"polygonlabels\":[\"road\"]}}]}]},"
    "{\"id\":3,\"data\":{\"image\":\"https://example.com/c.png\"}},"
    "{\"id\":4,\"data\":{}}]",
    -1);
  ds = import_ok (path, NULL, &report);
  g_assert_cmpstr (report->format, ==, "label-studio");
  g_assert_cmpuint (ds->items->len, ==, 2);

  item = g_ptr_array_index (ds->items, 0);
  g_assert_cmpstr (item->task_id, ==, "1");
  shapes = shapes_of (item);
  g_assert_cmpuint (json_array_get_length (shapes), ==, 2);
  box = json_array_get_object_element (shapes, 0);
  g_assert_cmpfloat (json_object_get_double_member (box, "x"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (box, "y"), ==, 100);
  g_assert_cmpfloat (json_object_get_double_member (box, "width"), ==, 50);
  g_assert_cmpfloat (json_object_get_double_member (box, "height"), ==, 20);
  g_assert_true (
    json_object_get_boolean_member (json_object_get_object_member (box, "attributes"), "occluded"));
  point = json_array_get_object_element (shapes, 1);
  g_assert_cmpfloat (json_object_get_double_member (point, "x"), ==, 200);
  g_assert_cmpfloat (json_object_get_double_member (point, "y"), ==, 100);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (json_node_get_object (item->result), "tags"), 0),
                   ==, "night");
  /* Brush, ellipse and relation are kept aside in the task's data and listed. */
  aside = json_object_get_array_member (item->data, "unsupported_results");
  g_assert_cmpuint (json_array_get_length (aside), ==, 3);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_KEPT_ASIDE, "“brushlabels”"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_KEPT_ASIDE, "“ellipselabels”"));
  g_assert_cmpuint (report->n_kept_aside, ==, 3);

  /* Predictions become the pre-annotation when there is no annotation. */
  item = g_ptr_array_index (ds->items, 1);
  shapes = shapes_of (item);
  g_assert_cmpuint (json_array_get_length (shapes), ==, 1);
  g_assert_cmpfloat (
    json_array_get_double_element (
      json_array_get_array_element (
        json_object_get_array_member (json_array_get_object_element (shapes, 0), "points"), 2),
      1),
    ==, 200);
  g_assert_true (
    fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "remote files are not downloaded"));
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "names no image or audio"));
  fl_test_remove_tree (tmp);
}

static void
test_paths_leaving_folder (void)
{
  g_autofree char *outer = fx_make_tmp_dir ();
  g_autofree char *tmp = g_build_filename (outer, "import", NULL);
  g_autofree char *secret = fx_make_png (outer, "secret.png", 10, 10);
  g_autofree char *link = g_build_filename (tmp, "link.png", NULL);
  g_autofree char *list = NULL;
  g_autofree char *path = g_build_filename (tmp, "tasks.jsonl", NULL);
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;

  fx_make_png (tmp, "ok.png", 10, 10);
  g_assert_cmpint (symlink (secret, link), ==, 0);
  list = g_strdup_printf ("{\"image\":\"ok.png\"}\n"
                          "{\"image\":\"../secret.png\"}\n"
                          "{\"image\":\"%s\"}\n"
                          "{\"image\":\"file://%s\"}\n"
                          "{\"image\":\"link.png\"}\n"
                          "{\"image\":\"/data/local-files/?d=..%%2Fsecret.png\"}\n"
                          "{\"image\":\"http://169.254.169.254/latest/meta-data\"}\n"
                          "{\"image\":\"/etc/passwd\"}\n",
                          secret, secret);
  fx_write (tmp, "tasks.jsonl", list, -1);
  ds = import_ok (path, NULL, &report);
  g_assert_cmpstr (report->format, ==, "jsonl");
  g_assert_cmpuint (ds->items->len, ==, 1);
  g_assert_true (g_str_has_suffix (((FlDatasetItem *) g_ptr_array_index (ds->items, 0))->asset_path,
                                   "/import/ok.png"));
  g_assert_cmpuint (report->n_skipped, ==, 7);
  for (guint i = 0; i < report->entries->len; i++)
    {
      FlImportEntry *e = g_ptr_array_index (report->entries, i);

      g_assert_cmpstr (e->file, ==, "tasks.jsonl");
      g_assert_cmpuint (e->line, ==, i + 2);
      g_assert_true (strstr (e->reason, "outside the import folder") != NULL ||
                     strstr (e->reason, "not downloaded") != NULL);
    }
  fl_test_remove_tree (outer);
}

static void
test_not_utf8 (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  g_autofree char *path = NULL;

  /* A Latin-1 subtitle: the file is refused with its line, nothing is guessed. */
  fx_make_wav (tmp, "talk.wav", 1.0);
  fx_write (tmp, "talk.srt", "1\n00:00:00,000 --> 00:00:01,000\nca\xe7\x61 va\n\n", -1);
  path = g_build_filename (tmp, "talk.srt", NULL);
  ds = fl_dataset_import (path, NULL, &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_NOTHING_IMPORTED);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not UTF-8"));
  g_assert_cmpuint (((FlImportEntry *) g_ptr_array_index (report->entries, 0))->line, ==, 3);
  g_clear_error (&error);
  g_clear_pointer (&report, fl_import_report_free);
  g_free (path);

  /* In JSON Lines only the bad line is skipped. */
  fx_make_png (tmp, "a.png", 4, 4);
  fx_write (tmp, "tasks.jsonl", "{\"image\":\"a.png\"}\n{\"image\":\"\xff\xfe.png\"}\n", -1);
  path = g_build_filename (tmp, "tasks.jsonl", NULL);
  g_clear_pointer (&ds, fl_dataset_free);
  ds = import_ok (path, NULL, &report);
  g_assert_cmpuint (ds->items->len, ==, 1);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not UTF-8"));
  g_clear_pointer (&report, fl_import_report_free);
  g_free (path);

  /* A JSON file is refused whole. */
  fx_write (tmp, "tasks.json", "[{\"image\":\"a.png\"},\n{\"image\":\"\xe9.png\"}]", -1);
  path = g_build_filename (tmp, "tasks.json", NULL);
  g_clear_pointer (&ds, fl_dataset_free);
  ds = fl_dataset_import (path, NULL, &report, &error);
  g_assert_null (ds);
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID);
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "not UTF-8"));
  fl_test_remove_tree (tmp);
}

static glong
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* Files over the threshold go through the piecewise reader: the same results,
 * found element by element. */
static void
test_streamed_json_matches_whole (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  const char *const formats[] = { "coco", "json", "label-studio" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = g_build_filename (tmp, formats[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FlImportReport) report = NULL;
      g_autoptr (FlDataset) back = NULL;

      g_assert_true (fl_dataset_export (ds, formats[i], out, &error));
      fl_dataset_set_stream_threshold (16);
      back = fl_dataset_import (out, NULL, &report, &error);
      fl_dataset_set_stream_threshold (0);
      g_assert_no_error (error);
      g_assert_cmpstr (report->format, ==, formats[i]);
      fx_assert_same_results (ds, back, FX_ALL, 1e-9);
    }
  fl_test_remove_tree (tmp);
}

static void
test_huge_files_streamed (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *path = g_build_filename (tmp, "tasks.json", NULL);
  g_autofree char *pad = g_strnfill (1000, ' ');
  const guint n = 115000; /* about 120 MB */
  g_autoptr (GError) error = NULL;
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  FILE *f;
  glong before, after;

  fx_make_png (tmp, "a.png", 8, 8);
  f = fopen (path, "w");
  g_assert_nonnull (f);
  fputs ("{\"fairlabel\":1,\"kind\":\"image\",\"tasks\":[", f);
  for (guint i = 0; i < n; i++)
    fprintf (f, "%s{\"image\":\"%s\"%s}", i ? ",\n" : "", i % 1000 == 0 ? "a.png" : "none.png",
             pad);
  fputs ("]}", f);
  fclose (f);

  before = peak_rss_kb ();
  ds = import_ok (path, NULL, &report);
  after = peak_rss_kb ();
  g_assert_cmpuint (ds->items->len, ==, n / 1000);
  /* Every missing file was counted, the list stayed short. */
  g_assert_cmpuint (report->n_skipped, ==, n - n / 1000);
  g_assert_cmpuint (report->entries->len, <=, 1000);
  g_assert_cmpuint (report->n_omitted, >, 0);
  g_test_message ("peak RSS %ld kB before, %ld kB after reading a %u-task file", before, after, n);
  /* Read whole, the file alone would be 120 MB and its tree several times that. */
  g_assert_cmpint (after - before, <, 60 * 1024);
  fl_test_remove_tree (tmp);
}

static void
test_folder_and_recogniser_json (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (FlDataset) ds = NULL;
  JsonArray *segs;

  fx_make_wav (tmp, "one.wav", 2.0);
  fx_make_wav (tmp, "two.wav", 1.0);
  fx_write (tmp, "notes.md", "not a task", -1);
  ds = import_ok (tmp, NULL, &report);
  g_assert_cmpstr (report->format, ==, "folder");
  g_assert_cmpstr (ds->kind, ==, "audio");
  g_assert_cmpuint (ds->items->len, ==, 2);
  g_clear_pointer (&ds, fl_dataset_free);
  g_clear_pointer (&report, fl_import_report_free);

  /* One media file alone. */
  {
    g_autofree char *path = g_build_filename (tmp, "two.wav", NULL);

    ds = import_ok (path, NULL, &report);
  }
  g_assert_cmpstr (report->format, ==, "folder");
  g_assert_cmpuint (ds->items->len, ==, 1);
  g_assert_null (((FlDatasetItem *) g_ptr_array_index (ds->items, 0))->result);
  g_clear_pointer (&ds, fl_dataset_free);
  g_clear_pointer (&report, fl_import_report_free);

  /* Whisper-style output beside the audio it transcribes. */
  fx_write (tmp, "one.json",
            "{\"text\":\" Hi. Bye.\",\"language\":\"en\",\"segments\":["
            "{\"id\":0,\"start\":0.0,\"end\":0.8,\"text\":\" Hi.\"},"
            "{\"id\":1,\"start\":1.0,\"end\":1.9,\"text\":\" Bye.\",\"speaker\":\"SPEAKER_01\"},"
            "{\"id\":2,\"start\":1.5,\"end\":1.0,\"text\":\" backwards\"}]}",
            -1);
  {
    g_autofree char *path = g_build_filename (tmp, "one.json", NULL);

    ds = import_ok (path, NULL, &report);
  }
  g_assert_cmpstr (report->format, ==, "segments");
  segs = json_object_get_array_member (
    json_node_get_object (((FlDatasetItem *) g_ptr_array_index (ds->items, 0))->result),
    "segments");
  g_assert_cmpuint (json_array_get_length (segs), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (segs, 0), "text"),
                   ==, "Hi.");
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (segs, 1), "speaker"), ==,
    "SPEAKER_01");
  g_assert_true (fx_report_has (report, FL_IMPORT_ENTRY_SKIPPED, "segment 3 has no valid start"));
  fl_test_remove_tree (tmp);
}

/* Coordinates are those of the image as shown: a JPEG turned by its EXIF
 * orientation has its width and height swapped before YOLO's fractions apply. */
static void
test_exif_rotation (void)
{
  /* A small file is read whole; of a big one only the header is read. */
  const int sizes[][2] = { { 400, 200 }, { 4000, 2000 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autofree char *tmp = fx_make_tmp_dir ();
      g_autoptr (FlImportReport) report = NULL;
      g_autoptr (FlDataset) ds = NULL;
      FlDatasetItem *item;
      JsonObject *box;
      int w = sizes[i][0], h = sizes[i][1];

      g_free (fx_make_rotated_jpeg (tmp, "images/r.jpg", w, h));
      fx_write (tmp, "classes.txt", "car\n", -1);
      fx_write (tmp, "labels/r.txt", "0 0.5 0.5 0.5 0.5\n", -1);
      ds = import_ok (tmp, "yolo", &report);
      item = g_ptr_array_index (ds->items, 0);
      g_assert_cmpint (item->width, ==, h);
      g_assert_cmpint (item->height, ==, w);
      box = json_array_get_object_element (shapes_of (item), 0);
      g_assert_cmpfloat (json_object_get_double_member (box, "x"), ==, h / 4.0);
      g_assert_cmpfloat (json_object_get_double_member (box, "y"), ==, w / 4.0);
      g_assert_cmpfloat (json_object_get_double_member (box, "width"), ==, h / 2.0);
      g_assert_cmpfloat (json_object_get_double_member (box, "height"), ==, w / 2.0);
      fl_test_remove_tree (tmp);
    }
}

/* Members of the wrong type anywhere: reported or ignored, never a crash or
 * a critical warning (this suite runs with fatal warnings). */
static void
test_wrong_types (void)
{
  static const struct
  {
    const char *name;
    const char *format;
    const char *text;
  } cases[] = {
    { "a.json", "json",
      "{\"fairlabel\":1,\"kind\":\"image\",\"project_title\":[1],\"label_config\":7,"
      "\"tasks\":[{\"image\":\"a.png\",\"id\":{},\"asset_name\":3,\"data\":[],"
      "\"result\":{\"kind\":\"image\",\"image\":[],\"shapes\":[1,{\"type\":5},"
      "{\"type\":\"box\",\"label\":{},\"x\":\"1\",\"y\":1,\"width\":1,\"height\":1},"
      "{\"type\":\"polygon\",\"points\":[[1,\"a\"],[2,2],[3,3]]},"
      "{\"type\":\"point\",\"label\":[],\"x\":1,\"y\":2}],\"tags\":[1,\"ok\",{}]},"
      "\"worker\":7,\"reward\":{\"amount_minor\":\"x\",\"currency\":[]},"
      "\"active_seconds\":\"1\",\"submitted_at\":5},\"a.png\",3,null]}" },
    { "b.jsonl", "jsonl",
      "{\"image\":[\"a.png\"]}\n[1,2]\n\"a.png\"\n{\"image\":\"a.png\","
      "\"pre_annotation\":{\"kind\":\"audio\"}}\n" },
    { "c.json", "coco",
      "{\"images\":[{\"id\":\"1\",\"file_name\":\"a.png\"},{\"id\":1,\"file_name\":7},"
      "{\"id\":2,\"file_name\":\"a.png\",\"width\":\"w\",\"fairlabel_tags\":[1,[]]},5],"
      "\"categories\":[{\"id\":1,\"name\":2},{\"id\":3,\"name\":\"x\"},[]],"
      "\"annotations\":[{\"id\":1,\"image_id\":2,\"category_id\":3,\"bbox\":[\"a\",1,2,3]},"
      "{\"id\":2,\"image_id\":2,\"category_id\":3,\"segmentation\":[[1,\"a\",3,4,5,6],7]},"
      "{\"id\":3,\"image_id\":2,\"category_id\":3,\"keypoints\":[1,2,\"v\"]},"
      "{\"id\":4,\"image_id\":2,\"category_id\":3,\"segmentation\":{\"counts\":1},"
      "\"bbox\":[1,1,2,2],\"attributes\":[]},8]}" },
    { "d.json", "label-studio",
      "[{\"data\":{\"image\":\"a.png\"},\"id\":[],\"annotations\":[{\"was_cancelled\":\"no\","
      "\"result\":[1,{\"type\":7,\"value\":{}},{\"type\":\"rectanglelabels\",\"value\":"
      "{\"x\":\"1\",\"rectanglelabels\":[1]}},{\"type\":\"polygonlabels\",\"original_width\":"
      "\"w\",\"value\":{\"points\":[1,[\"a\",2],[1]],\"polygonlabels\":{}}},"
      "{\"type\":\"choices\",\"id\":5,\"value\":{\"choices\":[1,[]]}},"
      "{\"type\":\"keypointlabels\",\"value\":{\"x\":1,\"y\":1,\"keypointlabels\":[[]]}}]},3],"
      "\"predictions\":{}},{\"data\":[]},7]" },
    { "e.json", "segments",
      "{\"audio\":\"talk.wav\",\"duration\":\"x\",\"segments\":[1,{\"start\":\"0\",\"end\":1},"
      "{\"start\":0,\"end\":1,\"text\":[],\"speaker\":{}},{\"start\":0,\"end\":1}]}" },
    { "f.jsonl", "asr-manifest",
      "{\"audio_filepath\":7,\"duration\":1}\n{\"audio_filepath\":\"talk.wav\",\"duration\":\"1\"}"
      "\n"
      "{\"audio_filepath\":\"talk.wav\",\"duration\":1,\"offset\":[],\"text\":{},\"speaker\":2}"
      "\n" },
  };
  g_autofree char *tmp = fx_make_tmp_dir ();

  g_free (fx_make_png (tmp, "a.png", 20, 10));
  g_free (fx_make_wav (tmp, "talk.wav", 1.0));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_build_filename (tmp, cases[i].name, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (FlImportReport) report = NULL;
      g_autoptr (FlDataset) ds = NULL;
      g_autofree char *text = NULL;

      fx_write (tmp, cases[i].name, cases[i].text, -1);
      ds = fl_dataset_import (path, cases[i].format, &report, &error);
      g_assert_nonnull (report);
      text = fl_import_report_to_string (report);
      g_test_message ("%s: %s", cases[i].name, text);
      /* Each file has at least one usable task and at least one thing to report. */
      g_assert_no_error (error);
      g_assert_nonnull (ds);
      g_assert_cmpuint (report->n_skipped + report->n_kept_aside + report->n_changed, >, 0);
    }
  fl_test_remove_tree (tmp);
}

static void
test_export_refuses_broken_result (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autoptr (FlDataset) ds = fl_dataset_new ("image");
  FlDatasetItem *item = fl_dataset_add_item (ds);
  g_autoptr (GError) error = NULL;

  item->task_id = g_strdup ("t9");
  item->asset_name = g_strdup ("a.png");
  item->result =
    json_from_string ("{\"kind\":\"image\",\"shapes\":[{\"type\":\"box\",\"x\":\"1\"}]}", NULL);
  g_assert_false (fl_dataset_export (ds, "coco", tmp, &error));
  g_assert_error (error, FL_DATASET_ERROR, FL_DATASET_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "t9"));
  fl_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/import/valid-json-of-the-wrong-format-is-refused", test_wrong_format);
  g_test_add_func ("/formats/import/coco-missing-images-and-categories-reported",
                   test_coco_dangling_references);
  g_test_add_func ("/formats/import/yolo-bad-lines-reported-with-line-numbers",
                   test_yolo_bad_lines);
  g_test_add_func ("/formats/import/voc-boxes-outside-image-clipped-or-skipped",
                   test_voc_boxes_outside_image);
  g_test_add_func ("/formats/import/label-studio-percent-and-unknown-results-kept-aside",
                   test_label_studio_percent_and_unknown);
  g_test_add_func ("/formats/import/paths-leaving-the-folder-refused", test_paths_leaving_folder);
  g_test_add_func ("/formats/import/non-utf8-text-reported", test_not_utf8);
  g_test_add_func ("/formats/import/streamed-json-matches-whole", test_streamed_json_matches_whole);
  g_test_add_func ("/formats/import/huge-file-streamed-in-bounded-memory",
                   test_huge_files_streamed);
  g_test_add_func ("/formats/import/folder-and-recogniser-json", test_folder_and_recogniser_json);
  g_test_add_func ("/formats/import/wrong-types-reported-not-crashing", test_wrong_types);
  g_test_add_func ("/formats/import/exif-rotated-jpeg-uses-shown-size", test_exif_rotation);
  g_test_add_func ("/formats/export/broken-result-refused-with-task",
                   test_export_refuses_broken_result);
  return g_test_run ();
}
