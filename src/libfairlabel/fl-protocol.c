/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlProtocol"

#include "config.h"

#include <string.h>

#include "fl-protocol.h"

G_DEFINE_QUARK (fl - protocol - error - quark, fl_protocol_error)

static const struct
{
  const char *code;
  guint status;
} error_table[] = {
  [FL_PROTOCOL_ERROR_INTERNAL] = { "internal", 500 },
  [FL_PROTOCOL_ERROR_MALFORMED_JSON] = { "malformed_json", 400 },
  [FL_PROTOCOL_ERROR_INVALID_FIELD] = { "invalid_field", 400 },
  [FL_PROTOCOL_ERROR_INVALID_AMOUNT] = { "invalid_amount", 400 },
  [FL_PROTOCOL_ERROR_UNKNOWN_CURRENCY] = { "unknown_currency", 400 },
  [FL_PROTOCOL_ERROR_INVALID_PATH] = { "invalid_path", 400 },
  [FL_PROTOCOL_ERROR_UNAUTHORIZED] = { "unauthorized", 401 },
  [FL_PROTOCOL_ERROR_FORBIDDEN] = { "forbidden", 403 },
  [FL_PROTOCOL_ERROR_NOT_FOUND] = { "not_found", 404 },
  [FL_PROTOCOL_ERROR_METHOD_NOT_ALLOWED] = { "method_not_allowed", 405 },
  [FL_PROTOCOL_ERROR_NO_TASKS] = { "no_tasks", 409 },
  [FL_PROTOCOL_ERROR_ALREADY_SUBMITTED] = { "already_submitted", 409 },
  [FL_PROTOCOL_ERROR_INVALID_STATE] = { "invalid_state", 409 },
  [FL_PROTOCOL_ERROR_LEASE_EXPIRED] = { "lease_expired", 410 },
  [FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE] = { "payload_too_large", 413 },
  [FL_PROTOCOL_ERROR_RANGE_NOT_SATISFIABLE] = { "range_not_satisfiable", 416 },
  [FL_PROTOCOL_ERROR_UNAVAILABLE] = { "unavailable", 503 },
};

const char *
fl_protocol_error_to_code (FlProtocolError error)
{
  if ((guint) error >= G_N_ELEMENTS (error_table))
    return error_table[FL_PROTOCOL_ERROR_INTERNAL].code;
  return error_table[error].code;
}

FlProtocolError
fl_protocol_error_from_code (const char *code)
{
  for (guint i = 0; code != NULL && i < G_N_ELEMENTS (error_table); i++)
    if (g_strcmp0 (error_table[i].code, code) == 0)
      return (FlProtocolError) i;
  return FL_PROTOCOL_ERROR_INTERNAL;
}

guint
fl_protocol_error_http_status (FlProtocolError error)
{
  if ((guint) error >= G_N_ELEMENTS (error_table))
    return 500;
  return error_table[error].status;
}

JsonNode *
fl_protocol_error_to_json (FlProtocolError error, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, fl_protocol_error_to_code (error));
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message ? message : "");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
fl_protocol_error_from_json (JsonNode *node, GError **error)
{
  JsonObject *object, *inner;
  const char *code, *message;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "error"))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    return FALSE;
  inner = json_object_get_object_member (object, "error");
  code = json_object_get_string_member_with_default (inner, "code", NULL);
  message = json_object_get_string_member_with_default (inner, "message", "");
  if (code == NULL)
    return FALSE;
  g_set_error_literal (error, FL_PROTOCOL_ERROR, fl_protocol_error_from_code (code), message);
  return TRUE;
}

