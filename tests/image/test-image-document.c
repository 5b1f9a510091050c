/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestImageDocument"

#include "config.h"

#include "fl-image-document.h"
#include "fl-label-config.h"

static JsonNode *
parse (const char *json)
{
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_round_trip (void)
{
  const char *input =
    "{\"kind\":\"image\",\"image\":{\"width\":100,\"height\":80},\"shapes\":["
    "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"car\",\"x\":10.5,\"y\":20,\"width\":30,"
    "\"height\":40,\"attributes\":{\"occluded\":true}},"
    "{\"id\":\"s2\",\"type\":\"polygon\",\"label\":\"road\",\"points\":[[0,0],[10,0],[5,8]]},"
    "{\"id\":\"s3\",\"type\":\"point\",\"label\":\"eye\",\"x\":5,\"y\":6}],"
    "\"tags\":[\"night\"]}";
  g_autoptr (JsonNode) in = parse (input);
  g_autoptr (FlImageDocument) doc = fl_image_document_new (100, 80);
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) out = NULL;

  g_assert_true (fl_image_document_load_result (doc, in, &warnings, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (warnings->len, ==, 0);
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 3);
  out = fl_image_document_to_json (doc);
  g_assert_true (json_node_equal (in, out));
  g_assert_false (fl_image_document_can_undo (doc));
}

static void
test_preannotation_clamped_and_dropped (void)
{
  const char *input =
    "{\"kind\":\"image\",\"shapes\":["
    "{\"id\":\"a\",\"type\":\"box\",\"label\":\"car\",\"x\":-10,\"y\":70,\"width\":30,"
    "\"height\":40},"
    "{\"id\":\"b\",\"type\":\"box\",\"label\":\"car\",\"x\":10,\"y\":10,\"width\":0,"
    "\"height\":5},"
    "{\"id\":\"c\",\"type\":\"box\",\"label\":\"car\",\"x\":500,\"y\":500,\"width\":10,"
    "\"height\":10},"
    "{\"id\":\"d\",\"type\":\"point\",\"x\":-1,\"y\":5},"
    "{\"id\":\"e\",\"type\":\"polygon\",\"points\":[[0,0],[200,0],[0,200]]},"
    "{\"id\":\"f\",\"type\":\"polygon\",\"points\":[[0,0],[10,10]]},"
    "{\"id\":\"g\",\"type\":\"circle\",\"x\":1,\"y\":1},"
    "{\"id\":\"h\",\"type\":\"box\",\"x\":\"ten\",\"y\":1,\"width\":2,\"height\":2},"
    "{\"id\":\"i\",\"type\":\"box\",\"x\":5,\"y\":5,\"width\":-3,\"height\":4}]}";
  g_autoptr (JsonNode) in = parse (input);
  g_autoptr (FlImageDocument) doc = fl_image_document_new (100, 80);
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (GError) error = NULL;
  const FlShape *shape;

  g_assert_true (fl_image_document_load_result (doc, in, &warnings, &error));
  g_assert_no_error (error);

  /* a clamped, e clamped, i normalised (no warning needed: same box) */
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 3);
  shape = fl_image_document_lookup (doc, "a");
  g_assert_nonnull (shape);
  g_assert_cmpfloat (shape->x, ==, 0);
  g_assert_cmpfloat (shape->y, ==, 70);
  g_assert_cmpfloat (shape->width, ==, 20);
  g_assert_cmpfloat (shape->height, ==, 10);
  shape = fl_image_document_lookup (doc, "e");
  g_assert_nonnull (shape);
  g_assert_cmpfloat (g_array_index (shape->points, FlPoint, 1).x, ==, 100);
  g_assert_cmpfloat (g_array_index (shape->points, FlPoint, 2).y, ==, 80);
  shape = fl_image_document_lookup (doc, "i");
  g_assert_nonnull (shape);
  g_assert_cmpfloat (shape->x, ==, 2);
  g_assert_cmpfloat (shape->width, ==, 3);

  for (guint i = 0; i < warnings->len; i++)
    g_test_message ("warning: %s", (char *) g_ptr_array_index (warnings, i));
  /* a, b, c, d, e, f, g and h; i only had its corners swapped */
  g_assert_cmpuint (warnings->len, ==, 8);
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 0), "clamped"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 1), "dropped"));
  g_assert_nonnull (strstr (g_ptr_array_index (warnings, 6), "circle"));
}

