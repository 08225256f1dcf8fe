// The golden vectors of ../shared/conformance/iterable as data: every case of
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
};

std::vector<GoldenCase> load_golden_cases();

}  // namespace iterable_test
