#!/usr/bin/env bash
# Host memory with a big backlog: `switchyard serve` ingests EVENTS track events while its one
# destination cannot deliver (a closed port and a 1 h backoff, as ingest_throughput.sh's `closed`:
# each user's first job fails once and the user then waits), then sits on the backlog; then the
# host is restarted against the mock Iterable (rate limits off) and the backlog drains.
# Samples the host's VmRSS / VmHWM (/proc) and /metrics every SAMPLE seconds throughout.
# Usage: bench/backlog_memory.sh [EVENTS] [BATCH] [CONNECTIONS]   (defaults 1000000 100 8)
#   SETTLE=S   seconds to sit on the full backlog before the restart (default 20)
#   DRAIN=0    stop after the backlog phase (no restart, no drain)
#   SAMPLE=S   sampling interval (default 0.5)
# The restart is how the destination "opens": the backed-off jobs' retry time lives in the store,
# so while the host is stopped the script clears it (sqlite3: attempts, next_attempt_ms of the
# ~10,000 jobs that failed) and starts the host again with the mock's address.
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000} batch=${2:-100} connections=${3:-8}
settle=${SETTLE:-20} sample=${SAMPLE:-0.5}
source bench/serve_fixture.sh
source bench/machine_load.sh
command -v sqlite3 > /dev/null || { echo "sqlite3 (the command-line shell) is needed for the restart" >&2; exit 2; }

unlimited='{"events/track":1000000,"events/trackBulk":1000000,"users/update":1000000,"users/bulkUpdate":1000000}'
timeline=$work/timeline  # "phase unix_ms rss_kb hwm_kb received delivered depth host_cpu_s metrics_ms"
start_ms=$(date +%s%3N)

