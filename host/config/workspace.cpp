// Workspace files: structure, ${ENV} and ${file:PATH} secrets, durations, and cross-references,
// with every problem reported as "<file>:<line>: <key>: <what is wrong>".
#include "host/config/workspace.h"

#include <algorithm>
#include <array>
#include <map>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <span>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "host/config/allowed_origins.h"
#include "host/config/env_expand.h"
#include "host/config/quantities.h"
#include "host/config/yaml_json.h"
#include "host/config/yaml_strict.h"
#include "host/log/log.h"

namespace switchyard {
namespace {

// Sorted: problems list them in this order. constexpr, so nothing can throw before main (cert-err58-cpp).
constexpr std::array<std::string_view, 3> kWorkspaceKeys = {"destinations", "sources", "workspace"};
constexpr std::array<std::string_view, 5> kSourceKeys = {"allowed_origins", "destinations", "id", "trusted", "write_key"};
constexpr std::array<std::string_view, 2> kConnectionKeys = {"id", "settings"};
constexpr std::array<std::string_view, 7> kDestinationKeys = {"call_timeout", "delivery",     "id",      "isolation",
                                                              "memory_limit", "plugin",       "settings"};
constexpr std::array<std::string_view, 5> kDeliveryKeys = {"backoff_base", "backoff_cap", "batch_size", "retry_window",
                                                           "workers"};

// One file being read: where problems go and how they are phrased.
struct FileReader {
    std::string file;
    const EnvLookup &env;
    std::vector<std::string> &problems;

