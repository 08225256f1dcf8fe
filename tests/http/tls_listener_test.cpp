// The listener over TLS: a verifying client is served, an unverifying one is refused by its own
// check, plain HTTP to the TLS port gets a plain 400, and the bounds and deadlines still hold.
#include <fcntl.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <csignal>
#include <filesystem>
#include <stdexcept>

#include "host/http/tls_context.h"
#include "tests/http/listener_fixture.h"
#include "tests/support/self_signed_cert.h"

namespace switchyard::http {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;

class TlsListener : public Listener {
   protected:
    TlsListener() {
        std::signal(SIGPIPE, SIG_IGN);  // a client writing to a connection the server cut
        std::string pattern = ::testing::TempDir() + "switchyard-tls-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        dir_ = pattern;
        cert_ = testing::make_self_signed_cert(dir_);
    }
    ~TlsListener() override { std::filesystem::remove_all(dir_); }

    void start_tls(ConnectionLimits limits) { start(limits, TlsContext::load(cert_.certificate, cert_.private_key)); }

    std::unique_ptr<httplib::SSLClient> verifying_client() const {
        auto client = std::make_unique<httplib::SSLClient>("127.0.0.1", port_);
        client->set_ca_cert_path(cert_.certificate.c_str());
        client->enable_server_certificate_verification(true);
        return client;
    }

    std::filesystem::path dir_;
    testing::SelfSignedCert cert_;
};

// A TLS client over a RawClient's socket, to send bytes as slowly as a test likes. One thread.
class RawTlsClient {
   public:
    explicit RawTlsClient(const RawClient &raw) : context_(SSL_CTX_new(TLS_client_method())), ssl_(SSL_new(context_)) {
        SSL_set_fd(ssl_, raw.socket());
        handshaken_ = SSL_connect(ssl_) == 1;  // blocking; the test's certificate is not checked here
        // Then non-blocking: a read that finds only a session ticket must not wait for data.
        ::fcntl(raw.socket(), F_SETFL, ::fcntl(raw.socket(), F_GETFL) | O_NONBLOCK);
    }
    ~RawTlsClient() {
        SSL_free(ssl_);
        SSL_CTX_free(context_);
    }
    bool handshaken() const { return handshaken_; }
    bool closed() const { return closed_; }
    bool send(std::string_view bytes) {
        for (;;) {
            const int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
            if (n > 0) return true;
            if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_WRITE) return false;
            pollfd target{SSL_get_fd(ssl_), POLLOUT, 0};
            ::poll(&target, 1, 10);
        }
    }
    // Decrypted bytes that arrive within `timeout`, or until the server closes.
    std::string read_for(std::chrono::milliseconds timeout) {
        std::string received;
        char buffer[4096];
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!closed_ && std::chrono::steady_clock::now() < deadline) {
            pollfd target{SSL_get_fd(ssl_), POLLIN, 0};
            if (SSL_pending(ssl_) == 0 && ::poll(&target, 1, 10) <= 0) continue;
            const int n = SSL_read(ssl_, buffer, sizeof buffer);
            if (n > 0) received.append(buffer, static_cast<size_t>(n));
            else closed_ = SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ;
        }
        return received;
    }

   private:
    SSL_CTX *context_;
    SSL *ssl_;
    bool handshaken_ = false;
    bool closed_ = false;
};

