/*
 * switchyard/plugin.h — the Switchyard destination plugin ABI, version 2.1.
 *
 * A destination plugin is a shared object that exports one C symbol,
 * SY_ENTRY_SYMBOL ("sy_destination_entry"), of type sy_entry_fn. It returns a
 * pointer to a static, immutable sy_plugin table, or NULL when the plugin
 * cannot run in this process. Everything below is plain C99 so that plugins
 * can be written in C, C++, Rust or Go; no C++ type, exception or allocator
 * crosses this boundary. docs/plugin-guide.md shows how to write one.
 *
 * What the host does with a plugin
 *   1. Loads the file, calls the entry, checks the table in this order:
 *      non-NULL, abi_major, struct_size, abi_minor, required hooks, name,
 *      settings_schema.
 *   2. Validates each configured destination's settings against the table's
 *      settings_schema (a JSON Schema), fills in the schema's defaults, and
 *      calls init() once per destination with the result. The instance lives
 *      until destroy().
 *   3. Skips events whose type is not in message_types, then transform()
 *      turns a batch of events into HTTP requests, and send() delivers one
 *      request and grades the answer; both hand back plugin-owned results
 *      that the host returns through release().
 *
 * Ownership and lifetimes (the type says which)
 *   - sy_borrowed_str, and everything else the host passes in (settings,
 *     events, users, requests given to send(), the host API table's strings),
 *     is borrowed: valid only for the duration of the call. Copy what you
 *     keep. The sy_host_api table itself stays valid until the instance is
 *     destroyed.
 *   - sy_owned_str, and everything else reachable from a result that
 *     transform(), delete_users() or send() returns, is plugin-owned and
 *     stays valid, unchanged, until the host passes the result's `owner` to
 *     release() of the same instance. The host releases every result exactly
 *     once and never after destroy().
 *   - The sy_plugin table and everything it points to are static: valid while
 *     the library is loaded. An instance's rate-limit list lives until
 *     destroy().
 *   - Strings are never NUL-terminated by contract; `len` is in bytes, UTF-8.
 *     Only `const char *` fields and error buffers are NUL-terminated.
 *
 * Threads
 *   - The entry, init() and destroy() are never called concurrently with
 *     each other (they may come from different host threads: a reloaded
 *     destination's old instance is destroyed when its last batch is done).
 *   - Keep no thread_local object with a destructor: it pins the library in
 *     memory until every host thread that called into it exits, so a
 *     replaced build could not be unloaded. Pool per instance instead, or
 *     per process with the pool's threads joined when the last instance is
 *     destroyed (the plugin SDK's connection pool does).
 *   - transform(), send(), release(), rate_limits(), delete_users() and
 *     verify() may be called concurrently on the same instance from many
 *     threads. An instance must therefore be immutable after init() (or
 *     synchronise its own mutable state, e.g. a connection pool).
 *   - Every sy_host_api function may be called from any thread.
 *   - destroy() is called only after every other call on that instance has
 *     returned and every result has been released.
 *
 * Errors
 *   - No hook may throw, longjmp or otherwise unwind across this boundary,
 *     and neither may a callback a plugin hands to a C library (libcurl's).
 *   - transform(), delete_users() and send() return NULL only when the plugin
 *     could not produce a result at all (e.g. out of memory); the host then
 *     retries every event of the call later. Say why with host->fail() first:
 *     the host puts that sentence into the error it logs. Event-level
 *     failures are expressed inside the result.
 *
 * Growth and version policy
 *   - Every struct starts with struct_size, set to sizeof() as the plugin
 *     was compiled. The host reads min(struct_size, its own size) bytes into
 *     a zeroed struct, so fields one side does not know read as 0/NULL.
 *   - Arrays a plugin returns (requests, headers, errors, event outcomes,
 *     rate limits) hold elements of one size: the host steps through an
 *     array by the struct_size of its first element, so elements may grow.
 *   - SY_ABI_MINOR grows when fields or hooks are appended; a retired slot is
 *     renamed reserved_N, never reused. A plugin built for 2.N loads on any
 *     host speaking 2.M with M >= N; a host refuses a newer minor.
 *   - SY_ABI_MAJOR changes only when a field is removed, reordered or
 *     changes meaning. The host refuses a plugin of another major.
 *   - The same rules apply the other way to sy_host_api: check its
 *     struct_size before calling a function appended in a later minor.
 */
#ifndef SWITCHYARD_PLUGIN_H
#define SWITCHYARD_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SY_ABI_MAJOR 2
#define SY_ABI_MINOR 1

/* The one exported symbol. */
#define SY_ENTRY_SYMBOL "sy_destination_entry"

#if defined(_WIN32)
#define SY_EXPORT __declspec(dllexport)
#else
#define SY_EXPORT __attribute__((visibility("default")))
#endif

