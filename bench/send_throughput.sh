#!/usr/bin/env bash
# Delivery throughput of `switchyard send` (the delivery runner over a queue in memory) against the local
# mock Iterable with its rate limits off, and how many requests each TCP connection carried.
# Usage: bench/send_throughput.sh [EVENTS] [MODE]   (default 5000 processor)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-5000} mode=${2:-processor}
build=${BUILD_DIR:-build}
port=18090
work=$(mktemp -d)
trap 'kill $mock 2>/dev/null || true; rm -rf "$work"' EXIT

"$build/mock-iterable" --port $port --no-rate-limits > "$work/mock.log" &
mock=$!
sleep 0.3
# Custom track events only (events/track, one request each in processor mode).
for i in $(seq 1 "$events"); do
  echo "{\"type\":\"track\",\"userId\":\"user-$((i % 100))\",\"event\":\"Button Clicked\",\"properties\":{\"n\":$i}}"
done > "$work/events.ndjson"
cat > "$work/settings.json" <<JSON
{"apiKey":"test-api-key","endpoint":"http://127.0.0.1:$port/api/",
 "rateLimits":{"events/track":1000000,"events/trackBulk":1000000}}
JSON
start=$(date +%s.%N)
"$build/switchyard" send --plugin-dir "$build/plugins" --plugin iterable --settings "$work/settings.json" \
  --mode "$mode" < "$work/events.ndjson" > "$work/out.ndjson"
end=$(date +%s.%N)
stats=$(curl -s "http://127.0.0.1:$port/_mock/stats")
ok=$(grep -c '"outcome":"ok"' "$work/out.ndjson")
python3 - "$stats" "$start" "$end" "$events" "$ok" <<'PY'
import json, sys
s = json.loads(sys.argv[1]); t = float(sys.argv[3]) - float(sys.argv[2])
print(f"{sys.argv[5]}/{sys.argv[4]} events ok; {s['requests']} requests in {t:.2f} s = {s['requests']/t:.0f} requests/s; "
      f"{s['connections']} connection(s), {s['requests']/max(1,s['connections']):.0f} requests per connection")
PY