sample_host() {
  local phase=$1 now rss hwm text received delivered depth scrape_s
  now=$(date +%s%3N)
  read -r rss hwm < <(awk '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {print r + 0, h + 0}' "/proc/$host_pid/status" 2>/dev/null || echo "0 0")
  # The scrape's own time matters: /metrics counts the queue (COUNT(*) over the jobs) each time.
  scrape_s=$(curl -sf --max-time 5 -o "$work/metrics.txt" -w '%{time_total}' "$host_url/metrics" || echo 0)
  text=$(cat "$work/metrics.txt" 2>/dev/null || true)
  read -r received delivered depth < <(awk '$1 ~ /^switchyard_events_received_total/ {r += $NF}
    $1 ~ /^switchyard_events_delivered_total/ {d += $NF} $1 ~ /^switchyard_queue_depth/ {q += $NF}
    END {printf "%.0f %.0f %.0f\n", r, d, q}' <<< "$text")
  echo "$phase $now $rss $hwm $received $delivered $depth $(cpu_seconds "$host_pid") $(awk -v s="$scrape_s" 'BEGIN{printf "%.1f", s * 1000}')" >> "$timeline"
}

# Samples until the file $work/stop_sampling appears.
sampler() {
  local phase=$1
  rm -f "$work/stop_sampling"
  while [[ ! -e $work/stop_sampling ]]; do sample_host "$phase"; sleep "$sample"; done
}

start_sampler() { sampler "$1" & sampler_pid=$!; }
stop_sampler() { touch "$work/stop_sampling"; wait "$sampler_pid" || true; }

stop_host() {
  kill -TERM "$host_pid"
  for _ in $(seq 300); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$host_pid" 2>/dev/null && { echo "the host did not stop within 30 s" >&2; exit 1; }
  wait "$host_pid" 2>/dev/null || true
  host_pid=""
}

store_size() { du -sb "$work/data" | awk '{printf "%.0f MB", $1 / 1e6}'; }
store_files() { (cd "$work/data" && find . -maxdepth 1 -type f -printf '%f %s\n' | awk '{printf "%s %.0f MB; ", $1, $2 / 1e6}'); }

# Phase 1: the backlog builds up.
write_workspace http://127.0.0.1:1/api/ "" "      backoff_base: 1h
      backoff_cap: 1h"
start_host
sleep 2
sample_host idle
echo "idle host: RSS $(awk '$1 == "idle" {print int($3 / 1024)}' "$timeline") MB"
start_sampler ingest
busy_before=$(busy_cpu_seconds) host_cpu_before=$(cpu_seconds "$host_pid") ingest_start_ms=$(date +%s%3N)
status=0
"$build/bench/ingest_load" --url "$host_url" --write-key "$write_key" --events "$events" --batch "$batch" \
  --connections "$connections" > "$work/load.json" || status=$?
ingest_end_ms=$(date +%s%3N)
busy_after=$(busy_cpu_seconds) host_cpu_after=$(cpu_seconds "$host_pid")
stop_sampler
cat "$work/load.json"
ingest_s=$(awk -v a="$ingest_start_ms" -v b="$ingest_end_ms" 'BEGIN{print (b - a) / 1000}')
load_cpu=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cpu_s"])' "$work/load.json")
echo "ingest: host CPU $(awk -v a="$host_cpu_before" -v b="$host_cpu_after" -v s="$ingest_s" 'BEGIN{printf "%.2f", (b - a) / s}') cores;" \
  "others $(others_cores "$busy_before" "$busy_after" "$ingest_s" "$(awk -v a="$host_cpu_before" -v b="$host_cpu_after" -v l="$load_cpu" 'BEGIN{print b - a + l}')") cores;" \
  "store $(store_size) ($(store_files))"
[[ $status -eq 0 ]] || echo "ingestion had failures (see non_200 above)" >&2

# Phase 2: sitting on the full backlog (the workers keep claiming and finding every user blocked).
busy_before=$(busy_cpu_seconds) host_cpu_before=$(cpu_seconds "$host_pid")
start_sampler backlog
sleep "$settle"
stop_sampler
busy_after=$(busy_cpu_seconds) host_cpu_after=$(cpu_seconds "$host_pid")
host_cores=$(awk -v a="$host_cpu_before" -v b="$host_cpu_after" -v s="$settle" 'BEGIN{printf "%.2f", (b - a) / s}')
echo "backlog held ${settle} s: host CPU $host_cores cores (idle workers claiming);" \
  "others $(others_cores "$busy_before" "$busy_after" "$settle" "$(awk -v a="$host_cpu_before" -v b="$host_cpu_after" 'BEGIN{print b - a}')") cores;" \
  "store $(store_size) ($(store_files))"

if [[ ${DRAIN:-1} != 0 ]]; then
  # Phase 3: restart against the mock; the backlog drains.
  backlog=$(awk '$1 == "backlog" {r = $5} END {print r}' "$timeline")  # what phase 1 stored
  stop_host
  echo "stopped: store $(store_size) ($(store_files))"
  sqlite3 "$work/data/switchyard.db" \
    "UPDATE jobs SET attempts = 0, next_attempt_ms = 0, first_failure_ms = 0, last_error = NULL WHERE attempts > 0;"
  start_mock
  write_workspace "$mock_url" "$unlimited"
  restart_ms=$(date +%s%3N)
  start_host
  echo "restart with the backlog: listening after $(( $(date +%s%3N) - restart_ms )) ms"
  busy_before=$(busy_cpu_seconds) host_cpu_before=$(cpu_seconds "$host_pid") mock_cpu_before=$(cpu_seconds "$mock_pid")
  drain_start_ms=$(date +%s%3N)
  start_sampler drain
  deadline=$(( $(date +%s) + 1800 ))
  while :; do
    sleep 1
    read -r delivered depth < <(tail -1 "$timeline" | awk '{print $6, $7}')
    [[ $depth -eq 0 && $delivered -ge $backlog ]] && break
    [[ $(date +%s) -lt $deadline ]] || { echo "the backlog did not drain within 30 minutes" >&2; break; }
  done
  drain_end_ms=$(date +%s%3N)
  busy_after=$(busy_cpu_seconds) host_cpu_after=$(cpu_seconds "$host_pid") mock_cpu_after=$(cpu_seconds "$mock_pid")
  stop_sampler
  start_sampler drained  # RSS once the drain is over
  sleep 5
  stop_sampler
  drain_s=$(awk -v a="$drain_start_ms" -v b="$drain_end_ms" 'BEGIN{print (b - a) / 1000}')
  echo "drain: $delivered events delivered in ${drain_s} s;" \
    "host CPU $(awk -v a="$host_cpu_before" -v b="$host_cpu_after" -v s="$drain_s" 'BEGIN{printf "%.2f", (b - a) / s}') cores," \
    "mock $(awk -v a="$mock_cpu_before" -v b="$mock_cpu_after" -v s="$drain_s" 'BEGIN{printf "%.2f", (b - a) / s}') cores;" \
    "others $(others_cores "$busy_before" "$busy_after" "$drain_s" "$(awk -v a="$host_cpu_before" -v b="$host_cpu_after" -v c="$mock_cpu_before" -v d="$mock_cpu_after" 'BEGIN{print b - a + d - c}')") cores;" \
    "store after the drain $(store_size) ($(store_files))"
  curl -sf "${mock_url%/api/}/_mock/stats" > "$work/mock_stats.json" || true
  echo "mock: $(head -c 400 "$work/mock_stats.json")"
fi

# Per phase: RSS first / max / last and events/s over the phase.
awk -v start="$start_ms" '
  {p = $1; if (!(p in first)) {first[p] = $3; t0[p] = $2; r0[p] = $5; d0[p] = $6; order[++n] = p}
   if ($3 > max[p]) max[p] = $3; last[p] = $3; hwm[p] = $4; t1[p] = $2; r1[p] = $5; d1[p] = $6; depth[p] = $7
   scrapes[p]++; scrape_sum[p] += $9; if ($9 > scrape_max[p]) scrape_max[p] = $9}
  END {for (i = 1; i <= n; ++i) {p = order[i]; s = (t1[p] - t0[p]) / 1000; if (s <= 0) s = 1
    printf "%-8s %6.1f-%6.1f s: RSS first %4d MB, max %4d MB, last %4d MB, VmHWM %4d MB; received %7d/s, delivered %7d/s; queue depth at the end %d; /metrics %.0f ms mean, %.0f max\n",
      p, (t0[p] - start) / 1000, (t1[p] - start) / 1000, first[p] / 1024, max[p] / 1024, last[p] / 1024, hwm[p] / 1024,
      (r1[p] - r0[p]) / s, (d1[p] - d0[p]) / s, depth[p], scrape_sum[p] / scrapes[p], scrape_max[p]}}' "$timeline"
[[ -z ${KEEP_TIMELINE:-} ]] || cp "$timeline" "$KEEP_TIMELINE"
