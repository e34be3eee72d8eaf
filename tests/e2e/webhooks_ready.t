#!/usr/bin/env bash
# Webhooks, the tutorial flow: a commercial iGUIDE created with webhooks [{"event":"*"}, {"event":
# "workorder.status_changed"}] pointing at a real receiver (Node, verifying every request with the
# `standardwebhooks` npm package), published from a `guidepost sample-stitch` TAR. Exactly one
# `ready` arrives on the "*" URL, signed (the reference library and a recomputation in Python
# agree), its fields are the iGUIDE's, its bytes are the stored event's, and its `authtoken` opens
# the protected default view (302 without it, 200 with it) until 21 days later on the test clock.
# The status-change entry gets the work order's status changes and nothing else; the "*" entry
# gets none of them. The event log and the ready object on demand say the same. After a secret
# rotation an event carries two signatures, and either secret alone verifies it.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/webhooks.sh"

wh_start --stage-seconds 0 --webhook-allow-private --test-clock --rate-limit 0
like "$WEBHOOK_SECRET" '^whsec_[A-Za-z0-9+/]{43}=$' "guidepost webhook secret show prints whsec_ + base64 of 32 bytes"
again=$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>>"$T_TMP/cli.log")
ok "$([ -n "$again" ] && [ "$again" = "$WEBHOOK_SECRET" ]; echo $?)" "and the same secret on a second call"

HOOKS="[{\"event\":\"*\",\"url\":\"$RCV_URL/ok/star\"},{\"event\":\"workorder.status_changed\",\"url\":\"$RCV_URL/ok/status\"}]"
CREATE=$(jq -c --argjson h "$HOOKS" '.industry = "commercial" | .webhooks = $h' <<<"$TUTORIAL_IGUIDE")
publish_ok "$CREATE" "a commercial iGUIDE with two webhook entries is published (work order done)"
api GET "/api/v1/iguides/$IG"
is "$(jb '.webhooks | tojson')" "$(jq -c . <<<"$HOOKS")" "GET /iguides/{id} shows the webhooks as given"
IG_BODY=$BODY

