// Test harness of the ingestion API over loopback HTTP: an in-memory Store that records
// appends, the API on an ephemeral port, a hand-driven HTTP/1.1 connection, and body helpers.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "host/ingest/ingest_api.h"
#include "host/metrics/metrics.h"
#include "host/store/store.h"

namespace switchyard::ingest_testing {

inline constexpr const char *kWebKey = "wk-web-3f9a";       // source acme/web, two destinations
inline constexpr const char *kLonelyKey = "wk-lonely-81c2";  // source acme/lonely, no destination
inline constexpr const char *kWarehouseKey = "wk-warehouse-5d17";  // source acme/warehouse, trusted, two destinations
inline const std::vector<std::string> kWebDestinations = {"acme/iterable", "acme/webhook"};

// Records appended events; can be told to fail, or to run a hook inside append (before the
// events count as stored). Anything but append is not expected of the ingestion API.
class FakeStore : public Store {
   public:
    void on_jobs_added(JobsAdded) override {}
    void append(std::span<const IncomingEvent> events, int64_t now_ms) override {
        ++append_calls_;
        if (fail_) throw std::runtime_error("disk I/O error");
        if (std::function<void()> hook = inside_append(); hook) hook();
        std::lock_guard lock(mutex_);
        for (const IncomingEvent &event : events) stored_.push_back(event);
        append_times_.push_back(now_ms);
    }
    std::vector<Job> claim(std::string_view, size_t, int64_t, const std::function<bool(std::string_view)> &) override {
        ADD_FAILURE() << "ingestion claimed jobs";
        return {};
    }
    void settle(std::span<const JobSettlement>, int64_t) override { ADD_FAILURE() << "ingestion settled jobs"; }
    std::optional<int64_t> next_due_ms(std::string_view) override { return std::nullopt; }
    uint64_t data_version() override { return 0; }
    std::vector<QueueStats> queue_stats() override { return {}; }
    std::vector<DeadLetter> dead_letters(std::string_view, size_t) override { return {}; }
    size_t replay(std::string_view, std::span<const int64_t>, int64_t) override { return 0; }
    size_t purge(const PurgeSelection &) override { return 0; }
    std::map<std::string, uint64_t> dead_letter_counts() override { return {}; }
    int64_t add_regulation(std::string_view, int64_t) override { return 0; }
    std::vector<StoredRegulation> regulations() override { return {}; }
    void update_regulation(int64_t, std::string_view) override {}
    size_t purge_user_jobs(std::string_view, std::string_view) override { return 0; }
    size_t purge_user_dead_letters(std::string_view, std::string_view) override { return 0; }
    int64_t begin_plugin_call(std::string_view, std::span<const int64_t>) override { return 0; }
    void end_plugin_call(int64_t) override {}
    std::vector<CrashSuspects> blame_crashed_plugin_calls(int64_t) override { return {}; }

    void set_failing(bool failing) { fail_ = failing; }
    void set_inside_append(std::function<void()> hook) {
        std::lock_guard lock(mutex_);
        inside_append_ = std::move(hook);
    }
    std::vector<IncomingEvent> stored() const {
        std::lock_guard lock(mutex_);
        return stored_;
    }
    std::vector<nlohmann::json> stored_payloads() const {
        std::vector<nlohmann::json> out;
        for (const IncomingEvent &event : stored()) out.push_back(nlohmann::json::parse(event.payload));
        return out;
    }
    std::vector<int64_t> append_times() const {
        std::lock_guard lock(mutex_);
        return append_times_;
    }
    int append_calls() const { return append_calls_; }

