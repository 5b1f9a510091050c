/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "fl-money.h"

G_BEGIN_DECLS

#define FL_PROTOCOL_API_PREFIX "/api/v1"
#define FL_PROTOCOL_MAX_BODY_BYTES (8 * 1024 * 1024)

/* Error codes of the server's JSON errors: {"error":{"code":"...","message":"..."}}. */
#define FL_PROTOCOL_ERROR (fl_protocol_error_quark ())

typedef enum
{
  FL_PROTOCOL_ERROR_INTERNAL,       /* internal, 500 */
  FL_PROTOCOL_ERROR_MALFORMED_JSON, /* malformed_json, 400 */
  FL_PROTOCOL_ERROR_INVALID_FIELD, /* invalid_field, 400: wrong type, missing, unknown, bad value */
  FL_PROTOCOL_ERROR_INVALID_AMOUNT,   /* invalid_amount, 400: negative, malformed or overflowing */
  FL_PROTOCOL_ERROR_UNKNOWN_CURRENCY, /* unknown_currency, 400 */
  FL_PROTOCOL_ERROR_INVALID_PATH,     /* invalid_path, 400: ../ or absolute asset paths */
  FL_PROTOCOL_ERROR_UNAUTHORIZED,     /* unauthorized, 401: missing, unknown or revoked token */
  FL_PROTOCOL_ERROR_FORBIDDEN,        /* forbidden, 403: the role may not make this call */
  FL_PROTOCOL_ERROR_NOT_FOUND,        /* not_found, 404 (also another worker's assignment) */
  FL_PROTOCOL_ERROR_METHOD_NOT_ALLOWED,    /* method_not_allowed, 405 */
  FL_PROTOCOL_ERROR_NO_TASKS,              /* no_tasks, 409: nothing left to accept */
  FL_PROTOCOL_ERROR_ALREADY_SUBMITTED,     /* already_submitted, 409: a second submit */
  FL_PROTOCOL_ERROR_INVALID_STATE,         /* invalid_state, 409: not allowed in this state */
  FL_PROTOCOL_ERROR_LEASE_EXPIRED,         /* lease_expired, 410 */
  FL_PROTOCOL_ERROR_PAYLOAD_TOO_LARGE,     /* payload_too_large, 413 */
  FL_PROTOCOL_ERROR_RANGE_NOT_SATISFIABLE, /* range_not_satisfiable, 416 */
  FL_PROTOCOL_ERROR_UNAVAILABLE,           /* unavailable, 503 */
} FlProtocolError;

GQuark fl_protocol_error_quark (void);

const char *fl_protocol_error_to_code (FlProtocolError error);
FlProtocolError fl_protocol_error_from_code (const char *code);
guint fl_protocol_error_http_status (FlProtocolError error);
JsonNode *fl_protocol_error_to_json (FlProtocolError error, const char *message);
/* Turns an error body into a GError in FL_PROTOCOL_ERROR; FALSE if @node is not one. */
gboolean fl_protocol_error_from_json (JsonNode *node, GError **error);

typedef enum
{
  FL_ASSIGNMENT_STATE_ACTIVE,
  FL_ASSIGNMENT_STATE_SUBMITTED,
  FL_ASSIGNMENT_STATE_APPROVED,
  FL_ASSIGNMENT_STATE_REJECTED,
  FL_ASSIGNMENT_STATE_RETURNED,
  FL_ASSIGNMENT_STATE_EXPIRED,
} FlAssignmentState;

const char *fl_assignment_state_to_string (FlAssignmentState state);
gboolean fl_assignment_state_from_string (const char *text, FlAssignmentState *out);

typedef enum
{
  FL_ESTIMATE_SOURCE_WORKER_MEDIAN,
  FL_ESTIMATE_SOURCE_ALL_WORKERS_MEDIAN,
  FL_ESTIMATE_SOURCE_REQUESTER,
} FlEstimateSource;

/* Sample counts the medians need before they are used. */
#define FL_ESTIMATE_WORKER_MIN_SAMPLES 3
#define FL_ESTIMATE_ALL_WORKERS_MIN_SAMPLES 5

