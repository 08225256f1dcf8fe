// User deletion at Iterable (see user_deletion.h). Reference: rudder-transformer
// src/v0/destinations/iterable/deleteUsers.js (userDeletionHandler); vectors:
// tests/data/conformance/iterable/delete_users.json.
#include "user_deletion.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "switchyard/sdk/grading.h"

namespace iterable {
namespace {

using Json = nlohmann::ordered_json;  // the reference's key order: {"userId", "Reason"}

// Percent-encodes all but RFC 3986's unreserved characters and '@' (Iterable's email path), so a
// user id cannot steer the path.
std::string path_segment(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : value) {
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

std::string percent_decoded(std::string_view text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        const int high = i + 2 < text.size() && text[i] == '%' ? hex_digit(text[i + 1]) : -1;
        const int low = high >= 0 ? hex_digit(text[i + 2]) : -1;
        if (low < 0) {
            out += text[i];
            continue;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

// A non-empty string member, or "" (the reference's truthiness test, for strings).
std::string text_member(const Json &user, const char *name) {
    auto it = user.find(name);
    return it != user.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The user the request deletes, as its URL's last segment says (for messages only).
std::string deleted_user(std::string_view url) { return percent_decoded(url.substr(url.rfind('/') + 1)); }

std::string iterable_msg(const Json &answer) {
    auto it = answer.is_object() ? answer.find("msg") : answer.end();
    if (it == answer.end() || it->is_null()) return "undefined";  // as the reference's template literal prints it
    return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace

std::unique_ptr<sy::TransformOutput> build_user_deletions(const Settings &settings, const sy_borrowed_str *users,
                                                          size_t user_count) {
    auto out = std::make_unique<sy::TransformOutput>();
    for (uint32_t i = 0; i < user_count; ++i) {
        if (settings.api_key.empty()) {
            out->add_error(i, SY_ABORT, 400, "api key for deletion not present");
            continue;
        }
        const Json user = Json::parse(sy::view(users[i]), nullptr, false);
        const std::string user_id = user.is_object() ? text_member(user, "userId") : std::string();
        const std::string email = user.is_object() ? text_member(user, "email") : std::string();
        if (user_id.empty() && email.empty()) {
            out->add_error(i, SY_SKIPPED, 0, "The user has neither a userId nor an email to delete by.");
            continue;
        }
        sy::Request request;
        request.method = "DELETE";
        request.url = settings.base_url +
                      (user_id.empty() ? "users/" + path_segment(email) : "users/byUserId/" + path_segment(user_id));
        request.headers.push_back({"Content-Type", "application/json"});
        request.headers.push_back({"Api-Key", settings.api_key.reveal()});  // README difference 4, as every request
        request.event_indexes = {i};
        request.kind = std::string(kUserDeletionKind);
        out->add(std::move(request));
    }
    return out;
}

void grade_user_deletion(const sy_request &request, const sy::sdk::HttpAnswer &answer, sy::SendOutput &out) {
    sy::sdk::grade_status(answer, out);
    if (answer.status == 404) out.outcome = SY_OK;  // already gone: what deletion wants
    if (out.outcome == SY_OK) return;
    if (answer.status == 0) {
        out.message = "User deletion request failed : no answer from Iterable (" + answer.transport_error + ")";
        return;
    }
    const Json parsed = Json::parse(answer.body, nullptr, false);
    if (answer.status == 400) {
        const Json failed = Json::array({Json{{"userId", deleted_user(sy::view(request.url))}, {"Reason", iterable_msg(parsed)}}});
        out.message = "User deletion request failed for userIds : " + failed.dump();
        return;
    }
    out.message = "User deletion request failed : " + iterable_msg(parsed);
}

}  // namespace iterable
