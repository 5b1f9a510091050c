/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestWorkerUi"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "fl-backdrop.h"
#include "fl-earnings-meter.h"
#include "fl-earnings-page.h"
#include "fl-earnings-report.h"
#include "fl-image-canvas.h"
#include "fl-image-view.h"
#include "fl-local-store.h"
#include "fl-offer-item.h"
#include "fl-test-server.h"
#include "fl-test-gtk.h"
#include "fl-test-support.h"
#include "fl-workspace.h"

/* The worker's pages as real widgets under Xvfb, against the real server. */

static FlTestServer *server;
static char *tmp_dir;
static gint64 cars_project;
static GSettings *settings;

typedef gboolean (*Predicate) (gpointer data);

/* Runs the main loop until @predicate holds; fails the test after @seconds. */
static void
wait_until (Predicate predicate, gpointer data, guint seconds, const char *what)
{
  if (!fl_test_wait_until (predicate, data, seconds * 1000))
    g_error ("timed out waiting for %s", what);
}

typedef struct
{
  GtkWindow *window;
  FlWorkspace *workspace;
  FlLocalStore *store;
  FlClient *client;
} Ui;

static void
ui_open (Ui *ui, const char *db_name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = g_build_filename (tmp_dir, db_name, NULL);
  GtkWidget *header;
  GtkWidget *box;
  GtkWidget *backdrop;

  ui->client = fl_client_new (server->url, server->worker_token, FALSE, &error);
  g_assert_no_error (error);
  ui->store = fl_local_store_new (db, &error);
  g_assert_no_error (error);
  ui->workspace = fl_workspace_new (ui->client, settings, ui->store, "USD", &error);
  g_assert_no_error (error);

  ui->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (ui->window, 1100, 720);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   fl_workspace_get_header_title (ui->workspace));
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), fl_workspace_get_header_end (ui->workspace));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (GTK_WIDGET (ui->workspace), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (ui->workspace));
  /* As in the application's window, the content paints the background. */
  backdrop = fl_backdrop_new ();
  adw_bin_set_child (ADW_BIN (backdrop), box);
  adw_window_set_content (ADW_WINDOW (ui->window), backdrop);
  gtk_window_present (ui->window);
}

static void
ui_close (Ui *ui)
{
  gtk_window_destroy (ui->window);
  g_clear_object (&ui->workspace);
  g_clear_object (&ui->store);
  g_clear_object (&ui->client);
  fl_test_sleep_in_loop (100);
}

static gboolean
page_is (gpointer data)
{
  Ui *ui = data;
  const char *want = g_object_get_data (G_OBJECT (ui->workspace), "want-page");

  return g_strcmp0 (fl_workspace_get_visible_page (ui->workspace), want) == 0 &&
         gtk_widget_get_mapped (GTK_WIDGET (ui->workspace));
}

static gboolean
offers_loaded (gpointer data)
{
  Ui *ui = data;
  return page_is (ui) && g_list_model_get_n_items (fl_offers_page_get_model (
                           fl_workspace_get_offers_page (ui->workspace))) > 0;
}

static void
collect_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '\n');
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static void
test_offers_show_rewards_and_hourly_estimates (void)
{
  Ui ui = { 0 };
  GListModel *model;
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autofree char *shot = NULL;
  gint64 previous = G_MAXINT64;
  gboolean found = FALSE;
  gboolean other_currency_seen = FALSE;
  guint shown, hidden;

  g_settings_set_int64 (settings, "target-wage-minor", 1000);
  g_settings_set_string (settings, "target-currency", "USD");
  g_settings_set_boolean (settings, "hide-below-target", FALSE);
  ui_open (&ui, "offers.db");
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("offers"), g_free);
  wait_until (offers_loaded, &ui, 30, "offers");
  /* Past the crossfade from the spinner, for the screenshot. */
  fl_test_sleep_in_loop (1000);

  model = fl_offers_page_get_model (fl_workspace_get_offers_page (ui.workspace));
  shown = g_list_model_get_n_items (model);
  for (guint i = 0; i < shown; i++)
    {
      g_autoptr (FlOfferItem) item = g_list_model_get_item (model, i);
      const FlOffer *offer = fl_offer_item_get_offer (item);
      gint64 rate = fl_offer_item_get_hourly_rate (item);

      /* Never more than reward / estimate; best paid first among the
       * worker's currency, which comes first. */
      g_assert_cmpint (rate * offer->estimate.seconds, <=, offer->reward.amount_minor * 3600);
      if (g_str_equal (offer->reward.currency, "USD"))
        {
          g_assert_false (other_currency_seen);
          g_assert_cmpint (rate, <=, previous);
          previous = rate;
        }
      else
        other_currency_seen = TRUE;
      if (offer->project_id == cars_project)
        {
          found = TRUE;
          g_assert_cmpint (offer->reward.amount_minor, ==, 50);
          g_assert_cmpint (rate, ==, 1500);
        }
    }
  g_assert_true (found);

  collect_labels (GTK_WIDGET (ui.workspace), labels);
  g_test_message ("offers page text:\n%s", labels->str);
  g_assert_nonnull (strstr (labels->str, "0.50 USD"));
  g_assert_nonnull (strstr (labels->str, "≈ 15.00 USD/h"));
  g_assert_nonnull (strstr (labels->str, "requester’s estimate"));
  g_assert_nonnull (strstr (labels->str, "≈ 2 min"));

  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-offers");

  /* Hiding those below 10.00 USD/h leaves only the ones at or above it. */
  g_settings_set_boolean (settings, "hide-below-target", TRUE);
  hidden = g_list_model_get_n_items (model);
  g_assert_cmpuint (hidden, <=, shown);
  for (guint i = 0; i < hidden; i++)
    {
      g_autoptr (FlOfferItem) item = g_list_model_get_item (model, i);
      g_assert_false (fl_offer_item_is_below_target (item, 1000, "USD"));
    }
  g_settings_set_boolean (settings, "hide-below-target", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, shown);
  ui_close (&ui);
}

