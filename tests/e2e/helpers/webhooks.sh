# webhooks.sh — helpers for the webhook tests (sourced after tests/lib/tap.sh and helpers/uploads.sh).
# A real receiver (helpers/webhook_receiver.mjs: Node, verifying every request with the
# `standardwebhooks` npm package) on 127.0.0.1, the log it writes (one JSON line per request), the
# independent Python check (helpers/whverify.py), the test clock, the event log of the API, and
# publishing an iGUIDE from a `guidepost sample-stitch` TAR.
WH_HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
js_deps
RCV_LOG=$T_TMP/receiver.log
RCV_PID=
RCV_PORT=
RCV_URL=
WORKER_PIDS=()
IG="" WO="" DV="" ALIAS="" EV="" DLV=""
: >"$RCV_LOG"

# bail MESSAGE: stops the test (what follows would only repeat the same failure).
bail() { echo "Bail out! $*"; exit 1; }

# need RC DESCRIPTION: one TAP result; the test stops when it failed (what follows depends on it).
need() { ok "$1" "$2"; [ "$1" = 0 ] || bail "$2: failed, and the rest depends on it"; }

# start_receiver [--hang-ms MS]: starts the receiver (on RCV_PORT when set, so that a restarted
# receiver answers the URLs already registered); sets RCV_PID, RCV_PORT and RCV_URL. The secrets
# come from WEBHOOK_SECRET (see wh_secret).
start_receiver() {
  local pf=$T_TMP/receiver.port port=()
  rm -f "$pf"
  [ -n "$RCV_PORT" ] && port=(--port "$RCV_PORT")
  node "$WH_HELPERS/webhook_receiver.mjs" --log "$RCV_LOG" --port-file "$pf" "${port[@]}" "$@" \
    >>"$T_TMP/receiver.out" 2>&1 &
  RCV_PID=$!
  for _ in $(seq 1 200); do
    [ -s "$pf" ] && break
    kill -0 "$RCV_PID" 2>/dev/null || break
    sleep 0.05
  done
  RCV_PORT=$(cat "$pf" 2>/dev/null)
  if [ -z "$RCV_PORT" ]; then echo "Bail out! the webhook receiver did not start"; cat "$T_TMP/receiver.out"; exit 1; fi
  RCV_URL=http://127.0.0.1:$RCV_PORT
}

# stop_receiver: the receiver goes away (its port stays in RCV_PORT for a restart).
stop_receiver() {
  if [ -n "$RCV_PID" ]; then kill -TERM "$RCV_PID" 2>/dev/null; wait "$RCV_PID" 2>/dev/null; RCV_PID=; fi
}

# start_worker [options]: a `guidepost worker` process on GP_DATA (its log joins the server's at
# exit, so sanitizer reports are seen); appends its pid to WORKER_PIDS.
start_worker() {
  local n=${#WORKER_PIDS[@]}
  "$GP_BIN" worker --data "$GP_DATA" "$@" >>"$T_TMP/worker$n.log" 2>&1 &
  WORKER_PIDS+=($!)
}

wh_cleanup() {
  local p rc=$?
  stop_receiver
  for p in "${WORKER_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  [ $T_FAIL -gt 0 ] && [ -s "$RCV_LOG" ] && { echo "# receiver log (last 10 requests):";
    jq -c 'select(.kind == "request") | {path, webhookId, answer, verified, error, time}' "$RCV_LOG" 2>/dev/null |
      tail -n 10 | sed 's/^/#   /'; }
  for p in "$T_TMP"/worker*.log; do [ -f "$p" ] && cat "$p" >>"$T_TMP/server.log"; done
  cleanup
  exit $rc
}
trap wh_cleanup EXIT

# wh_secret: WEBHOOK_SECRET = the installation's current signing secret, as the operator reads
# it (`guidepost webhook secret show`), exported for the receiver and whverify.py.
wh_secret() {
  WEBHOOK_SECRET=$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>>"$T_TMP/cli.log")
  export WEBHOOK_SECRET
}

# wh_start [serve options...]: the usual start of a webhook test: start_server with the options, a
# token "wh" with iguide.rw, .ro, .tasks and .events, the signing secret (wh_secret) and the
# receiver (start_receiver).
wh_start() {
  start_server "$@"
  token wh iguide.rw,iguide.ro,iguide.tasks,iguide.events
  wh_secret
  start_receiver
}

# wh_requests [JQ-FILTER]: the receiver's request lines (compact JSON) that match the filter. Read
# as raw lines: a line the receiver is still writing is skipped, not an error.
wh_requests() { jq -c -R "fromjson? | select(.kind == \"request\") | select(${1:-true})" "$RCV_LOG"; }

# wh_count [JQ-FILTER]: how many requests match.
wh_count() { wh_requests "${1:-true}" | wc -l; }

# wh_bodies [JQ-FILTER]: the bodies (parsed JSON, one compact object a line) of matching requests.
wh_bodies() { wh_requests "${1:-true}" | jq -c '.body | fromjson'; }

