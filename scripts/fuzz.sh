#!/usr/bin/env bash
# Fuzzes every libFuzzer target (tests/fuzz/) for SECONDS each (default 60) under ASan+UBSan:
# builds build-fuzz/ (preset `fuzz`, clang) if needed, generates the seed corpora from
# tests/data/conformance, replays each target's committed regressions, then fuzzes, as many
# targets at once as there are cores (FUZZ_JOBS overrides). Exits non-zero on any finding,
# printing the crash and the reproducer's path. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
targets=(transform settings workspace ingest grading)
build=build-fuzz

echo "== fuzz build (clang, ASan+UBSan+libFuzzer)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$jobs"

rm -rf "$build/seeds" "$build/logs"
mkdir -p "$build/logs"
python3 tests/fuzz/make_seeds.py . "$build/seeds"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

# One target: the regressions once each, then SECONDS of fuzzing. The working corpus in
# build-fuzz/corpus/<target> grows across local runs (a clean build starts from the seeds).
fuzz_one() {
    local target=$1 binary="$build/fuzz/$1_fuzz" log="$build/logs/$1.log"
    local corpus="$build/corpus/$target" findings="$build/findings/$target/"
    mkdir -p "$corpus" "$findings"
    local regressions=(tests/fuzz/regressions/"$target"/*)
    if [[ -e ${regressions[0]} ]] && ! "$binary" -artifact_prefix="$findings" "${regressions[@]}" >"$log" 2>&1; then
        return 1
    fi
    "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -artifact_prefix="$findings" \
        "$corpus" "$build/seeds/$target" "tests/fuzz/regressions/$target" >>"$log" 2>&1
}

summary() {
    local log="$build/logs/$1.log"
    local runs corpus
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(ls "$build/corpus/$1" | wc -l)
    echo "$1: ${runs:-0} executions in ${seconds}s, working corpus $corpus inputs, no finding"
}

report_finding() {
    local target=$1 log="$build/logs/$1.log"
    echo "!! $target: FINDING (full log: $log)"
    grep -v -E '^(INFO|#[0-9]+)' "$log" | tail -60
    local artifact
    artifact=$(sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$log" | tail -1)
    # A committed regression that fails again is its own reproducer.
    [[ -n $artifact ]] || artifact=$(sed -n "s/^Running: \(.*\)$/\1/p" "$log" | tail -1)
    if [[ -n $artifact ]]; then
        echo "!! reproducer: $artifact"
        echo "!! reproduce:  $build/fuzz/${target}_fuzz $artifact"
    fi
}

echo "== fuzzing ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
declare -A pid_of
failed=()
finish_one() {
    local target=$1
    if wait "${pid_of[$target]}"; then summary "$target"; else report_finding "$target"; failed+=("$target"); fi
}

started=()
for target in "${targets[@]}"; do
    fuzz_one "$target" &
    pid_of[$target]=$!
    started+=("$target")
    if (( ${#started[@]} >= jobs )); then
        finish_one "${started[0]}"
        started=("${started[@]:1}")
    fi
done
for target in "${started[@]}"; do finish_one "$target"; done

if (( ${#failed[@]} > 0 )); then
    echo "== fuzzing FAILED: ${failed[*]}"
    exit 1
fi
echo "== fuzzing: no finding"