const char *fl_estimate_source_to_string (FlEstimateSource source);
gboolean fl_estimate_source_from_string (const char *text, FlEstimateSource *out);

typedef enum
{
  FL_LEDGER_STATE_PENDING,
  FL_LEDGER_STATE_APPROVED,
  FL_LEDGER_STATE_REJECTED,
  FL_LEDGER_STATE_PAID,
} FlLedgerState;

const char *fl_ledger_state_to_string (FlLedgerState state);
gboolean fl_ledger_state_from_string (const char *text, FlLedgerState *out);

typedef enum
{
  FL_LEDGER_KIND_REWARD,
  FL_LEDGER_KIND_BONUS,
} FlLedgerKind;

const char *fl_ledger_kind_to_string (FlLedgerKind kind);
gboolean fl_ledger_kind_from_string (const char *text, FlLedgerKind *out);

/* Strict readers for request and response objects. Each fails with
 * FL_PROTOCOL_ERROR_INVALID_FIELD naming the member. */
gboolean fl_protocol_check_members (JsonObject *object, const char *const *allowed, GError **error);
gboolean fl_protocol_get_string (JsonObject *object, const char *member, gboolean required,
                                 const char **out, GError **error);
gboolean fl_protocol_get_int (JsonObject *object, const char *member, gboolean required,
                              gint64 *out, GError **error);
gboolean fl_protocol_get_double (JsonObject *object, const char *member, gboolean required,
                                 double *out, GError **error);
gboolean fl_protocol_get_bool (JsonObject *object, const char *member, gboolean required,
                               gboolean *out, GError **error);
gboolean fl_protocol_get_object (JsonObject *object, const char *member, gboolean required,
                                 JsonObject **out, GError **error);
gboolean fl_protocol_get_array (JsonObject *object, const char *member, gboolean required,
                                JsonArray **out, GError **error);
/* Money as {"amount":"0.12","currency":"USD"}. */
gboolean fl_protocol_get_money (JsonObject *object, const char *member, gboolean required,
                                FlMoney *out, GError **error);
JsonNode *fl_protocol_money_to_json (const FlMoney *money);
gboolean fl_protocol_money_from_json (JsonNode *node, FlMoney *out, GError **error);

/* Parses a whole document; FL_PROTOCOL_ERROR_MALFORMED_JSON on failure. */
JsonNode *fl_protocol_parse (const char *data, gssize length, GError **error);
char *fl_protocol_to_string (JsonNode *node, gsize *length);

/* Unix seconds <-> "2026-01-31T12:00:00Z". */
char *fl_protocol_time_to_string (gint64 unix_seconds);
gboolean fl_protocol_time_from_string (const char *text, gint64 *out);

typedef struct
{
  char *name;
  char *version;
  char *api_version;
  char *currency;
  FlMoney minimum_hourly_wage; /* amount_minor 0: no minimum */
} FlServerInfo;

void fl_server_info_free (FlServerInfo *info);
JsonNode *fl_server_info_to_json (const FlServerInfo *info);
FlServerInfo *fl_server_info_from_json (JsonNode *node, GError **error);

typedef struct
{
  FlEstimateSource source;
  gint64 seconds;
  guint samples; /* 0 for the requester's estimate */
} FlEstimate;

JsonNode *fl_estimate_to_json (const FlEstimate *estimate);
gboolean fl_estimate_from_json (JsonNode *node, FlEstimate *out, GError **error);

typedef struct
{
  gint64 project_id;
  char *kind; /* "image" or "audio" */
  char *title;
  char *instructions;
  FlMoney reward;
  FlEstimate estimate;
  FlMoney estimated_hourly_rate; /* reward * 3600 / estimate, rounded down */
  gint64 requester_estimate_seconds;
  gint64 lease_seconds;
  gint64 auto_approve_seconds;
  gint64 tasks_left;
  guint reviewed;       /* approved + rejected submissions of the project */
  double approval_rate; /* approved / reviewed; negative when nothing was reviewed */
} FlOffer;