static gboolean
other_task_shown (gpointer data)
{
  Ui *ui = data;
  gint64 before = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (ui->workspace), "before"));
  gint64 id = fl_task_page_get_assignment_id (fl_workspace_get_task_page (ui->workspace));

  return page_is (ui) && id != 0 && id != before;
}

/* From the offers, takes a task of @project and waits until it shows. */
static void
accept_and_wait (Ui *ui, gint64 project)
{
  g_object_set_data_full (G_OBJECT (ui->workspace), "want-page", g_strdup ("offers"), g_free);
  wait_until (offers_loaded, ui, 30, "offers");
  g_signal_emit_by_name (fl_workspace_get_offers_page (ui->workspace), "accept", project);
  g_object_set_data_full (G_OBJECT (ui->workspace), "want-page", g_strdup ("task"), g_free);
  g_object_set_data (G_OBJECT (ui->workspace), "before", GSIZE_TO_POINTER (0));
  wait_until (other_task_shown, ui, 30, "the task");
}

static gboolean
outbox_empty (gpointer data)
{
  return fl_workspace_get_waiting (FL_WORKSPACE (data)) == 0;
}

static gboolean
earnings_shown (gpointer data)
{
  Ui *ui = data;
  g_autofree char *csv = fl_earnings_page_get_csv (fl_workspace_get_earnings_page (ui->workspace));
  const char *want = g_object_get_data (G_OBJECT (ui->workspace), "want-csv");

  return page_is (ui) && csv != NULL && strstr (csv, want) != NULL;
}

static void
test_keep_going_submit_and_earnings (void)
{
  Ui ui = { 0 };
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autofree char *approve = NULL;
  g_autofree char *want = NULL;
  g_autofree char *shot = NULL;
  g_autoptr (JsonNode) answer = NULL;
  FlTaskPage *page;
  gint64 first, second;
  guint status;
  gint64 project = fl_test_server_add_image_project (server, "Street signs", "0.40", 90, 900, 3);

  g_settings_set_boolean (settings, "keep-going", TRUE);
  ui_open (&ui, "keep-going.db");
  accept_and_wait (&ui, project);
  page = fl_workspace_get_task_page (ui.workspace);
  first = fl_task_page_get_assignment_id (page);
  collect_labels (GTK_WIDGET (page), labels);
  g_assert_nonnull (strstr (labels->str, "Draw a box around every car."));
  g_assert_nonnull (strstr (labels->str, "Pays 0.40 USD"));
  fl_test_sleep_in_loop (500);

  /* Submit: the next task of the project was reserved meanwhile and shows. */
  gtk_widget_activate_action (GTK_WIDGET (page), "task.submit", NULL);
  g_object_set_data (G_OBJECT (ui.workspace), "before", GSIZE_TO_POINTER (first));
  wait_until (other_task_shown, &ui, 30, "the next task");
  second = fl_task_page_get_assignment_id (page);
  g_assert_cmpint (second, !=, first);
  wait_until (outbox_empty, ui.workspace, 30, "the outbox to empty");

  approve = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/approve", first);
  answer = fl_test_call (server, "POST", approve, server->admin_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);

  fl_workspace_show_earnings (ui.workspace);
  want = g_strdup_printf (",Street signs,reward,approved,0.40,USD,");
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("earnings"), g_free);
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-csv", g_strdup (want), g_free);
  wait_until (earnings_shown, &ui, 30, "the earnings page");
  fl_test_sleep_in_loop (1000);
  g_string_truncate (labels, 0);
  collect_labels (GTK_WIDGET (ui.workspace), labels);
  g_assert_nonnull (strstr (labels->str, "Street signs"));
  g_assert_nonnull (strstr (labels->str, "on task"));
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-earnings");
  ui_close (&ui);
}

static gboolean
task_expired (gpointer data)
{
  return fl_task_page_get_expired (FL_TASK_PAGE (data));
}

