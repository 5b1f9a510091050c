/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "FlBenchServerLoad"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include "fl-protocol.h"
#include "fl-test-support.h"

/* N simulated workers (accept, heartbeat, submit) against a real
 * fairlabel-server for a bounded time, and the raw fsync'd SQLite commit rate
 * on the same disk as the reference. */

#define N_WORKERS 100
#define TARGET_CYCLES 2000
#define SATURATION_SECONDS 10
#define PACED_SECONDS 15
#define WARMUP_SECONDS 2
#define N_TASKS 150000
#define RESULT "{\"kind\":\"image\",\"image\":{\"width\":4,\"height\":3},\"shapes\":[],\"tags\":[]}"

typedef struct _Bench Bench;

typedef struct _Worker
{
  Bench *bench;
  char *token;
  char *auth;
  gint64 assignment_id;
  gint64 task_id;
  char *key;
  gint64 started;
  gint64 next_start;
  gboolean stopped;
  GSocketConnection *conn; /* kept alive, as real workers keep theirs */
  GSource *source;
  GString *in;
  void (*on_answer) (struct _Worker *w, guint status, GBytes *body, const char *error);
} Worker;

struct _Bench
{
  const char *binary;
  char *root;
  char *data_dir;
  GSubprocess *server;
  GOutputStream *server_output;
  char *url;
  char *host; /* "127.0.0.1:PORT" */
  guint16 port;
  GMainLoop *loop;
  Worker workers[N_WORKERS];
  guint n_stopped;
  gint64 measure_from;
  gint64 measure_until;
  gint64 period; /* microseconds between a worker's cycles; 0: as fast as answers come */
  gboolean stopping;
  GHashTable *held;
  GHashTable *done;         /* task id -> TRUE */
  GHashTable *acknowledged; /* assignment id */
  GArray *latencies;        /* gint64 microseconds, accept and submit in the window */
  guint64 cycles;
  guint64 requests;
  guint double_assignments;
  guint errors;
  char *first_error;
  double server_cpu_start, client_cpu_start, server_cpu, client_cpu;
};

static void worker_accept (Worker *w);

static char *
run_cli (Bench *b, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) b->binary);
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, b->data_dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    g_error ("%s %s failed: %s", args[0], args[1], error ? error->message : err);
  return out;
}

/* The same disk, the same settings as the server: one row per fsync'd commit. */
static double
raw_commit_rate (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "raw.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;
  gint64 start, elapsed;
  guint n = 0;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  sqlite3_exec (db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO t (v) VALUES ('submission')", -1, &insert, NULL);
  start = g_get_monotonic_time ();
  do
    {
      sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
      sqlite3_step (insert);
      sqlite3_reset (insert);
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      n++;
      elapsed = g_get_monotonic_time () - start;
    }
  while (elapsed < 3 * G_USEC_PER_SEC);
  sqlite3_finalize (insert);
  sqlite3_close (db);
  return n / (elapsed / (double) G_USEC_PER_SEC);
}

static void
setup (Bench *b)
{
  g_autofree char *image = g_build_filename (b->root, "street.png", NULL);
  g_autofree char *list = g_build_filename (b->root, "tasks.json", NULL);
  g_autofree char *project = g_build_filename (b->root, "project.json", NULL);
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 4, 3);
  g_autoptr (GString) json = g_string_new ("[");
  g_autoptr (GError) error = NULL;

  gdk_pixbuf_fill (pixbuf, 0x808080ff);
  if (!gdk_pixbuf_save (pixbuf, image, "png", &error, NULL))
    g_error ("%s", error->message);
  for (guint i = 0; i < N_TASKS; i++)
    g_string_append_printf (json, "%s{\"assets\":[\"street.png\"],\"data\":{\"n\":%u}}",
                            i ? "," : "", i);
  g_string_append (json, "]");
  g_file_set_contents (list, json->str, (gssize) json->len, NULL);
  g_file_set_contents (project,
                       "{\"kind\":\"image\",\"title\":\"Load\",\"reward\":\"0.05\",\"currency\":"
                       "\"USD\",\"estimate_seconds\":20,\"lease_seconds\":600}",
                       -1, NULL);
  g_free (run_cli (b, (const char *const[]){ "project", "create", "--from", project, NULL }));
  g_free (run_cli (b, (const char *const[]){ "task", "add", "1", list, NULL }));
  for (guint i = 0; i < N_WORKERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%03u", i);
      g_autofree char *out =
        run_cli (b, (const char *const[]){ "user", "add", name, "--role", "worker", NULL });

      b->workers[i].bench = b;
      b->workers[i].token = g_strdup (g_strstrip (out));
      b->workers[i].auth = g_strconcat ("Bearer ", b->workers[i].token, NULL);
    }
}

