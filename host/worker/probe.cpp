// `--probe FILE [--named-as NAME] [--init]`: loads FILE with load_plugin, exactly as the host
// would, and answers on stdout (host/isolation/probe_answer.h). With --init it then reads settings
// documents from stdin, one JSON object per line, and makes and destroys an instance of each. A
// plugin that crashes or hangs here takes down only this process, which is the point.
#include <fcntl.h>
#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "host/isolation/probe_answer.h"
#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"
#include "host/worker/modes.h"

namespace switchyard::worker {
namespace {

struct ProbeRequest {
    std::string file, named_as;  // cppcheck-suppress unusedStructMember
    bool init = false;
};

std::optional<ProbeRequest> parse(std::span<const std::string_view> words) {
    if (words.empty() || words[0].starts_with("--")) return std::nullopt;
    ProbeRequest request{std::string(words[0]), {}, false};
    for (size_t i = 1; i < words.size(); ++i) {
        if (words[i] == "--init") request.init = true;
        else if (words[i] == "--named-as" && i + 1 < words.size()) request.named_as = words[++i];
        else return std::nullopt;
    }
    return request;
}

// The descriptor the answer goes to: stdout as it was. Stdout itself then points at stderr, so
// that nothing a plugin prints can pass for an answer line.
int claim_stdout() {
    const int answer = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    ::dup2(STDERR_FILENO, STDOUT_FILENO);
    return answer;
}

// Plugins' own output goes nowhere while they hold settings: this process has not registered the
// host's secrets with its log, so what a plugin logs here is not redacted. The host's own init
// of the same settings logs it, redacted.
void silence_plugin_output() {
    const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::close(null);
}

// One line, written at once: the host counts the lines that arrived before a crash.
void answer_line(int answer, std::string line) {
    for (char &c : line)
        if (c == '\n' || c == '\r') c = ' ';
    line += '\n';
    for (size_t written = 0; written < line.size();) {
        const ssize_t n = ::write(answer, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;  // the host went away; nobody is left to tell
        written += static_cast<size_t>(n);
    }
}

void initialise_each(const std::shared_ptr<const PluginLibrary> &plugin, int answer) {
    std::vector<std::string> documents;
    for (std::string line; std::getline(std::cin, line);)
        if (!line.empty()) documents.push_back(std::move(line));
    silence_plugin_output();
    for (const std::string &settings : documents) {
        std::string error;
        const bool made = Destination::create(plugin, "probe", settings, error) != nullptr;  // destroyed at once
        answer_line(answer, made ? std::string(kInitOkLine) : std::string(kInitRefusedPrefix) + error);
    }
}

}  // namespace

int probe(std::span<const std::string_view> arguments) {
    const std::optional<ProbeRequest> request = parse(arguments);
    if (!request) {
        std::cerr << "switchyard-worker: usage: --probe FILE [--named-as NAME] [--init] (settings on stdin, one JSON "
                     "object per line)\n";
        return kProbeUsage;
    }
    const int answer = claim_stdout();
    const LoadOutcome loaded = load_plugin(request->file, request->named_as);
    if (!loaded.plugin) {
        answer_line(answer, loaded.refusal);
        return kProbeRefused;
    }
    answer_line(answer, std::string(kLoadedLine));
    if (request->init) initialise_each(loaded.plugin, answer);
    return kProbeLoaded;
}

}  // namespace switchyard::worker
