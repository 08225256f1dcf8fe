// Load generator for the ingestion API: POSTs pre-built /v1/batch bodies over C keep-alive
// connections and prints one JSON line of throughput and acknowledgement latency.
#include <sys/resource.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <latch>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kReadTimeoutSeconds = 120;  // an ack under overload may take long; still never hang forever

struct Options {
    std::string url = "http://127.0.0.1:8080";
    std::string write_key;
    size_t events = 100'000;
    double duration_s = 0;  // 0: send `events` once
    double rate = 0;        // events/s all connections together; 0: as fast as acks come back
    size_t batch = 100;
    size_t connections = 8;
    size_t users = 10'000;
    bool even_users = false;      // event i goes to user i % users, so each gets events / users
    double identify_share = 0;    // share of identify events; the rest are track
    bool gzip = false;
    uint32_t seed = 7;
};

struct Flag {
    const char *name, *value, *help;
    void (*apply)(Options &, const std::string &);
};

// The one table that the parser and --help read.
constexpr Flag kFlags[] = {
    {"--url", "URL", "the host's base URL (default http://127.0.0.1:8080)",
     [](Options &o, const std::string &v) { o.url = v; }},
    {"--write-key", "KEY", "the source's write key, sent as the Basic auth user name (required)",
     [](Options &o, const std::string &v) { o.write_key = v; }},
    {"--events", "N", "events to send (default 100000); with --duration, the size of the pool cycled through",
     [](Options &o, const std::string &v) { o.events = std::stoul(v); }},
    {"--duration", "SECONDS", "send for this long instead of sending --events once (messageIds then repeat)",
     [](Options &o, const std::string &v) { o.duration_s = std::stod(v); }},
    {"--rate", "EVENTS_PER_S", "pace the requests to this many events/s in all (open loop; default: no pacing)",
     [](Options &o, const std::string &v) { o.rate = std::stod(v); }},
    {"--batch", "B", "events per /v1/batch request (default 100)",
     [](Options &o, const std::string &v) { o.batch = std::stoul(v); }},
    {"--connections", "C", "concurrent keep-alive connections, one thread each (default 8)",
     [](Options &o, const std::string &v) { o.connections = std::stoul(v); }},
    {"--users", "U", "distinct userIds the events are spread over (default 10000)",
     [](Options &o, const std::string &v) { o.users = std::stoul(v); }},
    {"--even-users", nullptr, "event i goes to user i % U, so every user gets the same number of events",
     [](Options &o, const std::string &) { o.even_users = true; }},
    {"--identify-share", "P", "share of identify events, drawn at random (default 0: all track)",
     [](Options &o, const std::string &v) { o.identify_share = std::stod(v); }},
    {"--gzip", nullptr, "send bodies gzip-compressed (Content-Encoding: gzip), compressed up front",
     [](Options &o, const std::string &) { o.gzip = true; }},
    {"--seed", "N", "seed of the generated events (default 7)",
     [](Options &o, const std::string &v) { o.seed = static_cast<uint32_t>(std::stoul(v)); }},
};

void print_help() {
    std::cout << "Usage: ingest_load --write-key KEY [flags]\n\n"
                 "POSTs /v1/batch requests of ~1 KB track events (distinct messageIds, generated before the\n"
                 "clock starts) to a running `switchyard serve`, and prints one JSON line: events/s,\n"
                 "requests/s, ack latency p50/p90/p99/max in ms, and every non-200 answer.\n\nFlags:\n";
    for (const Flag &f : kFlags) {
        const std::string left = std::string(f.name) + (f.value ? std::string(" ") + f.value : "");
        std::printf("  %-22s %s\n", left.c_str(), f.help);
    }
    std::cout << "  --help                 this text\n\nExit codes: 0 every request answered 200; 1 any other answer or a "
                 "transport error; 2 usage error.\n";
}

// Returns false (after saying why) on a usage error.
bool refuse(const std::string &sentence) {
    std::cerr << "ingest_load: " << sentence << "\n";
    return false;
}