   private:
    std::function<void()> inside_append() const {
        std::lock_guard lock(mutex_);
        return inside_append_;
    }
    mutable std::mutex mutex_;
    std::vector<IncomingEvent> stored_;
    std::vector<int64_t> append_times_;
    std::function<void()> inside_append_;
    std::atomic<bool> fail_{false};
    std::atomic<int> append_calls_{0};
};

// The ingestion API on an ephemeral loopback port, served by a thread of its own.
class TestHost {
   public:
    explicit TestHost(const IngestLimits &limits = {})
        : TestHost(SourceTable{
                       {kWebKey, "acme", "web", kWebDestinations},
                       {kLonelyKey, "acme", "lonely", {}},
                       {kWarehouseKey, "acme", "warehouse", kWebDestinations, true},
                   },
                   limits) {}
    explicit TestHost(SourceTable sources, const IngestLimits &limits = {})
        : sources_(std::make_shared<const SourceTable>(std::move(sources))),
          api_(store, metrics, [this] { return sources_; }, limits) {
        api_.mount(server_);
        port_ = server_.bind_to_any_port("127.0.0.1");
        if (port_ <= 0) throw std::runtime_error("could not bind a loopback port");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~TestHost() {
        server_.stop();
        thread_.join();
    }

    int port() const { return port_; }
    // A client that authenticates as SDKs do: the write key as user name, an empty password.
    httplib::Client client(const std::string &write_key = kWebKey, const std::string &password = "") const {
        httplib::Client c("127.0.0.1", port_);
        c.set_tcp_nodelay(true);
        c.set_connection_timeout(5);
        c.set_read_timeout(10);
        if (!write_key.empty()) c.set_basic_auth(write_key.c_str(), password.c_str());
        return c;
    }
    // The value of one counter or gauge series as rendered, e.g. `name{a="b"}`; 0 when absent.
    double series(const std::string &series_text) const {
        const std::string text = metrics.render();
        const std::string prefix = "\n" + series_text + " ";
        const size_t at = text.find(prefix);
        return at == std::string::npos ? 0 : std::stod(text.substr(at + prefix.size()));
    }

    FakeStore store;
    Metrics metrics;

   private:
    std::shared_ptr<const SourceTable> sources_;
    IngestApi api_;
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

inline int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline int status_of(const httplib::Result &result) { return result ? result->status : -static_cast<int>(result.error()); }

inline std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 3) {
        uint32_t chunk = static_cast<uint8_t>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 1]) << 8;
        if (i + 2 < bytes.size()) chunk |= static_cast<uint8_t>(bytes[i + 2]);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += i + 1 < bytes.size() ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += i + 2 < bytes.size() ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

inline std::string gzip(std::string_view text) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    std::string out(deflateBound(&stream, static_cast<uLong>(text.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(text.data()));
    stream.avail_in = static_cast<uInt>(text.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (result != Z_STREAM_END) throw std::runtime_error("deflate did not finish");
    return out;
}

// An HTTP/1.1 connection driven by hand, to see what a keep-alive client sees: whether the
// server closes the connection after an answer, and how pipelined bytes are treated.
class RawConnection {
   public:
    struct Answer {
        int status = 0;
        std::string headers;  // lower-cased
        std::string body;
    };

    explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            throw std::runtime_error("could not connect to the test host");
        const int on = 1;
        ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    }
    ~RawConnection() { ::close(fd_); }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    void send(std::string_view bytes) {
        while (!bytes.empty()) {
            const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
            if (sent <= 0) throw std::runtime_error("send failed");
            bytes.remove_prefix(static_cast<size_t>(sent));
        }
    }

    // The next answer, or nullopt when the connection ends (or nothing comes in 5 s) first.
    std::optional<Answer> answer() {
        size_t header_end;
        while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return std::nullopt;
        Answer answer;
        answer.status = std::stoi(buffer_.substr(buffer_.find(' ') + 1, 3));
        answer.headers = buffer_.substr(0, header_end + 2);
        for (char &c : answer.headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t length_at = answer.headers.find("\r\ncontent-length:");
        const size_t length = length_at == std::string::npos ? 0 : std::stoul(answer.headers.substr(length_at + 17));
        buffer_.erase(0, header_end + 4);
        while (buffer_.size() < length)
            if (!fill()) return std::nullopt;
        answer.body = buffer_.substr(0, length);
        buffer_.erase(0, length);
        return answer;
    }

    // True when the server ends the connection within `wait` without sending anything more.
    bool closed_by_server(std::chrono::milliseconds wait = std::chrono::seconds(2)) {
        if (!buffer_.empty()) return false;
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
        char byte;
        return ::recv(fd_, &byte, 1, 0) <= 0;
    }

   private:
    bool fill() {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return false;
        char chunk[4096];
        const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
        if (got <= 0) return false;
        buffer_.append(chunk, static_cast<size_t>(got));
        return true;
    }

    int fd_;
    std::string buffer_;
};

inline std::string http_post(const std::string &path, const std::string &body, const std::string &write_key,
                      const std::string &extra_headers = "") {
    std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    if (!write_key.empty()) request += "Authorization: Basic " + base64(write_key + ":") + "\r\n";
    return request + extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

inline std::string error_of(const httplib::Result &result) {
    if (!result) return "";
    return nlohmann::json::parse(result->body).value("error", "");
}

}  // namespace switchyard::ingest_testing