/* A run of UTF-8 bytes, not NUL-terminated. */
typedef struct sy_str_view {
    const char *ptr;
    size_t len;
} sy_str_view;

/* Lent by the caller for the duration of one call: copy what you keep. */
typedef sy_str_view sy_borrowed_str;
/* The plugin's, valid until the result holding it is released. */
typedef sy_str_view sy_owned_str;

/* How a request or an event fared. */
typedef enum sy_outcome {
    SY_OK = 0,        /* delivered (2xx)                                    */
    SY_RETRY = 1,     /* transient: 5xx, timeout, connection error          */
    SY_THROTTLED = 2, /* 429: slow down, retry later; does not burn tries   */
    SY_ABORT = 3,     /* permanent: other 4xx, invalid event; never retried */
    SY_SKIPPED = 4    /* needs no delivery (e.g. nothing to send for it);
                         the host counts it as filtered, not failed         */
} sy_outcome;

typedef enum sy_log_level {
    SY_LOG_DEBUG = 0,
    SY_LOG_INFO = 1,
    SY_LOG_WARN = 2,
    SY_LOG_ERROR = 3
} sy_log_level;

/* Services the host offers an instance (a plugin links no host symbol). Each
   call is keyed by host_ctx, which names the destination. */
typedef struct sy_host_api {
    uint32_t struct_size;
    void *host_ctx; /* opaque; pass back to every function */
    /* One-line message; the host prefixes it with the destination's name.
       Never pass secrets: the host redacts known ones, but do not rely on it. */
    void (*log)(void *host_ctx, sy_log_level level, sy_borrowed_str message);
    /* Adds `delta` to this destination's counter `name` ([a-z][a-z0-9_]*, at
       most 64 bytes). /metrics shows it as
       switchyard_plugin_<plugin>_<name>_total{destination="<id>"}. */
    void (*count)(void *host_ctx, sy_borrowed_str name, uint64_t delta);
    /* Sets this destination's gauge `name` (same rules), shown as
       switchyard_plugin_<plugin>_<name>{destination="<id>"}. */
    void (*gauge)(void *host_ctx, sy_borrowed_str name, double value);
    /* Says why the hook running on this thread is about to fail (return
       NULL); the host quotes the sentence in the error it logs. */
    void (*fail)(void *host_ctx, sy_borrowed_str reason);

    /* 2.1: the host's advice on outbound connections, the same for every
       instance of a process (the operator's `serve --connections-per-host`
       and `--idle-connection-timeout`); 0: no advice, use your own default.
       Read only through SY_HOST_REACHES. */
    /* Open connections to one API host (scheme, host and port) that the
       plugin's whole process should keep at most, shared by its instances. */
    uint32_t connections_per_host;
    /* Close a connection unused for this long, in milliseconds. */
    uint32_t idle_connection_timeout_ms;
} sy_host_api;

/* Whether `host` (a const sy_host_api *) reaches `field`: check before reading a field appended
   after 2.0 (a 2.0 host's table ends before it). */
#define SY_HOST_REACHES(host, field) \
    ((host) != NULL && (host)->struct_size >= offsetof(sy_host_api, field) + sizeof((host)->field))

/* Whether `host` reaches function `field` and it is set: check before calling a function
   appended after 2.0. */
#define SY_HOST_HAS(host, field) (SY_HOST_REACHES(host, field) && (host)->field != NULL)

/* Opaque per-destination state, created by init(). */
typedef struct sy_instance sy_instance;

typedef struct sy_header {
    uint32_t struct_size;
    sy_owned_str name;
    sy_owned_str value;
} sy_header;

/* One HTTP request, and which of the call's events it carries. */
typedef struct sy_request {
    uint32_t struct_size;
    /* The plugin's own label for what the request does (e.g.
       "users/bulkUpdate"), short, [a-zA-Z0-9_./-]. send() grades by it, never
       by parsing the URL; the host shows it in logs. */
    sy_owned_str kind;
    sy_owned_str method;          /* "POST", "DELETE", ...                   */
    sy_owned_str url;             /* absolute                                */
    const sy_header *headers;
    size_t header_count;
    sy_owned_str body;
    const uint32_t *event_indexes; /* positions in the call's input          */
    size_t event_count;
    sy_owned_str rate_key;        /* limit it counts against (rate_limits()); empty: none */
} sy_request;

/* An event that produced no request, and why. */
typedef struct sy_event_error {
    uint32_t struct_size;
    uint32_t event_index;
    sy_outcome outcome;           /* SY_ABORT, SY_RETRY or SY_SKIPPED        */
    uint32_t status;              /* HTTP-like detail (400: invalid), 0 if none */
    sy_owned_str message;         /* one sentence                            */
} sy_event_error;

