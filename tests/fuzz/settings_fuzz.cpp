// Fuzzes the plugin's settings parser through the C ABI: the input is the settings JSON given
// to init() of the built iterable.so, as the host gives a destination's settings. A refusal
// must be one sentence that does not leak the API key; an accepted instance must transform.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tests/fuzz/fuzz_destination.h"

namespace switchyard::fuzz {
namespace {

constexpr std::string_view kEvent = R"({"type":"track","userId":"u1","event":"Signed Up","properties":{"plan":"pro"}})";

size_t occurrences(std::string_view text, std::string_view part) {
    size_t count = 0;
    for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

// The apiKey of the input when it is long and unique enough to recognise in an error message.
std::string recognisable_api_key(std::string_view settings) {
    const nlohmann::json json = nlohmann::json::parse(settings, nullptr, false);
    if (!json.is_object() || !json.contains("apiKey") || !json["apiKey"].is_string()) return {};
    const std::string key = json["apiKey"].get<std::string>();
    return key.size() >= 8 && occurrences(settings, key) == 1 ? key : std::string();
}

void check_refusal(std::string_view settings, const std::string &error) {
    const std::string_view reason = std::string_view(error).substr(error.find("init refused: ") + 14);
    if (reason.empty() || reason == "no reason given") contract_broken("init refused without a reason");
    if (const std::string key = recognisable_api_key(settings); !key.empty() && reason.find(key) != std::string::npos)
        contract_broken("the refusal shows the API key: " + error);
}

void check_instance(const Destination &destination) {
    const sy_str_view event{kEvent.data(), kEvent.size()};
    const TransformResult result = destination.transform({&event, 1}, SY_BATCH_NONE);
    if (!result) contract_broken("an accepted instance returned no transform result");
    if (result->request_count + result->error_count == 0) contract_broken("an accepted instance dropped the event");
    const std::span<const sy_rate_limit> limits = destination.rate_limits();
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
