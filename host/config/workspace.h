// Workspace configuration: one YAML file per workspace in the config directory, naming its
// sources (who may send, with which write key) and destinations (which plugin, which settings).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchyard {

// Where a value came from, for error messages: "config/acme.yaml:12".
struct ConfigOrigin {
    std::string file;
    int line = 0;
    std::string where() const { return file + ":" + std::to_string(line); }
};

// The default batch size: room for this many full requests of the plugin's, so that with a
// backlog each kind of bulk request in a batch fills up (Iterable's identify and track events,
// half and half, fill one users/bulkUpdate and one events/trackBulk only from 2,000 events)...
inline constexpr size_t kFullRequestsPerBatch = 4;
// ...and at least this many events, for plugins that send few events per request: a batch that
// small would pay a claim, a transform call and a commit for every few events.
inline constexpr size_t kLeastDefaultBatchSize = 200;

// How the host delivers to one destination (all optional in YAML, under `delivery:`).
struct DeliveryPolicy {
    size_t workers = 4;                                  // concurrent batches
    // Events per claim and transform call; by default kFullRequestsPerBatch × the plugin's
    // max_events_per_request (at least kLeastDefaultBatchSize), so that a backlog fills bulk requests.
    std::optional<size_t> batch_size;
    std::chrono::milliseconds retry_window = std::chrono::hours(3);
    std::chrono::milliseconds backoff_base = std::chrono::seconds(1);
    std::chrono::milliseconds backoff_cap = std::chrono::minutes(5);
    uint32_t events_per_request = 0;  // at most; 0: the plugin's own limit (1: `send --mode processor`)
    uint32_t max_attempts = 0;  // sends of an event at most, then dead; 0: only the retry window (`send --retries`)
    bool operator==(const DeliveryPolicy &) const = default;
};

// How a destination's plugin instance is contained (docs/configuration.md, "Isolation").
// Every plugin call's deadline, transform's also for delete_users, verify and rate_limits. The
// defaults, for both isolation modes: send's is a plugin's own HTTP timeout (60 s at most) plus 10 s.
struct CallDeadlines {
    std::chrono::milliseconds transform{std::chrono::seconds(60)};
    std::chrono::milliseconds send{std::chrono::seconds(70)};
};

struct Containment {
    enum class Isolation { process, in_process };
    Isolation isolation = Isolation::process;               // in a plugin worker, or in the host itself
    // Every plugin call's deadline; unset: CallDeadlines' defaults.
    std::optional<std::chrono::milliseconds> call_timeout;
    uint64_t memory_limit = uint64_t{1} << 30;             // bytes a plugin worker may use
    bool operator==(const Containment &) const = default;
    CallDeadlines deadlines() const {
        return call_timeout ? CallDeadlines{*call_timeout, *call_timeout} : CallDeadlines{};
    }
};

struct DestinationConfig {
    std::string workspace;
    std::string id;
    std::string plugin;
    std::string settings_json;  // compact JSON object, ${ENV} and ${file:PATH} already expanded
    DeliveryPolicy delivery;
    ConfigOrigin origin;
    std::map<std::string, int> settings_lines;  // JSON pointer into the settings → its line, for problems
    // Set when these are a connection's merged settings (routing/connection_settings.h): the source
    // whose override they hold, named by every problem with them.
    std::string source;
    Containment containment = {};
    std::string key() const { return workspace + "/" + id; }
};

// A source's own settings for one of its destinations, `{id: …, settings: {…}}` in its list:
// they override the destination's settings, key by key, for that source's events.
struct ConnectionOverride {
    std::string settings_json;                  // compact JSON object, references expanded
    std::map<std::string, int> settings_lines;  // as DestinationConfig's; "" is the `settings` mapping
    ConfigOrigin origin;                        // the list entry
};

struct SourceConfig {
    std::string workspace;
    std::string id;
    std::string write_key;                  // secret
    std::vector<std::string> destinations;  // destination keys
    bool trusted = false;                   // may send pre-built destination requests (Reverse ETL)
    ConfigOrigin origin;
    std::map<std::string, ConnectionOverride> overrides;  // by destination key; the entries with settings
    std::vector<std::string> allowed_origins = {};  // web origins whose pages may send, lower case; empty: any
};

struct Config {
    std::vector<SourceConfig> sources;
    std::vector<DestinationConfig> destinations;
    std::vector<std::string> files;  // the workspace files read, sorted
};

struct ConfigLoad {
    Config config;
    std::vector<std::string> problems;  // one sentence each, naming file, line and key
};

using EnvLookup = std::function<std::optional<std::string>(const std::string &name)>;

// The process environment.
std::optional<std::string> process_env(const std::string &name);

// Reads every *.yaml / *.yml file of `dir`. Structural problems only: plugins and settings
// are checked against the loaded plugins by the routing snapshot.
// Secrets: every write key and every value a ${NAME} or ${file:PATH} reference put in is
// registered with the log (log::add_secret) as it is read, so no problem, log line, plugin
// message or answer made later shows it.
ConfigLoad load_config_dir(const std::filesystem::path &dir, const EnvLookup &env = process_env);

// Every key a workspace file may hold, as a path: "workspace", "sources[].write_key",
// "destinations[].delivery.batch_size"... (docs/configuration.md documents each; a test checks).
// The plugin's own keys under `destinations[].settings` are the plugin's to document.
std::vector<std::string> accepted_key_paths();

}  // namespace switchyard
