// Plugin trust: the loader refuses a plugin that a user other than root or the host's could have
// written or swapped in, through the file, a symlink, or any directory up to "/".
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/plugin/plugin_library.h"

namespace switchyard {
namespace {

namespace fs = std::filesystem;

const fs::path kTemplate = fs::path(PLUGIN_DIR) / "template.so";
constexpr uid_t kNobody = 65534;

// A tree of test directories, each with the mode it is given, under a fresh mode 0700 base.
// The base sits under the test temp dir (/tmp: sticky, owned by root, hence trusted).
class Tree {
   public:
    Tree() {
        std::string pattern = ::testing::TempDir() + "trust-XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
        base_ = pattern;
    }
    ~Tree() {
        std::error_code ec;
        fs::remove_all(base_, ec);
    }
    Tree(const Tree &) = delete;
    Tree &operator=(const Tree &) = delete;

    fs::path dir(const std::string &relative, mode_t mode) const {
        const fs::path p = base_ / relative;
        fs::create_directories(p);
        if (::chmod(p.c_str(), mode) != 0) throw std::runtime_error("chmod failed for " + p.string());
        return p;
    }
    // The template plugin copied to `relative`, mode 0755.
    fs::path plugin(const std::string &relative) const {
        const fs::path p = base_ / relative;
        fs::copy_file(kTemplate, p, fs::copy_options::overwrite_existing);
        ::chmod(p.c_str(), 0755);
        return p;
    }
    fs::path link(const std::string &relative, const fs::path &target) const {
        fs::create_symlink(target, base_ / relative);
        return base_ / relative;
    }

