#!/usr/bin/env bash
# Every failure answers {"code","message"} with the platform's code and the right HTTP status:
# malformed JSON, wrong types, unknown enum values, oversized bodies, unknown routes, wrong methods,
# bad credentials of every kind.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock --max-body 4096
token errors iguide.rw,iguide.tasks,iguide.ro,iguide.list
GOOD_ID=$APP_ID GOOD_TOKEN=$APP_TOKEN

shape() {  # status code description
  is "$STATUS" "$1" "$3: HTTP $1"
  is "$(jb .code)" "$2" "$3: code $2"
  like "$(jb .message)" '.+' "$3: has a message"
}

# --- authentication --------------------------------------------------------------------------
APP_ID= APP_TOKEN= api POST /api/v1/integrations/test
shape 401 unauthenticated "no credentials"
APP_ID=$GOOD_ID APP_TOKEN= api POST /api/v1/integrations/test
shape 401 unauthenticated "App ID without token"
APP_ID= APP_TOKEN=$GOOD_TOKEN api POST /api/v1/integrations/test
shape 401 unauthenticated "token without App ID"
APP_ID=$GOOD_ID APP_TOKEN="$GOOD_TOKEN " api POST /api/v1/integrations/test
shape 401 unauthenticated "token with trailing whitespace"
APP_ID="$GOOD_ID " APP_TOKEN=$GOOD_TOKEN api POST /api/v1/integrations/test
shape 401 unauthenticated "App ID with trailing whitespace"
APP_ID=$GOOD_ID APP_TOKEN="${GOOD_TOKEN:0:20} ${GOOD_TOKEN:20}" api POST /api/v1/integrations/test
shape 401 unauthenticated "token with an embedded space"
APP_ID=$GOOD_ID APP_TOKEN="${GOOD_TOKEN%?}x" api POST /api/v1/integrations/test
shape 401 unauthenticated "token with one character changed"
APP_ID=00000000-0000-4000-8000-000000000000 APP_TOKEN=$GOOD_TOKEN api POST /api/v1/integrations/test
shape 401 unauthenticated "unknown App ID"
APP_ID= APP_TOKEN= api POST /api/v1/integrations/test -H "Authorization: Bearer $GOOD_TOKEN"
shape 401 unauthenticated "Authorization: Bearer is not accepted"
APP_ID=$GOOD_ID APP_TOKEN=$GOOD_TOKEN api POST /api/v1/integrations/test -H "X-Plntr-App-Token: second"
is "$STATUS" 401 "a second X-Plntr-App-Token header is not silently ignored"

# Revoked.
token revoked iguide.rw
"$GP_BIN" token revoke "$APP_ID" --data "$GP_DATA" >/dev/null 2>&1
api POST /api/v1/integrations/test
shape 401 unauthenticated "revoked token"

# Expired: a token for 1 day, then the clock moves 25 hours.
token shortlived iguide.rw --expires-in 1
api POST /api/v1/integrations/test
is "$STATUS" 200 "a 1-day token works now"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 90000}'
api POST /api/v1/integrations/test
shape 401 unauthenticated "expired token"
APP_ID=$GOOD_ID APP_TOKEN=$GOOD_TOKEN

# --- routes and methods ------------------------------------------------------------------------
api GET /api/v1/nothing-here
shape 404 not_found "unknown route"
api GET /
shape 404 not_found "root"
api PUT /api/v1/iguides
shape 405 invalid_argument "wrong method"
is "$(header Allow)" "POST, GET, HEAD" "405 carries Allow"
api DELETE /api/v1/scopes
is "$STATUS" 405 "DELETE on /scopes is 405"

# --- bodies ------------------------------------------------------------------------------------
api POST /api/v1/iguides -H 'Content-Type: application/json' -d '{"type":'
shape 400 invalid_argument "truncated JSON"
api POST /api/v1/iguides -d '[1,2]'
shape 400 invalid_argument "a JSON array instead of an object"
api POST /api/v1/iguides -d '{"type":"standard","type":"premium"}'
shape 400 invalid_argument "duplicate keys"
api POST /api/v1/iguides -d '{"type":"standard"} x'
shape 400 invalid_argument "trailing garbage"
big=$(head -c 5000 /dev/zero | tr '\0' 'a')
api POST /api/v1/iguides -d "{\"type\":\"$big\"}"
shape 413 invalid_argument "oversized body (Content-Length)"
api POST /api/v1/iguides -H 'Transfer-Encoding: chunked' -d "{\"type\":\"$big\"}"
shape 413 invalid_argument "oversized body (chunked)"
api POST /api/v1/iguides -H 'Expect: 100-continue' -d "{\"type\":\"$big\"}"
is "$STATUS" 413 "oversized body with Expect: 100-continue is refused before the body"
is "$(grep -c '^HTTP/1.1 100' <<<"$HEADERS")" 0 "no 100 Continue was sent"

