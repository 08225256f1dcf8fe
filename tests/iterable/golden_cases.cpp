// Reads the four golden files into GoldenCase values (see golden_cases.h).
#include "golden_cases.h"

#include <exception>
#include <map>

namespace iterable_test {
namespace {

json request_of(const json &r) {
    return {{"method", r["method"]}, {"endpoint", r["endpoint"]}, {"headers", r["headers"]}, {"body", r["body"]["JSON"]}};
}

// The reference's per-event response list → one processor line (differential format).
json processor_expected(const json &expected) {
    for (const json &e : expected)
        if (e["statusCode"] != 200) return {{"status", e["statusCode"]}, {"error", e["error"]}};
    json requests = json::array();
    for (const json &e : expected) requests.push_back(request_of(e["request"]));
    return {{"status", 200}, {"requests", requests}};
}

std::string safe_name(std::string name) {
    for (char &c : name)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    return name;
}

void add_processor_file(const std::string &file, std::vector<GoldenCase> &cases) {
    const json data = read_conformance_json(file + ".json");
    for (const json &c : data) {
        GoldenCase g;
        g.name = safe_name(c.value("case_id", c.value("name", file)));  // e.g. processor_00, legacy_processor_00
        json config = c["destination_config"].is_object() ? c["destination_config"] : json::object();
        g.inputs.push_back({"one", config, c["input"]});
        g.expected.push_back(processor_expected(c["expected"]));
        g.envelope = c["raw_request_body"];
        g.reference_answer = c.contains("raw_expected_response") ? c["raw_expected_response"]["body"] : json();
        cases.push_back(std::move(g));
    }
}

// jobIds → input positions, taking each position once (legacy vectors repeat jobIds).
struct JobPositions {
    std::multimap<long long, size_t> free;
    json take(const json &job_ids) {
        json indexes = json::array();
        for (const json &id : job_ids) {
            auto it = free.find(id.get<long long>());
            if (it == free.end()) continue;
            indexes.push_back(it->second);
            free.erase(it);
        }
        return indexes;
    }
};

void add_router_file(std::vector<GoldenCase> &cases) {
    for (const json &c : read_conformance_json("router.json")) {
        GoldenCase g{safe_name(c["case_id"].get<std::string>()), true, {}, {}, {}, {}};
        JobPositions jobs;
        const json &by_id = c["destination_configs_by_destination_id"];
        for (const json &in : c["input"]) {
            std::string id = in["destinationId"];
            json config = by_id.is_object() && by_id.contains(id) ? by_id[id] : c["destination_config"];
            jobs.free.emplace(in["jobId"].get<long long>(), g.inputs.size());
            g.inputs.push_back({id, config, in["message"]});
        }
        for (const json &e : c["expected"]) {
            json line = {{"indexes", jobs.take(e["jobIds"])}, {"status", e["statusCode"]}};
            if (e.contains("error")) line["error"] = e["error"];
            else {
                line["requests"] = json::array();
                for (const json &r : e["requests"]) line["requests"].push_back(request_of(r));
            }
            g.expected.push_back(line);
        }
        g.envelope = c["raw_request_body"];
        g.reference_answer = c["raw_expected_response"]["body"];
        cases.push_back(std::move(g));
    }
}

void add_legacy_router_file(std::vector<GoldenCase> &cases) {
    for (const json &c : read_conformance_json("legacy_router.json")) {
        GoldenCase g{safe_name(c["name"].get<std::string>()), true, {}, {}, {}, {}};
        JobPositions jobs;
        for (const json &in : c["raw_request_body"]["input"]) {
            const json &destination = in["destination"];
            std::string group = destination.value("ID", "") + destination["Config"].dump();
            jobs.free.emplace(in["metadata"]["jobId"].get<long long>(), g.inputs.size());
            g.inputs.push_back({group, destination["Config"], in["message"]});
        }
        for (const json &e : c["expected"]["output"]) {
            json job_ids = json::array();
            for (const json &m : e["metadata"]) job_ids.push_back(m["jobId"]);
            json line = {{"indexes", jobs.take(job_ids)}, {"status", e["statusCode"]}};
            if (e.contains("error")) line["error"] = e["error"];
            else {
                line["requests"] = json::array();
                const json &batched = e["batchedRequest"];
                for (const json &r : batched.is_array() ? batched : json::array({batched})) line["requests"].push_back(request_of(r));
            }
            g.expected.push_back(line);
        }
        g.envelope = c["raw_request_body"];
        g.reference_answer = c["expected"];
        cases.push_back(std::move(g));
    }
}

}  // namespace

GoldenCases load_golden_cases() {
    GoldenCases golden;
    try {
        add_processor_file("processor", golden.cases);
        add_processor_file("legacy_processor", golden.cases);
        add_router_file(golden.cases);
        add_legacy_router_file(golden.cases);
    } catch (const std::exception &e) {
        return {{}, e.what()};
    }
    if (golden.cases.empty()) golden.problem = "the golden files of tests/data/conformance/iterable/ hold no case";
    return golden;
}

}  // namespace iterable_test
