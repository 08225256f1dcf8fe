#!/usr/bin/env bash
# Transform throughput per kind of event: bench/transform_throughput.sh on a 100,000-event corpus
# of each kind (bench/gen_corpus.py --only KIND), in router and processor mode; one Markdown
# table row per kind and mode (best run; "others" is the range of cores the rest of the machine
# used during the runs).
# Usage: bench/transform_by_type.sh [EVENTS] [BATCH] [KIND...]
#   defaults 100000 200 and every kind: identify track page screen alias group order-completed
#   product-added product-removed. RUNS=N runs per row (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000} batch=${2:-200}
shift $(( $# < 2 ? $# : 2 ))
kinds=("$@")
[[ ${#kinds[@]} -gt 0 ]] || kinds=(identify track page screen alias group order-completed product-added product-removed)

echo "| kind | bytes/event | mode | events/s (one core), best of ${RUNS:-3} | range | per CPU second | peak RSS | others (cores) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
for kind in "${kinds[@]}"; do
  corpus=/tmp/switchyard-corpus-$events-$kind.ndjson
  [[ -s $corpus ]] || python3 bench/gen_corpus.py --events "$events" --only "$kind" > "$corpus"
  bytes=$(( $(stat -c %s "$corpus") / events ))
  for mode in router processor; do
    out=$(ONLY=$kind bench/transform_throughput.sh "$events" "$mode" "$batch")
    awk -v kind="$kind" -v bytes="$bytes" -v mode="$mode" -v n="$events" '
      /^run / {s = $3 + 0; rate = n / s; lo = (lo == "" || rate < lo) ? rate : lo; hi = (rate > hi) ? rate : hi
               o = $(NF - 3) + 0; olo = (olo == "" || o < olo) ? o : olo; ohi = (o > ohi) ? o : ohi}
      /events\/s on one core/ {match($0, /= [0-9]+ events/); best = substr($0, RSTART + 2, RLENGTH - 9)
                               match($0, /\([0-9]+ per CPU/); cpu = substr($0, RSTART + 1, RLENGTH - 9); rss = $(NF - 1)}
      END {printf "| %s | %d | %s | %s | %.0f - %.0f | %s | %s MB | %.2f - %.2f |\n", kind, bytes, mode, best, lo, hi, cpu, rss, olo, ohi}' <<< "$out"
  done
done
