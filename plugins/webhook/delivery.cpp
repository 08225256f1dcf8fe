// One webhook request out, one outcome back (see delivery.h).
#include "delivery.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "switchyard/sdk/grading.h"

namespace webhook {
namespace {

constexpr size_t kExcerptBytes = 200;
// A header value shorter than this is no credential, and blanking it would garble the excerpt.
constexpr size_t kShortestBlankedValue = 4;

// At most kExcerptBytes of `body` on one line, not cut inside a UTF-8 sequence.
std::string excerpt_of(std::string_view body) {
    if (body.size() > kExcerptBytes) {
        size_t cut = kExcerptBytes;
        while (cut > 0 && (static_cast<unsigned char>(body[cut]) & 0xC0) == 0x80) --cut;
        body = body.substr(0, cut);
    }
    std::string out(body);
    for (char &c : out)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return out;
}

void blank(std::string &text, std::string_view secret) {
    if (secret.size() < kShortestBlankedValue) return;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "[redacted]");
}

bool is_content_type(std::string_view name) {
    constexpr std::string_view kName = "content-type";
    return name.size() == kName.size() && std::equal(name.begin(), name.end(), kName.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == b;
           });
}

// A receiver may echo the request (Express answers "Cannot POST /hooks/<token>"): neither a
// header value nor the URL or its path, all possibly credentials, leaves through a message.
void blank_request_secrets(std::string &text, const sy_request &request) {
    for (size_t i = 0; i < request.header_count; ++i)
        if (!is_content_type(sy::view(request.headers[i].name))) blank(text, sy::view(request.headers[i].value));
    const std::string_view url = sy::view(request.url);
    blank(text, url);
    if (const size_t scheme = url.find("://"); scheme != std::string_view::npos)
        if (const size_t path = url.find('/', scheme + 3); path != std::string_view::npos) blank(text, url.substr(path));
}

std::string answer_sentence(const sy::sdk::HttpAnswer &answer, const sy_request &request) {
    if (answer.status == 0) return "The webhook request got no answer: " + answer.transport_error + ".";
    std::string sentence = "The webhook answered HTTP " + std::to_string(answer.status);
    std::string body = answer.body;  // blanked whole: a cut could leave half a secret unrecognised
    blank_request_secrets(body, request);
    const std::string excerpt = excerpt_of(body);
    return excerpt.empty() ? sentence + " with an empty body." : sentence + ": " + excerpt;
}

}  // namespace

std::unique_ptr<sy::SendOutput> deliver(const sy::sdk::HttpClient &http, const sy_request &request) {
    const sy::sdk::HttpAnswer answer = http.perform(request);
    auto out = std::make_unique<sy::SendOutput>();
    sy::sdk::grade_status(answer, *out);
    if (out->outcome != SY_OK) out->message = answer_sentence(answer, request);
    return out;
}

Reachability check_reachable(const sy::sdk::HttpClient &http, const std::string &url) {
    sy_request probe{};
    probe.struct_size = sizeof probe;
    probe.method = sy::view(std::string_view("OPTIONS"));
    probe.url = sy::view(url);
    const sy::sdk::HttpAnswer answer = http.perform(probe);
    if (answer.status != 0) return {};
    return {SY_RETRY, "The webhook URL is not reachable: " + answer.transport_error + "."};
}

}  // namespace webhook
