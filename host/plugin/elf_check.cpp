// ELF sanity checks: a mapped segment that reaches past the end of a truncated file would
// fault (SIGBUS) inside dlopen, so every loadable segment is checked against the file size; and
// a STB_GNU_UNIQUE symbol would pin the library in memory, so the dynamic symbols are read too.
#include "host/plugin/elf_check.h"

#include <cxxabi.h>
#include <elf.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
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

std::optional<Elf64_Shdr> section_at(std::ifstream &in, const Elf64_Ehdr &eh, uint64_t file_size, uint32_t index) {
    if (eh.e_shentsize != sizeof(Elf64_Shdr) || index >= eh.e_shnum) return std::nullopt;
    Elf64_Shdr sh{};
    const uint64_t offset = eh.e_shoff + uint64_t{index} * sizeof sh;
    if (offset + sizeof sh > file_size || !read_at(in, offset, &sh, sizeof sh)) return std::nullopt;
    if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > file_size || sh.sh_size > file_size - sh.sh_offset))
        return std::nullopt;
    return sh;
}

std::string demangled(const std::string &name) {
    int status = 0;
    std::unique_ptr<char, decltype(&std::free)> readable(abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status),
                                                          &std::free);
    return status == 0 && readable ? std::string(readable.get()) : name;
}

// The first STB_GNU_UNIQUE symbol the dynamic symbol table (.dynsym) defines; empty when none.
std::string unique_symbol_in(std::ifstream &in, const Elf64_Ehdr &eh, uint64_t file_size) {
    for (uint32_t i = 0; i < eh.e_shnum; ++i) {
        const std::optional<Elf64_Shdr> symbols = section_at(in, eh, file_size, i);
        if (!symbols || symbols->sh_type != SHT_DYNSYM || symbols->sh_entsize != sizeof(Elf64_Sym)) continue;
        const std::optional<Elf64_Shdr> names = section_at(in, eh, file_size, symbols->sh_link);
        if (!names || names->sh_type != SHT_STRTAB) return {};
        std::vector<Elf64_Sym> table(symbols->sh_size / sizeof(Elf64_Sym));
        std::string text(names->sh_size, '\0');
        if (!read_at(in, symbols->sh_offset, table.data(), table.size() * sizeof(Elf64_Sym)) ||
            !read_at(in, names->sh_offset, text.data(), text.size()))
            return {};
        for (const Elf64_Sym &symbol : table)
            if (ELF64_ST_BIND(symbol.st_info) == STB_GNU_UNIQUE && symbol.st_shndx != SHN_UNDEF &&
                symbol.st_name < text.size())
                return demangled(text.c_str() + symbol.st_name);
    }
    return {};
}

}  // namespace

std::string gnu_unique_symbol(const std::filesystem::path &file) {
    std::error_code ec;
    const uint64_t file_size = std::filesystem::file_size(file, ec);
    std::ifstream in(file, std::ios::binary);
    Elf64_Ehdr eh{};
    if (ec || !in || !read_at(in, 0, &eh, sizeof eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        eh.e_ident[EI_CLASS] != ELFCLASS64)
        return {};
    return unique_symbol_in(in, eh, file_size);
}

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
    if (std::string why = segment_problem(in, eh, file_size); !why.empty()) return why;
    if (const std::string unique = unique_symbol_in(in, eh, file_size); !unique.empty())
        return "defines the STB_GNU_UNIQUE symbol \"" + unique +
               "\", and glibc never unloads a library that defined such a symbol, so a reloaded plugin would stay "
               "mapped until the host exits; build it with -fno-gnu-unique (switchyard_add_plugin sets it)";
    return {};
}

}  // namespace switchyard
