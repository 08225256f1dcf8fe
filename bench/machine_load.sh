# Sourced by the benchmark scripts: how busy the machine was during a run, so that a figure can
# be told apart from one measured while others compiled or fuzzed on the same two cores.
#   busy_cpu_seconds     CPU seconds all processes together have used so far (user, nice,
#                        system, irq, softirq, steal; not idle or iowait)
#   others_cores BEFORE AFTER SECONDS OWN_CPU_SECONDS
#                        cores the rest of the machine used on average during the run
busy_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit}' /proc/stat
}

others_cores() {
  awk -v b="$1" -v a="$2" -v s="$3" -v own="$4" 'BEGIN{o = (a - b - own) / (s > 0 ? s : 1); printf "%.2f\n", o < 0 ? 0 : o}'
}