    ConfigOrigin origin(const YAML::Node &node) const { return {file, node.Mark().line + 1}; }
    void problem(const YAML::Node &node, const std::string &key, const std::string &what) const {
        problems.push_back(origin(node).where() + ": " + key + ": " + what);
    }
    void check_keys(const YAML::Node &map, const std::string &path, std::span<const std::string_view> allowed) const;
    std::optional<std::string> expand(const YAML::Node &scalar, const std::string &key) const;
    std::optional<std::string> string(const YAML::Node &map, const std::string &key, const std::string &path,
                                      bool required) const;
};

void FileReader::check_keys(const YAML::Node &map, const std::string &path, std::span<const std::string_view> allowed) const {
    for (const auto &kv : map) {
        const std::string key = kv.first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            std::string valid;
            for (std::string_view k : allowed) (valid += valid.empty() ? "" : ", ") += k;
            problem(kv.first, path + key, "unknown key (valid: " + valid + ")");
        }
    }
}

std::optional<std::string> FileReader::string(const YAML::Node &map, const std::string &key, const std::string &path,
                                              bool required) const {
    const YAML::Node node = map[key];
    if (!node) {
        if (required) problem(map, path + key, "is required");
        return std::nullopt;
    }
    if (!node.IsScalar() || node.Scalar().empty()) {
        problem(node, path + key, "must be a non-empty string");
        return std::nullopt;
    }
    return expand(node, path + key);
}

// Every value a reference put in is a secret, registered before any problem, plugin or log line
// could show it.
std::optional<std::string> FileReader::expand(const YAML::Node &scalar, const std::string &key) const {
    std::string error;
    auto expanded = expand_references(scalar.Scalar(), {env, std::filesystem::path(file).parent_path()}, error);
    if (!expanded) {
        problem(scalar, key, error);
        return std::nullopt;
    }
    for (const std::string &value : expanded->values) log::add_secret(value);
    return std::move(expanded->text);
}

bool ascii_alphanumeric(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// [A-Za-z0-9][A-Za-z0-9._-]*, without std::regex: it recurses once per character, so a long id
// overflowed the stack.
bool valid_id(const std::string &id) {
    const auto allowed = [](char c) { return ascii_alphanumeric(c) || c == '.' || c == '_' || c == '-'; };
    return !id.empty() && ascii_alphanumeric(id.front()) && std::all_of(id.begin(), id.end(), allowed);
}

std::optional<std::string> read_id(const FileReader &r, const YAML::Node &map, const std::string &path) {
    auto id = r.string(map, "id", path, true);
    if (id && !valid_id(*id)) {
        r.problem(map["id"], path + "id", "must be letters, digits, '.', '_' or '-', got \"" + *id + "\"");
        return std::nullopt;
    }
    return id;
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

std::optional<size_t> read_count(const FileReader &r, const YAML::Node &node, const std::string &key, size_t max) {
    try {
        const long long n = node.as<long long>();
        if (n >= 1 && static_cast<size_t>(n) <= max) return static_cast<size_t>(n);
    } catch (const YAML::Exception &) {
    }
    r.problem(node, key, "must be a whole number from 1 to " + std::to_string(max));
    return std::nullopt;
}

DeliveryPolicy read_delivery(const FileReader &r, const YAML::Node &map, const std::string &path) {
    DeliveryPolicy policy;
    if (!map.IsMap()) {
        r.problem(map, path, "must be a mapping");
        return policy;
    }
    r.check_keys(map, path + ".", kDeliveryKeys);
    if (map["workers"]) policy.workers = read_count(r, map["workers"], path + ".workers", 64).value_or(policy.workers);
    if (map["batch_size"])
        policy.batch_size = read_count(r, map["batch_size"], path + ".batch_size", 10000);
    const std::pair<const char *, std::chrono::milliseconds *> durations[] = {
        {"retry_window", &policy.retry_window}, {"backoff_base", &policy.backoff_base}, {"backoff_cap", &policy.backoff_cap}};
    for (const auto &[key, target] : durations) {
        if (!map[key]) continue;
        auto d = map[key].IsScalar() ? parse_duration(map[key].Scalar()) : std::nullopt;
        if (d)
            *target = *d;
        else
            r.problem(map[key], path + "." + key, "must be a duration like 250ms, 30s, 90m, 3h or 1d");
    }
    return policy;
}

// `isolation`, `call_timeout` and `memory_limit` of a destination.
Containment read_containment(const FileReader &r, const YAML::Node &node, const std::string &path) {
    Containment c;
    if (const YAML::Node isolation = node["isolation"]) {
        const std::string mode = isolation.IsScalar() ? isolation.Scalar() : "";
        if (mode == "process" || mode == "in-process")
            c.isolation = mode == "process" ? Containment::Isolation::process : Containment::Isolation::in_process;
        else
            r.problem(isolation, path + "isolation", "must be process or in-process");
    }
    if (const YAML::Node timeout = node["call_timeout"]) {
        auto d = timeout.IsScalar() ? parse_duration(timeout.Scalar()) : std::nullopt;
        if (d && d->count() > 0)
            c.call_timeout = *d;
        else
            r.problem(timeout, path + "call_timeout", "must be a duration like 500ms, 30s or 2m");
    }
    if (const YAML::Node limit = node["memory_limit"]) {
        auto bytes = limit.IsScalar() ? parse_byte_size(limit.Scalar()) : std::nullopt;
        if (bytes && *bytes >= (uint64_t{64} << 20))
            c.memory_limit = *bytes;
        else
            r.problem(limit, path + "memory_limit", "must be a size of at least 64MiB, like 512MiB or 2GiB");
    }
    return c;
}

// A `settings` mapping as compact JSON, with the line of each place in it; false after a problem.
bool read_settings(const FileReader &r, const YAML::Node &settings, const std::string &key, std::string &json,
                   std::map<std::string, int> &lines) {
    if (!settings.IsMap()) {
        r.problem(settings, key, "must be a mapping of the plugin's settings");
        return false;
    }
    ScalarRewrite expand = [&](const YAML::Node &scalar) -> std::optional<std::string> {
        if (scalar.Scalar().find("${") == std::string::npos) return std::nullopt;
        return r.expand(scalar, key).value_or("");
    };
    try {
        json = yaml_to_json(settings, expand).dump();
        lines = json_pointer_lines(settings);
        return true;
    } catch (const nlohmann::json::type_error &) {  // dump() refuses invalid UTF-8
        r.problem(settings, key, "must be UTF-8 text");
    } catch (const YAML::BadConversion &e) {  // a key that is a list or a mapping
        r.problems.push_back(r.file + ":" + std::to_string(e.mark.line + 1) + ": " + key +
                             ": keys must be plain names, not lists or mappings");
    }
    return false;
}

void read_destination(const FileReader &r, const std::string &workspace, const YAML::Node &node, size_t i,
                      Config &config) {
    const std::string path = "destinations[" + std::to_string(i) + "].";
    if (!node.IsMap()) return r.problem(node, path, "must be a mapping");
    r.check_keys(node, path, kDestinationKeys);
    DestinationConfig d{workspace, read_id(r, node, path).value_or(""), r.string(node, "plugin", path, true).value_or(""),
                        "{}", {}, r.origin(node), {}, {}};
    if (const YAML::Node settings = node["settings"])
        if (!read_settings(r, settings, path + "settings", d.settings_json, d.settings_lines)) return;
    if (node["delivery"]) d.delivery = read_delivery(r, node["delivery"], path + "delivery");
    d.containment = read_containment(r, node, path);
    if (!d.id.empty()) config.destinations.push_back(std::move(d));
}

// One entry of a source's `destinations`: a destination id, or `{id: …, settings: {…}}` whose
// settings override the destination's for this source's events.
void read_connection(const FileReader &r, const YAML::Node &entry, const std::string &path, SourceConfig &s) {
    if (!entry.IsScalar() && !entry.IsMap())
        return r.problem(entry, path, "must be a destination id or a mapping with \"id\" and \"settings\"");
    if (entry.IsMap()) r.check_keys(entry, path + ".", kConnectionKeys);
    const std::optional<std::string> id = entry.IsScalar() ? entry.Scalar() : read_id(r, entry, path + ".");
    if (!id) return;
    const std::string key = s.workspace + "/" + *id;
    if (std::find(s.destinations.begin(), s.destinations.end(), key) != s.destinations.end())
        return r.problem(entry, path, "destination \"" + *id + "\" is listed twice");
    s.destinations.push_back(key);
    if (!entry.IsMap() || !entry["settings"]) return;
    ConnectionOverride override_of{"{}", {}, r.origin(entry)};
    if (read_settings(r, entry["settings"], path + ".settings", override_of.settings_json, override_of.settings_lines))
        s.overrides.emplace(key, std::move(override_of));
}

// `allowed_origins`: a non-empty list of origins; absent means any origin.
std::vector<std::string> read_allowed_origins(const FileReader &r, const YAML::Node &list, const std::string &key) {
    std::vector<std::string> origins;
    if (!list.IsSequence() || list.size() == 0) {
        r.problem(list, key, "must be a non-empty list of origins like https://shop.example.com (omit it to allow any)");
        return origins;
    }
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string entry_key = key + "[" + std::to_string(i) + "]";
        std::string why = "must be a string";
        const auto origin = list[i].IsScalar() ? parse_allowed_origin(list[i].Scalar(), why) : std::nullopt;
        if (origin) origins.push_back(*origin);
        else r.problem(list[i], entry_key, why);
    }
    return origins;
}

// A write key travels as an HTTP Basic user name; one of these in it is a quoting slip.
constexpr std::string_view kNotInAWriteKey = " \t\r\n\"'";

void read_source(const FileReader &r, const std::string &workspace, const YAML::Node &node, size_t i, Config &config) {
    const std::string path = "sources[" + std::to_string(i) + "].";
    if (!node.IsMap()) return r.problem(node, path, "must be a mapping");
    r.check_keys(node, path, kSourceKeys);
    SourceConfig s{workspace, read_id(r, node, path).value_or(""), r.string(node, "write_key", path, true).value_or(""),
                   {}, false, r.origin(node), {}};
    log::add_secret(s.write_key);  // a literal write key is as secret as one from the environment
    const YAML::Node targets = node["destinations"];
    if (targets && !targets.IsSequence()) r.problem(targets, path + "destinations", "must be a list of destination ids");
    if (targets && targets.IsSequence())
        for (size_t t = 0; t < targets.size(); ++t)
            read_connection(r, targets[t], path + "destinations[" + std::to_string(t) + "]", s);
    if (s.write_key.find_first_of(kNotInAWriteKey) != std::string::npos) {  // never print the key itself
        r.problem(node["write_key"], path + "write_key", "must not contain spaces, line breaks or quotes");
        s.write_key.clear();
    }
    if (const YAML::Node trusted = node["trusted"]) {
        const nlohmann::json value = trusted.IsScalar() ? yaml_to_json(trusted) : nlohmann::json();
        if (value.is_boolean()) s.trusted = value.get<bool>();
        else r.problem(trusted, path + "trusted", "must be true or false");
    }
    if (const YAML::Node origins = node["allowed_origins"])
        s.allowed_origins = read_allowed_origins(r, origins, path + "allowed_origins");
    if (!s.id.empty() && !s.write_key.empty()) config.sources.push_back(std::move(s));
}

template <class Reader>
void read_list(const FileReader &r, const YAML::Node &root, const char *key, const std::string &workspace,
               Config &config, Reader read) {
    const YAML::Node list = root[key];
    if (!list) return;
    if (!list.IsSequence()) return r.problem(list, key, "must be a list");
    for (size_t i = 0; i < list.size(); ++i) read(r, workspace, list[i], i, config);
}

void read_file(const std::filesystem::path &file, const EnvLookup &env, Config &config,
               std::vector<std::string> &problems) {
    FileReader r{file.string(), env, problems};
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    if (!(in && text << in.rdbuf())) return problems.push_back(r.file + ":1: cannot read the file");
    const std::optional<YAML::Node> root = parse_strict_yaml(text.str(), r.file, problems);
    if (!root) return;
    if (!root->IsMap()) return problems.push_back(r.file + ":1: the file must be a mapping with a \"workspace\" key");
    r.check_keys(*root, "", kWorkspaceKeys);
    const auto workspace = r.string(*root, "workspace", "", true);
    if (!workspace) return;
    if (!valid_id(*workspace)) return r.problem((*root)["workspace"], "workspace", "must be letters, digits, '.', '_' or '-'");
    read_list(r, *root, "destinations", *workspace, config, read_destination);
    read_list(r, *root, "sources", *workspace, config, read_source);
}

}  // namespace
}  // namespace switchyard

