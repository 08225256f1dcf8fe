// The 6 delete_users vectors of RudderStack's reference (tests/data/conformance/iterable/
// delete_users.json) through the plugin's delete_users and send, over the C ABI: the requests
// must be the vector's recorded calls, and sending them to the mock Iterable, answering as
// recorded, must give the reference's status and error.
#include <gtest/gtest.h>

#include "conformance_support.h"
#include "mock_iterable.h"

namespace iterable_test {
namespace {

std::vector<std::string> users_of(const json &vector) {
    std::vector<std::string> users;
    for (const json &user : vector["input"][0]["userAttributes"]) users.push_back(user.dump());
    return users;
}

std::vector<sy_str_view> views_of(const std::vector<std::string> &texts) {
    std::vector<sy_str_view> views;
    for (const std::string &t : texts) views.push_back({t.data(), t.size()});
    return views;
}

std::string text(sy_str_view v) { return {v.ptr ? v.ptr : "", v.len}; }

std::string path_of(const std::string &url) { return url.substr(url.find("/api/")); }

// The reference answers once for the whole call: the first failure, else success.
json reference_answer(const std::vector<std::pair<uint32_t, std::string>> &failures) {
    if (failures.empty()) return {{"statusCode", 200}, {"status", "successful"}};
    return {{"statusCode", failures.front().first}, {"error", failures.front().second}};
}

json sent_answer(const switchyard::Destination &destination, const switchyard::TransformRead &built) {
    std::vector<std::pair<uint32_t, std::string>> failures;
    for (const switchyard::EventErrorRead &error : built.errors) failures.emplace_back(error.status, error.message);
    for (const switchyard::RequestRead &request : built.requests) {
        switchyard::SendResult sent = destination.send(*request.as_made);
        EXPECT_TRUE(sent) << sent.problem();
        if (sent && sent->fields.outcome != SY_OK) failures.emplace_back(sent->fields.http_status, text(sent->fields.message));
    }
    return reference_answer(failures);
}

TEST(IterableUserDeletion, EveryVectorOfTheReference) {
    const json vectors = read_conformance_json("delete_users.json");
    ASSERT_EQ(vectors.size(), 6u);
    for (const json &vector : vectors) {
        SCOPED_TRACE(vector["case_id"].get<std::string>());
        const json config = vector["input"][0].value("config", json::object());
        const std::vector<std::string> users = users_of(vector);
        json expected = vector["expected"]["body"][0];
        // A host always passes a settings object, so the reference's "no config at all" arrives
        // as settings without an api key (plugins/iterable/README.md, differences).
        if (expected.value("error", "") == "Config for deletion not present") expected["error"] = "api key for deletion not present";

        // The requests, built from the vector's own config (its data center), are its calls.
        auto destination = make_destination(config);
        ASSERT_TRUE(destination->can_delete_users());
        switchyard::TransformResult built = destination->delete_users(views_of(users));
        ASSERT_TRUE(built) << built.problem();
        const json &mocks = vector["destination_http_mocks"];
        if (!built->errors.empty()) {  // refused before any call
            EXPECT_TRUE(built->requests.empty());
            EXPECT_EQ(reference_answer({{built->errors[0].status, built->errors[0].message}}), expected);
            continue;
        }
        ASSERT_EQ(built->requests.size(), mocks.size());
        for (size_t i = 0; i < mocks.size(); ++i) {
            const switchyard::RequestRead &request = built->requests[i];
            json headers = json::object();
            for (const sy_header &h : request.headers) headers[text(h.name)] = text(h.value);
            EXPECT_EQ(text(request.fields.method), "DELETE");
            EXPECT_EQ(text(request.fields.url), mocks[i]["request"]["url"]);
            EXPECT_EQ(key_value(headers), mocks[i]["request"]["headers"]["api_key"]);
        }

        // Sent to the mock, answering each call as recorded, the outcome is the reference's.
        switchyard::testing::MockIterable mock({});
        mock.start();
        for (const json &exchange : mocks)
            mock.queue_response(path_of(exchange["request"]["url"]), exchange["response"]["status"],
                                exchange["response"]["body"].dump());
        json local = config;
        local["endpoint"] = mock.base_url();
        auto at_mock = make_destination(local);
        switchyard::TransformResult to_send = at_mock->delete_users(views_of(users));
        ASSERT_TRUE(to_send) << to_send.problem();
        EXPECT_EQ(sent_answer(*at_mock, *to_send), expected);
        for (const json &exchange : mocks)
            EXPECT_EQ(mock.stats().by_path[path_of(exchange["request"]["url"]).substr(5)], 1u);
    }
}

TEST(IterableUserDeletion, UsersWithoutUserIdGoByEmailAndOthersAreSkipped) {
    auto destination = make_destination({{"apiKey", "k"}});
    const std::vector<std::string> users = {R"({"email":"a b@example.com"})", R"({"anonymousId":"x"})"};
    switchyard::TransformResult built = destination->delete_users(views_of(users));
    ASSERT_TRUE(built) << built.problem();
    ASSERT_EQ(built->requests.size(), 1u);
    EXPECT_EQ(text(built->requests[0].fields.url), "https://api.iterable.com/api/users/a%20b@example.com");
    ASSERT_EQ(built->errors.size(), 1u);
    EXPECT_EQ(built->errors[0].event_index, 1u);
    EXPECT_EQ(built->errors[0].outcome, SY_SKIPPED);
}

}  // namespace
}  // namespace iterable_test
