#!/usr/bin/env bash
# The SSRF guard, on a server started WITHOUT --webhook-allow-private: registration takes only
# https:// URLs (400 naming the entry otherwise, like any other bad entry); an https URL whose
# name resolves to loopback (https://localhost:PORT/…) is accepted, but the address is checked at
# connect time and refused: the attempt is logged with errorClass refused_address and no
# connection at all reaches the receiver listening there, then or on the retry.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/webhooks.sh"

start_server --stage-seconds 0 --test-clock --rate-limit 0 --webhook-timeout 2
token wh iguide.rw,iguide.ro,iguide.events
wh_secret
start_receiver
clock_freeze

# create HOOKS-JSON: POST /api/v1/iguides with that webhooks list.
create() { api POST /api/v1/iguides -d "$(jq -c --argjson h "$1" '.webhooks = $h' <<<"$TUTORIAL_IGUIDE")"; }

# ---- registration ------------------------------------------------------------------------------------
create "[{\"event\":\"*\",\"url\":\"$RCV_URL/ok\"}]"
is "$STATUS $(jb .code)" "400 invalid_argument" "http://127.0.0.1… is refused without --webhook-allow-private"
like "$(jb .message)" 'webhooks\[0\]\.url' "the message names the entry"
create "[{\"event\":\"*\",\"url\":\"https://localhost:$RCV_PORT/ok\"},{\"event\":\"ready\",\"url\":\"http://localhost:$RCV_PORT/ok\"}]"
is "$STATUS" 400 "plain http:// by name is refused too"
like "$(jb .message)" 'webhooks\[1\]\.url' "naming the second entry"
create '[{"event":"sold","url":"https://example.com/hook"}]'
is "$STATUS $(jb .code)" "400 invalid_argument" "an unknown event is refused"
like "$(jb .message)" 'webhooks\[0\]\.event' "naming the entry's event"
create '[{"event":"*","url":"not a url"}]'
is "$STATUS" 400 "a URL that is not one is refused"
create "$(jq -c -n '[range(21) | {event: "*", url: "https://example.com/h\(.)"}]')"
is "$STATUS" 400 "21 entries are refused"
create "$(jq -c -n '[range(20) | {event: "*", url: "https://example.com/h\(.)"}]')"
is "$STATUS" 200 "20 are accepted"
api PUT "/api/v1/iguides/$(jb .id)/webhooks" -d "{\"webhooks\":[{\"event\":\"*\",\"url\":\"$RCV_URL/ok\"}]}"
is "$STATUS" 400 "PUT …/webhooks applies the same rule"
api PUT /api/v1/iguides/NOSUCHIGUIDE/webhooks -d '{"webhooks":[]}'
is "$STATUS" 404 "PUT …/webhooks of an unknown iGUIDE is 404"

# ---- a name resolving to loopback: accepted, refused at connect time ---------------------------------
HOOKS="[{\"event\":\"view.deleted\",\"url\":\"https://localhost:$RCV_PORT/ssrf\"}]"
create "$HOOKS"
is "$STATUS" 200 "https://localhost:PORT/… is accepted at registration (the name is not an address)"
IG=$(jb .id)
api POST "/api/v1/iguides/$IG/views" -d '{}'
V=$(jb .id)
api DELETE "/api/v1/views/$V"
is "$STATUS" 200 "a view is deleted: a view.deleted event for that URL"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=view.deleted"
EV=$(jb '.events[0].id // empty')
like "$EV" '^msg_' "the event is in the log"
wait_event "$EV" '.deliveries[0].attemptCount >= 1' 10
ok $? "an attempt is made"
is "$(jb '.deliveries[0].attempts[0] | [(.httpStatus // "null"), .errorClass] | map(tostring) | join(" ")')" "null refused_address" \
   "it is logged as refused_address, with no HTTP status"
like "$(jb '.deliveries[0].attempts[0].error')" 'loopback|private|refused|not allowed' "with a reason that says why"
like "$(jb '.deliveries[0].lastError // empty')" '.+' "the delivery's lastError says so too"
is "$(jb '.deliveries[0].status')" pending "like a connection error, it is retried (platform policy)"
is "$(wh_connections)" 0 "no connection reached the receiver"
clock_advance 960
wait_event "$EV" '.deliveries[0].attemptCount >= 2' 10
is "$(jb '.deliveries[0].attempts[1].errorClass')" refused_address "the retry is refused the same way"
sleep 0.5
is "$(wh_connections) $(wh_count)" "0 0" "and still nothing reached the receiver"
done_testing
