// ELF sanity checks: a mapped segment that reaches past the end of a truncated file would
// fault (SIGBUS) inside dlopen, so every loadable segment is checked against the file size.
#include "host/plugin/elf_check.h"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <vector>

namespace switchyard {
namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
#else
#error "add this machine's ELF e_machine value"
#endif

bool read_at(std::ifstream &in, uint64_t offset, void *out, size_t size) {
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(static_cast<char *>(out), static_cast<std::streamsize>(size));
    return static_cast<size_t>(in.gcount()) == size;
}

// cppcheck-suppress constParameter ; read_at() seeks and reads, which a const stream cannot
std::string segment_problem(std::ifstream &in, const Elf64_Ehdr &eh, uint64_t file_size) {
    if (eh.e_phentsize != sizeof(Elf64_Phdr)) return "unexpected program header size";
    if (eh.e_phoff + uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr) > file_size) return "truncated (program headers)";
    for (uint16_t i = 0; i < eh.e_phnum; ++i) {
        Elf64_Phdr ph{};
        if (!read_at(in, eh.e_phoff + uint64_t{i} * sizeof ph, &ph, sizeof ph)) return "truncated (program headers)";
        if (ph.p_type == PT_LOAD && ph.p_offset + ph.p_filesz > file_size)
            return "truncated (segment " + std::to_string(i) + " ends past the end of the file)";
    }
    return {};
}

}  // namespace

std::string elf_problem(const std::filesystem::path &file) {
    std::error_code ec;
    const uint64_t file_size = std::filesystem::file_size(file, ec);
    if (ec) return "cannot read: " + ec.message();
    std::ifstream in(file, std::ios::binary);
    if (!in) return "cannot open for reading";
    Elf64_Ehdr eh{};
    const bool whole_header = read_at(in, 0, &eh, sizeof eh);
    if (file_size < SELFMAG || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF shared object";
    if (!whole_header) return "truncated (ELF header)";
    if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return "built for another architecture (not 64-bit little-endian ELF)";
    if (eh.e_machine != kHostMachine)
        return "built for another architecture (ELF machine " + std::to_string(eh.e_machine) + ", this host is " +
               std::to_string(kHostMachine) + ")";
    if (eh.e_type != ET_DYN) return "not a shared object (ELF type " + std::to_string(eh.e_type) + ")";
    return segment_problem(in, eh, file_size);
}

}  // namespace switchyard
