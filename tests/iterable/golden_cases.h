// The golden vectors of tests/data/conformance/iterable as data: every case of
// processor.json, legacy_processor.json, router.json and legacy_router.json in one shape.
#pragma once

#include <string>
#include <vector>

#include "conformance_support.h"

namespace iterable_test {

struct GoldenInput {
    std::string group;  // events of one destination (ID + config) are transformed together
    json config;
    json message;
};

struct GoldenCase {
    std::string name;     // file stem + case id, usable as a gtest parameter name
    bool router = false;
    std::vector<GoldenInput> inputs;
    // Processor: one line {status, requests | error}; router: lines {indexes, status, requests | error}.
    std::vector<json> expected;
    // What rudder-server sends the reference (raw_request_body) and the reference's answer body,
    // for the tests of the HTTP API (tests/transformer/); the answer is null where not recorded.
    json envelope;
    json reference_answer;
};

// Every case, or why they could not be read (a file missing or malformed): the suite turns
// a problem into one failing test, since an exception while gtest lists the tests would
// abort the listing (and with it the build's test discovery).
struct GoldenCases {
    std::vector<GoldenCase> cases;
    std::string problem;  // empty when every file was read
};

GoldenCases load_golden_cases();

}  // namespace iterable_test
