# bench/lib.sh — what the benchmark scripts share (sourced): messages, stopping a process,
# and the median of a run's numbers.

die() { echo "bench/$(basename "$0"): $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

stop() {   # PID: TERM, wait up to 5 s, then KILL
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

median() {   # PRINTF-FORMAT: the median of the numbers on stdin
  sort -g | awk -v f="$1" '{ v[NR] = $1 }
    END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
