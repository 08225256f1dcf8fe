// Walks a plugin's real path from "/" with openat(O_NOFOLLOW) + fstat: no component can be
// swapped between its check and the next step, and a symlink cannot lead the walk elsewhere.
#include "host/plugin/plugin_trust.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace switchyard {
namespace {

namespace fs = std::filesystem;

std::string mode_octal(mode_t mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
    return buf;
}

std::string errno_text(int error) { return std::generic_category().message(error); }

// Why the object `subject` names ("directory /srv") is not trusted, or empty.
std::string untrusted_because(const struct stat &st, const std::string &subject) {
    if (st.st_uid != 0 && st.st_uid != ::geteuid())
        return subject + " is owned by uid " + std::to_string(st.st_uid) + ", not root or the host's user";
    const bool sticky_directory = S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) != 0;
    if ((st.st_mode & S_IWOTH) != 0 && !sticky_directory)
        return subject + " is writable by others (mode " + mode_octal(st.st_mode) + ")";
    if ((st.st_mode & S_IWGRP) != 0 && !sticky_directory)
        return subject + " is writable by its group (mode " + mode_octal(st.st_mode) + ")";
    return {};
}

// Opens `name` below the checked directory `parent`, not following a symlink, and checks it.
TrustedOpen open_checked(int parent, const std::string &name, bool directory, const std::string &subject) {
    // O_NONBLOCK: opening a FIFO planted as the plugin must not hang the host.
    const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (directory ? O_DIRECTORY : O_NONBLOCK);
    TrustedOpen out;
    out.fd = OpenFile(::openat(parent, name.c_str(), flags));
    if (out.fd.get() < 0) {
        const int error = errno;
        out.problem = error == ELOOP ? subject + " was replaced by a symlink while being checked"
                                     : "cannot open " + subject + " (" + errno_text(error) + ")";
        return out;
    }
    struct stat st {};
    if (::fstat(out.fd.get(), &st) != 0) {
        out.problem = "cannot stat " + subject + " (" + errno_text(errno) + ")";
    } else if (!directory && !S_ISREG(st.st_mode)) {
        out.problem = subject + " is not a regular file";
    } else {
        out.problem = untrusted_because(st, subject);
    }
    if (!out.problem.empty()) out.fd = OpenFile();
    return out;
}

// A file is "file" alone when the caller named it by its real path (refusals start with that
// name), else "file <real path>"; a directory is always named.
std::string leaf_subject(const fs::path &given, const fs::path &real, TrustedKind kind) {
    if (kind == TrustedKind::directory) return "directory " + real.string();
    std::error_code ec;
    const fs::path absolute = fs::absolute(given, ec).lexically_normal();
    return !ec && absolute == real ? "file" : "file " + real.string();
}

fs::path real_path_of(const fs::path &path, std::string &problem) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved) == nullptr) {
        problem = "cannot resolve (" + errno_text(errno) + ")";
        return {};
    }
    return resolved;
}

}  // namespace

OpenFile::OpenFile(OpenFile &&other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

OpenFile &OpenFile::operator=(OpenFile &&other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

OpenFile::~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
}

TrustedOpen open_trusted(const fs::path &path, TrustedKind kind) {
    TrustedOpen out;
    try {
        out.real = real_path_of(path, out.problem);
        if (!out.problem.empty()) return out;
        TrustedOpen current = open_checked(AT_FDCWD, "/", true, "directory /");
        fs::path walked = "/";
        for (auto component = out.real.begin(); current.problem.empty() && ++component != out.real.end();) {
            walked /= *component;
            const bool leaf = std::next(component) == out.real.end();
            const std::string subject = leaf ? leaf_subject(path, out.real, kind) : "directory " + walked.string();
            current = open_checked(current.fd.get(), component->string(), !leaf || kind == TrustedKind::directory,
                                   subject);
        }
        out.fd = std::move(current.fd);
        out.problem = std::move(current.problem);
    } catch (const std::exception &e) {  // path allocation only
        out.fd = OpenFile();
        out.problem = std::string("cannot be checked (") + e.what() + ")";
    }
    return out;
}

}  // namespace switchyard