TEST_F(TlsListener, AClientThatVerifiesTheCertificateIsServed) {
    start_tls({});
    const auto client = verifying_client();
    for (int i = 0; i < 3; ++i) {  // one kept-alive connection
        const httplib::Result result = client->Get("/hello");
        ASSERT_TRUE(result) << httplib::to_string(result.error());
        EXPECT_EQ(result->status, 200);
        EXPECT_EQ(result->body, "hi");
    }
    const httplib::Result echoed = client->Post("/echo", std::string(100'000, 'x'), "text/plain");
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->body.size(), 100'000u);

    httplib::SSLClient trusting_nothing("127.0.0.1", port_);  // the system's CAs do not know this certificate
    trusting_nothing.enable_server_certificate_verification(true);
    EXPECT_FALSE(trusting_nothing.Get("/hello"));
}

TEST_F(TlsListener, PlainHttpToTheTlsPortGetsAPlain400AndIsClosed) {
    start_tls({});
    RawClient plain(port_);
    ASSERT_TRUE(plain.send(kGet));
    const std::string answer = plain.read_until_closed();
    EXPECT_TRUE(plain.closed());
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
    EXPECT_NE(answer.find("This port speaks HTTPS only"), std::string::npos) << answer;
}

TEST_F(TlsListener, AClientThatNeverHandshakesIsClosedAfterTheHeaderTimeout) {
    start_tls({.idle_timeout = 60s, .header_timeout = 300ms});
    RawClient silent(port_);
    EXPECT_EQ(silent.read_until_closed(), "");
    EXPECT_TRUE(silent.closed());
    EXPECT_TRUE(eventually([&] { return metric_line("switchyard_http_connections_open") == "switchyard_http_connections_open 0"; }));
}

TEST_F(TlsListener, HeadersDribbledOverTlsAre408AfterTheHeaderTimeout) {
    start_tls({.read_timeout = 5s, .header_timeout = 500ms, .request_timeout = 60s});
    RawClient raw(port_);
    RawTlsClient slow(raw);
    ASSERT_TRUE(slow.handshaken());
    ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\nHost: test\r\n"));
    const auto started = std::chrono::steady_clock::now();
    std::string answer;
    for (int i = 0; i < 40 && !slow.closed(); ++i) {  // a header line every 100 ms: never silent for long
        slow.send("X-Slow: " + std::to_string(i) + "\r\n");
        answer += slow.read_for(100ms);
    }
    EXPECT_TRUE(slow.closed());
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3)) << "cut by the header timeout, not by a silence";
    EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
    EXPECT_NE(answer.find("500 ms for the line and headers"), std::string::npos) << answer;
    EXPECT_EQ(metric_line("switchyard_http_requests_timed_out_total"), "switchyard_http_requests_timed_out_total 1");
}

TEST_F(TlsListener, AConnectionOverThePerClientBoundIsClosedAtOnce) {
    start_tls({.max_connections_per_client = 1, .idle_timeout = 60s, .header_timeout = 60s});
    RawClient held(port_, "127.0.0.2");
    ASSERT_TRUE(eventually([&] { return metric_line("switchyard_http_connections_open") == "switchyard_http_connections_open 1"; }));
    RawClient refused(port_, "127.0.0.2");
    EXPECT_EQ(refused.read_until_closed(), "");
    EXPECT_TRUE(refused.closed());
    EXPECT_EQ(metric_line("switchyard_http_connections_refused_total{reason=\"per_client\"}"),
              "switchyard_http_connections_refused_total{reason=\"per_client\"} 1");
    const httplib::Result result = verifying_client()->Get("/hello");  // from 127.0.0.1
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
}

TEST(TlsContext, BadFilesAreRefusedWithOneSentenceNamingTheFile) {
    std::string pattern = ::testing::TempDir() + "switchyard-tls-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    const std::filesystem::path dir = pattern;
    const testing::SelfSignedCert cert = testing::make_self_signed_cert(dir);
    std::filesystem::create_directory(dir / "other");
    const testing::SelfSignedCert other = testing::make_self_signed_cert(dir / "other");
    const auto error_of = [](const std::filesystem::path &c, const std::filesystem::path &k) {
        try {
            TlsContext::load(c, k);
            return std::string("loaded");
        } catch (const std::runtime_error &e) {
            return std::string(e.what());
        }
    };
    EXPECT_EQ(error_of(dir / "missing.pem", cert.private_key),
              "Cannot read the TLS certificate file " + (dir / "missing.pem").string() + ".");
    EXPECT_EQ(error_of(cert.private_key, cert.private_key),
              "The TLS certificate file " + cert.private_key.string() + " holds no PEM certificate.");
    EXPECT_EQ(error_of(cert.certificate, cert.certificate),
              "The TLS key file " + cert.certificate.string() + " holds no unencrypted PEM private key.");
    EXPECT_NE(error_of(cert.certificate, other.private_key).find("does not match the certificate"), std::string::npos);
    EXPECT_EQ(error_of(cert.certificate, cert.private_key), "loaded");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace switchyard::http
