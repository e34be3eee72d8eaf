#!/usr/bin/env bash
# Views through the Portal API, row by row against the View access, expiration & deletion guide:
# access-mode defaults per industry, expiry defaults and limits, day-granular locking across
# midnight UTC on a frozen test clock, the three expiration endpoints (per view: any future date;
# batch: clamped to 10 years), deletion (default view 403, others gone for good), the Portal API
# unaffected by locking; plus scopes, ids, and malformed bodies.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock --rate-limit 0   # the frozen clock would never end a rate window
token ro iguide.ro --expires-in 3660
RO_ID=$APP_ID RO_TOKEN=$APP_TOKEN
token list iguide.list --expires-in 3660
LIST_ID=$APP_ID LIST_TOKEN=$APP_TOKEN
token rw iguide.rw --expires-in 3660
RW_ID=$APP_ID RW_TOKEN=$APP_TOKEN

as_rw() { APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN; }
as_ro() { APP_ID=$RO_ID APP_TOKEN=$RO_TOKEN; }
# clock RFC3339: stands the server's clock exactly there, frozen.
clock() { APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$1\", \"freeze\": true}"; }
# new_iguide JQ: creates an iGUIDE from the tutorial body edited by JQ; sets IG and DV.
new_iguide() {
  api POST /api/v1/iguides -d "$(jq -c "$1" <<<"$TUTORIAL_IGUIDE")"
  IG=$(jb .id) DV=$(jb .defaultViewId)
}
# new_view IGUIDE BODY: POST /iguides/{id}/views; sets VID.
new_view() { api POST "/api/v1/iguides/$1/views" -d "$2"; VID=$(jb .id); }
# err_is STATUS CODE DESCRIPTION: the last answer is STATUS with {"code": CODE, "message": "…"}.
err_is() {
  is "$STATUS $(jq -r '[.code, (.message | type == "string" and length > 0)] | map(tostring) | join(" ")' <<<"$BODY" 2>/dev/null)" \
     "$1 $2 true" "$3"
}

Y=$(( $(date -u +%Y) + 1 ))          # next year: every date below stays inside the tokens' lifetime
T0="$Y-03-10T09:00:00Z"
clock "$T0"
is "$(jb .now) $(jb .frozen)" "$Y-03-10T09:00:00.000Z true" "the test clock stands frozen at T0"

as_rw
new_iguide '.'
RES=$IG RES_DV=$DV

# ---- View access modes: "Public … Default for Residential iGUIDEs; Protected … Commercial, IRC, AEC"
new_view "$RES" '{}'
is "$STATUS" 200 "POST /iguides/{id}/views creates a view"
V1=$VID
like "$V1" '^v[0-9A-HJKMNP-TV-Z]{13}$' "a view id is v + 13 Crockford base-32 characters"
is "$(jb '[.isDefault, .iguideId] | map(tostring) | join(" ")')" "false $RES" "an additional view is not the default and names its iGUIDE"
is "$(jb 'keys_unsorted | join(",")')" \
   "id,iguideId,isDefault,isProtected,expiresAt,locked,bannerId,description,measStd,viewers,viewerGroups,createdAt,updatedAt" \
   "the view object carries every view field"
is "$(jb .isProtected)" false "access modes: a Residential iGUIDE's new view is Public by default"
api GET /api/v1/iguides/$RES/views
is "$(jb '.views[0] | [.id, .isDefault, .isProtected] | map(tostring) | join(" ")')" "$RES_DV true false" \
   "access modes: a Residential iGUIDE's default view is Public"
for ind in commercial irc aec; do
  new_iguide ".industry = \"$ind\""
  new_view "$IG" '{}'
  is "$(jb .isProtected)" true "access modes: a ${ind^^} iGUIDE's new view is Protected by default"