/* 499.8 + 26.8 - 499.8 is not 26.8 in binary floating point: such a box lies
 * inside the image and must load exactly as given, without a warning. */
static void
test_preannotation_inside_loads_unchanged (void)
{
  const char *input =
    "{\"kind\":\"image\",\"shapes\":["
    "{\"id\":\"s1\",\"type\":\"box\",\"label\":\"person\",\"x\":499.8,\"y\":434.6,"
    "\"width\":26.8,\"height\":75.2},"
    "{\"id\":\"s2\",\"type\":\"box\",\"label\":\"car\",\"x\":859.0,\"y\":452.4,"
    "\"width\":321.4,\"height\":136.0}]}";
  g_autoptr (JsonNode) in = parse (input);
  g_autoptr (FlImageDocument) doc = fl_image_document_new (1280, 853);
  g_autoptr (GPtrArray) warnings = NULL;
  g_autoptr (GError) error = NULL;
  const FlShape *shape;

  g_assert_true (499.8 + 26.8 - 499.8 != 26.8);
  g_assert_true (fl_image_document_load_result (doc, in, &warnings, &error));
  g_assert_no_error (error);
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    g_test_message ("warning: %s", (char *) g_ptr_array_index (warnings, i));
  g_assert_true (warnings == NULL || warnings->len == 0);
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 2);
  shape = fl_image_document_lookup (doc, "s1");
  g_assert_cmpfloat (shape->x, ==, 499.8);
  g_assert_cmpfloat (shape->width, ==, 26.8);
  g_assert_cmpfloat (shape->y, ==, 434.6);
  g_assert_cmpfloat (shape->height, ==, 75.2);
  shape = fl_image_document_lookup (doc, "s2");
  g_assert_cmpfloat (shape->width, ==, 321.4);
  g_assert_cmpfloat (shape->height, ==, 136.0);
}

/* Every demo task opens with its detector boxes as they were drawn, without
 * a single warning. */
static void
test_demo_preannotations_load_without_warnings (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("FAIRLABEL_BUILD_DIR"), "data", "demo",
                                            "images", "annotations.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) members = NULL;
  JsonObject *all;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  all = json_node_get_object (json_parser_get_root (parser));
  members = json_object_get_members (all);
  g_assert_nonnull (members);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *result = json_object_get_member (all, l->data);
      JsonObject *image = json_object_get_object_member (json_node_get_object (result), "image");
      JsonArray *shapes = json_object_get_array_member (json_node_get_object (result), "shapes");
      g_autoptr (FlImageDocument) doc =
        fl_image_document_new ((int) json_object_get_int_member (image, "width"),
                               (int) json_object_get_int_member (image, "height"));
      g_autoptr (GPtrArray) warnings = NULL;

      g_assert_true (fl_image_document_load_result (doc, result, &warnings, &error));
      g_assert_no_error (error);
      for (guint i = 0; warnings != NULL && i < warnings->len; i++)
        g_test_message ("%s: %s", (char *) l->data, (char *) g_ptr_array_index (warnings, i));
      g_assert_true (warnings == NULL || warnings->len == 0);
      g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, json_array_get_length (shapes));
    }
}

static void
test_preannotation_of_wrong_kind_is_refused (void)
{
  g_autoptr (JsonNode) audio = parse ("{\"kind\":\"audio\",\"segments\":[]}");
  g_autoptr (JsonNode) array = parse ("[1,2]");
  g_autoptr (FlImageDocument) doc = fl_image_document_new (10, 10);
  g_autoptr (GError) error = NULL;

  g_assert_false (fl_image_document_load_result (doc, audio, NULL, &error));
  g_assert_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fl_image_document_load_result (doc, array, NULL, &error));
  g_assert_error (error, FL_SHAPE_ERROR, FL_SHAPE_ERROR_INVALID);
}