void fl_offer_free (FlOffer *offer);
JsonNode *fl_offer_to_json (const FlOffer *offer);
FlOffer *fl_offer_from_json (JsonNode *node, GError **error);
/* {"offers":[...]} -> array of FlOffer. */
GPtrArray *fl_offers_from_json (JsonNode *node, GError **error);

typedef struct
{
  char *sha256;
  char *name;
  char *media_type;
  gint64 size;
  int width; /* 0 when unknown or not an image */
  int height;
  double duration; /* seconds; 0 when unknown or not audio */
  char *url;       /* path under the server, "/api/v1/assets/SHA256" */
} FlAsset;

FlAsset *fl_asset_new (void);
void fl_asset_free (FlAsset *asset);
JsonNode *fl_asset_to_json (const FlAsset *asset);
FlAsset *fl_asset_from_json (JsonNode *node, GError **error);

typedef struct
{
  gint64 id;
  gint64 project_id;
  GPtrArray *assets;        /* FlAsset */
  JsonNode *pre_annotation; /* nullable; result JSON */
  JsonObject *data;         /* nullable */
} FlTask;

FlTask *fl_task_new (void);
void fl_task_free (FlTask *task);
JsonNode *fl_task_to_json (const FlTask *task);
FlTask *fl_task_from_json (JsonNode *node, GError **error);

typedef struct
{
  gint64 id;
  FlAssignmentState state;
  gint64 project_id;
  char *kind;
  char *title;
  char *instructions;
  JsonObject *label_config;
  FlMoney reward;
  FlTask *task;
  gint64 accepted_at;  /* unix seconds */
  gint64 deadline;     /* unix seconds */
  gint64 seconds_left; /* at the time of the answer; immune to clock skew */
  gint64 lease_seconds;
  gint64 active_seconds;
} FlAssignment;

void fl_assignment_free (FlAssignment *assignment);
JsonNode *fl_assignment_to_json (const FlAssignment *assignment);
FlAssignment *fl_assignment_from_json (JsonNode *node, GError **error);

typedef struct
{
  gint64 id;
  gint64 assignment_id;
  gint64 project_id;
  char *project_title;
  FlLedgerKind kind;
  FlLedgerState state;
  FlMoney amount;
  gint64 active_seconds;
  char *reason;      /* nullable; why it was rejected */
  gint64 created_at; /* unix seconds */
  gint64 updated_at;
} FlEarningsEntry;

void fl_earnings_entry_free (FlEarningsEntry *entry);
JsonNode *fl_earnings_entry_to_json (const FlEarningsEntry *entry);
FlEarningsEntry *fl_earnings_entry_from_json (JsonNode *node, GError **error);

/* Sums per ledger state, in one currency; per day when @date is set ("YYYY-MM-DD", UTC). */
typedef struct
{
  char date[11];
  char currency[4];
  gint64 pending;
  gint64 approved;
  gint64 rejected;
  gint64 paid;
  gint64 active_seconds;
} FlEarningsTotals;

JsonNode *fl_earnings_totals_to_json (const FlEarningsTotals *totals);
gboolean fl_earnings_totals_from_json (JsonNode *node, FlEarningsTotals *out, GError **error);

typedef struct
{
  GPtrArray *entries; /* FlEarningsEntry */
  GArray *totals;     /* FlEarningsTotals, one per currency */
  GArray *days;       /* FlEarningsTotals, one per day and currency */
} FlEarnings;

FlEarnings *fl_earnings_new (void);
void fl_earnings_free (FlEarnings *earnings);
JsonNode *fl_earnings_to_json (const FlEarnings *earnings);
FlEarnings *fl_earnings_from_json (JsonNode *node, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlServerInfo, fl_server_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOffer, fl_offer_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlAsset, fl_asset_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlTask, fl_task_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlAssignment, fl_assignment_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlEarningsEntry, fl_earnings_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlEarnings, fl_earnings_free)

G_END_DECLS
