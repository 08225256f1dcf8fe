// A `switchyard serve` child process for end-to-end tests: its own config and data
// directories, an ephemeral port read from its log, and the ways an operator stops it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>

namespace switchyard::testing {

class HostProcess {
   public:
    // `config_dir` holds the workspace files; the data directory persists across restarts.
    // `extra_flags` follow the ones the tests always give (directories, --listen 127.0.0.1:0).
    HostProcess(std::filesystem::path config_dir, std::filesystem::path data_dir,
                std::filesystem::path plugin_dir = PLUGIN_DIR, std::vector<std::string> extra_flags = {});
    ~HostProcess();
    HostProcess(const HostProcess &) = delete;
    HostProcess &operator=(const HostProcess &) = delete;

    // Starts the host and waits until it listens; throws with its log when it does not.
    void start();
    void kill9();
    // SIGTERM, then waits for the exit; returns the exit status (-1 if killed by a signal).
    int terminate();
    // Once the host has ended by itself: the signal that ended it, or 0 when it exited; nullopt
    // while it runs. Does not wait.
    std::optional<int> ended();

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    // Everything the host has logged (stderr and stdout), across restarts.
    std::string log() const;
    std::unique_ptr<httplib::Client> client() const;

   private:
    std::filesystem::path config_dir_;
    std::filesystem::path data_dir_;
    std::filesystem::path plugin_dir_;
    std::vector<std::string> extra_flags_;
    std::filesystem::path log_file_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace switchyard::testing
