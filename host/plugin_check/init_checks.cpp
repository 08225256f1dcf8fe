// The checks on init and destroy: refusing what is not this plugin's settings, each time with a
// sentence, and building and freeing an instance again and again.
#include <string_view>

#include "host/plugin/destination.h"
#include "host/plugin_check/checks.h"

namespace switchyard::plugin_check {
namespace {

constexpr int kInitRounds = 50;

// Settings texts no plugin may accept: each is not a JSON object.
constexpr std::pair<std::string_view, std::string_view> kGarbage[] = {
    {"text that is not JSON", "plugin-check: not json"},
    {"a JSON array", "[]"},
    {"a JSON string", "\"settings\""},
    {"JSON null", "null"},
    {"a JSON number", "42"},
};

struct InitAttempt {
    bool accepted = false;
    std::string sentence;  // the plugin's, when refused; empty when it gave none
};

// Through the host's wrapper, as `serve` and `check` call it; the instance is destroyed at once.
InitAttempt try_init(const Subject &subject, std::string_view settings) {
    std::string error;
    if (Destination::create(subject.plugin, "plugin-check", settings, error)) return {true, {}};
    constexpr std::string_view kMarker = "init refused: ", kNoReason = "no reason given";
    const size_t at = error.find(kMarker);
    std::string sentence = at == std::string::npos ? error : error.substr(at + kMarker.size());
    return {false, sentence == kNoReason ? std::string() : sentence};
}

}  // namespace

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_init_refuses_empty(Subject &subject) {
    if (!subject.given_settings || *subject.given_settings == "{}")
        return skipped("no --settings other than {} given, so {} is the settings under test");
    const InitAttempt attempt = try_init(subject, "{}");
    if (attempt.accepted)
        return failed("init accepted {} although the plugin is given settings (--settings): a destination missing its "
                      "settings would start.");
    if (attempt.sentence.empty()) return failed("init refused {} without a sentence saying why.");
    return passed();
}

// cppcheck-suppress constParameter ; every check has the signature of the check list's entries
Verdict check_init_refuses_garbage(Subject &subject) {
    for (const auto &[what, text] : kGarbage) {
        const InitAttempt attempt = try_init(subject, text);
        if (attempt.accepted)
            return failed("init accepted " + std::string(what) + " as settings: " + std::string(text));
        if (attempt.sentence.empty())
            return failed("init refused " + std::string(what) + " without a sentence saying why.");
    }
    return passed();
}

Verdict check_init_destroy_repeated(Subject &subject) {
    const std::string settings = subject.given_settings.value_or("{}");
    for (int round = 1; round <= kInitRounds; ++round) {
        const InitAttempt attempt = try_init(subject, settings);
        if (attempt.accepted) continue;
        if (round > 1)
            return failed("init refused in round " + std::to_string(round) + " of " + std::to_string(kInitRounds) +
                          " the settings it accepted before: " + attempt.sentence);
        if (!subject.given_settings)
            return failed("init refuses {} (\"" + attempt.sentence +
                          "\"): give this plugin's settings with --settings FILE.");
        return failed("init refused the settings of --settings: " + attempt.sentence);
    }
    subject.settings = settings;
    return passed();
}

}  // namespace switchyard::plugin_check
