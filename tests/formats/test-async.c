/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "formats-fixtures.h"

/* Import and export run in a worker thread and can be cancelled. */

typedef struct
{
  GMainLoop *loop;
  GAsyncResult *result;
  GThread *caller;
} Wait;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Wait *w = user_data;

  /* The callback comes back on the thread that asked. */
  g_assert_true (g_thread_self () == w->caller);
  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

static void
wait_init (Wait *w)
{
  w->loop = g_main_loop_new (NULL, FALSE);
  w->result = NULL;
  w->caller = g_thread_self ();
}

static void
wait_clear (Wait *w)
{
  g_main_loop_unref (w->loop);
  g_clear_object (&w->result);
}

static void
test_round_trip_async (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *out = g_build_filename (tmp, "coco", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (FlDataset) back = NULL;
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  Wait w;

  wait_init (&w);
  fl_dataset_export_async (ds, "coco", out, NULL, on_done, &w);
  g_main_loop_run (w.loop);
  g_assert_true (fl_dataset_export_finish (w.result, &error));
  g_assert_no_error (error);
  wait_clear (&w);

  wait_init (&w);
  fl_dataset_import_async (out, NULL, NULL, on_done, &w);
  g_main_loop_run (w.loop);
  back = fl_dataset_import_finish (w.result, &report, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpstr (report->format, ==, "coco");
  fx_assert_same_results (ds, back, FX_ALL, 0);
  wait_clear (&w);
  fl_test_remove_tree (tmp);
}

static void
test_cancelled (void)
{
  g_autofree char *tmp = fx_make_tmp_dir ();
  g_autofree char *media = g_build_filename (tmp, "store", NULL);
  g_autofree char *out = g_build_filename (tmp, "yolo", NULL);
  g_autoptr (FlDataset) ds = fx_image_dataset (media);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (FlImportReport) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (FlDataset) back = NULL;
  g_autofree char *audit = g_build_filename (out, "fairness-audit.csv", NULL);
  Wait w;

  g_cancellable_cancel (cancellable);
  wait_init (&w);
  fl_dataset_export_async (ds, "yolo", out, cancellable, on_done, &w);
  g_main_loop_run (w.loop);
  g_assert_false (fl_dataset_export_finish (w.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (audit, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  wait_clear (&w);

  /* A folder that would import fine: cancelled, it gives nothing back. */
  g_assert_true (fl_dataset_export (ds, "yolo", out, &error));
  wait_init (&w);
  fl_dataset_import_async (out, "yolo", cancellable, on_done, &w);
  g_main_loop_run (w.loop);
  back = fl_dataset_import_finish (w.result, &report, &error);
  g_assert_null (back);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (report);
  wait_clear (&w);
  fl_test_remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/async/export-and-import-in-a-worker-thread", test_round_trip_async);
  g_test_add_func ("/formats/async/cancelled-export-and-import-stop", test_cancelled);
  return g_test_run ();
}
