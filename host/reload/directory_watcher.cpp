#include "host/reload/directory_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <stdexcept>
#include <system_error>

namespace switchyard {
namespace {

using Clock = std::chrono::steady_clock;

// Closing after a write (cp, a compiler), renames (install, mv, editors) and deletions; not
// IN_MODIFY or IN_CREATE, which fire while a file is still being written.
constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;

// Plugin and workspace files; and "..data", which Kubernetes renames into place to update a
// mounted ConfigMap (the workspace files are symlinks through it).
bool watched_name(std::string_view name) {
    if (name == "..data") return true;
    for (std::string_view suffix : {".so", ".yaml", ".yml"})
        if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) return true;
    return false;
}

}  // namespace

DirectoryWatcher::DirectoryWatcher(const std::vector<std::filesystem::path> &dirs, std::function<void()> on_change,
                                   std::chrono::milliseconds quiet, std::chrono::milliseconds max_delay)
    : on_change_(std::move(on_change)), quiet_(quiet), max_delay_(max_delay) {
    inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
    if (inotify_fd_ < 0 || stop_fd_ < 0) {
        const std::string why = std::generic_category().message(errno);
        close_fds();
        throw std::runtime_error("cannot watch for changes: " + why);
    }
    for (const std::filesystem::path &dir : dirs) {
        if (::inotify_add_watch(inotify_fd_, dir.c_str(), kMask) < 0) {
            const std::string why = std::generic_category().message(errno);
            close_fds();
            throw std::runtime_error("cannot watch " + dir.string() + ": " + why);
        }
    }
    thread_ = std::thread([this] { run(); });
}

DirectoryWatcher::~DirectoryWatcher() {
    if (thread_.joinable()) {
        const uint64_t one = 1;
        [[maybe_unused]] const ssize_t written = ::write(stop_fd_, &one, sizeof one);  // cannot fail: a fresh eventfd
        thread_.join();
    }
    close_fds();
}

void DirectoryWatcher::close_fds() {
    if (inotify_fd_ >= 0) ::close(inotify_fd_);
    if (stop_fd_ >= 0) ::close(stop_fd_);
    inotify_fd_ = stop_fd_ = -1;
}

// Waits for a relevant event, then for quiet (or max_delay), then calls back; repeats.
void DirectoryWatcher::run() {
    std::optional<Clock::time_point> first, last;  // of the pending burst of changes
    while (true) {
        int timeout_ms = -1;
        if (last) {
            const Clock::time_point due = std::min(*last + quiet_, *first + max_delay_);
            timeout_ms = static_cast<int>(
                std::max<int64_t>(0, std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now()).count()));
        }
        pollfd fds[] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
        const int ready = ::poll(fds, 2, timeout_ms);
        if (ready < 0 && errno != EINTR) return;
        if (fds[1].revents != 0) return;
        if (fds[0].revents != 0 && relevant_events()) {
            last = Clock::now();
            if (!first) first = last;
            continue;
        }
        if (last && Clock::now() >= std::min(*last + quiet_, *first + max_delay_)) {
            first.reset();
            last.reset();
            on_change_();
        }
    }
}

// NOLINTNEXTLINE(readability-make-member-function-const): it drains the inotify queue, state the fd does not show
bool DirectoryWatcher::relevant_events() {
    alignas(inotify_event) char buffer[16 * 1024];
    bool relevant = false;
    while (true) {
        const ssize_t length = ::read(inotify_fd_, buffer, sizeof buffer);
        if (length <= 0) return relevant;  // EAGAIN: drained
        for (ssize_t at = 0; at < length;) {
            const auto *event = reinterpret_cast<const inotify_event *>(buffer + at);
            relevant |= (event->mask & IN_Q_OVERFLOW) != 0 || (event->len > 0 && watched_name(event->name));
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
    }
}

}  // namespace switchyard