   private:
    fs::path base_;
};

// Changing a file's owner needs root (CI runs the tests as root).
#define SKIP_UNLESS_ROOT() \
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to uid 65534 (running as uid " << ::geteuid() << ")"

TEST(PluginTrust, SymlinkIntoAWorldWritableDirectoryIsRefusedNamingThatDirectory) {
    Tree tree;
    const fs::path open = tree.dir("open", 0777);
    const fs::path plugins = tree.dir("plugins", 0755);
    tree.link("plugins/template.so", tree.plugin("open/template.so"));
    DirectoryLoad loaded = load_plugin_directory(plugins);
    EXPECT_TRUE(loaded.plugins.empty());
    EXPECT_EQ(loaded.refusals, std::vector<std::string>{(plugins / "template.so").string() + ": directory " +
                                                        open.string() + " is writable by others (mode 0777)"});
}

TEST(PluginTrust, SymlinkIntoATrustedDirectoryIsAcceptedUnderItsOwnName) {
    Tree tree;
    tree.dir("builds", 0755);
    const fs::path plugins = tree.dir("plugins", 0755);
    tree.link("plugins/template.so", tree.plugin("builds/template.so"));
    DirectoryLoad loaded = load_plugin_directory(plugins);
    ASSERT_EQ(loaded.plugins.size(), 1u) << (loaded.refusals.empty() ? "" : loaded.refusals.front());
    EXPECT_EQ(loaded.plugins[0]->path(), plugins / "template.so");
}

TEST(PluginTrust, SymlinkToAFileWritableByOthersIsRefusedNamingTheTarget) {
    Tree tree;
    tree.dir("builds", 0755);
    const fs::path target = tree.plugin("builds/template.so");
    ASSERT_EQ(::chmod(target.c_str(), 0666), 0);
    const fs::path link = tree.link("template.so", target);
    EXPECT_EQ(load_plugin(link).refusal,
              link.string() + ": file " + target.string() + " is writable by others (mode 0666)");
}

TEST(PluginTrust, GroupWritableParentOfThePluginDirectoryIsRefused) {
    Tree tree;
    const fs::path parent = tree.dir("parent", 0775);
    const fs::path plugins = tree.dir("parent/plugins", 0755);
    const fs::path file = tree.plugin("parent/plugins/template.so");
    DirectoryLoad loaded = load_plugin_directory(plugins);
    EXPECT_TRUE(loaded.plugins.empty());
    EXPECT_EQ(loaded.refusals, std::vector<std::string>{plugins.string() + ": directory " + parent.string() +
                                                        " is writable by its group (mode 0775)"});
    EXPECT_EQ(load_plugin(file).refusal,
              file.string() + ": directory " + parent.string() + " is writable by its group (mode 0775)");
}

TEST(PluginTrust, OthersWritableGrandparentIsRefused) {
    Tree tree;
    const fs::path grandparent = tree.dir("a", 0757);
    tree.dir("a/b/plugins", 0755);
    const fs::path file = tree.plugin("a/b/plugins/template.so");
    EXPECT_EQ(load_plugin(file).refusal,
              file.string() + ": directory " + grandparent.string() + " is writable by others (mode 0757)");
}

TEST(PluginTrust, PluginDirectoryItselfWritableByOthersIsRefused) {
    Tree tree;
    const fs::path plugins = tree.dir("plugins", 0777);
    tree.plugin("plugins/template.so");
    EXPECT_EQ(load_plugin_directory(plugins).refusals,
              std::vector<std::string>{plugins.string() + ": directory " + plugins.string() + " is writable by others (mode 0777)"});
}

TEST(PluginTrust, FileWritableByItsGroupIsRefused) {
    Tree tree;
    const fs::path file = tree.plugin("template.so");
    ASSERT_EQ(::chmod(file.c_str(), 0775), 0);
    EXPECT_EQ(load_plugin(file).refusal, file.string() + ": file is writable by its group (mode 0775)");
}

// The sticky bit keeps other users from renaming or deleting what they do not own (unlink(2),
// rename(2)), and everything below it must be ours: /tmp-style directories may be on the path.
TEST(PluginTrust, StickyWorldWritableDirectoryOnThePathIsAccepted) {
    Tree tree;
    tree.dir("shared", 01777);
    const fs::path plugins = tree.dir("shared/plugins", 0755);
    tree.plugin("shared/plugins/template.so");
    DirectoryLoad loaded = load_plugin_directory(plugins);
    EXPECT_EQ(loaded.plugins.size(), 1u) << (loaded.refusals.empty() ? "" : loaded.refusals.front());
}

TEST(PluginTrust, FileOwnedByAnotherUserIsRefused) {
    SKIP_UNLESS_ROOT();
    Tree tree;
    const fs::path file = tree.plugin("template.so");
    ASSERT_EQ(::chown(file.c_str(), kNobody, kNobody), 0);
    EXPECT_EQ(load_plugin(file).refusal,
              file.string() + ": file is owned by uid 65534, not root or the host's user");
}

TEST(PluginTrust, DirectoryOwnedByAnotherUserIsRefused) {
    SKIP_UNLESS_ROOT();
    Tree tree;
    const fs::path theirs = tree.dir("theirs", 0755);
    ASSERT_EQ(::chown(theirs.c_str(), kNobody, kNobody), 0);
    const fs::path plugins = tree.dir("theirs/plugins", 0755);
    tree.plugin("theirs/plugins/template.so");
    EXPECT_EQ(load_plugin_directory(plugins).refusals,
              std::vector<std::string>{plugins.string() + ": directory " + theirs.string() +
                                       " is owned by uid 65534, not root or the host's user"});
}

// An owner other than root or the host can always chmod the sticky directory open again.
TEST(PluginTrust, StickyDirectoryOwnedByAnotherUserIsRefused) {
    SKIP_UNLESS_ROOT();
    Tree tree;
    const fs::path shared = tree.dir("shared", 01777);
    ASSERT_EQ(::chown(shared.c_str(), kNobody, kNobody), 0);
    tree.dir("shared/plugins", 0755);
    const fs::path file = tree.plugin("shared/plugins/template.so");
    EXPECT_EQ(load_plugin(file).refusal,
              file.string() + ": directory " + shared.string() + " is owned by uid 65534, not root or the host's user");
}

TEST(PluginTrust, MissingFileIsARefusal) {
    Tree tree;
    const fs::path plugins = tree.dir("plugins", 0755);
    EXPECT_EQ(load_plugin(plugins / "absent.so").refusal,
              (plugins / "absent.so").string() + ": cannot resolve (No such file or directory)");
}

}  // namespace
}  // namespace switchyard
