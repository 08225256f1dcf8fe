// The misbehaviours (faults.h).
#include "faults.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace chaos {
namespace {

constexpr size_t kLeakBytes = 64ull * 1024 * 1024;
constexpr size_t kPageBytes = 4096;

// Every block kept so far, linked through its first bytes: reachable for good, so a leak checker
// sees memory held, not lost.
void *volatile g_kept_blocks = nullptr;

// rt_sigaction's own argument: the kernel's struct, not glibc's sigaction.
struct KernelSigaction {
    void (*handler)(int);  // cppcheck-suppress unusedStructMember ; read by the kernel
    unsigned long flags;   // cppcheck-suppress unusedStructMember ; read by the kernel
    void (*restorer)();    // cppcheck-suppress unusedStructMember ; read by the kernel
    uint64_t mask;
};

void restore_default_action(int signal) {
    const KernelSigaction action{SIG_DFL, 0, nullptr, 0};
    ::syscall(SYS_rt_sigaction, signal, &action, nullptr, sizeof action.mask);
}

[[noreturn]] void crash() {
    // A host built with AddressSanitizer turns a segfault into a report and an exit (whether or
    // not this plugin is instrumented); the process must die of the signal in every build, so the
    // kernel's default comes back first, asked of the kernel itself: the sanitizer intercepts
    // signal() and sigaction(). A no-op elsewhere: the host handles no SIGSEGV.
    restore_default_action(SIGSEGV);
    // A store to a page that may not be written: a real segfault, without the undefined behaviour
    // of a null pointer (which UndefinedBehaviorSanitizer would report and exit on first).
    void *page = ::mmap(nullptr, kPageBytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page != MAP_FAILED) *static_cast<volatile int *>(page) = 1;
    std::raise(SIGSEGV);  // when no page could be had
    std::abort();         // cppcheck-suppress unreachableCode ; if SIGSEGV is blocked
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