done
new_view "$IG" '{"isProtected": false}'
is "$(jb .isProtected)" false "isProtected given at creation overrides the industry default"
new_view "$RES" '{"isProtected": true}'
is "$(jb .isProtected)" true "a Residential iGUIDE can have a Protected view"
new_iguide '.address.country = "US" | .address.provinceState = "NY"'
new_view "$IG" '{}'
is "$(jb .measStd)" ansi "measStd defaults to ANSI for a US address"
api GET /api/v1/views/$V1
is "$(jb .measStd)" rms "measStd defaults to RMS elsewhere"

# ---- View expiration: defaults
is "$(jb .expiresAt)" "$((Y + 1))-03-10T09:00:00Z" "expiration: new views expire 1 year from creation"
is "$(jb '[.createdAt, .updatedAt, .locked] | map(tostring) | join(" ")')" "$T0 $T0 false" \
   "createdAt and updatedAt come from the server clock; a new view is not locked"
new_view "$RES" "{\"expiresAt\": \"$Y-06-15T15:30:00Z\", \"isProtected\": true, \"viewers\": [\"u1\", \"u2\"],
  \"viewerGroups\": [\"g1\"], \"description\": \"For the buyers\", \"measStd\": \"ansi\", \"bannerId\": \"b7\"}"
V2=$VID
is "$STATUS $(jb .expiresAt)" "200 $Y-06-15T15:30:00Z" "expiration: a custom expiration date can be set at creation time"
V2_FIELDS='[.isProtected, (.viewers | join(",")), (.viewerGroups | join(",")), .description, .measStd, .bannerId] | map(tostring) | join("|")'
is "$(jb "$V2_FIELDS")" "true|u1,u2|g1|For the buyers|ansi|b7" "every field given at creation is stored"
api PATCH /api/v1/views/$V1 -d "{\"expiresAt\": \"$Y-12-31T00:00:00Z\"}"
is "$STATUS $(jb .expiresAt)" "200 $Y-12-31T00:00:00Z" "expiration: the date can be updated later (PATCH /views/{id})"
api GET /api/v1/views/$V1
is "$(jb .expiresAt)" "$Y-12-31T00:00:00Z" "the updated date is stored"

# Create/update limits (DefaultViewParams): at most 10 years ahead, at most 1 year back.
new_view "$RES" "{\"expiresAt\": \"$((Y + 10))-03-10T09:00:00Z\"}"
is "$STATUS $(jb .expiresAt)" "200 $((Y + 10))-03-10T09:00:00Z" "create: expiresAt exactly 10 years ahead is accepted"
V3=$VID
new_view "$RES" "{\"expiresAt\": \"$((Y + 10))-03-10T09:00:01Z\"}"
err_is 400 invalid_argument "create: expiresAt one second past 10 years ahead is 400 invalid_argument"
new_view "$RES" "{\"expiresAt\": \"$((Y - 1))-03-10T09:00:00Z\"}"
is "$STATUS $(jb .locked)" "200 true" "create: expiresAt exactly 1 year back is accepted, and the past date locks the view"
new_view "$RES" "{\"expiresAt\": \"$((Y - 1))-03-10T08:59:59Z\"}"
err_is 400 invalid_argument "create: expiresAt more than 1 year back is 400 invalid_argument"
like "$(jb .message)" "expiresAt must be at most 1 year in the past" "the message names the field and the limit"
api PATCH /api/v1/views/$V3 -d "{\"expiresAt\": \"$((Y + 10))-03-10T09:00:01Z\"}"
err_is 400 invalid_argument "update: expiresAt past 10 years ahead is 400 invalid_argument"
api PATCH /api/v1/views/$V3 -d "{\"expiresAt\": \"$((Y - 1))-03-10T08:59:59Z\"}"
err_is 400 invalid_argument "update: expiresAt more than 1 year back is 400 invalid_argument"
api GET /api/v1/views/$V3
is "$(jb .expiresAt)" "$((Y + 10))-03-10T09:00:00Z" "a refused update changes nothing"
api PATCH /api/v1/views/$V3 -d "{\"expiresAt\": \"$((Y - 1))-03-10T09:00:00Z\"}"
is "$STATUS $(jb .locked)" "200 true" "update: exactly 1 year back is accepted and locks the view"
api PATCH /api/v1/views/$V3 -d "{\"expiresAt\": \"$((Y + 10))-03-10T09:00:00Z\"}"
is "$STATUS $(jb .locked)" "200 false" "update: exactly 10 years ahead is accepted; extending the date unlocks the view"