static gboolean
lookup_name (const char *const *names, guint n, const char *text, guint *out)
{
  for (guint i = 0; text != NULL && i < n; i++)
    if (strcmp (names[i], text) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static const char *const assignment_states[] = {
  "active", "submitted", "approved", "rejected", "returned", "expired",
};
static const char *const estimate_sources[] = {
  "worker-median",
  "all-workers-median",
  "requester",
};
static const char *const ledger_states[] = { "pending", "approved", "rejected", "paid" };
static const char *const ledger_kinds[] = { "reward", "bonus" };

#define ENUM_STRINGS(prefix, Type, table)                              \
  const char *prefix##_to_string (Type value)                          \
  {                                                                    \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (table), NULL); \
    return table[value];                                               \
  }                                                                    \
  gboolean prefix##_from_string (const char *text, Type *out)          \
  {                                                                    \
    guint i;                                                           \
    if (!lookup_name (table, G_N_ELEMENTS (table), text, &i))          \
      return FALSE;                                                    \
    *out = (Type) i;                                                   \
    return TRUE;                                                       \
  }

ENUM_STRINGS (fl_assignment_state, FlAssignmentState, assignment_states)
ENUM_STRINGS (fl_estimate_source, FlEstimateSource, estimate_sources)
ENUM_STRINGS (fl_ledger_state, FlLedgerState, ledger_states)
ENUM_STRINGS (fl_ledger_kind, FlLedgerKind, ledger_kinds)

gboolean
fl_protocol_check_members (JsonObject *object, const char *const *allowed, GError **error)
{
  g_autoptr (GList) members = NULL;

  g_return_val_if_fail (object != NULL, FALSE);

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (allowed, l->data))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                       "Unknown field “%s”", (const char *) l->data);
          return FALSE;
        }
    }
  return TRUE;
}

/* Finds @member: FALSE (with @error) when it is required and missing or null; otherwise TRUE,
 * with *@node NULL when it is absent. */
static gboolean
find_member (JsonObject *object, const char *member, gboolean required, JsonNode **node,
             GError **error)
{
  *node = json_object_get_member (object, member);
  if (*node != NULL && !JSON_NODE_HOLDS_NULL (*node))
    return TRUE;
  *node = NULL;
  if (!required)
    return TRUE;
  g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD, "Missing field “%s”",
               member);
  return FALSE;
}

static gboolean
wrong_type (const char *member, const char *expected, GError **error)
{
  g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD, "Field “%s” must be %s",
               member, expected);
  return FALSE;
}

gboolean
fl_protocol_get_string (JsonObject *object, const char *member, gboolean required, const char **out,
                        GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    {
      *out = NULL;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return wrong_type (member, "a string", error);
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
fl_protocol_get_int (JsonObject *object, const char *member, gboolean required, gint64 *out,
                     GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return wrong_type (member, "an integer", error);
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
fl_protocol_get_double (JsonObject *object, const char *member, gboolean required, double *out,
                        GError **error)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return wrong_type (member, "a number", error);
  return TRUE;
}

gboolean
fl_protocol_get_bool (JsonObject *object, const char *member, gboolean required, gboolean *out,
                      GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return wrong_type (member, "true or false", error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
fl_protocol_get_object (JsonObject *object, const char *member, gboolean required, JsonObject **out,
                        GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  *out = NULL;
  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, "an object", error);
  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
fl_protocol_get_array (JsonObject *object, const char *member, gboolean required, JsonArray **out,
                       GError **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL && out != NULL, FALSE);

  *out = NULL;
  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return wrong_type (member, "an array", error);
  *out = json_node_get_array (node);
  return TRUE;
}

JsonNode *
fl_protocol_money_to_json (const FlMoney *money)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autofree char *amount = fl_money_to_decimal (money);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "amount");
  json_builder_add_string_value (b, amount);
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, money->currency);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
fl_protocol_money_from_json (JsonNode *node, FlMoney *out, GError **error)
{
  static const char *const allowed[] = { "amount", "currency", NULL };
  g_autoptr (GError) local = NULL;
  JsonObject *object;
  const char *amount, *currency;
  FlMoney money;

  g_return_val_if_fail (out != NULL, FALSE);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type ("money", "an object with “amount” and “currency”", error);
  object = json_node_get_object (node);
  if (!fl_protocol_check_members (object, allowed, error) ||
      !fl_protocol_get_string (object, "amount", TRUE, &amount, error) ||
      !fl_protocol_get_string (object, "currency", TRUE, &currency, error))
    return FALSE;
  if (!fl_money_parse (amount, currency, &money, &local))
    {
      FlProtocolError code = FL_PROTOCOL_ERROR_INVALID_AMOUNT;

      if (g_error_matches (local, FL_MONEY_ERROR, FL_MONEY_ERROR_UNKNOWN_CURRENCY))
        code = FL_PROTOCOL_ERROR_UNKNOWN_CURRENCY;
      g_set_error_literal (error, FL_PROTOCOL_ERROR, code, local->message);
      return FALSE;
    }
  if (money.amount_minor < 0)
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_AMOUNT, "“%s” is negative",
                   amount);
      return FALSE;
    }
  *out = money;
  return TRUE;
}

