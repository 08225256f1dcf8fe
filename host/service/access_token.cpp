// Reading, validating and comparing access tokens.
#include "host/service/access_token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace switchyard {
namespace {

std::string read_token_file(std::string_view flag, const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    if (!in || !(text << in.rdbuf()))
        throw std::invalid_argument("--" + std::string(flag) + "-file " + file + " cannot be read or is empty.");
    std::string token = text.str();
    while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
    return token;
}

void check_token(std::string_view flag, std::string_view token) {
    const bool printable = std::all_of(token.begin(), token.end(), [](char c) { return c > ' ' && c < 0x7f; });
    if (token.size() < kMinTokenLength || !printable)
        throw std::invalid_argument("The --" + std::string(flag) + " token must be at least " +
                                    std::to_string(kMinTokenLength) +
                                    " printable ASCII characters without spaces.");
}

using Digest = std::array<unsigned char, 32>;

// Digests have one length whatever the token's, so the comparison time tells nothing of it.
Digest sha256(std::string_view text) {
    Digest digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
    return digest;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

}  // namespace

std::string load_access_token(std::string_view flag, const std::optional<std::string> &value,
                              const std::optional<std::string> &file) {
    if (value && file)
        throw std::invalid_argument("Give --" + std::string(flag) + " or --" + std::string(flag) + "-file, not both.");
    if (!value && !file) return "";
    std::string token = value ? *value : read_token_file(flag, *file);
    check_token(flag, token);
    return token;
}

bool presents_bearer_token(std::string_view authorization, std::string_view token) {
    constexpr std::string_view kScheme = "Bearer ";
    if (token.empty() || !starts_with_ignoring_case(authorization, kScheme)) return false;
    const Digest presented = sha256(authorization.substr(kScheme.size()));
    const Digest expected = sha256(token);
    return CRYPTO_memcmp(presented.data(), expected.data(), presented.size()) == 0;
}

}  // namespace switchyard
