// The `switchyard` executable: plugins listing, version, help and exit codes, run as a process.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/support/cli_run.h"

namespace {

using switchyard::testing::CliRun;
using switchyard::testing::run_command;

CliRun run(const std::string &arguments) { return run_command(std::string(SWITCHYARD_BIN) + " " + arguments); }

TEST(Cli, PluginsListsTheTemplate) {
    CliRun r = run("plugins --plugin-dir " PLUGIN_DIR);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("template        1.0.0       2.1   " PLUGIN_DIR "/template.so"), std::string::npos)
        << r.output;
}

TEST(Cli, PluginsListsEveryRefusalAndExitsOne) {
    CliRun r = run("plugins --plugin-dir " FIXTURE_DIR);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.output.find("refused: " FIXTURE_DIR "/abi1.so: it was built for plugin ABI 1 and this host speaks ABI 2"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("refused: " FIXTURE_DIR "/not_elf.so: not an ELF shared object"), std::string::npos);
    EXPECT_NE(r.output.find("init_fails"), std::string::npos);
}

// Loading happens in a child first: the command outlives plugins that crash while loading.
TEST(Cli, PluginsRefusesPluginsThatCrashWhileLoadingAndExitsOne) {
    CliRun r = run("plugins --plugin-dir " CRASHING_FIXTURE_DIR);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("refused: " CRASHING_FIXTURE_DIR "/crash_in_entry.so: crashed while loading (SIGSEGV)\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("refused: " CRASHING_FIXTURE_DIR "/crash_in_constructor.so: crashed while loading (SIGSEGV)\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("crash_in_init   1.0.0       2.1   " CRASHING_FIXTURE_DIR "/crash_in_init.so"), std::string::npos)
        << r.output;
}

TEST(Cli, PluginCheckFailsAPluginThatCrashesWhileLoading) {
    CliRun r = run("plugin-check " CRASHING_FIXTURE_DIR "/crash_in_entry.so");
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("FAIL: The loader refused it: " CRASHING_FIXTURE_DIR
                            "/crash_in_entry.so: crashed while loading (SIGSEGV)."),
              std::string::npos)
        << r.output;
}

// A plugin directory holding `files`, each copied from CRASHING_FIXTURE_DIR, and a config directory.
std::filesystem::path config_with_plugins(const std::string &test, std::initializer_list<std::string> files,
                                          const std::string &workspace_yaml) {
    namespace fs = std::filesystem;
    const fs::path root = ::testing::TempDir() + test + "-" + std::to_string(::getpid());
    fs::remove_all(root);
    fs::create_directories(root / "plugins");
    fs::create_directories(root / "config");
    for (const fs::path &dir : {root, root / "plugins"}) ::chmod(dir.c_str(), 0755);
    for (const std::string &file : files) fs::copy_file(fs::path(CRASHING_FIXTURE_DIR) / file, root / "plugins" / file);
    std::ofstream(root / "config" / "w.yaml") << workspace_yaml;
    return root;
}