gboolean
fl_protocol_get_money (JsonObject *object, const char *member, gboolean required, FlMoney *out,
                       GError **error)
{
  JsonNode *node;

  if (!find_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return wrong_type (member, "an object with “amount” and “currency”", error);
  return fl_protocol_money_from_json (node, out, error);
}

JsonNode *
fl_protocol_parse (const char *data, gssize length, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root;

  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_MALFORMED_JSON,
                           "The body is empty; a JSON document was expected");
      return NULL;
    }
  if (length < 0)
    length = (gssize) strlen (data);
  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_MALFORMED_JSON,
                           "The body is not valid UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_MALFORMED_JSON, "Malformed JSON: %s",
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_MALFORMED_JSON,
                           "The body is empty; a JSON document was expected");
      return NULL;
    }
  return json_node_copy (root);
}

char *
fl_protocol_to_string (JsonNode *node, gsize *length)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, length);
}

char *
fl_protocol_time_to_string (gint64 unix_seconds)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_seconds);

  if (dt == NULL)
    return NULL;
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
fl_protocol_time_from_string (const char *text, gint64 *out)
{
  g_autoptr (GDateTime) dt = NULL;

  if (text == NULL)
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

/* Builder helpers: short names keep the to_json functions readable. */
static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_money (JsonBuilder *b, const char *name, const FlMoney *money)
{
  json_builder_set_member_name (b, name);
  json_builder_add_value (b, fl_protocol_money_to_json (money));
}

static void
add_time (JsonBuilder *b, const char *name, gint64 unix_seconds)
{
  g_autofree char *text = fl_protocol_time_to_string (unix_seconds);

  add_string (b, name, text);
}

static void
add_node (JsonBuilder *b, const char *name, JsonNode *node)
{
  json_builder_set_member_name (b, name);
  if (node != NULL)
    json_builder_add_value (b, json_node_copy (node));
  else
    json_builder_add_null_value (b);
}

static void
add_object (JsonBuilder *b, const char *name, JsonObject *object)
{
  json_builder_set_member_name (b, name);
  if (object != NULL)
    {
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, object);
      json_builder_add_value (b, node);
    }
  else
    json_builder_add_null_value (b);
}

static JsonObject *
expect_object (JsonNode *node, const char *what, GError **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "%s must be a JSON object", what);
      return NULL;
    }
  return json_node_get_object (node);
}

static gboolean
get_time (JsonObject *object, const char *member, gboolean required, gint64 *out, GError **error)
{
  const char *text = NULL;

  if (!fl_protocol_get_string (object, member, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  if (!fl_protocol_time_from_string (text, out))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Field “%s” must be an ISO 8601 time", member);
      return FALSE;
    }
  return TRUE;
}

void
fl_server_info_free (FlServerInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->version);
  g_free (info->api_version);
  g_free (info->currency);
  g_free (info);
}

JsonNode *
fl_server_info_to_json (const FlServerInfo *info)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (info != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "name", info->name);
  add_string (b, "version", info->version);
  add_string (b, "api_version", info->api_version);
  add_string (b, "currency", info->currency);
  json_builder_set_member_name (b, "fair_pay");
  json_builder_begin_object (b);
  add_money (b, "minimum_hourly_wage", &info->minimum_hourly_wage);
  add_string (b, "rule", "bonus = reward * (minimum / rate - 1), rounded up to the minor unit");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlServerInfo *
fl_server_info_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlServerInfo) info = g_new0 (FlServerInfo, 1);
  JsonObject *object = expect_object (node, "Server info", error);
  JsonObject *fair_pay = NULL;
  const char *name, *version, *api, *currency;

  if (object == NULL || !fl_protocol_get_string (object, "name", TRUE, &name, error) ||
      !fl_protocol_get_string (object, "version", TRUE, &version, error) ||
      !fl_protocol_get_string (object, "api_version", FALSE, &api, error) ||
      !fl_protocol_get_string (object, "currency", TRUE, &currency, error) ||
      !fl_protocol_get_object (object, "fair_pay", FALSE, &fair_pay, error))
    return NULL;
  info->name = g_strdup (name);
  info->version = g_strdup (version);
  info->api_version = g_strdup (api);
  info->currency = g_strdup (currency);
  if (fair_pay != NULL && !fl_protocol_get_money (fair_pay, "minimum_hourly_wage", FALSE,
                                                  &info->minimum_hourly_wage, error))
    return NULL;
  return g_steal_pointer (&info);
}

