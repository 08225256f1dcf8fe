// Strict YAML: each known trap (a value that swallowed the lines after it) is a problem naming
// file, line and key; well-formed files, the example config among them, load as before.
#include <fstream>

#include <gtest/gtest.h>

#include "host/config/workspace.h"

namespace switchyard {
namespace {

struct Trap {
    const char *name;
    const char *text;
    int line;              // of the problem
    const char *key;       // the key it names
    const char *fragment;  // in the sentence
};

// Sources first, so that the trap's line numbers are easy to read.
const Trap kTraps[] = {
    {"UnterminatedDoubleQuote",
     "workspace: w\nsources:\n  - id: web\n    write_key: \"abc\n    destinations: [d1]\n"
     "destinations:\n  - id: d1\n    plugin: iterable\n",
     4, "sources[0].write_key", "no closing quote"},
    {"UnterminatedSingleQuote",
     "workspace: w\nsources:\n  - id: web\n    write_key: 'abc\n    destinations: [d1]\n"
     "destinations:\n  - id: d1\n    plugin: iterable\n",
     4, "sources[0].write_key", "no closing quote"},
    {"UnterminatedQuoteInPluginSettings",
     "workspace: w\ndestinations:\n  - id: d1\n    plugin: iterable\n    settings:\n      apiKey: \"abc\n"
     "      dataCenter: USDC\n",
     6, "destinations[0].settings.apiKey", "no closing quote"},
    {"QuotedValueClosedOnALaterLine",
     "workspace: w\nsources:\n  - id: web\n    write_key: \"abc\n      def\"\n    destinations: [d1]\n", 4,
     "sources[0].write_key", "runs on to line 5"},
    {"TabIndentation",
     "workspace: w\nsources:\n  - id: web\n    write_key: abc\n\tdestinations: [d1]\n", 5, "destinations",
     "invalid YAML (illegal tab"},
    {"TabAfterTheIndentation",
     "workspace: w\nsources:\n  - id: web\n    write_key: abc\n     \tdestinations [d1]\n", 4,
     "sources[0].write_key", "runs on to the next line"},
    {"PlainValueContinuedOntoAKey",
     "workspace: w\nsources:\n  - id: web\n    write_key: abc\n      destinations:[d1]\n", 4,
     "sources[0].write_key", "runs on to the next line"},
    {"PlainValueContinuedOntoAKeyAndValue",
     "workspace: w\nsources:\n  - id: web\n    write_key: abc\n      destinations: [d1]\n", 5, "destinations",
     "invalid YAML"},
    {"FlowScalarSpanningLines",
     "workspace: w\nsources:\n  - id: web\n    write_key: abc\n    destinations: [d1\n      d2]\n", 5,
     "sources[0].destinations[0]", "runs on to the next line"},
    {"NoSpaceAfterColonInAMapping",
     "workspace: w\nsources:\n  - id: web\n    write_key:abc\n    destinations: [d1]\n", 4, "write_key",
     "\"write_key:\" has no space after the colon"},
    {"NoSpaceAfterColonInAListItem",
     "workspace: w\nsources:\n  - id:web\n", 3, "sources[0]", "\"id:\" has no space after the colon"},
    {"NoSpaceAfterColonAsTheLastKey",
     "workspace: w\ndestinations:\n  - id: d1\n    plugin: iterable\n    settings:\n      apiKey:abc\n", 6,
     "destinations[0].settings", "\"apiKey:\" has no space after the colon"},
    {"AliasThatHoldsItself", "workspace: w\ndestinations:\n  - id: d1\n    plugin: iterable\n"
      "    settings:\n      a: &x [1, *x]\n", 6, "destinations[0].settings.a[1]", "refers to a list or mapping that holds it"},
};

void PrintTo(const Trap &trap, std::ostream *out) { *out << trap.name; }

class WorkspaceDir {
   public:
    WorkspaceDir() {
        std::string pattern = ::testing::TempDir() + "yaml-strict-XXXXXX";
        dir_ = ::mkdtemp(pattern.data());
    }
    ~WorkspaceDir() { std::filesystem::remove_all(dir_); }
    std::string write(const std::string &name, const std::string &text) {
        std::ofstream(dir_ / name, std::ios::binary) << text;
        return (dir_ / name).string();
    }
    const std::filesystem::path &path() const { return dir_; }