valid() { jq -c "$1" <<<"$TUTORIAL_IGUIDE"; }
check_invalid() {  # jq-filter description expected-message-regex
  api POST /api/v1/iguides -d "$(valid "$1")"
  shape 400 invalid_argument "$2"
  like "$(jb .message)" "$3" "$2: message names the problem"
}
check_invalid 'del(.type)' "missing type" 'type is required'
check_invalid 'del(.industry)' "missing industry" 'industry is required'
check_invalid 'del(.address)' "missing address" 'address is required'
for f in country provinceState city postalCode streetName streetNumber; do
  check_invalid "del(.address.$f)" "missing address.$f" "address\\.$f is required"
done
check_invalid '.type = "deluxe"' "unknown type" 'type must be one of: standard, premium, radix, photos'
check_invalid '.industry = "retail"' "unknown industry" 'industry must be one of: residential, commercial, irc, aec'
check_invalid '.type = 7' "type of the wrong JSON type" 'type must be a string'
check_invalid '.address = "200 University Ave"' "address not an object" 'address must be an object'
check_invalid '.address.city = ""' "empty city" 'address\.city must not be empty'
check_invalid '.address.country = "Canada"' "country not alpha-2" 'address\.country'
check_invalid '.address.country = "ca"' "country in lower case" 'address\.country'
check_invalid '.colour = "blue"' "unknown top-level field" 'unknown field "colour"'
check_invalid '.address.zip = "1"' "unknown address field" 'unknown field "address\.zip"'
check_invalid '.applyDefaults = "yes"' "applyDefaults not a boolean" 'applyDefaults must be true or false'
check_invalid '.editors = "u1"' "editors not an array" 'editors must be an array'
check_invalid '.webhooks = [{"event":"deleted","url":"https://x.example/h"}]' "unknown webhook event" 'webhooks\[0\]\.event'
check_invalid '.webhooks = [{"event":"ready","url":"ftp://x.example/h"}]' "webhook url not http(s)" 'webhooks\[0\]\.url'
check_invalid '.defaultView = {"measStd":"metric"}' "unknown measStd" 'defaultView\.measStd'
check_invalid '.defaultView = {"isProtected":"no"}' "isProtected not a boolean" 'defaultView\.isProtected'
check_invalid '.defaultView = {"expiresAt":"next year"}' "expiresAt not a timestamp" 'defaultView\.expiresAt'
check_invalid ".defaultView = {\"expiresAt\":\"$(( $(date -u +%Y) + 11 ))-01-01T00:00:00.000Z\"}" "expiresAt over 10 years ahead" 'at most 10 years'
check_invalid ".defaultView = {\"expiresAt\":\"$(( $(date -u +%Y) - 2 ))-01-01T00:00:00.000Z\"}" "expiresAt over 1 year back" 'at most 1 year in the past'
check_invalid '.addons = ["dwg-init"]' "obsolete addons" 'addons is obsolete'

# --- resources that do not exist -------------------------------------------------------------
api GET /api/v1/iguides/igDOESNOTEXIST0
shape 404 not_found "unknown iGUIDE"
api GET /api/v1/iguides/../../etc/passwd
is "$STATUS" 404 "path traversal is just an unknown route"
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
A_ID=$(jb .id) A_WO=$(jb .workOrderId)
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
B_ID=$(jb .id)
api GET /api/v1/iguides/$B_ID/workOrders/$A_WO
shape 404 not_found "a work order of another iGUIDE"
api GET /api/v1/iguides/$A_ID/workOrders/ZZZZZZ
shape 404 not_found "unknown work order"
api GET "/api/v1/iguides?limit=0"
shape 400 invalid_argument "limit 0"
api GET "/api/v1/iguides?limit=abc"
shape 400 invalid_argument "limit not a number"
api GET "/api/v1/iguides?cursor=!!!"
shape 400 invalid_argument "cursor not issued by the server"

# Nothing above changed what is stored: two iGUIDEs exist.
api GET /api/v1/iguides
is "$(jb '.iguides | length')" 2 "bad requests stored nothing"
done_testing