JsonNode *
fl_estimate_to_json (const FlEstimate *estimate)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "seconds", estimate->seconds);
  add_string (b, "source", fl_estimate_source_to_string (estimate->source));
  add_int (b, "samples", estimate->samples);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
fl_estimate_from_json (JsonNode *node, FlEstimate *out, GError **error)
{
  JsonObject *object = expect_object (node, "An estimate", error);
  const char *source;
  gint64 samples = 0;

  if (object == NULL || !fl_protocol_get_int (object, "seconds", TRUE, &out->seconds, error) ||
      !fl_protocol_get_string (object, "source", TRUE, &source, error) ||
      !fl_protocol_get_int (object, "samples", FALSE, &samples, error))
    return FALSE;
  if (!fl_estimate_source_from_string (source, &out->source))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Unknown estimate source “%s”", source);
      return FALSE;
    }
  out->samples = (guint) CLAMP (samples, 0, G_MAXUINT);
  return TRUE;
}

void
fl_offer_free (FlOffer *offer)
{
  if (offer == NULL)
    return;
  g_free (offer->kind);
  g_free (offer->title);
  g_free (offer->instructions);
  g_free (offer);
}

JsonNode *
fl_offer_to_json (const FlOffer *offer)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (offer != NULL, NULL);

  json_builder_begin_object (b);
  add_int (b, "project_id", offer->project_id);
  add_string (b, "kind", offer->kind);
  add_string (b, "title", offer->title);
  add_string (b, "instructions", offer->instructions);
  add_money (b, "reward", &offer->reward);
  json_builder_set_member_name (b, "estimate");
  json_builder_add_value (b, fl_estimate_to_json (&offer->estimate));
  add_money (b, "estimated_hourly_rate", &offer->estimated_hourly_rate);
  add_int (b, "requester_estimate_seconds", offer->requester_estimate_seconds);
  add_int (b, "lease_seconds", offer->lease_seconds);
  add_int (b, "auto_approve_seconds", offer->auto_approve_seconds);
  add_int (b, "tasks_left", offer->tasks_left);
  json_builder_set_member_name (b, "requester");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "approval_rate");
  if (offer->approval_rate >= 0)
    json_builder_add_double_value (b, offer->approval_rate);
  else
    json_builder_add_null_value (b);
  add_int (b, "reviewed", offer->reviewed);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlOffer *
fl_offer_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlOffer) offer = g_new0 (FlOffer, 1);
  JsonObject *object = expect_object (node, "An offer", error);
  JsonObject *requester = NULL;
  const char *kind, *title, *instructions;
  gint64 reviewed = 0;

  if (object == NULL ||
      !fl_protocol_get_int (object, "project_id", TRUE, &offer->project_id, error) ||
      !fl_protocol_get_string (object, "kind", TRUE, &kind, error) ||
      !fl_protocol_get_string (object, "title", TRUE, &title, error) ||
      !fl_protocol_get_string (object, "instructions", FALSE, &instructions, error) ||
      !fl_protocol_get_money (object, "reward", TRUE, &offer->reward, error) ||
      !fl_estimate_from_json (json_object_get_member (object, "estimate"), &offer->estimate,
                              error) ||
      !fl_protocol_get_money (object, "estimated_hourly_rate", FALSE, &offer->estimated_hourly_rate,
                              error) ||
      !fl_protocol_get_int (object, "requester_estimate_seconds", FALSE,
                            &offer->requester_estimate_seconds, error) ||
      !fl_protocol_get_int (object, "lease_seconds", TRUE, &offer->lease_seconds, error) ||
      !fl_protocol_get_int (object, "auto_approve_seconds", FALSE, &offer->auto_approve_seconds,
                            error) ||
      !fl_protocol_get_int (object, "tasks_left", TRUE, &offer->tasks_left, error) ||
      !fl_protocol_get_object (object, "requester", FALSE, &requester, error))
    return NULL;
  offer->kind = g_strdup (kind);
  offer->title = g_strdup (title);
  offer->instructions = g_strdup (instructions);
  offer->approval_rate = -1;
  if (requester != NULL)
    {
      if (!fl_protocol_get_double (requester, "approval_rate", FALSE, &offer->approval_rate,
                                   error) ||
          !fl_protocol_get_int (requester, "reviewed", FALSE, &reviewed, error))
        return NULL;
      offer->reviewed = (guint) CLAMP (reviewed, 0, G_MAXUINT);
    }
  return g_steal_pointer (&offer);
}

