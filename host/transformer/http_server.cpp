// The transformer's event loops (see http_server.h): one io_context per thread, each connection
// on one of them, so that a connection's steps run one at a time without strands or locks. A
// session per connection reads a request's header, finds its endpoint, reads the body (a
// transform's into a workspace of the pool), runs it and writes the answer, then waits for the
// connection's next request. Nothing a handler calls may throw out of it.
#include "host/transformer/http_server.h"

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "host/log/log.h"

namespace switchyard::transformer {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
// The concrete executor type, not Asio's type-erased default: no indirection on every operation.
using Executor = asio::io_context::executor_type;
using Stream = beast::basic_stream<tcp, Executor>;

namespace {

// For the next request to arrive whole on an open connection (rudder-server keeps them open).
constexpr auto kReadTimeout = std::chrono::seconds(120);
constexpr auto kWriteTimeout = std::chrono::seconds(60);
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);  // after running out of descriptors
constexpr uint32_t kHeaderLimit = 64 * 1024;
// Proxy calls at once: each waits for the destination's answer (up to the plugin's timeout).
constexpr size_t kProxyThreads = 16;

bool is_http_error(const beast::error_code &ec) {
    return ec.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace

class Session;

struct HttpServer::Impl {
    Impl(TransformerApi &api, ServerLimits limits, size_t threads)
        : api(api), limits(limits), workspaces(2 * std::max<size_t>(threads, 1)), loops(make_loops(threads)) {
        for (const auto &loop : loops) keep_running.push_back(asio::make_work_guard(*loop));
    }

    static std::vector<std::unique_ptr<asio::io_context>> make_loops(size_t threads) {
        std::vector<std::unique_ptr<asio::io_context>> loops;
        for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i)
            loops.push_back(std::make_unique<asio::io_context>(1));  // run by one thread
        return loops;
    }

    void accept();
    void forget(const Session *session);
    asio::thread_pool &proxy_threads();

    TransformerApi &api;
    const ServerLimits limits;
    // Two per thread: one request's body arrives while another's is transformed. Before the loops:
    // handlers they destroy may hold a lease.
    WorkspacePool workspaces;
    std::vector<std::unique_ptr<asio::io_context>> loops;
    std::vector<asio::executor_work_guard<Executor>> keep_running;  // until stop: a loop without connections waits
    size_t next_loop = 0;  // the loop the next connection goes to (on loops[0], the acceptor's)
    tcp::acceptor acceptor{*loops.front()};
    asio::steady_timer accept_retry{*loops.front()};
    std::atomic<bool> stopping{false};
    std::mutex sessions_mutex;
    std::unordered_map<const Session *, std::weak_ptr<Session>> sessions;
    std::once_flag proxies_started;
    std::optional<asio::thread_pool> proxies;  // started by the first proxy call
};

class Session : public std::enable_shared_from_this<Session> {
   public:
    Session(HttpServer::Impl &server, asio::basic_stream_socket<tcp, Executor> socket)
        : server_(server), stream_(std::move(socket)) {}

    void start() { read_header(); }

    // On stop, from any thread: a connection waiting for its next request is closed; one in a
    // request finishes it.
    void close_if_idle() {
        asio::post(stream_.get_executor(), [self = shared_from_this()] {
            if (self->idle_) self->stream_.cancel();
        });
    }

    // A connection over --max-connections: its first request is answered 503.
    void refuse_busy() {
        busy_ = true;
        read_header();
    }

