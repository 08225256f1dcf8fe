// What crosses between the host and a plugin worker for each call: requests, the results read
// by the ABI's rules (plugin_results.h), rate limits, and the host-API calls the plugin made.
// Decoded results point into the message they were read from: keep it while they are used.
#pragma once

#include <string>
#include <vector>

#include "host/isolation/wire.h"
#include "host/plugin/plugin_results.h"
#include "switchyard/plugin.h"

namespace switchyard::wire {

// A call the plugin made on the host API (log, count, gauge) in the worker, replayed by the host
// on the destination's own services so that logs and /metrics are the host's.
struct Effect {
    enum class Kind : uint8_t { log, count, gauge } kind = Kind::log;
    sy_log_level level = SY_LOG_INFO;
    std::string text;  // the message, or the metric's name
    uint64_t delta = 0;
    double value = 0;
};

void put_effects(Writer &out, const std::vector<Effect> &effects);
std::vector<Effect> get_effects(Reader &in);

void put_request(Writer &out, const sy_request &request);
// The request, host-sized; its headers and event indexes live in `read`'s owned vectors.
void get_request(Reader &in, RequestRead &read);

void put_transform(Writer &out, const TransformRead &result);
TransformRead get_transform(Reader &in);

void put_send(Writer &out, const SendRead &result);
SendRead get_send(Reader &in);

void put_rate_limits(Writer &out, const std::vector<sy_rate_limit> &limits);
std::vector<sy_rate_limit> get_rate_limits(Reader &in);

}  // namespace switchyard::wire