GPtrArray *
fl_offers_from_json (JsonNode *node, GError **error)
{
  g_autoptr (GPtrArray) offers = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_offer_free);
  JsonObject *object = expect_object (node, "The offers", error);
  JsonArray *array = NULL;

  if (object == NULL || !fl_protocol_get_array (object, "offers", TRUE, &array, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      FlOffer *offer = fl_offer_from_json (json_array_get_element (array, i), error);

      if (offer == NULL)
        return NULL;
      g_ptr_array_add (offers, offer);
    }
  return g_steal_pointer (&offers);
}

FlAsset *
fl_asset_new (void)
{
  return g_new0 (FlAsset, 1);
}

void
fl_asset_free (FlAsset *asset)
{
  if (asset == NULL)
    return;
  g_free (asset->sha256);
  g_free (asset->name);
  g_free (asset->media_type);
  g_free (asset->url);
  g_free (asset);
}

JsonNode *
fl_asset_to_json (const FlAsset *asset)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (asset != NULL, NULL);

  json_builder_begin_object (b);
  add_string (b, "sha256", asset->sha256);
  add_string (b, "name", asset->name);
  add_string (b, "media_type", asset->media_type);
  add_int (b, "size", asset->size);
  if (asset->width > 0 && asset->height > 0)
    {
      add_int (b, "width", asset->width);
      add_int (b, "height", asset->height);
    }
  if (asset->duration > 0)
    {
      json_builder_set_member_name (b, "duration");
      json_builder_add_double_value (b, asset->duration);
    }
  add_string (b, "url", asset->url);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlAsset *
fl_asset_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlAsset) asset = fl_asset_new ();
  JsonObject *object = expect_object (node, "An asset", error);
  const char *sha256, *name, *media_type, *url;
  gint64 width = 0, height = 0;

  if (object == NULL || !fl_protocol_get_string (object, "sha256", TRUE, &sha256, error) ||
      !fl_protocol_get_string (object, "name", FALSE, &name, error) ||
      !fl_protocol_get_string (object, "media_type", FALSE, &media_type, error) ||
      !fl_protocol_get_int (object, "size", FALSE, &asset->size, error) ||
      !fl_protocol_get_int (object, "width", FALSE, &width, error) ||
      !fl_protocol_get_int (object, "height", FALSE, &height, error) ||
      !fl_protocol_get_double (object, "duration", FALSE, &asset->duration, error) ||
      !fl_protocol_get_string (object, "url", FALSE, &url, error))
    return NULL;
  asset->sha256 = g_strdup (sha256);
  asset->name = g_strdup (name);
  asset->media_type = g_strdup (media_type);
  asset->url = g_strdup (url);
  asset->width = (int) CLAMP (width, 0, G_MAXINT);
  asset->height = (int) CLAMP (height, 0, G_MAXINT);
  return g_steal_pointer (&asset);
}

FlTask *
fl_task_new (void)
{
  FlTask *task = g_new0 (FlTask, 1);

  task->assets = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_asset_free);
  return task;
}

void
fl_task_free (FlTask *task)
{
  if (task == NULL)
    return;
  g_clear_pointer (&task->assets, g_ptr_array_unref);
  g_clear_pointer (&task->pre_annotation, json_node_unref);
  g_clear_pointer (&task->data, json_object_unref);
  g_free (task);
}