TEST(Cli, CheckReportsAnInitThatCrashesAndExitsOne) {
    const auto root = config_with_plugins("check-crashing-init", {"crash_in_init.so", "crash_in_entry.so"},
                                          "workspace: w\n"
                                          "destinations:\n"
                                          "  - id: fine\n"
                                          "    plugin: crash_in_init\n"
                                          "    settings: {}\n"
                                          "  - id: doomed\n"  // line 6
                                          "    plugin: crash_in_init\n"
                                          "    settings: {crash: true}\n");
    CliRun r = run("check --config-dir " + (root / "config").string() + " --plugin-dir " + (root / "plugins").string());
    EXPECT_EQ(r.exit_code, 1) << r.output;
    const std::string config = (root / "config" / "w.yaml").string(), plugins = (root / "plugins").string();
    EXPECT_NE(r.output.find("problem: " + plugins + "/crash_in_entry.so: crashed while loading (SIGSEGV)\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("problem: " + config + ":6: destination \"doomed\": " + plugins +
                            "/crash_in_init.so: crashed while initialising (SIGSEGV)\n"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("; 2 problem(s)\n"), std::string::npos) << r.output;  // "fine" is none of them
    std::filesystem::remove_all(root);
}

// The hole an adversarial review found: a symlink's target was never checked, so whoever could
// write the directory it points into could replace the plugin.
TEST(Cli, PluginsRefusesAPluginSymlinkedIntoAWorldWritableDirectory) {
    namespace fs = std::filesystem;
    const fs::path base = ::testing::TempDir() + "cli-trust-" + std::to_string(::getpid());
    fs::create_directories(base / "open");
    fs::create_directories(base / "plugins");
    ASSERT_EQ(::chmod(base.c_str(), 0755), 0);
    ASSERT_EQ(::chmod((base / "plugins").c_str(), 0755), 0);
    ASSERT_EQ(::chmod((base / "open").c_str(), 0777), 0);
    fs::copy_file(PLUGIN_DIR "/template.so", base / "open/template.so");
    fs::create_symlink(base / "open/template.so", base / "plugins/template.so");
    CliRun r = run("plugins --plugin-dir " + (base / "plugins").string());
    fs::remove_all(base);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_NE(r.output.find("refused: " + (base / "plugins/template.so").string() + ": directory " +
                            (base / "open").string() + " is writable by others (mode 0777)\n"),
              std::string::npos)
        << r.output;
}

TEST(Cli, VersionNamesTheAbi) {
    CliRun r = run("version");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("(plugin ABI 2.1)"), std::string::npos) << r.output;
}

TEST(Cli, VersionFlagsPrintWhatVersionPrints) {
    const CliRun version = run("version");
    ASSERT_EQ(version.exit_code, 0);
    for (const char *flag : {"--version", "-V"}) {
        const CliRun r = run(flag);
        EXPECT_EQ(r.exit_code, 0) << flag;
        EXPECT_EQ(r.output, version.output) << flag;
    }
}

TEST(Cli, ServeRefusesAnUnknownLogLevelOrFormatBeforeStarting) {
    CliRun r = run("serve --data-dir /nonexistent/never-created --log-level verbose");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.output, "switchyard serve: --log-level must be one of debug, info, warn, error\n");
    r = run("serve --data-dir /nonexistent/never-created --log-format text");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.output, "switchyard serve: --log-format must be logfmt or json\n");
}

TEST(Cli, UnknownFlagIsAUsageError) {
    CliRun r = run("plugins --plugins-dir x");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("unknown flag --plugins-dir (valid: --plugin-dir, --describe)"), std::string::npos) << r.output;
}

TEST(Cli, ServeRefusesLimitsThatAreNotPositiveBeforeStarting) {
    for (const char *flags : {"--max-connections 0", "--request-timeout soon", "--idle-timeout 0s", "--max-body-bytes -1"}) {
        CliRun r = run(std::string("serve --data-dir /nonexistent/never-created ") + flags);
        EXPECT_EQ(r.exit_code, 2) << flags;
        EXPECT_NE(r.output.find("--header-timeout and --request-timeout durations like 500ms or 30s"), std::string::npos)
            << flags << ": " << r.output;
    }
}

TEST(Cli, UnknownCommandIsAUsageError) {
    CliRun r = run("frobnicate");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("unknown command \"frobnicate\""), std::string::npos);
}

