// A child process of the host, joined to it by a socket: the plugin worker (host/worker/).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace switchyard {

// What the child's stdin and stdout are.
enum class StandardStreams {
    inherited,  // the host's own
    on_socket,  // its end of the socket too: a child that talks on stdin/stdout (`--probe`) talks to socket()
};

// The child gets the other end of a socketpair as its descriptor 3, the host's stderr, and stdin
// and stdout as `streams` says; no other descriptor of the host. Destroying it kills (SIGKILL)
// and reaps a child still running.
class ChildProcess {
   public:
    static constexpr int kChildSocket = 3;

    // Starts `executable` with `arguments` (argv[1...]). On failure returns nullopt and sets
    // `error` to one sentence.
    static std::optional<ChildProcess> spawn(const std::filesystem::path &executable,
                                             const std::vector<std::string> &arguments, std::string &error,
                                             StandardStreams streams = StandardStreams::inherited);
    ChildProcess(ChildProcess &&other) noexcept;
    ChildProcess &operator=(ChildProcess &&other) noexcept;
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;
    ~ChildProcess();

    pid_t pid() const { return pid_; }
    int socket() const { return socket_; }

    // Waits up to `timeout` for the child to end; its wait status, nullopt while it runs.
    std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);
    // SIGKILL, then reaps it; the wait status.
    int kill();

   private:
    ChildProcess(pid_t pid, int socket) : pid_(pid), socket_(socket) {}
    void reset();
    pid_t pid_ = -1;
    int socket_ = -1;
    std::optional<int> status_;  // once reaped
};

// How a child ended, for log lines and dead-letter reasons: "SIGSEGV", "SIGABRT", "exit code 3".
std::string describe_exit(int wait_status);

}  // namespace switchyard
