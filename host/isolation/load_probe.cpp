// Probing a plugin in a child (load_probe.h): the exchange with `switchyard-worker --probe` over
// its stdin/stdout, bounded by a deadline, and the child's end read into a sentence.
#include "host/isolation/load_probe.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <optional>

#include "host/config/quantities.h"
#include "host/isolation/child_process.h"
#include "host/isolation/probe_answer.h"
#include "host/isolation/worker_executable.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;


int milliseconds_until(Clock::time_point deadline) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<decltype(left)>(left, 0, 60'000));
}

// Writes `input` to the child and reads what it answers until it closes its end: true, or until
// `deadline`: false. The socket is non-blocking, so a child that neither reads nor answers
// cannot stall the host past the deadline.
bool exchange(int socket, const std::string &input, Clock::time_point deadline, std::string &output) {
    ::fcntl(socket, F_SETFL, ::fcntl(socket, F_GETFL) | O_NONBLOCK);
    size_t sent = 0;
    bool writing = true;
    auto stop_writing = [&] {
        ::shutdown(socket, SHUT_WR);  // the child's end of input
        writing = false;
    };
    if (input.empty()) stop_writing();
    std::array<char, 4096> chunk;
    for (;;) {
        pollfd watched{socket, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
        const int ready = ::poll(&watched, 1, milliseconds_until(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) return false;
        if (writing && (watched.revents & POLLOUT)) {
            const ssize_t n = ::send(socket, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
            if (n > 0) sent += static_cast<size_t>(n);
            if (sent == input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) stop_writing();
        }
        if (watched.revents & (POLLIN | POLLHUP | POLLERR)) {
            const ssize_t n = ::read(socket, chunk.data(), chunk.size());
            if (n > 0) output.append(chunk.data(), static_cast<size_t>(n));
            else if (n == 0 || (errno != EAGAIN && errno != EINTR)) return true;
        }
    }
}

// The complete lines of `output` (a line cut short by a crash is not an answer).
std::vector<std::string> lines_of(const std::string &output) {
    std::vector<std::string> lines;
    for (size_t start = 0, end; (end = output.find('\n', start)) != std::string::npos; start = end + 1)
        lines.push_back(output.substr(start, end - start));
    return lines;
}

// Settings JSON on one line: JSON allows a raw line break only as whitespace between tokens.
std::string settings_lines(const std::vector<std::string> &documents) {
    std::string input;
    for (std::string document : documents) {
        std::replace(document.begin(), document.end(), '\n', ' ');
        input += document + "\n";
    }
    return input;
}

// What the child said after loading: one entry per settings document it answered for.
std::vector<std::string> init_answers(const std::vector<std::string> &lines) {
    std::vector<std::string> answers;
    for (size_t i = 1; i < lines.size(); ++i) {
        const std::string_view line = lines[i];
        answers.push_back(line.starts_with(kInitRefusedPrefix) ? std::string(line.substr(kInitRefusedPrefix.size())) : "");
    }
    return answers;
}

// The refusal a child's end amounts to, given what it answered before it.
std::string verdict(const std::string &name, int wait_status, const std::vector<std::string> &lines,
                    size_t documents) {
    const bool loaded = !lines.empty() && lines.front() == kLoadedLine;
    const std::string doing = loaded ? "initialising" : "loading";
    if (WIFSIGNALED(wait_status)) return name + ": crashed while " + doing + " (" + describe_exit(wait_status) + ")";
    const int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
    if (code == kProbeRefused && !lines.empty()) return lines.front();
    if (code == kProbeLoaded && loaded && lines.size() == documents + 1) return "";
    return name + ": ended its plugin worker while " + doing + " (" + describe_exit(wait_status) + ")";
}

}  // namespace

ProbeOutcome probe_plugin(const fs::path &file, const fs::path &named_as, const std::vector<std::string> &init_settings,
                          std::chrono::milliseconds deadline) {
    const std::string name = (named_as.empty() ? file : named_as).string();
    std::vector<std::string> arguments{"--probe", file.string()};
    if (!named_as.empty()) arguments.insert(arguments.end(), {"--named-as", named_as.string()});
    if (!init_settings.empty()) arguments.emplace_back("--init");
    const auto until = Clock::now() + deadline;

    std::string error;
    std::optional<ChildProcess> child = ChildProcess::spawn(worker_executable(), arguments, error, StandardStreams::on_socket);
    if (!child) return {name + ": cannot be loaded in a plugin worker first: " + error, {}};
    std::string output;
    const bool finished = exchange(child->socket(), settings_lines(init_settings), until, output);
    const std::optional<int> status = finished ? child->wait_for_exit(std::chrono::milliseconds(milliseconds_until(until)))
                                               : std::nullopt;
    const std::vector<std::string> lines = lines_of(output);
    ProbeOutcome outcome{{}, init_answers(lines)};
    if (!status) {
        child->kill();
        const std::string doing = !lines.empty() && lines.front() == kLoadedLine ? "initialising" : "loading";
        outcome.refusal = name + ": did not finish " + doing + " within " + describe_duration(deadline) +
                          " (its plugin worker was killed)";
        return outcome;
    }
    outcome.refusal = verdict(name, *status, lines, init_settings.size());
    return outcome;
}

LoadOutcome load_plugin_probed(const fs::path &file, const fs::path &named_as) {
    if (std::string refusal = probe_plugin(file, named_as).refusal; !refusal.empty()) return {nullptr, std::move(refusal)};
    return load_plugin(file, named_as);
}

DirectoryLoad load_plugin_directory_probed(const fs::path &dir) {
    return load_plugin_directory(dir, [](const fs::path &file) { return load_plugin_probed(file); });
}

}  // namespace switchyard
