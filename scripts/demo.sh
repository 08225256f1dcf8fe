#!/usr/bin/env bash
# README's one command: install what is missing and build, then run the main job. The host
# serves the example workspace in config/ and delivers to the mock Iterable, the LOCAL STAND-IN
# for api.iterable.com, on loopback; sample events go in through the ingestion API, and the
# mock's recorded state shows what arrived. Both processes stop when the script ends.
#   HOST_PORT (default 8080) and MOCK_PORT (default 8090) move them off busy ports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

host_port=${HOST_PORT:-8080}
mock_port=${MOCK_PORT:-8090}
host="http://127.0.0.1:$host_port"
mock="http://127.0.0.1:$mock_port"
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # URL: polls until it answers 200, for up to 10 s
  for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "demo: $1 did not come up; logs in $work" >&2
  exit 1
}

echo
echo "== mock Iterable (local stand-in for https://api.iterable.com) on $mock"
build/mock-iterable --port "$mock_port" --api-key demo-iterable-key >"$work/mock.log" 2>&1 &
pids+=($!)
wait_for "$mock/_mock/stats"

echo "== switchyard serve on $host (workspace config/acme.yaml, store in $work/var)"
# The secrets config/acme.yaml reads from the environment. For the real Iterable: a real API
# key here, and delete the `endpoint:` line in config/acme.yaml.
export ACME_WEBSITE_WRITE_KEY=demo-write-key
export ACME_ITERABLE_API_KEY=demo-iterable-key
export ITERABLE_ENDPOINT="$mock/api/"
build/switchyard serve --config-dir config --plugin-dir build/plugins --data-dir "$work/var" \
  --listen "127.0.0.1:$host_port" 2>&1 | sed 's/^/  host | /' &
pids+=($!)
wait_for "$host/readyz"

echo "== sending sample events (write key as the Basic-auth user name)"
send() {  # PATH JSON
  printf '  POST /v1/%-8s -> %s\n' "$1" \
    "$(curl -s -u "$ACME_WEBSITE_WRITE_KEY:" -H 'Content-Type: application/json' -d "$2" "$host/v1/$1")"
}
send identify '{"userId":"ada","traits":{"email":"ada@example.com","firstName":"Ada","plan":"pro"}}'
send track '{"userId":"ada","event":"Signed Up","properties":{"source":"demo"}}'
send page '{"userId":"ada","name":"Pricing","properties":{"url":"https://example.com/pricing"}}'
send screen '{"userId":"ada","name":"Home","properties":{"tab":"feed"}}'
send track '{"userId":"ada","event":"Product Added","properties":{"product_id":"p1","name":"Shoe","price":40,"quantity":1}}'
send track '{"userId":"ada","event":"Order Completed","properties":{"order_id":"o1","total":40,"products":[{"product_id":"p1","name":"Shoe","price":40,"quantity":1}]}}'
send alias '{"userId":"ada.l@example.com","previousId":"ada@example.com"}'
send batch '{"batch":[{"type":"identify","userId":"grace","traits":{"email":"grace@example.com"}},{"type":"track","userId":"grace","event":"Logged In"}]}'

echo "== waiting for delivery"
for _ in $(seq 100); do
  curl -s "$host/metrics" | grep -q '^switchyard_queue_depth{[^}]*} [1-9]' || break
  sleep 0.1
done
curl -s "$host/metrics" | grep -E '^switchyard_(events_(received|delivered|dead_lettered)_total|queue_depth)' | sed 's/^/  /'

echo "== what the mock Iterable recorded"
summary=$(cat <<'PY'
import json, sys
state = json.load(sys.stdin)
for email, user in state["users"].items():
    print(f"  user     {email}: {json.dumps(user.get('dataFields', {}))}")
for event in state["events"]:
    print(f"  event    {event['eventName']} (user {event.get('userId') or event.get('email')})")
for purchase in state["purchases"]:
    print(f"  purchase {purchase['id']}: total {purchase['total']}, {len(purchase['items'])} item(s)")
for user, items in state["carts"].items():
    print(f"  cart     {user}: {[item['name'] for item in items]}")
for update in state["email_updates"]:
    print(f"  email    {update['currentEmail']} -> {update['newEmail']}")
PY
)
curl -s "$mock/_mock/state" | python3 -c "$summary"
echo
echo "Done. The host and the mock stop now; run them yourself with the commands above (README.md)."