static void
test_lease_expired_keeps_draft (void)
{
  Ui ui = { 0 };
  g_autoptr (GPtrArray) drafts = NULL;
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autofree char *shot = NULL;
  FlTaskPage *page;
  gint64 id;
  gint64 project = fl_test_server_add_image_project (server, "Short lease", "0.10", 60, 2, 1);

  g_settings_set_boolean (settings, "keep-going", FALSE);
  ui_open (&ui, "expired.db");
  accept_and_wait (&ui, project);
  page = fl_workspace_get_task_page (ui.workspace);
  id = fl_task_page_get_assignment_id (page);

  wait_until (task_expired, page, 15, "the lease to run out");
  collect_labels (GTK_WIDGET (page), labels);
  g_assert_nonnull (strstr (labels->str, "ran out"));
  fl_test_sleep_in_loop (1000);
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-lease-expired");

  fl_test_sleep_in_loop (300);
  drafts = fl_local_store_list_drafts_sync (ui.store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (((FlDraft *) drafts->pdata[0])->assignment_id, ==, id);
  ui_close (&ui);
}

static void
on_unauthorized (FlWorkspace *workspace, const char *message, char **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
result_ready (gpointer data)
{
  g_autoptr (JsonNode) result = fl_task_page_get_result (FL_TASK_PAGE (data), NULL);
  return result != NULL;
}

typedef struct
{
  gboolean done;
  GError *error;
} Enqueued;

static void
on_enqueued (GObject *source, GAsyncResult *result, gpointer data)
{
  Enqueued *enqueued = data;

  fl_local_store_enqueue_finish (FL_LOCAL_STORE (source), result, &enqueued->error);
  enqueued->done = TRUE;
}

static gboolean
enqueue_done (gpointer data)
{
  return ((Enqueued *) data)->done;
}

static void
test_disk_full_on_submit_is_not_sent (void)
{
  Ui ui = { 0 };
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autoptr (GPtrArray) drafts = NULL;
  g_autofree char *db = g_build_filename (tmp_dir, "disk-full.db", NULL);
  g_autofree char *shot = NULL;
  FlTaskPage *page;
  GStatBuf st;
  gint64 id;
  gint64 filler = 1000000;
  gint64 project = fl_test_server_add_image_project (server, "Full disk", "0.20", 60, 900, 2);

  g_settings_set_boolean (settings, "keep-going", FALSE);
  ui_open (&ui, "disk-full.db");
  accept_and_wait (&ui, project);
  page = fl_workspace_get_task_page (ui.workspace);
  id = fl_task_page_get_assignment_id (page);
  wait_until (result_ready, page, 30, "the image");
  fl_test_sleep_in_loop (700);

  /* The disk fills up: other work takes the last free bytes. */
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  fl_local_store_set_size_limit (ui.store, st.st_size + 64 * 1024);
  for (guint size = 4000; size >= 16; size /= 2)
    for (;;)
      {
        g_autofree char *text = g_strnfill (size, 'x');
        g_autofree char *key = g_strdup_printf ("filler-%" G_GINT64_FORMAT, ++filler);
        Enqueued enqueued = { 0 };

        /* Queued for another server, so nothing here tries to deliver it. */
        fl_local_store_enqueue_async (ui.store, "http://127.0.0.1:9", filler, text, 0, key, NULL,
                                      on_enqueued, &enqueued);
        wait_until (enqueue_done, &enqueued, 10, "a filler");
        if (enqueued.error != NULL)
          {
            g_assert_error (enqueued.error, FL_LOCAL_STORE_ERROR, FL_LOCAL_STORE_ERROR_DISK_FULL);
            g_clear_error (&enqueued.error);
            break;
          }
      }
  gtk_widget_activate_action (GTK_WIDGET (page), "task.submit", NULL);
  fl_test_sleep_in_loop (1000);

  collect_labels (GTK_WIDGET (page), labels);
  g_test_message ("page %s, task %" G_GINT64_FORMAT ", text:\n%s",
                  fl_workspace_get_visible_page (ui.workspace),
                  fl_task_page_get_assignment_id (page), labels->str);
  g_assert_nonnull (strstr (labels->str, "disk is full"));
  g_assert_cmpstr (fl_workspace_get_visible_page (ui.workspace), ==, "task");
  g_assert_cmpint (fl_task_page_get_assignment_id (page), ==, id);
  g_assert_cmpuint (fl_workspace_get_waiting (ui.workspace), ==, 0);
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-disk-full");

  /* Space again: the same work goes out. */
  fl_local_store_set_size_limit (ui.store, G_MAXINT32);
  g_object_set_data (G_OBJECT (ui.workspace), "before", GSIZE_TO_POINTER (id));
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("offers"), g_free);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.submit", NULL);
  wait_until (page_is, &ui, 30, "the offers after submitting");
  wait_until (outbox_empty, ui.workspace, 30, "the outbox to empty");
  drafts = fl_local_store_list_drafts_sync (ui.store, NULL, NULL);
  for (guint i = 0; i < drafts->len; i++)
    g_assert_cmpint (((FlDraft *) drafts->pdata[i])->assignment_id, !=, id);
  ui_close (&ui);
}

static void
test_revoked_token_asks_again_and_keeps_draft (void)
{
  Ui ui = { 0 };
  g_autoptr (GPtrArray) drafts = NULL;
  g_autofree char *message = NULL;
  int exit_status;
  gint64 id;
  gint64 project = fl_test_server_add_image_project (server, "Revoked", "0.20", 60, 900, 1);

  g_settings_set_boolean (settings, "keep-going", FALSE);
  ui_open (&ui, "revoked.db");
  g_signal_connect (ui.workspace, "unauthorized", G_CALLBACK (on_unauthorized), &message);
  accept_and_wait (&ui, project);
  id = fl_task_page_get_assignment_id (fl_workspace_get_task_page (ui.workspace));
  fl_test_sleep_in_loop (700);

  g_free (fl_test_server_cli (server, &exit_status, NULL, "user", "revoke", "demo-worker", NULL));
  g_assert_cmpint (exit_status, ==, 0);
  fl_workspace_reload_offers (ui.workspace);
  wait_until (string_set, &message, 30, "the token to be refused");
  g_test_message ("%s", message);
  g_assert_nonnull (strstr (message, "token"));

  drafts = fl_local_store_list_drafts_sync (ui.store, NULL, NULL);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (((FlDraft *) drafts->pdata[0])->assignment_id, ==, id);
  ui_close (&ui);
}

static gboolean
meter_ticking (gpointer data)
{
  return fl_earnings_meter_is_ticking (FL_EARNINGS_METER (data));
}

static gboolean
meter_still (gpointer data)
{
  return !fl_earnings_meter_is_ticking (FL_EARNINGS_METER (data));
}

static gboolean
is_toggle_with_icon (GtkWidget *widget, gconstpointer icon)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (widget)), icon) == 0;
}

