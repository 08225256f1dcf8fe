// Shared by the store tests: a fresh data directory per test and small event builders.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/store/store.h"

namespace switchyard::testing {

// A new empty directory under the test temp dir, removed when the object goes.
class TempDataDir {
   public:
    TempDataDir() {
        std::string pattern = ::testing::TempDir() + "switchyard-store-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDataDir() {
        std::error_code ec;
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ec);
        std::filesystem::remove_all(path_, ec);
    }
    TempDataDir(const TempDataDir &) = delete;
    TempDataDir &operator=(const TempDataDir &) = delete;
    const std::filesystem::path &path() const { return path_; }

   private:
    std::filesystem::path path_;
};

inline IncomingEvent event(const std::string &user, const std::string &payload,
                           std::vector<std::string> destinations = {"acme/iterable"}) {
    return IncomingEvent{payload, user, std::move(destinations)};
}

inline bool nobody_busy(std::string_view) { return false; }

inline std::vector<std::string> payloads(const std::vector<Job> &jobs) {
    std::vector<std::string> out;
    for (const Job &job : jobs) out.push_back(job.payload);
    return out;
}

}  // namespace switchyard::testing
