// The plugin worker's wire: results, requests and host-API calls survive the trip field for
// field, and a truncated message is one failed check, never a read past its end.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/isolation/wire_calls.h"

namespace switchyard::wire {
namespace {

sy_str_view view(std::string_view s) { return {s.data(), s.size()}; }
std::string_view text(sy_str_view v) { return {v.ptr, v.len}; }

// What follows a Writer's frame length: the message a Reader reads.
std::string message_of(Writer &writer) { return writer.framed().substr(sizeof(uint32_t)); }

TEST(Wire, ATransformResultCrossesFieldForField) {
    const sy_header headers[] = {{sizeof(sy_header), view("Api-Key"), view("k")},
                                 {sizeof(sy_header), view("Content-Type"), view("application/json")}};
    RequestRead request(std::vector<uint32_t>{0, 2});
    request.fields = {sizeof(sy_request), view("users/bulkUpdate"), view("POST"), view("http://127.0.0.1/x"),
                      headers, 2, view("{\"users\":[]}"), nullptr, 0, view("bulk")};
    request.headers = headers;
    TransformRead sent;
    sent.requests.push_back(std::move(request));
    sent.errors.push_back({1, SY_ABORT, 400, "no userId", false});
    sent.errors.push_back({3, SY_SKIPPED, 0, "group", true});
    Writer writer;
    put_transform(writer, sent);
    const std::string message = message_of(writer);
    Reader in(message);
    const TransformRead got = get_transform(in);
    ASSERT_TRUE(in.at_end());
    ASSERT_EQ(got.requests.size(), 1U);
    const RequestRead &r = got.requests[0];
    EXPECT_EQ(r.as_made, nullptr);
    EXPECT_EQ(&r.to_send(), &r.fields);
    EXPECT_EQ(text(r.fields.kind), "users/bulkUpdate");
    EXPECT_EQ(text(r.fields.method), "POST");
    EXPECT_EQ(text(r.fields.url), "http://127.0.0.1/x");
    EXPECT_EQ(text(r.fields.body), "{\"users\":[]}");
    EXPECT_EQ(text(r.fields.rate_key), "bulk");
    ASSERT_EQ(r.fields.header_count, 2U);
    EXPECT_EQ(text(r.fields.headers[1].value), "application/json");
    EXPECT_EQ(r.fields.headers[1].struct_size, sizeof(sy_header));
    EXPECT_EQ(std::vector<uint32_t>(r.event_indexes.begin(), r.event_indexes.end()), (std::vector<uint32_t>{0, 2}));
    ASSERT_EQ(got.errors.size(), 2U);
    EXPECT_EQ(got.errors[0].event_index, 1U);
    EXPECT_EQ(got.errors[0].status, 400U);
    EXPECT_EQ(got.errors[0].message, "no userId");
    EXPECT_EQ(got.errors[1].outcome, SY_SKIPPED);
    EXPECT_TRUE(got.errors[1].skipped_by_host);
}

TEST(Wire, ASendResultAndEffectsCross) {
    SendRead sent;
    sent.fields = {sizeof(sy_send_result), nullptr, SY_THROTTLED, 429, 1500, view("slow down"), nullptr, 0};
    sent.events.push_back({sizeof(sy_event_outcome), SY_ABORT, 400, view("bad email")});
    Writer writer;
    put_send(writer, sent);
    put_effects(writer, {{Effect::Kind::log, SY_LOG_WARN, "careful"}, {Effect::Kind::count, SY_LOG_INFO, "sent", 3}});
    const std::string message = message_of(writer);
    Reader in(message);
    const SendRead got = get_send(in);
    const std::vector<Effect> effects = get_effects(in);
    ASSERT_TRUE(in.at_end());
    EXPECT_EQ(got.fields.outcome, SY_THROTTLED);
    EXPECT_EQ(got.fields.retry_after_ms, 1500U);
    EXPECT_EQ(text(got.fields.message), "slow down");
    ASSERT_EQ(got.fields.event_count, 1U);
    EXPECT_EQ(text(got.fields.events[0].message), "bad email");
    ASSERT_EQ(effects.size(), 2U);
    EXPECT_EQ(effects[0].text, "careful");
    EXPECT_EQ(effects[0].level, SY_LOG_WARN);
    EXPECT_EQ(effects[1].delta, 3U);
}

TEST(Wire, ATruncatedMessageFailsTheCheckInsteadOfReadingPastItsEnd) {
    Writer writer;
    put_rate_limits(writer, {{sizeof(sy_rate_limit), view("bulk"), 5.0, 5}});
    const std::string message = message_of(writer);
    for (size_t cut = 0; cut < message.size(); ++cut) {
        Reader in(std::string_view(message).substr(0, cut));
        get_rate_limits(in);
        EXPECT_FALSE(in.ok()) << "cut at " << cut;
    }
    Reader lying("\xff\xff\xff\xff\xff\xff\xff\x7f");  // a count of 2^63 items
    EXPECT_TRUE(get_transform(lying).requests.empty());
    EXPECT_FALSE(lying.ok());
}

TEST(Wire, FramesCrossASocketAndADeadlinePasses) {
    int ends[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends), 0);
    Writer writer;
    writer.put(std::string_view(std::string(1 << 20, 'x')));  // larger than the socket's buffer
    std::string received;
    std::thread reader([&] { EXPECT_EQ(read_frame(ends[1], received, std::nullopt), Io::done); });
    EXPECT_EQ(write_frame(ends[0], writer.framed(), std::nullopt), Io::done);
    reader.join();
    EXPECT_EQ(received.size(), (1U << 20) + sizeof(uint64_t));
    const auto soon = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
    EXPECT_EQ(read_frame(ends[1], received, soon), Io::timed_out);
    ::close(ends[0]);
    EXPECT_EQ(read_frame(ends[1], received, std::nullopt), Io::closed);
    ::close(ends[1]);
}

}  // namespace
}  // namespace switchyard::wire
