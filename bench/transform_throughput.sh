#!/usr/bin/env bash
# Transform throughput of a plugin through `switchyard transform` (the C ABI, JSON in and out),
# on one core, with peak RSS. Usage: bench/transform_throughput.sh [EVENTS] [MODE] [BATCH]
#   EVENTS  corpus size (default 100000), MODE router|processor (default router), BATCH (default 200)
#   ONLY=KIND  a corpus of one kind of event (bench/gen_corpus.py --only: identify, track, page,
#           screen, alias, group, order-completed, product-added, product-removed); default the mix
#   TYPE_FIRST=1  events with "type" first, as the host stores them (what delivery passes a plugin;
#           the host then reads the type without parsing to skip undeclared message types)
#   RUNS=N  runs, the best is reported (default 3)
#   OUT=/path/file writes the output there (default /dev/null: the tool's cost, not the disk's;
#   correctness of the same output is what the test suite's differential tests check).
# Each run also prints how many cores the rest of the machine used meanwhile ("others"), and how
# much of that was niced (a niced fuzzer or compile mostly yields the core to this run).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/machine_load.sh
events=${1:-100000} mode=${2:-router} batch=${3:-200}
build=${BUILD_DIR:-build}
kind=${ONLY:-mix}
corpus=${CORPUS:-/tmp/switchyard-corpus-$events${ONLY:+-$ONLY}${TYPE_FIRST:+-type-first}.ndjson}
settings=tests/data/conformance/iterable/differential/settings.json
times=$(mktemp)
trap 'rm -f "$times"' EXIT

[[ -s $corpus ]] || python3 bench/gen_corpus.py --events "$events" ${ONLY:+--only "$ONLY"} ${TYPE_FIRST:+--type-first} > "$corpus"
# Warm the page cache, then take the best of the runs.
cat "$corpus" > /dev/null
best=""
for run in $(seq "${RUNS:-3}"); do
  busy_before=$(busy_cpu_seconds) niced_before=$(niced_cpu_seconds) start_ns=$(date +%s%N)
  /usr/bin/time -f "%e %M %U %S" -o "$times" taskset -c 0 \
    "$build/switchyard" transform --plugin-dir "$build/plugins" --plugin iterable --settings "$settings" \
    --mode "$mode" --batch "$batch" < "$corpus" > "${OUT:-/dev/null}" || true
  end_ns=$(date +%s%N) busy_after=$(busy_cpu_seconds) niced_after=$(niced_cpu_seconds)
  # The last line: time's first is "Command exited with non-zero status 1" when an event was
  # refused (group events, for Iterable). Its elapsed time has only 10 ms steps: not used.
  read -r _ rss_kb user_s system_s < <(tail -1 "$times")
  seconds=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN{printf "%.3f", (b - a) / 1e9}')
  others=$(others_cores "$busy_before" "$busy_after" "$seconds" "$(awk -v u="$user_s" -v s="$system_s" 'BEGIN{print u + s}')")
  niced=$(awk -v a="$niced_before" -v b="$niced_after" -v s="$seconds" 'BEGIN{printf "%.2f", (b - a) / s}')
  cpu=$(awk -v u="$user_s" -v s="$system_s" 'BEGIN{printf "%.2f", u + s}')
  echo "run $run: ${seconds}s, CPU ${cpu}s, peak RSS $((rss_kb / 1024)) MB, others $others cores ($niced niced)"
  if [[ -z $best ]] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; best_rss=$rss_kb; fi
  if [[ -z ${best_cpu:-} ]] || awk "BEGIN{exit !($cpu < $best_cpu)}"; then best_cpu=$cpu; fi
done
# Per CPU second as well: when others share the core, wall time measures them too (CPU times
# come in 10 ms steps).
awk -v n="$events" -v s="$best" -v r="$best_rss" -v m="$mode" -v k="$kind" -v b="$batch" -v c="$best_cpu" \
  'BEGIN{printf "%s %s mode (batch %d): %d events in %.3f s = %.0f events/s on one core (%.0f per CPU second), peak RSS %d MB\n", k, m, b, n, s, n/s, n/c, r/1024}'
