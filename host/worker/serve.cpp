// `--serve FILE [--named-as NAME] [--memory-limit BYTES] [--connections-per-host N]
// [--idle-connection-timeout-ms MS]`: loads the plugin, says so on the
// control socket (descriptor 3), then serves each channel the host passes over it on a thread of
// its own: one call at a time per channel, as many channels as the host opens.
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <string>
#include <system_error>
#include <thread>

#include "host/isolation/child_process.h"
#include "host/isolation/wire_calls.h"
#include "host/plugin/connection_advice.h"
#include "host/plugin/plugin_library.h"
#include "host/worker/instances.h"
#include "host/worker/modes.h"

namespace switchyard::worker {
namespace {

struct ServeOptions {
    std::string file, named_as;
    uint64_t memory_limit = 0;  // bytes of address space; 0: none
    ConnectionAdvice connections;  // what the host advises its instances (host/plugin/connection_advice.h)
};

template <class Number>
bool read_number(std::string_view text, Number &out) {
    return std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc();
}

bool parse(std::span<const std::string_view> words, ServeOptions &options) {
    if (words.empty()) return false;
    options.file = words[0];
    for (size_t i = 1; i + 1 < words.size(); i += 2) {
        const std::string_view flag = words[i], value = words[i + 1];
        if (flag == "--named-as") {
            options.named_as = value;
        } else if (!(flag == "--memory-limit" && read_number(value, options.memory_limit)) &&
                   !(flag == "--connections-per-host" && read_number(value, options.connections.connections_per_host)) &&
                   !(flag == "--idle-connection-timeout-ms" &&
                     read_number(value, options.connections.idle_connection_timeout_ms))) {
            return false;
        }
    }
    return words.size() % 2 == 1;
}

// Address-space sanitizers reserve terabytes up front: a limit would stop them from starting.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kMayLimitAddressSpace = false;
#else
constexpr bool kMayLimitAddressSpace = true;
#endif

// glibc gives each of up to 8 × cores threads a malloc arena that reserves 64 MB of address space:
// with dozens of channels served at once, that alone passes a 1 GB limit and threads cannot start.
constexpr int kMallocArenas = 4;

void limit_memory(uint64_t bytes) {
    if (bytes == 0 || !kMayLimitAddressSpace) return;
    ::mallopt(M_ARENA_MAX, kMallocArenas);  // NOLINT(concurrency-mt-unsafe): no other thread runs yet
    rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_AS, &limit);
}

class Server {
   public:
    explicit Server(std::shared_ptr<const PluginLibrary> plugin) : plugin_(std::move(plugin)) {}

    void serve_channel(int fd) {
        std::string message;
        while (wire::read_frame(fd, message, std::nullopt) == wire::Io::done) {
            wire::Writer reply;
            answer(message, reply);
            if (wire::write_frame(fd, reply.framed(), std::nullopt) != wire::Io::done) break;
        }
        ::close(fd);
    }

   private:
    void answer(std::string_view message, wire::Writer &out) {
        wire::Reader in(message);
        const auto op = in.get<wire::Op>();
        const auto key = in.get<uint64_t>();
        if (op == wire::Op::create) return create(key, in, out);
        if (op == wire::Op::destroy) {
            instances_.remove(key);
            out.put(uint8_t{1});
            out.put(std::string_view());
            return wire::put_effects(out, {});
        }
        const std::shared_ptr<const Instance> instance = instances_.find(key);
        if (!instance) {
            out.put(uint8_t{0});
            out.put(std::string_view("the plugin worker holds no such instance"));
            return wire::put_effects(out, {});
        }
        call(op, *instance, in, out);
        wire::put_effects(out, instance->recorder->take());
    }

    void create(uint64_t key, wire::Reader &in, wire::Writer &out) {
        const std::string id(in.bytes());
        const std::string_view settings = in.bytes();
        auto recorder = std::make_shared<Recorder>();
        std::string error;
        auto destination = Destination::create(plugin_, id, settings, error, nullptr, recorder.get());
        out.put(static_cast<uint8_t>(destination != nullptr));
        out.put(std::string_view(error));
        std::vector<wire::Effect> effects = recorder->take();
        if (destination) instances_.add(key, {std::move(recorder), std::move(destination)});
        wire::put_effects(out, effects);
    }

    static void call(wire::Op op, const Instance &instance, wire::Reader &in, wire::Writer &out) {
        const Destination &destination = *instance.destination;
        switch (op) {
            case wire::Op::transform: {
                const auto most = in.get<uint32_t>();
                return put(out, destination.transform(events(in), most), wire::put_transform);
            }
            case wire::Op::delete_users: return put(out, destination.delete_users(events(in)), wire::put_transform);
            case wire::Op::send: {
                RequestRead request;
                wire::get_request(in, request);
                return put(out, destination.send(request.fields), wire::put_send);
            }
            case wire::Op::rate_limits:
                out.put(uint8_t{1});
                out.put(std::string_view());
                return wire::put_rate_limits(out, destination.rate_limits());
            case wire::Op::verify: {
                const Verification verdict = destination.verify();
                out.put(uint8_t{1});
                out.put(std::string_view());
                out.put(static_cast<uint8_t>(verdict.checked));
                out.put(verdict.outcome);
                return out.put(std::string_view(verdict.message));
            }
            default: out.put(uint8_t{0}); out.put(std::string_view("unknown call"));
        }
    }

    static std::vector<sy_borrowed_str> events(wire::Reader &in) {
        std::vector<sy_borrowed_str> out(in.count(sizeof(uint64_t)));
        for (sy_borrowed_str &event : out) {
            const std::string_view bytes = in.bytes();
            event = {bytes.data(), bytes.size()};
        }
        return out;
    }

    template <class Result, class Put>
    static void put(wire::Writer &out, const Result &result, Put put_read) {
        out.put(static_cast<uint8_t>(static_cast<bool>(result)));
        out.put(std::string_view(result.problem()));
        if (result) put_read(out, *result);
    }

    std::shared_ptr<const PluginLibrary> plugin_;
    Instances instances_;
};

// A channel is served on a thread of its own; when none can be had (the memory limit), the channel
// closes and the host's call on it is lost and made again, instead of the whole worker ending.
void serve_on_own_thread(Server &server, int channel) {
    try {
        std::thread([&server, channel] { server.serve_channel(channel); }).detach();
    } catch (const std::system_error &e) {
        std::fprintf(stderr, "switchyard-worker: no thread for a channel (%s); it is closed\n", e.what());
        ::close(channel);
    }
}

}  // namespace

int serve(std::span<const std::string_view> arguments) {
    ServeOptions options;
    if (!parse(arguments, options)) return 2;
    advise_connections(options.connections);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a worker never outlives its host
    if (::getppid() == 1) return 0;
    std::signal(SIGPIPE, SIG_IGN);
    const int control = ChildProcess::kChildSocket;
    const LoadOutcome loaded = load_plugin(options.file, options.named_as);
    limit_memory(options.memory_limit);  // after loading: the plugin's own code is not what leaks
    wire::Writer hello;
    hello.put(static_cast<uint8_t>(loaded.plugin != nullptr));
    hello.put(std::string_view(loaded.refusal));
    if (wire::write_frame(control, hello.framed(), std::nullopt) != wire::Io::done || !loaded.plugin) return 1;

    Server server(loaded.plugin);
    for (int channel; (channel = wire::receive_descriptor(control)) >= 0;) serve_on_own_thread(server, channel);
    // The host closed the control socket: it is done with this worker (or gone). Calls still
    // running are abandoned, and no plugin code runs at exit.
    ::_exit(0);
}

}  // namespace switchyard::worker
