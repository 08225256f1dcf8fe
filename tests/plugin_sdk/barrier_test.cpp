// sy::barrier (plugin.hpp): an exception never leaves a hook, and its message reaches the host
// through fail(), which the host quotes in the error it logs.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "switchyard/plugin.hpp"

namespace {

struct FakeHost {
    std::string failure;
    sy_host_api api{};
    FakeHost() {
        api.struct_size = sizeof(sy_host_api);
        api.host_ctx = this;
        api.fail = [](void *ctx, sy_borrowed_str reason) { static_cast<FakeHost *>(ctx)->failure = sy::view(reason); };
    }
};

TEST(Barrier, AnExceptionBecomesTheFallbackAndItsMessageReachesTheHost) {
    FakeHost host;
    const int *result = sy::barrier<const int *>(&host.api, nullptr, []() -> const int * {
        throw std::runtime_error("lookup table full");
    });
    EXPECT_EQ(result, nullptr);
    EXPECT_EQ(host.failure, "lookup table full");
}

TEST(Barrier, AHostWithoutFailIsNotCalled) {
    FakeHost host;
    host.api.struct_size = offsetof(sy_host_api, fail);  // a host of an earlier minor, say
    EXPECT_EQ(sy::barrier<int>(&host.api, -1, []() -> int { throw std::logic_error("no"); }), -1);
    EXPECT_EQ(host.failure, "");
}

TEST(Barrier, NoExceptionPassesTheResultThrough) {
    FakeHost host;
    EXPECT_EQ(sy::barrier<int>(&host.api, -1, [] { return 7; }), 7);
    EXPECT_EQ(host.failure, "");
}

}  // namespace
