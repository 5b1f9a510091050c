/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "formats-fixtures.h"

/* Exports read by parsers that are not ours (Debian's python3-srt,
 * python3-webvtt, ffmpeg, xmllint, Python's json): what they read must be
 * what we meant to write. */

static char *
script_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "formats", "parse-subtitles.py", NULL);
}

static JsonArray *
segments_of (FlDatasetItem *item)
{
  return json_object_get_array_member (json_node_get_object (item->result), "segments");
}

static FlDataset *
export_audio (const char *tmp, const char *format, char **out_dir)
{
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  FlDataset *ds = fx_audio_dataset (media);
  g_autoptr (GError) error = NULL;

  *out_dir = g_build_filename (tmp, format, NULL);
  g_assert_true (fl_dataset_export (ds, format, *out_dir, &error));
  g_assert_no_error (error);
  return ds;
}

static void
check_cues (const char *format)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *out = NULL;
  g_autoptr (FlDataset) ds = export_audio (tmp, format, &out);
  g_autofree char *script = script_path ();

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      g_autofree char *stem = g_strndup (item->asset_name, strlen (item->asset_name) - 4);
      g_autofree char *name = g_strconcat (stem, ".", format, NULL);
      g_autofree char *file = g_build_filename (out, name, NULL);
      const char *argv[] = { "/usr/bin/python3", script, file, NULL };
      g_autofree char *output = NULL;
      g_auto (GStrv) lines = NULL;
      JsonArray *segs = segments_of (item);
      guint n = 0;

      g_assert_cmpint (fx_run (argv, &output), ==, 0);
      lines = g_strsplit (g_strstrip (output), "\n", -1);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autoptr (JsonNode) cue_node = json_from_string (lines[l], NULL);
          JsonObject *cue = json_node_get_object (cue_node);
          JsonObject *seg = json_array_get_object_element (segs, n++);
          const char *speaker = json_object_get_string_member_with_default (seg, "speaker", NULL);
          g_autofree char *expected_text = NULL;

          g_assert_cmpint (json_object_get_int_member (cue, "start"), ==,
                           (gint64) (json_object_get_double_member (seg, "start") * 1000 + 0.5));
          g_assert_cmpint (json_object_get_int_member (cue, "end"), ==,
                           (gint64) (json_object_get_double_member (seg, "end") * 1000 + 0.5));
          if (g_str_equal (format, "srt") && speaker != NULL)
            expected_text =
              g_strdup_printf ("[%s]: %s", speaker, json_object_get_string_member (seg, "text"));
          else
            expected_text = g_strdup (json_object_get_string_member (seg, "text"));
          g_assert_cmpstr (json_object_get_string_member (cue, "text"), ==, expected_text);
          if (g_str_equal (format, "vtt"))
            g_assert_cmpstr (json_object_get_string_member_with_default (cue, "voice", NULL), ==,
                             speaker);
        }
      g_assert_cmpuint (n, ==, json_array_get_length (segs));
    }
  fl_test_remove_tree (tmp);
}

static void
test_srt_python (void)
{
  check_cues ("srt");
}

static void
test_vtt_python (void)
{
  check_cues ("vtt");
}

