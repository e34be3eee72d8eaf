#!/usr/bin/env bash
# Webhook delivery when the receiver says no, against a real receiver, on a frozen test clock:
# a 500 is tried five times, each retry 10–15 minutes (test-clock time) after the attempt before,
# then the delivery is failed and the log shows the five attempts; a 404 is tried once and
# dropped; a receiver that never answers is a timeout (serve --webhook-timeout 2), logged and
# retried. Resend sends the same webhook-id with a new timestamp and signature; dispatch makes a
# new event. Under --webhook-retry standard, a 410 drops the delivery and disables the URL for the
# iGUIDE until its webhook list is replaced. Events come from POST …/events/ready/dispatch on one
# published iGUIDE whose webhook list is replaced (PUT …/webhooks) before each case.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/webhooks.sh"

SERVE=(--stage-seconds 0 --webhook-allow-private --test-clock --rate-limit 0 --webhook-timeout 2)
wh_start "${SERVE[@]}"
publish_ok "$TUTORIAL_IGUIDE" "an iGUIDE without webhooks is published"
READY0=$(api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready"; jb '.events[0].id // empty')
clock_freeze

# attempts_at EVENT: the attempts' times (ms) of the event's first delivery, one a line.
attempts_at() { wh_event "$1"; jb '.deliveries[0].attempts[].at' | while read -r t; do ms_of "$t"; done; }

# ---- dispatch ----------------------------------------------------------------------------------
set_webhooks "[{\"event\":\"*\",\"url\":\"$RCV_URL/status/500/a\"}]"
is "$STATUS $(jb '.webhooks[0].url')" "200 $RCV_URL/status/500/a" "PUT …/webhooks replaces the list"
dispatch
is "$STATUS" 202 "POST …/events/ready/dispatch is 202"
like "$EV" '^msg_[A-Za-z0-9]{24}$' "it answers the new event's id"
ok "$([ "$EV" != "$READY0" ]; echo $?)" "a new event, not the publication's ready"
is "$(jb '[.deliveries[] | .url] | join(" ")')" "$RCV_URL/status/500/a" "with one delivery, to the listed URL"
like "$DLV" '^whd_[A-Za-z0-9]{20}$' "a delivery id"
EV500=$EV DLV500=$DLV
dispatch
ok "$([ -n "$EV" ] && [ "$EV" != "$EV500" ]; echo $?)" "a second dispatch is yet another event"
EV500b=$EV
dispatch "$IG" NOSUCHWO
is "$STATUS" 404 "dispatch for an unknown work order is 404"
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
dispatch "$(jb .id)" "$(jb .workOrderId)"
is "$STATUS $(jb .code)" "400 failed_precondition" "dispatch for a work order that is not done is 400 failed_precondition"

# ---- 500: five attempts, 10–15 minutes apart, then failed ----------------------------------------
P500='.path == "/status/500/a" and .webhookId == "'"$EV500"'"'
wait_for 1 "$P500"
need $? "attempt 1 reaches the receiver at once"
for k in 2 3 4 5; do
  wait_event "$EV500" ".deliveries[0].attemptCount == $((k - 1)) and .deliveries[0].nextAttemptAt != null" 10 ||
    bail "attempt $((k - 1)) is not logged with a next attempt"
  last=$(attempts_at "$EV500" | tail -n 1)
  next=$(ms_of "$(jb '.deliveries[0].nextAttemptAt')")
  gap=$(( (${next:-0} - ${last:-0}) / 1000 ))
  ok "$([ "$gap" -ge 600 ] && [ "$gap" -le 900 ]; echo $?)" "attempt $((k - 1)) failed; the next is due ${gap}s later (10–15 min)"
  clock_to $(( last + 599000 ))
  sleep 1
  is "$(wh_count "$P500")" $((k - 1)) "nothing is sent 9 min 59 s after attempt $((k - 1))"
  clock_to $(( last + 900000 ))
  wait_for "$k" "$P500" 10
  need $? "attempt $k is sent by 15 min"
done
wait_event "$EV500" '.deliveries[0].status == "failed"' 10
ok $? "after the fifth failed attempt the delivery is failed"
is "$(jb '.deliveries[0] | [.attemptCount, .lastStatus, (.nextAttemptAt // "null")] | map(tostring) | join(" ")')" "5 500 null" \
   "attemptCount 5, lastStatus 500, no next attempt"
is "$(jb '[.deliveries[0].attempts[] | "\(.n):\(.httpStatus):\(.errorClass)"] | join(" ")')" \
   "1:500:http 2:500:http 3:500:http 4:500:http 5:500:http" "the log shows the five attempts, each HTTP 500"
like "$(jb '.deliveries[0].attempts[0].responseBody')" "receiver: status 500" "each attempt keeps the response body"
is "$(jb '[.deliveries[0].attempts[] | .url] | unique | join(" ")')" "$RCV_URL/status/500/a" "and the URL"
is "$(jb '[.deliveries[0].attempts[] | .latencyMs | type] | unique | join(" ")')" number "and the latency"
is "$(wh_requests "$P500" | jq -r .bodyBase64 | sort -u | wc -l)" 1 "the five requests carried the same bytes"
is "$(wh_count "$P500 and .verified != true")" 0 "each one verified by standardwebhooks"
clock_advance 1800
sleep 1
is "$(wh_count "$P500")" 5 "nothing after the fifth"
api GET "/api/v1/webhookEvents?iguideId=$IG&status=failed"
like " $(jb '[.events[].id] | join(" ")') " " $EV500 " "GET /webhookEvents?status=failed lists it"
is "$(jb "[.events[] | select(.id == \"$EV500\") | .deliveries[0].status] | join(\"\")")" failed \
   "and the list shows the delivery's status"

# ---- 404: one attempt, dropped ------------------------------------------------------------------
set_webhooks "[{\"event\":\"ready\",\"url\":\"$RCV_URL/status/404/b\"}]"
dispatch
EV404=$EV DLV404=$DLV
wait_event "$EV404" '.deliveries[0].status == "dropped"' 10
ok $? "a 404 drops the delivery"
is "$(jb '.deliveries[0] | [.attemptCount, .lastStatus, (.nextAttemptAt // "null")] | map(tostring) | join(" ")')" "1 404 null" \
   "after one attempt, lastStatus 404, no next attempt"
clock_advance 1800
sleep 1
is "$(wh_count '.path == "/status/404/b"')" 1 "it is never sent again"

# ---- resend: same webhook-id, new timestamp and signature ----------------------------------------
sleep 1.1   # a new second, so the new timestamp differs from the first attempt's
api POST "/api/v1/webhookDeliveries/$DLV404/resend"
is "$STATUS" 202 "POST /webhookDeliveries/{id}/resend is 202"
is "$(jb '[.id, .eventId, .status] | join(" ")')" "$DLV404 $EV404 pending" "answers the delivery, its event, pending"
wait_for 2 '.path == "/status/404/b"' 10
ok $? "the resend reaches the receiver"
first=$(wh_requests '.path == "/status/404/b"' | head -n 1) again=$(wh_requests '.path == "/status/404/b"' | sed -n 2p)
is "$(jq -r .webhookId <<<"$again")" "$EV404" "with the same webhook-id"
is "$(jq -r .bodyBase64 <<<"$again")" "$(jq -r .bodyBase64 <<<"$first")" "the same body bytes"
ok "$([ "$(jq -r .webhookTimestamp <<<"$again")" -gt "$(jq -r .webhookTimestamp <<<"$first")" ]; echo $?)" "a newer webhook-timestamp"
ok "$([ "$(jq -r .webhookSignature <<<"$again")" != "$(jq -r .webhookSignature <<<"$first")" ]; echo $?)" "a new signature"
is "$(jq -r .verified <<<"$again")" true "which standardwebhooks verifies"
wait_event "$EV404" '.deliveries[0].status == "dropped" and .deliveries[0].attemptCount == 2' 10
is "$(jb '[.deliveries[0].attempts[] | "\(.n):\(.httpStatus)"] | join(" ")')" "1:404 2:404" "the log keeps both attempts"
api POST /api/v1/webhookDeliveries/whd_00000000000000000000/resend
is "$STATUS" 404 "resend of an unknown delivery is 404"
out=$("$GP_BIN" webhook resend "$DLV404" --data "$GP_DATA" 2>>"$T_TMP/cli.log")
is "$(jq -r '[.id, .eventId] | join(" ")' <<<"$out" 2>/dev/null)" "$DLV404 $EV404" "guidepost webhook resend answers like the API"
wait_for 3 '.path == "/status/404/b"' 10
ok $? "and sends it once more (the running server picks it up)"

# ---- a receiver that never answers: timeout, logged, retried ------------------------------------
set_webhooks "[{\"event\":\"*\",\"url\":\"$RCV_URL/hang/c\"}]"
dispatch
EVH=$EV
wait_for 1 '.path == "/hang/c"' 10
wait_event "$EVH" '.deliveries[0].attemptCount == 1' 10
ok $? "the hanging attempt ends (serve --webhook-timeout 2)"
is "$(jb '.deliveries[0] | [.status, (.attempts[0].httpStatus // "null"), .attempts[0].errorClass] | map(tostring) | join(" ")')" \
   "pending null timeout" "it is logged with errorClass timeout and no HTTP status, and stays pending"
like "$(jb '.deliveries[0].attempts[0].latencyMs')" '^[0-9]+$' "with its latency"
ok "$([ "$(jb '.deliveries[0].attempts[0].latencyMs')" -ge 1500 ]; echo $?)" "of about the timeout ($(jb '.deliveries[0].attempts[0].latencyMs') ms)"
last=$(attempts_at "$EVH" | tail -n 1)
clock_to $(( last + 900000 ))
wait_for 2 '.path == "/hang/c"' 10
ok $? "a timeout is retried within 15 min"

# ---- standard policy: 410 disables the URL until the list is replaced ---------------------------
set_webhooks "[{\"event\":\"*\",\"url\":\"$RCV_URL/status/410/d\"}]"
stop_server
start_server "${SERVE[@]}" --webhook-retry standard
dispatch
EV410=$EV
wait_event "$EV410" '.deliveries[0].status == "dropped"' 10
ok $? "--webhook-retry standard: a 410 drops the delivery"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_disabled where iguide_id = '$IG' and url = '$RCV_URL/status/410/d'")" 1 \
   "and disables the URL for the iGUIDE"
dispatch
is "$STATUS" 202 "another event for the iGUIDE"
sleep 1.5
is "$(wh_count '.path == "/status/410/d"')" 1 "is not sent to the disabled URL"
set_webhooks "[{\"event\":\"*\",\"url\":\"$RCV_URL/status/410/d\"}]"
is "$STATUS" 200 "PUT …/webhooks with the same list"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_disabled where iguide_id = '$IG'")" 0 "re-enables the URL"
dispatch
wait_for 2 '.path == "/status/410/d"' 10
ok $? "the next event is sent to it again"

whverify --min 12
ok $? "Python's recomputed HMAC matches every request the receiver got"
done_testing
