// Settings schemas through the `switchyard` executable: `check` lists each setting's problem at
// its file:line and each plugin init warning, init gets the defaults, secret settings never show, unusable schemas are refused,
// and `plugins --describe` prints a plugin's settings reference.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/cli_run.h"

namespace switchyard::testing {
namespace {

namespace fs = std::filesystem;

CliRun run(const std::string &arguments) { return run_command(std::string(SWITCHYARD_BIN) + " " + arguments); }

// A config directory and a plugin directory holding the echo fixture (it logs its settings).
class SettingsCli : public ::testing::Test {
   protected:
    void SetUp() override {
        fs::create_directories(root_ / "config");
        fs::create_directories(root_ / "plugins");
        for (const fs::path &dir : {root_, root_ / "plugins"}) ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
        fs::copy_file(ECHO_PLUGIN, root_ / "plugins" / "echo_settings.so");
    }
    void TearDown() override { fs::remove_all(root_); }

    void write_settings(const std::string &settings_yaml) const {
        std::ofstream(root_ / "config" / "w.yaml") << "workspace: w\n"                // line 1
                                                      "destinations:\n"               // line 2
                                                      "  - id: echo\n"                // line 3
                                                      "    plugin: echo_settings\n"   // line 4
                                                      "    settings:\n"               // line 5
                                                   << settings_yaml;                  // from line 6
    }
    CliRun check() const {
        return run("check --config-dir " + (root_ / "config").string() + " --plugin-dir " + (root_ / "plugins").string());
    }
    std::string file() const { return (root_ / "config" / "w.yaml").string(); }

