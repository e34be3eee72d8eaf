#!/usr/bin/env bash
# Guidepost's own events, delivered by two `guidepost worker` processes (the server runs neither
# pipeline workers nor delivery threads): view.expired once when the test clock crosses the
# midnight UTC after a view's expiresAt — never twice, across both workers and a worker restart —,
# view.deleted once for a deleted view, iguide.deleted once for a deleted iGUIDE. Each goes only to
# the entry naming it; the "*" entry (the platform's "ready") gets none of them.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/webhooks.sh"

for f in --test-clock --webhook-allow-private --webhook-threads --stage-seconds; do
  "$GP_BIN" worker --help 2>&1 | grep -q -- "$f" || bail "guidepost worker has no $f option"
done
start_server --workers 0 --webhook-threads 0 --stage-seconds 0 --webhook-allow-private --test-clock --rate-limit 0
WORKER=(--workers 1 --webhook-threads 2 --test-clock --webhook-allow-private --stage-seconds 0)
start_worker "${WORKER[@]}"
start_worker "${WORKER[@]}"
token wh iguide.rw,iguide.ro,iguide.events
wh_secret
start_receiver

# The clock stands still at T0; the workers follow it through the store.
Y=$(( $(date -u +%Y) + 1 ))
clock_set "$Y-03-10T09:00:00Z"
sleep 0.5

HOOKS="[{\"event\":\"view.expired\",\"url\":\"$RCV_URL/ok/expired\"},{\"event\":\"view.deleted\",\"url\":\"$RCV_URL/ok/vdel\"},{\"event\":\"iguide.deleted\",\"url\":\"$RCV_URL/ok/igdel\"},{\"event\":\"*\",\"url\":\"$RCV_URL/ok/star\"}]"
api POST /api/v1/iguides -d "$(jq -c --argjson h "$HOOKS" '.webhooks = $h' <<<"$TUTORIAL_IGUIDE")"
is "$STATUS" 200 "an iGUIDE with view.expired, view.deleted, iguide.deleted and \"*\" entries"
IG=$(jb .id) ALIAS=$(jb .alias)
api POST "/api/v1/iguides/$IG/views" -d "{\"expiresAt\": \"$Y-03-10T15:00:00Z\"}"
V1=$(jb .id)
api POST "/api/v1/iguides/$IG/views" -d "{\"expiresAt\": \"$Y-03-11T10:00:00Z\"}"
V3=$(jb .id)
api POST "/api/v1/iguides/$IG/views" -d '{}'
V2=$(jb .id)
is "$STATUS" 200 "three more views: expiring today, tomorrow, and in a year"

# ---- view.expired ---------------------------------------------------------------------------------
clock_advance $((14 * 3600 + 59 * 60))   # 23:59
sleep 2
is "$(wh_count '.path == "/ok/expired"')" 0 "at 23:59 UTC of its expiry day nothing is sent"
clock_advance 90                          # 00:00:30 the next day
wait_for 1 '.path == "/ok/expired"' 20
ok $? "crossing midnight UTC sends view.expired"
sleep 2
is "$(wh_count '.path == "/ok/expired"')" 1 "exactly once (two workers)"
B=$(wh_bodies '.path == "/ok/expired"' | head -n 1)
is "$(jq -r '[.type, .iguideId, .viewId] | join(" ")' <<<"$B")" "view.expired $IG $V1" "type, iguideId, viewId"
is "$(ms_of "$(jq -r .expiresAt <<<"$B")")" "$(ms_of "$Y-03-10T15:00:00Z")" "expiresAt is the view's"
like "$(jq -r .eventId <<<"$B")" '^msg_' "an eventId"
hid=$(wh_requests '.path == "/ok/expired"' | jq -r .webhookId)
ok "$([ -n "$hid" ] && [ "$(jq -r .eventId <<<"$B")" = "$hid" ]; echo $?)" "equal to the webhook-id"

# A worker restarts; another day passes: V3 expires once, V1 is not reported again.
kill -TERM "${WORKER_PIDS[0]}"; wait "${WORKER_PIDS[0]}" 2>/dev/null
start_worker "${WORKER[@]}"
clock_advance $((24 * 3600))              # 00:00:30 two days on
wait_for 2 '.path == "/ok/expired"' 20
ok $? "after a worker restart the next midnight sends the next view's view.expired"
sleep 2
is "$(wh_bodies '.path == "/ok/expired"' | jq -r .viewId | sort | tr '\n' ' ')" "$(printf '%s\n' "$V1" "$V3" | sort | tr '\n' ' ')" \
   "one view.expired per expired view, none twice"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=view.expired"
is "$(jb '.events | length')" 2 "the event log has the two view.expired events"

# ---- view.deleted -----------------------------------------------------------------------------------
api DELETE "/api/v1/views/$V2"
is "$STATUS" 200 "DELETE a view"
wait_for 1 '.path == "/ok/vdel"' 15
ok $? "view.deleted is sent"
sleep 1
is "$(wh_count '.path == "/ok/vdel"')" 1 "once"
is "$(wh_bodies '.path == "/ok/vdel"' | jq -r '[.type, .iguideId, .viewId] | join(" ")')" "view.deleted $IG $V2" "type, iguideId, viewId"

# ---- iguide.deleted ---------------------------------------------------------------------------------
api DELETE "/api/v1/iguides/$IG"
is "$STATUS" 200 "DELETE the iGUIDE"
wait_for 1 '.path == "/ok/igdel"' 15
ok $? "iguide.deleted is sent"
sleep 1
is "$(wh_count '.path == "/ok/igdel"')" 1 "once"
is "$(wh_bodies '.path == "/ok/igdel"' | jq -r '[.type, .iguideId, .iguideAlias] | join(" ")')" "iguide.deleted $IG $ALIAS" \
   "type, iguideId, iguideAlias"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=iguide.deleted"
is "$(jb '[.events[] | .deliveries[] | .status] | join(" ")')" delivered "the log outlives the iGUIDE: one delivery, delivered"

# ---- each event went only to the entry naming it -----------------------------------------------------
is "$(wh_count '.path == "/ok/star"')" 0 "the \"*\" entry got none of them"
is "$(wh_count '(.body | fromjson | .type) as $t | (.path == "/ok/expired" and $t != "view.expired") or (.path == "/ok/vdel" and $t != "view.deleted") or (.path == "/ok/igdel" and $t != "iguide.deleted")')" 0 \
   "each URL got only its own event type"
is "$(wh_count '.verified != true')" 0 "standardwebhooks verified every request"
whverify --min 4
ok $? "Python's recomputed HMAC matches every request"
done_testing
