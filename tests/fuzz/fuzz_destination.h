// What the plugin targets share: the Iterable plugin loaded once, as the host loads it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "host/plugin/destination.h"

namespace switchyard::fuzz {

// The built iterable.so, loaded and checked by load_plugin (aborts when that fails: the
// target could not test anything).
std::shared_ptr<const PluginLibrary> iterable_plugin();

// A conformance file's text (path relative to tests/data/conformance/iterable/); aborts with
// "conformance data missing: <file> (...)" when it cannot be read.
std::string conformance_file(std::string_view relative);

// Aborts with `what` on stderr: a broken contract is a finding even when nothing crashed.
[[noreturn]] void contract_broken(std::string_view what);

}  // namespace switchyard::fuzz
