#!/usr/bin/env bash
# Transform throughput of a plugin through `switchyard transform` (the C ABI, JSON in and out),
# on one core, with peak RSS. Usage: bench/transform_throughput.sh [EVENTS] [MODE] [BATCH]
#   EVENTS  corpus size (default 100000), MODE router|processor (default router), BATCH (default 200)
#   OUT=/path/file writes the output there (default /dev/null: the tool's cost, not the disk's;
#   correctness of the same output is what the test suite's differential tests check).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000} mode=${2:-router} batch=${3:-200}
build=${BUILD_DIR:-build}
corpus=${CORPUS:-/tmp/switchyard-corpus-$events.ndjson}
settings=../shared/conformance/iterable/differential/settings.json

[[ -s $corpus ]] || python3 bench/gen_corpus.py --events "$events" > "$corpus"
# Warm the page cache, then take the best of three runs.
cat "$corpus" > /dev/null
best=""
for run in 1 2 3; do
  /usr/bin/time -f "%e %M" -o /tmp/switchyard-bench-time taskset -c 0 \
    "$build/switchyard" transform --plugin-dir "$build/plugins" --plugin iterable --settings "$settings" \
    --mode "$mode" --batch "$batch" < "$corpus" > "${OUT:-/dev/null}" || true
  read -r seconds rss_kb < /tmp/switchyard-bench-time
  echo "run $run: ${seconds}s, peak RSS $((rss_kb / 1024)) MB"
  if [[ -z $best ]] || awk "BEGIN{exit !($seconds < $best)}"; then best=$seconds; best_rss=$rss_kb; fi
done
awk -v n="$events" -v s="$best" -v r="$best_rss" -v m="$mode" \
  'BEGIN{printf "%s mode: %d events in %.2f s = %.0f events/s on one core, peak RSS %d MB\n", m, n, s, n/s, r/1024}'
