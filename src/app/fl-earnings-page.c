/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlEarningsPage"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-earnings-chart.h"
#include "fl-earnings-page.h"
#include "fl-earnings-report.h"
#include "fl-worker-format.h"

struct _FlEarningsPage
{
  AdwBin parent_instance;

  FlEarnings *earnings;
  GtkFileChooserNative *chooser;

  GtkStack *stack;
  GtkSpinner *spinner;
  AdwStatusPage *error_page;
  GtkLabel *totals_label;
  GtkButton *export_button;
  FlEarningsChart *chart;
  GtkWidget *chart_card;
  GtkListBox *days_list;
  GtkListBox *projects_list;
  GtkListBox *rejections_list;
};

G_DEFINE_FINAL_TYPE (FlEarningsPage, fl_earnings_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_REFRESH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
add_row (GtkListBox *list, const char *title, const char *subtitle, const char *suffix)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (suffix != NULL)
    {
      GtkWidget *label = gtk_label_new (suffix);

      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_widget_add_css_class (label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  gtk_list_box_append (list, row);
}

static char *
states_text (const FlEarningsGroup *group)
{
  g_autofree char *pending = fl_worker_format_money (group->pending, group->currency);
  g_autofree char *approved = fl_worker_format_money (group->approved, group->currency);
  g_autofree char *paid = fl_worker_format_money (group->paid, group->currency);
  g_autofree char *rejected = fl_worker_format_money (group->rejected, group->currency);

  /* Translators: amounts by state */
  return g_strdup_printf (_ ("Pending %s · Approved %s · Paid %s · Rejected %s"), pending, approved,
                          paid, rejected);
}

static void
on_refresh_clicked (FlEarningsPage *self)
{
  g_signal_emit (self, signals[SIGNAL_REFRESH], 0);
}

static void
on_csv_written (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlEarningsPage) self = user_data;
  g_autoptr (GError) error = NULL;
  GtkRoot *root;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (ADW_IS_APPLICATION_WINDOW (root) || GTK_IS_WINDOW (root))
    {
      GtkWidget *dialog =
        adw_message_dialog_new (GTK_WINDOW (root), _ ("Export Failed"), error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
on_chooser_response (FlEarningsPage *self, int response)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *csv = NULL;
  GBytes *bytes;
  gsize len;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  g_clear_object (&self->chooser);
  if (file == NULL || (csv = fl_earnings_page_get_csv (self)) == NULL)
    return;

  len = strlen (csv);
  bytes = g_bytes_new_take (g_steal_pointer (&csv), len);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_csv_written, g_object_ref (self));
  g_bytes_unref (bytes);
}

static void
on_export_clicked (FlEarningsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "fairlabel-earnings-%Y-%m-%d.csv");

  if (self->earnings == NULL || self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (
    _ ("Export Earnings"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
    GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Export"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
fl_earnings_page_dispose (GObject *object)
{
  FlEarningsPage *self = FL_EARNINGS_PAGE (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  /* The bin's child is a template child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_EARNINGS_PAGE);
  g_clear_pointer (&self->earnings, fl_earnings_free);

  G_OBJECT_CLASS (fl_earnings_page_parent_class)->dispose (object);
}

static void
fl_earnings_page_class_init (FlEarningsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_earnings_page_dispose;

  signals[SIGNAL_REFRESH] = g_signal_new ("refresh", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_EARNINGS_CHART);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fairlabel/Fairlabel/fl-earnings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, chart);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, chart_card);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, days_list);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, projects_list);
  gtk_widget_class_bind_template_child (widget_class, FlEarningsPage, rejections_list);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_export_clicked);
}

static void
fl_earnings_page_init (FlEarningsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fl_earnings_page_show_loading (self);
}

GtkWidget *
fl_earnings_page_new (void)
{
  return g_object_new (FL_TYPE_EARNINGS_PAGE, NULL);
}

void
fl_earnings_page_show_loading (FlEarningsPage *self)
{
  g_return_if_fail (FL_IS_EARNINGS_PAGE (self));

  if (self->earnings != NULL)
    return;
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "loading");
}

void
fl_earnings_page_show_error (FlEarningsPage *self, const char *message)
{
  g_return_if_fail (FL_IS_EARNINGS_PAGE (self));

  gtk_spinner_stop (self->spinner);
  adw_status_page_set_description (self->error_page, message);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

void
fl_earnings_page_set_earnings (FlEarningsPage *self, FlEarnings *earnings, GHashTable *work_time)
{
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GPtrArray) projects = NULL;
  g_autoptr (GString) totals = g_string_new (NULL);
  guint rejections = 0;

  g_return_if_fail (FL_IS_EARNINGS_PAGE (self));
  g_return_if_fail (earnings != NULL);

  g_clear_pointer (&self->earnings, fl_earnings_free);
  self->earnings = earnings;

  for (guint i = 0; i < earnings->totals->len; i++)
    {
      const FlEarningsTotals *t = &g_array_index (earnings->totals, FlEarningsTotals, i);
      g_autofree char *approved = fl_worker_format_money (t->approved, t->currency);
      g_autofree char *paid = fl_worker_format_money (t->paid, t->currency);
      g_autofree char *pending = fl_worker_format_money (t->pending, t->currency);

      if (totals->len > 0)
        g_string_append_c (totals, '\n');
      /* Translators: totals by state */
      g_string_append_printf (totals, _ ("%s approved · %s paid · %s pending"), approved, paid,
                              pending);
    }
  if (totals->len == 0)
    g_string_append (totals, _ ("Nothing earned yet"));
  gtk_label_set_label (self->totals_label, totals->str);

  days = fl_earnings_report_by_day (earnings, work_time);
  fl_earnings_chart_set_days (self->chart, days);
  /* An empty chart is an empty box: the lists below say there is nothing yet. */
  gtk_widget_set_visible (self->chart_card, days->len > 0);
  clear_list (self->days_list);
  for (guint i = 0; i < days->len; i++)
    {
      const FlEarningsGroup *day = days->pdata[i];
      g_autofree char *states = states_text (day);
      g_autofree char *on_task = fl_worker_format_rate (day->on_task_rate, day->currency);
      g_autofree char *session = fl_worker_format_rate (day->session_rate, day->currency);
      g_autofree char *rates = NULL;

      if (day->session_seconds > 0)
        /* Translators: the two hourly rates of a day, such as “2.40 USD/h all working time”
         * (unpaid time included; the header says “2.40 USD/h this session”) and
         * “3.10 USD/h on task” */
        rates = g_strdup_printf (_ ("%s all working time\n%s on task"), session, on_task);
      else
        /* Translators: a day worked on another computer: only its on-task rate is known */
        rates = g_strdup_printf (_ ("all working time not recorded here\n%s on task"), on_task);

      add_row (self->days_list, day->key, states, rates);
    }
  if (days->len == 0)
    add_row (self->days_list, _ ("No work yet"), _ ("Submitted work shows here by day."), NULL);

  projects = fl_earnings_report_by_project (earnings);
  clear_list (self->projects_list);
  for (guint i = 0; i < projects->len; i++)
    {
      const FlEarningsGroup *project = projects->pdata[i];
      g_autofree char *states = states_text (project);
      g_autofree char *rate = fl_worker_format_rate (project->on_task_rate, project->currency);
      /* Translators: the on-task hourly rate of a project, such as “3.10 USD/h on task” */
      g_autofree char *suffix = g_strdup_printf (_ ("%s on task"), rate);

      add_row (self->projects_list, project->key, states, suffix);
    }
  if (projects->len == 0)
    add_row (self->projects_list, _ ("No projects yet"), "", NULL);

  clear_list (self->rejections_list);
  for (guint i = 0; i < earnings->entries->len; i++)
    {
      const FlEarningsEntry *entry = earnings->entries->pdata[i];
      g_autofree char *amount = NULL;
      g_autofree char *title = NULL;
      g_autofree char *day = NULL;

      if (entry->state != FL_LEDGER_STATE_REJECTED)
        continue;
      amount = fl_money_format (&entry->amount);
      day = fl_earnings_day_of (entry->created_at);
      title = g_strdup_printf ("%s · %s", entry->project_title ? entry->project_title : "", day);
      add_row (self->rejections_list, title,
               entry->reason != NULL && *entry->reason != '\0' ? entry->reason
                                                               : _ ("No reason given"),
               amount);
      rejections++;
    }
  if (rejections == 0)
    add_row (self->rejections_list, _ ("No rejections"),
             _ ("Rejected work shows here with the "
                "reviewer’s reason."),
             NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_button), earnings->entries->len > 0);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

char *
fl_earnings_page_get_csv (FlEarningsPage *self)
{
  g_return_val_if_fail (FL_IS_EARNINGS_PAGE (self), NULL);

  return self->earnings != NULL ? fl_earnings_to_csv (self->earnings) : NULL;
}
