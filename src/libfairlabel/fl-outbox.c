/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlOutbox"

#include "config.h"

#include <glib/gi18n.h>

#include "fl-outbox.h"

struct _FlOutbox
{
  GObject parent_instance;

  FlLocalStore *store;
  FlClient *client;
  GCancellable *cancellable; /* for the current client's deliveries */
  guint waiting;
  gboolean busy;
  gboolean paused; /* the server refused the token; wait for a new client */
  guint failures;  /* consecutive transient failures, for the backoff */
  guint first_backoff_ms;
  guint max_backoff_ms;
  guint retry_source;
};

G_DEFINE_FINAL_TYPE (FlOutbox, fl_outbox, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_WAITING,
  N_PROPS
};

enum
{
  SIGNAL_DELIVERED,
  SIGNAL_FAILED,
  SIGNAL_UNAUTHORIZED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void deliver_next (FlOutbox *self);

static void
set_waiting (FlOutbox *self, guint waiting)
{
  if (self->waiting == waiting)
    return;
  self->waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

static void
fl_outbox_dispose (GObject *object)
{
  FlOutbox *self = FL_OUTBOX (object);

  g_clear_handle_id (&self->retry_source, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_outbox_parent_class)->dispose (object);
}

static void
fl_outbox_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlOutbox *self = FL_OUTBOX (object);

  switch (prop_id)
    {
      case PROP_WAITING:
        g_value_set_uint (value, self->waiting);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_outbox_class_init (FlOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_outbox_dispose;
  object_class->get_property = fl_outbox_get_property;

  properties[PROP_WAITING] =
    g_param_spec_uint ("waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (assignment id) */
  signals[SIGNAL_DELIVERED] =
    g_signal_new ("delivered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  /* (assignment id, message): the server will never take it; the result stays in the store. */
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /* (message): the token was refused; delivery waits for a new client. */
  signals[SIGNAL_UNAUTHORIZED] =
    g_signal_new ("unauthorized", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fl_outbox_init (FlOutbox *self)
{
  self->first_backoff_ms = 1000;
  self->max_backoff_ms = 5 * 60 * 1000;
}

FlOutbox *
fl_outbox_new (FlLocalStore *store)
{
  FlOutbox *self;

  g_return_val_if_fail (FL_IS_LOCAL_STORE (store), NULL);

  self = g_object_new (FL_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  return self;
}

void
fl_outbox_set_client (FlOutbox *self, FlClient *client)
{
  g_return_if_fail (FL_IS_OUTBOX (self));
  g_return_if_fail (client == NULL || FL_IS_CLIENT (client));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_set_object (&self->client, client);
  self->paused = FALSE;
  self->failures = 0;
  self->busy = FALSE;
  if (client != NULL)
    {
      self->cancellable = g_cancellable_new ();
      deliver_next (self);
    }
}

FlClient *
fl_outbox_get_client (FlOutbox *self)
{
  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);

  return self->client;
}

guint
fl_outbox_get_waiting (FlOutbox *self)
{
  g_return_val_if_fail (FL_IS_OUTBOX (self), 0);

  return self->waiting;
}

void
fl_outbox_set_backoff (FlOutbox *self, guint first_ms, guint max_ms)
{
  g_return_if_fail (FL_IS_OUTBOX (self));
  g_return_if_fail (first_ms > 0 && max_ms >= first_ms);

  self->first_backoff_ms = first_ms;
  self->max_backoff_ms = max_ms;
}

void
fl_outbox_flush (FlOutbox *self)
{
  g_return_if_fail (FL_IS_OUTBOX (self));

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->paused = FALSE;
  deliver_next (self);
}

static gboolean
on_retry (gpointer user_data)
{
  FlOutbox *self = user_data;

  self->retry_source = 0;
  deliver_next (self);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  FlOutbox *self;
  FlOutboxItem *item;
  GCancellable *cancellable;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_object_unref (delivery->self);
  fl_outbox_item_free (delivery->item);
  g_clear_object (&delivery->cancellable);
  g_free (delivery);
}

static gboolean
delivery_is_current (Delivery *delivery)
{
  return !g_cancellable_is_cancelled (delivery->cancellable);
}

static void
on_outcome_recorded (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Delivery *delivery = user_data;
  FlOutbox *self = delivery->self;
  g_autoptr (GError) error = NULL;

  /* If this record is lost, the next run sends the item again under its key,
   * and the server answers with its first answer. */
  if (!fl_local_store_update_outbox_finish (FL_LOCAL_STORE (source), result, &error))
    g_warning ("Cannot record a delivery: %s", error->message);

  if (delivery->item->state != FL_OUTBOX_STATE_WAITING)
    {
      set_waiting (self, self->waiting > 0 ? self->waiting - 1 : 0);
      if (delivery->item->state == FL_OUTBOX_STATE_DELIVERED)
        g_signal_emit (self, signals[SIGNAL_DELIVERED], 0, delivery->item->assignment_id);
      else
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, delivery->item->assignment_id,
                       delivery->item->last_error);
    }

  if (delivery_is_current (delivery))
    {
      self->busy = FALSE;
      if (delivery->item->state == FL_OUTBOX_STATE_WAITING)
        {
          guint backoff = self->first_backoff_ms;

          for (guint i = 1; i < self->failures && backoff < self->max_backoff_ms; i++)
            backoff *= 2;
          backoff = MIN (backoff, self->max_backoff_ms);
          if (!self->paused)
            self->retry_source = g_timeout_add (backoff, on_retry, self);
        }
      else
        deliver_next (self);
    }
  delivery_free (delivery);
}

static void
on_submitted (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Delivery *delivery = user_data;
  FlOutbox *self = delivery->self;
  FlOutboxItem *item = delivery->item;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;

  answer = fl_client_submit_finish (FL_CLIENT (source), result, &error);
  if (!delivery_is_current (delivery))
    {
      delivery_free (delivery);
      return;
    }

  if (answer != NULL || g_error_matches (error, FL_CLIENT_ERROR, FL_CLIENT_ERROR_ALREADY_SUBMITTED))
    {
      item->state = FL_OUTBOX_STATE_DELIVERED;
      g_clear_pointer (&item->last_error, g_free);
      self->failures = 0;
    }
  else if (error->domain == FL_CLIENT_ERROR &&
           (error->code == FL_CLIENT_ERROR_UNREACHABLE || error->code == FL_CLIENT_ERROR_TIMEOUT ||
            error->code == FL_CLIENT_ERROR_SERVER || error->code == FL_CLIENT_ERROR_TLS ||
            error->code == FL_CLIENT_ERROR_BAD_RESPONSE ||
            error->code == FL_CLIENT_ERROR_UNAUTHORIZED))
    {
      item->attempts++;
      self->failures++;
      g_free (item->last_error);
      item->last_error = g_strdup (error->message);
      if (error->code == FL_CLIENT_ERROR_UNAUTHORIZED)
        {
          self->paused = TRUE;
          g_signal_emit (self, signals[SIGNAL_UNAUTHORIZED], 0, error->message);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      delivery_free (delivery);
      return;
    }
  else
    {
      /* The server answered and will never take this one (expired lease,
       * unknown assignment): stop retrying, keep the result, tell the worker. */
      item->state = FL_OUTBOX_STATE_FAILED;
      item->attempts++;
      g_free (item->last_error);
      item->last_error = g_strdup (error->message);
    }

  fl_local_store_update_outbox_async (self->store, item->id, item->state, item->attempts, 0,
                                      item->last_error, NULL, on_outcome_recorded, delivery);
}

static void
on_listed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GCancellable) cancellable = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (JsonNode) node = NULL;
  FlOutbox *self;
  Delivery *delivery;
  FlOutboxItem *item;

  items = fl_local_store_list_outbox_finish (FL_LOCAL_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (cancellable))
    return;
  self = g_object_get_data (G_OBJECT (cancellable), "outbox");
  if (items == NULL)
    {
      g_warning ("Cannot read the outbox: %s", error->message);
      self->busy = FALSE;
      return;
    }

  set_waiting (self, items->len);
  if (items->len == 0 || self->paused)
    {
      self->busy = FALSE;
      return;
    }

  item = g_ptr_array_steal_index (items, 0);
  node = json_from_string (item->result_json, &error);
  delivery = g_new0 (Delivery, 1);
  delivery->self = g_object_ref (self);
  delivery->item = item;
  delivery->cancellable = g_object_ref (cancellable);
  if (node == NULL)
    {
      item->state = FL_OUTBOX_STATE_FAILED;
      item->last_error = g_strdup (_ ("The saved result is damaged and cannot be sent."));
      fl_local_store_update_outbox_async (self->store, item->id, item->state, item->attempts, 0,
                                          item->last_error, NULL, on_outcome_recorded, delivery);
      return;
    }
  fl_client_submit_async (self->client, item->assignment_id, node, item->active_seconds,
                          item->idempotency_key, cancellable, on_submitted, delivery);
}

static void
deliver_next (FlOutbox *self)
{
  if (self->busy || self->client == NULL || self->paused)
    return;

  self->busy = TRUE;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_object_set_data (G_OBJECT (self->cancellable), "outbox", self);
  fl_local_store_list_outbox_async (self->store, fl_client_get_base_url (self->client),
                                    FL_OUTBOX_STATE_WAITING, NULL, on_listed,
                                    g_object_ref (self->cancellable));
}

static void
on_enqueued (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  FlOutbox *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;

  if (fl_local_store_enqueue_finish (FL_LOCAL_STORE (source), result, &error) <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_waiting (self, self->waiting + 1);
  g_task_return_boolean (task, TRUE);
  deliver_next (self);
}

void
fl_outbox_submit_async (FlOutbox *self, gint64 assignment_id, JsonNode *result,
                        gint64 active_seconds, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (FL_IS_OUTBOX (self));
  g_return_if_fail (result != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_outbox_submit_async);
  if (self->client == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _ ("Not connected to a server."));
      return;
    }

  key = g_uuid_string_random ();
  text = json_to_string (result, FALSE);
  /* Not cancellable: once asked for, the commit must either happen or fail. */
  fl_local_store_enqueue_async (self->store, fl_client_get_base_url (self->client), assignment_id,
                                text, active_seconds, key, NULL, on_enqueued,
                                g_steal_pointer (&task));
}

gboolean
fl_outbox_submit_finish (FlOutbox *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
