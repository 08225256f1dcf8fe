# Sourced by the benchmark scripts: how busy the machine was during a run, so that a figure can
# be told apart from one measured while others compiled or fuzzed on the same two cores.
#   busy_cpu_seconds     CPU seconds all processes together have used so far (user, nice,
#                        system, irq, softirq, steal; not idle or iowait)
#   others_cores BEFORE AFTER SECONDS OWN_CPU_SECONDS
#                        cores the rest of the machine used on average during the run
busy_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit}' /proc/stat
}

# The same without `nice` time: what processes of normal priority (and the kernel) used. A
# niced fuzzer or compile yields most of its core to a benchmark; one at normal priority does not.
unniced_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $4 + $7 + $8 + $9) / hz; exit}' /proc/stat
}

others_cores() {
  awk -v b="$1" -v a="$2" -v s="$3" -v own="$4" 'BEGIN{o = (a - b - own) / (s > 0 ? s : 1); printf "%.2f\n", o < 0 ? 0 : o}'
}

niced_cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print $3 / hz; exit}' /proc/stat; }

# Waits until processes of normal priority have used under MAX cores over 3 s (default 0.3;
# niced ones are let be) or GIVE_UP seconds have passed (default 600); prints the last
# measurement. Returns 1 on giving up.
wait_for_quiet() {
  local max=${1:-0.3} give_up=${2:-600} deadline busy_before nice_before busy niced
  deadline=$(( $(date +%s) + give_up ))
  while :; do
    busy_before=$(unniced_cpu_seconds) nice_before=$(busy_cpu_seconds)
    sleep 3
    busy=$(awk -v a="$busy_before" -v b="$(unniced_cpu_seconds)" 'BEGIN{printf "%.2f", (b - a) / 3}')
    niced=$(awk -v a="$nice_before" -v b="$(busy_cpu_seconds)" -v u="$busy" 'BEGIN{printf "%.2f", (b - a) / 3 - u}')
    if awk -v b="$busy" -v m="$max" 'BEGIN{exit !(b < m)}'; then echo "machine quiet: $busy cores busy at normal priority, $niced niced"; return 0; fi
    [[ $(date +%s) -lt $deadline ]] || { echo "machine still busy after ${give_up} s: $busy cores at normal priority, $niced niced"; return 1; }
  done
}
