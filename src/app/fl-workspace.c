/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlWorkspace"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-asset-cache.h"
#include "fl-earnings-clock.h"
#include "fl-earnings-meter.h"
#include "fl-earnings-report.h"
#include "fl-outbox.h"
#include "fl-workspace.h"

#define HEARTBEAT_SECONDS 60
#define DRAFT_DELAY_MS 500
#define WORK_TIME_SECONDS 60
#define ASSET_CACHE_BYTES (2 * (gint64) 1024 * 1024 * 1024)
/* How long leaving waits for the server to take back a reserved task. */
#define LEAVING_GIVE_BACK_MS 1000

/* An assignment with its files, ready to show. */
typedef struct
{
  FlAssignment *assignment;
  GPtrArray *files; /* GFile or NULL per asset */
  gint64 deadline_us;
  char *draft_json;
  guint pending;
  char *first_error;
} Prepared;

static void
prepared_free (Prepared *prepared)
{
  if (prepared == NULL)
    return;
  g_clear_pointer (&prepared->assignment, fl_assignment_free);
  g_clear_pointer (&prepared->files, g_ptr_array_unref);
  g_free (prepared->draft_json);
  g_free (prepared->first_error);
  g_free (prepared);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepared, prepared_free)

/* Leaving, a request the app waits for a moment (see leaving_hold_new ()). */
typedef struct _LeavingHold LeavingHold;

struct _FlWorkspace
{
  AdwBin parent_instance;

  FlClient *client;
  GSettings *settings;
  FlLocalStore *store;
  FlOutbox *outbox;
  FlAssetCache *cache;
  FlEarningsClock *clock;
  char *currency;
  GCancellable *cancellable;

  Prepared *current;
  guint draft_source;
  guint heartbeat_source;
  gint64 last_input_us;

  Prepared *next;           /* keep going: reserved and downloaded */
  Prepared *preparing_next; /* keep going: reserved, its files on their way */
  gboolean reserving;
  GCancellable *reserve_cancellable; /* the reservation's own: leaving waits for it */
  LeavingHold *leaving_hold;         /* leaving while reserving: the app waits a moment */
  gboolean show_next_when_ready;
  guint returning_next; /* reserved tasks being given back */
  gboolean offers_wanted;

  gint64 persisted_seconds;
  guint work_time_source;
  gboolean unauthorized;
  gboolean left;

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  FlOffersPage *offers_page;
  AdwStatusPage *waiting_page;
  GtkSpinner *waiting_spinner;
  FlTaskPage *task_page;
  FlEarningsPage *earnings_page;
  GtkWidget *header_title;
  GtkToggleButton *work_button;
  GtkToggleButton *earnings_button;
  GtkWidget *waiting_box;
  GtkLabel *waiting_label;
  FlEarningsMeter *meter;
};

G_DEFINE_FINAL_TYPE (FlWorkspace, fl_workspace, ADW_TYPE_BIN)

enum
{
  SIGNAL_UNAUTHORIZED,
  SIGNAL_OFFERS_SHOWN,
  SIGNAL_TASK_SHOWN,
  SIGNAL_EARNINGS_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void reserve_next (FlWorkspace *self);
static void give_back_on_leaving (FlWorkspace *self, FlClient *client, gint64 assignment_id);
static void leaving_hold_free (LeavingHold *hold);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LeavingHold, leaving_hold_free)
static void show_prepared (FlWorkspace *self, Prepared *prepared);
static void refresh_today (FlWorkspace *self);