JsonNode *
fl_task_to_json (const FlTask *task)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (task != NULL, NULL);

  json_builder_begin_object (b);
  add_int (b, "id", task->id);
  add_int (b, "project_id", task->project_id);
  json_builder_set_member_name (b, "assets");
  json_builder_begin_array (b);
  for (guint i = 0; i < task->assets->len; i++)
    json_builder_add_value (b, fl_asset_to_json (g_ptr_array_index (task->assets, i)));
  json_builder_end_array (b);
  add_node (b, "pre_annotation", task->pre_annotation);
  add_object (b, "data", task->data);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlTask *
fl_task_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlTask) task = fl_task_new ();
  JsonObject *object = expect_object (node, "A task", error);
  JsonArray *assets = NULL;
  JsonObject *data = NULL;
  JsonNode *pre;

  if (object == NULL || !fl_protocol_get_int (object, "id", TRUE, &task->id, error) ||
      !fl_protocol_get_int (object, "project_id", FALSE, &task->project_id, error) ||
      !fl_protocol_get_array (object, "assets", TRUE, &assets, error) ||
      !fl_protocol_get_object (object, "data", FALSE, &data, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (assets); i++)
    {
      FlAsset *asset = fl_asset_from_json (json_array_get_element (assets, i), error);

      if (asset == NULL)
        return NULL;
      g_ptr_array_add (task->assets, asset);
    }
  pre = json_object_get_member (object, "pre_annotation");
  if (pre != NULL && !JSON_NODE_HOLDS_NULL (pre))
    {
      if (!JSON_NODE_HOLDS_OBJECT (pre))
        return (wrong_type ("pre_annotation", "an object or null", error), NULL);
      task->pre_annotation = json_node_copy (pre);
    }
  if (data != NULL)
    task->data = json_object_ref (data);
  return g_steal_pointer (&task);
}

void
fl_assignment_free (FlAssignment *assignment)
{
  if (assignment == NULL)
    return;
  g_free (assignment->kind);
  g_free (assignment->title);
  g_free (assignment->instructions);
  g_clear_pointer (&assignment->label_config, json_object_unref);
  g_clear_pointer (&assignment->task, fl_task_free);
  g_free (assignment);
}

JsonNode *
fl_assignment_to_json (const FlAssignment *a)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (a != NULL, NULL);

  json_builder_begin_object (b);
  add_int (b, "id", a->id);
  add_string (b, "state", fl_assignment_state_to_string (a->state));
  add_int (b, "project_id", a->project_id);
  add_string (b, "kind", a->kind);
  add_string (b, "title", a->title);
  add_string (b, "instructions", a->instructions);
  add_object (b, "label_config", a->label_config);
  add_money (b, "reward", &a->reward);
  json_builder_set_member_name (b, "task");
  if (a->task != NULL)
    json_builder_add_value (b, fl_task_to_json (a->task));
  else
    json_builder_add_null_value (b);
  add_time (b, "accepted_at", a->accepted_at);
  add_time (b, "deadline", a->deadline);
  add_int (b, "seconds_left", a->seconds_left);
  add_int (b, "lease_seconds", a->lease_seconds);
  add_int (b, "active_seconds", a->active_seconds);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlAssignment *
fl_assignment_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlAssignment) a = g_new0 (FlAssignment, 1);
  JsonObject *object = expect_object (node, "An assignment", error);
  JsonObject *label_config = NULL;
  const char *state, *kind, *title, *instructions;
  JsonNode *task;

  if (object == NULL || !fl_protocol_get_int (object, "id", TRUE, &a->id, error) ||
      !fl_protocol_get_string (object, "state", TRUE, &state, error) ||
      !fl_protocol_get_int (object, "project_id", TRUE, &a->project_id, error) ||
      !fl_protocol_get_string (object, "kind", FALSE, &kind, error) ||
      !fl_protocol_get_string (object, "title", FALSE, &title, error) ||
      !fl_protocol_get_string (object, "instructions", FALSE, &instructions, error) ||
      !fl_protocol_get_object (object, "label_config", FALSE, &label_config, error) ||
      !fl_protocol_get_money (object, "reward", TRUE, &a->reward, error) ||
      !get_time (object, "accepted_at", FALSE, &a->accepted_at, error) ||
      !get_time (object, "deadline", TRUE, &a->deadline, error) ||
      !fl_protocol_get_int (object, "seconds_left", FALSE, &a->seconds_left, error) ||
      !fl_protocol_get_int (object, "lease_seconds", FALSE, &a->lease_seconds, error) ||
      !fl_protocol_get_int (object, "active_seconds", FALSE, &a->active_seconds, error))
    return NULL;
  if (!fl_assignment_state_from_string (state, &a->state))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Unknown assignment state “%s”", state);
      return NULL;
    }
  a->kind = g_strdup (kind);
  a->title = g_strdup (title);
  a->instructions = g_strdup (instructions);
  if (label_config != NULL)
    a->label_config = json_object_ref (label_config);
  task = json_object_get_member (object, "task");
  if (task != NULL && !JSON_NODE_HOLDS_NULL (task))
    {
      a->task = fl_task_from_json (task, error);
      if (a->task == NULL)
        return NULL;
    }
  return g_steal_pointer (&a);
}

