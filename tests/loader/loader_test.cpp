// The loader refuses each malformed plugin with one exact sentence and loads the template.
#include <sys/stat.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "host/plugin/destination.h"
#include "host/plugin/plugin_library.h"

namespace switchyard {
namespace {

const std::filesystem::path kFixtures = FIXTURE_DIR;

std::vector<uint32_t> indexes(const RequestRead &request) {
    return {request.event_indexes.begin(), request.event_indexes.end()};
}
const std::filesystem::path kTemplate = std::filesystem::path(PLUGIN_DIR) / "template.so";

std::string refusal_of(const std::string &fixture) {
    LoadOutcome outcome = load_plugin(kFixtures / fixture);
    EXPECT_EQ(outcome.plugin, nullptr);
    return outcome.refusal;
}

// A private directory with mode 0700 holding a copy of `source` (or written bytes).
class ScratchDir {
   public:
    ScratchDir() {
        std::string pattern = ::testing::TempDir() + "loader-XXXXXX";
        path_ = ::mkdtemp(pattern.data());
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path &path() const { return path_; }
    std::filesystem::path copy(const std::filesystem::path &source, const std::string &name) const {
        std::filesystem::copy_file(source, path_ / name);
        return path_ / name;
    }

   private:
    std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path &p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write_file(const std::filesystem::path &p, const std::string &bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
}

TEST(Loader, LoadsTheTemplatePlugin) {
    LoadOutcome outcome = load_plugin(kTemplate);
    ASSERT_NE(outcome.plugin, nullptr) << outcome.refusal;
    EXPECT_EQ(outcome.plugin->name(), "template");
    EXPECT_EQ(outcome.plugin->version(), "1.0.0");
    EXPECT_EQ(outcome.plugin->abi_major(), 2u);
    EXPECT_EQ(outcome.plugin->settings_schema().front(), '{');
}

TEST(Loader, RefusesMissingEntrySymbol) {
    EXPECT_EQ(refusal_of("no_entry.so"), (kFixtures / "no_entry.so").string() + ": no entry symbol \"sy_destination_entry\"");
}

TEST(Loader, RefusesNullTable) {
    EXPECT_EQ(refusal_of("null_table.so"), (kFixtures / "null_table.so").string() + ": entry returned no plugin table");
}

TEST(Loader, RefusesShortStruct) {
    EXPECT_EQ(refusal_of("short_struct.so"),
              (kFixtures / "short_struct.so").string() + ": plugin table is 16 bytes, ABI 2.0 needs at least " +
                  std::to_string(offsetof(sy_plugin, release) + sizeof(void *)));
}

TEST(Loader, RefusesWrongMajor) {
    EXPECT_EQ(refusal_of("wrong_major.so"),
              (kFixtures / "wrong_major.so").string() +
                  ": it was built for plugin ABI 3 and this host speaks ABI 2: rebuild it against this host's "
                  "plugin_api headers (see docs/plugin-abi.md)");
}

// Its table is shorter than 2.0's: the version, not the size, must be what the sentence is about.
TEST(Loader, RefusesAnAbi1PluginWithOneSentence) {
    EXPECT_EQ(refusal_of("abi1.so"), (kFixtures / "abi1.so").string() +
                                         ": it was built for plugin ABI 1 and this host speaks ABI 2: rebuild it "
                                         "against this host's plugin_api headers (see docs/plugin-abi.md)");
}

TEST(Loader, RefusesGnuUniqueSymbolsBeforeMappingTheFile) {
    EXPECT_EQ(refusal_of("gnu_unique.so"),
              (kFixtures / "gnu_unique.so").string() +
                  ": defines the STB_GNU_UNIQUE symbol \"SharedCounter::calls\", and glibc never unloads a library that "
                  "defined such a symbol, so a reloaded plugin would stay mapped until the host exits; build it with "
                  "-fno-gnu-unique (switchyard_add_plugin sets it)");
    // Refused from the file alone: once dlopen had seen the symbol, the library could never go.
    EXPECT_EQ(read_file("/proc/self/maps").find("gnu_unique.so"), std::string::npos);
}

TEST(Loader, RefusesNewerMinor) {
    EXPECT_EQ(refusal_of("newer_minor.so"),
              (kFixtures / "newer_minor.so").string() + ": built for ABI 2.99, this host speaks 2.1 (upgrade the host)");
}

TEST(Loader, RefusesMissingRequiredHook) {
    EXPECT_EQ(refusal_of("missing_hook.so"), (kFixtures / "missing_hook.so").string() + ": required hook \"send\" is missing");
}

TEST(Loader, RefusesEmptyName) {
    EXPECT_EQ(refusal_of("empty_name.so"), (kFixtures / "empty_name.so").string() + ": plugin name is empty");
}

TEST(Loader, RefusesTextFileNamedSo) {
    EXPECT_EQ(refusal_of("not_elf.so"), (kFixtures / "not_elf.so").string() + ": not an ELF shared object");
}

TEST(Loader, RefusesTruncatedLibrary) {
    ScratchDir dir;
    const std::string bytes = read_file(kTemplate);
    write_file(dir.path() / "truncated.so", bytes.substr(0, 4096));  // headers survive, segments do not
    LoadOutcome outcome = load_plugin(dir.path() / "truncated.so");
    EXPECT_EQ(outcome.plugin, nullptr);
    EXPECT_NE(outcome.refusal.find("truncated.so: truncated (segment"), std::string::npos) << outcome.refusal;
}

TEST(Loader, RefusesLibraryForAnotherArchitecture) {
    ScratchDir dir;
    std::string bytes = read_file(kTemplate);
    bytes[18] = static_cast<char>(183);  // e_machine = EM_AARCH64
    bytes[19] = 0;
    write_file(dir.path() / "arm64.so", bytes);
    EXPECT_EQ(load_plugin(dir.path() / "arm64.so").refusal,
              (dir.path() / "arm64.so").string() + ": built for another architecture (ELF machine 183, this host is 62)");
}

TEST(Loader, RefusesFileWritableByOthers) {
    ScratchDir dir;
    auto copy = dir.copy(kTemplate, "template.so");
    ASSERT_EQ(::chmod(copy.c_str(), 0666), 0);
    EXPECT_EQ(load_plugin(copy).refusal, copy.string() + ": file is writable by others (mode 0666)");
}

TEST(Loader, RefusesDirectoryWritableByOthers) {
    ScratchDir dir;
    dir.copy(kTemplate, "template.so");
    ASSERT_EQ(::chmod(dir.path().c_str(), 0777), 0);
    DirectoryLoad loaded = load_plugin_directory(dir.path());
    EXPECT_TRUE(loaded.plugins.empty());
    ASSERT_EQ(loaded.refusals.size(), 1u);
    EXPECT_EQ(loaded.refusals[0], dir.path().string() + ": directory " + dir.path().string() + " is writable by others (mode 0777)");
}

TEST(Loader, DirectoryLoadKeepsGoingAndRefusesDuplicateNames) {
    DirectoryLoad loaded = load_plugin_directory(kFixtures);
    ASSERT_EQ(loaded.plugins.size(), 3u);  // dup_a.so, grown.so and init_fails.so are correct plugins
    EXPECT_EQ(loaded.plugins[0]->name(), "dup");
    EXPECT_EQ(loaded.plugins[1]->name(), "grown");
    EXPECT_EQ(loaded.plugins[2]->name(), "init_fails");
    EXPECT_EQ(loaded.refusals.size(), 11u);  // every other fixture, and dup_b.so
    EXPECT_NE(std::find(loaded.refusals.begin(), loaded.refusals.end(),
                        (kFixtures / "dup_b.so").string() + ": plugin name \"dup\" is already taken by another file"),
              loaded.refusals.end());
}

TEST(Loader, MissingDirectoryIsARefusalNotAnException) {
    DirectoryLoad loaded = load_plugin_directory("/nonexistent/plugins");
    EXPECT_TRUE(loaded.plugins.empty());
    ASSERT_EQ(loaded.refusals.size(), 1u);
    EXPECT_EQ(loaded.refusals[0], "/nonexistent/plugins: cannot resolve (No such file or directory)");
}

TEST(Destination, InitFailureCarriesThePluginsMessage) {
    LoadOutcome outcome = load_plugin(kFixtures / "init_fails.so");
    ASSERT_NE(outcome.plugin, nullptr) << outcome.refusal;
    std::string error;
    EXPECT_EQ(Destination::create(outcome.plugin, "d1", "{}", error), nullptr);
    EXPECT_EQ(error, (kFixtures / "init_fails.so").string() + ": init refused: Setting \"token\" is required.");
}

TEST(Destination, TemplateTransformsAndSendsThroughTheAbi) {
    LoadOutcome outcome = load_plugin(kTemplate);
    ASSERT_NE(outcome.plugin, nullptr);
    std::string error;
    auto destination = Destination::create(outcome.plugin, "d1", "{}", error);
    ASSERT_NE(destination, nullptr) << error;
    const std::string good = R"({"type":"track"})", bad = "[1]";
    const sy_str_view events[] = {{good.data(), good.size()}, {bad.data(), bad.size()}};
    TransformResult result = destination->transform(events, outcome.plugin->max_events_per_request());
    ASSERT_TRUE(result) << result.problem();
    ASSERT_EQ(result->requests.size(), 1u);
    EXPECT_EQ(indexes(result->requests[0]), std::vector<uint32_t>{0});
    EXPECT_EQ(std::string(result->requests[0].fields.body.ptr, result->requests[0].fields.body.len),
              "{\"type\":\"track\"}");  // one event: its object, not an array
    ASSERT_EQ(result->errors.size(), 1u);
    EXPECT_EQ(result->errors[0].event_index, 1u);
    EXPECT_EQ(result->errors[0].outcome, SY_ABORT);
    EXPECT_EQ(result->errors[0].status, 400u);
    SendResult sent = destination->send(*result->requests[0].as_made);
    ASSERT_TRUE(sent) << sent.problem();
    EXPECT_EQ(sent->fields.outcome, SY_OK);
}

TEST(Destination, TemplateRefusesUnknownSettings) {
    auto plugin = load_plugin(kTemplate).plugin;
    std::string error;
    EXPECT_EQ(Destination::create(plugin, "d1", R"({"url":"x"})", error), nullptr);
    EXPECT_EQ(error, kTemplate.string() + ": init refused: Setting \"url\" is not known; valid settings are label.");
}

}  // namespace
}  // namespace switchyard
