// The bytes between the host and a plugin worker: frames (a 4-byte length, then the message) of
// fixed-width integers and length-prefixed strings in the machine's byte order (both ends are the
// same build on the same machine).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace switchyard::wire {

// What the host asks of a worker. Every call is answered by one reply frame on the same channel.
enum class Op : uint8_t { create = 1, destroy, transform, send, rate_limits, delete_users, verify };

class Writer {
   public:
    template <class T>
        requires std::is_arithmetic_v<T> || std::is_enum_v<T>
    void put(T value) {
        out_.append(reinterpret_cast<const char *>(&value), sizeof value);
    }
    void put(std::string_view bytes) {
        put(static_cast<uint64_t>(bytes.size()));
        out_.append(bytes);
    }
    // The message, framed: ready for write_frame.
    std::string &framed();
    Writer() { out_.resize(sizeof(uint32_t)); }  // room for the frame's length

   private:
    std::string out_;
};

// Reads what a Writer wrote. A read past the end yields zeros and empty strings and makes ok()
// false: a truncated or corrupt message is one check at the end, never a crash.
class Reader {
   public:
    explicit Reader(std::string_view message) : rest_(message) {}
    template <class T>
        requires std::is_arithmetic_v<T> || std::is_enum_v<T>
    T get() {
        T value{};
        if (rest_.size() < sizeof value) return fail(), value;
        std::memcpy(&value, rest_.data(), sizeof value);
        rest_.remove_prefix(sizeof value);
        return value;
    }
    std::string_view bytes();
    // A count of items each at least `item_bytes` long: never more than the message can hold.
    uint64_t count(size_t item_bytes);
    bool ok() const { return ok_; }
    bool at_end() const { return ok_ && rest_.empty(); }

   private:
    void fail() {
        ok_ = false;
        rest_ = {};
    }
    std::string_view rest_;
    bool ok_ = true;
};

// Frames on a stream socket, each way within a deadline (none: wait as long as it takes).
using Deadline = std::optional<std::chrono::steady_clock::time_point>;
enum class Io { done, closed, timed_out };
Io write_frame(int fd, std::string_view framed, Deadline deadline);
Io read_frame(int fd, std::string &message, Deadline deadline);

// Passing a channel's socket to the worker over its control socket (SCM_RIGHTS).
bool send_descriptor(int control, int fd);
int receive_descriptor(int control);  // -1 when the host closed the control socket

}  // namespace switchyard::wire
