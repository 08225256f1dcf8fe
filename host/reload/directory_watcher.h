// Watches the plugin and config directories (inotify) and calls back once they have been quiet
// for a moment after a relevant change, so a file still being written is not read half-way.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace switchyard {

class DirectoryWatcher {
   public:
    // Relevant: a file named *.so, *.yaml or *.yml (or Kubernetes' ..data) closed after writing,
    // renamed into or out of a directory, or deleted. `on_change` runs on the watcher's thread, `quiet` after the last
    // such event (at most `max_delay` after the first, so a steady trickle cannot starve it).
    // Throws std::runtime_error when inotify is unavailable or a directory cannot be watched.
    DirectoryWatcher(const std::vector<std::filesystem::path> &dirs, std::function<void()> on_change,
                     std::chrono::milliseconds quiet = std::chrono::milliseconds(300),
                     std::chrono::milliseconds max_delay = std::chrono::seconds(5));
    ~DirectoryWatcher();
    DirectoryWatcher(const DirectoryWatcher &) = delete;
    DirectoryWatcher &operator=(const DirectoryWatcher &) = delete;

   private:
    void run();
    bool relevant_events();  // drains what inotify has; true if any event concerns our files
    void close_fds();

    int inotify_fd_ = -1;
    int stop_fd_ = -1;  // an eventfd: written by the destructor to end run()
    std::function<void()> on_change_;
    std::chrono::milliseconds quiet_, max_delay_;
    std::thread thread_;
};

}  // namespace switchyard
