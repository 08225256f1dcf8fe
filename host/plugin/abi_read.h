// Reading what a plugin returns by the plugin's own struct sizes (the ABI's growth rules), in one
// place: a struct is copied by min(its struct_size, the host's size) into a zeroed host struct,
// and an array is walked by the struct_size of its first element.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "switchyard/plugin.h"

namespace switchyard {

// Above this a struct_size is garbage, not a later minor's growth.
inline constexpr size_t kMaxAbiStructSize = 4096;

// Per type: its name in sentences and the bytes of its ABI 2.0 fields (every struct was whole
// in 2.0, so a smaller struct_size means the plugin is broken).
template <class T>
struct AbiShape;

#define SY_ABI_SHAPE(type, last_field)                                                                 \
    template <>                                                                                        \
    struct AbiShape<type> {                                                                            \
        static constexpr std::string_view name = #type;                                                \
        static constexpr size_t min_size = offsetof(type, last_field) + sizeof(type::last_field);      \
    };
SY_ABI_SHAPE(sy_header, value)
SY_ABI_SHAPE(sy_request, rate_key)
SY_ABI_SHAPE(sy_event_error, message)
SY_ABI_SHAPE(sy_transform_result, error_count)
SY_ABI_SHAPE(sy_event_outcome, message)
SY_ABI_SHAPE(sy_send_result, event_count)
SY_ABI_SHAPE(sy_rate_limit, burst)
#undef SY_ABI_SHAPE

// Empty when `struct_size` is a size a T may have; else why not, as a clause.
template <class T>
std::string abi_size_problem(uint32_t struct_size) {
    if (struct_size >= AbiShape<T>::min_size && struct_size <= kMaxAbiStructSize) return {};
    return std::string(AbiShape<T>::name) + " has struct_size " + std::to_string(struct_size) +
           (struct_size < AbiShape<T>::min_size ? ", below the " + std::to_string(AbiShape<T>::min_size) +
                                                      " bytes of its ABI 2.0 fields"
                                                : ", beyond any plausible size");
}

// Copies the plugin's struct at `p` into `out` (zeroed first). Returns why it cannot, or empty.
template <class T>
std::string read_abi_struct(const T *p, T &out) {
    out = T{};
    if (p == nullptr) return std::string(AbiShape<T>::name) + " is NULL";
    uint32_t size = 0;
    std::memcpy(&size, p, sizeof size);  // struct_size is the first field of every struct
    if (std::string why = abi_size_problem<T>(size); !why.empty()) return why;
    std::memcpy(&out, p, std::min<size_t>(size, sizeof(T)));
    return {};
}

// Copies `count` elements stepping by the first element's struct_size; every element must carry
// that same size. Returns why the array cannot be read, or empty.
template <class T>
std::string read_abi_array(const T *first, size_t count, std::vector<T> &out) {
    out.clear();
    if (count == 0) return {};
    if (first == nullptr) return std::to_string(count) + " " + std::string(AbiShape<T>::name) + " but a NULL array";
    out.resize(count);
    const auto *bytes = reinterpret_cast<const unsigned char *>(first);
    uint32_t stride = 0;
    std::memcpy(&stride, bytes, sizeof stride);
    for (size_t i = 0; i < count; ++i) {
        std::string why = read_abi_struct(reinterpret_cast<const T *>(bytes + i * stride), out[i]);
        if (why.empty() && out[i].struct_size != stride)
            why = std::string(AbiShape<T>::name) + " has struct_size " + std::to_string(out[i].struct_size) +
                  " where the first element of its array has " + std::to_string(stride);
        if (!why.empty()) return "element " + std::to_string(i) + ": " + why;
    }
    return {};
}

// The plugin's array itself when its elements have the host's size (the common case: no copy;
// valid while the plugin's result is held), else a copy in `storage` as read_abi_array makes it.
// Returns why the array cannot be read, or empty.
template <class T>
std::string view_abi_array(const T *first, size_t count, std::vector<T> &storage, std::span<const T> &out) {
    out = {};
    if (count == 0) return {};
    if (first == nullptr) return std::to_string(count) + " " + std::string(AbiShape<T>::name) + " but a NULL array";
    uint32_t stride = 0;
    std::memcpy(&stride, first, sizeof stride);
    if (stride != sizeof(T)) {
        std::string why = read_abi_array(first, count, storage);
        if (why.empty()) out = storage;
        return why;
    }
    for (size_t i = 1; i < count; ++i)
        if (first[i].struct_size != stride)
            return "element " + std::to_string(i) + ": " + std::string(AbiShape<T>::name) + " has struct_size " +
                   std::to_string(first[i].struct_size) + " where the first element of its array has " +
                   std::to_string(stride);
    out = {first, count};
    return {};
}

}  // namespace switchyard
