/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "TestProtocol"

#include "config.h"

#include <string.h>

#include "fl-protocol.h"

static JsonNode *
round_trip (JsonNode *node)
{
  g_autofree char *text = fl_protocol_to_string (node, NULL);
  g_autoptr (GError) error = NULL;
  JsonNode *parsed = fl_protocol_parse (text, -1, &error);

  g_assert_no_error (error);
  json_node_unref (node);
  return parsed;
}

static void
test_errors_map_to_codes_and_statuses (void)
{
  const struct
  {
    FlProtocolError error;
    const char *code;
    guint status;
  } cases[] = {
    { FL_PROTOCOL_ERROR_MALFORMED_JSON, "malformed_json", 400 },
    { FL_PROTOCOL_ERROR_UNAUTHORIZED, "unauthorized", 401 },
    { FL_PROTOCOL_ERROR_NOT_FOUND, "not_found", 404 },
    { FL_PROTOCOL_ERROR_ALREADY_SUBMITTED, "already_submitted", 409 },
    { FL_PROTOCOL_ERROR_LEASE_EXPIRED, "lease_expired", 410 },
    { FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE, "payload_too_large", 413 },
    { FL_PROTOCOL_ERROR_UNAVAILABLE, "unavailable", 503 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = round_trip (fl_protocol_error_to_json (cases[i].error, "why"));
      g_autoptr (GError) error = NULL;

      g_assert_cmpstr (fl_protocol_error_to_code (cases[i].error), ==, cases[i].code);
      g_assert_cmpuint (fl_protocol_error_http_status (cases[i].error), ==, cases[i].status);
      g_assert_cmpint (fl_protocol_error_from_code (cases[i].code), ==, cases[i].error);
      g_assert_true (fl_protocol_error_from_json (node, &error));
      g_assert_error (error, FL_PROTOCOL_ERROR, (int) cases[i].error);
      g_assert_cmpstr (error->message, ==, "why");
    }
  /* An unknown code is internal; a body that is not an error is not read as one. */
  g_assert_cmpint (fl_protocol_error_from_code ("teapot"), ==, FL_PROTOCOL_ERROR_INTERNAL);
  {
    g_autoptr (JsonNode) node = fl_protocol_parse ("{\"offers\":[]}", -1, NULL);

    g_assert_false (fl_protocol_error_from_json (node, NULL));
  }
}

static void
test_money_is_strict (void)
{
  const struct
  {
    const char *json;
    int code; /* -1: accepted */
    gint64 minor;
  } cases[] = {
    { "{\"amount\":\"0.12\",\"currency\":\"USD\"}", -1, 12 },
    { "{\"amount\":\"25\",\"currency\":\"JPY\"}", -1, 25 },
    { "{\"amount\":\"-0.12\",\"currency\":\"USD\"}", FL_PROTOCOL_ERROR_INVALID_AMOUNT, 0 },
    { "{\"amount\":\"0.123\",\"currency\":\"USD\"}", FL_PROTOCOL_ERROR_INVALID_AMOUNT, 0 },
    { "{\"amount\":\"1.5\",\"currency\":\"JPY\"}", FL_PROTOCOL_ERROR_INVALID_AMOUNT, 0 },
    { "{\"amount\":\"99999999999999999999\",\"currency\":\"USD\"}",
      FL_PROTOCOL_ERROR_INVALID_AMOUNT, 0 },
    { "{\"amount\":\"1\",\"currency\":\"ABC\"}", FL_PROTOCOL_ERROR_UNKNOWN_CURRENCY, 0 },
    { "{\"amount\":0.12,\"currency\":\"USD\"}", FL_PROTOCOL_ERROR_INVALID_FIELD, 0 },
    { "{\"amount\":\"1\"}", FL_PROTOCOL_ERROR_INVALID_FIELD, 0 },
    { "{\"amount\":\"1\",\"currency\":\"USD\",\"rate\":2}", FL_PROTOCOL_ERROR_INVALID_FIELD, 0 },
    { "\"0.12\"", FL_PROTOCOL_ERROR_INVALID_FIELD, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = fl_protocol_parse (cases[i].json, -1, NULL);
      g_autoptr (GError) error = NULL;
      FlMoney money = { 0 };
      gboolean ok = fl_protocol_money_from_json (node, &money, &error);

      g_test_message ("%s", cases[i].json);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (money.amount_minor, ==, cases[i].minor);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, FL_PROTOCOL_ERROR, cases[i].code);
        }
    }
}