# PATCH changes only what it names.
api PATCH /api/v1/views/$V2 -d '{"description": "Second showing", "viewers": ["u3"], "bannerId": null}'
is "$STATUS $(jb "$V2_FIELDS")" "200 true|u3|g1|Second showing|ansi|null" "PATCH updates the fields given and keeps the others"
api PATCH /api/v1/views/$V2 -d '{"isProtected": false, "measStd": "rms", "viewerGroups": []}'
is "$(jb "$V2_FIELDS") $(jb .expiresAt)" "false|u3||Second showing|rms|null $Y-06-15T15:30:00Z" "PATCH isProtected, measStd and viewerGroups"
is "$(jb .updatedAt) $(jb .createdAt)" "$T0 $T0" "updatedAt moves with the server clock (frozen here)"
api PATCH /api/v1/views/$V2 -d '{"isProtected": true, "viewers": ["u1","u2"], "viewerGroups": ["g1"], "description": "For the buyers", "measStd": "ansi", "bannerId": "b7"}'
is "$(jb "$V2_FIELDS")" "true|u1,u2|g1|For the buyers|ansi|b7" "PATCH every field back"

# ---- Day granularity: locked from 00:00 UTC of the day after expiresAt ($Y-06-15T15:30:00Z).
clock "$Y-06-15T15:30:00Z"
api GET /api/v1/views/$V2
is "$(jb .locked)" false "day granularity: at the expiresAt instant itself the view is not locked"
clock "$Y-06-15T23:59:59Z"
api GET /api/v1/views/$V2
is "$(jb .locked)" false "day granularity: one second before 00:00 UTC of the day after expiresAt, not locked"
clock "$Y-06-16T00:00:00Z"
api GET /api/v1/views/$V2
is "$(jb .locked)" true "day granularity: at 00:00:00 UTC of the day after expiresAt, locked"

# ---- "Portal API: Not affected — you can still read, update, and extend the view"
is "$STATUS" 200 "Portal API not affected: a locked view can still be read"
api GET /api/v1/iguides/$RES/views
is "$(jq -r --arg v "$V2" '.views[] | select(.id == $v) | .locked' <<<"$BODY")" true "a locked view is listed, shown as locked"
api GET /api/v1/iguides/$RES/views/$V2
is "$STATUS $(jb .locked)" "200 true" "a locked view can be read under its iGUIDE"
api PATCH /api/v1/views/$V2 -d '{"description": "Still editable"}'
is "$STATUS $(jb .description) $(jb .locked)" "200 Still editable true" "Portal API not affected: a locked view can still be updated"
is "$(jb '[.isProtected, (.viewers | join(",")), (.viewerGroups | join(",")), .measStd, .bannerId, .expiresAt] | map(tostring) | join("|")')" \
   "true|u1,u2|g1|ansi|b7|$Y-06-15T15:30:00Z" "expiration does not delete any data"
api PUT /api/v1/views/$V2/expires -d "{\"expiresAt\": \"$Y-06-16T12:00:00Z\"}"
is "$STATUS $(jb .expiresAt) $(jb .locked)" "200 $Y-06-16T12:00:00Z false" \
   "Portal API not affected: a locked view can be extended, and extending restores access"
api GET /api/v1/views/$V2
is "$(jb .locked) $(jb .expiresAt)" "false $Y-06-16T12:00:00Z" "the extension is stored"
api PATCH /api/v1/views/$V2 -d "{\"expiresAt\": \"$Y-06-15T00:00:00Z\"}"
is "$(jb .locked)" true "a past expiresAt set by PATCH locks the view"
api PATCH /api/v1/views/$V2 -d "{\"expiresAt\": \"$Y-06-16T00:00:00Z\"}"
is "$(jb .locked)" false "PATCH to today unlocks it again (open until 00:00 UTC tomorrow)"

