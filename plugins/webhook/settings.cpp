// The webhook destination's rows of the settings table and its own setting kinds (method,
// header map, batch size, pacing).
#include "settings.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

#include "request_limits.h"

namespace webhook {
namespace {

using nlohmann::json;
using sy::sdk::Setting;
namespace kinds = sy::sdk::kinds;

// Headers the plugin (Content-Type) or libcurl (the rest) writes itself; a second copy from the
// settings would make the request ambiguous.
constexpr std::array<std::string_view, 5> kReservedHeaders = {"content-type", "content-length", "host",
                                                              "transfer-encoding", "expect"};

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string lower(std::string_view text) {
    std::string out(text);
    for (char &c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// RFC 9110 token characters.
bool is_header_name(std::string_view name) {
    constexpr std::string_view kPunctuation = "!#$%&'*+-.^_`|~";
    return !name.empty() && std::all_of(name.begin(), name.end(), [&](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || kPunctuation.find(c) != std::string_view::npos;
           });
}

std::string method_problem(const json &value) {
    if (value == "POST" || value == "PUT") return "";
    return "must be POST or PUT";
}

// Never quotes a header value: any of them may be a credential.
std::string headers_problem(const json &value) {
    if (!value.is_object()) return "must be an object of header name to value";
    for (const auto &[name, header_value] : value.items()) {
        if (!is_header_name(name)) return "has " + in_quotes(name) + ", which is not a valid HTTP header name";
        if (std::find(kReservedHeaders.begin(), kReservedHeaders.end(), lower(name)) != kReservedHeaders.end())
            return "must not set " + in_quotes(name) + ", which the plugin sets itself";
        if (!header_value.is_string()) return "needs a string value for " + in_quotes(name);
        if (header_value.get<std::string>().find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            return "has a line break or NUL in the value of " + in_quotes(name);
    }
    return "";
}

std::string batch_size_problem(const json &value) {
    if (value.is_number_unsigned() && value.get<uint64_t>() >= 1 && value.get<uint64_t>() <= kMaxEventsPerRequest)
        return "";
    return "must be a whole number between 1 and " + std::to_string(kMaxEventsPerRequest);
}

std::string requests_per_second_problem(const json &value) {
    if (value.is_number() && value.get<double>() > 0) return "";
    return "must be a number greater than 0";
}

const sy::sdk::SettingKind kMethodKind{"POST or PUT", R"({"type":"string","enum":["POST","PUT"]})", method_problem};
// "x-secret" beside the table's writeOnly: the host redacts a property marked either way.
const sy::sdk::SettingKind kHeadersKind{
    "object (name → value)", R"({"type":"object","additionalProperties":{"type":"string"},"x-secret":true})",
    headers_problem};
const sy::sdk::SettingKind kBatchSizeKind{"integer (1 … 1000)", R"({"type":"integer","minimum":1,"maximum":1000})",
                                          batch_size_problem};
const sy::sdk::SettingKind kRateKind{"number (requests/s)", R"({"type":"number","exclusiveMinimum":0})",
                                     requests_per_second_problem};

void store_headers(Settings &s, const json &value) {
    for (const auto &[name, header_value] : value.items())
        s.headers.push_back({name, sy::sdk::Secret(header_value.get<std::string>())});
}

constexpr std::array kRows = std::to_array<Setting<Settings>>({
    {{"url", &kinds::kUrl, "", true, true,
      "Where requests go: an absolute https:// URL (http:// only for a loopback host). Secret, since hook URLs "
      "often carry a token."},
     [](Settings &s, const json &v) { s.url = sy::sdk::Secret(v.get<std::string>()); }},
    {{"method", &kMethodKind, R"("POST")", false, false, "HTTP method of every request."},
     [](Settings &s, const json &v) { s.method = v.get<std::string>(); }},
    {{"headers", &kHeadersKind, "{}", false, true,
      "Extra request headers, e.g. {\"Authorization\": \"Bearer ${HOOK_TOKEN}\"}; values are secrets. "
      "Content-Type, Content-Length, Host, Transfer-Encoding and Expect are refused."},
     store_headers},
    {{"batchSize", &kBatchSizeKind, "1", false, false,
      "Events per request: 1 sends each event as a JSON object; more sends a JSON array of up to this many."},
     [](Settings &s, const json &v) { s.batch_size = v.get<uint32_t>(); }},
    {{"timeoutMs", &kinds::kMilliseconds, "10000", false, false,
      "Whole-request timeout in ms (connecting takes at most 5000 of them)."},
     [](Settings &s, const json &v) { s.timeout_ms = v.get<uint32_t>(); }},
    {{"requestsPerSecond", &kRateKind, "", false, false,
      "At most this many requests per second; the host paces the destination's requests to it. Absent: no pacing."},
     [](Settings &s, const json &v) { s.requests_per_second = v.get<double>(); }},
});

}  // namespace

const sy::sdk::SettingsTable<Settings> &settings_table() {
    static const sy::sdk::SettingsTable<Settings> table("webhook destination settings", kRows);
    return table;
}

SettingsParse parse_settings(std::string_view settings_json) { return settings_table().parse(settings_json); }

}  // namespace webhook