static void
test_undo_redo_every_edit (void)
{
  g_autoptr (FlImageDocument) doc = fl_image_document_new (100, 100);
  g_autoptr (JsonNode) empty = fl_image_document_to_json (doc);
  g_autoptr (JsonNode) after_add = NULL;
  g_autoptr (JsonNode) after_move = NULL;
  g_autoptr (JsonNode) after_tag = NULL;
  g_autoptr (JsonNode) now = NULL;
  FlShape *moved;
  g_autofree char *id = NULL;

  fl_image_document_add (doc, fl_shape_new_box (NULL, "car", 1, 2, 3, 4));
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 1);
  id = g_strdup (fl_image_document_get_shape (doc, 0)->id);
  after_add = fl_image_document_to_json (doc);

  moved = fl_shape_copy (fl_image_document_lookup (doc, id));
  fl_shape_translate (moved, 5, 5);
  fl_image_document_replace (doc, moved);
  after_move = fl_image_document_to_json (doc);
  fl_image_document_toggle_tag (doc, "night");
  after_tag = fl_image_document_to_json (doc);
  fl_image_document_remove (doc, id);
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 0);

  g_assert_true (fl_image_document_undo (doc));
  now = fl_image_document_to_json (doc);
  g_assert_true (json_node_equal (now, after_tag));
  g_clear_pointer (&now, json_node_unref);
  g_assert_true (fl_image_document_undo (doc));
  now = fl_image_document_to_json (doc);
  g_assert_true (json_node_equal (now, after_move));
  g_clear_pointer (&now, json_node_unref);
  g_assert_true (fl_image_document_undo (doc));
  g_assert_true (fl_image_document_undo (doc));
  now = fl_image_document_to_json (doc);
  g_assert_true (json_node_equal (now, empty));
  g_clear_pointer (&now, json_node_unref);
  g_assert_false (fl_image_document_undo (doc));

  for (guint i = 0; i < 4; i++)
    g_assert_true (fl_image_document_redo (doc));
  g_assert_false (fl_image_document_redo (doc));
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 0);
  g_assert_true (fl_image_document_undo (doc));
  now = fl_image_document_to_json (doc);
  g_assert_true (json_node_equal (now, after_tag));
  g_clear_pointer (&now, json_node_unref);

  /* A new edit after undo drops the redo history. */
  fl_image_document_add (doc, fl_shape_new_point (NULL, NULL, 1, 1));
  g_assert_false (fl_image_document_can_redo (doc));
}

static void
test_grouped_edits_undo_at_once (void)
{
  g_autoptr (FlImageDocument) doc = fl_image_document_new (100, 100);

  fl_image_document_begin (doc);
  for (guint i = 0; i < 10; i++)
    fl_image_document_add (doc, fl_shape_new_point (NULL, NULL, i, i));
  fl_image_document_end (doc);
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 10);
  g_assert_true (fl_image_document_undo (doc));
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 0);
  g_assert_false (fl_image_document_can_undo (doc));
}

static void
test_unlimited_undo (void)
{
  g_autoptr (FlImageDocument) doc = fl_image_document_new (1000, 1000);
  const guint n = 5000;

  for (guint i = 0; i < n; i++)
    fl_image_document_add (doc, fl_shape_new_box (NULL, "car", i % 900, i % 800, 10, 10));
  for (guint i = 0; i < n; i++)
    g_assert_true (fl_image_document_undo (doc));
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 0);
  g_assert_false (fl_image_document_undo (doc));
}

static void
test_import_gives_new_ids (void)
{
  g_autoptr (JsonNode) previous =
    parse ("{\"kind\":\"image\",\"shapes\":[{\"id\":\"s1\",\"type\":\"point\",\"x\":1,\"y\":1},"
           "{\"id\":\"s2\",\"type\":\"box\",\"x\":900,\"y\":1,\"width\":10,\"height\":10}]}");
  g_autoptr (FlImageDocument) doc = fl_image_document_new (50, 50);
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) warnings = NULL;

  fl_image_document_add (doc, fl_shape_new_point ("s1", NULL, 2, 2));
  ids = fl_image_document_import_shapes (doc, previous, &warnings);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), !=, "s1");
  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 2);
  g_assert_true (fl_image_document_undo (doc));
  g_assert_cmpuint (fl_image_document_get_n_shapes (doc), ==, 1);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonNode) node = parse (json);

  return json_node_dup_object (node);
}

