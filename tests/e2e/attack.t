#!/usr/bin/env bash
# The attack suite: what a hostile client tries against the HTTP edge and the API, replayed on
# every run (tests/run runs it against the ASan build too, whose log must stay clean). Request
# smuggling and oversized bodies, unroutable and log-forging paths, oversized heads, bad JSON, the
# authentication matrix, S3 abuse, hostile Stitch TARs, token takeover, idle and slowloris floods
# and the connection caps. Throughout, the server must stay up, answer a normal client within 1 s,
# and lose nothing it stored before.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
HEADER_TIMEOUT=2
start_server --header-timeout $HEADER_TIMEOUT --stage-seconds 0
token victim iguide.rw,iguide.ro,iguide.tasks,iguide.list
USER_ID=$APP_ID USER_TOKEN=$APP_TOKEN
as_user() { APP_ID=$USER_ID APP_TOKEN=$USER_TOKEN; }

# edge ARGS...: runs helpers/edge.py, one TAP result per PASS/FAIL line it prints.
edge() {
  local verdict rest
  while read -r verdict rest; do
    case $verdict in
      PASS) ok 0 "$rest" ;;
      FAIL) ok 1 "$rest" ;;
      *) diag "$verdict $rest" ;;
    esac
  done < <("$PY_BIN" "$HELPERS/edge.py" "$@" 2>&1)
}

# What must survive everything below.
new_work_order
KEEP_IG=$IG KEEP_WO=$WO
api GET "/api/v1/iguides/$KEEP_IG"
KEEP_BODY=$BODY

# ---- request smuggling and body buffers --------------------------------------------------------
edge smuggle "$GP_URL" "$USER_ID" "$USER_TOKEN"
edge chunked "$GP_URL" "$USER_ID" "$USER_TOKEN"

# ---- paths and heads ---------------------------------------------------------------------------
for p in /%ff /api/v1/%ff /api/v1/iguides/%c3%28 /%ed%a0%80; do
  api GET "$p" -H 'Accept: application/json'
  is "$STATUS" 404 "GET $p (invalid UTF-8): 404, not an internal error"
  if [[ $p == /api/* ]]; then
    jq -e '.code == "not_found" and (.message | type == "string")' <<<"$BODY" >/dev/null
    ok $? "GET $p: a valid JSON error"
  fi
done
forged='2026-01-01T00:00:00.000Z info access rid=FORGED'
enc=$(jq -rn --arg s "$forged" '$s | @uri')
api GET "/x%0d%0a$enc"
is "$(grep -c '^2026-01-01T00:00:00.000Z info access rid=FORGED' "$T_TMP/server.log")" 0 \
   "CR LF in the path cannot forge an access-log line"
grep -q 'path=/x%0d%0a2026' "$T_TMP/server.log"
ok $? "the access log shows the target as received, escaped"
api GET /%zz
is "$STATUS" 400 "a malformed escape in the path: 400"
like "$(header X-Request-Id)" '^[0-9A-Z]{16}$' "the 400 carries X-Request-Id"
api GET "/api/v1/$(head -c 9000 /dev/zero | tr '\0' a)"
is "$STATUS" 414 "a 9 000-byte request target: 414"
is "$(jb .code)" invalid_argument "the 414 is in the JSON shape"
like "$(header X-Request-Id)" '^[0-9A-Z]{16}$' "the 414 carries X-Request-Id"
api GET /healthz -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"
is "$STATUS" 431 "a 40 KB request head: 431"
is "$(jb .code)" invalid_argument "the 431 is in the JSON shape"

# ---- bad JSON: every body is refused in the documented shape, nothing is created ---------------
api GET /api/v1/iguides
before=$(jb '.items | length')
deep=$(head -c 20000 /dev/zero | tr '\0' '[')
bad_bodies=('' '{' '[]' '"x"' 'null' '{"type":1}' '{"type":"standard",}' '{"a":}' "$deep"
            '{"type":"standard"} {}' '{"type":"standard","industry":"residential","address":"x"}'
            '{"type":"\u0000"}' '{"type":1e999999}' "{\"type\":\"$(printf '\xff\xfe')\"}")
for b in "${bad_bodies[@]}"; do
  api POST /api/v1/iguides -H 'Content-Type: application/json' --data-binary "$b"
  if [ "$STATUS" = 400 ] && jq -e '(.code | type == "string") and (.message | type == "string")' \
       <<<"$BODY" >/dev/null 2>&1; then ok 0 "bad JSON ${b:0:30}: 400 {code, message}"; else
    ok 1 "bad JSON ${b:0:30}: 400 {code, message}"; diag "got $STATUS $BODY"; fi
done
api GET /api/v1/iguides
is "$(jb '.items | length')" "$before" "no bad body created an iGUIDE"

# ---- the authentication matrix: every credential mistake on every kind of route is 401 ---------
# Every token route of the route table (src/api/routes.c), its parameters filled with the kept
# iGUIDE and work order, so a route added later is in the matrix without anyone remembering.
mapfile -t routes < <(tr -d '\n' <"$GP_ROOT/src/api/routes.c" | grep -oE '\{\{"[A-Z]+", "[^"]+"\}, *h_[a-z_]+, *AUTH_TOKEN' |
  sed -E 's/^\{\{"([A-Z]+)", "([^"]+)".*/\1 \2/' |
  sed -e "s/{iguideId}/$KEEP_IG/; s/{workOrderId}/$KEEP_WO/; s/{[A-Za-z]*}/x1/g")
ok "$([ ${#routes[@]} -ge 30 ]; echo $?)" "the route table yields ${#routes[@]} token routes"
creds_cases=("none" "id-only" "token-only" "wrong-token" "wrong-id" "double-id" "double-token")
for route in "${routes[@]}"; do
  for cc in "${creds_cases[@]}"; do
    h=()
    case $cc in
      id-only) h=(-H "X-Plntr-App-Id: $USER_ID") ;;
      token-only) h=(-H "X-Plntr-App-Token: $USER_TOKEN") ;;
      wrong-token) h=(-H "X-Plntr-App-Id: $USER_ID" -H "X-Plntr-App-Token: ${USER_TOKEN}x") ;;
      wrong-id) h=(-H "X-Plntr-App-Id: ${USER_ID}x" -H "X-Plntr-App-Token: $USER_TOKEN") ;;
      double-id) h=(-H "X-Plntr-App-Id: $USER_ID" -H "X-Plntr-App-Id: other" -H "X-Plntr-App-Token: $USER_TOKEN") ;;
      double-token) h=(-H "X-Plntr-App-Id: $USER_ID" -H "X-Plntr-App-Token: $USER_TOKEN" -H "X-Plntr-App-Token: x") ;;
    esac
    code=$(curl -s -o /dev/null -w '%{http_code}' -X "${route%% *}" "${h[@]}" -H 'Content-Type: application/json' \
           -d '{}' "$GP_URL${route#* }")
    [ "$code" = 401 ] || { ok 1 "$route with $cc credentials: 401"; diag "got $code"; continue; }
    T_N=$((T_N + 1)); echo "ok $T_N - $route with $cc credentials: 401"
  done
