#!/usr/bin/env bash
# Durable ingest throughput of `switchyard serve`: bench/ingest_load POSTs /v1/batch requests of
# ~1 KB track events; every 200 means the events were committed (fsynced) to the store.
# Usage: bench/ingest_throughput.sh [EVENTS] [BATCH] [CONNECTIONS] [DELIVERY]
#   defaults 100000 100 8 live. GZIP=1 sends gzip bodies; RATE=N paces the load to N events/s.
#   DELIVERY  live    the destination delivers to the mock Iterable meanwhile, with the pacer's
#                     limits raised (delivery as fast as it goes: the most it can compete)
#             paced   the same under the Iterable plugin's default rate limits (trackBulk 10/s)
#             closed  the destination points at a closed port with a 1 h backoff: each user's
#                     first job fails once, then that user waits; nothing is delivered, but the
#                     idle workers still rescan the blocked head of the queue (~0.2 core)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-100000} batch=${2:-100} connections=${3:-8} delivery=${4:-live}
source bench/serve_fixture.sh
source bench/machine_load.sh

unlimited='{"events/track":1000000,"events/trackBulk":1000000,"users/update":1000000,"users/bulkUpdate":1000000}'
case $delivery in
  live) start_mock; write_workspace "$mock_url" "$unlimited" ;;
  paced) start_mock; write_workspace "$mock_url" ;;
  closed) write_workspace http://127.0.0.1:1/api/ "" "      backoff_base: 1h
      backoff_cap: 1h" ;;
  *) echo "DELIVERY must be live, paced or closed, got \"$delivery\"" >&2; exit 2 ;;
esac
start_host

host_cpu_before=$(cpu_seconds "$host_pid") mock_cpu_before=$(cpu_seconds "$mock_pid") busy_before=$(busy_cpu_seconds) run_start_ms=$(date +%s%3N)
load_flags=(--url "$host_url" --write-key "$write_key" --events "$events" --batch "$batch" --connections "$connections")
[[ -z ${GZIP:-} ]] || load_flags+=(--gzip)
[[ -z ${RATE:-} ]] || load_flags+=(--rate "$RATE")
status=0
"$build/bench/ingest_load" "${load_flags[@]}" > "$work/load.json" || status=$?
busy_after=$(busy_cpu_seconds) run_end_ms=$(date +%s%3N)
host_cpu=$(awk -v a="$host_cpu_before" -v b="$(cpu_seconds "$host_pid")" 'BEGIN{print b - a}')
mock_cpu=$(awk -v a="$mock_cpu_before" -v b="$(cpu_seconds "$mock_pid")" 'BEGIN{print b - a}')
received=$(metric switchyard_events_received_total)
delivered=$(metric switchyard_events_delivered_total)
cat "$work/load.json"
python3 - "$work/load.json" "$host_cpu" "$received" "$delivered" "$(host_hwm_kb)" "$delivery" "$mock_cpu" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); host_cpu = float(sys.argv[2]); secs = max(r['seconds'], 1e-9)
a = r['ack_ms']
print(f"{r['events']} events in {r['seconds']:.2f} s = {r['events_per_s']:.0f} events/s, {r['requests_per_s']:.0f} requests/s "
      f"(batch {r['batch']}, {r['connections']} connections{', gzip' if r['gzip'] else ''}, delivery {sys.argv[6]}); "
      f"ack p50 {a['p50']} / p90 {a['p90']} / p99 {a['p99']} / max {a['max']} ms; non-200: {r['non_200']}")
print(f"host: {sys.argv[3]} events received, {sys.argv[4]} delivered meanwhile, CPU {host_cpu / secs:.2f} cores, "
      f"peak RSS {int(sys.argv[5]) // 1024} MB; CPU of the load generator {r['cpu_s'] / secs:.2f} cores, "
      f"of the mock {float(sys.argv[7]) / secs:.2f} cores; "
      f"server-closed keep-alive connections: {r['server_closes']}")
PY
# The rest of the machine meanwhile, over ingest_load's whole life (its set-up, building the
# events before its clock starts, counts as "others").
load_cpu=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["cpu_s"])' "$work/load.json")
run_s=$(awk -v a="$run_start_ms" -v b="$run_end_ms" 'BEGIN{print (b - a) / 1000}')
echo "others (the rest of the machine, incl. the load generator's set-up): $(others_cores "$busy_before" "$busy_after" \
  "$run_s" "$(awk -v h="$host_cpu" -v m="$mock_cpu" -v l="$load_cpu" 'BEGIN{print h + m + l}')") cores over $run_s s"
exit "$status"