static void
test_config_duplicate_hotkeys_refused (void)
{
  g_autoptr (JsonObject) config = parse_object (
    "{\"classes\":[{\"name\":\"car\",\"hotkey\":\"1\"},{\"name\":\"bus\",\"hotkey\":\"1\"}]}");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlLabelConfig) labels = fl_label_config_new_from_json (config, &error);

  g_assert_null (labels);
  g_assert_error (error, FL_LABEL_CONFIG_ERROR, FL_LABEL_CONFIG_ERROR_DUPLICATE_HOTKEY);
  g_assert_nonnull (strstr (error->message, "car"));
  g_assert_nonnull (strstr (error->message, "bus"));
}

static void
test_config_bad_values_refused (void)
{
  const char *bad[] = {
    "{\"classes\":[{\"name\":\"car\"},{\"name\":\"car\"}]}",
    "{\"classes\":[{\"name\":\"car\",\"hotkey\":\"w\"}]}",
    "{\"classes\":[{\"name\":\"car\",\"color\":\"red\"}]}",
    "{\"classes\":[{\"color\":\"#ffffff\"}]}",
    "{\"classes\":{\"name\":\"car\"}}",
    "{\"tags\":[1]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) config = parse_object (bad[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (FlLabelConfig) labels = fl_label_config_new_from_json (config, &error);

      g_assert_null (labels);
      g_assert_nonnull (error);
      g_test_message ("%s -> %s", bad[i], error->message);
    }
}

static void
test_config_free_hotkeys_assigned_in_order (void)
{
  g_autoptr (JsonObject) config = parse_object (
    "{\"classes\":[{\"name\":\"a\"},{\"name\":\"b\",\"hotkey\":\"1\",\"color\":\"#102030\"},"
    "{\"name\":\"c\"}],\"tags\":[\"night\",\"blurry\"]}");
  g_autoptr (GError) error = NULL;
  g_autoptr (FlLabelConfig) labels = fl_label_config_new_from_json (config, &error);
  FlColor color;

  g_assert_no_error (error);
  g_assert_cmpint (fl_label_config_find_class (labels, "a")->hotkey, ==, '2');
  g_assert_cmpint (fl_label_config_find_class (labels, "b")->hotkey, ==, '1');
  g_assert_cmpint (fl_label_config_find_class (labels, "c")->hotkey, ==, '3');
  color = fl_label_config_get_color (labels, "b");
  g_assert_cmpfloat_with_epsilon (color.red, 0x10 / 255.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (color.blue, 0x30 / 255.0, 1e-9);
  g_assert_cmpstrv (fl_label_config_get_tags (labels),
                    ((const char *[]){ "night", "blurry", NULL }));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/document/result-round-trips", test_round_trip);
  g_test_add_func ("/image/document/pre-annotation-clamped-or-dropped-with-warnings",
                   test_preannotation_clamped_and_dropped);
  g_test_add_func ("/image/document/pre-annotation-inside-loads-unchanged-without-warnings",
                   test_preannotation_inside_loads_unchanged);
  g_test_add_func ("/image/document/demo-pre-annotations-load-without-warnings",
                   test_demo_preannotations_load_without_warnings);
  g_test_add_func ("/image/document/pre-annotation-of-wrong-kind-refused",
                   test_preannotation_of_wrong_kind_is_refused);
  g_test_add_func ("/image/document/undo-redo-every-edit", test_undo_redo_every_edit);
  g_test_add_func ("/image/document/grouped-edits-undo-at-once", test_grouped_edits_undo_at_once);
  g_test_add_func ("/image/document/undo-is-unlimited", test_unlimited_undo);
  g_test_add_func ("/image/document/import-gives-new-ids-and-clamps", test_import_gives_new_ids);
  g_test_add_func ("/image/label-config/duplicate-hotkeys-refused",
                   test_config_duplicate_hotkeys_refused);
  g_test_add_func ("/image/label-config/bad-values-refused", test_config_bad_values_refused);
  g_test_add_func ("/image/label-config/free-hotkeys-assigned-in-order",
                   test_config_free_hotkeys_assigned_in_order);
  return g_test_run ();
}