static void
test_meter_ticks_only_while_shown_and_working (void)
{
  Ui ui = { 0 };
  GtkWidget *meter;
  GtkWidget *pause;

  ui_open (&ui, "meter.db");
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("offers"), g_free);
  wait_until (offers_loaded, &ui, 30, "offers");
  meter = fl_workspace_get_header_end (ui.workspace);
  wait_until (meter_ticking, meter, 10, "the meter to tick");

  /* Hidden: no timer at all. */
  gtk_widget_set_visible (GTK_WIDGET (ui.window), FALSE);
  wait_until (meter_still, meter, 10, "the meter to stop when hidden");
  gtk_widget_set_visible (GTK_WIDGET (ui.window), TRUE);
  wait_until (meter_ticking, meter, 10, "the meter to tick again");

  /* On a break the clock stands still, and so does the meter. */
  pause = fl_test_find_widget (meter, is_toggle_with_icon, "media-playback-pause-symbolic");
  g_assert_nonnull (pause);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pause), TRUE);
  wait_until (meter_still, meter, 10, "the meter to stop on a break");
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (pause), FALSE);
  wait_until (meter_ticking, meter, 10, "the meter to tick after the break");
  ui_close (&ui);
}

/* The header's rate and the earnings page's rates of a day name what they count the same way:
 * the amount per hour first, then “this session”, “all working time” or “on task”. */
static void
test_meter_and_earnings_page_word_their_rates_alike (void)
{
  g_autoptr (FlEarningsClock) clock = fl_earnings_clock_new ((gint64) 3600 * G_USEC_PER_SEC);
  g_autoptr (GHashTable) work_time =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GString) meter_labels = g_string_new (NULL);
  g_autoptr (GString) page_labels = g_string_new (NULL);
  FlEarnings *earnings = fl_earnings_new ();
  FlEarningsEntry *entry = g_new0 (FlEarningsEntry, 1);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *meter = fl_earnings_meter_new ();
  GtkWidget *page = fl_earnings_page_new ();
  gint64 now = g_get_monotonic_time ();
  gint64 *seconds = g_new (gint64, 1);

  /* Ten minutes of work, five of them on a task that paid 0.50 USD. */
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_SESSION_START, now - 600 * G_USEC_PER_SEC, 0, 0);
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_TASK_START, now - 300 * G_USEC_PER_SEC, 7, 0);
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_TASK_SUBMIT, now, 7, 50);
  fl_earnings_clock_record (clock, FL_CLOCK_EVENT_INPUT, now, 0, 0);
  fl_earnings_meter_set_currency (FL_EARNINGS_METER (meter), "USD");
  fl_earnings_meter_set_clock (FL_EARNINGS_METER (meter), clock);

  entry->id = 1;
  entry->assignment_id = 7;
  entry->project_id = 1;
  entry->project_title = g_strdup ("Street signs");
  entry->kind = FL_LEDGER_KIND_REWARD;
  entry->state = FL_LEDGER_STATE_APPROVED;
  g_assert_true (fl_money_init (&entry->amount, 50, "USD", NULL));
  entry->active_seconds = 300;
  entry->created_at = entry->updated_at = g_get_real_time () / G_USEC_PER_SEC;
  g_ptr_array_add (earnings->entries, entry);
  *seconds = 600;
  g_hash_table_insert (work_time, fl_earnings_day_of (entry->created_at), seconds);

  gtk_box_append (GTK_BOX (box), meter);
  gtk_box_append (GTK_BOX (box), page);
  gtk_window_set_child (window, box);
  gtk_window_set_default_size (window, 900, 700);
  gtk_window_present (window);
  fl_earnings_page_set_earnings (FL_EARNINGS_PAGE (page), earnings, work_time);
  fl_earnings_meter_refresh (FL_EARNINGS_METER (meter));
  fl_test_sleep_in_loop (200);

  collect_labels (meter, meter_labels);
  collect_labels (page, page_labels);
  g_test_message ("meter:\n%s\npage:\n%s", meter_labels->str, page_labels->str);
  /* The meter: this session's rate, all working time counted, then the on-task one. */
  g_assert_nonnull (strstr (meter_labels->str, " USD/h this session\n"));
  g_assert_nonnull (strstr (meter_labels->str, " USD/h on task · today "));
  /* The page, for the day: the same rate over all working time, then the on-task one. */
  g_assert_nonnull (strstr (page_labels->str, " USD/h all working time\n"));
  g_assert_nonnull (strstr (page_labels->str, " USD/h on task\n"));
  /* “all time” read as “since the beginning”, and “on task” came before the amount. */
  g_assert_null (strstr (page_labels->str, "all time"));
  g_assert_false (g_regex_match_simple ("on task [0-9]", meter_labels->str, 0, 0));
  g_assert_false (g_regex_match_simple ("on task [0-9]", page_labels->str, 0, 0));
  gtk_window_destroy (window);
}