namespace switchyard {
namespace {

// Problems that span entries or files: duplicates and dangling references.
void cross_check(const Config &config, std::vector<std::string> &problems) {
    std::map<std::string, const DestinationConfig *> destinations;
    for (const DestinationConfig &d : config.destinations)
        if (!destinations.emplace(d.key(), &d).second)
            problems.push_back(d.origin.where() + ": destinations: id \"" + d.id + "\" is used twice in workspace \"" +
                               d.workspace + "\"");
    std::set<std::string> source_keys;
    std::map<std::string, const SourceConfig *> write_keys;
    for (const SourceConfig &s : config.sources) {
        if (!source_keys.insert(s.workspace + "/" + s.id).second)
            problems.push_back(s.origin.where() + ": sources: id \"" + s.id + "\" is used twice in workspace \"" +
                               s.workspace + "\"");
        if (auto [it, fresh] = write_keys.emplace(s.write_key, &s); !fresh)  // never print the key itself
            problems.push_back(s.origin.where() + ": sources: write_key of \"" + s.id + "\" is also the write_key of \"" +
                               it->second->workspace + "/" + it->second->id + "\"");
        for (const std::string &target : s.destinations)
            if (!destinations.contains(target))
                problems.push_back(s.origin.where() + ": sources: \"" + s.id + "\" names unknown destination \"" +
                                   target.substr(target.find('/') + 1) + "\"");
    }
}

std::vector<std::filesystem::path> workspace_files(const std::filesystem::path &dir, std::vector<std::string> &problems) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec))
        if (it->path().extension() == ".yaml" || it->path().extension() == ".yml") files.push_back(it->path());
    if (ec) problems.push_back(dir.string() + ": cannot read the config directory (" + ec.message() + ")");
    else if (files.empty()) problems.push_back(dir.string() + ": no workspace files (*.yaml) found");
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