done

# ---- token takeover: credentials.manage alone cannot reach wider tokens ------------------------
token wide operator,iguide.rw
WIDE_ID=$APP_ID WIDE_TOKEN=$APP_TOKEN
token manager credentials.manage
api POST "/api/v1/apiTokens/$WIDE_ID/rotate"
like "$STATUS" '^40[34]$' "credentials.manage alone cannot rotate a token holding operator + iguide.rw"
[ "$(jb '.token // empty')" = "" ]; ok $? "and learns no token value"
api PATCH "/api/v1/apiTokens/$WIDE_ID" -H 'Content-Type: application/json' -d '{"name":"mine now"}'
like "$STATUS" '^40[34]$' "nor change it"
api DELETE "/api/v1/apiTokens/$WIDE_ID"
like "$STATUS" '^40[34]$' "nor revoke it"
APP_ID=$WIDE_ID APP_TOKEN=$WIDE_TOKEN
api POST /api/v1/integrations/test
is "$STATUS" 200 "the wider token still works with its own value"
as_user

# ---- S3 abuse ----------------------------------------------------------------------------------
permit 1000
curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" >"$T_TMP/c"
is "$(cat "$T_TMP/c")" 403 "S3: an anonymous PUT is refused"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --secret wrong-secret -- --data-binary x
is "$STATUS $(s3_code)" "403 SignatureDoesNotMatch" "S3: a wrong secret"
s3curl PUT "/$S3_BUCKET/stitch-data/../../etc/passwd" --sign -- --data-binary x
like "$STATUS" '^40[03]$' "S3: a key with .. segments outside the permit is refused"
s3curl PUT "/$S3_BUCKET/$(dirname "$S3_KEY")/other.tar" --sign -- --data-binary x
is "$STATUS $(s3_code)" "403 AccessDenied" "S3: a key other than the permit's is refused"
s3curl GET "/$S3_BUCKET/?list-type=2" --sign --
like "$STATUS" '^40[03]$' "S3: listing the bucket is refused"
[ ! -e /etc/passwd.tar ] && [ -z "$(find "$GP_DATA" -name passwd)" ]; ok $? "S3: nothing was written for the traversal key"

# ---- hostile Stitch TARs: each ends rejected, nothing is written outside the data folder --------
for kind in traversal link bomb; do
  "$GP_BIN" sample-stitch --out "$T_TMP/$kind.tar" --levels 1 --rooms 2 --panos 1 --corrupt "$kind" \
    >/dev/null 2>>"$T_TMP/cli.log"
  permit "$(stat -c %s "$T_TMP/$kind.tar")"
  awss3 s3 cp "$T_TMP/$kind.tar" "s3://$S3_BUCKET/$S3_KEY" >>"$T_TMP/aws.log" 2>&1
  process
  s=
  for _ in $(seq 1 300); do s=$(wo_status); case $s in rejected|done|exception) break ;; esac; sleep 0.1; done
  is "$s" rejected "a hostile TAR ($kind) ends rejected"
done
[ -z "$(find "$T_TMP" / -xdev -maxdepth 3 -name outside.txt 2>/dev/null)" ]
ok $? "the traversal TAR wrote no ../outside.txt anywhere"

# ---- floods and deadlines ----------------------------------------------------------------------
edge flood "$GP_URL" $HEADER_TIMEOUT
edge slowbody "$GP_URL" $HEADER_TIMEOUT

# ---- the global cap, on a second server with a small one ---------------------------------------
first_url=$GP_URL first_pid=$GP_PID
GP_PID= GP_DATA_SAVE=$GP_DATA
GP_DATA=$T_TMP/capped start_server --max-connections 20 --max-connections-per-ip 0
edge cap "$GP_URL" 20
stop_server
GP_URL=$first_url GP_PID=$first_pid GP_DATA=$GP_DATA_SAVE

# ---- nothing lost ------------------------------------------------------------------------------
as_user
api GET "/api/v1/iguides/$KEEP_IG"
is "$STATUS" 200 "after every attack the iGUIDE stored first is still there"
is "$BODY" "$KEEP_BODY" "byte for byte as it was"
api GET /healthz
is "$STATUS" 200 "and the server answers"
done_testing