# wh_connections: TCP connections the receiver accepted.
wh_connections() { jq -c -R 'fromjson? | select(.kind == "connection")' "$RCV_LOG" | wc -l; }

# wait_for N JQ-FILTER [SECONDS]: waits until at least N requests match (default 15 s);
# sets WH_GOT to the count. Returns 1 on timeout.
wait_for() {
  local want=$1 filter=$2 limit=${3:-15} i
  for i in $(seq 1 $((limit * 10))); do
    WH_GOT=$(wh_count "$filter")
    [ "$WH_GOT" -ge "$want" ] && return 0
    sleep 0.1
  done
  diag "waited ${limit}s for $want requests matching $filter; got $WH_GOT"
  return 1
}

# whverify [whverify.py options]: the Python recomputation over the whole receiver log; its
# summary goes to the TAP output as a comment. Returns its exit status.
whverify() {
  local out rc
  out=$("$PY_BIN" "$WH_HELPERS/whverify.py" "$@" "$RCV_LOG" 2>&1); rc=$?
  diag "$(tr '\n' ' ' <<<"$out")"
  return $rc
}

# clock_advance SECONDS: moves the test clock (serve --test-clock) forward.
clock_advance() {
  curl -sS -o /dev/null -X POST "$GP_URL/_test/clock" -d "{\"advanceSeconds\": $1}"
}

# clock_set RFC3339 [freeze]: stands the test clock at a time (frozen unless freeze=false).
clock_set() {
  curl -sS -o /dev/null -X POST "$GP_URL/_test/clock" -d "{\"now\": \"$1\", \"freeze\": ${2:-true}}"
}

# clock_freeze: stops the test clock where it is (advance and set still move it).
clock_freeze() { curl -sS -o /dev/null -X POST "$GP_URL/_test/clock" -d '{"freeze": true}'; }

# clock_ms: the server's test-clock time in milliseconds since the epoch.
clock_ms() { ms_of "$(curl -sS "$GP_URL/_test/clock" | jq -r .now)"; }

# ms_of RFC3339: milliseconds since the epoch (empty for null/empty).
ms_of() { case ${1:-null} in null|"") echo "" ;; *) date -u -d "$1" +%s%3N ;; esac; }

# clock_to MS: advances the test clock to MS (milliseconds since the epoch; never backwards).
clock_to() {
  local now d
  now=$(clock_ms)
  d=$(( $1 - now ))
  [ "$d" -gt 0 ] && clock_advance "$(awk -v d="$d" 'BEGIN { printf "%.3f", d / 1000 }')"
  return 0
}

# wh_event EVENT_ID: GET /api/v1/webhookEvents/{id} (the event with its deliveries and attempts);
# sets STATUS and BODY like api.
wh_event() { api GET "/api/v1/webhookEvents/$1"; }

# wait_event EVENT_ID JQ-CONDITION [SECONDS]: polls the event until the condition holds on it
# (default 15 s); leaves it in BODY. Returns 1 on timeout.
wait_event() {
  local limit=${3:-15} i
  for i in $(seq 1 $((limit * 10))); do
    wh_event "$1"
    [ "$STATUS" = 200 ] && [ "$(jq -r "($2) // false" <<<"$BODY" 2>/dev/null)" = true ] && return 0
    sleep 0.1
  done
  diag "event $1 did not reach $2 in ${limit}s: $(head -c 600 <<<"$BODY")"
  return 1
}

# dispatch [IG [WO]]: POST …/events/ready/dispatch?taskId=WO (default the current IG and WO);
# sets STATUS, BODY, EV (the new event id) and DLV (its first delivery id).
dispatch() {
  api POST "/api/v1/iguides/${1:-$IG}/events/ready/dispatch?taskId=${2:-$WO}"
  EV=$(jb '.eventId // empty') DLV=$(jb '.deliveries[0].id // empty')
}

# set_webhooks JSON-ARRAY [IG]: PUT /api/v1/iguides/{id}/webhooks; sets STATUS and BODY.
set_webhooks() { api PUT "/api/v1/iguides/${2:-$IG}/webhooks" -d "{\"webhooks\": $1}"; }

# publish CREATE-BODY: an iGUIDE created with that body and published: a `guidepost sample-stitch`
# TAR uploaded with the AWS CLI through a real permit, /process, and the work order polled until
# done (30 s); sets IG, WO, DV (default view), ALIAS and WO_STATUS. Returns 1 when not done.
publish() {
  api POST /api/v1/iguides -d "$1"
  [ "$STATUS" = 200 ] || { diag "create answered $STATUS: $BODY"; return 1; }
  IG=$(jb .id) WO=$(jb .workOrderId) DV=$(jb .defaultViewId) ALIAS=$(jb .alias)
  upload_sample
  wait_done && return 0
  diag "work order $WO ended $WO_STATUS"
  return 1
}

# publish_ok CREATE-BODY DESCRIPTION: publish as one TAP result; the test stops when it fails.
publish_ok() { publish "$1"; need $? "$2"; }
