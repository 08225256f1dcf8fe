#!/usr/bin/env bash
# Fairness: one destination with a deep backlog, many others receiving a trickle. Source "bulk"
# feeds destination "backlog" (the mock Iterable with Iterable's real rate limits, so the backlog
# drains slowly); source "trickle" feeds TRICKLING destinations t0..tN (a second mock, no limits).
# The backlog's BACKLOG events are ingested first; then one event a second goes to the trickle
# source for SECONDS seconds, i.e. one event a second to every trickling destination. Reports the
# backlog's depth before and after, and the trickle's delivery latency (acceptance to delivery,
# from the host's switchyard_delivery_latency_seconds histograms of the trickling destinations):
# the share delivered within each bucket and the bucket holding the p99.
# Usage: bench/fairness.sh [BACKLOG] [TRICKLING] [SECONDS]   (defaults 1000000 999 60)
set -euo pipefail
cd "$(dirname "$0")/.."
backlog=${1:-1000000} trickling=${2:-999} seconds=${3:-60}
source bench/serve_fixture.sh

start_mock real-limits
backlog_url=$mock_url
"$build/mock-iterable" --port 0 --no-rate-limits > "$work/trickle_mock.log" 2>&1 &
trickle_mock_pid=$!
trap 'kill "$trickle_mock_pid" 2>/dev/null || true; stop_bench_processes' EXIT
wait_for_line "$work/trickle_mock.log" "listening on"
trickle_url=$(grep "listening on" "$work/trickle_mock.log" | awk '{print $NF}')

mkdir -p "$work/config"
{
  echo "workspace: fair"
  echo "sources:"
  echo "  - {id: bulk, write_key: bulk-key, destinations: [backlog]}"
  printf '  - {id: trickle, write_key: trickle-key, destinations: ['
  for ((i = 0; i < trickling; i++)); do printf '%st%d' "$([[ $i -gt 0 ]] && echo ', ')" "$i"; done
  echo ']}'
  echo "destinations:"
  echo "  - {id: backlog, plugin: iterable, settings: {apiKey: test-api-key, endpoint: \"$backlog_url\"}}"
  for ((i = 0; i < trickling; i++)); do
    echo "  - {id: t$i, plugin: iterable, settings: {apiKey: test-api-key, endpoint: \"$trickle_url\"}}"
  done
} > "$work/config/fair.yaml"
start_host

echo "ingesting $backlog events for the backlog..." >&2
"$build/bench/ingest_load" --url "$host_url" --write-key bulk-key --events "$backlog" --batch 500 --connections 4 \
  --users 10000 > "$work/bulk.json"
depth_before=$(metric switchyard_queue_depth 'destination="fair/backlog"')
echo "trickling for $seconds s..." >&2
"$build/bench/ingest_load" --url "$host_url" --write-key trickle-key --duration "$seconds" --rate 1 --batch 1 \
  --connections 1 --events 100 > "$work/trickle.json"
sleep 2  # the last trickle events' deliveries
depth_after=$(metric switchyard_queue_depth 'destination="fair/backlog"')
curl -sf "$host_url/metrics" > "$work/metrics.txt"

python3 - "$work/metrics.txt" "$depth_before" "$depth_after" "$trickling" <<'PY'
import re, sys
metrics, before, after, trickling = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
buckets, count = {}, 0
for line in open(metrics):
    m = re.match(r'switchyard_delivery_latency_seconds_bucket\{destination="fair/t\d+",le="([^"]+)"\} (\S+)', line)
    if m:
        buckets[m.group(1)] = buckets.get(m.group(1), 0) + float(m.group(2))
    m = re.match(r'switchyard_delivery_latency_seconds_count\{destination="fair/t\d+"\} (\S+)', line)
    if m:
        count += float(m.group(1))
print(f"backlog depth: {before} before the trickle, {after} after")
print(f"trickle: {count:.0f} events delivered to {trickling} destinations")
p99 = None
for le, n in sorted(((float('inf') if k == '+Inf' else float(k), v) for k, v in buckets.items())):
    share = n / count if count else 0
    print(f"  within {le:g} s: {share * 100:.2f}%")
    if p99 is None and share >= 0.99:
        p99 = le
print(f"trickle p99 latency <= {p99:g} s")
PY
