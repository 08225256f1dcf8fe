// Conformance test support (see conformance_support.h).
#include "conformance_support.h"

#include <map>
#include <sstream>
#include <stdexcept>

#include "tests/data/conformance_data.h"

namespace iterable_test {
namespace {

std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

json request_json(const switchyard::RequestRead &r) {
    json headers = json::object();
    for (const sy_header &h : r.headers) headers[text(h.name)] = text(h.value);
    json body = json::parse(text(r.fields.body));
    return {{"method", text(r.fields.method)}, {"endpoint", text(r.fields.url)}, {"headers", headers}, {"body", body},
            {"rate_key", text(r.fields.rate_key)}, {"kind", text(r.fields.kind)}};
}

bool accepted_by_schema(const json &schema, const std::string &key) {
    if (schema["properties"].contains(key)) return true;
    for (const auto &[pattern, _] : schema["patternProperties"].items())
        if (key.rfind(pattern.substr(1), 0) == 0) return true;  // patterns are "^prefix"
    return false;
}

}  // namespace

json read_conformance_json(const std::string &relative) {
    return json::parse(conformance_data::read("iterable/" + relative));
}

std::vector<std::string> read_conformance_lines(const std::string &relative) {
    std::istringstream in(conformance_data::read("iterable/" + relative));
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (line.find_first_not_of(" \t\r") != std::string::npos) lines.push_back(line);
    return lines;
}

std::shared_ptr<const switchyard::PluginLibrary> iterable_plugin() {
    static const auto plugin = [] {
        switchyard::LoadOutcome loaded = switchyard::load_plugin(ITERABLE_PLUGIN_PATH);
        if (!loaded.plugin) throw std::runtime_error(loaded.refusal);
        return loaded.plugin;
    }();
    return plugin;
}

std::shared_ptr<switchyard::Destination> make_destination(const json &config, std::vector<std::string> *dropped) {
    const json schema = json::parse(iterable_plugin()->settings_schema());
    json settings = json::object();
    for (const auto &[key, value] : config.items()) {
        if (accepted_by_schema(schema, key)) settings[key] = value;
        else if (dropped != nullptr) dropped->push_back(key);
    }
    std::string error;
    auto destination = switchyard::Destination::create(iterable_plugin(), "conformance", settings.dump(), error);
    if (!destination) throw std::runtime_error(error);
    return destination;
}

std::vector<json> run_events(const switchyard::Destination &destination, const std::vector<std::string> &events,
                             Mode mode) {
    std::vector<sy_str_view> views;
    for (const std::string &e : events) views.push_back({e.data(), e.size()});
    const uint32_t max_events = mode == Mode::router ? destination.plugin().max_events_per_request() : 1;
    switchyard::TransformResult result = destination.transform(views, max_events);
    if (!result) throw std::runtime_error(result.problem());
    std::vector<json> entries;
    for (const switchyard::RequestRead &r : result->requests)
        entries.push_back({{"indexes", r.event_indexes}, {"status", 200}, {"requests", json::array({request_json(r)})}});
    for (const switchyard::EventErrorRead &err : result->errors)
        entries.push_back({{"indexes", json::array({err.event_index})},
                           {"status", err.status},
                           {"error", err.message},
                           {"skipped_by_host", err.skipped_by_host}});
    return entries;
}

json processor_line(size_t index, const std::vector<json> &entries) {
    json line = {{"index", index}, {"status", 200}, {"requests", json::array()}};
    for (const json &entry : entries) {
        bool carries = false;
        for (const json &i : entry["indexes"]) carries |= i.get<size_t>() == index;
        if (!carries) continue;
        if (entry.contains("error"))
            return {{"index", index},
                    {"status", entry["status"]},
                    {"error", entry["error"]},
                    {"skipped_by_host", entry.value("skipped_by_host", false)}};
        for (const json &r : entry["requests"]) line["requests"].push_back(r);
    }
    return line;
}

json key_value(const json &headers) {
    for (const auto &[name, value] : headers.items()) {
        std::string normal;
        for (char c : name) normal += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (normal == "api_key") return value;
    }
    return nullptr;
}

std::string compare_processor(const json &expected, const json &actual) {
    // RudderStack's server drops a type the destination does not support before its transformer
    // sees it; called directly, the transformer refuses it. The host skips it, as the server does.
    if (actual.value("skipped_by_host", false))
        return expected.contains("error") ? "" : "skipped an event the reference delivers: " + actual["error"].dump();
    if (expected["status"] != actual["status"])
        return "status " + actual["status"].dump() + " != " + expected["status"].dump() + " (" +
               actual.value("error", expected.value("error", "")) + ")";
    if (expected.contains("error"))
        return expected["error"] == actual["error"] ? "" : "error " + actual["error"].dump() + " != " + expected["error"].dump();
    const json &want = expected["requests"], &got = actual["requests"];
    if (want.size() != got.size()) return std::to_string(got.size()) + " requests != " + std::to_string(want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        const json &w = want[i], &g = got[i];
        std::string content_type = g["headers"].value("Content-Type", "");
        if (content_type != "application/json") return "request " + std::to_string(i) + ": Content-Type " + content_type;
        bool same = w["method"] == g["method"] && w["endpoint"] == g["endpoint"] &&
                    key_value(w["headers"]) == key_value(g["headers"]) && w["body"] == g["body"];
        if (!same) return "request " + std::to_string(i) + " differs:\n want " + w.dump() + "\n got  " + g.dump();
    }
    return "";
}

}  // namespace iterable_test
