// Write-key authentication: Basic header decoding and constant-time matching.
#include "host/ingest/auth.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace switchyard::ingest {
namespace {

// Decoding table for standard base64; 0xff marks bytes outside the alphabet.
constexpr std::array<uint8_t, 256> make_base64_table() {
    std::array<uint8_t, 256> table{};
    table.fill(0xff);
    constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < kAlphabet.size(); ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<uint8_t>(i);
    return table;
}
constexpr std::array<uint8_t, 256> kBase64 = make_base64_table();

std::optional<std::string> decode_base64(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    std::string out;
    out.reserve(text.size() * 3 / 4);
    uint32_t bits = 0;
    int bit_count = 0;
    for (char c : text) {
        const uint8_t value = kBase64[static_cast<uint8_t>(c)];
        if (value == 0xff) return std::nullopt;
        bits = (bits << 6) | value;
        bit_count += 6;
        if (bit_count >= 8) {
            bit_count -= 8;
            out += static_cast<char>((bits >> bit_count) & 0xff);
        }
    }
    return out;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if ((text[i] | 0x20) != (prefix[i] | 0x20)) return false;
    return true;
}

}  // namespace

bool constant_time_equals(std::string_view candidate, std::string_view secret) {
    // Walks the whole secret whatever the candidate holds; a length mismatch is folded into
    // the same accumulator instead of returning early.
    volatile uint8_t difference = candidate.size() == secret.size() ? 0 : 1;
    for (size_t i = 0; i < secret.size(); ++i) {
        const uint8_t mine = i < candidate.size() ? static_cast<uint8_t>(candidate[i]) : 0;
        difference = difference | static_cast<uint8_t>(mine ^ static_cast<uint8_t>(secret[i]));
    }
    return difference == 0;
}

std::optional<std::string> basic_auth_user(std::string_view authorization_header) {
    constexpr std::string_view kScheme = "basic ";
    if (!starts_with_ignoring_case(authorization_header, kScheme)) return std::nullopt;
    std::string_view encoded = authorization_header.substr(kScheme.size());
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
    std::optional<std::string> decoded = decode_base64(encoded);
    if (!decoded) return std::nullopt;
    // The key is everything before the first colon; a header without one is the key alone.
    decoded->resize(std::min(decoded->size(), decoded->find(':')));
    return decoded;
}

const IngestSource *find_source(const SourceTable &sources, std::string_view write_key) {
    const IngestSource *match = nullptr;
    for (const IngestSource &source : sources) {
        const bool equal = constant_time_equals(write_key, source.write_key);
        if (equal && !source.write_key.empty() && match == nullptr) match = &source;
    }
    return match;
}

}  // namespace switchyard::ingest
