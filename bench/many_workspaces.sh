#!/usr/bin/env bash
# Start and reload at scale: a config tree of WORKSPACES workspace files with PER Iterable
# destinations each (bench/gen_workspaces.py), against the mock Iterable. Measures, on the wall
# clock: `switchyard check` (best of 3); `serve` from exec to /healthz answering (the host listens
# only once every destination's instance is made); the host's and its plugin workers' RSS, threads
# and CPU over IDLE seconds without traffic; a burst (BURST events to each workspace's website
# source, so to each of its destinations): how long until all were delivered, the host's threads at
# their most, the connections open to the mock at their most, right after, and once they have been idle past
# --idle-connection-timeout (5 s here); `POST /admin/reload` after one workspace file changed (one
# destination's apiKey), and after nothing changed; and which destinations that reload recreated.
#   bench/many_workspaces.sh [WORKSPACES] [PER]          (defaults 1000 5)
#   ISOLATION=in-process   every destination in the host (default: process, in plugin workers)
#   WORKERS=N              each destination's delivery.workers (default: the host's)
#   IDLE=S                 seconds to sit idle before reading RSS and CPU (default 10)
#   BURST=N                events per workspace in the burst (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
workspaces=${1:-1000} per=${2:-5} idle=${IDLE:-10} burst=${BURST:-10}
source bench/serve_fixture.sh

now_ms() { date +%s%3N; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
worker_pids() { cat "/proc/$host_pid/task/"*/children 2>/dev/null | tr ' ' '\n' | grep . || true; }

python3 bench/gen_workspaces.py --workspaces "$workspaces" --destinations-per-workspace "$per" \
  --isolation "${ISOLATION:-process}" ${WORKERS:+--workers "$WORKERS"} --out "$work/config"
# Every destination has an API key of its own: the mock accepts them all.
mapfile -t keys < <(sed -n 's/^ *apiKey: //p' "$work"/config/*.yaml)
"$build/mock-iterable" --port 0 --no-rate-limits $(printf -- '--api-key %s ' "${keys[@]}") > "$work/mock.log" 2>&1 &
mock_pid=$!
wait_for_line "$work/mock.log" "listening on"
mock_url=$(grep "listening on" "$work/mock.log" | awk '{print $NF}')
mock_port=$(sed 's|.*:\([0-9]*\)/api/|\1|' <<<"$mock_url")
export ITERABLE_ENDPOINT=$mock_url
plugins=${plugin_dir:-$build/plugins}

best=""
for _ in 1 2 3; do
  t0=$(now_ms)
  "$build/switchyard" check --config-dir "$work/config" --plugin-dir "$plugins" > "$work/check.out"
  t=$(( $(now_ms) - t0 ))
  [[ -z $best || $t -lt $best ]] && best=$t
done
echo "check: $(tail -1 "$work/check.out") in ${best} ms (best of 3)"

t0=$(now_ms)
"$build/switchyard" serve --config-dir "$work/config" --plugin-dir "$plugins" --data-dir "$work/data" \
  --listen 127.0.0.1:0 --no-watch --idle-connection-timeout 5s > "$work/host.log" 2>&1 &
host_pid=$!
until grep -qs 'msg="Listening on 127.0.0.1:' "$work/host.log"; do
  kill -0 "$host_pid" 2>/dev/null || { cat "$work/host.log" >&2; exit 1; }
  sleep 0.01
done
host_url=http://127.0.0.1:$(sed -n 's/.*msg="Listening on 127\.0\.0\.1:\([0-9]*\)\..*/\1/p' "$work/host.log" | head -1)
until curl -sf -o /dev/null "$host_url/healthz"; do sleep 0.01; done
echo "serve: /healthz answered $(( $(now_ms) - t0 )) ms after exec"

report_rss() {
  local workers=() pid total=0
  mapfile -t workers < <(worker_pids)
  for pid in "${workers[@]}"; do total=$(( total + $(rss_kb "$pid") )); done
  echo "$1: host RSS $(( $(rss_kb "$host_pid") / 1024 )) MB, $(awk '/^Threads:/ {print $2}' "/proc/$host_pid/status") threads;" \
    "${#workers[@]} plugin worker(s), $(( total / 1024 )) MB together"
}
cpu0=$(cpu_seconds "$host_pid")
sleep "$idle"
report_rss "idle ${idle} s"
echo "idle CPU: $(awk -v a="$cpu0" -v b="$(cpu_seconds "$host_pid")" -v s="$idle" '{}END {printf "%.3f%% of a core", (b - a) / s * 100}' </dev/null) (host and plugin workers, over ${idle} s)"

open_connections() { ss -Htn state established "( dport = :$mock_port )" | wc -l; }
expected=$(( workspaces * per * burst ))
t0=$(now_ms)
python3 - "$host_url" "$workspaces" "$burst" > "$work/burst.log" 2>&1 <<'PY' &
import http.client, json, sys, urllib.parse
url, workspaces, burst = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
connection = http.client.HTTPConnection(url.hostname, url.port)
for w in range(1, workspaces + 1):
    key = f"ws{w:04d}-website-write-key"
    body = json.dumps({"batch": [{"type": "track", "userId": f"u{i % 3}", "event": "Burst"} for i in range(burst)]})
    auth = "Basic " + __import__("base64").b64encode(f"{key}:".encode()).decode()
    connection.request("POST", "/v1/batch", body, {"Content-Type": "application/json", "Authorization": auth})
    answer = connection.getresponse()
    answer.read()
    if answer.status != 200:
        sys.exit(f"{key}: {answer.status}")
PY
sender=$!
most_threads=0 most_connections=0
until [[ $(metric switchyard_events_delivered_total) -ge $expected ]]; do
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$host_pid/status")
  (( threads > most_threads )) && most_threads=$threads
  connections=$(open_connections)
  (( connections > most_connections )) && most_connections=$connections
  (( $(now_ms) - t0 < 120000 )) || { echo "burst: not delivered within 2 minutes" >&2; exit 1; }
  sleep 0.05
done
wait "$sender" || { cat "$work/burst.log" >&2; exit 1; }
echo "burst: $expected events to $(( workspaces * per )) destinations delivered $(( $(now_ms) - t0 )) ms after the first was sent;" \
  "host threads at most $most_threads; connections open to the mock at most $most_connections, $(open_connections) at the end"
sleep 8
echo "8 s later (idle timeout 5 s): $(open_connections) connections open to the mock"

timed_reload() {
  local t0 answer
  t0=$(now_ms)
  answer=$(curl -sf -d "" "$host_url/admin/reload")
  echo "$1: $(( $(now_ms) - t0 )) ms, $answer"
}
timed_reload "reload, nothing changed"
sed -i 's/^\(      apiKey: .*-iterable-1-\)test-api-key$/\1changed-api-key/' "$work/config/ws0001.yaml"
timed_reload "reload, one file changed"
echo "  $(grep -o 'Reload (admin) applied[^"]*' "$work/host.log" | tail -1)"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
report_rss "after the reloads"
