// Plugin trust: a plugin runs as the host's user, so no other user may have been able to write
// it or swap it in, through the file itself or any directory on its real path.
#pragma once

#include <filesystem>
#include <string>

namespace switchyard {

// An open file descriptor, closed with its owner.
class OpenFile {
   public:
    OpenFile() = default;
    explicit OpenFile(int fd) : fd_(fd) {}
    OpenFile(OpenFile &&other) noexcept;
    OpenFile &operator=(OpenFile &&other) noexcept;
    OpenFile(const OpenFile &) = delete;
    OpenFile &operator=(const OpenFile &) = delete;
    ~OpenFile();

    int get() const { return fd_; }

   private:
    int fd_ = -1;
};

enum class TrustedKind { file, directory };

struct TrustedOpen {
    OpenFile fd;                 // the checked file or directory, open read-only; unset when refused
    std::filesystem::path real;  // its real path, symlinks resolved
    std::string problem;         // when refused: e.g. "directory /srv is writable by others (mode 0777)"
};

// Resolves `path`, then opens its real path one component at a time from "/" without following
// symlinks and checks each open descriptor (fstat), so what was checked is what `fd` holds. The
// file and every directory up to "/" must be owned by root or the host's user (geteuid()) and
// not writable by group or others. A sticky directory (/tmp) may be writable by others: they can
// only add names there, not rename or delete an entry that is not theirs, and the next component
// must be ours. Never throws.
TrustedOpen open_trusted(const std::filesystem::path &path, TrustedKind kind);

}  // namespace switchyard
