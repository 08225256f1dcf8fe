// The listener's TLS certificate and private key (PEM files), loaded once when the host starts.
#pragma once

#include <openssl/ssl.h>

#include <filesystem>
#include <memory>

namespace switchyard::http {

class TlsContext {
   public:
    // Throws std::runtime_error with one sentence naming the file when either cannot be read,
    // is not PEM of its kind (an encrypted key counts as unreadable), or when they do not match.
    static std::shared_ptr<const TlsContext> load(const std::filesystem::path &certificate,
                                                  const std::filesystem::path &private_key);

    SSL_CTX *native() const { return context_.get(); }

   private:
    explicit TlsContext(SSL_CTX *context) : context_(context, SSL_CTX_free) {}

    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context_;
};

}  // namespace switchyard::http
