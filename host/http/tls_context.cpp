// Loading and checking the certificate chain and key; TLS 1.2 and newer only.
#include "host/http/tls_context.h"

#include <openssl/err.h>

#include <fstream>
#include <stdexcept>

namespace switchyard::http {
namespace {

void require_readable(const std::filesystem::path &file, const char *what) {
    if (!std::ifstream(file)) throw std::runtime_error("Cannot read the TLS " + std::string(what) + " file " + file.string() + ".");
}

// A key with a passphrase would make OpenSSL prompt on the terminal: refuse it instead.
int no_passphrase(char *, int, int, void *) { return 0; }

}  // namespace

std::shared_ptr<const TlsContext> TlsContext::load(const std::filesystem::path &certificate,
                                                   const std::filesystem::path &private_key) {
    require_readable(certificate, "certificate");
    require_readable(private_key, "key");
    SSL_CTX *raw = SSL_CTX_new(TLS_server_method());
    if (raw == nullptr) throw std::runtime_error("OpenSSL could not create a TLS context.");
    std::shared_ptr<const TlsContext> context(new TlsContext(raw));
    SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
    SSL_CTX_set_options(raw, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_default_passwd_cb(raw, no_passphrase);
    ERR_clear_error();
    // The key first: a certificate loaded after it drops a key it does not match, which the
    // check below then names (the other order fails the key load itself, for either reason).
    if (SSL_CTX_use_PrivateKey_file(raw, private_key.c_str(), SSL_FILETYPE_PEM) != 1)
        throw std::runtime_error("The TLS key file " + private_key.string() +
                                 " holds no unencrypted PEM private key.");
    if (SSL_CTX_use_certificate_chain_file(raw, certificate.c_str()) != 1)
        throw std::runtime_error("The TLS certificate file " + certificate.string() + " holds no PEM certificate.");
    if (SSL_CTX_check_private_key(raw) != 1)
        throw std::runtime_error("The TLS key file " + private_key.string() + " does not match the certificate " +
                                 certificate.string() + ".");
    ERR_clear_error();
    return context;
}

}  // namespace switchyard::http
