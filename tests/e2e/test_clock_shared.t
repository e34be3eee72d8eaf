#!/usr/bin/env bash
# The shared test clock (docs/operations.md, "Time in tests"): a `serve --test-clock --workers 0`
# does no processing; two `guidepost worker --test-clock` processes do it all. One POST /_test/clock
# to the server moves the workers' clocks too, so what they write (status changes, the ready
# event of a publication) carries the frozen test time; a second POST moves them again.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --stage-seconds 0 --workers 0 --test-clock --webhook-allow-private --webhook-threads 0
token clk iguide.rw,iguide.ro,iguide.tasks

# A few minutes ahead: within SigV4's allowed skew and the permit's lifetime, so the upload works.
T1=$(date -u -d '+5 min' +%Y-%m-%dT%H:%M:00.000Z)
T2=$(date -u -d "${T1%.000Z} UTC + 1 day" +%Y-%m-%dT%H:%M:%S.000Z)
clock "{\"now\":\"$T1\",\"freeze\":true}"
WPIDS=()
for i in 1 2; do
  "$GP_BIN" worker --data "$GP_DATA" --test-clock --workers 1 --stage-seconds 0 --webhook-threads 0 \
    >>"$T_TMP/worker$i.log" 2>&1 &
  WPIDS+=($!)
done
stop_workers() { for p in "${WPIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; WPIDS=(); }
trap 'stop_workers; cleanup' EXIT
following() { grep -c "test clock follows the shared setting: $1" "$T_TMP/worker$2.log" 2>/dev/null; }
for _ in $(seq 1 50); do [ "$(following "${T1%.*}" 1)" -ge 1 ] && [ "$(following "${T1%.*}" 2)" -ge 1 ] && break; sleep 0.1; done
ok "$([ "$(following "${T1%.*}" 1)" -ge 1 ] && [ "$(following "${T1%.*}" 2)" -ge 1 ]; echo $?)" \
   "both workers take the frozen test time within moments"

api POST /api/v1/iguides -d "$(jq -c '.webhooks = [{"event":"workorder.status_changed","url":"http://127.0.0.1:9/x"}]' <<<"$TUTORIAL_IGUIDE")"
IG=$(jb .id) WO=$(jb .workOrderId)
upload_sample
is "$STATUS" 200 "/process accepts the upload"
wait_done
is "$WO_STATUS" done "the workers publish the work order"
db() { sqlite3 "$GP_DATA/guidepost.db" "$1"; }
is "$(db "select count(distinct created_at) || ' ' || min(created_at) from webhook_events where iguide_id='$IG'")" \
   "1 $(date -u -d "$T1" +%s)000" "every event the server and the workers wrote carries the one frozen time"
is "$(db "select count(*) from webhook_events where iguide_id='$IG' and type='workorder.status_changed'")" 4 \
   "... the four status changes"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready"
is "$(jb '.events[0].createdAt')" "$T1" "the ready event a worker wrote is at the test time"
ran=$(grep -l "work order $WO is done" "$T_TMP"/worker*.log | wc -l)
ok "$([ "$ran" -ge 1 ]; echo $?)" "a worker process did the publishing"

clock "{\"now\":\"$T2\"}"
for _ in $(seq 1 50); do [ "$(following "${T2%.*}" 1)" -ge 1 ] && [ "$(following "${T2%.*}" 2)" -ge 1 ] && break; sleep 0.1; done
api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"siteplan"}'
WO=$(jb .id)
wait_done
is "$WO_STATUS" done "an add-on is published by the workers"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready&limit=1"
is "$(jb '.events[0].workOrderId') $(jb '.events[0].createdAt')" "$WO $T2" \
   "... its ready event at the time of the second POST"
stop_workers
reports=$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T_TMP"/worker*.log 2>/dev/null | wc -l)
is "$reports" 0 "the worker processes stopped cleanly (no sanitizer report)"
done_testing
