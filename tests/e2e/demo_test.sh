#!/usr/bin/env bash
# README's demo, as a new user runs it (without the install and build step): it must exit 0 with
# every event delivered, and leave no process running. The demo runs in a session of its own, so
# whatever it started and failed to stop is still found by its process group.
#   demo_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
source_dir=$1
build_dir=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT

setsid env BUILD_DIR="$build_dir" HOST_PORT=0 MOCK_PORT=0 bash "$source_dir/scripts/demo.sh" --no-setup >"$out" 2>&1 &
demo=$!
wait "$demo"
status=$?
cat "$out"

failed=0
if ((status != 0)); then echo "FAIL: the demo exited $status"; failed=1; fi
grep -q '^== all 9 events delivered$' "$out" || { echo "FAIL: the demo did not report 9 delivered events"; failed=1; }
for user in 'user ada <ada.l@example.com>' 'user grace <grace@example.com>'; do
  count=$(grep -c "^  $user:" "$out")
  ((count == 1)) || { echo "FAIL: the summary shows \"$user\" $count times, not once"; failed=1; }
done
if left=$(pgrep -g "$demo"); then
  echo "FAIL: processes left running by the demo: $(ps -o pid=,args= -p "$(echo $left | tr ' ' ,)")"
  pkill -KILL -g "$demo"
  failed=1
fi
((failed == 0)) && echo "PASS: the demo delivered all 9 events and stopped everything it started"
exit "$failed"