static gboolean
header_says_waiting (gpointer data)
{
  Ui *ui = data;
  g_autoptr (GString) labels = g_string_new (NULL);

  collect_labels (fl_workspace_get_header_title (ui->workspace), labels);
  return strstr (labels->str, "1 waiting to send") != NULL;
}

static gboolean
offline_shown (gpointer data)
{
  Ui *ui = data;
  g_autoptr (GString) labels = g_string_new (NULL);

  collect_labels (GTK_WIDGET (fl_workspace_get_offers_page (ui->workspace)), labels);
  return strstr (labels->str, "Cannot Reach the Server") != NULL;
}

static void
test_header_counts_waiting_while_server_down (void)
{
  Ui ui = { 0 };
  g_autofree char *shot = NULL;
  FlTaskPage *page;
  gint64 project = fl_test_server_add_image_project (server, "Offline", "0.20", 60, 900, 1);

  g_settings_set_boolean (settings, "keep-going", FALSE);
  ui_open (&ui, "offline.db");
  accept_and_wait (&ui, project);
  page = fl_workspace_get_task_page (ui.workspace);
  wait_until (result_ready, page, 30, "the image");

  fl_test_server_stop (server);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.submit", NULL);
  wait_until (header_says_waiting, &ui, 30, "the header to count one waiting");
  wait_until (offline_shown, &ui, 30, "the offline page");
  fl_test_sleep_in_loop (1000);
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-offline-waiting");

  /* The server comes back: the submission lands and the count goes. */
  fl_test_server_restart (server);
  wait_until (outbox_empty, ui.workspace, 60, "the outbox to empty");
  g_assert_false (header_says_waiting (&ui));
  ui_close (&ui);
}

/* The child: works on a task, tags it, and waits for the kill once the draft is saved. */

static gboolean
child_draft_saved (gpointer data)
{
  Ui *ui = data;
  g_autoptr (GPtrArray) drafts = fl_local_store_list_drafts_sync (ui->store, NULL, NULL);

  return drafts != NULL && drafts->len == 1 &&
         ((FlDraft *) drafts->pdata[0])->result_json != NULL &&
         strstr (((FlDraft *) drafts->pdata[0])->result_json, "night") != NULL;
}

static gboolean
image_loaded (gpointer data)
{
  FlImageView *view = data;
  FlImageDocument *doc = fl_image_view_get_document (view);

  return doc != NULL && fl_image_document_get_width (doc) > 0;
}

static int
run_child (void)
{
  Ui ui = { 0 };
  gint64 project = g_ascii_strtoll (g_getenv ("FL_WORKER_UI_CHILD_PROJECT"), NULL, 10);
  const char *tags[] = { "night", NULL };
  FlImageView *view;

  g_settings_set_boolean (settings, "keep-going", FALSE);
  ui_open (&ui, "sigkill.db");
  accept_and_wait (&ui, project);

  view = FL_IMAGE_VIEW (
    fl_test_find_widget_of_type (GTK_WIDGET (ui.workspace), FL_TYPE_IMAGE_VIEW, NULL));
  g_assert_nonnull (view);
  wait_until (image_loaded, view, 30, "the image");
  fl_image_document_set_tags (fl_image_view_get_document (view), tags);
  wait_until (child_draft_saved, &ui, 10, "the draft");
  g_print ("ready %" G_GINT64_FORMAT "\n",
           fl_task_page_get_assignment_id (fl_workspace_get_task_page (ui.workspace)));
  /* Working on; the parent kills this process now. */
  for (;;)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

static gboolean
restored_with_tag (gpointer data)
{
  Ui *ui = data;
  FlTaskPage *page = fl_workspace_get_task_page (ui->workspace);
  g_autoptr (JsonNode) result = NULL;
  g_autofree char *text = NULL;

  if (!page_is (ui) || fl_task_page_get_assignment_id (page) == 0)
    return FALSE;
  result = fl_task_page_get_result (page, NULL);
  text = result != NULL ? json_to_string (result, FALSE) : NULL;
  return text != NULL && strstr (text, "\"night\"") != NULL;
}

static void
test_draft_restored_after_sigkill (void)
{
  Ui ui = { 0 };
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *project_text = NULL;
  g_autofree char *shot = NULL;
  gint64 project = fl_test_server_add_image_project (server, "Night shots", "0.30", 60, 900, 2);
  gint64 child_task;
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  launcher = fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  project_text = g_strdup_printf ("%" G_GINT64_FORMAT, project);
  g_subprocess_launcher_setenv (launcher, "FL_WORKER_UI_CHILD_PROJECT", project_text, TRUE);
  g_subprocess_launcher_setenv (launcher, "FL_WORKER_UI_CHILD_URL", server->url, TRUE);
  g_subprocess_launcher_setenv (launcher, "FL_WORKER_UI_CHILD_TOKEN", server->worker_token, TRUE);
  g_subprocess_launcher_setenv (launcher, "FL_WORKER_UI_CHILD_DIR", tmp_dir, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_path, NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "ready "));
  child_task = g_ascii_strtoll (line + 6, NULL, 10);

  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* The app starts again on the same local store: the task and its edit are back. */
  ui_open (&ui, "sigkill.db");
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("task"), g_free);
  wait_until (restored_with_tag, &ui, 30, "the restored draft");
  g_assert_cmpint (fl_task_page_get_assignment_id (fl_workspace_get_task_page (ui.workspace)), ==,
                   child_task);
  fl_test_sleep_in_loop (1000);
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-restored-draft");
  ui_close (&ui);
}

