// One message of every type, shaped as the host passes them to a plugin: what an SDK sends plus
// what ingestion adds (messageId when absent, receivedAt, timestamp corrected for clock skew).
#include "host/plugin_check/sample_events.h"

namespace switchyard::plugin_check {
namespace {

// Written out in full rather than generated, so a failing check can be reproduced with
// `switchyard transform` by pasting the line.
constexpr SampleEvent kSamples[] = {
    {"identify",
     R"({"type":"identify","messageId":"7b1e4f0a-0c52-4b7e-9d0e-2a6f3c1d9e01","userId":"user-1042","anonymousId":"a6f1c3e2-58d4-4b2a-9f61-0c7d2e8b4a10","channel":"web","context":{"library":{"name":"RudderLabs JavaScript SDK","version":"3.0.10"},"locale":"en-GB","ip":"203.0.113.7","userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36","traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","plan":"pro"}},"traits":{"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","plan":"pro","createdAt":"2024-04-30T17:02:11.000Z"},"originalTimestamp":"2024-05-01T08:00:00.093Z","sentAt":"2024-05-01T08:00:00.316Z","receivedAt":"2024-05-01T08:00:00.740Z","timestamp":"2024-05-01T08:00:00.517Z"})"},
    {"track",
     R"({"type":"track","messageId":"c3d2a9b8-4f61-4e0a-8b7c-5d1e2f3a4b02","userId":"user-1042","anonymousId":"a6f1c3e2-58d4-4b2a-9f61-0c7d2e8b4a10","channel":"web","event":"Order Completed","properties":{"orderId":"ord-88121","revenue":129.9,"currency":"EUR","products":[{"productId":"sku-1","name":"Kettle","price":59.95,"quantity":1},{"productId":"sku-7","name":"Teapot","price":34.975,"quantity":2}]},"context":{"library":{"name":"RudderLabs JavaScript SDK","version":"3.0.10"},"locale":"en-GB","ip":"203.0.113.7","traits":{"email":"ada@example.com"}},"originalTimestamp":"2024-05-01T08:01:12.000Z","sentAt":"2024-05-01T08:01:12.120Z","receivedAt":"2024-05-01T08:01:12.402Z","timestamp":"2024-05-01T08:01:12.282Z"})"},
    {"page",
     R"({"type":"page","messageId":"0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c03","userId":"user-1042","anonymousId":"a6f1c3e2-58d4-4b2a-9f61-0c7d2e8b4a10","channel":"web","name":"Pricing","category":"Marketing","properties":{"path":"/pricing","referrer":"https://www.example.org/","search":"?ref=nav","title":"Pricing | Example","url":"https://www.example.com/pricing?ref=nav"},"context":{"library":{"name":"RudderLabs JavaScript SDK","version":"3.0.10"},"page":{"path":"/pricing","title":"Pricing | Example","url":"https://www.example.com/pricing?ref=nav"},"traits":{"email":"ada@example.com"}},"originalTimestamp":"2024-05-01T08:02:00.000Z","sentAt":"2024-05-01T08:02:00.050Z","receivedAt":"2024-05-01T08:02:00.300Z","timestamp":"2024-05-01T08:02:00.250Z"})"},
    {"screen",
     R"({"type":"screen","messageId":"5f4e3d2c-1b0a-4f9e-8d7c-6b5a4f3e2d04","userId":"user-2201","anonymousId":"8d7c6b5a-4f3e-4d2c-9b1a-0f9e8d7c6b5a","channel":"mobile","name":"Checkout","properties":{"step":2,"cartValue":42.5},"context":{"library":{"name":"com.rudderstack.android.sdk.core","version":"1.20.1"},"app":{"name":"Example","version":"4.2.0","build":"420"},"device":{"id":"f1e2d3c4b5a69788","manufacturer":"Google","model":"Pixel 8","type":"android","token":"fcm-token-8c1f2e"},"os":{"name":"Android","version":"14"},"traits":{"email":"grace@example.com"}},"originalTimestamp":"2024-05-01T08:03:30.000Z","sentAt":"2024-05-01T08:03:31.000Z","receivedAt":"2024-05-01T08:03:31.200Z","timestamp":"2024-05-01T08:03:30.200Z"})"},
    {"group",
     R"({"type":"group","messageId":"9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c05","userId":"user-1042","anonymousId":"a6f1c3e2-58d4-4b2a-9f61-0c7d2e8b4a10","channel":"server","groupId":"acct-311","traits":{"name":"Analytical Engines Ltd","industry":"Manufacturing","employees":120,"plan":"enterprise"},"context":{"library":{"name":"@rudderstack/rudder-sdk-node","version":"2.0.7"},"traits":{"email":"ada@example.com"}},"originalTimestamp":"2024-05-01T08:04:00.000Z","sentAt":"2024-05-01T08:04:00.010Z","receivedAt":"2024-05-01T08:04:00.090Z","timestamp":"2024-05-01T08:04:00.080Z"})"},
    {"alias",
     R"({"type":"alias","messageId":"1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e06","userId":"ada@example.com","previousId":"user-1042","anonymousId":"a6f1c3e2-58d4-4b2a-9f61-0c7d2e8b4a10","channel":"server","context":{"library":{"name":"@rudderstack/rudder-sdk-node","version":"2.0.7"},"traits":{"email":"ada@example.com"}},"originalTimestamp":"2024-05-01T08:05:00.000Z","sentAt":"2024-05-01T08:05:00.020Z","receivedAt":"2024-05-01T08:05:00.110Z","timestamp":"2024-05-01T08:05:00.090Z"})"},
};

}  // namespace

std::span<const SampleEvent> sample_events() { return kSamples; }

}  // namespace switchyard::plugin_check