static guint
count (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_subtitles_ffmpeg (void)
{
  const char *const pairs[][2] = { { "srt", "webvtt" }, { "vtt", "srt" } };

  for (guint k = 0; k < G_N_ELEMENTS (pairs); k++)
    {
      g_autofree char *tmp = fx_make_tmp_dir ();
      g_autofree char *out = NULL;
      g_autoptr (FlDataset) ds = export_audio (tmp, pairs[k][0], &out);
      g_autofree char *file = g_strdup_printf ("%s/talk.%s", out, pairs[k][0]);
      const char *argv[] = { "ffmpeg", "-nostdin", "-v",        "error", "-i",
                             file,     "-f",       pairs[k][1], "-",     NULL };
      g_autofree char *output = NULL;

      g_assert_cmpint (fx_run (argv, &output), ==, 0);
      g_test_message ("%s", output);
      /* ffmpeg read every cue, with its text. */
      g_assert_cmpuint (count (output, "-->"), ==,
                        json_array_get_length (segments_of (g_ptr_array_index (ds->items, 0))));
      g_assert_nonnull (strstr (output, "hello there"));
      g_assert_true (strstr (output, "03.001") != NULL || strstr (output, "03,001") != NULL);
      fl_test_remove_tree (tmp);
    }
}

static guint
total_shapes (FlDataset *ds)
{
  guint n = 0;

  for (guint i = 0; i < ds->items->len; i++)
    n += json_array_get_length (json_object_get_array_member (
      json_node_get_object (((FlDatasetItem *) g_ptr_array_index (ds->items, i))->result),
      "shapes"));
  return n;
}

static void
test_xml_xmllint (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *voc = g_build_filename (tmp, "voc", NULL);
  g_autofree char *cvat = g_build_filename (tmp, "cvat", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (GError) error = NULL;
  guint objects = 0;

  g_assert_true (fl_dataset_export (ds, "voc", voc, &error));
  g_assert_true (fl_dataset_export (ds, "cvat", cvat, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < ds->items->len; i++)
    {
      FlDatasetItem *item = g_ptr_array_index (ds->items, i);
      g_autofree char *stem = g_strndup (item->asset_name, strlen (item->asset_name) - 4);
      g_autofree char *file = g_strdup_printf ("%s/Annotations/%s.xml", voc, stem);
      const char *argv[] = { "xmllint", "--xpath", "count(/annotation/object)", file, NULL };
      const char *name_argv[] = { "xmllint", "--xpath", "string(/annotation/filename)", file,
                                  NULL };
      g_autofree char *output = NULL;
      g_autofree char *name = NULL;

      g_assert_cmpint (fx_run (argv, &output), ==, 0);
      objects += atoi (output);
      g_assert_cmpint (fx_run (name_argv, &name), ==, 0);
      g_assert_cmpstr (g_strchomp (name), ==, item->asset_name);
    }
  g_assert_cmpuint (objects, ==, total_shapes (ds));

  {
    g_autofree char *file = g_build_filename (cvat, "annotations.xml", NULL);
    const char *argv[] = { "xmllint", "--xpath",
                           "count(//image/box) + count(//image/polygon) + count(//image/points)",
                           file, NULL };
    const char *title_argv[] = { "xmllint", "--xpath", "string(/annotations/meta/task/name)", file,
                                 NULL };
    const char *tags_argv[] = { "xmllint", "--xpath", "count(//image/tag)", file, NULL };
    g_autofree char *output = NULL;
    g_autofree char *title = NULL;
    g_autofree char *tags = NULL;

    g_assert_cmpint (fx_run (argv, &output), ==, 0);
    g_assert_cmpint (atoi (output), ==, total_shapes (ds));
    g_assert_cmpint (fx_run (title_argv, &title), ==, 0);
    g_assert_cmpstr (g_strchomp (title), ==, "Streets & <cars>");
    g_assert_cmpint (fx_run (tags_argv, &tags), ==, 0);
    g_assert_cmpint (atoi (tags), ==, 3);
  }
  fl_test_remove_tree (tmp);
}

static void
test_json_python (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *coco = g_build_filename (tmp, "coco", NULL);
  g_autofree char *ls = g_build_filename (tmp, "ls", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (GError) error = NULL;
  g_autofree char *coco_file = g_build_filename (coco, "annotations.json", NULL);
  g_autofree char *ls_file = g_build_filename (ls, "tasks.json", NULL);
  const char *argv[] = {
    "/usr/bin/python3",
    "-c",
    "import json, sys\n"
    "coco = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "ls = json.load(open(sys.argv[2], encoding='utf-8'))\n"
    "ids = {i['id'] for i in coco['images']}\n"
    "cats = {c['id'] for c in coco['categories']}\n"
    "assert all(a['image_id'] in ids and a['category_id'] in cats for a in coco['annotations'])\n"
    "regions = sum(1 for t in ls for r in t['annotations'][0]['result']\n"
    "              if r['type'].endswith('labels'))\n"
    "import xml.etree.ElementTree as ET, os\n"
    "view = ET.parse(os.path.join(os.path.dirname(sys.argv[2]), 'label-config.xml')).getroot()\n"
    "controls = {c.get('name'): c for c in view}\n"
    "for t in ls:\n"
    "    for r in t['annotations'][0]['result']:\n"
    "        c = controls[r['from_name']]\n"
    "        assert controls[r['to_name']].tag == 'Image'\n"
    "        values = {l.get('value') for l in c}\n"
    "        key = r['type']\n"
    "        assert c.tag.lower() == key, (c.tag, key)\n"
    "        assert all(v in values for v in r['value'][key]), (r, values)\n"
    "print(len(coco['annotations']), regions)\n",
    coco_file,
    ls_file,
    NULL
  };
  g_autofree char *output = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (fl_dataset_export (ds, "coco", coco, &error));
  g_assert_true (fl_dataset_export (ds, "label-studio", ls, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fx_run (argv, &output), ==, 0);
  expected = g_strdup_printf ("%u %u\n", total_shapes (ds), total_shapes (ds));
  g_assert_cmpstr (output, ==, expected);
  fl_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/external/srt-read-by-python-srt", test_srt_python);
  g_test_add_func ("/formats/external/vtt-read-by-python-webvtt", test_vtt_python);
  g_test_add_func ("/formats/external/subtitles-read-by-ffmpeg", test_subtitles_ffmpeg);
  g_test_add_func ("/formats/external/voc-and-cvat-read-by-xmllint", test_xml_xmllint);
  g_test_add_func ("/formats/external/coco-and-label-studio-read-by-python-json", test_json_python);
  return g_test_run ();
}