std::vector<std::string> accepted_key_paths() {
    const std::pair<std::string_view, std::span<const std::string_view>> tables[] = {
        {"", kWorkspaceKeys},
        {"sources[].", kSourceKeys},
        {"sources[].destinations[].", kConnectionKeys},
        {"destinations[].", kDestinationKeys},
        {"destinations[].delivery.", kDeliveryKeys}};
    std::vector<std::string> paths;
    for (const auto &[prefix, keys] : tables)
        for (std::string_view key : keys) paths.push_back(std::string(prefix) + std::string(key));
    return paths;
}

std::optional<std::string> process_env(const std::string &name) {
    const char *value = std::getenv(name.c_str());
    return value != nullptr ? std::optional<std::string>(value) : std::nullopt;
}

ConfigLoad load_config_dir(const std::filesystem::path &dir, const EnvLookup &env) {
    ConfigLoad load;
    std::map<std::string, std::string> workspace_files_by_name;
    for (const auto &file : workspace_files(dir, load.problems)) {
        read_file(file, env, load.config, load.problems);
        load.config.files.push_back(file.string());
    }
    for (const DestinationConfig &d : load.config.destinations) workspace_files_by_name.emplace(d.workspace, d.origin.file);
    for (const SourceConfig &s : load.config.sources) workspace_files_by_name.emplace(s.workspace, s.origin.file);
    for (const DestinationConfig &d : load.config.destinations)
        if (workspace_files_by_name[d.workspace] != d.origin.file)
            load.problems.push_back(d.origin.where() + ": workspace: \"" + d.workspace + "\" is also defined in " +
                                    workspace_files_by_name[d.workspace]);
    cross_check(load.config, load.problems);
    return load;
}

}  // namespace switchyard