    fs::path root_ = fs::path(::testing::TempDir()) / ("settings-cli-" + std::to_string(::getpid()));
};

TEST_F(SettingsCli, CheckListsEverySettingProblemAtItsFileAndLine) {
    write_settings("      token: tok-cli-secret-41\n"      // 6
                   "      retries: -2\n"                   // 7
                   "      auth:\n"                         // 8: where auth.user is missing
                   "        password: pw-cli-secret-42\n"  // 9
                   "      headers:\n"                      // 10
                   "        X-Token: [1]\n");              // 11
    const CliRun r = check();
    EXPECT_EQ(r.exit_code, 1) << r.output;
    const std::string where = "problem: " + file() + ":";
    EXPECT_NE(r.output.find(where + "7: destination \"echo\": settings.retries: must be at least 0\n"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find(where + "8: destination \"echo\": settings.auth.user: is required\n"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find(where + "11: destination \"echo\": settings.headers.X-Token: must be a string\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("; 3 problem(s)"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("Started with settings"), std::string::npos) << "init ran on invalid settings:\n" << r.output;
    for (const char *secret : {"tok-cli-secret-41", "pw-cli-secret-42"})
        EXPECT_EQ(r.output.find(secret), std::string::npos) << secret << " appeared:\n" << r.output;
}

// The echo plugin logs the settings its init received: the defaults are there, the secrets are not.
TEST_F(SettingsCli, InitReceivesTheDefaultsAndItsLogNeverShowsASecret) {
    write_settings("      token: tok-cli-secret-43\n"
                   "      auth:\n"
                   "        user: plain-user\n"
                   "        password: pw-cli-secret-44\n"
                   "      headers:\n"
                   "        X-Token: hdr-cli-secret-45\n");
    const CliRun r = check();
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find(R"(Started with settings {\"auth\":{\"password\":\"[redacted]\",\"realm\":\"main\",)"
                            R"(\"user\":\"plain-user\"},\"greeting\":\"hello\",\"headers\":{\"X-Token\":\"[redacted]\"},)"
                            R"(\"retries\":3,\"token\":\"[redacted]\"})"),
              std::string::npos)
        << r.output;
    for (const char *secret : {"tok-cli-secret-43", "pw-cli-secret-44", "hdr-cli-secret-45"})
        EXPECT_EQ(r.output.find(secret), std::string::npos) << secret << " appeared:\n" << r.output;
}

// A setting that makes a whole message type fail is a warning line at the destination's
// file:line (the plugin's init warning), not a problem: the exit code stays 0.
TEST_F(SettingsCli, CheckPrintsThePluginsInitWarningsWithoutFailing) {
    fs::copy_file(PLUGIN_DIR "/iterable.so", root_ / "plugins" / "iterable.so");
    auto write_iterable = [&](const std::string &settings_yaml) {
        std::ofstream(root_ / "config" / "w.yaml") << "workspace: w\n"
                                                      "destinations:\n"
                                                      "  - id: it\n"  // line 3
                                                      "    plugin: iterable\n"
                                                      "    settings:\n"
                                                      "      apiKey: it-cli-secret-46\n"
                                                   << settings_yaml;
    };
    write_iterable("      trackCategorisedPages: false\n      trackNamedPages: false\n");
    CliRun r = check();
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("warning: " + file() + ":3: destination \"it\": Settings \"trackAllPages\", "
                            "\"trackCategorisedPages\" and \"trackNamedPages\" are all false, so every page and "
                            "screen event fails with \"Invalid page call\" (or \"Invalid screen call\").\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("; 0 problem(s)\n"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("it-cli-secret-46"), std::string::npos) << r.output;

    write_iterable("");  // only apiKey: the dashboard's defaults let named and categorised pages through
    r = check();
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("warning: "), std::string::npos) << r.output;
}

TEST_F(SettingsCli, APluginWhoseSchemaIsNotJsonIsRefused) {
    fs::copy_file(BROKEN_SCHEMA_PLUGIN, root_ / "plugins" / "broken_schema.so");
    const CliRun r = run("plugins --plugin-dir " + (root_ / "plugins").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("refused: " + (root_ / "plugins" / "broken_schema.so").string() +
                            ": its settings_schema is not valid JSON (at byte 31)\n"),
              std::string::npos)
        << r.output;
}

TEST_F(SettingsCli, TransformRefusesInvalidSettingsNamingEachOne) {
    std::ofstream(root_ / "settings.json") << R"({"retries":"x","auth":{}})";
    const CliRun r = run("transform --plugin echo_settings --plugin-dir " + (root_ / "plugins").string() +
                         " --settings " + (root_ / "settings.json").string() + " </dev/null");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_NE(r.output.find("settings.json: settings.auth.user is required; settings.retries must be a whole number.\n"),
              std::string::npos)
        << r.output;
}

TEST(PluginsDescribe, PrintsTheIterableSettingsReference) {
    const CliRun r = run("plugins --plugin-dir " PLUGIN_DIR " --describe iterable");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.rfind("iterable ", 0), 0u) << r.output;
    EXPECT_NE(r.output.find("\nSettings:\nSETTING                        TYPE                REQUIRED  DEFAULT  SECRET  "
                            "DESCRIPTION\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("\nMessage types:\nidentify, track, page, screen, alias  (the host skips other types "
                            "before transform)\n\nBatching:\nup to 1000 events per request; bodies up to 4194304 bytes\n"),
              std::string::npos)
        << r.output;
    for (const char *row : {
             "\napiKey                         string              no        -        yes     Iterable server-side API key",
             "\ndataCenter                     string (USDC|EUDC)  no        \"USDC\"   no      USDC (api.iterable.com)",
             "\nregisterDeviceOrBrowserApiKey  string              no        -        yes     Iterable mobile/web API key.",
             "\nrateLimits.*                   number              no        -        no\n",
             "\n    default of rateLimits: {\"catalogs\":100,",
         })
        EXPECT_NE(r.output.find(row), std::string::npos) << row << "\nnot in:\n" << r.output;
}

TEST(PluginsDescribe, AnUnknownPluginIsAUsageError) {
    const CliRun r = run("plugins --plugin-dir " PLUGIN_DIR " --describe nosuch");
    EXPECT_EQ(r.exit_code, 2) << r.output;
    EXPECT_EQ(r.output, "switchyard: no plugin named \"nosuch\" loaded from the plugin directory (see `switchyard plugins`)\n");
}

}  // namespace
}  // namespace switchyard::testing