/* The task page fits the window: nothing of the image view is cut off on the
 * right, and fitting the view shows the whole image. */

static gboolean
window_width_near (gpointer data)
{
  Ui *ui = data;
  int want = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (ui->workspace), "want-width"));

  /* The default size counts the client-side decorations; the widget is a few
   * pixels narrower. */
  return gtk_widget_get_width (GTK_WIDGET (ui->window)) > want - 20 &&
         gtk_widget_get_width (GTK_WIDGET (ui->window)) <= want;
}

static void
assert_inside_window (Ui *ui, GtkWidget *widget, const char *what)
{
  graphene_rect_t bounds;
  int window_width = gtk_widget_get_width (GTK_WIDGET (ui->window));

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (ui->window), &bounds));
  g_test_message ("%s: x %.0f, width %.0f in a window %d wide", what, bounds.origin.x,
                  bounds.size.width, window_width);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, window_width);
}

static void
assert_task_page_fits (Ui *ui, FlImageView *view, int width)
{
  GtkWidget *canvas = fl_test_find_widget_of_type (GTK_WIDGET (view), FL_TYPE_IMAGE_CANVAS, NULL);
  FlImageDocument *doc = fl_image_view_get_document (view);
  double x0, y0, x1, y1;

  g_object_set_data (G_OBJECT (ui->workspace), "want-width", GINT_TO_POINTER (width));
  g_test_message ("window %d wide, want %d", gtk_widget_get_width (GTK_WIDGET (ui->window)), width);
  wait_until (window_width_near, ui, 10, "the window width");
  fl_test_sleep_in_loop (500);
  assert_inside_window (ui, GTK_WIDGET (view), "image view");
  assert_inside_window (
    ui, fl_test_find_widget_of_type (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY, NULL),
    "label search");
  assert_inside_window (ui, canvas, "canvas");
  g_assert_cmpint (gtk_widget_get_width (canvas), >, 200);

  /* After the layout settled, and with the key 0 as well. */
  for (guint i = 0; i < 2; i++)
    {
      fl_image_canvas_image_to_widget (FL_IMAGE_CANVAS (canvas), 0, 0, &x0, &y0);
      fl_image_canvas_image_to_widget (FL_IMAGE_CANVAS (canvas), fl_image_document_get_width (doc),
                                       fl_image_document_get_height (doc), &x1, &y1);
      g_test_message ("image on the canvas: (%.1f, %.1f) to (%.1f, %.1f) of %d x %d", x0, y0, x1,
                      y1, gtk_widget_get_width (canvas), gtk_widget_get_height (canvas));
      g_assert_cmpfloat (x0, >=, -0.5);
      g_assert_cmpfloat (y0, >=, -0.5);
      g_assert_cmpfloat (x1, <=, gtk_widget_get_width (canvas) + 0.5);
      g_assert_cmpfloat (y1, <=, gtk_widget_get_height (canvas) + 0.5);
      /* Fitted: it touches two opposite sides. */
      g_assert_true ((x0 < 1 && x1 > gtk_widget_get_width (canvas) - 1) ||
                     (y0 < 1 && y1 > gtk_widget_get_height (canvas) - 1));
      gtk_widget_activate_action (GTK_WIDGET (view), "image.zoom-fit", NULL);
      fl_test_sleep_in_loop (100);
    }
}

/* The window's content paints its background, but not beneath the image
 * canvas, which paints every pixel itself; nothing is left unpainted. */
static void
assert_background_around_canvas (Ui *ui)
{
  GtkWidget *backdrop =
    fl_test_find_widget_of_type (GTK_WIDGET (ui->window), FL_TYPE_BACKDROP, NULL);
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  g_assert_nonnull (backdrop);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ui->window), "fl-hollow"));
  texture = fl_test_render_next_frame (backdrop);
  pixbuf = gdk_pixbuf_get_from_texture (texture);
  g_assert_cmpuint (fl_test_count_transparent (pixbuf), ==, 0);
  g_assert_cmpuint (fl_backdrop_get_n_holes (FL_BACKDROP (backdrop)), ==, 1);
}

