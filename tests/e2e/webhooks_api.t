#!/usr/bin/env bash
# Webhooks, the event side (issue 10; docs/webhooks.md, docs/api.md): registration rules (20
# entries, the event names, https:// unless --webhook-allow-private), PUT …/webhooks, the ready
# event of a publication (one delivery per matching URL, the body's fields, its authtoken opening
# the protected default view), the ready object and dispatch, workorder.status_changed, view.deleted,
# view.expired across midnight UTC on the test clock (once), iguide.deleted, the log's filters and
# paging, the CLI, and the scopes. Nothing is sent: --webhook-threads 0 (delivery is
# webhooks_delivery tests' business), so every delivery stays pending.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

R1=http://127.0.0.1:9/r1 R2=http://127.0.0.1:9/r2 R3=http://127.0.0.1:9/r3
body_with() { jq -c --argjson w "$1" '.industry = "commercial" | .webhooks = $w' <<<"$TUTORIAL_IGUIDE"; }

# ---- without --webhook-allow-private: https:// only ----------------------------------------------
start_server --stage-seconds 0 --webhook-threads 0
token hooks iguide.rw,iguide.ro,iguide.tasks,iguide.events
api POST /api/v1/iguides -d "$(body_with '[{"event":"*","url":"http://example.com/h"}]')"
is "$STATUS $(jb .code)" "400 invalid_argument" "plain http:// is refused without --webhook-allow-private"
like "$(jb .message)" '^webhooks\[0\]\.url must be an https:// URL' "... naming the entry"
api POST /api/v1/iguides -d "$(body_with '[{"event":"*","url":"https://example.com/h"}]')"
is "$STATUS" 200 "https:// is accepted"
stop_server

# ---- with it --------------------------------------------------------------------------------------
start_server --stage-seconds 0 --webhook-allow-private --webhook-threads 0 --test-clock
many=$(jq -c -n '[range(21) | {"event":"*","url":"https://example.com/\(.)"}]')
api POST /api/v1/iguides -d "$(body_with "$many")"
is "$STATUS" 400 "21 entries are refused"
like "$(jb .message)" "at most 20" "... saying the bound"
api POST /api/v1/iguides -d "$(body_with "$(jq -c '.[0:20]' <<<"$many")")"
is "$STATUS" 200 "20 entries are accepted"
api POST /api/v1/iguides -d "$(body_with '[{"event":"*","url":"https://a.example"},{"event":"created","url":"https://a.example"}]')"
is "$STATUS" 400 "an unknown event is refused"
like "$(jb .message)" '^webhooks\[1\]\.event must be one of: \*, ready, view\.expired, view\.deleted, iguide\.deleted, workorder\.status_changed' \
     "... naming the entry and the events"
