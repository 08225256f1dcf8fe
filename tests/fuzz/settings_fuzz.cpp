// Fuzzes the plugin's settings parser through the C ABI: the input is the settings JSON given
// to init() of the built iterable.so, as the host gives a destination's settings. A refusal
// must give a reason that shows no secret; an accepted instance must transform.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tests/fuzz/fuzz_destination.h"

namespace switchyard::fuzz {
namespace {

constexpr std::string_view kEvent = R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"pro"}})";

// Stands in for the secrets when checking a refusal: text no message of the plugin contains.
constexpr std::string_view kSecretMarker = "sy-fuzz-secret-5f0c2e";

// The input with every secret that is a string replaced by the marker; "" when there is none.
std::string with_marked_secrets(std::string_view settings) {
    // The fuzzer learns the marker from the comparisons below; an input that already holds it
    // cannot tell an echoed secret from echoed input.
    if (settings.find(kSecretMarker) != std::string_view::npos) return {};
    nlohmann::json json = nlohmann::json::parse(settings, nullptr, false);
    if (!json.is_object()) return {};
    bool marked = false;
    for (const char *secret : {"apiKey", "registerDeviceOrBrowserApiKey"}) {
        if (!json.contains(secret) || !json[secret].is_string()) continue;
        json[secret] = kSecretMarker;
        marked = true;
    }
    return marked ? json.dump() : std::string();
}

void check_refusal(std::string_view settings, const std::string &error) {
    const std::string_view reason = std::string_view(error).substr(error.find("init refused: ") + 14);
    if (reason.empty() || reason == "no reason given") contract_broken("init refused without a reason");
    // Whatever else is wrong, the sentence must not show a secret (settings.h: "never containing a secret").
    const std::string marked = with_marked_secrets(settings);
    if (marked.empty()) return;
    std::string marked_error;
    if (!Destination::create(iterable_plugin(), "fuzz", marked, marked_error) &&
        marked_error.find(kSecretMarker) != std::string::npos)
        contract_broken("the refusal shows a secret: " + marked_error);
}

void check_instance(const Destination &destination) {
    const sy_str_view event{kEvent.data(), kEvent.size()};
    const TransformResult result = destination.transform({&event, 1}, 1);
    if (!result) contract_broken("an accepted instance returned no usable transform result: " + result.problem());
    if (result->requests.size() + result->errors.size() == 0) contract_broken("an accepted instance dropped the event");
    const std::vector<sy_rate_limit> limits = destination.rate_limits();
    for (const sy_rate_limit &limit : limits)
        if (!(limit.requests_per_second > 0)) contract_broken("a rate limit that is not positive");
}

}  // namespace
}  // namespace switchyard::fuzz

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
    switchyard::fuzz::iterable_plugin();  // loaded before fuzzing: its coverage counts from the start
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace switchyard::fuzz;
    const std::string_view settings(reinterpret_cast<const char *>(data), size);
    std::string error;
    const auto destination = switchyard::Destination::create(iterable_plugin(), "fuzz", settings, error);
    if (destination) check_instance(*destination);
    else check_refusal(settings, error);
    return 0;
}