static gboolean
image_shown (gpointer data)
{
  FlImageView *view = data;
  FlImageDocument *doc = fl_image_view_get_document (view);

  return doc != NULL && fl_image_document_get_width (doc) > 0;
}

static void
test_task_page_fits_the_window (void)
{
  Ui ui = { 0 };
  gint64 project = fl_test_server_add_image_project (server, "Fit", "0.20", 60, 900, 1);
  g_autofree char *shot = NULL;
  g_autofree char *narrow_shot = NULL;
  FlTaskPage *page;
  FlImageView *view;

  g_settings_set_boolean (settings, "keep-going", FALSE);
  g_settings_set_boolean (settings, "show-instructions", TRUE);
  ui_open (&ui, "fit.db");
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("offers"), g_free);
  wait_until (offers_loaded, &ui, 30, "offers");
  accept_and_wait (&ui, project);
  page = fl_workspace_get_task_page (ui.workspace);
  view = FL_IMAGE_VIEW (fl_test_find_widget_of_type (GTK_WIDGET (page), FL_TYPE_IMAGE_VIEW, NULL));
  g_assert_nonnull (view);
  wait_until (image_shown, view, 30, "the image");

  /* The default size, with the instructions beside the work. */
  assert_task_page_fits (&ui, view, 1100);
  shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-task-page-1100");
  assert_background_around_canvas (&ui);

  /* Ctrl+I hides the instructions, remembered; then 900 pixels are enough. */
  gtk_widget_activate_action (GTK_WIDGET (page), "task.toggle-instructions", NULL);
  g_assert_false (g_settings_get_boolean (settings, "show-instructions"));
  gtk_window_set_default_size (ui.window, 900, 720);
  assert_task_page_fits (&ui, view, 900);
  narrow_shot = fl_test_save_screenshot (GTK_WIDGET (ui.window), "worker-task-page-900");

  g_settings_set_boolean (settings, "show-instructions", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "task.return", NULL);
  g_object_set_data_full (G_OBJECT (ui.workspace), "want-page", g_strdup ("offers"), g_free);
  wait_until (page_is, &ui, 30, "the offers after returning");
  ui_close (&ui);
}

/* Keep going reserves a second task; a worker who leaves the project's flow
 * gives it back. */

static gint64
server_tasks_left (gint64 project)
{
  g_autoptr (JsonNode) answer = NULL;
  JsonArray *list;
  guint status;

  answer =
    fl_test_call (server, "GET", "/api/v1/offers", server->worker_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  list = json_object_get_array_member (json_node_get_object (answer), "offers");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *offer = json_array_get_object_element (list, i);

      if (json_object_get_int_member (offer, "project_id") == project)
        return json_object_get_int_member (offer, "tasks_left");
    }
  return 0;
}

static gint64
shown_tasks_left (Ui *ui, gint64 project)
{
  GListModel *model = fl_offers_page_get_model (fl_workspace_get_offers_page (ui->workspace));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (FlOfferItem) item = g_list_model_get_item (model, i);

      if (fl_offer_item_get_offer (item)->project_id == project)
        return fl_offer_item_get_offer (item)->tasks_left;
    }
  return 0;
}

typedef struct
{
  Ui *ui;
  gint64 project;
  guint want;
  guint offers_shown;
  gboolean return_at_once;
} GiveBack;

static void
on_offers_shown_count (FlWorkspace *workspace, GiveBack *data)
{
  data->offers_shown++;
}

static void
on_task_shown_return (FlWorkspace *workspace, gint64 assignment_id, GiveBack *data)
{
  /* Before the workspace starts reserving the next task: that reservation is
   * then still on its way when the return is answered. */
  if (data->return_at_once)
    {
      data->return_at_once = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (workspace)),
                                  "task.return", NULL);
    }
}

static gboolean
active_count_is (gpointer user_data)
{
  GiveBack *data = user_data;

  g_main_context_iteration (NULL, FALSE);
  return fl_test_server_count_active (server, data->project, NULL) == data->want;
}

static gboolean
offers_shown_after (gpointer user_data)
{
  GiveBack *data = user_data;

  return data->offers_shown > 0 &&
         g_strcmp0 (fl_workspace_get_visible_page (data->ui->workspace), "offers") == 0;
}

static void
accept_project (GiveBack *data)
{
  data->offers_shown = 0;
  g_signal_emit_by_name (fl_workspace_get_offers_page (data->ui->workspace), "accept",
                         data->project);
}

