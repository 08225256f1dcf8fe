// The data directory's exclusive lock, and the PID of its holder.
#include "host/store/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

#include "host/store/store.h"

namespace switchyard {
namespace {

constexpr mode_t kLockFileMode = 0600;

std::string errno_text() { return std::generic_category().message(errno); }

// The PID the holder wrote, or "unknown" when it has not written it yet.
std::string holder_pid(int fd) {
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid(text, n > 0 ? static_cast<size_t>(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

bool write_pid(int fd) {
    const std::string pid = std::to_string(::getpid()) + "\n";
    return ::ftruncate(fd, 0) == 0 && ::pwrite(fd, pid.data(), pid.size(), 0) == static_cast<ssize_t>(pid.size());
}

}  // namespace

DataDirLock::DataDirLock(const std::filesystem::path &data_dir) {
    create_data_dir(data_dir);
    const std::filesystem::path file = data_dir / kFileName;
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kLockFileMode);
    if (fd_ < 0) throw std::runtime_error("Could not open the lock file " + file.string() + ": " + errno_text() + ".");
    if (::flock(fd_, LOCK_EX | LOCK_NB) == 0) {
        if (write_pid(fd_)) return;
        const std::string why = errno_text();
        ::close(fd_);
        throw std::runtime_error("Could not write this host's PID into " + file.string() + ": " + why + ".");
    }
    const int error = errno;
    const std::string pid = holder_pid(fd_);
    ::close(fd_);
    if (error != EWOULDBLOCK)
        throw std::runtime_error("Could not lock " + file.string() + ": " + std::generic_category().message(error) + ".");
    throw std::runtime_error("The data directory " + data_dir.string() + " is in use by another switchyard serve (PID " +
                             pid + ", holding " + file.string() + "); one store takes one host.");
}

DataDirLock::~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);
}

}  // namespace switchyard
