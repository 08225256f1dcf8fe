// The plugin registry loads private copies: the operator's files can change under it at any time.
#include <elf.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "host/plugin/destination.h"
#include "host/reload/file_hash.h"
#include "host/reload/plugin_registry.h"
#include "tests/reload/reload_fixture.h"

namespace switchyard::testing {
namespace {

constexpr const char *kSettings = R"({"apiKey":"k","endpoint":"http://127.0.0.1:9/api/"})";

class PluginRegistryTest : public ::testing::Test {
   protected:
    PluginRegistryTest() : plugins_(root_.subdir("plugins")), copies_(root_.path() / "copies") { use_the_built_worker(); }

    std::shared_ptr<Destination> destination_of(const LoadedPlugin &plugin) {
        std::string error;
        auto destination = Destination::create(plugin.library, "ws/iterable", kSettings, error);
        EXPECT_NE(destination, nullptr) << error;
        return destination;
    }

    // The only plugin of a scan that must succeed.
    static LoadedPlugin only(PluginScan scan) {
        EXPECT_TRUE(scan.refusals.empty()) << scan.refusals.front();
        if (scan.plugins.size() != 1) throw std::runtime_error(std::to_string(scan.plugins.size()) + " plugins loaded");
        return scan.plugins.front();
    }

    // The refusals of a scan that must load nothing.
    static std::vector<std::string> refusals_of(PluginScan scan) {
        EXPECT_TRUE(scan.plugins.empty());
        return scan.refusals;
    }

    ScratchDir root_;
    const fs::path plugins_, copies_;
};

// Where the last loadable segment of an ELF file ends: what a copy cut short before it lacks.
size_t loadable_end(const std::string &elf) {
    Elf64_Ehdr header;
    std::memcpy(&header, elf.data(), sizeof header);
    size_t end = 0;
    for (size_t i = 0; i < header.e_phnum; ++i) {
        Elf64_Phdr segment;
        std::memcpy(&segment, elf.data() + header.e_phoff + i * header.e_phentsize, sizeof segment);
        if (segment.p_type == PT_LOAD) end = std::max<size_t>(end, segment.p_offset + segment.p_filesz);
    }
    return end;
}

// The STB_GNU_UNIQUE symbols an ELF shared object defines in its dynamic symbol table.
std::vector<std::string> unique_symbols(const std::string &elf) {
    auto at = [&elf]<class T>(T &out, size_t offset) { std::memcpy(&out, elf.data() + offset, sizeof out); };
    Elf64_Ehdr header;
    at(header, 0);
    std::vector<std::string> names;
    for (size_t i = 0; i < header.e_shnum; ++i) {
        Elf64_Shdr section, strings;
        at(section, header.e_shoff + i * header.e_shentsize);
        if (section.sh_type != SHT_DYNSYM) continue;
        at(strings, header.e_shoff + section.sh_link * header.e_shentsize);
        for (size_t s = 0; s < section.sh_size / sizeof(Elf64_Sym); ++s) {
            Elf64_Sym symbol;
            at(symbol, section.sh_offset + s * sizeof symbol);
            if (ELF64_ST_BIND(symbol.st_info) == STB_GNU_UNIQUE && symbol.st_shndx != SHN_UNDEF)
                names.emplace_back(elf.c_str() + strings.sh_offset + symbol.st_name);
        }
    }
    return names;
}

// Runs `work` on this thread: a plugin that pinned itself with thread_local state would then
// never unload in these tests, as on a long-lived delivery worker.
void on_this_thread(const std::function<void()> &work) { work(); }

// How many requests the destination makes of `count` track events; -1 when transform fails.
long requests_for(const Destination &destination, int count) {
    std::vector<std::string> events;
    for (int i = 0; i < count; ++i)
        events.push_back(R"({"type":"track","userId":"u)" + std::to_string(i) +
                         R"(","event":"Loaded","messageId":"m)" + std::to_string(i) + R"("})");
    std::vector<sy_str_view> views;
    for (const std::string &e : events) views.push_back({e.data(), e.size()});
    TransformResult result = destination.transform(views, destination.plugin().max_events_per_request());
    if (!result || !result->errors.empty()) return -1;
    return static_cast<long>(result->requests.size());
}

