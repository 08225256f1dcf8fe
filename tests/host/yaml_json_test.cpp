// Settings files: YAML and JSON give the same JSON; scalars typed by the YAML 1.2 core schema.
#include <fstream>

#include <gtest/gtest.h>

#include "host/config/settings_file.h"
#include "host/config/yaml_json.h"

namespace switchyard {
namespace {

TEST(YamlJson, PlainScalarsAreTypedQuotedOnesStayStrings) {
    const auto json = yaml_to_json(YAML::Load("a: true\nb: 12\nc: 1.5\nd: ~\ne: '12'\nf: USDC\ng: [1, x]\n"));
    EXPECT_EQ(json.dump(), R"({"a":true,"b":12,"c":1.5,"d":null,"e":"12","f":"USDC","g":[1,"x"]})");
}

TEST(YamlJson, NumbersPastADoubleStayTextInsteadOfThrowing) {
    // Seen while writing tests/fuzz/workspace_fuzz (regressions/workspace/number-past-double.yaml): std::stod
    // threw out_of_range out of load_config_dir. Past int64 a number is still read as a float.
    nlohmann::json json;
    const std::string huge(400, '9');
    ASSERT_NO_THROW(json = yaml_to_json(YAML::Load("a: 1e999\nb: -1e-999\nc: " + huge + "\nd: 99999999999999999999\n")));
    EXPECT_EQ(json["a"], "1e999");
    EXPECT_EQ(json["b"], "-1e-999");
    EXPECT_EQ(json["c"], huge);
    EXPECT_EQ(json["d"], 1e20);
}

TEST(SettingsFile, ReadsJsonAndYamlAndNamesTheFileOnError) {
    const std::string dir = ::testing::TempDir();
    std::ofstream(dir + "s.yaml") << "apiKey: k\ntrackAllPages: true\n";
    std::ofstream(dir + "s.json") << R"({"apiKey":"k","trackAllPages":true})";
    std::ofstream(dir + "bad.yaml") << "apiKey: [unclosed\n";
    std::ofstream(dir + "list.yaml") << "- a\n- b\n";
    std::ofstream(dir + "unclosed.yaml") << "apiKey: \"k\ntrackAllPages: true\n";  // yaml-cpp accepts it
    std::string error;
    EXPECT_EQ(read_settings_file(dir + "s.yaml", error), read_settings_file(dir + "s.json", error));
    EXPECT_EQ(read_settings_file(dir + "bad.yaml", error), std::nullopt);
    EXPECT_EQ(error.rfind(dir + "bad.yaml:", 0), 0u) << error;
    EXPECT_EQ(read_settings_file(dir + "unclosed.yaml", error), std::nullopt);
    EXPECT_EQ(error, dir + "unclosed.yaml:1: apiKey: the quoted value has no closing quote, so it swallowed every "
                           "line after it");
    EXPECT_EQ(read_settings_file(dir + "list.yaml", error), std::nullopt);
    EXPECT_EQ(error, dir + "list.yaml: settings must be a mapping of keys to values");
    EXPECT_EQ(read_settings_file(dir + "missing.yaml", error), std::nullopt);
    EXPECT_EQ(error, dir + "missing.yaml: cannot read settings file");
}

}  // namespace
}  // namespace switchyard
