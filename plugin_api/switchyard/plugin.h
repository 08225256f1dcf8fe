/*
 * switchyard/plugin.h — the Switchyard destination plugin ABI, version 1.
 *
 * A destination plugin is a shared object that exports one C symbol,
 * SY_ENTRY_SYMBOL ("sy_destination_entry"), of type sy_entry_fn. It returns a
 * pointer to a static, immutable sy_plugin table, or NULL when the plugin
 * cannot run in this process. Everything below is plain C99 so that plugins
 * can be written in C, C++, Rust or Go; no C++ type, exception or allocator
 * crosses this boundary.
 *
 * What the host does with a plugin
 *   1. Loads the file, calls the entry, checks the table in this order:
 *      non-NULL, struct_size, abi_major, abi_minor, required hooks, name.
 *   2. init() once per configured destination with that destination's
 *      settings (a JSON object). The instance lives until destroy().
 *   3. transform() turns a batch of events into HTTP requests, send() delivers
 *      one request and grades the answer; both hand back plugin-owned results
 *      that the host returns through release().
 *
 * Ownership and lifetimes
 *   - Everything the host passes in (settings, events, requests, the host API
 *     table's strings) is borrowed: valid only for the duration of the call.
 *     Copy what you keep. The sy_host_api table itself stays valid until the
 *     instance is destroyed.
 *   - Everything a plugin returns from transform() or send() is plugin-owned
 *     and stays valid, unchanged, until the host passes the result's `owner`
 *     to release() of the same instance. The host releases every result
 *     exactly once and never after destroy().
 *   - The sy_plugin table and its strings are static: valid while the library
 *     is loaded. The rate-limit list of an instance lives until destroy().
 *   - sy_str_view is never NUL-terminated by contract; `len` is in bytes, UTF-8.
 *
 * Threads
 *   - The entry, init() and destroy() are never called concurrently with
 *     each other (they may come from different host threads: a reloaded
 *     destination's old instance is destroyed when its last batch is done).
 *   - Keep no thread_local object with a destructor: it pins the library in
 *     memory until every host thread that called into it exits, so a
 *     replaced build could not be unloaded. Pool per instance instead.
 *   - transform(), send(), release() and rate_limits() may be called
 *     concurrently on the same instance from many worker threads. An
 *     instance must therefore be immutable after init() (or synchronise its
 *     own mutable state, e.g. a connection pool).
 *   - host->log may be called from any thread.
 *   - destroy() is called only after every transform/send call on that
 *     instance has returned and every result has been released.
 *
 * Errors
 *   - No hook may throw, longjmp or otherwise unwind across this boundary.
 *   - transform()/send() return NULL only when the plugin could not produce a
 *     result at all (e.g. out of memory); the host then retries every event of
 *     the call later. Event-level failures are expressed inside the result.
 *
 * Version policy
 *   - SY_ABI_MAJOR changes only when a field is removed, reordered or changes
 *     meaning. The host refuses a plugin of another major.
 *   - SY_ABI_MINOR grows when fields or hooks are appended. Every struct
 *     starts with struct_size; the host copies min(struct_size, its own size)
 *     into a zeroed struct, so fields a plugin does not know read as 0/NULL.
 *     A retired slot is renamed reserved_N, never reused.
 *   - A plugin built for 1.N loads on any host speaking 1.M with M >= N; a
 *     host refuses a plugin built for a newer minor than its own.
 */
#ifndef SWITCHYARD_PLUGIN_H
#define SWITCHYARD_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SY_ABI_MAJOR 1
#define SY_ABI_MINOR 0

/* The one exported symbol. */
#define SY_ENTRY_SYMBOL "sy_destination_entry"

#if defined(_WIN32)
#define SY_EXPORT __declspec(dllexport)
#else
#define SY_EXPORT __attribute__((visibility("default")))
#endif

/* A borrowed or plugin-owned run of UTF-8 bytes, not NUL-terminated. */
typedef struct sy_str_view {
    const char *ptr;
    size_t len;
} sy_str_view;

/* How a request or an event fared. Never retried: SY_ABORT. */
typedef enum sy_outcome {
    SY_OK = 0,        /* delivered (2xx)                                   */
    SY_RETRY = 1,     /* transient: 5xx, timeout, connection error         */
    SY_THROTTLED = 2, /* 429: slow down, retry later; does not burn tries  */
    SY_ABORT = 3      /* permanent: other 4xx, invalid event               */
} sy_outcome;

typedef enum sy_log_level {
    SY_LOG_DEBUG = 0,
    SY_LOG_INFO = 1,
    SY_LOG_WARN = 2,
    SY_LOG_ERROR = 3
} sy_log_level;

