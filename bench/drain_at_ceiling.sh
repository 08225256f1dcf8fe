#!/usr/bin/env bash
# A backlog drained at the destination's real rate limits: `switchyard serve` with default
# delivery settings and the Iterable plugin's published limits, the mock Iterable answering 429
# over Iterable's own per-endpoint limits (users/bulkUpdate 5/s, events/trackBulk 10/s).
# Phase 1 stores EVENTS events from USERS users (EVENTS/USERS each, in turn) while the destination
# cannot deliver (a closed port and a 1 h backoff); the host is stopped, the failed jobs' retry
# time cleared (sqlite3), and the host started against the mock: the backlog drains.
# Reports events/s from the mock's first accepted request to its last, the requests and 429s per
# endpoint, and whether every user's events reached the mock in the order they were sent.
# Usage: bench/drain_at_ceiling.sh [EVENTS] [USERS] [IDENTIFY_SHARE]   (defaults 30000 3000 0)
#   IDENTIFY_SHARE 0.5: each event is an identify or a track at random
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-30000} users=${2:-3000} identify_share=${3:-0}
source bench/serve_fixture.sh
command -v sqlite3 > /dev/null || { echo "sqlite3 (the command-line shell) is needed for the restart" >&2; exit 2; }

write_workspace http://127.0.0.1:1/api/ "" "      backoff_base: 1h
      backoff_cap: 1h"
start_host
# One connection: the host receives each user's events in the order they were generated.
"$build/bench/ingest_load" --url "$host_url" --write-key "$write_key" --events "$events" --batch 100 \
  --connections 1 --users "$users" --even-users --identify-share "$identify_share" > "$work/load.json"
for _ in $(seq 100); do  # until every user's first job has failed once (the others wait behind it)
  [[ $(metric switchyard_events_retried_total) -ge $users ]] && break
  sleep 0.1
done
kill -TERM "$host_pid"; wait "$host_pid" 2>/dev/null || true; host_pid=""
sqlite3 "$work/data/switchyard.db" \
  "UPDATE jobs SET attempts = 0, next_attempt_ms = 0, first_failure_ms = 0, last_error = NULL WHERE attempts > 0;"

start_mock real-limits
write_workspace "$mock_url"
start_host
deadline=$(( $(date +%s) + 600 ))
until [[ $(metric switchyard_events_delivered_total) -ge $events ]]; do
  [[ $(date +%s) -lt $deadline ]] || { echo "not all delivered within 10 minutes" >&2; exit 1; }
  sleep 0.2
done
curl -sf "${mock_url%/api/}/_mock/stats" > "$work/mock_stats.json"
curl -sf "${mock_url%/api/}/_mock/state" > "$work/mock_state.json"
python3 - "$work" "$events" <<'PY'
import json, sys
work, events = sys.argv[1], int(sys.argv[2])
stats = json.load(open(f"{work}/mock_stats.json"))
requests = json.load(open(f"{work}/mock_state.json"))["requests"]
first, last = requests[0]["received_ms"], requests[-1]["received_ms"]
seen, out_of_order, items = {}, 0, 0
for r in requests:
    body = r.get("body", {})
    for item in body.get("users", []) + body.get("events", []):
        fields = item.get("dataFields", {})
        user, seq = item.get("userId"), fields.get("seq")
        items += 1
        if seq is None: continue
        out_of_order += seq < seen.get(user, -1)
        seen[user] = max(seen.get(user, -1), seq)
by_path = {p: n for p, n in stats["by_path"].items() if not p.startswith("/_mock")}
times = [r["received_ms"] for r in requests]
gaps = sorted(b - a for a, b in zip(times, times[1:]))
print(json.dumps({"events": events, "items_at_mock": items, "seconds_first_to_last_request": (last - first) / 1000,
                  "events_per_s": round(events / max((last - first) / 1000, 1e-3)),
                  "requests": by_path, "by_status": stats["by_status"], "users_out_of_order": out_of_order,
                  "gap_between_requests_ms": {"median": gaps[len(gaps) // 2], "max": gaps[-1]} if gaps else {}}))
import os
if os.environ.get("GAPS"): print([b - a for a, b in zip(times, times[1:])])
PY