static void
toast (FlWorkspace *self, const char *message)
{
  AdwToast *t = adw_toast_new (message);

  adw_toast_set_timeout (t, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
record (FlWorkspace *self, FlClockEvent event, gint64 assignment_id, gint64 amount)
{
  fl_earnings_clock_record (self->clock, event, g_get_monotonic_time (), assignment_id, amount);
}

static gint64
task_seconds (FlWorkspace *self)
{
  FlEarningsFigures figures;

  fl_earnings_clock_get_figures (self->clock, g_get_monotonic_time (), &figures);
  return figures.task_seconds;
}

/* A revoked token: stop talking to the server, keep every draft, ask again. */
static void
handle_unauthorized (FlWorkspace *self, const GError *error)
{
  if (self->unauthorized)
    return;
  self->unauthorized = TRUE;
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  g_signal_emit (self, signals[SIGNAL_UNAUTHORIZED], 0, error->message);
}

static gboolean
is_unauthorized (const GError *error)
{
  return g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED);
}

static void
show_page (FlWorkspace *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  if (g_str_equal (name, "waiting"))
    gtk_spinner_start (self->waiting_spinner);
  else
    gtk_spinner_stop (self->waiting_spinner);
}

/* Offers */

static void
on_offers_painted (FlWorkspace *self, GdkFrameClock *clock)
{
  g_signal_handlers_disconnect_by_func (clock, on_offers_painted, self);
  g_debug ("Offers on screen");
}

static void
on_offers (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  GPtrArray *offers;

  offers = fl_client_get_offers_finish (FL_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (offers == NULL)
    {
      if (is_unauthorized (error))
        handle_unauthorized (self, error);
      fl_offers_page_show_offline (self->offers_page, error->message);
      return;
    }
  fl_offers_page_set_offers (self->offers_page, offers);
  g_signal_emit (self, signals[SIGNAL_OFFERS_SHOWN], 0);
  /* For measuring start-up: the first frame with the offers in it. */
  if (gtk_widget_get_frame_clock (GTK_WIDGET (self)) != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (GTK_WIDGET (self)), "after-paint",
                             G_CALLBACK (on_offers_painted), self, G_CONNECT_SWAPPED);
}

void
fl_workspace_reload_offers (FlWorkspace *self)
{
  g_return_if_fail (FL_IS_WORKSPACE (self));

  fl_offers_page_show_loading (self->offers_page);
  fl_client_get_offers_async (self->client, self->cancellable, on_offers, g_object_ref (self));
}

/* The offers are loaded once no reserved task is on its way back to the
 * pool, so that their counts include it. */
static void
load_offers_when_settled (FlWorkspace *self)
{
  if (!self->offers_wanted || self->reserving || self->returning_next > 0)
    return;
  self->offers_wanted = FALSE;
  fl_workspace_reload_offers (self);
}

static void
show_offers (FlWorkspace *self)
{
  show_page (self, "offers");
  fl_offers_page_show_loading (self->offers_page);
  self->offers_wanted = TRUE;
  load_offers_when_settled (self);
}

static void
on_next_returned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = fl_client_return_finish (FL_CLIENT (source), result, &error);

  if (answer == NULL)
    g_debug ("Could not give back a reserved task: %s", error->message);
  self->returning_next--;
  load_offers_when_settled (self);
}

/* Gives a task reserved for keep going back to the pool. */
static void
give_back (FlWorkspace *self, gint64 assignment_id)
{
  g_debug ("Giving back reserved assignment %" G_GINT64_FORMAT, assignment_id);
  self->returning_next++;
  fl_client_return_async (self->client, assignment_id, 0, NULL, on_next_returned,
                          g_object_ref (self));
}

/* Preparing a task: its files come through the cache, verified. */

typedef struct
{
  FlWorkspace *self;
  Prepared *prepared;
  guint index;
  void (*done) (FlWorkspace *self, Prepared *prepared);
} FetchJob;

static void
on_asset_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FetchJob *job = user_data;
  Prepared *prepared = job->prepared;
  g_autoptr (GError) error = NULL;
  GFile *file;

  file = fl_asset_cache_fetch_finish (FL_ASSET_CACHE (source), result, &error);
  if (file != NULL)
    g_ptr_array_index (prepared->files, job->index) = file;
  else if (prepared->first_error == NULL && error != NULL)
    prepared->first_error = g_strdup (error->message);

  if (--prepared->pending == 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (job->self->preparing_next == prepared)
            job->self->preparing_next = NULL;
          prepared_free (prepared);
        }
      else
        job->done (job->self, prepared);
    }
  g_object_unref (job->self);
  g_free (job);
}

static void
unref_if_set (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

static void
prepare (FlWorkspace *self, Prepared *prepared, void (*done) (FlWorkspace *, Prepared *))
{
  GPtrArray *assets =
    prepared->assignment->task != NULL ? prepared->assignment->task->assets : NULL;
  guint n = assets != NULL ? assets->len : 0;

  /* A file not fetched (yet) stays NULL, which g_object_unref() refuses. */
  prepared->files = g_ptr_array_new_full (n, unref_if_set);
  g_ptr_array_set_size (prepared->files, n);
  if (n == 0)
    {
      done (self, prepared);
      return;
    }
  prepared->pending = n;
  for (guint i = 0; i < n; i++)
    {
      const FlAsset *asset = g_ptr_array_index (assets, i);
      FetchJob *job = g_new0 (FetchJob, 1);

      job->self = g_object_ref (self);
      job->prepared = prepared;
      job->index = i;
      job->done = done;
      fl_asset_cache_fetch_async (self->cache, self->client, asset->sha256, self->cancellable,
                                  on_asset_fetched, job);
    }
}

static Prepared *
prepared_new (FlAssignment *assignment)
{
  Prepared *prepared = g_new0 (Prepared, 1);

  prepared->assignment = assignment;
  prepared->deadline_us = g_get_monotonic_time () + assignment->seconds_left * G_USEC_PER_SEC;
  return prepared;
}

/* Drafts */

static char *
assignment_json (const FlAssignment *assignment)
{
  g_autoptr (JsonNode) node = fl_assignment_to_json (assignment);
  return json_to_string (node, FALSE);
}

static void
on_draft_saved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!fl_local_store_save_draft_finish (FL_LOCAL_STORE (source), result, &error))
    fl_task_page_show_message (self->task_page, error->message, TRUE);
}

static void
save_draft_now (FlWorkspace *self)
{
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  FlDraft draft = { 0 };

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->current == NULL)
    return;

  json = assignment_json (self->current->assignment);
  text = fl_task_page_get_draft_text (self->task_page);
  draft.server_url = (char *) fl_client_get_base_url (self->client);
  draft.assignment_id = self->current->assignment->id;
  draft.assignment_json = json;
  draft.result_json = text;
  draft.active_seconds = task_seconds (self);
  fl_local_store_save_draft_async (self->store, &draft, NULL, on_draft_saved, g_object_ref (self));
}

