// The misbehaviours (faults.h).
#include "faults.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace chaos {
namespace {

constexpr size_t kLeakBytes = 64ull * 1024 * 1024;
constexpr size_t kPageBytes = 4096;

// Every block kept so far, linked through its first bytes: reachable for good, so a leak checker
// sees memory held, not lost.
void *volatile g_kept_blocks = nullptr;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

[[noreturn]] void crash() {
    // AddressSanitizer turns a segfault into a report and exit(1); the process must die of the
    // signal in every build, so sanitized builds restore the kernel's default first.
    if (kSanitized) std::signal(SIGSEGV, SIG_DFL);
    // Volatile twice: the compiler may neither assume the pointer null nor drop the store.
    volatile int *volatile nowhere = nullptr;
    *nowhere = 1;  // cppcheck-suppress nullPointer ; the point of it
    std::signal(SIGSEGV, SIG_DFL);  // cppcheck-suppress unreachableCode ; reached if page 0 is mapped
    std::raise(SIGSEGV);
    std::abort();  // cppcheck-suppress unreachableCode ; if SIGSEGV is blocked
}

void leak() {
    auto *block = static_cast<char *>(std::malloc(kLeakBytes));
    if (block == nullptr) std::abort();
    for (size_t at = 0; at < kLeakBytes; at += kPageBytes) block[at] = 1;  // resident, not just reserved
    void *previous = g_kept_blocks;
    std::memcpy(block, &previous, sizeof previous);
    g_kept_blocks = block;
}

[[noreturn]] void hang() {
    for (;;) ::pause();
}

}  // namespace

Stage stage_of(Fault fault) { return fault == Fault::send_crash || fault == Fault::hang ? Stage::send : Stage::transform; }

void set_off(Fault fault) {
    switch (fault) {
        case Fault::none: return;
        case Fault::crash:
        case Fault::send_crash: crash();
        case Fault::abort: std::abort();
        case Fault::leak: leak(); return;
        case Fault::hang: hang();
    }
}

}  // namespace chaos