# ---- Extending expiration: the per-view endpoint accepts any future date.
api PUT /api/v1/views/$V1/expires -d "{\"expiresAt\": \"$((Y + 20))-02-17T00:00:00Z\"}"
is "$STATUS $(jb .expiresAt)" "200 $((Y + 20))-02-17T00:00:00Z" "PUT /views/{id}/expires accepts a date 20 years ahead (no 10-year cap)"
api GET /api/v1/views/$V1
is "$(jb .expiresAt)" "$((Y + 20))-02-17T00:00:00Z" "the 20-year date is stored as given"
api PUT /api/v1/views/$V1/expires -d "{\"expiresAt\": \"$Y-06-16T00:00:00Z\"}"
err_is 400 invalid_argument "PUT /views/{id}/expires: a date that is not in the future (now) is 400"
api PUT /api/v1/views/$V1/expires -d "{\"expiresAt\": \"$Y-01-01T00:00:00Z\"}"
err_is 400 invalid_argument "PUT /views/{id}/expires: a past date is 400"
api PUT /api/v1/views/$V1/expires -d '{}'
err_is 400 invalid_argument "PUT /views/{id}/expires: expiresAt is required"

# The batch endpoint ("Update View Expiration Dates") clamps to 10 years from today.
api GET /api/v1/iguides/$RES/views
NVIEWS=$(jb '.views | length')
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$((Y + 20))-01-01T00:00:00Z\"}"
is "$STATUS $(jb '.views | length')" "200 $NVIEWS" "PUT /iguides/{id}/views/expires answers every view of the iGUIDE"
is "$(jb '[.views[].expiresAt] | unique | join(",")')" "$((Y + 10))-06-16T00:00:00Z" \
   "the batch endpoint clamps a date 20 years ahead to 10 years from today"
api GET /api/v1/views/$RES_DV
is "$(jb .expiresAt)" "$((Y + 10))-06-16T00:00:00Z" "the clamped date is what is stored (default view)"
api GET /api/v1/views/$V1
is "$(jb .expiresAt)" "$((Y + 10))-06-16T00:00:00Z" "the clamped date is what is stored (additional view)"
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$Y-11-30T00:00:00Z\"}"
is "$(jb '[.views[].expiresAt] | unique | join(",")')" "$Y-11-30T00:00:00Z" "a batch date within 10 years is kept as given"
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$Y-06-01T00:00:00Z\"}"
err_is 400 invalid_argument "the batch endpoint refuses a past date"
api PATCH /api/v1/views/$V1 -d "{\"expiresAt\": \"$Y-06-01T00:00:00Z\"}"
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$Y-12-01T00:00:00Z\"}"
is "$(jb '[.views[].locked] | unique | map(tostring) | join(",")')" false "the batch endpoint unlocks a locked view"

# The per-iGUIDE endpoint PUT /iguides/{id}/expires: all views at once, same rules as the batch.
api PUT /api/v1/iguides/$RES/expires -d "{\"expiresAt\": \"$((Y + 1))-02-17T00:00:00Z\"}"
is "$STATUS $(jb '[.views[].expiresAt] | unique | join(",")') $(jb '.views | length')" \
   "200 $((Y + 1))-02-17T00:00:00Z $NVIEWS" "PUT /iguides/{id}/expires sets every view of the iGUIDE"
api GET /api/v1/views/$V2
is "$(jb .expiresAt)" "$((Y + 1))-02-17T00:00:00Z" "and it is stored"
api PUT /api/v1/iguides/$RES/expires -d "{\"expiresAt\": \"$((Y + 30))-01-01T00:00:00Z\"}"
is "$(jb '[.views[].expiresAt] | unique | join(",")')" "$((Y + 10))-06-16T00:00:00Z" "PUT /iguides/{id}/expires clamps to 10 years from today"
api PUT /api/v1/iguides/$RES/expires -d "{\"expiresAt\": \"$Y-06-15T23:59:59Z\"}"
err_is 400 invalid_argument "PUT /iguides/{id}/expires refuses a past date"
# Other iGUIDEs are untouched.
new_iguide '.'
OTHER=$IG OTHER_DV=$DV
api PUT /api/v1/iguides/$RES/expires -d "{\"expiresAt\": \"$Y-08-01T00:00:00Z\"}"
api GET /api/v1/views/$OTHER_DV
is "$(jb .expiresAt)" "$((Y + 1))-06-16T00:00:00Z" "an iGUIDE's expiration endpoints leave other iGUIDEs' views alone"