static void
start_server (Bench *b)
{
  g_autoptr (GSubprocessLauncher) launcher = fl_test_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *line = NULL;

  b->server_output = g_unix_output_stream_new (2, FALSE);
  b->server = g_subprocess_launcher_spawn (launcher, &error, b->binary, "--listen", "127.0.0.1:0",
                                           "--data", b->data_dir, NULL);
  if (b->server == NULL)
    g_error ("%s", error->message);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (b->server));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening: "))
    g_error ("The server did not start");
  b->url = g_strdup (line + strlen ("listening: "));
  /* Pass on what else the server prints, so its pipe never fills. */
  g_output_stream_splice_async (b->server_output, G_INPUT_STREAM (lines),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE, G_PRIORITY_DEFAULT, NULL, NULL,
                                NULL);
}

/* A plain HTTP/1.1 client on one kept-alive connection per worker: the load
 * generator shares the two cores with the server, and libsoup's client costs
 * about as much CPU per request as the server itself. The requests are the
 * ones the app sends (same paths, headers and bodies). */
typedef void (*AnswerFunc) (Worker *w, guint status, GBytes *body, const char *error);

static void
answer (Worker *w, guint status, GBytes *body, const char *error)
{
  AnswerFunc func = w->on_answer;

  w->on_answer = NULL;
  if (func != NULL)
    func (w, status, body, error);
}

/* Returns the length of the first complete response in @in, 0 if there is none yet. */
static gsize
complete_response (GString *in, guint *status, gsize *body_offset)
{
  const char *end = strstr (in->str, "\r\n\r\n");
  const char *line;
  gsize length = 0;

  if (end == NULL)
    return 0;
  if (sscanf (in->str, "HTTP/1.%*d %u", status) != 1)
    *status = 0;
  for (line = strstr (in->str, "\r\n"); line != NULL && line < end;
       line = strstr (line + 2, "\r\n"))
    if (g_ascii_strncasecmp (line + 2, "Content-Length:", 15) == 0)
      length = (gsize) g_ascii_strtoull (line + 2 + 15, NULL, 10);
  *body_offset = (gsize) (end + 4 - in->str);
  return in->len >= *body_offset + length ? *body_offset + length : 0;
}

