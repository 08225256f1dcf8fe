#!/usr/bin/env bash
# End-to-end throughput of `switchyard serve`: ingest EVENTS track events through /v1/batch (as
# fast as acks come back, or at RATE events/s), then wait until the mock Iterable has them all;
# reports delivered events/s, delivery lag and the host's memory.
# Usage: bench/e2e_throughput.sh [EVENTS] [BATCH] [CONNECTIONS]   (defaults 100000 100 4)
#   RATE=N      pace ingestion to N events/s (steady state) instead of one burst
#   PACING=iterable  keep the Iterable plugin's default rate limits (trackBulk 10 requests/s);
#               by default they are raised so that the host, not the pacer, is measured
#   WORKERS=N BATCH_SIZE=N  the destination's delivery settings (defaults 4 and the plugin's default)
#   ISOLATION=process|in-process  where the plugin runs (default: the workspace default, process);
#               host CPU counts the plugin workers' too
#   POLL=S      /metrics sampling interval in seconds (default 0.2)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000} batch=${2:-100} connections=${3:-4}
source bench/serve_fixture.sh
source bench/machine_load.sh

unlimited='{"events/track":1000000,"events/trackBulk":1000000,"users/update":1000000,"users/bulkUpdate":1000000}'
[[ ${PACING:-} == iterable ]] && unlimited=""
start_mock
write_workspace "$mock_url" "$unlimited" "      workers: ${WORKERS:-4}${BATCH_SIZE:+
      batch_size: $BATCH_SIZE}"
start_host

# Timeline of "unix_ms received delivered", sampled from /metrics until every event is delivered.
poll() {
  while :; do
    local text now received delivered depth
    text=$(curl -sf "$host_url/metrics") || break
    now=$(date +%s%3N)
    read -r received delivered depth < <(awk '$1 ~ /^switchyard_events_received_total/ {r += $NF}
      $1 ~ /^switchyard_events_delivered_total/ {d += $NF} $1 ~ /^switchyard_queue_depth/ {q += $NF}
      END {printf "%.0f %.0f %.0f\n", r, d, q}' <<< "$text")
    echo "$now $received $delivered $depth" >> "$work/timeline"
    [[ $delivered -ge $events && $depth -eq 0 ]] && break
    sleep "${POLL:-0.2}"
  done
}
poll &
poller=$!

load_flags=(--url "$host_url" --write-key "$write_key" --events "$events" --batch "$batch" --connections "$connections")
[[ -z ${RATE:-} ]] || load_flags+=(--rate "$RATE")
host_cpu_before=$(cpu_seconds "$host_pid") mock_cpu_before=$(cpu_seconds "$mock_pid")
busy_before=$(busy_cpu_seconds) run_start_ms=$(date +%s%3N)
status=0
"$build/bench/ingest_load" "${load_flags[@]}" > "$work/load.json" || status=$?
cat "$work/load.json"
[[ $status -eq 0 ]] || { echo "ingestion had failures: not measuring delivery" >&2; kill "$poller"; exit "$status"; }
deadline=$(( $(date +%s) + 600 ))
while kill -0 "$poller" 2>/dev/null; do
  [[ $(date +%s) -lt $deadline ]] || { echo "not all delivered within 10 minutes" >&2; tail -3 "$work/timeline" >&2; exit 1; }
  sleep 0.1
done
host_cpu=$(awk -v a="$host_cpu_before" -v b="$(cpu_seconds "$host_pid")" 'BEGIN{print b - a}')
mock_cpu=$(awk -v a="$mock_cpu_before" -v b="$(cpu_seconds "$mock_pid")" 'BEGIN{print b - a}')
busy_after=$(busy_cpu_seconds) run_s=$(awk -v a="$run_start_ms" -v b="$(date +%s%3N)" 'BEGIN{print (b - a) / 1000}')
load_cpu=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cpu_s"])' "$work/load.json")
echo "others (the rest of the machine, incl. the load generator's set-up and the poller): $(others_cores \
  "$busy_before" "$busy_after" "$run_s" "$(awk -v h="$host_cpu" -v m="$mock_cpu" -v l="$load_cpu" 'BEGIN{print h + m + l}')") cores over $run_s s"
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$host_pid/status")
hwm_kb=$(host_hwm_kb)
curl -sf "$host_url/metrics" | grep '^switchyard_delivery_latency_seconds_bucket' > "$work/buckets"
curl -sf "${mock_url%/api/}/_mock/stats" > "$work/mock_stats.json"
curl -sf "${mock_url%/api/}/_mock/state" > "$work/mock_state.json"
python3 bench/e2e_report.py "$work" "$events" "$rss_kb" "$hwm_kb" "$host_cpu" "$mock_cpu"
