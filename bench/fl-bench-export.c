/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBenchExport"

#include "config.h"

#include <sys/resource.h>

#include <glib/gstdio.h>

#include "fl-dataset.h"
#include "fl-test-support.h"

/* 100,000 boxes over 10,000 images, exported to COCO and to YOLO. The
 * reference is json-glib serialising the same results to memory: the least
 * any writer of these results has to do. */

#define N_IMAGES 10000
#define BOXES_PER_IMAGE 10

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
peak_rss_mb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024;
}

static FlDataset *
make_dataset (void)
{
  FlDataset *ds = fl_dataset_new ("image");
  static const char *const labels[] = { "car", "person", "bicycle", "traffic light", "dog" };
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < N_IMAGES; i++)
    {
      FlDatasetItem *item = fl_dataset_add_item (ds);
      g_autoptr (JsonBuilder) b = json_builder_new ();

      item->task_id = g_strdup_printf ("%u", i + 1);
      item->asset_name = g_strdup_printf ("img_%05u.jpg", i);
      item->width = 1920;
      item->height = 1080;
      item->worker = g_strdup_printf ("worker%u", i % 37);
      item->submitted_at_unix = 1764000000 + i * 60;
      item->active_seconds = 30 + i % 90;
      fl_money_init (&item->reward, 12, "USD", NULL);
      item->state = g_strdup ("approved");

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, "image");
      json_builder_set_member_name (b, "image");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "width");
      json_builder_add_int_value (b, 1920);
      json_builder_set_member_name (b, "height");
      json_builder_add_int_value (b, 1080);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "shapes");
      json_builder_begin_array (b);
      for (guint k = 0; k < BOXES_PER_IMAGE; k++)
        {
          g_autofree char *id = g_strdup_printf ("s%u", k + 1);
          double x = g_rand_double_range (rand, 0, 1800), y = g_rand_double_range (rand, 0, 1000);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, id);
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, "box");
          json_builder_set_member_name (b, "label");
          json_builder_add_string_value (b, labels[g_rand_int_range (rand, 0, 5)]);
          json_builder_set_member_name (b, "x");
          json_builder_add_double_value (b, (int) (x * 10) / 10.0);
          json_builder_set_member_name (b, "y");
          json_builder_add_double_value (b, (int) (y * 10) / 10.0);
          json_builder_set_member_name (b, "width");
          json_builder_add_double_value (b, g_rand_int_range (rand, 5, 120));
          json_builder_set_member_name (b, "height");
          json_builder_add_double_value (b, g_rand_int_range (rand, 5, 80));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      item->result = json_builder_get_root (b);
    }
  return ds;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("fl-bench-export-XXXXXX", &error);
  g_autofree char *coco = NULL;
  g_autofree char *yolo = NULL;
  g_autoptr (FlDataset) ds = NULL;
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (GString) reference_out = g_string_new (NULL);
  double t0, t_build, t_reference, t_coco, t_yolo;
  long rss_dataset, rss_peak;
  gboolean met;

  if (tmp == NULL)
    g_error ("%s", error->message);
  coco = g_build_filename (tmp, "coco", NULL);
  yolo = g_build_filename (tmp, "yolo", NULL);

  t0 = now ();
  ds = make_dataset ();
  t_build = now () - t0;
  rss_dataset = peak_rss_mb ();

  t0 = now ();
  for (guint i = 0; i < ds->items->len; i++)
    {
      json_generator_set_root (gen, ((FlDatasetItem *) g_ptr_array_index (ds->items, i))->result);
      json_generator_to_gstring (gen, reference_out);
    }
  t_reference = now () - t0;
  g_string_free (g_steal_pointer (&reference_out), TRUE);

  t0 = now ();
  if (!fl_dataset_export (ds, "coco", coco, &error))
    g_error ("COCO export failed: %s", error->message);
  t_coco = now () - t0;

  t0 = now ();
  if (!fl_dataset_export (ds, "yolo", yolo, &error))
    g_error ("YOLO export failed: %s", error->message);
  t_yolo = now () - t0;
  rss_peak = peak_rss_mb ();
  fl_test_remove_tree (tmp);

  met = t_coco < 2.0 && t_yolo < 2.0 && rss_peak < 300;
  g_print ("dataset: %d images, %d boxes, built in %.2f s, %ld MB resident\n", N_IMAGES,
           N_IMAGES * BOXES_PER_IMAGE, t_build, rss_dataset);
  g_print ("reference: json-glib serialising the same results: %.3f s\n", t_reference);
  g_print ("COCO export (annotations.json + fairness-audit.csv): %.3f s\n", t_coco);
  g_print ("YOLO export (classes.txt + %d label files + fairness-audit.csv): %.3f s\n", N_IMAGES,
           t_yolo);
  g_print ("peak RSS: %ld MB (target: under 2 s each and 300 MB)\n", rss_peak);
  g_print ("{\"bench\": \"export\", \"figures\": {\"coco_seconds\": %.3f, \"yolo_seconds\": %.3f, "
           "\"peak_rss_mb\": %ld, \"reference_json_glib_seconds\": %.3f, \"boxes\": %d, "
           "\"images\": %d}, \"targets\": {\"coco_seconds\": 2, \"yolo_seconds\": 2, "
           "\"peak_rss_mb\": 300}, \"met\": %s}\n",
           t_coco, t_yolo, rss_peak, t_reference, N_IMAGES * BOXES_PER_IMAGE, N_IMAGES,
           met ? "true" : "false");
  return 0;
}