static gboolean
readable (GSocket *socket, GIOCondition condition, gpointer data)
{
  Worker *w = data;
  g_autoptr (GError) error = NULL;
  char buffer[16384];
  gssize got = g_socket_receive_with_blocking (socket, buffer, sizeof buffer, FALSE, NULL, &error);
  gsize total, body_offset;
  guint status;

  if (got < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return G_SOURCE_CONTINUE;
  if (got <= 0)
    {
      w->source = NULL;
      answer (w, 0, NULL, error ? error->message : "the server closed the connection");
      return G_SOURCE_REMOVE;
    }
  g_string_append_len (w->in, buffer, got);
  while ((total = complete_response (w->in, &status, &body_offset)) > 0)
    {
      g_autoptr (GBytes) body = g_bytes_new (w->in->str + body_offset, total - body_offset);

      g_string_erase (w->in, 0, (gssize) total);
      answer (w, status, body, NULL);
    }
  return G_SOURCE_CONTINUE;
}

static void
post (Worker *w, const char *path, const char *body, const char *key, AnswerFunc on_answer)
{
  Bench *b = w->bench;
  g_autoptr (GString) request = g_string_new (NULL);
  g_autoptr (GError) error = NULL;
  GSocket *socket;
  gsize sent = 0;

  if (w->conn == NULL)
    {
      g_autoptr (GSocketClient) client = g_socket_client_new ();

      g_socket_client_set_enable_proxy (client, FALSE);

      w->conn = g_socket_client_connect_to_host (client, b->host, b->port, NULL, &error);
      if (w->conn == NULL)
        {
          w->on_answer = on_answer;
          answer (w, 0, NULL, error->message);
          return;
        }
      g_socket_set_option (g_socket_connection_get_socket (w->conn), IPPROTO_TCP, TCP_NODELAY, 1,
                           NULL);
      w->in = g_string_new (NULL);
      w->source = g_socket_create_source (g_socket_connection_get_socket (w->conn), G_IO_IN, NULL);
      g_source_set_callback (w->source, G_SOURCE_FUNC (readable), w, NULL);
      g_source_attach (w->source, NULL);
      g_source_unref (w->source);
    }
  socket = g_socket_connection_get_socket (w->conn);
  g_string_append_printf (request,
                          "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: %s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %" G_GSIZE_FORMAT
                          "\r\n",
                          path, b->host, w->auth, body ? strlen (body) : 0);
  if (key != NULL)
    g_string_append_printf (request, "Idempotency-Key: %s\r\n", key);
  g_string_append (request, "\r\n");
  if (body != NULL)
    g_string_append (request, body);
  w->on_answer = on_answer;
  while (sent < request->len)
    {
      gssize n = g_socket_send_with_blocking (socket, request->str + sent, request->len - sent,
                                              TRUE, NULL, &error);

      if (n < 0)
        {
          answer (w, 0, NULL, error->message);
          return;
        }
      sent += (gsize) n;
    }
}

static void
record (Bench *b, gint64 started)
{
  gint64 now = g_get_monotonic_time ();

  if (started >= b->measure_from && now <= b->measure_until)
    {
      gint64 latency = now - started;

      g_array_append_val (b->latencies, latency);
      b->requests++;
    }
}

static void
stop_worker (Worker *w)
{
  if (w->stopped)
    return;
  w->stopped = TRUE;
  if (++w->bench->n_stopped == N_WORKERS)
    g_main_loop_quit (w->bench->loop);
}

static gboolean
failed (Worker *w, guint status, GBytes *bytes, const char *error, const char *what)
{
  Bench *b = w->bench;

  if (bytes != NULL && status == 200)
    return FALSE;
  b->errors++;
  if (b->first_error == NULL)
    b->first_error = g_strdup_printf ("%s: %s %.*s", what,
                                      error    ? error
                                      : status ? "HTTP error"
                                               : "no answer",
                                      bytes ? (int) MIN (200, g_bytes_get_size (bytes)) : 0,
                                      bytes ? (const char *) g_bytes_get_data (bytes, NULL) : "");
  stop_worker (w);
  return TRUE;
}

static gboolean
start_cycle (gpointer data)
{
  worker_accept (data);
  return G_SOURCE_REMOVE;
}

static void
submitted (Worker *w, guint status, GBytes *bytes, const char *error)
{
  Bench *b = w->bench;

  if (failed (w, status, bytes, error, "submit"))
    return;
  record (b, w->started);
  g_hash_table_remove (b->held, &w->task_id);
  if (g_hash_table_contains (b->done, &w->task_id))
    b->double_assignments++;
  g_hash_table_add (b->done, g_memdup2 (&w->task_id, sizeof (gint64)));
  g_hash_table_add (b->acknowledged, g_memdup2 (&w->assignment_id, sizeof (gint64)));
  if (g_get_monotonic_time () >= b->measure_from && g_get_monotonic_time () <= b->measure_until)
    b->cycles++;
  if (b->stopping)
    stop_worker (w);
  else if (b->period > 0)
    {
      gint64 wait;

      w->next_start = MAX (w->next_start + b->period, g_get_monotonic_time ());
      wait = w->next_start - g_get_monotonic_time ();
      if (wait >= 1000)
        g_timeout_add ((guint) (wait / 1000), start_cycle, w);
      else
        worker_accept (w);
    }
  else
    worker_accept (w);
}

static void
beaten (Worker *w, guint status, GBytes *bytes, const char *error)
{
  g_autofree char *path = NULL;

  if (failed (w, status, bytes, error, "heartbeat"))
    return;
  record (w->bench, w->started);
  g_free (w->key);
  w->key = g_uuid_string_random ();
  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/submit", w->assignment_id);
  w->started = g_get_monotonic_time ();
  post (w, path, "{\"result\":" RESULT ",\"active_seconds\":12}", w->key, submitted);
}

static void
accepted (Worker *w, guint status, GBytes *bytes, const char *error)
{
  Bench *b = w->bench;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (FlAssignment) a = NULL;
  g_autofree char *path = NULL;

  if (failed (w, status, bytes, error, "accept"))
    return;
  record (b, w->started);
  node =
    fl_protocol_parse (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes), NULL);
  a = node ? fl_assignment_from_json (node, NULL) : NULL;
  if (a == NULL || a->task == NULL)
    {
      failed (w, 0, NULL, "not an assignment", "accept answer");
      return;
    }
  w->assignment_id = a->id;
  w->task_id = a->task->id;
  if (g_hash_table_contains (b->held, &w->task_id) || g_hash_table_contains (b->done, &w->task_id))
    b->double_assignments++;
  g_hash_table_add (b->held, g_memdup2 (&w->task_id, sizeof (gint64)));

  path = g_strdup_printf ("/api/v1/assignments/%" G_GINT64_FORMAT "/heartbeat", a->id);
  w->started = g_get_monotonic_time ();
  post (w, path, "{\"active_seconds\":6}", NULL, beaten);
}