void
fl_earnings_entry_free (FlEarningsEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->project_title);
  g_free (entry->reason);
  g_free (entry);
}

JsonNode *
fl_earnings_entry_to_json (const FlEarningsEntry *e)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (e != NULL, NULL);

  json_builder_begin_object (b);
  add_int (b, "id", e->id);
  add_int (b, "assignment_id", e->assignment_id);
  add_int (b, "project_id", e->project_id);
  add_string (b, "project_title", e->project_title);
  add_string (b, "kind", fl_ledger_kind_to_string (e->kind));
  add_string (b, "state", fl_ledger_state_to_string (e->state));
  add_money (b, "amount", &e->amount);
  add_int (b, "active_seconds", e->active_seconds);
  add_string (b, "reason", e->reason);
  add_time (b, "created_at", e->created_at);
  add_time (b, "updated_at", e->updated_at);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

FlEarningsEntry *
fl_earnings_entry_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlEarningsEntry) e = g_new0 (FlEarningsEntry, 1);
  JsonObject *object = expect_object (node, "A ledger entry", error);
  const char *title, *kind, *state, *reason;

  if (object == NULL || !fl_protocol_get_int (object, "id", TRUE, &e->id, error) ||
      !fl_protocol_get_int (object, "assignment_id", FALSE, &e->assignment_id, error) ||
      !fl_protocol_get_int (object, "project_id", FALSE, &e->project_id, error) ||
      !fl_protocol_get_string (object, "project_title", FALSE, &title, error) ||
      !fl_protocol_get_string (object, "kind", TRUE, &kind, error) ||
      !fl_protocol_get_string (object, "state", TRUE, &state, error) ||
      !fl_protocol_get_money (object, "amount", TRUE, &e->amount, error) ||
      !fl_protocol_get_int (object, "active_seconds", FALSE, &e->active_seconds, error) ||
      !fl_protocol_get_string (object, "reason", FALSE, &reason, error) ||
      !get_time (object, "created_at", TRUE, &e->created_at, error) ||
      !get_time (object, "updated_at", FALSE, &e->updated_at, error))
    return NULL;
  if (!fl_ledger_kind_from_string (kind, &e->kind) ||
      !fl_ledger_state_from_string (state, &e->state))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD,
                   "Unknown ledger kind or state “%s”/“%s”", kind, state);
      return NULL;
    }
  e->project_title = g_strdup (title);
  e->reason = g_strdup (reason);
  return g_steal_pointer (&e);
}

static void
add_minor (JsonBuilder *b, const char *name, gint64 amount, const char *currency)
{
  FlMoney money = { .amount_minor = amount };
  g_autofree char *text = NULL;

  memcpy (money.currency, currency, sizeof money.currency);
  text = fl_money_to_decimal (&money);
  add_string (b, name, text);
}

JsonNode *
fl_earnings_totals_to_json (const FlEarningsTotals *t)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  if (t->date[0] != '\0')
    add_string (b, "date", t->date);
  add_string (b, "currency", t->currency);
  add_minor (b, "pending", t->pending, t->currency);
  add_minor (b, "approved", t->approved, t->currency);
  add_minor (b, "rejected", t->rejected, t->currency);
  add_minor (b, "paid", t->paid, t->currency);
  add_int (b, "active_seconds", t->active_seconds);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