static void
save_draft_sync (FlWorkspace *self)
{
  g_autofree char *json = assignment_json (self->current->assignment);
  g_autofree char *text = fl_task_page_get_draft_text (self->task_page);
  g_autoptr (GError) error = NULL;
  FlDraft draft = {
    .server_url = (char *) fl_client_get_base_url (self->client),
    .assignment_id = self->current->assignment->id,
    .assignment_json = json,
    .result_json = text,
    .active_seconds = task_seconds (self),
  };

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (!fl_local_store_save_draft_sync (self->store, &draft, &error))
    g_warning ("Cannot save the draft: %s", error->message);
}

static gboolean
on_draft_timeout (gpointer user_data)
{
  FlWorkspace *self = user_data;

  self->draft_source = 0;
  save_draft_now (self);
  return G_SOURCE_REMOVE;
}

static void
on_task_changed (FlWorkspace *self)
{
  /* Saved within a second of every edit, batching bursts of typing. */
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add (DRAFT_DELAY_MS, on_draft_timeout, self);
}

/* Heartbeats keep the lease while work goes on. */

static void
expire_current (FlWorkspace *self)
{
  if (self->current == NULL || fl_task_page_get_expired (self->task_page))
    return;
  save_draft_now (self);
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  record (self, FL_CLOCK_EVENT_TASK_RETURN, self->current->assignment->id, 0);
  fl_task_page_set_expired (self->task_page);
}

static void
on_heartbeat (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;

  answer = fl_client_heartbeat_finish (FL_CLIENT (source), result, &error);
  if (answer != NULL)
    {
      JsonNode *left = json_object_get_member (answer, "seconds_left");

      if (self->current != NULL && left != NULL && JSON_NODE_HOLDS_VALUE (left) &&
          json_node_get_value_type (left) == G_TYPE_INT64)
        {
          self->current->deadline_us =
            g_get_monotonic_time () + json_node_get_int (left) * G_USEC_PER_SEC;
          fl_task_page_set_deadline (self->task_page, self->current->deadline_us);
        }
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (is_unauthorized (error))
    handle_unauthorized (self, error);
  else if (g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_EXPIRED) ||
           g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_NOT_FOUND))
    expire_current (self);
}

static gboolean
on_heartbeat_timeout (gpointer user_data)
{
  FlWorkspace *self = user_data;

  if (self->current != NULL)
    fl_client_heartbeat_async (self->client, self->current->assignment->id, task_seconds (self),
                               self->cancellable, on_heartbeat, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

/* Showing a task */

static void
show_prepared (FlWorkspace *self, Prepared *prepared)
{
  g_assert (self->current == NULL);

  self->current = prepared;
  fl_task_page_show (self->task_page, prepared->assignment, prepared->files, prepared->deadline_us,
                     prepared->draft_json);
  show_page (self, "task");
  gtk_toggle_button_set_active (self->work_button, TRUE);
  record (self, FL_CLOCK_EVENT_TASK_START, prepared->assignment->id, 0);
  if (prepared->first_error != NULL)
    fl_task_page_show_message (self->task_page, prepared->first_error, TRUE);
  if (prepared->deadline_us <= g_get_monotonic_time ())
    expire_current (self);
  else
    {
      save_draft_now (self);
      self->heartbeat_source =
        g_timeout_add_seconds (HEARTBEAT_SECONDS, on_heartbeat_timeout, self);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->task_page));
  g_signal_emit (self, signals[SIGNAL_TASK_SHOWN], 0, prepared->assignment->id);
  reserve_next (self);
}

static void
on_prepared_for_show (FlWorkspace *self, Prepared *prepared)
{
  g_debug ("Assignment %" G_GINT64_FORMAT " ready", prepared->assignment->id);
  if (self->current != NULL)
    {
      /* Another task got there first (a restored draft); this one goes back. */
      fl_client_return_async (self->client, prepared->assignment->id, 0, NULL, NULL, NULL);
      prepared_free (prepared);
      return;
    }
  show_prepared (self, prepared);
}

static void
leave_task (FlWorkspace *self)
{
  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  g_clear_pointer (&self->current, prepared_free);
}

static void
return_next (FlWorkspace *self)
{
  self->show_next_when_ready = FALSE;
  if (self->next != NULL)
    {
      give_back (self, self->next->assignment->id);
      g_clear_pointer (&self->next, prepared_free);
    }
}

static void
continue_after_task (FlWorkspace *self)
{
  if (self->next != NULL && fl_task_page_get_keep_going (self->task_page))
    {
      Prepared *next = g_steal_pointer (&self->next);

      next->deadline_us = MAX (next->deadline_us, g_get_monotonic_time ());
      show_prepared (self, next);
      return;
    }
  if (self->reserving && fl_task_page_get_keep_going (self->task_page))
    {
      self->show_next_when_ready = TRUE;
      show_page (self, "waiting");
      return;
    }
  return_next (self);
  show_offers (self);
}

/* Keep going: the next task of the project is reserved and downloaded while
 * the worker is on this one. */

/* The worker left the project's flow (returned the task, or turned keep going
 * off) while the next task was being reserved. */
static gboolean
next_unwanted (FlWorkspace *self)
{
  return !self->show_next_when_ready &&
         (self->current == NULL || !fl_task_page_get_keep_going (self->task_page));
}

static void
on_next_prepared (FlWorkspace *self, Prepared *prepared)
{
  self->preparing_next = NULL;
  self->reserving = FALSE;
  if (self->left)
    {
      /* Given back when leaving. */
      prepared_free (prepared);
      return;
    }
  if (next_unwanted (self))
    {
      give_back (self, prepared->assignment->id);
      prepared_free (prepared);
      load_offers_when_settled (self);
      return;
    }
  if (self->show_next_when_ready && self->current == NULL)
    {
      self->show_next_when_ready = FALSE;
      show_prepared (self, prepared);
      return;
    }
  g_clear_pointer (&self->next, prepared_free);
  self->next = prepared;
}

static void
on_next_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  /* Let go only once the task is on its way back. */
  g_autoptr (LeavingHold) hold = g_steal_pointer (&self->leaving_hold);
  FlAssignment *assignment;

  assignment = fl_client_accept_finish (FL_CLIENT (source), result, &error);
  if (assignment == NULL)
    {
      self->reserving = FALSE;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->left)
        return;
      load_offers_when_settled (self);
      if (is_unauthorized (error))
        handle_unauthorized (self, error);
      if (self->show_next_when_ready)
        {
          self->show_next_when_ready = FALSE;
          if (!g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_NO_TASKS))
            toast (self, error->message);
          else
            toast (self, _ ("That was the last task of this project."));
          show_offers (self);
        }
      return;
    }
  g_debug ("Reserved assignment %" G_GINT64_FORMAT " to keep going", assignment->id);
  if (self->left)
    {
      /* The window may be gone: the answer's client gives it back. */
      self->reserving = FALSE;
      give_back_on_leaving (self, FL_CLIENT (source), assignment->id);
      fl_assignment_free (assignment);
      return;
    }
  if (next_unwanted (self))
    {
      /* No need to download what goes straight back. */
      self->reserving = FALSE;
      give_back (self, assignment->id);
      fl_assignment_free (assignment);
      load_offers_when_settled (self);
      return;
    }
  self->preparing_next = prepared_new (assignment);
  prepare (self, self->preparing_next, on_next_prepared);
}