static void
worker_accept (Worker *w)
{
  w->started = g_get_monotonic_time ();
  post (w, "/api/v1/projects/1/accept", NULL, NULL, accepted);
}

/* CPU seconds used so far by the server process (user + system). */
static double
process_cpu_seconds (GSubprocess *process)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (process));
  g_autofree char *contents = NULL;
  g_auto (GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  after = strrchr (contents, ')');
  if (after == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         (double) sysconf (_SC_CLK_TCK);
}

static double
own_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static gboolean
measure_start (gpointer data)
{
  Bench *b = data;

  b->server_cpu_start = process_cpu_seconds (b->server);
  b->client_cpu_start = own_cpu_seconds ();
  return G_SOURCE_REMOVE;
}

static gboolean
measure_end (gpointer data)
{
  Bench *b = data;

  b->server_cpu = process_cpu_seconds (b->server) - b->server_cpu_start;
  b->client_cpu = own_cpu_seconds () - b->client_cpu_start;
  b->stopping = TRUE;
  return G_SOURCE_REMOVE;
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* After the server stopped: every acknowledged submission must be in its database. */
static guint
count_lost (Bench *b, guint *stored)
{
  g_autofree char *path = g_build_filename (b->data_dir, "fairlabel.db", NULL);
  g_autoptr (GHashTable) present =
    g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *s = NULL;
  GHashTableIter iter;
  gpointer key;
  guint lost = 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("Cannot open %s", path);
  sqlite3_prepare_v2 (db, "SELECT id FROM assignments WHERE state = 'submitted'", -1, &s, NULL);
  while (sqlite3_step (s) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (s, 0);

      g_hash_table_add (present, g_memdup2 (&id, sizeof id));
    }
  sqlite3_finalize (s);
  sqlite3_close (db);
  *stored = g_hash_table_size (present);
  g_hash_table_iter_init (&iter, b->acknowledged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (present, key))
      lost++;
  return lost;
}

typedef struct
{
  double cycles;               /* per second */
  double requests;             /* per second */
  gint64 p50, p99;             /* microseconds */
  double server_ms, client_ms; /* CPU per cycle */
} Phase;

static void
run_phase (Bench *b, gint64 period, guint seconds, Phase *out)
{
  gint64 now = g_get_monotonic_time ();

  b->n_stopped = 0;
  b->stopping = FALSE;
  b->cycles = b->requests = 0;
  g_array_set_size (b->latencies, 0);
  b->period = period;
  b->measure_from = now + WARMUP_SECONDS * G_USEC_PER_SEC;
  b->measure_until = b->measure_from + seconds * G_USEC_PER_SEC;
  g_timeout_add_seconds (WARMUP_SECONDS, measure_start, b);
  g_timeout_add_seconds (WARMUP_SECONDS + seconds, measure_end, b);
  for (guint i = 0; i < N_WORKERS; i++)
    {
      Worker *w = &b->workers[i];

      w->stopped = FALSE;
      /* Paced workers start spread over one period. */
      w->next_start = now + (period * i) / N_WORKERS;
      if (period > 0 && w->next_start - now >= 1000)
        g_timeout_add ((guint) ((w->next_start - now) / 1000), start_cycle, w);
      else
        worker_accept (w);
    }
  g_main_loop_run (b->loop);

  g_array_sort (b->latencies, compare_int64);
  out->p50 = out->p99 = 0;
  if (b->latencies->len > 0)
    {
      out->p50 = g_array_index (b->latencies, gint64, b->latencies->len / 2);
      out->p99 = g_array_index (b->latencies, gint64, (b->latencies->len * 99) / 100);
    }
  out->cycles = b->cycles / (double) seconds;
  out->requests = b->requests / (double) seconds;
  out->server_ms = b->cycles ? b->server_cpu * 1000 / b->cycles : 0;
  out->client_ms = b->cycles ? b->client_cpu * 1000 / b->cycles : 0;
  printf ("  %.0f cycles/s (%.0f requests/s); latency per request p50 %.2f ms, p99 %.2f ms; CPU "
          "per cycle: server %.3f ms, load generator %.3f ms\n",
          out->cycles, out->requests, out->p50 / 1000.0, out->p99 / 1000.0, out->server_ms,
          out->client_ms);
  fflush (stdout);
}

int
main (int argc, char *argv[])
{
  Bench bench = { 0 };
  Bench *b = &bench;
  g_autoptr (GError) error = NULL;
  Phase saturated, paced;
  double raw_rate;
  guint lost, stored;
  gboolean met;

  b->binary = g_getenv ("FAIRLABEL_SERVER_BINARY");
  if (b->binary == NULL)
    g_error ("Set FAIRLABEL_SERVER_BINARY");
  /* The data folder sits where the build is: the disk the server would use. */
  b->root = g_build_filename (g_get_current_dir (), "bench-server-load-XXXXXX", NULL);
  if (g_mkdtemp (b->root) == NULL)
    g_error ("Cannot create %s", b->root);
  b->data_dir = g_build_filename (b->root, "data", NULL);
  b->held = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->done = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->acknowledged = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  b->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));

  printf ("raw SQLite commits (WAL, synchronous=FULL, one row each) in %s ...\n", b->root);
  fflush (stdout);
  raw_rate = raw_commit_rate (b->root);
  printf ("  %.0f commits/s\n", raw_rate);
  printf ("setting up %d tasks and %d workers ...\n", N_TASKS, N_WORKERS);
  fflush (stdout);
  setup (b);
  start_server (b);

  {
    g_autoptr (GUri) uri = g_uri_parse (b->url, G_URI_FLAGS_NONE, &error);

    if (uri == NULL)
      g_error ("%s", error->message);
    b->port = (guint16) g_uri_get_port (uri);
    b->host = g_strdup_printf ("%s:%u", g_uri_get_host (uri), b->port);
  }
  b->loop = g_main_loop_new (NULL, FALSE);
  printf ("%d workers, each cycle accept + heartbeat + submit, as fast as answers come, %d s ...\n",
          N_WORKERS, SATURATION_SECONDS);
  fflush (stdout);
  run_phase (b, 0, SATURATION_SECONDS, &saturated);
  printf ("%d workers paced to %d cycles/s together, %d s ...\n", N_WORKERS, TARGET_CYCLES,
          PACED_SECONDS);
  fflush (stdout);
  run_phase (b, (gint64) N_WORKERS * G_USEC_PER_SEC / TARGET_CYCLES, PACED_SECONDS, &paced);

  g_subprocess_send_signal (b->server, SIGTERM);
  g_subprocess_wait (b->server, NULL, &error);
  lost = count_lost (b, &stored);
  met = paced.cycles >= TARGET_CYCLES * 0.98 && paced.p99 < 25000 && b->double_assignments == 0 &&
        lost == 0 && b->errors == 0;

  printf ("most cycles/s: %.0f (p99 %.2f ms); at the target load: %.0f cycles/s, p50 %.2f ms, "
          "p99 %.2f ms\n",
          saturated.cycles, saturated.p99 / 1000.0, paced.cycles, paced.p50 / 1000.0,
          paced.p99 / 1000.0);
  printf ("double assignments: %u; acknowledged submissions: %u; stored: %u; lost: %u\n",
          b->double_assignments, g_hash_table_size (b->acknowledged), stored, lost);
  printf ("errors: %u%s%s\n", b->errors, b->first_error ? " first: " : "",
          b->first_error ? b->first_error : "");
  printf ("reference: raw fsync'd SQLite commits on this disk: %.0f/s; one commit per write "
          "(3 a cycle) would cap cycles at %.0f/s\n",
          raw_rate, raw_rate / 3);
  printf ("{\"bench\": \"server-load\", \"figures\": {\"cycles_per_second\": %.0f, "
          "\"p50_ms\": %.2f, \"p99_ms\": %.2f, \"max_cycles_per_second\": %.0f, "
          "\"max_requests_per_second\": %.0f, \"p99_ms_at_max\": %.2f, "
          "\"double_assignments\": %u, \"lost_submissions\": %u, \"errors\": %u, "
          "\"workers\": %d, \"server_cpu_ms_per_cycle\": %.3f, "
          "\"raw_sqlite_commits_per_second\": %.0f}, \"targets\": {\"cycles_per_second\": %d, "
          "\"p99_ms\": 25, \"double_assignments\": 0, \"lost_submissions\": 0}, \"met\": %s}\n",
          paced.cycles, paced.p50 / 1000.0, paced.p99 / 1000.0, saturated.cycles,
          saturated.requests, saturated.p99 / 1000.0, b->double_assignments, lost, b->errors,
          N_WORKERS, saturated.server_ms, raw_rate, TARGET_CYCLES, met ? "true" : "false");

  fl_test_remove_tree (b->root);
  return 0;
}
