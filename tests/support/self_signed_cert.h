// A self-signed certificate for 127.0.0.1 and localhost, made at test time with OpenSSL, and
// written as PEM files: the certificate (also the CA a verifying client trusts) and its key.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace switchyard::testing {

struct SelfSignedCert {
    std::filesystem::path certificate;
    std::filesystem::path private_key;
};

// Writes `dir`/cert.pem and `dir`/key.pem; throws when OpenSSL fails.
inline SelfSignedCert make_self_signed_cert(const std::filesystem::path &dir) {
    const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    const std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    if (!key || !cert) throw std::runtime_error("OpenSSL could not make a key or certificate");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509V3_CTX context;
    X509V3_set_ctx(&context, cert.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto &[nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost"},
                                     std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION *extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
        X509_add_ext(cert.get(), extension, -1);
        X509_EXTENSION_free(extension);
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) throw std::runtime_error("OpenSSL could not sign");
    const SelfSignedCert files{dir / "cert.pem", dir / "key.pem"};
    FILE *cert_file = std::fopen(files.certificate.c_str(), "w");
    FILE *key_file = std::fopen(files.private_key.c_str(), "w");
    const bool written = cert_file && key_file && PEM_write_X509(cert_file, cert.get()) == 1 &&
                         PEM_write_PrivateKey(key_file, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    if (cert_file) std::fclose(cert_file);
    if (key_file) std::fclose(key_file);
    if (!written) throw std::runtime_error("cannot write the certificate files in " + dir.string());
    return files;
}

}  // namespace switchyard::testing
