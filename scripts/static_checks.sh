#!/usr/bin/env bash
# Static checks: clang-tidy (.clang-tidy, tests/.clang-tidy) and cppcheck (.cppcheck-suppressions)
# over the project's own translation units (host/, plugins/, tests/, bench/; plugin_api/ through
# the files that include it), from a build's compile_commands.json. Prints every finding; exits
# non-zero on any. Configures the default build first if it is not configured.
#   STATIC_CHECKS_BUILD=DIR  the build whose compile_commands.json to read (default: build)
#   STATIC_CHECKS_JOBS=N   parallel jobs (default: nproc)
#   STATIC_CHECKS_ONLY=clang-tidy|cppcheck   run one tool only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd -P)
jobs=${STATIC_CHECKS_JOBS:-$(nproc)}
only=${STATIC_CHECKS_ONLY:-}
clang_tidy=$(command -v clang-tidy-14 || command -v clang-tidy)

build=${STATIC_CHECKS_BUILD:-build}
[[ -f "$build/compile_commands.json" ]] || cmake --preset default >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The project's own translation units, once each (two targets may compile the same file), without
# generated files under build*/ and without GCC-only flags clang does not know.
python3 - "$root" "$build/compile_commands.json" "$work" <<'PY'
import json, os, re, sys
root, db, work = sys.argv[1:4]
own = re.compile('^' + re.escape(root) + '/(host|plugins|plugin_api|tests|bench)/')
seen, kept = set(), []
for entry in json.load(open(db)):
    path = os.path.normpath(os.path.join(entry['directory'], entry['file']))
    if path in seen or not own.match(path):
        continue
    seen.add(path)
    entry['command'] = entry['command'].replace(' -fno-gnu-unique', '')
    kept.append(entry)
os.makedirs(work + '/db')
json.dump(kept, open(work + '/db/compile_commands.json', 'w'), indent=1)
with open(work + '/files', 'w') as out:
    for entry in kept:
        out.write(os.path.normpath(os.path.join(entry['directory'], entry['file'])) + '\n')
PY

status=0

if [[ "$only" != cppcheck ]]; then
  echo "== clang-tidy ($(wc -l <"$work/files") translation units, $jobs jobs)"
  mkdir -p "$work/tidy"
  # One output file per translation unit, printed afterwards so parallel runs do not interleave.
  export clang_tidy work root
  # shellcheck disable=SC2016
  if ! xargs -a "$work/files" -P "$jobs" -I{} sh -c '
      out="$work/tidy/$(printf %s "$1" | tr / _)"
      nice -n 10 "$clang_tidy" -p "$work/db" --quiet \
        --header-filter="^$root/(host|plugins|plugin_api|tests|bench)/" "$1" >"$out" 2>&1 \
        || { echo "clang-tidy failed: $1" >>"$out"; exit 1; }' _ {}; then
    status=1
  fi
  cat "$work"/tidy/* | grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$' || true
  # A finding in a header shows once per file including it; the summary counts each once.
  findings=$(cat "$work"/tidy/* | grep -E '^/.*: (warning|error): ' | sort -u || true)
  if [[ -n "$findings" ]]; then
    echo "== clang-tidy: $(wc -l <<<"$findings") finding(s)"
    echo "$findings"
    status=1
  else
    [[ $status -eq 0 ]] && echo "== clang-tidy: clean"
  fi
fi

if [[ "$only" != clang-tidy ]]; then
  echo "== cppcheck"
  mkdir -p "$work/cppcheck"
  # --project uses each file's own flags and defines; system headers are not analysed
  # (missingIncludeSystem); the suppressions file says why each suppression is there.
  # cppcheck defines no target macros: -D__x86_64__ picks the build machine's branch of
  # host/plugin/elf_check.cpp (which #errors on an unknown machine); googletest.cfg knows TEST().
  if ! nice -n 10 cppcheck --project="$work/db/compile_commands.json" -j "$jobs" \
      --cppcheck-build-dir="$work/cppcheck" --library=googletest -D__x86_64__ \
      --enable=warning,performance,portability,style \
      --inline-suppr --suppressions-list=.cppcheck-suppressions \
      --suppress=missingIncludeSystem --suppress='*:/usr/*' \
      --error-exitcode=1 --quiet \
      --template='{file}:{line}:{column}: {severity}: {message} [{id}]'; then
    status=1
    echo "== cppcheck: findings above"
  else
    echo "== cppcheck: clean"
  fi
fi

exit $status