bool parse(int argc, char **argv, Options &o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const Flag *flag = std::find_if(std::begin(kFlags), std::end(kFlags), [&](const Flag &f) { return arg == f.name; });
        if (flag == std::end(kFlags)) return refuse("unknown flag \"" + arg + "\"; see --help");
        if (flag->value && i + 1 >= argc) return refuse(arg + " needs a value");
        try {
            flag->apply(o, flag->value ? argv[++i] : "");
        } catch (const std::exception &) {
            return refuse(arg + " got \"" + argv[i] + "\", not a number");
        }
    }
    if (o.write_key.empty()) return refuse("--write-key is required");
    if (o.rate < 0 || o.duration_s < 0) return refuse("--rate and --duration cannot be negative");
    if (o.events == 0 || o.batch == 0 || o.connections == 0 || o.users == 0)
        return refuse("--events, --batch, --connections and --users must be at least 1");
    return true;
}

std::string iso_now(int64_t offset_ms) {
    const auto now = std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms);
    const int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[80];  // sized for any int the format could print, not just real dates
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return text;
}

std::string uuid(std::mt19937_64 &random, uint64_t unique) {
    char text[40];
    const uint64_t r = random();
    std::snprintf(text, sizeof text, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(r >> 32),
                  static_cast<unsigned>(r >> 16) & 0xffff, static_cast<unsigned>(r >> 4) & 0xfff,
                  static_cast<unsigned>(r & 0xf) << 8 | static_cast<unsigned>(unique >> 48 & 0xff),
                  static_cast<unsigned long long>(unique & 0xffffffffffffULL));
    return text;
}

