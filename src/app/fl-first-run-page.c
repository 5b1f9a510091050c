/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlFirstRunPage"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fl-first-run-page.h"

struct _FlFirstRunPage
{
  AdwBin parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *token_row;
  GtkLabel *error_label;
  GtkButton *connect_button;
  GtkLabel *connect_label;
  GtkSpinner *spinner;
  GtkButton *unsaved_button;

  gboolean busy;
};

G_DEFINE_FINAL_TYPE (FlFirstRunPage, fl_first_run_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_CONNECT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
fl_first_run_page_can_connect (FlFirstRunPage *self)
{
  g_autofree char *url =
    g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->token_row));

  return !self->busy && *url != '\0' && *token != '\0';
}

static void
fl_first_run_page_update_buttons (FlFirstRunPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            fl_first_run_page_can_connect (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->unsaved_button),
                            fl_first_run_page_can_connect (self));
}

static void
fl_first_run_page_emit_connect (FlFirstRunPage *self, gboolean remember)
{
  g_autofree char *url = NULL;

  if (!fl_first_run_page_can_connect (self))
    return;
  url = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  g_signal_emit (self, signals[SIGNAL_CONNECT], 0, url,
                 gtk_editable_get_text (GTK_EDITABLE (self->token_row)), remember);
}

static void
on_field_changed (FlFirstRunPage *self)
{
  /* A changed address or token is a new attempt: the old advice no longer applies. */
  fl_first_run_page_set_offer_unsaved (self, FALSE);
  fl_first_run_page_update_buttons (self);
}

static void
on_server_activated (FlFirstRunPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->token_row));
}

static void
on_token_activated (FlFirstRunPage *self)
{
  fl_first_run_page_emit_connect (self, TRUE);
}

static void
on_connect_clicked (FlFirstRunPage *self)
{
  fl_first_run_page_emit_connect (self, TRUE);
}

static void
on_unsaved_clicked (FlFirstRunPage *self)
{
  fl_first_run_page_emit_connect (self, FALSE);
}

static void
fl_first_run_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FL_TYPE_FIRST_RUN_PAGE);

  G_OBJECT_CLASS (fl_first_run_page_parent_class)->dispose (object);
}

static void
fl_first_run_page_class_init (FlFirstRunPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_first_run_page_dispose;

  /**
   * FlFirstRunPage::connect:
   * @url: the server address, trimmed
   * @token: the access token
   * @remember: whether the token should go to the keyring
   */
  signals[SIGNAL_CONNECT] =
    g_signal_new ("connect", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/fairlabel/Fairlabel/fl-first-run-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, connect_label);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FlFirstRunPage, unsaved_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_server_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_token_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_unsaved_clicked);
}

static void
fl_first_run_page_init (FlFirstRunPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fl_first_run_page_new (void)
{
  return g_object_new (FL_TYPE_FIRST_RUN_PAGE, NULL);
}

const char *
fl_first_run_page_get_server_url (FlFirstRunPage *self)
{
  g_return_val_if_fail (FL_IS_FIRST_RUN_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->server_row));
}

void
fl_first_run_page_set_server_url (FlFirstRunPage *self, const char *url)
{
  g_return_if_fail (FL_IS_FIRST_RUN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url != NULL ? url : "");
}

const char *
fl_first_run_page_get_token (FlFirstRunPage *self)
{
  g_return_val_if_fail (FL_IS_FIRST_RUN_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->token_row));
}

void
fl_first_run_page_clear_token (FlFirstRunPage *self)
{
  g_return_if_fail (FL_IS_FIRST_RUN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
}

void
fl_first_run_page_set_error (FlFirstRunPage *self, const char *message)
{
  g_return_if_fail (FL_IS_FIRST_RUN_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

const char *
fl_first_run_page_get_error (FlFirstRunPage *self)
{
  g_return_val_if_fail (FL_IS_FIRST_RUN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

void
fl_first_run_page_set_busy (FlFirstRunPage *self, gboolean busy)
{
  g_return_if_fail (FL_IS_FIRST_RUN_PAGE (self));

  self->busy = !!busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_label_set_text_with_mnemonic (self->connect_label,
                                    self->busy ? _ ("Connecting…") : _ ("_Connect"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), !self->busy);
  if (self->busy)
    fl_first_run_page_set_error (self, NULL);
  fl_first_run_page_update_buttons (self);
}

gboolean
fl_first_run_page_get_busy (FlFirstRunPage *self)
{
  g_return_val_if_fail (FL_IS_FIRST_RUN_PAGE (self), FALSE);

  return self->busy;
}

void
fl_first_run_page_set_offer_unsaved (FlFirstRunPage *self, gboolean offer)
{
  g_return_if_fail (FL_IS_FIRST_RUN_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->unsaved_button), offer);
}
