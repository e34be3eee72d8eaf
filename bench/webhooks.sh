#!/usr/bin/env bash
# bench/webhooks.sh — webhook delivery throughput and latency, against nginx on loopback answering
# 204 to every POST (a receiver that does nothing else, so it is not the bottleneck).
#
# 1. Backlog: a server with --webhook-threads 0 (it delivers nothing) publishes one iGUIDE from a
#    `guidepost sample-stitch` TAR and creates EVENTS ready events with
#    POST …/events/ready/dispatch, spread over URLS webhook URLs (the list is replaced with
#    PUT …/webhooks between batches; at most 4 deliveries are in flight per URL). The server stops;
#    a server with --webhook-threads WEBHOOK_THREADS starts on the same data folder and delivers
#    the backlog. deliveries/s = deliveries / (last − first receipt in nginx's access log, $msec).
# 2. Live: EVENTS more are dispatched while that server delivers them (creation and delivery
#    together; informational), and its RSS is compared before and after (no growth per event).
# 3. Latency on an idle server: LAT_EVENTS single events, LAT_GAP_MS apart; for each, the time
#    from the event's createdAt (stamped in its transaction) to nginx's receipt ($msec). p50, p99.
# Targets (the issue's): >= 1000 deliveries/s, p50 < 50 ms, RSS flat (growth < RSS_SLACK_MB).
#
# Everything runs on 127.0.0.1 in a temporary folder that is removed on exit, with every process
# it started. Exit status is non-zero only when something failed to run; a missed target prints
# MISS. Progress goes to stderr, the report to stdout.
#
# Environment (all optional):
#   EVENTS=10000         events per phase (backlog and live)
#   URLS=10              webhook URLs the events are spread over
#   WEBHOOK_THREADS=8    guidepost --webhook-threads of the delivering server (the default)
#   PARALLEL=16          concurrent dispatch requests while creating events
#   LAT_EVENTS=200       single events of the latency phase
#   LAT_GAP_MS=20        pause between them
#   LIVE=1               run phase 2 (0 skips it)
#   TARGET_RPS=1000  TARGET_P50_MS=50  RSS_SLACK_MB=8
#   GUIDEPOST_BIN        binary to measure (default build/guidepost; built with make if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
EVENTS=${EVENTS:-10000}
URLS=${URLS:-10}
WEBHOOK_THREADS=${WEBHOOK_THREADS:-8}
PARALLEL=${PARALLEL:-16}
LAT_EVENTS=${LAT_EVENTS:-200}
LAT_GAP_MS=${LAT_GAP_MS:-20}
LIVE=${LIVE:-1}
TARGET_RPS=${TARGET_RPS:-1000}
TARGET_P50_MS=${TARGET_P50_MS:-50}
RSS_SLACK_MB=${RSS_SLACK_MB:-8}
GP_BIN=${GUIDEPOST_BIN:-$ROOT/build/guidepost}
case $GP_BIN in /*) ;; *) GP_BIN=$ROOT/$GP_BIN ;; esac

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for v in EVENTS URLS WEBHOOK_THREADS PARALLEL LAT_EVENTS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "bad $v '${!v}'"
done
[[ $LAT_GAP_MS =~ ^[0-9]+$ && $LIVE =~ ^[01]$ ]] || die "bad LAT_GAP_MS or LIVE"
[ "$URLS" -le 20 ] || die "URLS must be at most 20 (the webhook list's limit)"

"$ROOT/scripts/install-deps" --bench
need_cmds nginx curl jq python3 sqlite3 timeout
need_guidepost

TMP=$(mktemp -d /tmp/gp-bench-wh.XXXXXX)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
GP_PID=
NGINX_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$GP_PID"
  stop "$NGINX_PID"
  finish "$rc" "$TMP"/guidepost*.log "$TMP"/cli.log "$TMP"/nginx/error.log
}
on_exit cleanup

now_ms() { date +%s%3N; }
rss_kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status" 2>/dev/null; }   # PID VmRSS|VmHWM

# --- nginx: 204 to everything, one access-log line per request with its time ($msec) -----------
# probe_204 URL PID: until nginx at URL answers a POST with 204 (5 s), or PID is gone.
probe_204() {
  for _ in $(seq 1 50); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -d '{}' "$1/probe" 2>/dev/null)" = 204 ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
mkdir -p "$TMP/nginx"
: >"$TMP/nginx/access.log"; chmod 666 "$TMP/nginx/access.log"
nginx_start "$TMP/nginx" 1 probe_204 "
  log_format hook '\$msec \$status \$request_method \$uri \$http_webhook_id';
  access_log $TMP/nginx/access.log hook;
  client_max_body_size 1m;
  server {
    listen 127.0.0.1:@PORT@;
    location / { return 204; }
  }"
ACCESS=$TMP/nginx/access.log
: >"$ACCESS"   # drop the probe

# --- Guidepost ---------------------------------------------------------------------------------
DATA=$TMP/data
gp_token iguide.rw,iguide.tasks,iguide.events
AUTH=(-H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN" -H "Content-Type: application/json")

start_guidepost() {   # LABEL WEBHOOK-THREADS: a server on $DATA; sets GP_PID and URL
  gp_serve "$1" "$TMP/guidepost-$1.log" --stage-seconds 0 --webhook-allow-private \
    --webhook-threads "$2"
  GP_PID=$SERVED_PID URL=$SERVED_URL
}

# call METHOD PATH [curl args]: the API; prints the body, dies on a non-2xx answer.
call() {
  local m=$1 p=$2 code; shift 2
  code=$(curl -sS -o "$TMP/call.json" -w '%{http_code}' --max-time 30 -X "$m" "${AUTH[@]}" "$@" "$URL$p") \
    || die "$m $p failed"
  case $code in 2??) cat "$TMP/call.json" ;; *) die "$m $p answered $code: $(head -c 300 "$TMP/call.json")" ;; esac
}

# publish: one iGUIDE, a sample TAR uploaded with curl --aws-sigv4, /process, until done.
publish() {
  local c p s
  "$GP_BIN" sample-stitch --out "$TMP/sample.tar" --levels 1 --rooms 3 --panos 1 >/dev/null 2>>"$TMP/cli.log" \
    || die "sample-stitch failed"
  c=$(call POST /api/v1/iguides -d '{"type":"standard","industry":"residential","address":{"country":"CA","provinceState":"ON","city":"Waterloo","postalCode":"N2L 3G1","streetName":"University Ave","streetNumber":"200"}}')
  IG=$(jq -r .id <<<"$c") WO=$(jq -r .workOrderId <<<"$c")
  p=$(call POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData" \
        -d "{\"filename\":\"sample.tar\",\"filesize\":$(stat -c %s "$TMP/sample.tar")}")
  curl -sS -f -o /dev/null -T "$TMP/sample.tar" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$(jq -r .uploadPermit.accessKeyId <<<"$p"):$(jq -r .uploadPermit.secretAccessKey <<<"$p")" \
    -H "x-amz-security-token: $(jq -r .uploadPermit.sessionToken <<<"$p")" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    "$(jq -r .uploadPermit.endpoint <<<"$p")/$(jq -r .uploadPermit.bucket <<<"$p")/$(jq -r .uploadPermit.key <<<"$p")" \
    || die "upload failed"
  call POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData/$(jq -r .id <<<"$p")/process?uploadToken=$(jq -r .uploadToken <<<"$p")" >/dev/null
  for _ in $(seq 1 600); do
    s=$(call GET "/api/v1/iguides/$IG/workOrders/$WO" | jq -r .status)
    case $s in done) return 0 ;; rejected|exception|cancelled) die "work order ended $s" ;; esac
    sleep 0.05
  done
  die "the work order is not done after 30 s"
}

# hooks PATH...: the iGUIDE's webhook list becomes one "*" entry per nginx path.
hooks() {
  local l
  l=$(printf '%s\n' "$@" | jq -R --arg b "$NGINX_URL" '{event: "*", url: ($b + .)}' | jq -sc '{webhooks: .}')
  call PUT "/api/v1/iguides/$IG/webhooks" -d "$l" >/dev/null
}

# dispatch_many N: N dispatch requests, PARALLEL at a time over kept-alive connections (curl
# --parallel); dies unless every one is 202.
dispatch_many() {
  local n=$1 cfg=$TMP/dispatch.cfg bad
  {
    echo "request = \"POST\""
    echo "header = \"X-Plntr-App-Id: $APP_ID\""
    echo "header = \"X-Plntr-App-Token: $APP_TOKEN\""
    for _ in $(seq 1 "$n"); do
      echo "url = \"$URL/api/v1/iguides/$IG/events/ready/dispatch?taskId=$WO\""
      echo "output = \"/dev/null\""
    done
  } >"$cfg"
  curl -sS --parallel --parallel-max "$PARALLEL" -K "$cfg" -w '%{http_code}\n' >"$TMP/codes" 2>>"$TMP/cli.log" \
    || die "dispatch requests failed"
  bad=$(grep -cv '^202$' "$TMP/codes" || true)
  [ "$(wc -l <"$TMP/codes")" -eq "$n" ] && [ "$bad" -eq 0 ] || die "dispatch: $bad of $n answers were not 202 ($(sort "$TMP/codes" | uniq -c | tr '\n' ' '))"
}

# create_events N: N events spread over the URLS paths /r/1…/r/URLS (one delivery each).
create_events() {
  local n=$1 k per
  per=$(( (n + URLS - 1) / URLS ))
  for k in $(seq 1 "$URLS"); do
    local m=$(( n - (k - 1) * per )); [ "$m" -gt "$per" ] && m=$per
    [ "$m" -gt 0 ] || break
    hooks "/r/$k"
    dispatch_many "$m"
  done
}

# wait_lines PATTERN N SECONDS: until nginx logged N requests matching the awk pattern.
wait_lines() {
  local c=0
  for _ in $(seq 1 $(( $3 * 10 ))); do
    c=$(awk "$1" "$ACCESS" | wc -l)
    [ "$c" -ge "$2" ] && return 0
    sleep 0.1
  done
  die "nginx received $c of $2 deliveries within $3 s"
}

sql() { sqlite3 "$DATA/guidepost.db" "$1"; }

# --- 1. the backlog ----------------------------------------------------------------------------------
say "publishing one iGUIDE (server with --webhook-threads 0)"
start_guidepost create 0
publish
say "creating $EVENTS events over $URLS URLs"
t0=$(now_ms)
create_events "$EVENTS"
t1=$(now_ms)
CREATE_RATE=$(awk -v n="$EVENTS" -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ms / 1000) }')
stop "$GP_PID"; GP_PID=
pending=$(sql "select count(*) from webhook_deliveries where status = 'pending'")
[ "$pending" -eq "$EVENTS" ] || die "$pending pending deliveries, expected $EVENTS"
[ ! -s "$ACCESS" ] || die "a server with --webhook-threads 0 delivered something"

say "delivering the backlog (--webhook-threads $WEBHOOK_THREADS)"
start_guidepost deliver "$WEBHOOK_THREADS"
T_START=$(now_ms)
RSS_START=$(rss_kb "$GP_PID" VmRSS)
wait_lines '$4 ~ /^\/r\//' "$EVENTS" 300

sleep 1   # the last answers are committed
delivered=$(sql "select count(*) from webhook_deliveries where status = 'delivered'")
[ "$delivered" -eq "$EVENTS" ] || die "$delivered deliveries delivered, expected $EVENTS"
read -r FIRST LAST N UNIQ NON204 < <(awk '$4 ~ /^\/r\// { n++; if (!f || $1 < f) f = $1; if ($1 > l) l = $1; if (!seen[$5]++) u++; if ($2 != 204) b++ }
  END { printf "%s %s %d %d %d\n", f, l, n, u, b }' "$ACCESS")
[ "$NON204" -eq 0 ] || die "nginx answered $NON204 requests with something else than 204"
BACKLOG_RPS=$(awk -v n="$N" -v f="$FIRST" -v l="$LAST" 'BEGIN { printf "%.0f", (l > f) ? (n - 1) / (l - f) : 0 }')
BACKLOG_S=$(awk -v f="$FIRST" -v l="$LAST" 'BEGIN { printf "%.2f", l - f }')
FROM_START_S=$(awk -v a="$T_START" -v b="$LAST" 'BEGIN { printf "%.2f", b - a / 1000 }')
sleep 1
RSS_DRAINED=$(rss_kb "$GP_PID" VmRSS)

# --- 2. live: creation and delivery together ----------------------------------------------------------
LIVE_LINE="(skipped, LIVE=0)"
RSS_LIVE=$RSS_DRAINED
if [ "$LIVE" = 1 ]; then
  say "creating and delivering $EVENTS more events at once"
  t0=$(now_ms)
  create_events "$EVENTS"
  wait_lines '$4 ~ /^\/r\//' $((EVENTS * 2)) 300
  t1=$(now_ms)
  LIVE_RPS=$(awk -v n="$EVENTS" -v ms=$((t1 - t0)) 'BEGIN { printf "%.0f", n / (ms / 1000) }')
  LIVE_LINE="$EVENTS events created and delivered in $(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.2f", ms / 1000 }') s: $LIVE_RPS/s end to end"
  sleep 1
  RSS_LIVE=$(rss_kb "$GP_PID" VmRSS)
fi

# --- 3. latency on an idle server -------------------------------------------------------------------
say "latency: $LAT_EVENTS single events, ${LAT_GAP_MS} ms apart"
hooks /lat
sleep 1
: >"$TMP/lat.ids"
gap=$(awk -v ms="$LAT_GAP_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
for _ in $(seq 1 "$LAT_EVENTS"); do
  call POST "/api/v1/iguides/$IG/events/ready/dispatch?taskId=$WO" | jq -r .eventId >>"$TMP/lat.ids"
  sleep "$gap"
done
wait_lines '$4 == "/lat"' "$LAT_EVENTS" 60
while read -r id; do
  printf '%s %s\n' "$id" "$(call GET "/api/v1/webhookEvents/$id" | jq -r .createdAt)"
done <"$TMP/lat.ids" >"$TMP/lat.created"
read -r P50 P99 PMAX < <(python3 - "$TMP/lat.created" "$ACCESS" <<'EOF'
import sys
from datetime import datetime
created = {}
for line in open(sys.argv[1]):
    i, t = line.split()
    created[i] = datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1000
got = {}
for line in open(sys.argv[2]):
    f = line.split()
    if len(f) >= 5 and f[3] == "/lat" and f[4] in created and f[4] not in got:
        got[f[4]] = float(f[0]) * 1000
lat = sorted(got[i] - created[i] for i in got)
if len(lat) != len(created):
    sys.exit("latency: %d of %d events were received" % (len(lat), len(created)))
pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print("%.1f %.1f %.1f" % (pick(0.50), pick(0.99), lat[-1]))
EOF
) || die "latency computation failed"
RSS_END=$(rss_kb "$GP_PID" VmRSS)
HWM=$(rss_kb "$GP_PID" VmHWM)

# --- report -------------------------------------------------------------------------------------------
verdict() { awk -v ok="$1" 'BEGIN { print ok ? "PASS" : "MISS" }'; }
growth=$(( RSS_LIVE - RSS_DRAINED ))
echo "webhooks.sh  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) CPUs (load average before the run $LOAD_BEFORE)"
echo "  receiver: nginx (worker_processes 1) answering 204; guidepost --webhook-threads $WEBHOOK_THREADS, $URLS URLs"
echo "  backlog   $N deliveries in $BACKLOG_S s (first→last receipt): $BACKLOG_RPS deliveries/s;" \
     "$FROM_START_S s from server start   target >= $TARGET_RPS/s: $(verdict "$((BACKLOG_RPS >= TARGET_RPS))")"
echo "  duplicates $((N - UNIQ)) (requests minus distinct webhook-ids in the backlog; at-least-once allows some, a healthy run has none)"
echo "  creation  $EVENTS dispatches at $CREATE_RATE events/s (PARALLEL=$PARALLEL, server delivering nothing)"
echo "  live      $LIVE_LINE"
echo "  latency   commit→receipt on an idle server, $LAT_EVENTS events: p50 $P50 ms, p99 $P99 ms, max $PMAX ms" \
     "  target p50 < $TARGET_P50_MS ms: $(verdict "$(awk -v p="$P50" -v t="$TARGET_P50_MS" 'BEGIN { print (p < t) }')")"
echo "  RSS kB    at start $RSS_START, after the backlog $RSS_DRAINED, after $EVENTS live events $RSS_LIVE," \
     "at the end $RSS_END, peak $HWM   flat (live growth $((growth / 1024)) MiB < $RSS_SLACK_MB MiB):" \
     "$(verdict "$((growth < RSS_SLACK_MB * 1024))")"