static void
reserve_next (FlWorkspace *self)
{
  if (self->current == NULL || self->next != NULL || self->reserving || self->unauthorized ||
      !fl_task_page_get_keep_going (self->task_page))
    return;
  self->reserving = TRUE;
  g_clear_object (&self->reserve_cancellable);
  self->reserve_cancellable = g_cancellable_new ();
  fl_client_accept_async (self->client, self->current->assignment->project_id,
                          self->reserve_cancellable, on_next_accepted, g_object_ref (self));
}

static void
on_keep_going_changed (FlWorkspace *self)
{
  if (fl_task_page_get_keep_going (self->task_page))
    reserve_next (self);
  else if (self->next != NULL)
    return_next (self);
}

/* Accepting from the offers */

static void
on_accepted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  FlAssignment *assignment;

  fl_offers_page_set_busy (self->offers_page, FALSE);
  assignment = fl_client_accept_finish (FL_CLIENT (source), result, &error);
  if (assignment == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_page (self, "offers");
      if (is_unauthorized (error))
        handle_unauthorized (self, error);
      else
        toast (self, error->message);
      fl_workspace_reload_offers (self);
      return;
    }
  g_debug ("Accepted assignment %" G_GINT64_FORMAT ", fetching its files", assignment->id);
  prepare (self, prepared_new (assignment), on_prepared_for_show);
}

static void
on_accept (FlWorkspace *self, gint64 project_id)
{
  if (self->current != NULL)
    return;
  fl_offers_page_set_busy (self->offers_page, TRUE);
  adw_status_page_set_title (self->waiting_page, _ ("Getting the Task Ready…"));
  show_page (self, "waiting");
  fl_client_accept_async (self->client, project_id, self->cancellable, on_accepted,
                          g_object_ref (self));
}

/* Submitting: committed to the outbox first, then the worker moves on. */

typedef struct
{
  FlWorkspace *self;
  gint64 assignment_id;
  gint64 reward;
} SubmitData;

static void
on_committed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  SubmitData *data = user_data;
  g_autoptr (FlWorkspace) self = data->self;
  g_autoptr (GError) error = NULL;
  gint64 assignment_id = data->assignment_id;
  gint64 reward = data->reward;

  g_free (data);
  if (!fl_outbox_submit_finish (FL_OUTBOX (source), result, &error))
    {
      /* Not sent, and the page says so; the draft stays. */
      g_autofree char *message = NULL;

      /* Translators: %s says why, e.g. the disk is full */
      message =
        g_strdup_printf (_ ("Your work was not sent and is still here. %s"), error->message);
      fl_task_page_set_busy (self->task_page, FALSE);
      fl_task_page_show_message (self->task_page, message, TRUE);
      save_draft_now (self);
      return;
    }
  if (self->current == NULL || self->current->assignment->id != assignment_id)
    return;

  record (self, FL_CLOCK_EVENT_TASK_SUBMIT, assignment_id, reward);
  leave_task (self);
  continue_after_task (self);
}

static void
on_submit (FlWorkspace *self)
{
  g_autoptr (JsonNode) result = NULL;
  g_autoptr (GError) error = NULL;
  SubmitData *data;

  if (self->current == NULL)
    return;
  result = fl_task_page_get_result (self->task_page, &error);
  if (result == NULL)
    {
      fl_task_page_show_message (self->task_page, error->message, TRUE);
      return;
    }
  g_clear_handle_id (&self->draft_source, g_source_remove);
  fl_task_page_set_busy (self->task_page, TRUE);
  data = g_new0 (SubmitData, 1);
  data->self = g_object_ref (self);
  data->assignment_id = self->current->assignment->id;
  data->reward = self->current->assignment->reward.amount_minor;
  fl_outbox_submit_async (self->outbox, data->assignment_id, result, task_seconds (self), NULL,
                          on_committed, data);
}