static void
test_parse_refuses_bad_documents (void)
{
  const char *bad[] = { "", "{", "{\"a\":}", "\xff\xfe{}", "[1,]" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = fl_protocol_parse (bad[i], -1, &error);

      g_assert_null (node);
      g_assert_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_MALFORMED_JSON);
    }
}

static void
test_strict_members_and_types (void)
{
  static const char *const allowed[] = { "result", "active_seconds", NULL };
  g_autoptr (JsonNode) node =
    fl_protocol_parse ("{\"result\":{},\"active_seconds\":\"3\",\"extra\":1}", -1, NULL);
  JsonObject *object = json_node_get_object (node);
  g_autoptr (GError) error = NULL;
  gint64 seconds = 0;
  JsonObject *result = NULL;
  const char *text = NULL;

  g_assert_false (fl_protocol_check_members (object, allowed, &error));
  g_assert_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD);
  g_assert_nonnull (strstr (error->message, "extra"));
  g_clear_error (&error);
  g_assert_false (fl_protocol_get_int (object, "active_seconds", TRUE, &seconds, &error));
  g_assert_error (error, FL_PROTOCOL_ERROR, FL_PROTOCOL_ERROR_INVALID_FIELD);
  g_clear_error (&error);
  g_assert_true (fl_protocol_get_object (object, "result", TRUE, &result, &error));
  g_assert_nonnull (result);
  g_assert_false (fl_protocol_get_string (object, "missing", TRUE, &text, &error));
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);
  g_assert_true (fl_protocol_get_string (object, "missing", FALSE, &text, &error));
  g_assert_null (text);
}

static void
test_enums_round_trip (void)
{
  for (int i = FL_ASSIGNMENT_STATE_ACTIVE; i <= FL_ASSIGNMENT_STATE_EXPIRED; i++)
    {
      FlAssignmentState state;

      g_assert_true (fl_assignment_state_from_string (fl_assignment_state_to_string (i), &state));
      g_assert_cmpint (state, ==, i);
    }
  for (int i = FL_ESTIMATE_SOURCE_WORKER_MEDIAN; i <= FL_ESTIMATE_SOURCE_REQUESTER; i++)
    {
      FlEstimateSource source;

      g_assert_true (fl_estimate_source_from_string (fl_estimate_source_to_string (i), &source));
      g_assert_cmpint (source, ==, i);
    }
  g_assert_cmpstr (fl_estimate_source_to_string (FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN), ==,
                   "all-workers-median");
  for (int i = FL_LEDGER_STATE_PENDING; i <= FL_LEDGER_STATE_PAID; i++)
    {
      FlLedgerState state;

      g_assert_true (fl_ledger_state_from_string (fl_ledger_state_to_string (i), &state));
      g_assert_cmpint (state, ==, i);
    }
  {
    FlAssignmentState state;

    g_assert_false (fl_assignment_state_from_string ("lost", &state));
    g_assert_false (fl_assignment_state_from_string (NULL, &state));
  }
}

