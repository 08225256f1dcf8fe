// Supervising one plugin worker: starting it, handing out channels, noticing how it ended,
// restarting it with backoff, and keeping it within its memory limit.
#include "host/isolation/plugin_worker.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "host/config/quantities.h"
#include "host/isolation/worker_executable.h"
#include "host/log/log.h"
#include "host/plugin/connection_advice.h"

namespace switchyard {
namespace {

constexpr auto kLoadDeadline = std::chrono::seconds(30);  // a worker that has not loaded its plugin by then is killed
constexpr auto kInitDeadline = std::chrono::seconds(60);  // each instance made again after a restart
constexpr auto kFirstBackoff = std::chrono::milliseconds(50);  // restarts after the second crash in a row wait
constexpr auto kLongestBackoff = std::chrono::seconds(5);
constexpr int kChannelBuffer = 4 << 20;  // bytes a channel end may have in flight
constexpr auto kMemoryCheckSpacing = std::chrono::milliseconds(100);


wire::Deadline deadline_in(std::chrono::milliseconds timeout) { return std::chrono::steady_clock::now() + timeout; }

// Resident bytes of `pid`, or 0 when unknown.
uint64_t resident_bytes(pid_t pid) {
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    uint64_t size = 0, resident = 0;
    if (!(statm >> size >> resident)) return 0;
    return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

std::string mebibytes(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

// The host's connection advice, for the worker to give its instances as this process does.
void append_connection_advice(std::vector<std::string> &arguments) {
    const ConnectionAdvice advice = connection_advice();
    if (advice.connections_per_host > 0)
        arguments.insert(arguments.end(), {"--connections-per-host", std::to_string(advice.connections_per_host)});
    if (advice.idle_connection_timeout_ms > 0)
        arguments.insert(arguments.end(),
                         {"--idle-connection-timeout-ms", std::to_string(advice.idle_connection_timeout_ms)});
}

}  // namespace

PluginWorker::PluginWorker(std::shared_ptr<const PluginLibrary> plugin, uint64_t memory_limit)
    : plugin_(std::move(plugin)), memory_limit_(memory_limit) {}

PluginWorker::~PluginWorker() {
    std::lock_guard lock(mutex_);
    for (const Channel &channel : free_) ::close(channel.fd);
}

std::string PluginWorker::component() const { return "isolation:" + plugin_->name(); }

size_t PluginWorker::instance_count() const {
    std::lock_guard lock(mutex_);
    return made_.size();
}

std::optional<uint64_t> PluginWorker::create(const std::string &id, const std::string &settings_json,
                                             std::string &error, std::vector<wire::Effect> &effects) {
    std::vector<Creation> made = create_all({{id, settings_json}});
    error = std::move(made.front().error);
    effects = std::move(made.front().effects);
    return made.front().key;
}

std::vector<PluginWorker::Creation> PluginWorker::create_all(
    const std::vector<std::pair<std::string, std::string>> &instances) {
    std::vector<Creation> out(instances.size());
    std::string error;
    const std::optional<Channel> channel = acquire(error);
    if (!channel) {
        for (Creation &c : out) c.error = plugin_->path().string() + ": the plugin worker " + error;
        return out;
    }
    std::vector<uint64_t> keys;
    std::vector<std::string> requests;
    {
        std::lock_guard lock(mutex_);
        for (const auto &[id, settings_json] : instances) {
            const uint64_t key = next_key_++;
            made_[key] = Made{id, settings_json};  // before the call: a worker started meanwhile makes it too
            keys.push_back(key);
            requests.push_back(create_request(key, made_[key]));
        }
    }
    const std::vector<CallReply> replies =
        exchange(*channel, requests, kInitDeadline, "init", instances.size() == 1 ? instances.front().first : "");
    for (size_t i = 0; i < out.size(); ++i) out[i] = creation(replies[i], keys[i]);
    {
        std::lock_guard lock(mutex_);
        for (size_t i = 0; i < out.size(); ++i)
            if (!out[i].key) made_.erase(keys[i]);
    }
    // The worker reads a channel's requests in order: the first init it did not answer ended it,
    // and the ones after that were never read. They go to its successor, not blamed for its end.
    const auto ended = std::find_if(replies.begin(), replies.end(), [](const CallReply &r) { return !r.message; });
    const size_t unread = static_cast<size_t>(ended - replies.begin()) + 1;
    if (ended != replies.end() && !ended->crash.empty() && unread < instances.size()) {
        const std::vector<std::pair<std::string, std::string>> rest(
            instances.begin() + static_cast<std::ptrdiff_t>(unread), instances.end());
        std::vector<Creation> again = create_all(rest);
        std::move(again.begin(), again.end(), out.begin() + static_cast<std::ptrdiff_t>(unread));
    }
    return out;
}

// The answer to the init of the instance under `key`: made, or why not.
PluginWorker::Creation PluginWorker::creation(const CallReply &reply, uint64_t key) const {
    Creation made;
    if (!reply.message) {
        made.error = plugin_->path().string() + ": the plugin worker " + reply.crash + " during init";
        return made;
    }
    wire::Reader in(*reply.message);
    const bool initialised = in.get<uint8_t>() != 0;
    made.error = in.bytes();
    made.effects = wire::get_effects(in);
    if (initialised && in.at_end()) made.key = key;
    else if (made.error.empty())
        made.error = plugin_->path().string() + ": the plugin worker's answer to init was garbled";
    return made;
}

std::string PluginWorker::create_request(uint64_t key, const Made &made) {
    wire::Writer request;
    request.put(wire::Op::create);
    request.put(key);
    request.put(std::string_view(made.id));
    request.put(std::string_view(made.settings_json));
    return std::move(request.framed());
}

void PluginWorker::destroy(uint64_t key) {
    {
        std::lock_guard lock(mutex_);
        made_.erase(key);
        if (!child_) return;
    }
    wire::Writer request;
    request.put(wire::Op::destroy);
    request.put(key);
    call(request.framed(), kInitDeadline, "destroy", "");  // a lost answer leaves nothing to do
}

CallReply PluginWorker::call(const std::string &request, std::chrono::milliseconds timeout, std::string_view what,
                             std::string_view destination) {
    std::string error;
    const std::optional<Channel> channel = acquire(error);
    if (!channel) return {nullptr, {}, "the plugin worker " + error};
    return std::move(exchange(*channel, {request}, timeout, what, destination).front());
}

std::vector<CallReply> PluginWorker::call_all(const std::vector<std::string> &requests,
                                              std::chrono::milliseconds timeout, std::string_view what) {
    std::string error;
    const std::optional<Channel> channel = acquire(error);
    if (!channel) return std::vector<CallReply>(requests.size(), CallReply{nullptr, {}, "the plugin worker " + error});
    return exchange(*channel, requests, timeout, what, "");
}

// Every request written before the first answer is read. The first answer is due `timeout` after
// the start, as a lone call's; each later one `timeout` after the one before it (the worker serves
// them one after the other), so every call keeps its own deadline. From the first that fails on,
// each answer is the worker's end.
std::vector<CallReply> PluginWorker::exchange(Channel channel, const std::vector<std::string> &requests,
                                              std::chrono::milliseconds timeout, std::string_view what,
                                              std::string_view destination) {
    wire::Deadline deadline = deadline_in(timeout);
    std::vector<CallReply> replies;
    wire::Io io = wire::Io::done;
    for (size_t i = 0; i < requests.size() && io == wire::Io::done; ++i)
        io = wire::write_frame(channel.fd, requests[i], deadline);
    while (io == wire::Io::done && replies.size() < requests.size()) {
        auto reply = std::make_shared<std::string>();
        io = wire::read_frame(channel.fd, *reply, deadline);
        if (io == wire::Io::done) replies.push_back({std::move(reply), {}, {}});
        deadline = deadline_in(timeout);
    }
    if (io != wire::Io::done) {
        const std::string crash = lost(channel, io == wire::Io::timed_out, timeout, what, destination);
        replies.resize(requests.size(), {nullptr, crash, "the plugin worker " + crash + " during " + std::string(what)});
        return replies;
    }
    give_back(channel);
    check_memory();
    return replies;
}

std::optional<PluginWorker::Channel> PluginWorker::acquire(std::string &error) {
    std::unique_lock lock(mutex_);
    if (!child_ && !start(lock, error)) return std::nullopt;
    if (!free_.empty()) {
        const Channel channel = free_.back();
        free_.pop_back();
        return channel;
    }
    return open_channel(error);
}

void PluginWorker::give_back(Channel channel) {
    std::lock_guard lock(mutex_);
    crashes_in_a_row_ = 0;
    if (child_ && channel.generation == generation_)
        free_.push_back(channel);
    else
        ::close(channel.fd);
}

// Waits for the worker's word that it loaded the plugin: the problem, or empty.
std::string PluginWorker::loading_problem(ChildProcess &child) {
    std::string hello;
    if (wire::read_frame(child.socket(), hello, deadline_in(kLoadDeadline)) != wire::Io::done) {
        const std::optional<int> status = child.wait_for_exit(std::chrono::seconds(1));
        return status ? "crashed while loading (" + describe_exit(*status) + ")"
                      : "did not load the plugin within " + describe_duration(kLoadDeadline);
    }
    wire::Reader said(hello);
    if (said.get<uint8_t>() == 0) return "refused the plugin: " + std::string(said.bytes());
    return {};
}

// With the lock held. Waits out the backoff, starts the worker, makes every instance again.
bool PluginWorker::start(std::unique_lock<std::mutex> &lock, std::string &error) {
    if (const auto now = std::chrono::steady_clock::now(); now < restart_not_before_) {
        lock.unlock();
        std::this_thread::sleep_until(restart_not_before_);
        lock.lock();
        if (child_) return true;  // another caller started it meanwhile
    }
    std::vector<std::string> arguments = {"--serve", plugin_->loaded_from().string(), "--named-as",
                                          plugin_->path().string()};
    if (memory_limit_ > 0) arguments.insert(arguments.end(), {"--memory-limit", std::to_string(memory_limit_)});
    append_connection_advice(arguments);
    std::optional<ChildProcess> child = ChildProcess::spawn(worker_executable(), arguments, error);
    if (child) error = loading_problem(*child);
    if (!error.empty()) {
        log::error(component(), "Plugin worker " + error + "; it is started again at the next call.");
        stop_child(error);
        return false;
    }
    child_ = std::move(child);
    ++generation_;
    log::info(component(), "Plugin worker started (pid " + std::to_string(child_->pid()) + ", " +
                               std::to_string(made_.size()) + " instances to make).");
    return make_instances_again(error);
}

// With the lock held, in a worker just started: what its predecessor held. An instance whose
// init now fails is logged; its calls then fail until a reload replaces it.
bool PluginWorker::make_instances_again(std::string &error) {
    if (made_.empty()) return true;
    std::optional<Channel> channel = open_channel(error);
    if (!channel) return false;
    for (const auto &[key, made] : made_) {
        std::string reply;
        wire::Io io = wire::write_frame(channel->fd, create_request(key, made), deadline_in(kInitDeadline));
        if (io == wire::Io::done) io = wire::read_frame(channel->fd, reply, deadline_in(kInitDeadline));
        if (io != wire::Io::done) {
            ::close(channel->fd);
            error = "ended while making its instances again";
            stop_child(error);
            return false;
        }
        wire::Reader in(reply);
        if (in.get<uint8_t>() == 0)
            log::error(component(), "Destination " + made.id + " could not be made again: " + std::string(in.bytes()));
    }
    free_.push_back(*channel);
    return true;
}

std::string PluginWorker::lost(Channel channel, bool timed_out, std::chrono::milliseconds timeout,
                               std::string_view what, std::string_view destination) {
    ::close(channel.fd);
    std::lock_guard lock(mutex_);
    if (!child_ || channel.generation != generation_) return last_crash_;  // noticed by another call already
    const pid_t pid = child_->pid();
    std::string how;
    if (timed_out) {
        child_->kill();
        how = "timed out after " + describe_duration(timeout);
    } else {
        std::optional<int> status = child_->wait_for_exit(std::chrono::seconds(2));
        if (!status) status = child_->kill();  // it closed the channel but lives on: not to be trusted
        how = "crashed (" + describe_exit(*status) + ")";
    }
    log::error(component(), "Plugin worker (pid " + std::to_string(pid) + ") " + how + " during " + std::string(what) +
                                (destination.empty() ? "" : " for destination " + std::string(destination)) +
                                "; it is restarted.");
    stop_child(how);
    return how;
}

// With the lock held.
void PluginWorker::stop_child(const std::string &why) {
    last_crash_ = why;
    child_.reset();  // kills it if it still runs
    for (const Channel &channel : free_) ::close(channel.fd);
    free_.clear();
    ++crashes_in_a_row_;
    const auto backoff = crashes_in_a_row_ < 2 ? std::chrono::milliseconds(0)
                                               : std::min<std::chrono::milliseconds>(
                                                     kFirstBackoff * (1U << std::min(crashes_in_a_row_ - 2, 10U)),
                                                     kLongestBackoff);
    restart_not_before_ = std::chrono::steady_clock::now() + backoff;
}

// Resident memory after a call: a worker over its limit is restarted (its calls done so far
// stand). The address-space limit the worker sets itself catches most leaks first.
void PluginWorker::check_memory() {
    if (memory_limit_ == 0) return;
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (!child_ || now - memory_checked_at_ < kMemoryCheckSpacing) return;
    memory_checked_at_ = now;
    const uint64_t resident = resident_bytes(child_->pid());
    if (resident <= memory_limit_) return;
    const std::string how = "exceeded its memory limit (" + mebibytes(resident) + " > " + mebibytes(memory_limit_) + ")";
    log::error(component(), "Plugin worker (pid " + std::to_string(child_->pid()) + ") " + how + "; it is restarted.");
    stop_child(how);
    crashes_in_a_row_ = 0;  // not a crash: no backoff
}


std::optional<PluginWorker::Channel> PluginWorker::open_channel(std::string &error) {
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
        error = "could not open a channel to the plugin worker";
        return std::nullopt;
    }
    // A batch's events and its requests (megabytes each way) then cross in a few writes, not a
    // wake-up of each side per 200 KB; the kernel caps it at net.core.wmem_max. Best effort.
    for (const int end : ends) ::setsockopt(end, SOL_SOCKET, SO_SNDBUF, &kChannelBuffer, sizeof kChannelBuffer);
    const bool passed = wire::send_descriptor(child_->socket(), ends[1]);
    ::close(ends[1]);
    if (!passed) {
        ::close(ends[0]);
        error = "could not open a channel to the plugin worker";
        return std::nullopt;
    }
    return Channel{ends[0], generation_};
}

}  // namespace switchyard