// Writes `text` to a temporary file and returns its path.
// Named after the test too: ctest runs tests in parallel processes sharing TempDir().
std::string temp_file(const std::string &name, const std::string &text) {
    const std::string path =
        ::testing::TempDir() + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" + name;
    FILE *f = std::fopen(path.c_str(), "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    return path;
}

const std::string kEvents = "{\"type\":\"track\"}\nnot json\n\n{\"type\":\"identify\"}\n";

TEST(Cli, TransformProcessorModeGivesOneLinePerEventEvenForMalformedOnes) {
    const std::string settings = temp_file("empty.yaml", "{}\n"), events = temp_file("events.ndjson", kEvents);
    CliRun r = run("transform --plugin-dir " PLUGIN_DIR " --plugin template --settings " + settings + " < " + events);
    EXPECT_EQ(r.exit_code, 1);  // one event failed
    EXPECT_EQ(r.output,
              "{\"index\":0,\"status\":200,\"requests\":[{\"kind\":\"discard\",\"method\":\"POST\",\"endpoint\":\"null://discard\","
              "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"type\":\"track\"}}]}\n"
              "{\"index\":1,\"status\":400,\"error\":\"event is not a JSON object\"}\n"
              "{\"index\":2,\"status\":200,\"requests\":[{\"kind\":\"discard\",\"method\":\"POST\",\"endpoint\":\"null://discard\","
              "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"type\":\"identify\"}}]}\n");
}

TEST(Cli, TransformRouterModeGivesOneLinePerRequestThenErrors) {
    const std::string settings = temp_file("empty.json", "{}"), events = temp_file("events.ndjson", kEvents);
    CliRun r = run("transform --plugin-dir " PLUGIN_DIR " --plugin template --settings " + settings +
                   " --mode router --batch 2 < " + events);
    EXPECT_EQ(r.output,
              "{\"batch\":0,\"indexes\":[0],\"status\":200,\"requests\":[{\"kind\":\"discard\",\"method\":\"POST\",\"endpoint\":"
              "\"null://discard\",\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"type\":\"track\"}}]}\n"
              "{\"batch\":0,\"indexes\":[1],\"status\":400,\"error\":\"event is not a JSON object\"}\n"
              "{\"batch\":1,\"indexes\":[2],\"status\":200,\"requests\":[{\"kind\":\"discard\",\"method\":\"POST\",\"endpoint\":"
              "\"null://discard\",\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"type\":\"identify\"}}]}\n");
}

TEST(Cli, TransformRefusesBadSettingsWithTheirReason) {
    const std::string settings = temp_file("bad.yaml", "url: http://x\n");
    CliRun r = run("transform --plugin-dir " PLUGIN_DIR " --plugin template --settings " + settings + " < /dev/null");
    EXPECT_EQ(r.exit_code, 2);
    // The host checks them against the plugin's schema before init (tests/settings).
    EXPECT_NE(r.output.find(settings + ": settings.url is not a known setting (valid: label).\n"), std::string::npos)
        << r.output;
}

TEST(Cli, SendPrintsOneOutcomeLinePerEventInInputOrder) {
    const std::string settings = temp_file("empty.json", "{}"), events = temp_file("events.ndjson", kEvents);
    CliRun r = run("send --plugin-dir " PLUGIN_DIR " --plugin template --settings " + settings + " --mode router < " +
                   events);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.output,
              "{\"index\":0,\"outcome\":\"ok\",\"status\":200}\n"
              "{\"index\":1,\"outcome\":\"abort\",\"status\":400,\"error\":\"event is not a JSON object\"}\n"
              "{\"index\":2,\"outcome\":\"ok\",\"status\":200}\n");
}

// The fixture takes track and identify only: the host skips the group call, and says so.
TEST(Cli, TransformShowsEventsSkippedForTheirMessageType) {
    const std::string settings = temp_file("empty.json", "{}");
    const std::string events = temp_file("events.ndjson", "{\"type\":\"group\"}\n{\"type\":\"track\",\"later\":1}\n");
    CliRun r = run("transform --plugin-dir " FIXTURE_DIR " --plugin grown --settings " + settings + " < " + events);
    EXPECT_EQ(r.exit_code, 1);  // the retry is a problem, the skip is not
    EXPECT_EQ(r.output,
              "{\"index\":0,\"status\":0,\"outcome\":\"skipped\",\"error\":\"message type \\\"group\\\" is not "
              "supported by this destination\"}\n"
              "{\"index\":1,\"status\":0,\"outcome\":\"retry\",\"error\":\"lookup busy\"}\n");
}

TEST(Cli, HelpListsCommandsAndExitCodes) {
    CliRun r = run("--help");
    EXPECT_EQ(r.exit_code, 0);
    for (const char *word : {"plugins", "transform", "send", "version", "Exit codes"})
        EXPECT_NE(r.output.find(word), std::string::npos) << word;
}

}  // namespace
