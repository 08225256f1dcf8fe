#include "tests/e2e/host_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace switchyard::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(20);
constexpr std::string_view kListening = "Listening on 127.0.0.1:";  // in logfmt and JSON lines alike

}  // namespace

HostProcess::HostProcess(std::filesystem::path config_dir, std::filesystem::path data_dir,
                         std::filesystem::path plugin_dir, std::vector<std::string> extra_flags)
    : config_dir_(std::move(config_dir)),
      data_dir_(std::move(data_dir)),
      plugin_dir_(std::move(plugin_dir)),
      extra_flags_(std::move(extra_flags)),
      log_file_(data_dir_.string() + ".log") {}

HostProcess::~HostProcess() { kill9(); }

void HostProcess::start() {
    const size_t log_size_before = log().size();
    std::vector<std::string> args = {SWITCHYARD_BIN, "serve",         "--config-dir", config_dir_.string(),
                                      "--plugin-dir",  plugin_dir_.string(), "--data-dir",   data_dir_.string(),
                                      "--listen",      "127.0.0.1:0"};
    args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
    std::vector<char *> argv;
    for (std::string &arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        const int fd = ::open(log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::execv(SWITCHYARD_BIN, argv.data());
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const std::string text = log().substr(log_size_before);
        if (const size_t at = text.find(kListening); at != std::string::npos) {
            port_ = std::stoi(text.substr(at + kListening.size()));
            return;
        }
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw std::runtime_error("the host exited at start:\n" + text);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill9();
    throw std::runtime_error("the host did not listen within 20 s:\n" + log().substr(log_size_before));
}

void HostProcess::kill9() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

int HostProcess::terminate() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::optional<int> HostProcess::ended() {
    int status = 0;
    if (pid_ <= 0 || ::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    pid_ = -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

std::string HostProcess::log() const {
    std::ifstream in(log_file_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::unique_ptr<httplib::Client> HostProcess::client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_tcp_nodelay(true);
    client->set_read_timeout(30, 0);
    return client;
}

}  // namespace switchyard::testing
