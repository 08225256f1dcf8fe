// Workspace files: a complete example loads; every problem names file, line and key.
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "host/config/env_expand.h"
#include "host/config/quantities.h"
#include "host/config/workspace.h"

namespace switchyard {
namespace {

class WorkspaceDir {
   public:
    WorkspaceDir() {
        std::string pattern = ::testing::TempDir() + "workspace-XXXXXX";
        dir_ = ::mkdtemp(pattern.data());
    }
    ~WorkspaceDir() { std::filesystem::remove_all(dir_); }
    std::string write(const std::string &name, const std::string &text) {
        std::ofstream(dir_ / name) << text;
        return (dir_ / name).string();
    }
    const std::filesystem::path &path() const { return dir_; }

   private:
    std::filesystem::path dir_;
};

EnvLookup env_of(std::map<std::string, std::string> vars) {
    return [vars](const std::string &name) -> std::optional<std::string> {
        auto it = vars.find(name);
        return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

const char *kDesignExample = R"(workspace: acme
sources:
  - id: ios-app
    write_key: ${ACME_IOS_WRITE_KEY}
    destinations: [iterable-prod]
destinations:
  - id: iterable-prod
    plugin: iterable
    settings:                     # the plugin's own keys, validated by its schema
      apiKey: ${ACME_ITERABLE_KEY}
      dataCenter: USDC
      trackNamedPages: true
    delivery:
      workers: 2
      retry_window: 90m
)";

TEST(Workspace, ACompleteExampleLoads) {
    WorkspaceDir dir;
    dir.write("acme.yaml", kDesignExample);
    ConfigLoad load = load_config_dir(dir.path(), env_of({{"ACME_IOS_WRITE_KEY", "wk1"}, {"ACME_ITERABLE_KEY", "0123"}}));
    ASSERT_TRUE(load.problems.empty()) << load.problems[0];
    ASSERT_EQ(load.config.sources.size(), 1u);
    EXPECT_EQ(load.config.sources[0].write_key, "wk1");
    EXPECT_EQ(load.config.sources[0].destinations, std::vector<std::string>{"acme/iterable-prod"});
    ASSERT_EQ(load.config.destinations.size(), 1u);
    const DestinationConfig &d = load.config.destinations[0];
    EXPECT_EQ(d.key(), "acme/iterable-prod");
    EXPECT_EQ(d.plugin, "iterable");
    // An expanded secret stays a string even when it reads as a number.
    EXPECT_EQ(d.settings_json, R"({"apiKey":"0123","dataCenter":"USDC","trackNamedPages":true})");
    EXPECT_EQ(d.delivery.workers, 2u);
    EXPECT_EQ(d.delivery.retry_window, std::chrono::minutes(90));
    EXPECT_EQ(d.delivery.batch_size, std::nullopt);  // unset: the plugin's max_events_per_request
    EXPECT_EQ(d.origin.line, 7);
}

TEST(Workspace, AnExplicitBatchSizeWins) {
    WorkspaceDir dir;
    std::string example = kDesignExample;
    example.replace(example.find("      workers: 2"), 16, "      batch_size: 300");
    dir.write("acme.yaml", example);
    ConfigLoad load = load_config_dir(dir.path(), env_of({{"ACME_IOS_WRITE_KEY", "wk1"}, {"ACME_ITERABLE_KEY", "0123"}}));
    ASSERT_TRUE(load.problems.empty()) << load.problems[0];
    EXPECT_EQ(load.config.destinations.at(0).delivery.batch_size, 300u);
}

TEST(Workspace, AMissingEnvironmentVariableIsNamedWithFileLineAndKey) {
    WorkspaceDir dir;
    const std::string file = dir.write("acme.yaml", kDesignExample);
    ConfigLoad load = load_config_dir(dir.path(), env_of({{"ACME_ITERABLE_KEY", "k"}}));
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(load.problems[0], file + ":4: sources[0].write_key: environment variable ACME_IOS_WRITE_KEY is not set");
}

TEST(Workspace, AllProblemsAreListedNotJustTheFirst) {
    WorkspaceDir dir;
    const std::string file = dir.write("bad.yaml", R"(workspace: w
colour: blue
sources:
  - id: web
    write_key: k1
    destinations: [nowhere]
  - id: app
    write_key: k1
destinations:
  - id: d1
    settings: {}
    delivery: {workers: 0, retry_window: soon}
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    const std::vector<std::string> expected = {
        file + ":2: colour: unknown key (valid: destinations, sources, workspace)",
        file + ":10: destinations[0].plugin: is required",
        file + ":12: destinations[0].delivery.workers: must be a whole number from 1 to 64",
        file + ":12: destinations[0].delivery.retry_window: must be a duration like 250ms, 30s, 90m, 3h or 1d",
        file + ":4: sources: \"web\" names unknown destination \"nowhere\"",
        file + ":7: sources: write_key of \"app\" is also the write_key of \"w/web\"",
    };
    EXPECT_EQ(load.problems, expected);
}

TEST(Workspace, SettingsThatAreNotUtf8AreAProblemNotAnException) {
    // Found by tests/fuzz/workspace_fuzz (regressions/workspace/settings-not-utf8.yaml): the
    // settings' JSON text threw nlohmann's type_error out of load_config_dir.
    WorkspaceDir dir;
    const std::string file = dir.write("latin1.yaml", "workspace: w\ndestinations:\n  - id: d1\n    plugin: iterable\n"
                                                      "    settings:\n      apiKey: caf\xe9\n");
    ConfigLoad load;
    ASSERT_NO_THROW(load = load_config_dir(dir.path(), env_of({})));
    EXPECT_EQ(load.problems, std::vector<std::string>{file + ":6: destinations[0].settings: must be UTF-8 text"});
    EXPECT_TRUE(load.config.destinations.empty());
}

TEST(Workspace, ASettingsKeyThatIsAListIsAProblemNotAnException) {
    // Seen while writing tests/fuzz/workspace_fuzz (regressions/workspace/settings-key-is-a-list.yaml):
    // yaml-cpp's BadConversion escaped load_config_dir.
    WorkspaceDir dir;
    const std::string file = dir.write("keys.yaml", "workspace: w\ndestinations:\n  - id: d1\n    plugin: iterable\n"
                                                    "    settings:\n      apiKey: k\n      ? [a, b]\n      : 1\n");
    ConfigLoad load;
    ASSERT_NO_THROW(load = load_config_dir(dir.path(), env_of({})));
    EXPECT_EQ(load.problems, std::vector<std::string>{
                                 file + ":7: destinations[0].settings: keys must be plain names, not lists or mappings"});
    EXPECT_TRUE(load.config.destinations.empty());
}

TEST(Workspace, LongValuesAreCheckedWithoutRecursion) {
    // Seen while writing tests/fuzz/workspace_fuzz (regressions/workspace/long-values.yaml): std::regex
    // recursed once per character, so a long id, number or duration overflowed the stack.
    const std::string digits(200'000, '7');
    WorkspaceDir dir;
    const std::string file = dir.write("long.yaml", "workspace: w\ndestinations:\n  - id: " + std::string(200'000, 'a') +
                                                        "\n    plugin: iterable\n    settings:\n      n: " + digits +
                                                        "\n    delivery:\n      retry_window: " + digits + "s\n");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    EXPECT_EQ(load.problems, std::vector<std::string>{file + ":8: destinations[0].delivery.retry_window: must be a "
                                                             "duration like 250ms, 30s, 90m, 3h or 1d"});
    ASSERT_EQ(load.config.destinations.size(), 1u);
    EXPECT_EQ(load.config.destinations[0].settings_json, R"({"n":")" + digits + R"("})");
}

TEST(Workspace, ASourceIsTrustedOnlyWhenItSaysTrue) {
    WorkspaceDir dir;
    const std::string file = dir.write("w.yaml", R"(workspace: w
sources:
  - id: warehouse
    write_key: k1
    trusted: true
  - id: website
    write_key: k2
  - id: app
    write_key: k3
    trusted: "true"
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    EXPECT_EQ(load.problems, std::vector<std::string>{file + ":10: sources[2].trusted: must be true or false"});
    ASSERT_EQ(load.config.sources.size(), 3u);
    EXPECT_TRUE(load.config.sources[0].trusted);
    EXPECT_FALSE(load.config.sources[1].trusted);
    EXPECT_FALSE(load.config.sources[2].trusted);
}

// A source's destinations: plain ids, or {id, settings} whose settings override the destination's.
TEST(Workspace, ASourceListsDestinationsByIdOrWithItsOwnSettings) {
    WorkspaceDir dir;
    dir.write("w.yaml", R"(workspace: w
sources:
  - id: app
    write_key: k1
    destinations:
      - hook
      - id: iterable
        settings:
          eventFilteringOption: blacklistedEvents
          blacklistedEvents: [{eventName: Ping}]
      - id: other
destinations:
  - id: hook
    plugin: webhook
  - id: iterable
    plugin: iterable
  - id: other
    plugin: iterable
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    ASSERT_EQ(load.problems, std::vector<std::string>{});
    ASSERT_EQ(load.config.sources.size(), 1u);
    const SourceConfig &app = load.config.sources[0];
    EXPECT_EQ(app.destinations, (std::vector<std::string>{"w/hook", "w/iterable", "w/other"}));
    ASSERT_EQ(app.overrides.size(), 1u);  // `{id: other}` overrides nothing
    const ConnectionOverride &o = app.overrides.at("w/iterable");
    EXPECT_EQ(o.settings_json, R"({"blacklistedEvents":[{"eventName":"Ping"}],"eventFilteringOption":"blacklistedEvents"})");
    EXPECT_EQ(o.origin.line, 7);
    EXPECT_EQ(o.settings_lines.at(""), 9);
    EXPECT_EQ(o.settings_lines.at("/blacklistedEvents"), 10);
}

TEST(Workspace, ADestinationEntryIsReadStrictlyWithFileAndLine) {
    WorkspaceDir dir;
    const std::string file = dir.write("w.yaml", R"(workspace: w
sources:
  - id: app
    write_key: k1
    destinations:
      - id: hook
        setings: {url: x}
      - [hook]
      - settings: {}
      - id: hook
      - id: other
        settings: [a]
destinations:
  - id: hook
    plugin: webhook
  - id: other
    plugin: webhook
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    const std::vector<std::string> expected = {
        file + ":7: sources[0].destinations[0].setings: unknown key (valid: id, settings)",
        file + ":8: sources[0].destinations[1]: must be a destination id or a mapping with \"id\" and \"settings\"",
        file + ":9: sources[0].destinations[2].id: is required",
        file + ":10: sources[0].destinations[3]: destination \"hook\" is listed twice",
        file + ":12: sources[0].destinations[4].settings: must be a mapping of the plugin's settings",
    };
    EXPECT_EQ(load.problems, expected);
}

TEST(Workspace, AllowedOriginsAreCheckedAndLowerCased) {
    WorkspaceDir dir;
    const std::string file = dir.write("w.yaml", R"(workspace: w
sources:
  - id: shop
    write_key: k1
    allowed_origins: [https://Shop.Example.com, "http://127.0.0.1:8080", "http://[::1]:3000"]
  - id: any
    write_key: k2
  - id: bad
    write_key: k3
    allowed_origins:
      - https://shop.example.com/
      - shop.example.com
      - ftp://files.example.com
      - "https://shop.example.com:80443"
      - [https://a.example.com]
  - id: empty
    write_key: k4
    allowed_origins: []
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    const std::string shape = "must be scheme://host[:port] with no path, like https://shop.example.com";
    EXPECT_EQ(load.problems,
              (std::vector<std::string>{
                  file + ":11: sources[2].allowed_origins[0]: " + shape,
                  file + ":12: sources[2].allowed_origins[1]: " + shape,
                  file + ":13: sources[2].allowed_origins[2]: " + shape,
                  file + ":14: sources[2].allowed_origins[3]: " + shape,
                  file + ":15: sources[2].allowed_origins[4]: must be a string",
                  file + ":18: sources[3].allowed_origins: must be a non-empty list of origins like "
                         "https://shop.example.com (omit it to allow any)"}));
    ASSERT_EQ(load.config.sources.size(), 4u);
    EXPECT_EQ(load.config.sources[0].allowed_origins,
              (std::vector<std::string>{"https://shop.example.com", "http://127.0.0.1:8080", "http://[::1]:3000"}));
    EXPECT_TRUE(load.config.sources[1].allowed_origins.empty());
}

TEST(Workspace, InvalidYamlIsReportedWithItsLine) {
    WorkspaceDir dir;
    const std::string file = dir.write("broken.yaml", "workspace: w\nsources: [\n");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(load.problems[0].rfind(file + ":", 0), 0u);
    EXPECT_NE(load.problems[0].find("invalid YAML"), std::string::npos);
}

TEST(Workspace, AnEmptyDirectoryIsAProblem) {
    WorkspaceDir dir;
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    ASSERT_EQ(load.problems.size(), 1u);
    EXPECT_EQ(load.problems[0], dir.path().string() + ": no workspace files (*.yaml) found");
}

TEST(EnvExpand, ReferencesEscapesAndErrors) {
    std::string error;
    const EnvLookup env = env_of({{"A", "1"}, {"B", "two"}});
    const ReferenceSources sources{env, {}};
    const auto text = [&](std::string_view in) {
        auto out = expand_references(in, sources, error);
        return out ? std::optional<std::string>(out->text) : std::nullopt;
    };
    EXPECT_EQ(text("x${A}y${B}"), "x1ytwo");
    EXPECT_EQ(expand_references("x${A}y${B}", sources, error)->values, (std::vector<std::string>{"1", "two"}));
    EXPECT_EQ(text("$${A}"), "${A}");
    EXPECT_EQ(text("plain"), "plain");
    EXPECT_EQ(text("${C}"), std::nullopt);
    EXPECT_EQ(error, "environment variable C is not set");
    EXPECT_EQ(text("${A"), std::nullopt);
}

TEST(Workspace, ContainmentKeysAreReadWithDefaultsAndCheckedWithASentence) {
    WorkspaceDir dir;
    const std::string file = dir.write("c.yaml", R"(workspace: w
destinations:
  - id: isolated
    plugin: p
  - id: trusted
    plugin: p
    isolation: in-process
    call_timeout: 5s
    memory_limit: 512MiB
  - id: wrong
    plugin: p
    isolation: container
    call_timeout: soon
    memory_limit: 1MiB
)");
    ConfigLoad load = load_config_dir(dir.path(), env_of({}));
    const std::vector<std::string> expected = {
        file + ":12: destinations[2].isolation: must be process or in-process",
        file + ":13: destinations[2].call_timeout: must be a duration like 500ms, 30s or 2m",
        file + ":14: destinations[2].memory_limit: must be a size of at least 64MiB, like 512MiB or 2GiB",
    };
    EXPECT_EQ(load.problems, expected);
    ASSERT_EQ(load.config.destinations.size(), 3U);
    const Containment &isolated = load.config.destinations[0].containment;
    EXPECT_EQ(isolated.isolation, Containment::Isolation::process);
    EXPECT_EQ(isolated.call_timeout, std::nullopt);
    EXPECT_EQ(isolated.memory_limit, uint64_t{1} << 30);
    const Containment &trusted = load.config.destinations[1].containment;
    EXPECT_EQ(trusted.isolation, Containment::Isolation::in_process);
    EXPECT_EQ(trusted.call_timeout, std::chrono::seconds(5));
    EXPECT_EQ(trusted.memory_limit, uint64_t{512} << 20);
}

TEST(ByteSize, Units) {
    EXPECT_EQ(parse_byte_size("64KiB"), 64U << 10);
    EXPECT_EQ(parse_byte_size("2GiB"), uint64_t{2} << 30);
    EXPECT_EQ(parse_byte_size("1000"), 1000U);
    EXPECT_EQ(parse_byte_size("0"), std::nullopt);
    EXPECT_EQ(parse_byte_size("1GB"), std::nullopt);
    EXPECT_EQ(parse_byte_size("MiB"), std::nullopt);
    EXPECT_EQ(parse_byte_size("99999999999TiB"), std::nullopt);  // past 64 bits
}

TEST(Duration, Units) {
    EXPECT_EQ(parse_duration("250ms"), std::chrono::milliseconds(250));
    EXPECT_EQ(parse_duration("3h"), std::chrono::hours(3));
    EXPECT_EQ(parse_duration("1d"), std::chrono::hours(24));
    EXPECT_EQ(parse_duration("3 h"), std::nullopt);
    EXPECT_EQ(parse_duration("h"), std::nullopt);
}

TEST(Duration, AmountsPastTheRangeAreRefusedNotThrownOrWrapped) {
    // Seen while writing tests/fuzz/workspace_fuzz (regressions/workspace/duration-past-int64.yaml):
    // std::stoll threw out_of_range out of load_config_dir, and n * unit overflowed (UB).
    EXPECT_EQ(parse_duration(std::string(40, '9') + "ms"), std::nullopt);
    EXPECT_EQ(parse_duration("9223372036854775807ms"), std::chrono::milliseconds(9223372036854775807LL));
    EXPECT_EQ(parse_duration("9223372036854776s"), std::nullopt);
    EXPECT_EQ(parse_duration("106751991168d"), std::nullopt);
    EXPECT_EQ(parse_duration("106751991167d"), std::chrono::hours(24) * 106751991167LL);
}

}  // namespace
}  // namespace switchyard
