/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "fl-transcript.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
to_string (FlTranscript *t)
{
  g_autoptr (JsonNode) node = fl_transcript_to_result (t);

  return json_to_string (node, FALSE);
}

static void
test_result_roundtrip (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (12345);
  g_autoptr (FlTranscript) back = fl_transcript_new (12345);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *root;
  JsonArray *segs;

  g_assert_cmpint (fl_transcript_add_segment (t, 1234, 2500, "B", "world", &error), ==, 0);
  g_assert_cmpint (fl_transcript_add_segment (t, 0, 1234, "A", "hello", &error), ==, 0);
  g_assert_no_error (error);

  node = fl_transcript_to_result (t);
  root = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (root, "kind"), ==, "audio");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (root, "duration"), 12.345, 1e-9);
  segs = json_object_get_array_member (root, "segments");
  g_assert_cmpuint (json_array_get_length (segs), ==, 2);
  g_assert_cmpfloat_with_epsilon (
    json_object_get_double_member (json_array_get_object_element (segs, 0), "end"), 1.234, 1e-9);
  g_assert_cmpstr (
    json_object_get_string_member (json_array_get_object_element (segs, 1), "speaker"), ==, "B");

  g_assert_true (fl_transcript_load_result (back, node, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fl_transcript_get_n_segments (back), ==, 2);
  g_assert_cmpint (fl_transcript_get_segment (back, 0)->end_ms, ==, 1234);
  g_assert_cmpint (fl_transcript_get_segment (back, 1)->start_ms, ==, 1234);
  g_assert_cmpstr (fl_transcript_get_segment (back, 1)->text, ==, "world");
}

static void
test_split_and_merge (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (10000);
  g_autoptr (GError) error = NULL;
  g_autofree char *json = NULL;

  fl_transcript_add_segment (t, 1000, 5000, "A", "one two three", &error);
  g_assert_no_error (error);

  g_assert_true (fl_transcript_split (t, 0, 3000, 8, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 2);
  g_assert_cmpstr (fl_transcript_get_segment (t, 0)->text, ==, "one two");
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "three");
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->start_ms, ==, 3000);
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->speaker, ==, "A");

  g_assert_false (fl_transcript_split (t, 0, 4000, 0, &error));
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_SPLIT);
  g_clear_error (&error);

  g_assert_cmpint (fl_transcript_find_at (t, 3500), ==, 1);
  g_assert_cmpint (fl_transcript_find_at (t, 999), ==, -1);

  g_assert_true (fl_transcript_merge_with_next (t, 0, &error));
  g_assert_no_error (error);
  json = to_string (t);
  g_assert_cmpstr (json, ==,
                   "{\"kind\":\"audio\",\"duration\":10.0,\"segments\":[{\"start\":1.0,\"end\":5.0,"
                   "\"speaker\":\"A\",\"text\":\"one two three\"}]}");
  g_assert_false (fl_transcript_merge_with_next (t, 0, &error));
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_MERGE);
}

static void
test_refuses_overlap_and_out_of_range (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (10000);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (fl_transcript_add_segment (t, 1000, 3000, NULL, "", &error), ==, 0);
  g_assert_cmpint (fl_transcript_add_segment (t, 2000, 4000, NULL, "", &error), ==, -1);
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OVERLAP);
  g_clear_error (&error);
  g_assert_cmpint (fl_transcript_add_segment (t, 9000, 11000, NULL, "", &error), ==, -1);
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_cmpint (fl_transcript_add_segment (t, 5000, 5000, NULL, "", &error), ==, -1);
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  g_assert_cmpint (fl_transcript_add_segment (t, 3000, 4000, NULL, "", &error), ==, 1);
  g_assert_false (fl_transcript_set_bounds (t, 1, 2500, 4000, &error));
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_OVERLAP);
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->start_ms, ==, 3000);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 2);
}

static void
test_fixes_overlapping_pre_segments (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (10000);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) pre =
    parse ("{\"kind\":\"audio\",\"duration\":10,\"segments\":["
           "{\"start\":2.0,\"end\":4.0,\"speaker\":\"B\",\"text\":\"second\"},"
           "{\"start\":0.0,\"end\":2.5,\"speaker\":\"A\",\"text\":\"first\"},"
           "{\"start\":0.5,\"end\":1.0,\"text\":\"inside\"},"
           "{\"start\":6.0,\"end\":5.0,\"text\":\"backwards\"}]}");

  g_assert_true (fl_transcript_load_result (t, pre, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 3);
  g_assert_cmpint (fl_transcript_get_segment (t, 0)->end_ms, ==, 2500);
  g_assert_cmpstr (fl_transcript_get_segment (t, 0)->text, ==, "first inside");
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->start_ms, ==, 2500);
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "second");
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->start_ms, ==, 5000);
  g_assert_cmpint (fl_transcript_get_segment (t, 2)->end_ms, ==, 6000);
  /* One warning each: the contained segment, the overlap, the reversed segment. */
  g_assert_cmpuint (warnings->len, ==, 3);
  for (guint i = 0; i < warnings->len; i++)
    g_assert_true (g_utf8_validate (warnings->pdata[i], -1, NULL));
  g_assert_nonnull (strstr (warnings->pdata[0], "swapped"));
}