gboolean
fl_earnings_totals_from_json (JsonNode *node, FlEarningsTotals *out, GError **error)
{
  JsonObject *object = expect_object (node, "Earnings totals", error);
  const char *date, *currency;
  struct
  {
    const char *name;
    gint64 *field;
  } amounts[] = {
    { "pending", &out->pending },
    { "approved", &out->approved },
    { "rejected", &out->rejected },
    { "paid", &out->paid },
  };

  memset (out, 0, sizeof *out);
  if (object == NULL || !fl_protocol_get_string (object, "date", FALSE, &date, error) ||
      !fl_protocol_get_string (object, "currency", TRUE, &currency, error) ||
      !fl_protocol_get_int (object, "active_seconds", FALSE, &out->active_seconds, error))
    return FALSE;
  if (!fl_currency_is_known (currency))
    {
      g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_UNKNOWN_CURRENCY,
                   "Unknown currency code “%s”", currency);
      return FALSE;
    }
  g_strlcpy (out->currency, currency, sizeof out->currency);
  if (date != NULL)
    g_strlcpy (out->date, date, sizeof out->date);
  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      const char *text;
      FlMoney money;
      g_autoptr (GError) local = NULL;

      if (!fl_protocol_get_string (object, amounts[i].name, TRUE, &text, error))
        return FALSE;
      if (!fl_money_parse (text, currency, &money, &local))
        {
          g_set_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_AMOUNT, "%s: %s",
                       amounts[i].name, local->message);
          return FALSE;
        }
      *amounts[i].field = money.amount_minor;
    }
  return TRUE;
}

FlEarnings *
fl_earnings_new (void)
{
  FlEarnings *earnings = g_new0 (FlEarnings, 1);

  earnings->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_earnings_entry_free);
  earnings->totals = g_array_new (FALSE, TRUE, sizeof (FlEarningsTotals));
  earnings->days = g_array_new (FALSE, TRUE, sizeof (FlEarningsTotals));
  return earnings;
}

void
fl_earnings_free (FlEarnings *earnings)
{
  if (earnings == NULL)
    return;
  g_clear_pointer (&earnings->entries, g_ptr_array_unref);
  g_clear_pointer (&earnings->totals, g_array_unref);
  g_clear_pointer (&earnings->days, g_array_unref);
  g_free (earnings);
}

JsonNode *
fl_earnings_to_json (const FlEarnings *earnings)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (earnings != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "entries");
  json_builder_begin_array (b);
  for (guint i = 0; i < earnings->entries->len; i++)
    json_builder_add_value (b,
                            fl_earnings_entry_to_json (g_ptr_array_index (earnings->entries, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "totals");
  json_builder_begin_array (b);
  for (guint i = 0; i < earnings->totals->len; i++)
    json_builder_add_value (
      b, fl_earnings_totals_to_json (&g_array_index (earnings->totals, FlEarningsTotals, i)));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "days");
  json_builder_begin_array (b);
  for (guint i = 0; i < earnings->days->len; i++)
    json_builder_add_value (
      b, fl_earnings_totals_to_json (&g_array_index (earnings->days, FlEarningsTotals, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gboolean
totals_array_from_json (JsonObject *object, const char *member, GArray *out, GError **error)
{
  JsonArray *array = NULL;

  if (!fl_protocol_get_array (object, member, FALSE, &array, error))
    return FALSE;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      FlEarningsTotals t;

      if (!fl_earnings_totals_from_json (json_array_get_element (array, i), &t, error))
        return FALSE;
      g_array_append_val (out, t);
    }
  return TRUE;
}

FlEarnings *
fl_earnings_from_json (JsonNode *node, GError **error)
{
  g_autoptr (FlEarnings) earnings = fl_earnings_new ();
  JsonObject *object = expect_object (node, "The earnings", error);
  JsonArray *entries = NULL;

  if (object == NULL || !fl_protocol_get_array (object, "entries", TRUE, &entries, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      FlEarningsEntry *e = fl_earnings_entry_from_json (json_array_get_element (entries, i), error);

      if (e == NULL)
        return NULL;
      g_ptr_array_add (earnings->entries, e);
    }
  if (!totals_array_from_json (object, "totals", earnings->totals, error) ||
      !totals_array_from_json (object, "days", earnings->days, error))
    return NULL;
  return g_steal_pointer (&earnings);
}