   private:
    void read_header() {
        if (server_.stopping) return close();
        parser_.emplace();
        parser_->header_limit(kHeaderLimit);
        parser_->body_limit(server_.limits.max_body_bytes);
        idle_ = true;
        stream_.expires_after(kReadTimeout);
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        idle_ = false;
        if (ec) return refuse(ec);
        if (parser_->chunked())
            return answer_sentence(411, "The transformer reads request bodies of a stated Content-Length, not chunked.");
        if (busy_)
            return answer_sentence(503, "Too many connections: the transformer serves at most " +
                                            std::to_string(server_.limits.max_connections) + " at once.");
        const auto &request = parser_->get();
        keep_alive_ = request.keep_alive();
        version_ = request.version();
        const std::string_view target(request.target().data(), request.target().size());
        const std::string_view method(request.method_string().data(), request.method_string().size());
        std::optional<Endpoint> endpoint = server_.api.find(method, target.substr(0, target.find('?')));
        if (!endpoint) return answer_sentence(404, "No endpoint " + std::string(method) + " " + std::string(target) + ".");
        endpoint_ = std::move(*endpoint);
        switch (endpoint_.runs) {
            case Endpoint::Runs::at_once: {
                keep_alive_ = keep_alive_ && parser_->is_done();  // an unread body would be read as the next request
                Workspace none;
                return answer(run(none));
            }
            case Endpoint::Runs::proxy: return read_body(std::make_shared<Workspace>());  // not the pool's: it may wait long
            case Endpoint::Runs::transform:
                return server_.workspaces.acquire([self = shared_from_this()](WorkspacePool::Lease workspace) {
                    asio::post(self->stream_.get_executor(),
                               [self, workspace = std::move(workspace)]() mutable { self->read_body(std::move(workspace)); });
                });
        }
    }

    // The body goes from the kernel straight into the workspace's buffer, reserved with simdjson's
    // padding after it, in as few reads as the socket allows (Beast's parser would pass it through
    // its own buffer, a few hundred bytes a read).
    void read_body(WorkspacePool::Lease workspace) {
        held_ = std::move(workspace);
        std::string &body = held_->body;
        const size_t length = parser_->content_length().value_or(0);
        body.reserve(length + simdjson::SIMDJSON_PADDING);
        body.resize(length);
        const size_t buffered = std::min<size_t>(length, buffer_.size());  // what arrived with the header
        asio::buffer_copy(asio::buffer(body.data(), buffered), buffer_.data());
        buffer_.consume(buffered);
        stream_.expires_after(kReadTimeout);
        asio::async_read(stream_, asio::buffer(body.data() + buffered, length - buffered),
                         [self = shared_from_this()](beast::error_code ec, size_t) {
                             if (ec) return self->close();  // the client went away, or was too slow
                             if (self->endpoint_.runs == Endpoint::Runs::proxy) return self->run_proxy();
                             self->answer(self->run(*self->held_));
                         });
    }

    void run_proxy() {
        asio::post(server_.proxy_threads(),
                   [self = shared_from_this(), work = asio::make_work_guard(stream_.get_executor())] {
                       Answer answer = self->run(*self->held_);
                       asio::post(self->stream_.get_executor(),
                                  [self, answer = std::move(answer)]() mutable { self->answer(std::move(answer)); });
                   });
    }

    Answer run(Workspace &workspace) const {
        try {
            return endpoint_.answer(workspace);
        } catch (const std::exception &e) {
            log::error("transformer", std::string("A request failed: ") + e.what());
            return Answer{500, "The transformer failed to answer this request; see its log."};
        }
    }

    // A request that cannot be served: the connection is closed after saying why, or at once
    // when the peer has gone, timed out or the server is stopping.
    void refuse(const beast::error_code &ec) {
        if (ec == http::error::body_limit)
            return answer_sentence(413, "The request body is larger than the transformer's --max-body-bytes (" +
                                            std::to_string(server_.limits.max_body_bytes) + ").");
        if (ec == http::error::header_limit) return answer_sentence(431, "The request's header is larger than 64 KiB.");
        if (is_http_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message)
            return answer_sentence(400, "Malformed HTTP request: " + ec.message() + ".");
        close();
    }

    void answer_sentence(int status, std::string sentence) {
        keep_alive_ = false;
        answer(Answer{status, std::move(sentence)});
    }