static void
test_assignment_and_offer_round_trip (void)
{
  g_autoptr (FlAssignment) a = g_new0 (FlAssignment, 1);
  g_autoptr (FlAssignment) back = NULL;
  g_autoptr (FlOffer) offer = g_new0 (FlOffer, 1);
  g_autoptr (FlOffer) offer_back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  FlAsset *asset = fl_asset_new ();

  a->id = 17;
  a->state = FL_ASSIGNMENT_STATE_ACTIVE;
  a->project_id = 1;
  a->kind = g_strdup ("audio");
  a->title = g_strdup ("Calls");
  a->label_config = json_object_new ();
  fl_money_parse ("1.50", "EUR", &a->reward, NULL);
  a->task = fl_task_new ();
  a->task->id = 5;
  a->task->pre_annotation = fl_protocol_parse ("{\"kind\":\"audio\",\"segments\":[]}", -1, NULL);
  asset->sha256 = g_strdup ("ab");
  asset->name = g_strdup ("call.ogg");
  asset->duration = 12.5;
  g_ptr_array_add (a->task->assets, asset);
  a->accepted_at = 1764378000;
  a->deadline = 1764378900;
  a->seconds_left = 900;
  a->lease_seconds = 900;

  node = round_trip (fl_assignment_to_json (a));
  back = fl_assignment_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->id, ==, 17);
  g_assert_cmpstr (back->kind, ==, "audio");
  g_assert_cmpint (back->reward.amount_minor, ==, 150);
  g_assert_cmpstr (back->reward.currency, ==, "EUR");
  g_assert_cmpint (back->deadline, ==, a->deadline);
  g_assert_cmpint (back->accepted_at, ==, a->accepted_at);
  g_assert_cmpint (back->task->id, ==, 5);
  g_assert_cmpfloat (((FlAsset *) back->task->assets->pdata[0])->duration, ==, 12.5);
  g_assert_nonnull (back->task->pre_annotation);

  offer->project_id = 3;
  offer->kind = g_strdup ("image");
  offer->title = g_strdup ("Streets");
  fl_money_parse ("0.12", "USD", &offer->reward, NULL);
  offer->estimate = (FlEstimate){ FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN, 40, 5 };
  offer->estimated_hourly_rate = offer->reward;
  offer->estimated_hourly_rate.amount_minor = fl_rate_per_hour (12, 40);
  offer->lease_seconds = 900;
  offer->tasks_left = 9;
  offer->approval_rate = -1;
  g_clear_pointer (&node, json_node_unref);
  node = round_trip (fl_offer_to_json (offer));
  offer_back = fl_offer_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (offer_back->estimate.source, ==, FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN);
  g_assert_cmpuint (offer_back->estimate.samples, ==, 5);
  g_assert_cmpint (offer_back->estimated_hourly_rate.amount_minor, ==, 1080);
  g_assert_true (offer_back->approval_rate < 0);
  g_assert_cmpint (offer_back->tasks_left, ==, 9);
}

static void
test_earnings_round_trip (void)
{
  g_autoptr (FlEarnings) earnings = fl_earnings_new ();
  g_autoptr (FlEarnings) back = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GError) error = NULL;
  FlEarningsEntry *entry = g_new0 (FlEarningsEntry, 1);
  FlEarningsTotals totals = { .currency = "JPY", .pending = 25, .paid = 100 };

  entry->id = 1;
  entry->kind = FL_LEDGER_KIND_BONUS;
  entry->state = FL_LEDGER_STATE_REJECTED;
  entry->reason = g_strdup ("Boxes miss the cars");
  fl_money_parse ("25", "JPY", &entry->amount, NULL);
  entry->created_at = 1764378000;
  g_ptr_array_add (earnings->entries, entry);
  g_array_append_val (earnings->totals, totals);
  g_strlcpy (totals.date, "2026-11-29", sizeof totals.date);
  g_array_append_val (earnings->days, totals);

  node = round_trip (fl_earnings_to_json (earnings));
  back = fl_earnings_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->entries->len, ==, 1);
  entry = g_ptr_array_index (back->entries, 0);
  g_assert_cmpint (entry->kind, ==, FL_LEDGER_KIND_BONUS);
  g_assert_cmpint (entry->state, ==, FL_LEDGER_STATE_REJECTED);
  g_assert_cmpstr (entry->reason, ==, "Boxes miss the cars");
  g_assert_cmpint (g_array_index (back->totals, FlEarningsTotals, 0).paid, ==, 100);
  g_assert_cmpstr (g_array_index (back->days, FlEarningsTotals, 0).date, ==, "2026-11-29");
  g_assert_cmpint (g_array_index (back->days, FlEarningsTotals, 0).pending, ==, 25);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/protocol/errors-map-to-codes-and-statuses",
                   test_errors_map_to_codes_and_statuses);
  g_test_add_func ("/server/protocol/money-is-strict", test_money_is_strict);
  g_test_add_func ("/server/protocol/parse-refuses-bad-documents",
                   test_parse_refuses_bad_documents);
  g_test_add_func ("/server/protocol/strict-members-and-types", test_strict_members_and_types);
  g_test_add_func ("/server/protocol/enums-round-trip", test_enums_round_trip);
  g_test_add_func ("/server/protocol/assignment-and-offer-round-trip",
                   test_assignment_and_offer_round_trip);
  g_test_add_func ("/server/protocol/earnings-round-trip", test_earnings_round_trip);

  return g_test_run ();
}
