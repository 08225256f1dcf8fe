// End-to-end fixture: the real host process with the Iterable plugin, delivering to the mock
// Iterable over loopback HTTP; helpers to send events and wait for what the mock recorded.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "mock_iterable.h"
#include "tests/e2e/host_process.h"

namespace switchyard::testing {

constexpr const char *kWriteKey = "e2e-write-key-7f3a";
constexpr const char *kApiKey = "test-api-key";

// Delivery settings with short backoffs; `retry_window` decides when a failing event is given up.
inline std::string fast_retries(const std::string &retry_window = "10m", int batch_size = 50) {
    return "    delivery:\n      workers: 2\n      batch_size: " + std::to_string(batch_size) +
           "\n      retry_window: " + retry_window + "\n      backoff_base: 50ms\n      backoff_cap: 400ms\n";
}

// One Iterable destination of the test workspace; `extra_settings` is indented YAML.
inline std::string iterable_destination(const std::string &id, const std::string &base_url,
                                        const std::string &extra_settings = "", const std::string &delivery = fast_retries()) {
    return "  - id: " + id + "\n    plugin: iterable\n    settings:\n      apiKey: " + kApiKey +
           "\n      endpoint: " + base_url + "\n" + extra_settings + delivery;
}

inline std::string workspace_yaml(const std::vector<std::string> &destination_ids, const std::string &destinations) {
    std::string ids;
    for (const std::string &id : destination_ids) ids += (ids.empty() ? "" : ", ") + id;
    return "workspace: e2e\nsources:\n  - id: app\n    write_key: " + std::string(kWriteKey) +
           "\n    destinations: [" + ids + "]\ndestinations:\n" + destinations;
}

// A track event carrying `seq`, which the mock records among the event's data fields.
inline nlohmann::json track(const std::string &user, int seq, const std::string &event = "Loaded") {
    return {{"type", "track"}, {"userId", user}, {"event", event}, {"properties", {{"seq", seq}}}};
}

// Polls `done` until it holds or `timeout` passes; returns whether it held.
inline bool eventually(const std::function<bool()> &done, std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

class EndToEnd : public ::testing::Test {
   protected:
    EndToEnd() {
        std::string pattern = ::testing::TempDir() + "switchyard-e2e-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        root_ = pattern;
        std::filesystem::create_directory(root_ / "config");
    }
    // Before the derived fixture's mocks go: the host must not hold connections to them.
    void TearDown() override { host_.reset(); }
    ~EndToEnd() override {
        std::error_code ec;
        std::filesystem::remove_all(root_, ec);
    }

    // Writes the one workspace file and starts the host on it.
    void start_host(const std::string &yaml, const std::filesystem::path &plugin_dir = PLUGIN_DIR,
                    std::vector<std::string> extra_flags = {}) {
        std::ofstream(root_ / "config" / "e2e.yaml") << yaml;
        host_ = std::make_unique<HostProcess>(root_ / "config", root_ / "data", plugin_dir, std::move(extra_flags));
        host_->start();
    }

    // POSTs `body` to the host's /v1/<path> with the source's write key; returns the status
    // (0 when the connection failed).
    int post(const std::string &path, const nlohmann::json &body, const std::string &write_key = kWriteKey) {
        auto client = host_->client();
        client->set_basic_auth(write_key.c_str(), "");
        auto res = client->Post(("/v1/" + path).c_str(), body.dump(), "application/json");
        return res ? res->status : 0;
    }

    std::string get(const std::string &path) {
        auto res = host_->client()->Get(path.c_str());
        return res ? res->body : "";
    }

    std::filesystem::path data_dir() const { return root_ / "data"; }

    std::filesystem::path root_;
    std::unique_ptr<HostProcess> host_;
};

// The `seq` property of every event the mock recorded for `user`, in the order it recorded them.
inline std::vector<int> recorded_seqs(const MockIterable &mock, const std::string &user = "") {
    std::vector<int> seqs;
    const nlohmann::json state = mock.state();
    for (const auto &event : state["events"])
        if ((user.empty() || event.value("userId", "") == user) && event.contains("dataFields") &&
            event["dataFields"].contains("seq"))
            seqs.push_back(event["dataFields"]["seq"].get<int>());
    return seqs;
}

}  // namespace switchyard::testing
