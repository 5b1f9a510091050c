/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlCredentials"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "fl-credentials.h"

G_DEFINE_QUARK (fl - credentials - error - quark, fl_credentials_error)

static const SecretSchema *
fl_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.fairlabel.Fairlabel.Token",
    SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

/* libsecret reports a missing Secret Service as a D-Bus or I/O error; people
 * need to hear that there is no keyring, and that nothing was written. */
static GError *
fl_credentials_translate_error (GError *error)
{
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("keyring: %s", error->message);
  if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR)
    translated = g_error_new_literal (FL_CREDENTIALS_ERROR, FL_CREDENTIALS_ERROR_NO_KEYRING,
                                      _ ("No keyring is available to keep the access token "
                                         "safe. Start a Secret Service such as GNOME Keyring."));
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    translated = g_error_new_literal (FL_CREDENTIALS_ERROR, FL_CREDENTIALS_ERROR_LOCKED,
                                      _ ("The keyring is locked. Unlock it and try again."));
  else
    translated = g_error_new (FL_CREDENTIALS_ERROR, FL_CREDENTIALS_ERROR_FAILED,
                              _ ("The keyring failed: %s"), error->message);
  g_error_free (error);
  return translated;
}

static void
store_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, fl_credentials_translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
fl_credentials_store_token_async (const char *server_url, const char *token,
                                  GCancellable *cancellable, GAsyncReadyCallback callback,
                                  gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (server_url != NULL && *server_url != '\0');
  g_return_if_fail (token != NULL && *token != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_credentials_store_token_async);

  /* Translators: the label of the keyring item; %s is a server address */
  label = g_strdup_printf (_ ("Fairlabel token for %s"), server_url);
  secret_password_store (fl_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, store_cb, g_steal_pointer (&task), "server", server_url,
                         NULL);
}

gboolean
fl_credentials_store_token_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, fl_credentials_translate_error (error));
      return;
    }
  /* Copied out of libsecret's non-pageable memory so callers free it plainly. */
  g_task_return_pointer (task, g_strdup (secret), g_free);
  secret_password_free (secret);
}

void
fl_credentials_lookup_token_async (const char *server_url, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_credentials_lookup_token_async);
  secret_password_lookup (fl_credentials_get_schema (), cancellable, lookup_cb, task, "server",
                          server_url, NULL);
}

char *
fl_credentials_lookup_token_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
clear_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, fl_credentials_translate_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
fl_credentials_clear_token_async (const char *server_url, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_credentials_clear_token_async);
  secret_password_clear (fl_credentials_get_schema (), cancellable, clear_cb, task, "server",
                         server_url, NULL);
}

gboolean
fl_credentials_clear_token_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