// Known answers (FIPS 180-2 examples); the million-byte one spans several read chunks.
TEST(FileHash, IsTheSha256OfTheFilesBytes) {
    ScratchDir dir;
    write_bytes(dir.path() / "empty", "");
    write_bytes(dir.path() / "abc", "abc");
    write_bytes(dir.path() / "million", std::string(1'000'000, 'a'));
    EXPECT_EQ(sha256_of_file(dir.path() / "empty"), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_of_file(dir.path() / "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256_of_file(dir.path() / "million"), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(FileHash, UnreadableFileThrowsNamingIt) {
    try {
        sha256_of_file("/nonexistent/iterable.so");
        FAIL() << "no exception";
    } catch (const std::runtime_error &e) {
        EXPECT_EQ(std::string(e.what()), "/nonexistent/iterable.so: cannot be read");
    }
}

TEST_F(PluginRegistryTest, LoadsFromAPrivateCopy) {
    install(kIterable, plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    LoadedPlugin loaded = only(registry.scan());
    EXPECT_EQ(loaded.file, plugins_ / "iterable.so");
    EXPECT_EQ(loaded.copy.parent_path(), copies_);
    EXPECT_TRUE(fs::exists(loaded.copy));
    EXPECT_EQ(read_bytes(loaded.copy), read_bytes(kIterable));
    EXPECT_EQ(loaded.library->path(), plugins_ / "iterable.so");  // messages name the operator's file
    EXPECT_EQ(loaded.sha256, sha256_of_file(kIterable));
    EXPECT_EQ(loaded.sha256.size(), 64u);
    EXPECT_EQ(loaded.library->version(), kVersion);
    EXPECT_EQ(fs::status(copies_).permissions(), fs::perms::owner_all);
}

TEST_F(PluginRegistryTest, CopyDirectoryIsEmptiedAtStart) {
    fs::create_directory(copies_);
    write_bytes(copies_ / "7-iterable.so", "left by an earlier run");
    PluginRegistry registry(plugins_, copies_);  // cppcheck-suppress unreadVariable ; constructing it empties the directory
    EXPECT_TRUE(files_in(copies_).empty());
}

TEST_F(PluginRegistryTest, InstanceSurvivesOverwriteAndDeletionOfTheOriginal) {
    install(kIterable, plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    LoadedPlugin loaded = only(registry.scan());
    auto destination = destination_of(loaded);
    ASSERT_NE(destination, nullptr);
    ASSERT_GT(requests_for(*destination, 3), 0);

    install(kIterableNext, plugins_ / "iterable.so");  // rewrites the same inode, as `cp` does
    EXPECT_GT(requests_for(*destination, 3), 0);
    EXPECT_EQ(destination->plugin().version(), kVersion);

    fs::remove(plugins_ / "iterable.so");
    EXPECT_GT(requests_for(*destination, 3), 0);
    EXPECT_TRUE(fs::exists(loaded.copy));
}

TEST_F(PluginRegistryTest, UnchangedContentKeepsTheLoadedLibrary) {
    install(kIterable, plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    registry.adopt(registry.scan().plugins);
    const auto library = registry.current().at(0).library;

    install(kIterable, plugins_ / "iterable.so");  // rewritten with the same bytes
    LoadedPlugin again = only(registry.scan());
    EXPECT_EQ(again.library, library);
    EXPECT_EQ(files_in(copies_).size(), 1u);  // the copy made to hash the file is gone
}

TEST_F(PluginRegistryTest, ChangedContentLoadsANewLibrary) {
    install(kIterable, plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    registry.adopt(registry.scan().plugins);
    const LoadedPlugin before = registry.current().at(0);

    install(kIterableNext, plugins_ / "iterable.so");
    LoadedPlugin after = only(registry.scan());
    EXPECT_NE(after.library, before.library);
    EXPECT_NE(after.copy, before.copy);
    EXPECT_NE(after.sha256, before.sha256);
    EXPECT_EQ(after.library->version(), kNextVersion);
    EXPECT_EQ(before.library->version(), kVersion);
    EXPECT_EQ(registry.current().at(0).library, before.library);  // nothing in force changes before adopt
}

TEST_F(PluginRegistryTest, ReplacedLibraryIsUnloadedAndItsCopyDeletedWithItsLastInstance) {
    install(kIterable, plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    registry.adopt(registry.scan().plugins);
    auto destination = destination_of(registry.current().at(0));
    ASSERT_NE(destination, nullptr);
    const fs::path old_copy = registry.current().at(0).copy;

    install(kIterableNext, plugins_ / "iterable.so");
    registry.adopt(registry.scan().plugins);
    const fs::path new_copy = registry.current().at(0).copy;
    EXPECT_TRUE(fs::exists(old_copy)) << "the instance still runs the old library";
    EXPECT_GT(requests_for(*destination, 2), 0);

    destination.reset();
    EXPECT_FALSE(fs::exists(old_copy));
    EXPECT_TRUE(fs::exists(new_copy));
    EXPECT_EQ(files_in(copies_), std::vector<fs::path>{new_copy});

    registry.adopt({});
    EXPECT_TRUE(files_in(copies_).empty());
}

// Unloading: dlclose really unmaps a replaced build once its last instance is gone (plugins keep
// no thread_local state, and are built without STB_GNU_UNIQUE symbols).
TEST_F(PluginRegistryTest, ReplacedLibraryIsUnmappedOnceItsLastInstanceIsGone) {
    PluginRegistry registry(plugins_, copies_);
    fs::path replaced;
    for (const fs::path &build : {kIterable, kIterableNext, kIterable}) {
        install(build, plugins_ / "iterable.so");
        registry.adopt(registry.scan().plugins);
        ASSERT_EQ(registry.current().size(), 1u);
        on_this_thread([&] {
            auto destination = destination_of(registry.current().at(0));
            ASSERT_NE(destination, nullptr);
            EXPECT_GT(requests_for(*destination, 2), 0);
        });
        if (build == kIterableNext) replaced = registry.current().at(0).copy;
    }
    EXPECT_FALSE(fs::exists(replaced));
    for (const std::string &mapped : mapped_from(copies_))
        EXPECT_NE(mapped.rfind(replaced.string(), 0), 0u) << "dlclose left " << mapped << " mapped";
}

// glibc marks a library NODELETE when it is the first to define an STB_GNU_UNIQUE symbol (GCC
// emits them for statics of inline functions and templates with default visibility, as in
// libstdc++'s headers): the first plugin build a host loads would then stay mapped, and its
// deleted copy on disk, until exit. GCC's -fno-gnu-unique, for the plugin and what it links, avoids it.
TEST_F(PluginRegistryTest, PluginBuildsDefineNoUniqueSymbols) {
    for (const fs::path &build : {kIterable, kIterableNext}) {
        const std::vector<std::string> unique = unique_symbols(read_bytes(build));
        EXPECT_TRUE(unique.empty()) << build << " defines " << unique.size() << " STB_GNU_UNIQUE symbol(s), e.g. "
                                    << unique.front();
    }
}

TEST_F(PluginRegistryTest, RefusalsNameTheOriginalFileAndLeaveNoCopy) {
    install(kFixtures / "not_elf.so", plugins_ / "not_elf.so");
    install(kFixtures / "wrong_major.so", plugins_ / "wrong_major.so");
    // Half of what is mapped: with debug info, half of the file's bytes would still hold every
    // loadable segment (and load correctly).
    const std::string bytes = read_bytes(kIterable);
    write_bytes(plugins_ / "truncated.so", bytes.substr(0, loadable_end(bytes) / 2));
    PluginRegistry registry(plugins_, copies_);
    const std::vector<std::string> refusals = refusals_of(registry.scan());

    ASSERT_EQ(refusals.size(), 3u);  // sorted by file name
    EXPECT_EQ(refusals[0], (plugins_ / "not_elf.so").string() + ": not an ELF shared object");
    EXPECT_EQ(refusals[1].rfind((plugins_ / "truncated.so").string() + ": truncated (segment", 0), 0u) << refusals[1];
    EXPECT_EQ(refusals[2], (plugins_ / "wrong_major.so").string() + ": it was built for plugin ABI 3 and this host speaks ABI 2: rebuild it against this host's "
              "plugin_api headers (see docs/plugin-abi.md)");
    for (const std::string &refusal : refusals) EXPECT_EQ(refusal.find(copies_.string()), std::string::npos) << refusal;
    EXPECT_TRUE(files_in(copies_).empty());
}

TEST_F(PluginRegistryTest, SecondFileWithTheSameNameIsRefused) {
    install(kIterable, plugins_ / "a.so");
    install(kIterableNext, plugins_ / "b.so");
    PluginRegistry registry(plugins_, copies_);
    PluginScan scan = registry.scan();
    ASSERT_EQ(scan.plugins.size(), 1u);
    EXPECT_EQ(scan.plugins[0].file, plugins_ / "a.so");
    EXPECT_EQ(scan.refusals,
              std::vector<std::string>{(plugins_ / "b.so").string() + ": plugin name \"iterable\" is already taken by another file"});
    EXPECT_EQ(files_in(copies_).size(), 1u);  // b.so's copy went with its library
}

TEST_F(PluginRegistryTest, DirectoryWritableByGroupIsRefused) {
    install(kIterable, plugins_ / "iterable.so");
    ASSERT_EQ(::chmod(plugins_.c_str(), 0770), 0);
    PluginRegistry registry(plugins_, copies_);
    EXPECT_EQ(refusals_of(registry.scan()),
              std::vector<std::string>{plugins_.string() + ": directory " + plugins_.string() + " is writable by its group (mode 0770)"});
}

TEST_F(PluginRegistryTest, FileWritableByOthersIsRefused) {
    install(kIterable, plugins_ / "iterable.so");
    ASSERT_EQ(::chmod((plugins_ / "iterable.so").c_str(), 0666), 0);
    PluginRegistry registry(plugins_, copies_);
    EXPECT_EQ(refusals_of(registry.scan()),
              std::vector<std::string>{(plugins_ / "iterable.so").string() +
                                       ": file is writable by others (mode 0666)"});
    EXPECT_TRUE(files_in(copies_).empty());
}

// The code mapped is the private copy: a directory other users can write on its path could swap
// it between the copy and dlopen.
TEST_F(PluginRegistryTest, CopyDirectoryUnderADirectoryWritableByOthersIsRefusedNamingIt) {
    install(kIterable, plugins_ / "iterable.so");
    const fs::path open = root_.subdir("open");
    ASSERT_EQ(::chmod(open.c_str(), 0777), 0);
    PluginRegistry registry(plugins_, open / "copies");
    EXPECT_EQ(refusals_of(registry.scan()),
              std::vector<std::string>{(plugins_ / "iterable.so").string() + ": directory " + open.string() +
                                       " is writable by others (mode 0777)"});
    EXPECT_TRUE(files_in(open / "copies").empty());
}

TEST_F(PluginRegistryTest, SymlinkIntoADirectoryWritableByOthersIsRefusedAndNotCopied) {
    const fs::path open = root_.subdir("open");
    ASSERT_EQ(::chmod(open.c_str(), 0777), 0);
    install(kIterable, open / "iterable.so");
    fs::create_symlink(open / "iterable.so", plugins_ / "iterable.so");
    PluginRegistry registry(plugins_, copies_);
    EXPECT_EQ(refusals_of(registry.scan()),
              std::vector<std::string>{(plugins_ / "iterable.so").string() + ": directory " + open.string() +
                                       " is writable by others (mode 0777)"});
    EXPECT_TRUE(files_in(copies_).empty());
}

TEST_F(PluginRegistryTest, MissingPluginDirectoryIsARefusal) {
    PluginRegistry registry(root_.path() / "absent", copies_);
    const std::vector<std::string> refusals = refusals_of(registry.scan());
    ASSERT_EQ(refusals.size(), 1u);
    EXPECT_EQ(refusals[0].rfind((root_.path() / "absent").string() + ": ", 0), 0u) << refusals[0];
}

// Under ASan + UBSan (the asan preset) this is the leak and use-after-free check of unloading.
TEST_F(PluginRegistryTest, HundredLoadUnloadCyclesAlternatingBuilds) {
    constexpr int kCycles = 100;
    const auto started = std::chrono::steady_clock::now();
    PluginRegistry registry(plugins_, copies_);
    std::vector<std::string> versions;
    for (int cycle = 0; cycle < kCycles; ++cycle) {
        install(cycle % 2 == 0 ? kIterable : kIterableNext, plugins_ / "iterable.so");
        PluginScan scan = registry.scan();
        ASSERT_TRUE(scan.refusals.empty()) << "cycle " << cycle << ": " << scan.refusals.front();
        ASSERT_EQ(scan.plugins.size(), 1u) << "cycle " << cycle;
        versions.push_back(scan.plugins[0].library->version());
        registry.adopt(std::move(scan.plugins));
        on_this_thread([&] {
            auto destination = destination_of(registry.current().at(0));
            ASSERT_NE(destination, nullptr) << "cycle " << cycle;
            EXPECT_GT(requests_for(*destination, 5), 0) << "cycle " << cycle;
        });
        ASSERT_FALSE(HasFailure()) << "cycle " << cycle;
        // The previous cycle's library had no user left once this one was adopted.
        ASSERT_EQ(files_in(copies_).size(), 1u) << "cycle " << cycle;
    }
    registry.adopt({});
    EXPECT_TRUE(files_in(copies_).empty());
    for (int cycle = 0; cycle < kCycles; ++cycle)
        EXPECT_EQ(versions[static_cast<size_t>(cycle)], cycle % 2 == 0 ? kVersion : kNextVersion) << "cycle " << cycle;
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    EXPECT_TRUE(mapped_from(copies_).empty()) << "a library stayed mapped after its last user went";
    std::cout << "[          ] " << kCycles << " load/unload cycles took " << took.count() << " ms\n";
}

}  // namespace
}  // namespace switchyard::testing