static void
test_leaving_the_flow_gives_back_the_reserved_task (void)
{
  Ui ui = { 0 };
  GiveBack data = { &ui, 0, 0, 0, FALSE };
  gint64 project = fl_test_server_add_image_project (server, "Give back", "0.30", 60, 900, 7);
  gint64 before;

  data.project = project;
  g_settings_set_boolean (settings, "keep-going", TRUE);
  ui_open (&ui, "give-back.db");
  g_signal_connect (ui.workspace, "offers-shown", G_CALLBACK (on_offers_shown_count), &data);
  g_signal_connect (ui.workspace, "task-shown", G_CALLBACK (on_task_shown_return), &data);
  wait_until (offers_shown_after, &data, 30, "offers");
  before = shown_tasks_left (&ui, project);
  g_assert_cmpint (before, ==, 7);

  /* Return while the next task is still being reserved. */
  data.return_at_once = TRUE;
  accept_project (&data);
  wait_until (offers_shown_after, &data, 30, "the offers after returning at once");
  g_assert_cmpuint (fl_test_server_count_active (server, project, NULL), ==, 0);
  g_assert_cmpint (shown_tasks_left (&ui, project), ==, server_tasks_left (project));

  /* Return once the next task is reserved. */
  accept_project (&data);
  data.want = 2;
  wait_until (active_count_is, &data, 30, "the next task to be reserved");
  fl_test_sleep_in_loop (300);
  data.offers_shown = 0;
  gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (ui.workspace)), "task.return",
                              NULL);
  wait_until (offers_shown_after, &data, 30, "the offers after returning");
  g_assert_cmpuint (fl_test_server_count_active (server, project, NULL), ==, 0);
  g_assert_cmpint (shown_tasks_left (&ui, project), ==, server_tasks_left (project));

  /* Keep going switched off: the reserved task goes back, the open one stays. */
  accept_project (&data);
  data.want = 2;
  wait_until (active_count_is, &data, 30, "the next task to be reserved");
  fl_task_page_set_keep_going (fl_workspace_get_task_page (ui.workspace), FALSE);
  data.want = 1;
  wait_until (active_count_is, &data, 30, "the reserved task to go back");
  fl_test_sleep_in_loop (300);
  g_assert_cmpuint (fl_test_server_count_active (server, project, NULL), ==, 1);

  data.offers_shown = 0;
  gtk_widget_activate_action (GTK_WIDGET (fl_workspace_get_task_page (ui.workspace)), "task.return",
                              NULL);
  wait_until (offers_shown_after, &data, 30, "the offers after the last return");
  g_assert_cmpuint (fl_test_server_count_active (server, project, NULL), ==, 0);
  g_settings_set_boolean (settings, "keep-going", TRUE);
  ui_close (&ui);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  if (g_getenv ("FL_WORKER_UI_CHILD_PROJECT") != NULL)
    {
      server = g_new0 (FlTestServer, 1);
      server->url = g_strdup (g_getenv ("FL_WORKER_UI_CHILD_URL"));
      server->worker_token = g_strdup (g_getenv ("FL_WORKER_UI_CHILD_TOKEN"));
      tmp_dir = g_strdup (g_getenv ("FL_WORKER_UI_CHILD_DIR"));
      g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);
      adw_init ();
      settings = g_settings_new ("io.github.fairlabel.Fairlabel");
      return run_child ();
    }

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("fl-worker-ui-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", tmp_dir, TRUE);
  adw_init ();
  settings = g_settings_new ("io.github.fairlabel.Fairlabel");

  server = fl_test_server_start ();
  /* 0.50 USD in an estimated 2 minutes: 15.00 USD an hour. */
  cars_project =
    fl_test_server_add_image_project (server, "Cars on the street", "0.50", 120, 900, 4);

  g_test_add_func ("/worker/ui/offers-show-rewards-and-hourly-estimates",
                   test_offers_show_rewards_and_hourly_estimates);
  g_test_add_func ("/worker/ui/keep-going-submit-shows-next-task-and-earnings",
                   test_keep_going_submit_and_earnings);
  g_test_add_func ("/worker/ui/lease-expired-says-so-and-keeps-the-draft",
                   test_lease_expired_keeps_draft);
  g_test_add_func ("/worker/ui/draft-restored-after-sigkill", test_draft_restored_after_sigkill);
  g_test_add_func ("/worker/ui/disk-full-on-submit-is-not-sent",
                   test_disk_full_on_submit_is_not_sent);
  g_test_add_func ("/worker/ui/meter-and-earnings-page-word-their-rates-alike",
                   test_meter_and_earnings_page_word_their_rates_alike);
  g_test_add_func ("/worker/ui/meter-ticks-only-while-shown-and-working",
                   test_meter_ticks_only_while_shown_and_working);
  g_test_add_func ("/worker/ui/header-counts-submissions-waiting-while-server-down",
                   test_header_counts_waiting_while_server_down);
  g_test_add_func ("/worker/ui/task-page-fits-the-window-and-the-image-fits-the-view",
                   test_task_page_fits_the_window);
  g_test_add_func ("/worker/ui/leaving-the-flow-gives-back-the-reserved-task",
                   test_leaving_the_flow_gives_back_the_reserved_task);
  /* Last: it revokes the worker's token. */
  g_test_add_func ("/worker/ui/revoked-token-asks-again-and-keeps-the-draft",
                   test_revoked_token_asks_again_and_keeps_draft);
  status = g_test_run ();

  fl_test_server_free (server);
  fl_test_remove_tree (tmp_dir);
  g_clear_object (&settings);
  return status;
}