// A custom track event as the RudderStack JavaScript SDK sends it (~1 KB; custom names only, so
// every event becomes an Iterable events/track or trackBulk item, its properties the dataFields),
// or with --identify-share an identify (a users/update or bulkUpdate item, its traits the dataFields).
nlohmann::json track_event(std::mt19937_64 &random, uint64_t index, const Options &o) {
    static const char *const kNames[] = {"Coupon Applied", "Video Played", "Button Clicked", "Article Viewed", "Search Performed"};
    const uint64_t user = o.even_users ? index % o.users : random() % o.users;
    const std::string user_id = "user-" + std::to_string(user);
    if (o.identify_share > 0 && std::uniform_real_distribution<double>(0, 1)(random) < o.identify_share)
        return {{"messageId", uuid(random, index)},
                {"anonymousId", uuid(random, user)},
                {"userId", user_id},
                {"channel", "web"},
                {"context", {{"library", {{"name", "RudderLabs JavaScript SDK"}, {"version", "3.0.10"}}}, {"locale", "en-GB"}}},
                {"originalTimestamp", iso_now(-40)},
                {"sentAt", iso_now(0)},
                {"type", "identify"},
                {"traits",
                 {{"seq", index},  // as a track's: the user's order can be read back from the mock's records
                  {"email", user_id + "@example.com"}, {"plan", random() % 2 ? "pro" : "free"},
                  {"logins", random() % 100}}}};
    return {
        {"messageId", uuid(random, index)},
        {"anonymousId", uuid(random, user)},
        {"userId", user_id},
        {"channel", "web"},
        {"context",
         {{"library", {{"name", "RudderLabs JavaScript SDK"}, {"version", "3.0.10"}}},
          {"locale", "en-GB"},
          {"os", {{"name", "Mac OS X"}, {"version", "10.15.7"}}},
          {"ip", "100.120." + std::to_string(random() % 256) + "." + std::to_string(random() % 256)},
          {"page", {{"path", "/blog/2024/launch"}, {"referrer", "https://twitter.com/"}, {"title", "Launch notes"},
                    {"url", "https://shop.example.com/blog/2024/launch"}}},
          {"screen", {{"density", 2}, {"width", 1440}, {"height", 900}}},
          {"userAgent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
                        "Chrome/120.0.0.0 Safari/537.36"},
          {"traits", {{"email", user_id + "@example.com"}}}}},
        {"originalTimestamp", iso_now(-40)},
        {"sentAt", iso_now(0)},
        {"type", "track"},
        {"event", kNames[index % std::size(kNames)]},
        {"properties",
         {{"seq", index},  // unique per event: what the e2e benchmark counts in the mock's records
          {"category", "engagement"}, {"label", "label-" + std::to_string(random() % 100)},
          {"value", random() % 1000}, {"revenue", static_cast<double>(random() % 100'000) / 100}, {"currency", "GBP"},
          {"nonInteraction", true}, {"experiment", {{"id", "exp-7"}, {"variant", random() % 2 ? "A" : "B"}}},
          {"items", {random() % 10, random() % 10}}}},
    };
}

std::string gzip(const std::string &text) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    std::string out(deflateBound(&z, text.size()), '\0');
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

struct Plan {
    std::vector<std::string> bodies;  // one per request
    std::vector<size_t> sizes;        // events in each
    size_t raw_bytes = 0;             // JSON bytes of all bodies, before any compression
    size_t sent_bytes = 0;            // bytes of all bodies as sent
};

Plan build_plan(const Options &o) {
    Plan plan;
    std::mt19937_64 random(o.seed);
    for (size_t first = 0; first < o.events; first += o.batch) {
        const size_t n = std::min(o.batch, o.events - first);
        nlohmann::json batch = nlohmann::json::array();
        for (size_t i = 0; i < n; ++i) batch.push_back(track_event(random, first + i, o));
        std::string body = nlohmann::json{{"batch", std::move(batch)}, {"sentAt", iso_now(0)}}.dump();
        plan.raw_bytes += body.size();
        plan.bodies.push_back(o.gzip ? gzip(body) : std::move(body));
        plan.sent_bytes += plan.bodies.back().size();
        plan.sizes.push_back(n);
    }
    return plan;
}

struct Tally {
    std::vector<double> latencies_ms;
    std::map<std::string, size_t> statuses;  // "200", "503", or a transport error's name
    size_t events_ok = 0, server_closes = 0;
    Clock::time_point first_ack = Clock::time_point::max(), last_ack = Clock::time_point::min();
    std::string first_error;
};

void send_loop(const Options &o, const Plan &plan, std::atomic<size_t> &next, Clock::time_point start,
               Clock::time_point deadline, Tally &t) {
    httplib::Client client(o.url);
    client.set_keep_alive(true);
    client.set_tcp_nodelay(true);
    client.set_basic_auth(o.write_key, "");
    client.set_read_timeout(kReadTimeoutSeconds, 0);
    httplib::Headers headers;
    if (o.gzip) headers.emplace("Content-Encoding", "gzip");
    for (;;) {
        const size_t i = next.fetch_add(1);
        if (o.duration_s == 0 && i >= plan.bodies.size()) break;
        // Open loop: request i is due at a fixed time whatever the earlier answers took.
        if (o.rate > 0)
            std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                                      static_cast<double>(i * o.batch) / o.rate)));
        if (o.duration_s > 0 && Clock::now() >= deadline) break;
        const size_t k = i % plan.bodies.size();
        const auto sent = Clock::now();
        const httplib::Result res = client.Post("/v1/batch", headers, plan.bodies[k], "application/json");
        const auto acked = Clock::now();
        t.latencies_ms.push_back(std::chrono::duration<double, std::milli>(acked - sent).count());
        const std::string status = res ? std::to_string(res->status) : httplib::to_string(res.error());
        ++t.statuses[status];
        if (res && res->status == 200) {
            t.events_ok += plan.sizes[k];
            t.first_ack = std::min(t.first_ack, acked);
            t.last_ack = std::max(t.last_ack, acked);
        } else if (t.first_error.empty()) {
            t.first_error = status + (res ? " " + res->body.substr(0, 200) : "");
        }
        if (res && res->get_header_value("Connection") == "close") ++t.server_closes;
    }
}

