// What `switchyard-worker --probe` answers on its stdout, one line at a time, and what its exit
// code means: written by host/worker/probe.cpp, read by load_probe.cpp.
//
//   refused        the refusal sentence, then exit kProbeRefused
//   loaded         kLoadedLine; with --init, then one line per settings document:
//                  kInitOkLine, or kInitRefusedPrefix followed by the init's sentence; exit kProbeLoaded
//   bad arguments  a sentence on stderr, exit kProbeUsage
#pragma once

#include <string_view>

namespace switchyard {

inline constexpr int kProbeLoaded = 0;
inline constexpr int kProbeRefused = 1;
inline constexpr int kProbeUsage = 2;

inline constexpr std::string_view kLoadedLine = "loaded";
inline constexpr std::string_view kInitOkLine = "init ok";
inline constexpr std::string_view kInitRefusedPrefix = "init refused: ";

}  // namespace switchyard