# ---- View deletion
api DELETE /api/v1/views/$RES_DV
err_is 403 permission_denied "deletion: the default view can never be deleted (403 permission_denied)"
api GET /api/v1/views/$RES_DV
is "$STATUS $(jb .isDefault)" "200 true" "the default view is still there"
api DELETE /api/v1/views/$V3
is "$STATUS $(jb '[.id, .deleted] | map(tostring) | join(" ")')" "200 $V3 true" "deletion: an additional view can be deleted"
api GET /api/v1/views/$V3
err_is 404 not_found "a deleted view answers 404 on GET /views/{id}"
api GET /api/v1/iguides/$RES/views/$V3
err_is 404 not_found "and on GET /iguides/{id}/views/{viewId}"
api PATCH /api/v1/views/$V3 -d '{"description": "x"}'
err_is 404 not_found "and on PATCH"
api PUT /api/v1/views/$V3/expires -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
err_is 404 not_found "and on PUT /views/{id}/expires"
api DELETE /api/v1/views/$V3
err_is 404 not_found "and on a second DELETE"
api GET /api/v1/iguides/$RES/views
is "$(jq -r --arg v "$V3" '[.views[] | select(.id == $v)] | length' <<<"$BODY") $(jb '.views | length')" "0 $((NVIEWS - 1))" \
   "deletion is permanent: the view is gone from the iGUIDE's list (not a soft delete)"
api GET /api/v1/iguides/$RES
is "$(jq -r --arg v "$V3" '[.views[] | select(.id == $v)] | length' <<<"$BODY")" 0 "and from the iGUIDE object"
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$Y-09-01T00:00:00Z\"}"
is "$(jb '.views | length')" "$((NVIEWS - 1))" "the batch endpoint does not bring it back"
new_view "$RES" '{}'
is "$STATUS" 200 "there is no undo: the view can only be recreated"
isnt_v3=$([ "$VID" != "$V3" ] && echo new || echo same)
is "$isnt_v3" new "a recreated view has a new id"
api DELETE /api/v1/views/$V2
is "$STATUS" 200 "a locked or protected additional view can be deleted too"

# ---- Views belong to their iGUIDE
api GET /api/v1/iguides/$OTHER/views/$V1
err_is 404 not_found "a view of another iGUIDE is 404 under that iGUIDE's path"
api GET /api/v1/iguides/$RES/views/$V1
is "$STATUS $(jb .id)" "200 $V1" "the same view under its own iGUIDE"
api GET /api/v1/iguides/$OTHER/views
is "$(jb '[.views[].id] | join(",")')" "$OTHER_DV" "an iGUIDE lists only its own views"
for call in "GET /api/v1/iguides/igAAAAAAAAAAAAA/views" "POST /api/v1/iguides/igAAAAAAAAAAAAA/views" \
            "PUT /api/v1/iguides/igAAAAAAAAAAAAA/views/expires" "PUT /api/v1/iguides/igAAAAAAAAAAAAA/expires" \
            "GET /api/v1/iguides/nope/views" "GET /api/v1/views/vAAAAAAAAAAAAA" "GET /api/v1/views/nope" \
            "DELETE /api/v1/views/igAAAAAAAAAAAAA"; do
  set -- $call
  api "$1" "$2" -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
  err_is 404 not_found "$call is 404"
done
api DELETE /api/v1/iguides/$OTHER
api GET /api/v1/views/$OTHER_DV
err_is 404 not_found "deleting an iGUIDE deletes its views"