static void
test_fixes_past_the_end_pre_segments (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (5000);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) pre =
    parse ("{\"segments\":[{\"start\":0,\"end\":3,\"text\":\"a\"},"
           "{\"start\":3,\"end\":7,\"text\":\"b\"},{\"start\":8,\"end\":9,\"text\":\"c\"}]}");

  g_assert_true (fl_transcript_load_result (t, pre, warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 2);
  g_assert_cmpint (fl_transcript_get_segment (t, 1)->end_ms, ==, 5000);
  /* The text past the end is kept, not dropped. */
  g_assert_cmpstr (fl_transcript_get_segment (t, 1)->text, ==, "b c");
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_nonnull (strstr (warnings->pdata[0], "past the end"));
  g_assert_nonnull (strstr (warnings->pdata[1], "after the end"));
}

static void
test_duration_known_later (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (0);
  g_autoptr (GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonNode) pre = parse ("{\"segments\":[{\"start\":0,\"end\":30,\"text\":\"long\"}]}");

  g_assert_true (fl_transcript_load_result (t, pre, warnings, NULL));
  g_assert_cmpuint (warnings->len, ==, 0);
  fl_transcript_set_duration_ms (t, 20000, warnings);
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpint (fl_transcript_get_segment (t, 0)->end_ms, ==, 20000);
}

static void
test_refuses_invalid_utf8 (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (5000);
  g_autoptr (GError) error = NULL;

  fl_transcript_add_segment (t, 0, 1000, NULL, "good", &error);
  g_assert_no_error (error);
  g_assert_false (fl_transcript_set_text (t, 0, "bad \xff\xfe text", &error));
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_UTF8);
  g_assert_cmpstr (fl_transcript_get_segment (t, 0)->text, ==, "good");
  g_clear_error (&error);
  g_assert_cmpint (fl_transcript_add_segment (t, 2000, 3000, NULL, "\xc3\x28", &error), ==, -1);
  g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_UTF8);
  g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 1);
}

static void
test_refuses_malformed_pre_annotation (void)
{
  const char *bad[] = {
    "[1,2]",
    "{\"kind\":\"image\",\"shapes\":[]}",
    "{\"segments\":{\"start\":1}}",
    "{\"segments\":[{\"start\":\"zero\",\"end\":1}]}",
    "{\"segments\":[{\"start\":0}]}",
    "{\"segments\":[3]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (FlTranscript) t = fl_transcript_new (5000);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) pre = parse (bad[i]);

      fl_transcript_add_segment (t, 0, 1000, NULL, "kept", NULL);
      g_assert_false (fl_transcript_load_result (t, pre, NULL, &error));
      g_assert_error (error, FL_TRANSCRIPT_ERROR, FL_TRANSCRIPT_ERROR_INVALID_JSON);
      g_assert_cmpuint (fl_transcript_get_n_segments (t), ==, 1);
      g_assert_cmpstr (fl_transcript_get_segment (t, 0)->text, ==, "kept");
    }
}

static void
test_whole_file (void)
{
  g_autoptr (FlTranscript) t = fl_transcript_new (4321);
  g_autoptr (JsonNode) node = NULL;
  JsonObject *root, *seg;
  JsonArray *segs;

  fl_transcript_add_segment (t, 0, 1000, NULL, "one", NULL);
  fl_transcript_add_segment (t, 2000, 3000, NULL, "two", NULL);
  fl_transcript_set_whole_file (t, NULL);
  node = fl_transcript_to_result (t);
  root = json_node_get_object (node);
  segs = json_object_get_array_member (root, "segments");
  g_assert_cmpuint (json_array_get_length (segs), ==, 1);
  seg = json_array_get_object_element (segs, 0);
  g_assert_cmpfloat (json_object_get_double_member (seg, "start"), ==, 0.0);
  /* Millisecond precision: the stored double is the nearest one to 4.321. */
  g_assert_cmpfloat (json_object_get_double_member (seg, "end"), ==, 4.321);
  g_assert_cmpfloat (json_object_get_double_member (root, "duration"), ==, 4.321);
  g_assert_cmpstr (json_object_get_string_member (seg, "text"), ==, "one\ntwo");
  g_assert_false (json_object_has_member (seg, "speaker"));
}

static void
test_timestamp_format (void)
{
  g_autofree char *a = fl_format_timestamp (61234);
  g_autofree char *b = fl_format_timestamp (3723004);

  g_assert_cmpstr (a, ==, "1:01.234");
  g_assert_cmpstr (b, ==, "1:02:03.004");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/audio/transcript/result-json-roundtrip-keeps-milliseconds",
                   test_result_roundtrip);
  g_test_add_func ("/audio/transcript/split-and-merge", test_split_and_merge);
  g_test_add_func ("/audio/transcript/refuses-overlap-and-out-of-range",
                   test_refuses_overlap_and_out_of_range);
  g_test_add_func ("/audio/transcript/fixes-overlapping-pre-segments-keeping-text",
                   test_fixes_overlapping_pre_segments);
  g_test_add_func ("/audio/transcript/fixes-past-the-end-pre-segments-keeping-text",
                   test_fixes_past_the_end_pre_segments);
  g_test_add_func ("/audio/transcript/fixes-segments-once-duration-is-known",
                   test_duration_known_later);
  g_test_add_func ("/audio/transcript/refuses-invalid-utf8", test_refuses_invalid_utf8);
  g_test_add_func ("/audio/transcript/refuses-malformed-pre-annotation-and-keeps-segments",
                   test_refuses_malformed_pre_annotation);
  g_test_add_func ("/audio/transcript/whole-file-mode-spans-the-file", test_whole_file);
  g_test_add_func ("/audio/transcript/timestamp-format", test_timestamp_format);
  return g_test_run ();
}
