// The conformance suite through the C ABI: every golden case (one parameterised test) and
// the 1000-event differential set in processor and router mode, compared as compare.py does.
#include <gtest/gtest.h>

#include <iostream>
#include <map>

#include "golden_cases.h"

namespace iterable_test {
namespace {

const GoldenCases &golden() {
    static const GoldenCases loaded = load_golden_cases();
    return loaded;
}

// When the golden files cannot be read, the suite has one case, which fails with the reason.
size_t golden_case_count() { return golden().problem.empty() ? golden().cases.size() : 1; }

// Runs a router case: each destination group transformed on its own, indexes made global.
std::vector<json> run_router_groups(const GoldenCase &c) {
    std::map<std::string, std::vector<size_t>> groups;
    std::vector<std::string> group_order;
    for (size_t i = 0; i < c.inputs.size(); ++i) {
        if (!groups.count(c.inputs[i].group)) group_order.push_back(c.inputs[i].group);
        groups[c.inputs[i].group].push_back(i);
    }
    std::vector<json> all;
    for (const std::string &group : group_order) {
        const std::vector<size_t> &positions = groups[group];
        auto destination = make_destination(c.inputs[positions[0]].config);
        std::vector<std::string> events;
        for (size_t p : positions) events.push_back(c.inputs[p].message.dump());
        for (json entry : run_events(*destination, events, Mode::router)) {
            for (json &i : entry["indexes"]) i = positions[i.get<size_t>()];
            all.push_back(entry);
        }
    }
    return all;
}

class GoldenCaseTest : public ::testing::TestWithParam<size_t> {};

TEST_P(GoldenCaseTest, MatchesReference) {
    if (!golden().problem.empty()) FAIL() << golden().problem;
    const GoldenCase &c = golden().cases[GetParam()];
    if (!c.router) {
        std::vector<std::string> dropped;
        auto destination = make_destination(c.inputs[0].config, &dropped);
        for (const std::string &key : dropped) RecordProperty("dropped_foreign_setting", key);
        json actual = processor_line(0, run_events(*destination, {c.inputs[0].message.dump()}, Mode::processor));
        EXPECT_EQ(compare_processor(c.expected[0], actual), "");
        return;
    }
    std::vector<json> messages;
    std::vector<std::string> destinations;
    for (const GoldenInput &in : c.inputs) messages.push_back(in.message), destinations.push_back(in.group);
    RouterComparison r = compare_router(c.expected, run_router_groups(c), messages, 1'000'000, &destinations);
    for (const std::string &m : r.event_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.batch_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.invariant_problems) ADD_FAILURE() << "invariant: " << m;
}

std::string case_name(const ::testing::TestParamInfo<size_t> &info) {
    return golden().problem.empty() ? golden().cases[info.param].name : "golden_files_unreadable";
}

INSTANTIATE_TEST_SUITE_P(Iterable, GoldenCaseTest, ::testing::Range<size_t>(0, golden_case_count()), case_name);

struct Differential {
    std::vector<std::string> events;
    std::vector<json> messages;
    std::shared_ptr<switchyard::Destination> destination;
    Differential() : events(read_conformance_lines("differential/events.ndjson")) {
        for (const std::string &e : events) messages.push_back(json::parse(e));
        destination = make_destination(read_conformance_json("differential/settings.json"));
    }
};

TEST(IterableDifferential, ProcessorModeEqualsReferenceForEveryEvent) {
    Differential d;
    std::vector<json> entries = run_events(*d.destination, d.events, Mode::processor);
    std::vector<std::vector<json>> by_event(d.events.size());
    for (const json &entry : entries)
        for (const json &i : entry["indexes"]) by_event[i.get<size_t>()].push_back(entry);
    std::vector<std::string> expected = read_conformance_lines("differential/processor_expected.jsonl");
    size_t equal = 0;
    for (const std::string &line : expected) {
        json want = json::parse(line);
        size_t i = want["index"];
        std::string why = compare_processor(want, processor_line(i, by_event[i]));
        if (why.empty()) ++equal;
        else ADD_FAILURE() << "event " << i << ": " << why;
    }
    std::cout << "processor: " << equal << "/" << expected.size() << " events equal\n";
    RecordProperty("equal", static_cast<int>(equal));
}

TEST(IterableDifferential, RouterModeEqualsReferencePerEventInBatchesOf200) {
    constexpr size_t kBatch = 200;
    Differential d;
    std::vector<json> actual;
    for (size_t first = 0, b = 0; first < d.events.size(); first += kBatch, ++b) {
        std::vector<std::string> batch(d.events.begin() + first, d.events.begin() + std::min(first + kBatch, d.events.size()));
        for (json entry : run_events(*d.destination, batch, Mode::router)) {
            for (json &i : entry["indexes"]) i = first + i.get<size_t>();
            entry["batch"] = b;
            actual.push_back(entry);
        }
    }
    std::vector<json> expected;
    for (const std::string &line : read_conformance_lines("differential/router_expected.jsonl"))
        expected.push_back(json::parse(line));
    RouterComparison r = compare_router(expected, actual, d.messages, kBatch);
    for (const std::string &m : r.event_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.batch_mismatches) ADD_FAILURE() << m;
    for (const std::string &m : r.invariant_problems) ADD_FAILURE() << "invariant: " << m;
    std::cout << "router: " << r.equal() << "/" << r.total << " events equal\n";
    RecordProperty("equal", static_cast<int>(r.equal()));
}

}  // namespace
}  // namespace iterable_test
