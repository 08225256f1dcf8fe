// libcurl transport over the process's connection pool, TLS verification always on, HTTP/2 over
// TLS when the server offers it, optional gzip bodies.
#include "switchyard/sdk/http_client.h"

#include <algorithm>

#include <curl/curl.h>
#include <zlib.h>

#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace sy::sdk {
namespace {

constexpr long kMaxRetryAfterSeconds = 3600;  // never trust a hint longer than an hour

std::string_view text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

// libcurl callbacks are called from C frames: nothing may throw out of them. A short count
// makes libcurl abort the transfer, which then reads as no answer (a retry).
size_t append_body(char *data, size_t size, size_t count, void *user) noexcept {
    try {
        static_cast<std::string *>(user)->append(data, size * count);
        return size * count;
    } catch (...) {
        return 0;
    }
}

bool iequals_prefix(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') return false;
    for (size_t i = 0; i < name.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
    return true;
}

size_t read_header(char *data, size_t size, size_t count, void *user) noexcept {
    std::string_view line(data, size * count);
    if (!iequals_prefix(line, "retry-after")) return size * count;
    std::string_view value = line.substr(sizeof("retry-after"));
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    try {
        static_cast<HttpAnswer *>(user)->retry_after_ms = parse_retry_after(value, std::time(nullptr));
    } catch (...) {  // an unreadable hint is no hint
    }
    return size * count;
}

std::string gzip(std::string_view body) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("zlib init failed");
    std::string out(deflateBound(&stream, body.size()), '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(body.data()));
    stream.avail_in = static_cast<uInt>(body.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip failed");
    return out;
}

// No connection came free in time: the request was never sent, so it is a retry. The URL may
// hold a secret (a webhook's), so the sentence names the limit, not the host.
std::string no_free_connection(const HttpOptions &options, const ConnectionLimits &limits) {
    return "no connection to the destination's host came free within " + std::to_string(options.request_timeout_ms) +
           " ms (at most " + std::to_string(limits.per_host) + " per host in this plugin process)";
}

}  // namespace

HttpClient::HttpClient(HttpOptions options, const sy_host_api *host)
    : options_(std::move(options)), pool_(ConnectionPool::shared(advised_limits(host))) {}

HttpClient::~HttpClient() = default;

HttpAnswer HttpClient::perform(const sy_request &request) const {
    HttpAnswer answer;
    std::string compressed;
    std::string_view body = text(request.body);
    if (options_.gzip_requests && !body.empty()) {
        compressed = gzip(body);
        body = compressed;
    }
    const std::string url(text(request.url)), method(text(request.method));
    // Waiting for a connection spends the request's own time, so a send keeps its deadline.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.request_timeout_ms);
    const Lease lease = pool_->borrow(url, deadline);
    if (!lease) {
        answer.transport_error = no_free_connection(options_, pool_->limits());
        return answer;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    CURL *curl = lease.curl();
    curl_easy_reset(curl);  // keeps the connection, drops the last request's options
    curl_slist *headers = nullptr;
    for (size_t i = 0; i < request.header_count; ++i)
        headers = curl_slist_append(headers, (std::string(text(request.headers[i].name)) + ": " +
                                              std::string(text(request.headers[i].value))).c_str());
    if (!compressed.empty()) headers = curl_slist_append(headers, "Content-Encoding: gzip");
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(curl, CURLOPT_MAXCONNECTS, 1L);   // one connection per handle: the pool counts them
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, left.count())));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    } else {
        answer.status = 0;
        answer.transport_error = curl_easy_strerror(rc);
    }
    return answer;
}

std::optional<uint32_t> parse_retry_after(std::string_view value, int64_t now_epoch_seconds) {
    long seconds = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && end == value.data() + value.size() && seconds >= 0)
        return static_cast<uint32_t>(std::min(seconds, kMaxRetryAfterSeconds) * 1000);
    const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
    if (when < 0) return std::nullopt;
    const int64_t wait = std::clamp<int64_t>(when - now_epoch_seconds, 0, kMaxRetryAfterSeconds);
    return static_cast<uint32_t>(wait * 1000);
}

}  // namespace sy::sdk