/* Returning */

static void
on_draft_deleted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!fl_local_store_delete_draft_finish (FL_LOCAL_STORE (source), result, &error))
    g_warning ("Cannot delete a draft: %s", error->message);
}

static void
on_returned (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;
  gint64 id;

  answer = fl_client_return_finish (FL_CLIENT (source), result, &error);
  if (self->current == NULL)
    return;
  if (answer == NULL && !g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_EXPIRED) &&
      !g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_NOT_FOUND))
    {
      fl_task_page_set_busy (self->task_page, FALSE);
      if (is_unauthorized (error))
        handle_unauthorized (self, error);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fl_task_page_show_message (self->task_page, error->message, TRUE);
      return;
    }

  id = self->current->assignment->id;
  record (self, FL_CLOCK_EVENT_TASK_RETURN, id, 0);
  fl_local_store_delete_draft_async (self->store, fl_client_get_base_url (self->client), id, NULL,
                                     on_draft_deleted, NULL);
  leave_task (self);
  return_next (self);
  show_offers (self);
}

static void
on_return (FlWorkspace *self)
{
  if (self->current == NULL)
    return;
  if (fl_task_page_get_expired (self->task_page))
    {
      /* The server took it back already; the draft stays on this computer. */
      leave_task (self);
      return_next (self);
      show_offers (self);
      return;
    }
  g_clear_handle_id (&self->draft_source, g_source_remove);
  fl_task_page_set_busy (self->task_page, TRUE);
  fl_client_return_async (self->client, self->current->assignment->id, task_seconds (self),
                          self->cancellable, on_returned, g_object_ref (self));
}

static void
on_task_expired (FlWorkspace *self)
{
  expire_current (self);
}

static void
on_audio_playing (FlWorkspace *self, gboolean playing)
{
  record (self, playing ? FL_CLOCK_EVENT_AUDIO_START : FL_CLOCK_EVENT_AUDIO_STOP, 0, 0);
}

/* Input keeps the clock running; at most one event a second reaches it. */
static gboolean
on_input (GtkEventControllerLegacy *controller, GdkEvent *event, FlWorkspace *self)
{
  GdkEventType type = gdk_event_get_event_type (event);
  gint64 now;

  if (type != GDK_KEY_PRESS && type != GDK_BUTTON_PRESS && type != GDK_MOTION_NOTIFY &&
      type != GDK_SCROLL && type != GDK_TOUCH_BEGIN)
    return GDK_EVENT_PROPAGATE;
  now = g_get_monotonic_time ();
  if (now - self->last_input_us >= G_USEC_PER_SEC)
    {
      self->last_input_us = now;
      fl_earnings_clock_record (self->clock, FL_CLOCK_EVENT_INPUT, now, 0, 0);
    }
  return GDK_EVENT_PROPAGATE;
}

/* Working time per day, for the session rate on the earnings page. */

static void
on_work_time_added (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!fl_local_store_add_work_time_finish (FL_LOCAL_STORE (source), result, &error))
    g_warning ("Cannot record working time: %s", error->message);
}

static void
persist_work_time (FlWorkspace *self)
{
  FlEarningsFigures figures;
  g_autofree char *day = NULL;
  gint64 delta;

  fl_earnings_clock_get_figures (self->clock, g_get_monotonic_time (), &figures);
  delta = figures.session_seconds - self->persisted_seconds;
  if (delta <= 0)
    return;
  self->persisted_seconds = figures.session_seconds;
  day = fl_earnings_day_of (g_get_real_time () / G_USEC_PER_SEC);
  fl_local_store_add_work_time_async (self->store, fl_client_get_base_url (self->client), day,
                                      delta, NULL, on_work_time_added, NULL);
}

static gboolean
on_work_time_timeout (gpointer user_data)
{
  persist_work_time (user_data);
  return G_SOURCE_CONTINUE;
}

/* Earnings */

typedef struct
{
  FlWorkspace *self;
  FlEarnings *earnings;
  GHashTable *work_time;
  GError *error;
  guint pending;
  gboolean for_page;
} EarningsLoad;

