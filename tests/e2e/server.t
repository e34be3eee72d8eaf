#!/usr/bin/env bash
# The server process: data survives a restart, keep-alive connections are reused, every answer
# has a request id, /healthz answers, SIGTERM stops it cleanly (exit 0), the test clock is off
# unless asked for, a port in use is a clear error.
. "$(dirname "$0")/../lib/tap.sh"
start_server
token keep iguide.rw,iguide.tasks,iguide.ro
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
IG=$(jb .id) WO=$(jb .workOrderId)
api GET /healthz
is "$STATUS" 200 "healthz"
is "$BODY" '{"status":"ok"}' "healthz body"
like "$(header X-Request-Id)" '^[0-9A-Z]{16}$' "a generated request id"
api GET /healthz -H 'X-Request-Id: trace-abc-123'
is "$(header X-Request-Id)" "trace-abc-123" "a sane incoming request id is kept"
api GET /healthz -H 'X-Request-Id: bad id!'
like "$(header X-Request-Id)" '^[0-9A-Z]{16}$' "an unsafe incoming request id is replaced"
api GET /_test/clock
is "$STATUS" 404 "the test clock is off by default"
grep -q "access rid=.* method=GET path=/healthz status=200" "$T_TMP/server.log"
ok $? "an access-log line per request"
! grep -q "$APP_TOKEN" "$T_TMP/server.log"
ok $? "the access log never shows a token"

# Keep-alive: three requests on one connection (second access-handler call answers).
v=$(curl -sv -o /dev/null -o /dev/null -o /dev/null "$GP_URL/healthz" "$GP_URL/api/v1/scopes" "$GP_URL/healthz" 2>&1)
is "$(grep -c 'Re-using existing connection' <<<"$v")" 2 "keep-alive: the connection is reused"
is "$(grep -ci '^< Connection: close' <<<"$v")" 0 "keep-alive: no Connection: close on success"
v=$(curl -sv -o /dev/null -o /dev/null -X POST -H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN" \
     -d '{}' "$GP_URL/api/v1/integrations/test" -d '{}' "$GP_URL/api/v1/integrations/test" 2>&1)
is "$(grep -c 'Re-using existing connection' <<<"$v")" 1 "keep-alive with request bodies"

# Graceful stop and restart on the same data.
migrations_at_start=$(grep -c 'applied migration' "$T_TMP/server.log")
stop_server
is "$GP_EXIT" 0 "SIGTERM: exit status 0"
grep -q "received SIGTERM, draining" "$T_TMP/server.log"
ok $? "SIGTERM is logged"
start_server
api GET /api/v1/iguides/$IG/workOrders/$WO
is "$STATUS" 200 "after a restart the work order is still there"
is "$(jb .status)" empty "with its status"
api POST /api/v1/integrations/test
is "$STATUS" 200 "and the token still works"
ok "$([ "$migrations_at_start" -ge 1 ]; echo $?)" "the first start applied the migrations"
is "$(grep -c 'applied migration' "$T_TMP/server.log")" "$migrations_at_start" "the restart applied none again"

# A second server on the same port fails clearly.
port=${GP_URL##*:}
timeout 10 "$GP_BIN" serve --listen 127.0.0.1:$port --data "$T_TMP/other" >"$T_TMP/second.log" 2>&1
is "$?" 1 "a port in use: exit 1"
grep -q "cannot listen on 127.0.0.1:$port" "$T_TMP/second.log"
ok $? "a port in use: says so"
"$GP_BIN" serve --listen nonsense --data "$T_TMP/other" >/dev/null 2>&1
is "$?" 2 "a malformed --listen: exit 2"
"$GP_BIN" serve --bogus >/dev/null 2>&1
is "$?" 2 "an unknown option: exit 2"
GUIDEPOST_RATE_LIMIT=abc "$GP_BIN" serve --data "$T_TMP/other" >/dev/null 2>&1
is "$?" 2 "GUIDEPOST_RATE_LIMIT is read and validated"
done_testing
