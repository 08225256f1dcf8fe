// One plugin worker process, supervised: it holds instances of one plugin for many destinations,
// serves their calls on channels of its own, and is restarted (with its instances made again)
// when it dies, is killed at a call's deadline, or outgrows its memory limit.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "host/isolation/child_process.h"
#include "host/isolation/wire_calls.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {

// A call's answer, or how the worker ended during it.
struct CallReply {
    std::shared_ptr<const std::string> message;  // null when there is none
    std::string crash;    // how the worker ended during the call: "crashed (SIGSEGV)", "timed out after 60 s", ...
    std::string problem;  // one sentence when there is no message (the worker could not start, or `crash`)
};

class PluginWorker {
   public:
    // `memory_limit`: bytes the worker may use (address space, and resident memory checked after
    // calls); 0 for none. Nothing starts until the first instance is made.
    PluginWorker(std::shared_ptr<const PluginLibrary> plugin, uint64_t memory_limit);
    ~PluginWorker();
    PluginWorker(const PluginWorker &) = delete;
    PluginWorker &operator=(const PluginWorker &) = delete;

    const PluginLibrary &plugin() const { return *plugin_; }
    uint64_t memory_limit() const { return memory_limit_; }
    size_t instance_count() const;

    // Makes an instance under a new key; it is made again in every worker that replaces this one.
    // The init refusal (or why the worker could not start) in `error`, what init reported in
    // `effects`. Returns the key, or nullopt.
    std::optional<uint64_t> create(const std::string &id, const std::string &settings_json, std::string &error,
                                   std::vector<wire::Effect> &effects);
    // One instance's making, as `create` reports it.
    struct Creation {
        std::optional<uint64_t> key;
        std::string error;
        std::vector<wire::Effect> effects;
    };
    // `create` for many destinations at once, (id, settings JSON) each: one per entry, in order.
    std::vector<Creation> create_all(const std::vector<std::pair<std::string, std::string>> &instances);
    void destroy(uint64_t key);

    // Sends `request` (a framed message) and waits for the answer until `timeout`. `what` and
    // `destination` name the call in the log line when the worker ends in it.
    CallReply call(const std::string &request, std::chrono::milliseconds timeout, std::string_view what,
                   std::string_view destination);
    // `call` for many requests: all go down one channel before the first answer is read, so that
    // making thousands of instances costs a wake-up of each side per batch, not per call. The
    // answers are small; keep each batch to tens of requests so they never fill the channel.
    std::vector<CallReply> call_all(const std::vector<std::string> &requests, std::chrono::milliseconds timeout,
                                    std::string_view what);

   private:
    struct Channel {
        int fd = -1;
        uint64_t generation = 0;
    };
    struct Made {
        std::string id, settings_json;
    };
    std::optional<Channel> acquire(std::string &error);
    std::vector<CallReply> exchange(Channel channel, const std::vector<std::string> &requests,
                                    std::chrono::milliseconds timeout, std::string_view what,
                                    std::string_view destination);
    void give_back(Channel channel);
    static std::string create_request(uint64_t key, const Made &made);
    Creation creation(const CallReply &reply, uint64_t key) const;
    bool make_instances_again(std::string &error);
    static std::string loading_problem(ChildProcess &child);
    std::string lost(Channel channel, bool timed_out, std::chrono::milliseconds timeout, std::string_view what,
                     std::string_view destination);
    bool start(std::unique_lock<std::mutex> &lock, std::string &error);
    std::optional<Channel> open_channel(std::string &error);
    void stop_child(const std::string &why);
    void check_memory();
    std::string component() const;

    const std::shared_ptr<const PluginLibrary> plugin_;
    const uint64_t memory_limit_;
    mutable std::mutex mutex_;
    std::optional<ChildProcess> child_;
    uint64_t generation_ = 0;  // counts the children started
    std::vector<Channel> free_;
    std::map<uint64_t, Made> made_;
    uint64_t next_key_ = 1;
    std::string last_crash_;  // how the last child ended, for calls that were in it
    unsigned crashes_in_a_row_ = 0;
    std::chrono::steady_clock::time_point restart_not_before_{};
    std::chrono::steady_clock::time_point memory_checked_at_{};
};

}  // namespace switchyard