/* How transform() may group events into requests. */
typedef enum sy_batching {
    SY_BATCH_NONE = 0, /* one event per request group (processor mode)       */
    SY_BATCH_ALLOWED = 1 /* bulk requests may carry many events (router mode) */
} sy_batching;

/* Services the host offers a plugin (a plugin links no host symbol). */
typedef struct sy_host_api {
    uint32_t struct_size;
    void *host_ctx; /* opaque; pass back to every callback */
    /* One-line message; the host prefixes it with the destination's name.
       Never pass secrets: the host redacts known keys, but do not rely on it. */
    void (*log)(void *host_ctx, sy_log_level level, sy_str_view message);
} sy_host_api;

/* Opaque per-destination state, created by init(). */
typedef struct sy_instance sy_instance;

typedef struct sy_header {
    sy_str_view name;
    sy_str_view value;
} sy_header;

/* One HTTP request, and which of the call's events it carries. */
typedef struct sy_request {
    uint32_t struct_size;
    sy_str_view method;          /* "POST", "DELETE", ...                    */
    sy_str_view url;             /* absolute                                 */
    const sy_header *headers;
    size_t header_count;
    sy_str_view body;
    const uint32_t *event_indexes; /* positions in the transform() input     */
    size_t event_count;
    sy_str_view rate_key;        /* limit it counts against (rate_limits()); empty: none */
} sy_request;

/* An event that produced no request. `status` follows HTTP (400 invalid). */
typedef struct sy_event_error {
    uint32_t event_index;
    uint32_t status;
    sy_str_view message;
} sy_event_error;

typedef struct sy_transform_result {
    uint32_t struct_size;
    void *owner;                 /* opaque; pass to release()                */
    /* In sending order. An event may be carried by several requests (e.g. a
       user update and a device-token registration); it is delivered when all
       of them succeed. */
    const sy_request *requests;
    size_t request_count;
    const sy_event_error *errors;
    size_t error_count;
} sy_transform_result;

typedef struct sy_event_outcome {
    sy_outcome outcome;
    uint32_t status;             /* per-event status (HTTP-like), 0 if none  */
    sy_str_view message;         /* why, when not SY_OK                      */
} sy_event_outcome;

typedef struct sy_send_result {
    uint32_t struct_size;
    void *owner;                 /* opaque; pass to release()                */
    sy_outcome outcome;          /* the request as a whole                   */
    uint32_t http_status;        /* 0 when no response arrived               */
    uint32_t retry_after_ms;     /* with SY_THROTTLED/SY_RETRY: server's hint, 0 if none */
    sy_str_view message;         /* why, when not SY_OK                      */
    /* Either NULL/0 (every event shares `outcome`) or exactly
       request->event_count entries aligned with request->event_indexes. */
    const sy_event_outcome *events;
    size_t event_count;
} sy_send_result;

/* A pacing limit the host must respect for requests with this rate_key. */
typedef struct sy_rate_limit {
    sy_str_view rate_key;
    double requests_per_second;
    uint32_t burst;              /* requests allowed at once; 0 means 1      */
} sy_rate_limit;

typedef struct sy_plugin {
    uint32_t struct_size;
    uint32_t abi_major;
    uint32_t abi_minor;
    const char *name;            /* NUL-terminated, unique in a host, [a-z0-9_-] */
    const char *version;         /* NUL-terminated, the plugin's own version */
    const char *settings_schema; /* NUL-terminated JSON Schema of settings   */

    /* Required. Validates settings (a JSON object) and builds an instance.
       On failure returns NULL and writes one NUL-terminated sentence, at most
       error_cap bytes including the NUL, into error. */
    sy_instance *(*init)(const sy_host_api *host, sy_str_view settings_json,
                         char *error, size_t error_cap);

    /* Required. Frees the instance; see "Threads" for when it is called. */
    void (*destroy)(sy_instance *instance);

    /* Required. events[i] is one RudderStack message as JSON text. Every index
       0..event_count-1 appears in at least one request or in exactly one error. */
    const sy_transform_result *(*transform)(sy_instance *instance,
                                            const sy_str_view *events,
                                            size_t event_count,
                                            sy_batching batching);

    /* Required. Sends one request (as produced by transform(), possibly in an
       earlier call or process) and grades the answer. Blocking. */
    const sy_send_result *(*send)(sy_instance *instance,
                                  const sy_request *request);

    /* Required. Frees a result: `owner` of a transform or send result. */
    void (*release)(sy_instance *instance, void *owner);

    /* Optional (NULL: no limits). The instance's pacing limits; the list lives
       until destroy(). */
    const sy_rate_limit *(*rate_limits)(sy_instance *instance, size_t *count);
} sy_plugin;

typedef const sy_plugin *(*sy_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHYARD_PLUGIN_H */