# ---- Scopes: iguide.ro reads, iguide.rw writes
as_ro
api GET /api/v1/iguides/$RES/views
is "$STATUS" 200 "iguide.ro lists views"
api GET /api/v1/views/$V1
is "$STATUS" 200 "iguide.ro reads a view"
api GET /api/v1/iguides/$RES/views/$V1
is "$STATUS" 200 "iguide.ro reads a view under its iGUIDE"
api POST /api/v1/iguides/$RES/views -d '{}'
err_is 403 permission_denied "iguide.ro cannot create a view"
api PATCH /api/v1/views/$V1 -d '{"description": "x"}'
err_is 403 permission_denied "iguide.ro cannot update a view"
api DELETE /api/v1/views/$V1
err_is 403 permission_denied "iguide.ro cannot delete a view"
api PUT /api/v1/views/$V1/expires -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
err_is 403 permission_denied "iguide.ro cannot use PUT /views/{id}/expires"
api PUT /api/v1/iguides/$RES/views/expires -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
err_is 403 permission_denied "iguide.ro cannot use the batch endpoint"
api PUT /api/v1/iguides/$RES/expires -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
err_is 403 permission_denied "iguide.ro cannot use PUT /iguides/{id}/expires"
APP_ID=$LIST_ID APP_TOKEN=$LIST_TOKEN
api GET /api/v1/views/$V1
err_is 403 permission_denied "iguide.list alone cannot read a view"
APP_ID= APP_TOKEN=
api GET /api/v1/views/$V1
err_is 401 unauthenticated "no credentials: 401"
as_rw
api GET /api/v1/views/$V1
is "$(jb .description)" null "the refused writes changed nothing"

# ---- Malformed bodies: bad JSON, unknown fields, wrong types
for call in "POST /api/v1/iguides/$RES/views" "PATCH /api/v1/views/$V1" "PUT /api/v1/views/$V1/expires" \
            "PUT /api/v1/iguides/$RES/views/expires" "PUT /api/v1/iguides/$RES/expires"; do
  set -- $call
  api "$1" "$2" -d '{"expiresAt": '
  err_is 400 invalid_argument "$1 ${2//$RES/{id\}}: bad JSON is 400"
  api "$1" "$2" -d '["expiresAt"]'
  err_is 400 invalid_argument "$1 ${2//$RES/{id\}}: a JSON array is 400"
  api "$1" "$2" -d "{\"colour\": \"red\", \"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\"}"
  is "$STATUS $(jb .code) $(jb .message)" '400 invalid_argument unknown field "colour"' "$1 ${2//$RES/{id\}}: an unknown field is 400"
  api "$1" "$2" -d '{"expiresAt": 1900000000000}'
  is "$STATUS $(jb .code) $(jb .message)" "400 invalid_argument expiresAt must be a string" "$1 ${2//$RES/{id\}}: a numeric expiresAt is 400"
  api "$1" "$2" -d '{"expiresAt": "next week"}'
  like "$STATUS $(jb .code) $(jb .message)" '^400 invalid_argument expiresAt must be an ISO 8601 timestamp' "$1 ${2//$RES/{id\}}: a non-timestamp expiresAt is 400"
done
for body in '{"isProtected": "yes"}' '{"viewers": "u1"}' '{"viewers": [7]}' '{"viewerGroups": {}}' \
            '{"measStd": "imperial"}' '{"description": 5}' '{"bannerId": false}' '{"isDefault": true}' '{"id": "v1"}'; do
  api POST /api/v1/iguides/$RES/views -d "$body"
  err_is 400 invalid_argument "POST views $body is 400"
  api PATCH /api/v1/views/$V1 -d "$body"
  err_is 400 invalid_argument "PATCH $body is 400"
done
api PUT /api/v1/views/$V1/expires -d "{\"expiresAt\": \"$((Y + 1))-01-01T00:00:00Z\", \"isProtected\": true}"
is "$STATUS $(jb .message)" '400 unknown field "isProtected"' "the expiration endpoints take only expiresAt"
api PUT /api/v1/views/$V1 -d '{}'
is "$STATUS $(header Allow)" "405 GET, HEAD, PATCH, DELETE" "PUT /views/{id} is 405 with Allow"
done_testing
