// Spawning and reaping the plugin worker with posix_spawn: no fork of a multi-threaded host.
#include "host/isolation/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <thread>

extern char **environ;

namespace switchyard {
namespace {

std::string errno_text(int error) { return std::generic_category().message(error); }

// The child's end must not already be one of the descriptors it is duplicated to (0, 1 or 3):
// dup2 onto itself would keep FD_CLOEXEC.
int away_from_child_slot(int fd) {
    if (fd > ChildProcess::kChildSocket) return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, ChildProcess::kChildSocket + 1);
    ::close(fd);
    return moved;
}

}  // namespace

std::optional<ChildProcess> ChildProcess::spawn(const std::filesystem::path &executable,
                                                const std::vector<std::string> &arguments, std::string &error,
                                                StandardStreams streams) {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
        error = "cannot create a socket pair for " + executable.string() + ": " + errno_text(errno);
        return std::nullopt;
    }
    const int child_end = away_from_child_slot(ends[1]);
    std::vector<std::string> words{executable.string()};
    words.insert(words.end(), arguments.begin(), arguments.end());
    std::vector<char *> argv;
    argv.reserve(words.size() + 1);
    for (std::string &word : words) argv.push_back(word.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, child_end, kChildSocket);
    if (streams == StandardStreams::on_socket) {
        posix_spawn_file_actions_adddup2(&actions, child_end, STDIN_FILENO);
        posix_spawn_file_actions_adddup2(&actions, child_end, STDOUT_FILENO);
    }
    pid_t spawned = -1;
    const int failed = ::posix_spawn(&spawned, executable.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(child_end);
    if (failed != 0) {
        ::close(ends[0]);
        error = "cannot start " + executable.string() + ": " + errno_text(failed);
        return std::nullopt;
    }
    return ChildProcess(spawned, ends[0]);
}

ChildProcess::ChildProcess(ChildProcess &&other) noexcept { *this = std::move(other); }

ChildProcess &ChildProcess::operator=(ChildProcess &&other) noexcept {
    if (this != &other) {
        reset();
        std::swap(pid_, other.pid_);
        std::swap(socket_, other.socket_);
        std::swap(status_, other.status_);
    }
    return *this;
}

ChildProcess::~ChildProcess() { reset(); }

void ChildProcess::reset() {
    if (pid_ > 0 && !status_) kill();
    if (socket_ >= 0) ::close(socket_);
    pid_ = -1;
    socket_ = -1;
    status_.reset();
}

std::optional<int> ChildProcess::wait_for_exit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (auto pause = std::chrono::microseconds(100); !status_; pause = std::min(pause * 2, std::chrono::microseconds(20000))) {
        int status = 0;
        const pid_t reaped = ::waitpid(pid_, &status, WNOHANG);
        if (reaped == pid_ || (reaped < 0 && errno != EINTR)) {
            status_ = reaped == pid_ ? status : 0;
            break;
        }
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(pause);
    }
    return status_;
}

int ChildProcess::kill() {
    if (status_) return *status_;
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    status_ = status;
    return status;
}

std::string describe_exit(int wait_status) {
    if (WIFSIGNALED(wait_status)) {
        const int signal = WTERMSIG(wait_status);
        const char *abbreviation = ::sigabbrev_np(signal);
        return abbreviation != nullptr ? "SIG" + std::string(abbreviation) : "signal " + std::to_string(signal);
    }
    if (WIFEXITED(wait_status)) return "exit code " + std::to_string(WEXITSTATUS(wait_status));
    return "status " + std::to_string(wait_status);
}

}  // namespace switchyard