   private:
    std::filesystem::path dir_;
};

std::optional<std::string> no_env(const std::string &) { return std::nullopt; }

class YamlTrapTest : public ::testing::TestWithParam<Trap> {};

TEST_P(YamlTrapTest, IsAProblemNamingFileLineAndKey) {
    const Trap &trap = GetParam();
    WorkspaceDir dir;
    const std::string file = dir.write("w.yaml", trap.text);
    const ConfigLoad load = load_config_dir(dir.path(), no_env);
    const std::string prefix = file + ":" + std::to_string(trap.line) + ": " + trap.key + ": ";
    const auto named = [&](const std::string &p) {
        return p.starts_with(prefix) && p.find(trap.fragment) != std::string::npos;
    };
    EXPECT_TRUE(std::any_of(load.problems.begin(), load.problems.end(), named))
        << "expected \"" << prefix << "…" << trap.fragment << "…\", got:\n"
        << ::testing::PrintToString(load.problems);
    EXPECT_TRUE(load.config.sources.empty());  // nothing of a swallowed file is used
    for (const std::string &p : load.problems) EXPECT_EQ(p.find("abc"), std::string::npos) << "a value was quoted: " << p;
}

INSTANTIATE_TEST_SUITE_P(Traps, YamlTrapTest, ::testing::ValuesIn(kTraps),
                         [](const auto &info) { return std::string(info.param.name); });

// What the strict reading must leave alone.
TEST(YamlStrict, WellFormedValuesOfEveryStyleLoad) {
    WorkspaceDir dir;
    dir.write("w.yaml",
              "\xEF\xBB\xBFworkspace: w\r\n"  // a byte-order mark and CRLF line ends
              "sources:\r\n"
              "  - id: web\r\n"
              "    write_key: 'k1'  # a comment\r\n"
              "    destinations: [d1,\r\n"
              "                   d2]\r\n"
              "    trusted: false\r\n"
              "destinations:\r\n"
              "  - id: d1\r\n"
              "    plugin: iterable\r\n"
              "    settings:\r\n"
              "      endpoint: http://127.0.0.1:8090/api/\r\n"
              "      event: Order:Completed\r\n"
              "      note: |\r\n"
              "        several lines\r\n"
              "        key:value inside a block is text\r\n"
              "      folded: >-\r\n"
              "        one\r\n"
              "        line\r\n"
              "      escaped: \"a \\\" b\"\r\n"
              "      single: 'it''s'\r\n"
              "      shared: &s {x: 1}\r\n"
              "      again: *s\r\n"
              "  - id: d2\r\n"
              "    plugin: iterable\r\n");
    const ConfigLoad load = load_config_dir(dir.path(), no_env);
    EXPECT_TRUE(load.problems.empty()) << ::testing::PrintToString(load.problems);
    ASSERT_EQ(load.config.sources.size(), 1u);
    EXPECT_EQ(load.config.sources[0].write_key, "k1");
    ASSERT_EQ(load.config.destinations.size(), 2u);
    EXPECT_EQ(load.config.destinations[0].settings_json,
              R"({"again":{"x":1},"endpoint":"http://127.0.0.1:8090/api/","escaped":"a \" b","event":"Order:Completed",)"
              R"("folded":"one line","note":"several lines\nkey:value inside a block is text\n","shared":{"x":1},"single":"it's"})");
}

// A block scalar may span lines, but a write key travels as one HTTP header value.
TEST(YamlStrict, AWriteKeyWithALineBreakOrAQuoteIsRefusedWithoutPrintingIt) {
    WorkspaceDir dir;
    const std::string file = dir.write("w.yaml", "workspace: w\nsources:\n  - id: web\n    write_key: |\n      abc\n"
                                                 "  - id: app\n    write_key: abc\"d\n");
    const ConfigLoad load = load_config_dir(dir.path(), no_env);
    const std::vector<std::string> expected = {
        file + ":4: sources[0].write_key: must not contain spaces, line breaks or quotes",
        file + ":7: sources[1].write_key: must not contain spaces, line breaks or quotes"};
    EXPECT_EQ(load.problems, expected);
    EXPECT_TRUE(load.config.sources.empty());
}

TEST(YamlStrict, TheExampleConfigLoads) {
    const auto env = [](const std::string &name) -> std::optional<std::string> { return "value-of-" + name; };
    const ConfigLoad load = load_config_dir(EXAMPLE_CONFIG_DIR, env);
    EXPECT_TRUE(load.problems.empty()) << ::testing::PrintToString(load.problems);
    EXPECT_EQ(load.config.sources.size(), 1u);
    EXPECT_EQ(load.config.destinations.size(), 1u);
}

}  // namespace
}  // namespace switchyard
