// UUID v4 from a per-thread 64-bit Mersenne Twister: ids need to be unique, not secret, and
// the ingest path makes one per event, so a lock or a syscall per id would cost more than it buys.
#include "host/ingest/message_id.h"

#include <cstdint>
#include <random>

namespace switchyard::ingest {
namespace {

std::mt19937_64 &thread_generator() {
    thread_local std::mt19937_64 generator = [] {
        std::random_device device;
        std::seed_seq seed{device(), device(), device(), device(), device(), device(), device(), device()};
        return std::mt19937_64(seed);
    }();
    return generator;
}

}  // namespace

std::string new_message_id() {
    static constexpr char kHex[] = "0123456789abcdef";
    uint64_t high = thread_generator()();
    uint64_t low = thread_generator()();
    high = (high & ~0xf000ULL) | 0x4000ULL;                                // version 4
    low = (low & ~(0xc0ULL << 56)) | (0x80ULL << 56);                      // variant 10xx
    std::string out(36, '-');
    size_t pos = 0;
    for (int nibble = 0; nibble < 32; ++nibble) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
        const uint64_t word = nibble < 16 ? high : low;
        out[pos++] = kHex[(word >> (60 - 4 * (nibble % 16))) & 0xf];
    }
    return out;
}

}  // namespace switchyard::ingest