static void
earnings_load_done (EarningsLoad *load)
{
  FlWorkspace *self = load->self;

  if (--load->pending > 0)
    return;

  if (load->earnings != NULL)
    {
      g_autofree char *today = fl_earnings_day_of (g_get_real_time () / G_USEC_PER_SEC);
      gint64 pending = 0, approved = 0;

      for (guint i = 0; i < load->earnings->entries->len; i++)
        {
          const FlEarningsEntry *entry = load->earnings->entries->pdata[i];
          g_autofree char *day = fl_earnings_day_of (entry->created_at);

          if (!g_str_equal (day, today) || g_strcmp0 (entry->amount.currency, self->currency) != 0)
            continue;
          if (entry->state == FL_LEDGER_STATE_PENDING)
            pending += entry->amount.amount_minor;
          else if (entry->state == FL_LEDGER_STATE_APPROVED || entry->state == FL_LEDGER_STATE_PAID)
            approved += entry->amount.amount_minor;
        }
      fl_earnings_meter_set_today (self->meter, pending, approved);
      if (load->for_page)
        {
          fl_earnings_page_set_earnings (self->earnings_page, g_steal_pointer (&load->earnings),
                                         load->work_time);
          g_signal_emit (self, signals[SIGNAL_EARNINGS_SHOWN], 0);
        }
    }
  else if (load->error != NULL && load->for_page &&
           !g_error_matches (load->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (is_unauthorized (load->error))
        handle_unauthorized (self, load->error);
      fl_earnings_page_show_error (self->earnings_page, load->error->message);
    }

  g_clear_pointer (&load->earnings, fl_earnings_free);
  g_clear_pointer (&load->work_time, g_hash_table_unref);
  g_clear_error (&load->error);
  g_object_unref (load->self);
  g_free (load);
}

static void
on_earnings (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EarningsLoad *load = user_data;

  load->earnings = fl_client_get_earnings_finish (FL_CLIENT (source), result, &load->error);
  earnings_load_done (load);
}

static void
on_work_time (GObject *source, GAsyncResult *result, gpointer user_data)
{
  EarningsLoad *load = user_data;
  g_autoptr (GError) error = NULL;

  load->work_time = fl_local_store_list_work_time_finish (FL_LOCAL_STORE (source), result, &error);
  earnings_load_done (load);
}

static void
load_earnings (FlWorkspace *self, gboolean for_page)
{
  EarningsLoad *load = g_new0 (EarningsLoad, 1);

  load->self = g_object_ref (self);
  load->for_page = for_page;
  load->pending = 2;
  persist_work_time (self);
  fl_client_get_earnings_async (self->client, self->cancellable, on_earnings, load);
  fl_local_store_list_work_time_async (self->store, fl_client_get_base_url (self->client), NULL,
                                       on_work_time, load);
}

static void
refresh_today (FlWorkspace *self)
{
  load_earnings (self, FALSE);
}

void
fl_workspace_show_earnings (FlWorkspace *self)
{
  g_return_if_fail (FL_IS_WORKSPACE (self));

  gtk_toggle_button_set_active (self->earnings_button, TRUE);
}

static void
on_earnings_refresh (FlWorkspace *self)
{
  load_earnings (self, TRUE);
}

static void
on_view_toggled (FlWorkspace *self)
{
  if (gtk_toggle_button_get_active (self->earnings_button))
    {
      show_page (self, "earnings");
      fl_earnings_page_show_loading (self->earnings_page);
      load_earnings (self, TRUE);
    }
  else if (gtk_toggle_button_get_active (self->work_button))
    {
      if (self->current != NULL)
        show_page (self, "task");
      else if (self->show_next_when_ready)
        show_page (self, "waiting");
      else
        show_page (self, "offers");
    }
}

/* The outbox */

static void
update_waiting (FlWorkspace *self)
{
  guint waiting = fl_outbox_get_waiting (self->outbox);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->waiting_box, waiting > 0);
  /* Translators: submissions saved on this computer and not yet on the server */
  text = g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%u waiting to send", "%u waiting to send", waiting), waiting);
  gtk_label_set_label (self->waiting_label, text);
}

static void
on_delivered (FlWorkspace *self, gint64 assignment_id)
{
  refresh_today (self);
}

static void
on_delivery_failed (FlWorkspace *self, gint64 assignment_id, const char *message)
{
  g_autofree char *text = NULL;

  /* Translators: a submission the server will not take; %s says why */
  text = g_strdup_printf (_ ("A submission was not accepted: %s"), message);
  toast (self, text);
  record (self, FL_CLOCK_EVENT_REJECT, assignment_id, 0);
}

static void
on_outbox_unauthorized (FlWorkspace *self, const char *message)
{
  g_autoptr (GError) error =
    g_error_new_literal (FL_CLIENT_ERROR, FL_CLIENT_ERROR_UNAUTHORIZED, message);
  handle_unauthorized (self, error);
}

/* Settings */

static void
on_target_changed (FlWorkspace *self)
{
  gint64 target = g_settings_get_int64 (self->settings, "target-wage-minor");
  g_autofree char *currency = g_settings_get_string (self->settings, "target-currency");

  fl_offers_page_set_target (self->offers_page, target, currency);
  fl_earnings_meter_set_target (self->meter, target, currency);
}

static void
on_idle_timeout_changed (FlWorkspace *self)
{
  fl_earnings_clock_set_idle_timeout (
    self->clock, (gint64) g_settings_get_uint (self->settings, "idle-timeout") * G_USEC_PER_SEC);
}

/* Restoring the work of an earlier run */

static void
on_restored_prepared (FlWorkspace *self, Prepared *prepared)
{
  if (self->current != NULL)
    {
      prepared_free (prepared);
      return;
    }
  g_debug ("Restored assignment %" G_GINT64_FORMAT, prepared->assignment->id);
  show_prepared (self, prepared);
  toast (self, _ ("Your unfinished task was restored."));
}