typedef struct sy_transform_result {
    uint32_t struct_size;
    void *owner;                  /* opaque; pass to release()               */
    /* In sending order. An event may be carried by several requests (e.g. a
       user update and a device-token registration); it is delivered when all
       of them succeed. */
    const sy_request *requests;
    size_t request_count;
    const sy_event_error *errors;
    size_t error_count;
} sy_transform_result;

typedef struct sy_event_outcome {
    uint32_t struct_size;
    sy_outcome outcome;
    uint32_t status;              /* per-event status (HTTP-like), 0 if none */
    sy_owned_str message;         /* why, when not SY_OK                     */
} sy_event_outcome;

typedef struct sy_send_result {
    uint32_t struct_size;
    void *owner;                  /* opaque; pass to release()               */
    sy_outcome outcome;           /* the request as a whole                  */
    uint32_t http_status;         /* 0 when no response arrived              */
    uint32_t retry_after_ms;      /* with SY_THROTTLED/SY_RETRY: server's hint, 0 if none */
    sy_owned_str message;         /* why, when not SY_OK                     */
    /* Either NULL/0 (every event shares `outcome`) or exactly
       request->event_count entries aligned with request->event_indexes. */
    const sy_event_outcome *events;
    size_t event_count;
} sy_send_result;

/* A pacing limit the host must respect for requests with this rate_key. */
typedef struct sy_rate_limit {
    uint32_t struct_size;
    sy_owned_str rate_key;
    double requests_per_second;
    uint32_t burst;               /* requests allowed at once; 0 means 1     */
} sy_rate_limit;

typedef struct sy_plugin {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char *name;             /* unique in a host, [a-z0-9_-]            */
    const char *version;          /* the plugin's own version                */
    /* JSON Schema (draft 7) of the settings object. The host validates
       settings against it before init(), fills in `default` values, and
       never prints a property marked "x-secret": true or "writeOnly": true. */
    const char *settings_schema;

    /* What the destination accepts, as data. */
    /* Message types delivered ("identify", "track", ...), NULL-terminated;
       NULL: every type. The host skips the others before transform() and
       counts them as filtered. */
    const char *const *message_types;
    /* The most events one request may carry; 1: the plugin never batches
       (0 reads as 1). */
    uint32_t max_events_per_request;
    /* The largest request body the destination accepts, in bytes; 0: none
       declared. */
    uint64_t max_body_bytes;

    /* Required. Builds an instance from settings (a JSON object, validated
       and completed with defaults). On failure returns NULL and writes one
       NUL-terminated sentence naming the setting, at most error_cap bytes
       including the NUL, into error. */
    sy_instance *(*init)(const sy_host_api *host, sy_borrowed_str settings_json,
                         char *error, size_t error_cap);

    /* Required. Frees the instance; see "Threads" for when it is called. */
    void (*destroy)(sy_instance *instance);

    /* Required. events[i] is one RudderStack message as JSON text. A request
       carries at most max_events_per_request events (1: each request carries
       one; never more than the table's max_events_per_request). Every index
       0..event_count-1 appears in at least one request or in exactly one
       error. */
    const sy_transform_result *(*transform)(sy_instance *instance,
                                            const sy_borrowed_str *events,
                                            size_t event_count,
                                            uint32_t max_events_per_request);

    /* Required. Sends one request (as produced by transform() or
       delete_users(), possibly in an earlier call or process; borrowed) and
       grades the answer. Blocking. */
    const sy_send_result *(*send)(sy_instance *instance,
                                  const sy_request *request);

    /* Required. Frees a result: the `owner` of a transform or send result. */
    void (*release)(sy_instance *instance, void *owner);

    /* Optional (NULL: no limits). The instance's pacing limits; the list lives
       until destroy(). */
    const sy_rate_limit *(*rate_limits)(sy_instance *instance, size_t *count);

    /* Optional (NULL: deletion unsupported). The requests that delete these
       users' data at the destination; users[i] is a JSON object such as
       {"userId":"u1","email":"a@example.com"}, and event_indexes in the
       result refer to positions in `users`. The host sends them with send(). */
    const sy_transform_result *(*delete_users)(sy_instance *instance,
                                               const sy_borrowed_str *users,
                                               size_t user_count);

    /* Optional (NULL: nothing to check). Checks credentials and reachability
       with the destination. Returns SY_OK, or another outcome (SY_ABORT:
       refused, e.g. a wrong key; SY_RETRY: unreachable) with one
       NUL-terminated sentence in error. Blocking. */
    sy_outcome (*verify)(sy_instance *instance, char *error, size_t error_cap);
} sy_plugin;

typedef const sy_plugin *(*sy_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHYARD_PLUGIN_H */
