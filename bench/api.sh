#!/usr/bin/env bash
# bench/api.sh — throughput of GET /api/v1/iguides/{id}/workOrders/{workOrderId} against nginx
# serving a static file with the very same bytes, both driven by wrk with the same parameters in
# the same run. Prints requests/s, p50/p99 latency, the ratio guidepost/nginx, Guidepost's peak
# RSS, and whether the target (guidepost >= 0.50 x nginx requests/s at 64 connections) is met.
#
# The servers and wrk share the machine's CPUs, so single runs are noisy; the measured runs are
# repeated ROUNDS times, alternating the servers (the order rotates every round), and the table
# shows the median of each column. The ratio is median(guidepost)/median(nginx).
#
# Everything runs on 127.0.0.1 in a temporary folder that is removed on exit, with every process
# it started stopped. Exit status is non-zero only when something failed to run; a missed target
# is reported ("MISS"), not an error. Progress goes to stderr, the report to stdout.
#
# Environment (all optional):
#   DURATION=10s      wrk duration of each measured run (wrk syntax: 10s, 1m)
#   WARMUP=2s         wrk warm-up run for each server before the first round (0 to skip)
#   ROUNDS=3          measured runs per server
#   CONNECTIONS=64    wrk connections
#   WRK_THREADS=2     wrk threads
#   GP_THREADS=2xCPUs guidepost --threads (the server's own default; on 2 CPUs, 4 measured
#                     better than 2); a list ("2 4") starts one server per value and measures
#                     each in every round
#   NGINX_WORKERS=N   nginx worker_processes (default: number of CPUs)
#   TARGET=0.50       required ratio guidepost/nginx requests/s
#   GUIDEPOST_BIN     binary to benchmark (default build/guidepost; built with make if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
CPUS=$(nproc 2>/dev/null || echo 2)
GP_THREADS=${GP_THREADS:-$((2 * CPUS))}
NGINX_WORKERS=${NGINX_WORKERS:-$CPUS}
TARGET=${TARGET:-0.50}
GP_BIN=${GUIDEPOST_BIN:-$ROOT/build/guidepost}
case $GP_BIN in /*) ;; *) GP_BIN=$ROOT/$GP_BIN ;; esac

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

"$ROOT/scripts/install-deps" --bench
need_cmds wrk nginx curl jq python3 timeout
need_guidepost

# seconds DURATION: wrk's time syntax (plain number = seconds) in whole seconds, for timeouts.
seconds() {
  local v=$1 n u
  [[ $v =~ ^([0-9]+)([smh]?)$ ]] || die "bad duration '$v' (want e.g. 10s, 1m)"
  n=${BASH_REMATCH[1]}; u=${BASH_REMATCH[2]}
  case $u in m) n=$((n * 60)) ;; h) n=$((n * 3600)) ;; esac
  echo "$n"
}
DUR_S=$(seconds "$DURATION")
WARM_S=$(seconds "$WARMUP")
[ "$DUR_S" -gt 0 ] || die "DURATION must be positive"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "bad ROUNDS '$ROUNDS'"
[[ $CONNECTIONS =~ ^[1-9][0-9]*$ && $WRK_THREADS =~ ^[1-9][0-9]*$ ]] || die "bad CONNECTIONS/WRK_THREADS"
[[ $NGINX_WORKERS =~ ^[1-9][0-9]*$ ]] || die "bad NGINX_WORKERS '$NGINX_WORKERS'"
[[ $TARGET =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad TARGET '$TARGET'"
threads=()
for t in $GP_THREADS; do
  [[ $t =~ ^[1-9][0-9]*$ ]] || die "bad GP_THREADS '$GP_THREADS'"
  [[ " ${threads[*]} " == *" $t "* ]] || threads+=("$t")
done
[ ${#threads[@]} -gt 0 ] || die "GP_THREADS is empty"

TMP=$(mktemp -d /tmp/gp-bench.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
declare -A GP_PID=() GP_URL=()
NGINX_PID=
WRK_PID=

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  stop "$WRK_PID"
  for p in "${GP_PID[@]}"; do stop "$p"; done
  stop "$NGINX_PID"
  finish "$rc" "$TMP"/guidepost*.log "$TMP"/cli.log "$TMP"/nginx/error.log
}
on_exit cleanup

# wait_url URL PID: until URL answers (any HTTP status) or PID dies; bounded to 10 s.
wait_url() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 1 "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# --- Guidepost: data folder, token, one server per thread count, one iGUIDE ------------------
DATA=$TMP/data
gp_token iguide.rw,iguide.tasks
AUTH=(-H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN")

start_guidepost() {   # THREADS: a server on $DATA; sets GP_PID[THREADS] and GP_URL[THREADS]
  local t=$1
  gp_serve "t$t" "$TMP/guidepost-t$t.log" --threads "$t"
  GP_PID[$t]=$SERVED_PID GP_URL[$t]=$SERVED_URL
}
for t in "${threads[@]}"; do start_guidepost "$t"; done

url0=${GP_URL[${threads[0]}]}
code=$(curl -s -o "$TMP/create.json" -w '%{http_code}' --max-time 10 -X POST "$url0/api/v1/iguides" \
  -H "Content-Type: application/json" -H "Accept: application/json" "${AUTH[@]}" \
  -d '{"type":"standard","industry":"residential","address":{"country":"CA","provinceState":"ON","city":"Waterloo","postalCode":"N2L 3G1","streetName":"University Ave","streetNumber":"200"}}') \
  || die "POST /api/v1/iguides failed"
[ "$code" = 200 ] || die "POST /api/v1/iguides answered $code: $(cat "$TMP/create.json")"
IGUIDE_ID=$(jq -er .id "$TMP/create.json") || die "no iGUIDE id"
WO_ID=$(jq -er .workOrderId "$TMP/create.json") || die "no workOrderId"
WO_PATH=/api/v1/iguides/$IGUIDE_ID/workOrders/$WO_ID

# The exact response body becomes nginx's static file.
mkdir -p "$TMP/nginx/www" "$TMP/nginx/tmp"
code=$(curl -s -o "$TMP/nginx/www/wo.json" -w '%{http_code}' --max-time 10 "$url0$WO_PATH" "${AUTH[@]}") \
  || die "GET work order failed"
[ "$code" = 200 ] || die "GET work order answered $code"
BODY_BYTES=$(wc -c <"$TMP/nginx/www/wo.json")

# --- nginx: minimal config, loopback only, everything under $TMP/nginx ----------------------
# Workers run as nobody when root runs this: let them read the static file.
[ "$(id -u)" -ne 0 ] || { chmod 755 "$TMP/nginx/www"; chmod 644 "$TMP/nginx/www/wo.json"; }
probe_wo() { wait_url "$1/wo.json" "$2"; }
nginx_start "$TMP/nginx" "$NGINX_WORKERS" probe_wo "
  access_log off;
  types { }
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:@PORT@;
    server_name localhost;
    root $TMP/nginx/www;
    location / { }
  }"
curl -s --max-time 5 -o "$TMP/nginx-body" "$NGINX_URL/wo.json" || die "nginx GET failed"
cmp -s "$TMP/nginx-body" "$TMP/nginx/www/wo.json" || die "nginx does not serve the work-order bytes"

# --- wrk -------------------------------------------------------------------------------------
# run_wrk OUTFILE DURATION URL [headers...]: one wrk run, bounded by timeout.
run_wrk() {
  local out=$1 dur=$2 url=$3 rc=0 limit; shift 3
  limit=$(( $(seconds "$dur") + 30 ))
  timeout -k 5 "$limit" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$dur" --latency "$@" "$url" \
    >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=
  [ "$rc" -eq 0 ] || { cat "$out" >&2; die "wrk failed (exit $rc) on $url"; }
}


# Targets: gp<THREADS> for each guidepost server, then nginx.
targets=()
declare -A T_URL=() T_NAME=()
for t in "${threads[@]}"; do
  targets+=("gp$t"); T_URL[gp$t]=${GP_URL[$t]}$WO_PATH; T_NAME[gp$t]="guidepost --threads $t"
done
targets+=(nginx); T_URL[nginx]=$NGINX_URL/wo.json; T_NAME[nginx]=nginx

target_wrk() {   # TARGET OUTFILE DURATION
  if [ "$1" = nginx ]; then run_wrk "$2" "$3" "${T_URL[$1]}"
  else run_wrk "$2" "$3" "${T_URL[$1]}" "${AUTH[@]}"; fi
  wrk_field "$2" rps >/dev/null || { cat "$2" >&2; die "could not parse wrk output (${T_NAME[$1]})"; }
  local bad; bad=$(wrk_field "$2" non2xx)
  [ "$bad" -eq 0 ] || { cat "$2" >&2; die "${T_NAME[$1]} answered $bad non-2xx responses"; }
}

# CPU accounting, to tell how much of the machine other processes took during the measured runs:
# busy time from /proc/stat minus the time of our servers and of our waited-for children (wrk).
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() {   # "busy steal" jiffies of the whole machine
  awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat
}
our_ticks() {   # OURS= jiffies of the servers (nginx workers too) + reaped children (wrk) of this shell
  local p pids=("${GP_PID[@]}" "$NGINX_PID") t=0 c
  for p in $(pgrep -P "$NGINX_PID" 2>/dev/null || true); do pids+=("$p"); done
  for p in "${pids[@]}"; do
    c=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }') || c=0
    t=$(( t + ${c:-0} ))
  done
  times >"$TMP/times"   # in this shell: a subshell would report its own (empty) children
  c=$(awk -v hz="$HZ" 'NR == 2 {
        s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] } printf "%d", s * hz }' "$TMP/times")
  OURS=$(( t + ${c:-0} ))
}

n=${#targets[@]}
say "$n servers x $ROUNDS rounds x $DURATION (+ $WARMUP warm-up each), about" \
    "$(( n * (ROUNDS * DUR_S + WARM_S) ))s"
if [ "$WARM_S" -gt 0 ]; then
  for x in "${targets[@]}"; do
    say "warm-up ${T_NAME[$x]}"
    target_wrk "$x" "$TMP/warmup-$x.txt" "$WARMUP"
  done
fi
read -r busy0 steal0 < <(cpu_ticks); our_ticks; ours0=$OURS; t0=$(date +%s%N)
for r in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((n - 1))); do
    x=${targets[$(( (i + r - 1) % n ))]}
    say "round $r/$ROUNDS ${T_NAME[$x]}"
    target_wrk "$x" "$TMP/wrk-$x-$r.txt" "$DURATION"
  done
done

read -r busy1 steal1 < <(cpu_ticks); our_ticks; ours1=$OURS; t1=$(date +%s%N)
OTHER=$(awk -v b=$((busy1 - busy0)) -v o=$((ours1 - ours0)) -v st=$((steal1 - steal0)) \
            -v ns=$((t1 - t0)) -v hz="$HZ" -v cpus="$CPUS" 'BEGIN {
          cap = ns / 1e9 * hz * cpus; other = (b - o) / cap * 100; if (other < 0) other = 0
          printf "%.0f%% of the machine (steal %.0f%%)%s", other, st / cap * 100,
                 (other > 10 || st / cap * 100 > 10) ? " -- noisy, rerun on a quiet machine" : "" }')

declare -A RSS=()
for t in "${threads[@]}"; do
  RSS[$t]=$(awk '/^VmHWM:/ { print $2 }' "/proc/${GP_PID[$t]}/status" 2>/dev/null || true)
  [ -n "${RSS[$t]}" ] || die "guidepost --threads $t is gone after the runs"
done

# --- report ----------------------------------------------------------------------------------
col() {   # TARGET WHAT: the median over the rounds
  local r f=%.2f; [ "$2" = rps ] && f=%.0f
  for r in $(seq 1 "$ROUNDS"); do wrk_field "$TMP/wrk-$1-$r.txt" "$2"; echo; done | median "$f"
}
sum_errors() {
  local r s=0; for r in $(seq 1 "$ROUNDS"); do s=$(( s + $(wrk_field "$TMP/wrk-$1-$r.txt" errors) )); done
  echo "$s"
}

echo "GET /api/v1/iguides/{id}/workOrders/{workOrderId} ($BODY_BYTES-byte body) vs nginx static file, same bytes"
echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds (medians), warm-up $WARMUP;" \
     "guidepost --rate-limit 0; nginx worker_processes $NGINX_WORKERS"
echo "$CPUS CPUs shared by wrk and the servers; load average before the run $LOAD_BEFORE;" \
     "CPU taken by other processes during the measured runs: $OTHER"
row() { printf '%-22s %12s %9s %9s %9s %12s\n' "$@"; }
row server requests/s "p50 ms" "p99 ms" "sock.err" "peak RSS kB"
for x in "${targets[@]}"; do
  rss=-; [ "$x" = nginx ] || rss=${RSS[${x#gp}]}
  row "${T_NAME[$x]}" "$(col "$x" rps)" "$(col "$x" p50)" "$(col "$x" p99)" "$(sum_errors "$x")" "$rss"
done
ng_rps=$(col nginx rps)
for t in "${threads[@]}"; do
  rounds=""
  for r in $(seq 1 "$ROUNDS"); do
    rounds+=" $(awk -v g="$(wrk_field "$TMP/wrk-gp$t-$r.txt" rps)" \
                    -v n="$(wrk_field "$TMP/wrk-nginx-$r.txt" rps)" 'BEGIN { printf "%.2f", g / n }')"
  done
  awk -v g="$(col "gp$t" rps)" -v n="$ng_rps" -v t="$t" -v target="$TARGET" -v rounds="$rounds" 'BEGIN {
    r = (n > 0) ? g / n : 0
    printf "ratio guidepost/nginx (--threads %s): %.2f (per round:%s)   target ratio >= %.2f: %s\n",
           t, r, rounds, target, (r >= target) ? "PASS" : "MISS" }'
done