static void
on_drafts_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (FlWorkspace) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) drafts = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  drafts = fl_local_store_list_drafts_finish (FL_LOCAL_STORE (source), result, &error);
  for (guint i = 0; drafts != NULL && i < drafts->len; i++)
    {
      FlDraft *draft = drafts->pdata[i];
      g_autoptr (JsonNode) node = json_from_string (draft->assignment_json, NULL);
      FlAssignment *assignment = node != NULL ? fl_assignment_from_json (node, NULL) : NULL;
      Prepared *prepared;

      /* Leases that ran out stay in the drafts, but do not reopen. */
      if (assignment == NULL || assignment->deadline <= now)
        {
          g_clear_pointer (&assignment, fl_assignment_free);
          continue;
        }
      assignment->seconds_left = assignment->deadline - now;
      prepared = prepared_new (assignment);
      prepared->draft_json = g_strdup (draft->result_json);
      show_page (self, "waiting");
      prepare (self, prepared, on_restored_prepared);
      return;
    }
  /* The offers were asked for at the start, alongside this. */
}

/* Leaving for good: the window closes or the app quits. */

/* What is still said to the server on leaving outlives the workspace. It holds the application,
 * if any, so that quitting waits for the answer, a second at the most, after which the request
 * is cancelled. */
struct _LeavingHold
{
  GApplication *app;
  GCancellable *cancellable;
  guint timeout_source;
};

static gboolean
on_leaving_timeout (gpointer user_data)
{
  LeavingHold *hold = user_data;

  hold->timeout_source = 0;
  g_cancellable_cancel (hold->cancellable);
  return G_SOURCE_REMOVE;
}

static LeavingHold *
leaving_hold_new (FlWorkspace *self, GCancellable *cancellable)
{
  LeavingHold *hold = g_new0 (LeavingHold, 1);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = NULL;

  /* The window's application; once out of the window, the process's. */
  if (GTK_IS_WINDOW (root))
    app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root)));
  if (app == NULL)
    app = g_application_get_default ();
  if (app != NULL)
    {
      hold->app = g_object_ref (app);
      g_application_hold (app);
    }
  hold->cancellable = g_object_ref (cancellable);
  hold->timeout_source = g_timeout_add (LEAVING_GIVE_BACK_MS, on_leaving_timeout, hold);
  return hold;
}

static void
leaving_hold_free (LeavingHold *hold)
{
  g_clear_handle_id (&hold->timeout_source, g_source_remove);
  if (hold->app != NULL)
    g_application_release (hold->app);
  g_clear_object (&hold->app);
  g_clear_object (&hold->cancellable);
  g_free (hold);
}

typedef struct
{
  LeavingHold *hold;
  gint64 assignment_id;
} LeavingGiveBack;

static void
on_given_back_on_leaving (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LeavingGiveBack *give_back = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = fl_client_return_finish (FL_CLIENT (source), result, &error);

  if (answer == NULL)
    g_debug ("Could not give back reserved assignment %" G_GINT64_FORMAT " on leaving: %s",
             give_back->assignment_id, error->message);
  else
    g_debug ("Gave back reserved assignment %" G_GINT64_FORMAT " on leaving",
             give_back->assignment_id);
  leaving_hold_free (give_back->hold);
  g_free (give_back);
}

static void
give_back_on_leaving (FlWorkspace *self, FlClient *client, gint64 assignment_id)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  LeavingGiveBack *give_back = g_new0 (LeavingGiveBack, 1);

  g_debug ("Giving back reserved assignment %" G_GINT64_FORMAT " on leaving", assignment_id);
  give_back->assignment_id = assignment_id;
  give_back->hold = leaving_hold_new (self, cancellable);
  fl_client_return_async (client, assignment_id, 0, cancellable, on_given_back_on_leaving,
                          give_back);
}

void
fl_workspace_leave (FlWorkspace *self)
{
  g_return_if_fail (FL_IS_WORKSPACE (self));

  if (self->left || self->clock == NULL || self->store == NULL || self->client == NULL)
    return;
  self->left = TRUE;
  /* The task in progress stays reserved: its draft goes to the disk and comes back on the next
   * start. Only the one reserved ahead, not yet started, goes back to the pool. */
  if (self->current != NULL)
    save_draft_sync (self);
  persist_work_time (self);
  self->show_next_when_ready = FALSE;
  if (self->next != NULL)
    give_back_on_leaving (self, self->client, self->next->assignment->id);
  else if (self->preparing_next != NULL)
    give_back_on_leaving (self, self->client, self->preparing_next->assignment->id);
  else if (self->reserving)
    /* The server may have reserved it already: its answer is waited for, and the task given
     * back, rather than left this worker's until its lease ends. */
    self->leaving_hold = leaving_hold_new (self, self->reserve_cancellable);
  g_clear_pointer (&self->next, prepared_free);
  /* Stops what is under way, downloads of the reserved task's files included (they free it). */
  g_cancellable_cancel (self->cancellable);
}

/* Life cycle */

