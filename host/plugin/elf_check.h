// Reads an ELF file's headers before the dynamic linker maps it, so that a truncated file,
// a non-ELF file or a library for another machine is refused instead of crashing the host.
#pragma once

#include <filesystem>
#include <string>

namespace switchyard {

// Empty when `file` looks like a complete shared object for this machine that can be unloaded
// again; else the problem.
std::string elf_problem(const std::filesystem::path &file);

// The (demangled) name of a symbol `file` defines with binding STB_GNU_UNIQUE; empty when none
// (or when the file has no readable dynamic symbol table). glibc never unloads a library that
// defined such a symbol, so a plugin with one would stay mapped after every reload.
std::string gnu_unique_symbol(const std::filesystem::path &file);

}  // namespace switchyard