double percentile(const std::vector<double> &sorted, double p) {
    if (sorted.empty()) return 0;
    const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double round2(double x) { return std::round(x * 100) / 100; }

int64_t unix_ms(Clock::time_point t) {
    const auto offset = std::chrono::system_clock::now().time_since_epoch() - Clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch() + offset).count();
}

// Merges the connections' tallies into the one JSON line; returns it and whether all were 200.
std::pair<nlohmann::json, bool> report(const Options &o, const Plan &plan, std::vector<Tally> &tallies,
                                       Clock::time_point start) {
    Tally all;
    for (Tally &t : tallies) {
        all.latencies_ms.insert(all.latencies_ms.end(), t.latencies_ms.begin(), t.latencies_ms.end());
        for (const auto &[status, n] : t.statuses) all.statuses[status] += n;
        all.events_ok += t.events_ok;
        all.server_closes += t.server_closes;
        all.first_ack = std::min(all.first_ack, t.first_ack);
        all.last_ack = std::max(all.last_ack, t.last_ack);
        if (all.first_error.empty()) all.first_error = t.first_error;
    }
    std::sort(all.latencies_ms.begin(), all.latencies_ms.end());
    const size_t requests = all.latencies_ms.size(), non_200 = requests - (all.statuses.contains("200") ? all.statuses["200"] : 0);
    const double seconds = all.events_ok ? std::chrono::duration<double>(all.last_ack - start).count() : 0;
    nlohmann::json line = {
        {"events", all.events_ok}, {"requests", requests}, {"seconds", round2(seconds)},
        {"events_per_s", seconds > 0 ? std::round(static_cast<double>(all.events_ok) / seconds) : 0},
        {"requests_per_s", seconds > 0 ? round2(static_cast<double>(requests) / seconds) : 0},
        {"ack_ms", {{"p50", round2(percentile(all.latencies_ms, 0.50))}, {"p90", round2(percentile(all.latencies_ms, 0.90))},
                    {"p99", round2(percentile(all.latencies_ms, 0.99))}, {"max", round2(percentile(all.latencies_ms, 1.0))}}},
        {"non_200", non_200}, {"statuses", all.statuses}, {"connections", o.connections}, {"batch", o.batch},
        {"gzip", o.gzip}, {"rate", o.rate}, {"event_bytes", plan.raw_bytes / std::max<size_t>(1, o.events)},
        {"sent_bytes_per_event", plan.sent_bytes / std::max<size_t>(1, o.events)},
        {"server_closes", all.server_closes}, {"start_unix_ms", unix_ms(start)},
        {"first_ack_unix_ms", all.events_ok ? unix_ms(all.first_ack) : 0},
        {"last_ack_unix_ms", all.events_ok ? unix_ms(all.last_ack) : 0}};
    if (!all.first_error.empty()) line["first_error"] = all.first_error;
    return {line, non_200 == 0 && requests > 0};
}

int run(int argc, char **argv) {
    Options o;
    for (int i = 1; i < argc; ++i)
        if (std::string(argv[i]) == "--help") return print_help(), 0;
    if (!parse(argc, argv, o)) return 2;
    const Plan plan = build_plan(o);
    std::vector<Tally> tallies(o.connections);
    std::atomic<size_t> next{0};
    std::latch gate(1);
    Clock::time_point start, deadline;
    std::vector<std::thread> threads;
    for (size_t c = 0; c < o.connections; ++c)
        threads.emplace_back([&, c] {
            gate.wait();
            send_loop(o, plan, next, start, deadline, tallies[c]);
        });
    const double cpu_before = cpu_seconds();
    start = Clock::now();
    deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s));
    gate.count_down();
    for (std::thread &t : threads) t.join();
    auto [line, all_ok] = report(o, plan, tallies, start);
    line["cpu_s"] = round2(cpu_seconds() - cpu_before);  // this process's CPU while sending
    std::cout << line.dump() << std::endl;
    if (!all_ok) std::cerr << "ingest_load: " << line["non_200"] << " request(s) not answered 200\n";
    return all_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char **argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception &e) {
        std::cerr << "ingest_load: " << e.what() << "\n";
        return 2;
    }
}