api POST /api/v1/iguides -d "$(body_with '[{"event":"ready","url":"ftp://a.example/x"}]')"
is "$STATUS" 400 "an ftp:// URL is refused"
like "$(jb .message)" '^webhooks\[0\]\.url must be an absolute http\(s\) URL' "... naming the entry"
for u in 'https://' 'https://a b.example/' 'https://user@a.example/' 'https://a.example:0/' \
         'https://a.example:99999/' 'https://-a.example/'; do
  api POST /api/v1/iguides -d "$(body_with "[{\"event\":\"ready\",\"url\":\"$u\"}]")"
  is "$STATUS" 400 "URL '$u' is refused"
done
api POST /api/v1/iguides -d "$(body_with "[{\"event\":\"ready\",\"url\":\"https://[::1]:8443/h?x=1\"}]")"
is "$STATUS" 200 "an IPv6 literal with a port and a query is accepted"

# The iGUIDE of the flow: R1 twice ("*" and "ready" are one URL), R2 for ready, R3 for the rest.
HOOKS=$(jq -c -n --arg a "$R1" --arg b "$R2" --arg c "$R3" '[{"event":"*","url":$a},{"event":"ready","url":$a},
  {"event":"ready","url":$b},{"event":"workorder.status_changed","url":$c},{"event":"view.deleted","url":$c},
  {"event":"view.expired","url":$c},{"event":"iguide.deleted","url":$c}]')
api POST /api/v1/iguides -d "$(body_with '[]')"
IG=$(jb .id)
api PUT /api/v1/iguides/$IG/webhooks -d "{\"webhooks\":$HOOKS}"
is "$STATUS" 200 "PUT …/webhooks replaces the list"
is "$(jq -c .webhooks <<<"$BODY")" "$HOOKS" "... answering it"
api GET /api/v1/iguides/$IG
is "$(jq -c .webhooks <<<"$BODY")" "$HOOKS" "GET /iguides/{id} shows the list as given"
api PUT /api/v1/iguides/igAAAAAAAAAAAAA/webhooks -d '{"webhooks":[]}'
is "$STATUS" 404 "PUT …/webhooks of an unknown iGUIDE is 404"
api PUT /api/v1/iguides/$IG/webhooks -d '{"webhooks":[{"event":"*","url":"https://a.example"},{"event":"*","url":"mailto:x"}]}'
is "$STATUS $(jb .message | cut -c1-15)" "400 webhooks[1].url" "a bad list is refused, naming the entry"
api PUT /api/v1/iguides/$IG/webhooks -d '{}'
is "$STATUS" 400 "webhooks is required"
sqlite3 "$GP_DATA/guidepost.db" "insert into webhook_disabled values ('$IG', '$R2', 'gone', 1)"
api PUT /api/v1/iguides/$IG/webhooks -d "{\"webhooks\":$HOOKS}"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_disabled where iguide_id='$IG'")" 0 \
   "replacing the list re-enables URLs a 410 disabled"

# ---- publish: the tutorial's flow ----------------------------------------------------------------
api GET /api/v1/iguides/$IG
WO=$(jb '.workOrders[0].id') DV=$(jb '.views[0].id') ALIAS=$(jb .alias)
upload_sample --levels 2 --rooms 4 --panos 2
is "$STATUS" 200 "/process accepts the upload"
wait_done
is "$WO_STATUS" done "the work order is published"

api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready"
is "$STATUS $(jb '.events | length')" "200 1" "one ready event"
EV=$(jb '.events[0].id')
like "$EV" '^msg_[0-9A-Z]{24}$' "... with a msg_ id"
is "$(jb '[.events[0].deliveries[].url] | sort | join(" ")')" "$R1 $R2" "... one delivery per matching URL"
is "$(jb '[.events[0].deliveries[].status] | unique | join(" ")')" pending "... pending (nothing sends here)"
is "$(jb '.events[0].workOrderId + " " + .events[0].iguideId')" "$WO $IG" "... naming the work order and iGUIDE"
api GET /api/v1/webhookEvents/$EV
is "$STATUS" 200 "GET /webhookEvents/{id}"
P=$(jq -c .payload <<<"$BODY")
is "$(jq -r '[.type, .eventId, .iguideId, .workOrderId, .defaultViewId, .iguideAlias] | join(" ")' <<<"$P")" \
   "ready $EV $IG $WO $DV $ALIAS" "the body: type, eventId, iguideId, workOrderId, defaultViewId, iguideAlias"
like "$(jq -r .occurredAt <<<"$P")" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$' "... occurredAt in RFC 3339 with ms"
is "$(jq -r .urls.publicUrl <<<"$P")" "$GP_URL/$DV" "... urls.publicUrl"
is "$(jq -r .urls.embeddedUrl <<<"$P")" "$GP_URL/embed/$DV" "... urls.embeddedUrl"
is "$(jq -r .urls.manageUrl <<<"$P")" "$GP_URL/iguides/edit/$IG" "... urls.manageUrl"
is "$(jq -r .urls.mediaUrls.en.pdfMetric <<<"$P")" "$GP_URL/$DV/doc/floorplan_metric_en.pdf" "... mediaUrls.en.pdfMetric"
is "$(jq -r '.urls.mediaUrls.en.jpgImperial | length' <<<"$P")" 2 "... a JPEG per floor"
is "$(jq -r '[.property.city, .property.streetNumber, .property.country] | join(" ")' <<<"$P")" "Waterloo 200 CA" "... property"
is "$(jq -r .property.location <<<"$P")" null "... with no location (Guidepost does not geocode)"
like "$(jq -r '.summary.buildings[0].intAreaTotal' <<<"$P")" '^[0-9.]+$' "... the view summary"
is "$(jq -r '.billingInfo.iguideType + " " + (.billingInfo.addons | length | tostring)' <<<"$P")" "standard 0" "... billingInfo"
like "$(jq -r .billingInfo.billableAreaSqMeters <<<"$P")" '^[1-9][0-9]*(\.[0-9]+)?$' "... the billable area in m²"
is "$(jq -r '(.billingInfo.billableAreaSqFeet / .billingInfo.billableAreaSqMeters * 100 | round)' <<<"$P")" 1076 \
   "... and in sq ft"
is "$(jq -r .banner <<<"$P")" null "... banner null (Guidepost has no banner data)"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select body from webhook_events where id='$EV'" | jq -c .)" "$P" \
   "the stored body is the payload"
TOK=$(jq -r .authtoken <<<"$P")
like "$TOK" '^gpat_[A-Za-z0-9_-]{43}$' "... authtoken is a view access token"
code() { curl -sS -o /dev/null -w '%{http_code}' "$GP_URL$1"; }
is "$(code "/$DV")" 302 "the protected default view sends strangers to sign in"
is "$(code "/$DV?authtoken=$TOK")" 200 "... and opens with the event's authtoken"
is "$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "$GP_URL/iguides/edit/$IG")" "302 $GP_URL/$DV" \
   "manageUrl leads to the default view (Guidepost has no Portal UI)"

# workorder.status_changed: to R3 only, every move of the work order.
api GET "/api/v1/webhookEvents?iguideId=$IG&type=workorder.status_changed&limit=100"
is "$(jb '[.events[] | .payload // empty] | length')" 0 "the list leaves the payload out"
is "$(jb '[.events[].deliveries[].url] | unique | join(" ")')" "$R3" "workorder.status_changed goes only to the entry naming it"
SC=$(sqlite3 "$GP_DATA/guidepost.db" "select body from webhook_events where type='workorder.status_changed' and iguide_id='$IG' order by seq" \
     | jq -r '.from + ">" + .to' | paste -sd' ')
is "$SC" "empty>pending_draft pending_draft>pending_qa pending_qa>pending_publish pending_publish>done" \
   "... one event per move, with from and to"

# ---- the ready object and dispatch ---------------------------------------------------------------
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=$WO"
is "$STATUS $(jb .type) $(jb .eventId)" "200 ready null" "GET …/events/ready/object: the object, no eventId"
is "$(jb .workOrderId) $(jb .defaultViewId)" "$WO $DV" "... for the work order"
OTOK=$(jb .authtoken)
ok "$([ -n "$OTOK" ] && [ "$OTOK" != "$TOK" ]; echo $?)" "... with a fresh authtoken"
is "$(code "/$DV?authtoken=$OTOK")" 200 "... that opens the view"
api GET "/api/v1/iguides/$IG/events/ready/object"
is "$STATUS" 400 "taskId is required"
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=ZZZZZZ"
is "$STATUS" 404 "an unknown work order is 404"
api GET "/api/v1/iguides/igAAAAAAAAAAAAA/events/ready/object?taskId=$WO"
is "$STATUS" 404 "an unknown iGUIDE is 404"
api POST /api/v1/iguides -d "$(body_with '[]')"
IG2=$(jb .id) WO2=$(jb .workOrderId)
api GET "/api/v1/iguides/$IG2/events/ready/object?taskId=$WO2"
is "$STATUS $(jb .code)" "400 failed_precondition" "a work order not done is failed_precondition"
api GET "/api/v1/iguides/$IG2/events/ready/object?taskId=$WO"
is "$STATUS" 404 "another iGUIDE's work order is 404"
api POST "/api/v1/iguides/$IG/events/ready/dispatch?taskId=$WO"
is "$STATUS" 202 "POST …/events/ready/dispatch is 202"
EV2=$(jb .eventId)
ok "$([ "$EV2" != "$EV" ] && [[ $EV2 == msg_* ]]; echo $?)" "... a new event id"
is "$(jb '[.deliveries[].url] | sort | join(" ")')" "$R1 $R2" "... delivered to the matching URLs"
like "$(jb '.deliveries[0].id')" '^whd_[0-9A-Z]{20}$' "... with their delivery ids"
D1=$(jb '.deliveries[0].id')
api GET /api/v1/webhookEvents/$EV2
TOK2=$(jb .payload.authtoken)
ok "$([ -n "$TOK2" ] && [ "$TOK2" != "$TOK" ] && [ "$TOK2" != "$OTOK" ]; echo $?)" "... with a new authtoken"
is "$(jb .payload.eventId)" "$EV2" "... whose body carries the new id"
api POST "/api/v1/iguides/$IG2/events/ready/dispatch?taskId=$WO2"
is "$STATUS $(jb .code)" "400 failed_precondition" "dispatch of a work order not done is failed_precondition"
api GET /api/v1/webhookEvents/msg_AAAAAAAAAAAAAAAAAAAAAAAA
is "$STATUS" 404 "an unknown event is 404"
api GET /api/v1/webhookEvents/nope
is "$STATUS" 404 "a malformed event id is 404"

# ---- view.deleted ---------------------------------------------------------------------------------
api POST /api/v1/iguides/$IG/views -d '{}'
V2=$(jb .id)
api DELETE /api/v1/views/$V2
is "$STATUS" 200 "a view is deleted"
api DELETE /api/v1/views/$V2
is "$STATUS" 404 "... once"
api DELETE /api/v1/views/$DV
is "$STATUS" 403 "the default view is not deleted"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=view.deleted"
is "$(jb '.events | length') $(jb '.events[0].viewId')" "1 $V2" "one view.deleted event, for that view"
is "$(jb '.events[0].deliveries[0].url')" "$R3" "... to the entry naming it"
api GET "/api/v1/webhookEvents?iguideId=$IG2"
is "$(jb '.events | length')" 0 "an iGUIDE whose list names nothing has no Guidepost events"

# ---- filters and paging ---------------------------------------------------------------------------
api GET "/api/v1/webhookEvents?iguideId=$IG&limit=2"
is "$(jb '.events | length')" 2 "limit=2 gives two events"
first=$(jb '[.events[].id] | join(" ")') cur=$(jb .nextCursor)
is "${first%% *}" "$(sqlite3 "$GP_DATA/guidepost.db" "select id from webhook_events where iguide_id='$IG' order by seq desc limit 1")" \
   "... newest first"
api GET "/api/v1/webhookEvents?iguideId=$IG&limit=2&cursor=$cur"
is "$STATUS" 200 "the next page"
second=$(jb '[.events[].id] | join(" ")')
ok "$([ -n "$second" ] && [[ " $first " != *" ${second%% *} "* ]]; echo $?)" "... continues where the first stopped"
all=""; cur=""
while :; do
  api GET "/api/v1/webhookEvents?iguideId=$IG&limit=3${cur:+&cursor=$cur}"
  all="$all $(jb '[.events[].id] | join(" ")')"; cur=$(jb '.nextCursor // empty')
  [ -z "$cur" ] && break
done
total=$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_events where iguide_id='$IG'")
is "$(wc -w <<<"$all") $(tr ' ' '\n' <<<"$all" | sed '/^$/d' | sort -u | wc -l)" "$total $total" "paging visits every event once"
api GET "/api/v1/webhookEvents?iguideId=$IG&status=pending&type=ready"
is "$(jb '.events | length')" 2 "status=pending finds both ready events"
api GET "/api/v1/webhookEvents?iguideId=$IG&status=delivered"
is "$(jb '.events | length')" 0 "status=delivered finds none"
api GET "/api/v1/webhookEvents?iguideId=$IG&since=2999-01-01T00:00:00Z"
is "$(jb '.events | length')" 0 "since in the future finds none"
for q in type=created status=sent since=yesterday limit=0 limit=101 cursor=bogus iguideId=x; do
  api GET "/api/v1/webhookEvents?$q"
  is "$STATUS $(jb .code)" "400 invalid_argument" "?$q is refused"
done

# ---- the CLI --------------------------------------------------------------------------------------
out=$("$GP_BIN" webhook events --data "$GP_DATA" --iguide "$IG" --type ready 2>>"$T_TMP/cli.log")
is "$(wc -l <<<"$out")" 2 "webhook events prints one line per event"
is "$(head -1 <<<"$out" | jq -r .id)" "$EV2" "... newest first"
out=$("$GP_BIN" webhook attempts "$EV" --data "$GP_DATA" 2>>"$T_TMP/cli.log")
is "$(jq -r '.payload.eventId + " " + (.deliveries | length | tostring) + " " + (.deliveries[0].attempts | length | tostring)' <<<"$out")" \
   "$EV 2 0" "webhook attempts msg_… prints the event with its deliveries and attempts"
out=$("$GP_BIN" webhook attempts "$D1" --data "$GP_DATA" 2>>"$T_TMP/cli.log")
is "$(jq -r .id <<<"$out")" "$EV2" "webhook attempts whd_… prints the delivery's event"
"$GP_BIN" webhook attempts nope --data "$GP_DATA" 2>>"$T_TMP/cli.log"
is "$?" 2 "a malformed id is a usage error"

# ---- scopes ---------------------------------------------------------------------------------------
SAVE_ID=$APP_ID SAVE_TOKEN=$APP_TOKEN
token ev iguide.events
api GET "/api/v1/webhookEvents?iguideId=$IG"
is "$STATUS" 200 "iguide.events reads the log"
api POST "/api/v1/iguides/$IG/events/ready/dispatch?taskId=$WO"
is "$STATUS" 202 "iguide.events may dispatch"
token ro iguide.ro
api GET "/api/v1/webhookEvents/$EV"
is "$STATUS" 200 "iguide.ro reads the log"
api GET "/api/v1/iguides/$IG/events/ready/object?taskId=$WO"
is "$STATUS" 403 "iguide.ro may not mint a ready object"
api PUT /api/v1/iguides/$IG/webhooks -d '{"webhooks":[]}'
is "$STATUS" 403 "iguide.ro may not change the list"
APP_ID=$SAVE_ID APP_TOKEN=$SAVE_TOKEN

# ---- view.expired: once, when the midnight UTC after expiresAt has passed ------------------------
expired() { sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_events where type='view.expired' and iguide_id='$IG'"; }
api GET /api/v1/views/$DV
EXP=$(jb .expiresAt)
clock "{\"now\":\"$(date -u -d "${EXP%Z} UTC" +%Y-%m-%dT23:59:00Z)\"}"
sleep 1.5
is "$(expired)" 0 "no view.expired on the day it expires"
clock '{"advanceSeconds":120}'
for _ in $(seq 1 50); do [ "$(expired)" = 1 ] && break; sleep 0.1; done
is "$(expired)" 1 "view.expired once the midnight UTC after expiresAt has passed"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=view.expired"
is "$(jb '.events[0].viewId') $(jb '.events[0].deliveries[0].url')" "$DV $R3" "... for the default view, to the entry naming it"
api GET "/api/v1/webhookEvents/$(jb '.events[0].id')"
is "$(jb .payload.expiresAt | cut -c1-10)" "${EXP:0:10}" "... with its expiresAt"
clock '{"advanceSeconds":86400}'
sleep 1.5
is "$(expired)" 1 "... and only once"
api PUT /api/v1/views/$DV/expires -d "{\"expiresAt\":\"$(date -u -d "${EXP%Z} UTC + 3 days" +%Y-%m-%dT%H:%M:%SZ)\"}"
is "$STATUS" 200 "a new expiry date"
clock '{"advanceSeconds":432000}'
for _ in $(seq 1 50); do [ "$(expired)" = 2 ] && break; sleep 0.1; done
is "$(expired)" 2 "... is reported again when it passes"

# ---- iguide.deleted ------------------------------------------------------------------------------
token late iguide.rw,iguide.ro
api DELETE /api/v1/iguides/$IG
is "$STATUS" 200 "the iGUIDE is deleted"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=iguide.deleted"
is "$(jb '.events | length') $(jb '.events[0].deliveries[0].url')" "1 $R3" "one iguide.deleted event, to the entry naming it"
api GET "/api/v1/webhookEvents/$(jb '.events[0].id')"
is "$(jb .payload.iguideAlias) $(jb .payload.iguideId)" "$ALIAS $IG" "... with the iGUIDE's id and alias"
api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready"
is "$(jb '.events | length')" 3 "the iGUIDE's events outlive it"

done_testing
