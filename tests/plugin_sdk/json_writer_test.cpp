// The request-body writer escapes exactly as JSON.stringify does, on every byte position.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "switchyard/sdk/json_writer.h"

namespace sy::sdk {
namespace {

std::string written(std::string_view text) {
    std::string out;
    JsonWriter(out).string(text);
    return out;
}

TEST(JsonWriter, EscapesLikeJsonStringify) {
    EXPECT_EQ(written("plain ascii text, long enough for words"), "\"plain ascii text, long enough for words\"");
    EXPECT_EQ(written("a\"b\\c\nd\te\x01"), R"("a\"b\\c\nd\te\u0001")");
    EXPECT_EQ(written("Zoë García/Müller"), "\"Zoë García/Müller\"");
    EXPECT_EQ(written(std::string("\0", 1)), R"("\u0000")");
}

TEST(JsonWriter, EverySpecialByteAtEveryOffsetRoundTrips) {
    for (char special : {'"', '\\', '\n', '\x1f', '\x7f'}) {
        for (size_t at = 0; at < 20; ++at) {
            std::string text(20, 'x');
            text[at] = special;
            EXPECT_EQ(nlohmann::json::parse(written(text)).get<std::string>(), text) << int(special) << " at " << at;
        }
    }
}

TEST(JsonWriter, NumbersAsJavaScriptWritesThemAndStructure) {
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("a");
    w.number(1.5);
    w.key("b");
    w.number(NAN);
    w.key("big");
    w.number(1e21);
    w.key("c");
    w.begin_array();
    w.int64(-3);
    w.boolean(true);
    w.null();
    w.end_array();
    w.end_object();
    EXPECT_EQ(out, R"({"a":1.5,"b":null,"big":1e+21,"c":[-3,true,null]})");
}

}  // namespace
}  // namespace sy::sdk
