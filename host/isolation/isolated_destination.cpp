// Each call: the request framed, the worker's answer read into a result that points into it, and
// what the plugin reported through the host API replayed on this destination's services.
#include "host/isolation/isolated_destination.h"

#include <algorithm>

namespace switchyard {
namespace {

void put_events(wire::Writer &request, std::span<const sy_borrowed_str> events) {
    request.put(static_cast<uint64_t>(events.size()));
    for (const sy_borrowed_str &event : events) request.put(std::string_view(event.ptr, event.len));
}

wire::Writer request_for(wire::Op op, uint64_t key) {
    wire::Writer request;
    request.put(op);
    request.put(key);
    return request;
}

}  // namespace

IsolatedDestination::IsolatedDestination(std::shared_ptr<PluginWorker> worker, std::shared_ptr<const PluginLibrary> plugin,
                                         std::string id, CallDeadlines deadlines, Metrics *metrics)
    : Destination(std::move(plugin), std::move(id)),
      worker_(std::move(worker)),
      deadlines_(deadlines),
      services_(std::make_unique<HostServices>(plugin_->name(), id_, metrics)) {}

std::shared_ptr<Destination> IsolatedDestination::create(const std::shared_ptr<PluginWorker> &worker,
                                                         const std::shared_ptr<const PluginLibrary> &plugin, std::string id,
                                                         const std::string &settings_json, CallDeadlines deadlines,
                                                         std::string &error, Metrics *metrics) {
    std::vector<Made> made = create_all(worker, plugin, {{std::move(id), settings_json, deadlines}}, metrics);
    error = std::move(made.front().error);
    return std::move(made.front().instance);
}

std::vector<IsolatedDestination::Made> IsolatedDestination::create_all(const std::shared_ptr<PluginWorker> &worker,
                                                                       const std::shared_ptr<const PluginLibrary> &plugin,
                                                                       const std::vector<Order> &orders,
                                                                       Metrics *metrics) {
    if (orders.empty()) return {};
    std::vector<std::pair<std::string, std::string>> inits;
    inits.reserve(orders.size());
    for (const Order &o : orders) inits.emplace_back(o.id, o.settings_json);
    std::vector<PluginWorker::Creation> creations = worker->create_all(inits);
    std::vector<Made> made(orders.size());
    std::vector<std::string> limit_requests;
    std::chrono::milliseconds limits_deadline = orders.front().deadlines.transform;
    for (size_t i = 0; i < orders.size(); ++i) {
        auto destination =
            std::make_shared<IsolatedDestination>(worker, plugin, orders[i].id, orders[i].deadlines, metrics);
        destination->services_->keep_warnings(true);
        destination->replay(creations[i].effects);
        destination->services_->keep_warnings(false);
        destination->init_warnings_ = destination->services_->kept_warnings();
        made[i].error = std::move(creations[i].error);
        if (!creations[i].key) continue;
        destination->key_ = *creations[i].key;
        limit_requests.push_back(request_for(wire::Op::rate_limits, destination->key_).framed());
        limits_deadline = std::min(limits_deadline, orders[i].deadlines.transform);
        made[i].instance = std::move(destination);
    }
    const std::vector<CallReply> limits = worker->call_all(limit_requests, limits_deadline, "rate_limits");
    size_t next = 0;
    for (Made &m : made)
        if (m.instance) static_cast<IsolatedDestination &>(*m.instance).take_rate_limits(limits[next++]);
    return made;
}

void IsolatedDestination::take_rate_limits(const CallReply &reply) {
    if (!reply.message) return;
    wire::Reader limits(*reply.message);
    limits.get<uint8_t>();
    limits.bytes();
    rate_limits_ = wire::get_rate_limits(limits);
    limits_message_ = reply.message;
}

IsolatedDestination::~IsolatedDestination() {
    if (key_ != 0) worker_->destroy(key_);
}

void IsolatedDestination::replay(const std::vector<wire::Effect> &effects) const {
    const sy_host_api *api = services_->api();
    for (const wire::Effect &e : effects) {
        const sy_str_view text{e.text.data(), e.text.size()};
        switch (e.kind) {
            case wire::Effect::Kind::log: api->log(api->host_ctx, e.level, text); break;
            case wire::Effect::Kind::count: api->count(api->host_ctx, text, e.delta); break;
            case wire::Effect::Kind::gauge: api->gauge(api->host_ctx, text, e.value); break;
        }
    }
}

// The worker's answer: [usable][problem][the read, when usable][effects].
template <class Result, class Get>
Result IsolatedDestination::ask(wire::Writer &request, std::chrono::milliseconds timeout, std::string_view what,
                                Get get_read) const {
    CallReply reply = worker_->call(request.framed(), timeout, what, id_);
    if (!reply.message) {
        if (!reply.crash.empty()) return Result::lost(reply.crash, reply.problem);
        return Result(nullptr, false, nullptr, {}, std::move(reply.problem));
    }
    wire::Reader in(*reply.message);
    const bool usable = in.get<uint8_t>() != 0;
    std::string problem(in.bytes());
    decltype(get_read(in)) read{};
    if (usable) read = get_read(in);
    replay(wire::get_effects(in));
    if (!in.at_end()) problem = "the plugin worker's answer to " + std::string(what) + " was garbled";
    if (!usable || !problem.empty()) return Result(nullptr, false, nullptr, {}, std::move(problem));
    return Result(std::move(reply.message), std::move(read));
}

TransformResult IsolatedDestination::transform_call(wire::Op op, std::span<const sy_borrowed_str> events,
                                                    uint32_t most) const {
    wire::Writer request = request_for(op, key_);
    if (op == wire::Op::transform) request.put(most);
    put_events(request, events);
    return ask<TransformResult>(request, deadlines_.transform, op == wire::Op::transform ? "transform" : "delete_users",
                                wire::get_transform);
}

TransformResult IsolatedDestination::transform(std::span<const sy_borrowed_str> events,
                                               uint32_t max_events_per_request) const {
    return transform_call(wire::Op::transform, events, max_events_per_request);
}

TransformResult IsolatedDestination::delete_users(std::span<const sy_borrowed_str> users) const {
    return transform_call(wire::Op::delete_users, users, 0);
}

SendResult IsolatedDestination::send(const sy_request &request) const {
    wire::Writer message = request_for(wire::Op::send, key_);
    wire::put_request(message, request);
    return ask<SendResult>(message, deadlines_.send, "send", wire::get_send);
}

std::vector<sy_rate_limit> IsolatedDestination::rate_limits() const { return rate_limits_; }

Verification IsolatedDestination::verify() const {
    wire::Writer request = request_for(wire::Op::verify, key_);
    const CallReply reply = worker_->call(request.framed(), deadlines_.transform, "verify", id_);
    Verification verdict;
    if (!reply.message) {
        verdict.checked = true;
        verdict.outcome = SY_RETRY;
        verdict.message = reply.problem;
        return verdict;
    }
    wire::Reader in(*reply.message);
    in.get<uint8_t>();
    in.bytes();
    verdict.checked = in.get<uint8_t>() != 0;
    verdict.outcome = in.get<sy_outcome>();
    verdict.message = in.bytes();
    replay(wire::get_effects(in));
    return verdict;
}

}  // namespace switchyard