    // The workspace is held until the answer is written: answers waiting for their client to read
    // them would otherwise pile up, one per connection.
    void answer(Answer answer) {
        const bool sentence = answer.status != 200;
        if (sentence) answer.body += '\n';
        response_.emplace(static_cast<http::status>(answer.status), version_ ? version_ : 11);
        response_->set(http::field::content_type, sentence ? "text/plain" : "application/json");
        response_->body() = std::move(answer.body);
        response_->keep_alive(keep_alive_ && !server_.stopping);
        response_->prepare_payload();
        stream_.expires_after(kWriteTimeout);
        http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, size_t) {
            const bool again = !ec && self->response_->keep_alive();
            self->response_.reset();
            self->held_.reset();
            if (again) return self->read_header();
            self->close();
        });
    }

    // What the client still sends is read and dropped until it closes its side (or a second has
    // passed): closing with unread bytes would reset the connection, and the client could lose the
    // answer (a 413 arrives while the body is still being sent).
    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(kLingerTimeout);
        drain();
    }

    void drain() {
        stream_.async_read_some(asio::buffer(drained_), [self = shared_from_this()](beast::error_code ec, size_t) {
            if (!ec) return self->drain();
            self->stream_.close();
            self->server_.forget(self.get());
        });
    }

    HttpServer::Impl &server_;
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::empty_body>> parser_;  // the header: bodies are read by hand
    std::optional<http::response<http::string_body>> response_;
    Endpoint endpoint_;
    WorkspacePool::Lease held_;  // the request's workspace, until its answer is written
    unsigned version_ = 11;
    bool keep_alive_ = false;
    bool idle_ = false;  // waiting for the connection's next request
    bool busy_ = false;  // over --max-connections
    std::array<char, 4096> drained_{};  // what the client sends after the answer, dropped
};

void HttpServer::Impl::accept() {
    asio::io_context &loop = *loops[next_loop++ % loops.size()];
    acceptor.async_accept(loop, [this](beast::error_code ec, asio::basic_stream_socket<tcp, Executor> socket) {
        if (ec == asio::error::operation_aborted || stopping) return;
        if (ec) {  // e.g. out of descriptors: try again shortly rather than spin
            log::warn("transformer", "Could not accept a connection: " + ec.message());
            accept_retry.expires_after(kAcceptRetry);
            accept_retry.async_wait([this](beast::error_code) { accept(); });
            return;
        }
        beast::error_code ignored;
        socket.set_option(tcp::no_delay(true), ignored);  // an answer's last segment must not wait for an ACK
        auto session = std::make_shared<Session>(*this, std::move(socket));
        bool admitted;
        {
            std::lock_guard lock(sessions_mutex);
            admitted = sessions.size() < limits.max_connections;
            sessions.emplace(session.get(), session);
        }
        if (admitted) session->start();
        else session->refuse_busy();
        accept();
    });
}

void HttpServer::Impl::forget(const Session *session) {
    std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
}

asio::thread_pool &HttpServer::Impl::proxy_threads() {
    std::call_once(proxies_started, [this] { proxies.emplace(kProxyThreads); });
    return *proxies;
}

HttpServer::HttpServer(TransformerApi &api, ServerLimits limits, size_t threads)
    : impl_(std::make_unique<Impl>(api, limits, threads)) {}

HttpServer::~HttpServer() {
    if (impl_->proxies) impl_->proxies->join();
}

int HttpServer::listen(const std::string &host, int port, std::string &error) {
    beast::error_code ec;
    const auto address = asio::ip::make_address(host, ec);
    if (ec) {
        error = "\"" + host + "\" is not an IP address.";
        return -1;
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
    tcp::acceptor &acceptor = impl_->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error = "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message() + ".";
        return -1;
    }
    return acceptor.local_endpoint().port();
}

void HttpServer::run() {
    impl_->accept();
    std::vector<std::thread> others;
    for (size_t i = 1; i < impl_->loops.size(); ++i) others.emplace_back([this, i] { impl_->loops[i]->run(); });
    impl_->loops.front()->run();
    for (std::thread &thread : others) thread.join();
}

void HttpServer::stop() {
    asio::post(impl_->acceptor.get_executor(), [impl = impl_.get()] {
        impl->stopping = true;
        beast::error_code ignored;
        impl->acceptor.close(ignored);
        impl->accept_retry.cancel();
        impl->keep_running.clear();  // each loop returns once its connections have ended
        std::lock_guard lock(impl->sessions_mutex);
        for (auto &[_, session] : impl->sessions)
            if (auto open = session.lock()) open->close_if_idle();
    });
}

}  // namespace switchyard::transformer
