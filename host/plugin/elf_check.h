// Reads an ELF file's headers before the dynamic linker maps it, so that a truncated file,
// a non-ELF file or a library for another machine is refused instead of crashing the host.
#pragma once

#include <filesystem>
#include <string>

namespace switchyard {

// Empty when `file` looks like a complete shared object for this machine; else the problem.
std::string elf_problem(const std::filesystem::path &file);

}  // namespace switchyard