static void
fl_workspace_dispose (GObject *object)
{
  FlWorkspace *self = FL_WORKSPACE (object);

  /* The app may be quitting: the last edits go to the disk before it does. */
  fl_workspace_leave (self);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->draft_source, g_source_remove);
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
  g_clear_handle_id (&self->work_time_source, g_source_remove);
  g_clear_pointer (&self->current, prepared_free);
  g_clear_pointer (&self->next, prepared_free);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);

  /* The bin's child is a template child: let go of it before the template does. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WORKSPACE);

  g_clear_object (&self->outbox);
  g_clear_object (&self->store);
  g_clear_object (&self->cache);
  g_clear_object (&self->clock);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->reserve_cancellable);
  g_clear_pointer (&self->currency, g_free);

  G_OBJECT_CLASS (fl_workspace_parent_class)->dispose (object);
}

static void
fl_workspace_class_init (FlWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_workspace_dispose;

  /* (message): the server refused the token; drafts are kept. */
  signals[SIGNAL_UNAUTHORIZED] =
    g_signal_new ("unauthorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_OFFERS_SHOWN] =
    g_signal_new ("offers-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* (assignment id): the task is on screen and ready for input. */
  signals[SIGNAL_TASK_SHOWN] =
    g_signal_new ("task-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_EARNINGS_SHOWN] =
    g_signal_new ("earnings-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_OFFERS_PAGE);
  g_type_ensure (FL_TYPE_TASK_PAGE);
  g_type_ensure (FL_TYPE_EARNINGS_PAGE);
  g_type_ensure (FL_TYPE_EARNINGS_METER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlabel/Fairlabel/fl-workspace.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, stack);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, offers_page);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, task_page);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, earnings_page);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, header_title);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, work_button);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, earnings_button);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, waiting_label);
  gtk_widget_class_bind_template_child (widget_class, FlWorkspace, meter);
  gtk_widget_class_bind_template_callback (widget_class, on_view_toggled);
}

static void
fl_workspace_init (FlWorkspace *self)
{
  GtkEventController *input;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  input = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (input, GTK_PHASE_CAPTURE);
  g_signal_connect (input, "event", G_CALLBACK (on_input), self);
  gtk_widget_add_controller (GTK_WIDGET (self), input);

  g_signal_connect_object (self->offers_page, "accept", G_CALLBACK (on_accept), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->offers_page, "refresh", G_CALLBACK (fl_workspace_reload_offers),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "submit", G_CALLBACK (on_submit), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "return", G_CALLBACK (on_return), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "changed", G_CALLBACK (on_task_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "expired", G_CALLBACK (on_task_expired), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "audio-playing", G_CALLBACK (on_audio_playing), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->task_page, "notify::keep-going",
                           G_CALLBACK (on_keep_going_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->earnings_page, "refresh", G_CALLBACK (on_earnings_refresh), self,
                           G_CONNECT_SWAPPED);
}

FlWorkspace *
fl_workspace_new (FlClient *client, GSettings *settings, FlLocalStore *store, const char *currency,
                  GError **error)
{
  g_autoptr (FlWorkspace) self = NULL;

  g_return_val_if_fail (FL_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (store == NULL || FL_IS_LOCAL_STORE (store), NULL);

  self = g_object_ref_sink (g_object_new (FL_TYPE_WORKSPACE, NULL));
  self->client = g_object_ref (client);
  self->settings = g_object_ref (settings);
  self->currency = g_strdup (currency != NULL ? currency : "USD");
  if (store != NULL)
    self->store = g_object_ref (store);
  else if ((self->store = fl_local_store_new (NULL, error)) == NULL)
    return NULL;
  self->cache = fl_asset_cache_new (NULL, ASSET_CACHE_BYTES);
  self->clock = fl_earnings_clock_new (120 * G_USEC_PER_SEC);
  on_idle_timeout_changed (self);
  record (self, FL_CLOCK_EVENT_SESSION_START, 0, 0);

  self->outbox = fl_outbox_new (self->store);
  g_signal_connect_object (self->outbox, "notify::waiting", G_CALLBACK (update_waiting), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outbox, "delivered", G_CALLBACK (on_delivered), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outbox, "failed", G_CALLBACK (on_delivery_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outbox, "unauthorized", G_CALLBACK (on_outbox_unauthorized), self,
                           G_CONNECT_SWAPPED);
  fl_outbox_set_client (self->outbox, client);

  fl_earnings_meter_set_currency (self->meter, self->currency);
  fl_earnings_meter_set_clock (self->meter, self->clock);
  g_settings_bind (settings, "keep-going", self->task_page, "keep-going", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "show-instructions", self->task_page, "instructions-visible",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "hide-below-target", self->offers_page, "hide-below-target",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::target-wage-minor", G_CALLBACK (on_target_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::target-currency", G_CALLBACK (on_target_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::idle-timeout", G_CALLBACK (on_idle_timeout_changed),
                           self, G_CONNECT_SWAPPED);
  on_target_changed (self);
  update_waiting (self);

  self->work_time_source = g_timeout_add_seconds (WORK_TIME_SECONDS, on_work_time_timeout, self);
  fl_local_store_list_drafts_async (self->store, fl_client_get_base_url (client), self->cancellable,
                                    on_drafts_listed, g_object_ref (self));
  fl_workspace_reload_offers (self);
  refresh_today (self);
  return g_steal_pointer (&self);
}

GtkWidget *
fl_workspace_get_header_title (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return self->header_title;
}

GtkWidget *
fl_workspace_get_header_end (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return GTK_WIDGET (self->meter);
}

const char *
fl_workspace_get_visible_page (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

FlOffersPage *
fl_workspace_get_offers_page (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return self->offers_page;
}

FlTaskPage *
fl_workspace_get_task_page (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return self->task_page;
}

FlEarningsPage *
fl_workspace_get_earnings_page (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), NULL);

  return self->earnings_page;
}

guint
fl_workspace_get_waiting (FlWorkspace *self)
{
  g_return_val_if_fail (FL_IS_WORKSPACE (self), 0);

  return fl_outbox_get_waiting (self->outbox);
}