# ---- exactly one ready on the "*" URL -----------------------------------------------------------
wait_for 1 '.path == "/ok/star"' 20
need $? "a request reaches the \"*\" URL"
wait_for 1 '.path == "/ok/status" and (.body | fromjson | .to) == "done"' 20
sleep 0.5   # anything sent twice would be here by now
is "$(wh_count '.path == "/ok/star"')" 1 "exactly one request on the \"*\" URL"
R=$(wh_requests '.path == "/ok/star"' | head -1)
READY=$(jq -r .body <<<"$R")
is "$(jq -r .verified <<<"$R")" true "standardwebhooks verifies it ($(jq -r '.error // "no error"' <<<"$R"))"
is "$(jq -r .method <<<"$R")" POST "it is a POST"
like "$(jq -r .userAgent <<<"$R")" '^Guidepost/[0-9]' "User-Agent: Guidepost/<version>"
like "$(jq -r .contentType <<<"$R")" '^application/json' "Content-Type: application/json"
like "$(jq -r .webhookId <<<"$R")" '^msg_[A-Za-z0-9]{24}$' "webhook-id is an event id (msg_ + 24)"
like "$(jq -r .webhookSignature <<<"$R")" '^v1,[A-Za-z0-9+/]{43}=$' "one v1 signature (no rotation happened)"
skew=$(( $(jq -r .webhookTimestamp <<<"$R") - $(jq -r '.receivedMs / 1000 | floor' <<<"$R") ))
ok "$([ "${skew#-}" -le 5 ]; echo $?)" "webhook-timestamp is the real wall clock (off by ${skew} s)"
is "$(jq -r '.type' <<<"$READY")" ready "type ready"
is "$(jq -r '.eventId' <<<"$READY")" "$(jq -r .webhookId <<<"$R")" "eventId is the webhook-id"
like "$(jq -r '.occurredAt' <<<"$READY")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' "occurredAt is RFC 3339 with ms"
is "$(jq -r '[.iguideId, .workOrderId, .defaultViewId, .iguideAlias] | join(" ")' <<<"$READY")" \
   "$IG $WO $DV $(jq -r .alias <<<"$IG_BODY")" "iguideId, workOrderId, defaultViewId and iguideAlias are the iGUIDE's"
like "$(jq -r .urls.publicUrl <<<"$READY")" "^https?://.+/$DV\$" "urls.publicUrl is <base>/<defaultViewId>"
like "$(jq -r .urls.embeddedUrl <<<"$READY")" "^https?://.+/embed/$DV\$" "urls.embeddedUrl is <base>/embed/<defaultViewId>"
like "$(jq -r .urls.manageUrl <<<"$READY")" "^https?://.+/iguides/edit/$IG\$" "urls.manageUrl is <base>/iguides/edit/<iguideId>"
is "$(jq -r '.urls | [has("unbrandedUrl"), (.mediaUrls | type)] | map(tostring) | join(" ")' <<<"$READY")" "true object" \
   "urls.unbrandedUrl and urls.mediaUrls are there"
is "$(jq -r '.property | [.country, .stateProvince, .city, .postalCode, .streetName, .streetNumber] | join("|")' <<<"$READY")" \
   "CA|ON|Waterloo|N2L 3G1|University Ave|200" "property carries the address parts"
is "$(jq -r .property.fullAddress <<<"$READY")" "200 University Ave, Waterloo, ON N2L 3G1, Canada" \
   "property.fullAddress, as Canada Post writes it"
is "$(jq -r '.property | has("location")' <<<"$READY")" true "property.location is there (object or null)"
is "$(jq -r '.billingInfo | [has("iguideType"), has("package"), (.addons | type), has("billableAreaSqFeet"), has("billableAreaSqMeters")] | map(tostring) | join(" ")' <<<"$READY")" \
   "true true array true true" "billingInfo has iguideType, package, addons[], billable areas"
is "$(jq -r '.summary | type' <<<"$READY")" object "summary is the view summary (an object)"
TOK=$(jq -r '.authtoken // empty' <<<"$READY")
ok "$([ ${#TOK} -ge 16 ]; echo $?)" "authtoken is there"

# The bytes received are the bytes stored (serialised once).
EV=$(jq -r .webhookId <<<"$R")
stored=$(sqlite3 "$GP_DATA/guidepost.db" "select hex(body) from webhook_events where id = '$EV'")
got=$(jq -r .bodyBase64 <<<"$R" | base64 -d | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
is "$got" "$stored" "the body received is byte for byte webhook_events.body"

# ---- the status-change entry ----------------------------------------------------------------------
is "$(wh_count '.path == "/ok/status" and (.body | fromjson | .type) != "workorder.status_changed"')" 0 \
   "the status-change URL gets nothing but workorder.status_changed (no ready)"
is "$(wh_bodies '.path == "/ok/status"' | jq -r '"\(.from)>\(.to)"' | sort | tr '\n' ' ')" \
   "empty>pending_draft pending_draft>pending_qa pending_publish>done pending_qa>pending_publish " \
   "it gets each status change of the work order once (from, to)"
is "$(wh_bodies '.path == "/ok/status"' | jq -r '[.iguideId, .workOrderId] | join(" ")' | sort -u)" "$IG $WO" \
   "each names the iGUIDE and the work order"
is "$(wh_requests '.path == "/ok/status"' | jq -r .webhookId | sort -u | wc -l)" "$(wh_count '.path == "/ok/status"')" \
   "each has its own webhook-id"
is "$(wh_count '.path == "/ok/status" and .verified != true')" 0 "standardwebhooks verifies every one"
is "$(wh_count '.path == "/ok/star" and (.body | fromjson | .type) != "ready"')" 0 "the \"*\" entry gets no status changes"
whverify --min 5
ok $? "Python's recomputed HMAC matches every request the receiver got"

# ---- the event log ----------------------------------------------------------------------------------
api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready"
is "$STATUS" 200 "GET /webhookEvents?iguideId=&type=ready"
is "$(jb '[.events[].id] | join(" ")')" "$EV" "lists exactly the one ready event"
wh_event "$EV"
is "$STATUS" 200 "GET /webhookEvents/{id}"
is "$(jb '[.type, .iguideId, .workOrderId, .payload.eventId, .payload.authtoken] | join(" ")')" "ready $IG $WO $EV $TOK" \
   "the event names the iGUIDE and work order; its payload is the body sent"
is "$(jb '.deliveries | length')" 1 "one delivery: the \"*\" URL (the status-change URL does not take ready)"
is "$(jb '.deliveries[0] | [.url, .status, .attemptCount, .lastStatus] | map(tostring) | join(" ")')" \
   "$RCV_URL/ok/star delivered 1 204" "delivered on the first attempt, 204"
is "$(jb '.deliveries[0].attempts[0] | [.n, .httpStatus, (.errorClass // "none"), (.latencyMs | type)] | map(tostring) | join(" ")')" \
   "1 204 none number" "the attempt is logged: n, httpStatus, no error class, latency"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=workorder.status_changed&status=delivered"
is "$(jb '.events | length')" 4 "four delivered status-change events are listed"

# ---- the ready object on demand ------------------------------------------------------------------
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=$WO"
is "$STATUS" 200 "GET …/events/ready/object?taskId="
is "$(jb '[.type, .iguideId, .workOrderId, .defaultViewId, (has("eventId") | tostring)] | join(" ")')" "ready $IG $WO $DV false" \
   "the ready object, without an eventId"
ok "$([ -n "$(jb '.authtoken // empty')" ] && [ "$(jb .authtoken)" != "$TOK" ]; echo $?)" "with a fresh authtoken"
is "$(jb '.urls.publicUrl')" "$(jq -r .urls.publicUrl <<<"$READY")" "and the same urls"
RO_FULL=$(jb .property.fullAddress)
api GET "/api/v1/iguides/$IG"
is "$RO_FULL|$(jb .address.fullAddress)" "$(jq -r .property.fullAddress <<<"$READY")|$RO_FULL" \
   "the event, the object on demand and GET /iguides/{id} say the same fullAddress"
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=$WO"
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=NOSUCHWO"
is "$STATUS" 404 "an unknown work order is 404"
RW_ID=$APP_ID RW_TOKEN=$APP_TOKEN
token ro iguide.ro
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=$WO"
is "$STATUS" 403 "iguide.ro alone may not read the ready object"
APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN

# ---- the authtoken opens the protected default view, for 21 days ---------------------------------
api GET "/api/v1/views/$DV"
is "$(jb .isProtected)" true "the commercial iGUIDE's default view is protected"
view "/$DV"
is "$STATUS" 302 "without the token the view redirects to sign-in"
view "/$DV?authtoken=$TOK"
is "$STATUS" 200 "with the ready event's authtoken it opens (200)"
clock_advance $((20 * 86400))
view "/$DV?authtoken=$TOK"
is "$STATUS" 200 "20 days later it still opens"
clock_advance $((86400 + 120))
view "/$DV?authtoken=$TOK"
is "$STATUS" 302 "21 days (and 2 minutes) later it no longer does (302)"
is "$(wh_count '.path == "/ok/star"')" 1 "the clock's 21 days sent nothing more to the \"*\" URL"

# ---- a rotation: both secrets sign for a day; a receiver knowing either one verifies ------------
OLD=$WEBHOOK_SECRET
token keys credentials.manage
api POST /api/v1/webhookSecret/rotate
is "$STATUS" 200 "POST /webhookSecret/rotate"
NEW=$(jb '.secret // empty')
ok "$([[ $NEW == whsec_* ]] && [ "$NEW" != "$OLD" ]; echo $?)" "answers a new secret"
is "$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>>"$T_TMP/cli.log")" "$NEW" "which is now the current one"
stop_receiver
WEBHOOK_SECRET=$NEW start_receiver   # the same port, knowing only the new secret
is "$(tr '\0' '\n' <"/proc/$RCV_PID/environ" | sed -n 's/^WEBHOOK_SECRET=//p')" "$NEW" "(the receiver now knows only the new secret)"
APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN
dispatch
wait_for 1 ".webhookId == \"$EV\"" 10
R=$(wh_requests ".webhookId == \"$EV\"" | head -n 1)
like "$(jq -r .webhookSignature <<<"$R")" '^v1,[^ ]+ v1,[^ ]+$' "an event after the rotation carries two signatures"
is "$(jq -r .verified <<<"$R")" true "standardwebhooks verifies it with the new secret alone"
whverify --secret "$OLD" --path-prefix /ok/star
ok $? "Python verifies every request with the old secret alone (the first and the one after the rotation)"

done_testing
