/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "fl-server-store.h"

G_BEGIN_DECLS

#define FL_TYPE_SERVER (fl_server_get_type ())
G_DECLARE_FINAL_TYPE (FlServer, fl_server, FL, SERVER, GObject)

/* Takes over @store: from here on only the server's writer thread touches it. */
FlServer *fl_server_new (FlServerStore *store);
/* Listens on HOST:PORT (port 0 picks a free one); returns the base URL. */
char *fl_server_listen (FlServer *self, const char *address, GError **error);
/* Finishes the queued writes and stops the writer thread. */
void fl_server_shutdown (FlServer *self);

G_END_DECLS
