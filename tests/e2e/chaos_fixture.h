// A workspace of two destinations for the containment tests: the chaos test plugin, told to
// misbehave on some events, and Iterable against the mock beside it; what each received.
#pragma once

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/e2e_fixture.h"
#include "tests/support/cli_run.h"
#include "tests/webhook/receiver.h"

namespace switchyard::testing {

class ChaosBesideIterable : public EndToEnd {
   protected:
    void SetUp() override {
        mock_.start();
        std::filesystem::create_directory(plugin_dir());
        std::filesystem::copy_file(CHAOS_PLUGIN, plugin_dir() / "chaos.so");
        std::filesystem::copy_file(std::filesystem::path(PLUGIN_DIR) / "iterable.so", plugin_dir() / "iterable.so");
    }
    std::filesystem::path plugin_dir() const { return root_ / "plugins"; }
    // `keys`: the chaos destination's own keys, `faults`: its fault settings (both indented YAML).
    std::string chaos_workspace(const std::string &keys, const std::string &faults) const {
        const std::string chaos = "  - id: chaos\n    plugin: chaos\n" + keys + "    settings:\n      url: " +
                                  receiver_.url() + "\n" + faults + fast_retries();
        return workspace_yaml({"chaos", "iterable"}, chaos + iterable_destination("iterable", mock_.base_url()));
    }
    // The `seq` of every event the chaos receiver got (one object per request, or arrays).
    std::set<int> received_seqs() const {
        std::set<int> seqs;
        for (const webhook::testing::Received &request : receiver_.received()) {
            const nlohmann::json body = nlohmann::json::parse(request.body);
            for (const nlohmann::json &event : body.is_array() ? body : nlohmann::json::array({body}))
                seqs.insert(event["properties"]["seq"].get<int>());
        }
        return seqs;
    }
    std::set<int> mock_seqs() const {
        const std::vector<int> seqs = recorded_seqs(mock_);
        return {seqs.begin(), seqs.end()};
    }
    std::vector<nlohmann::json> dead_letters() const {
        const CliRun letters =
            run_command(std::string(SWITCHYARD_BIN) + " dead-letter list --data-dir " + data_dir().string());
        std::vector<nlohmann::json> out;
        std::istringstream lines(letters.output);
        for (std::string line; std::getline(lines, line);)
            if (!line.empty()) out.push_back(nlohmann::json::parse(line));
        return out;
    }

    MockIterable mock_{MockOptions{}};
    webhook::testing::Receiver receiver_;
};

}  // namespace switchyard::testing
