#!/usr/bin/env bash
# The viewer in a real browser (headless Debian Chromium driven by playwright-core from npm,
# tests/js/viewer_browser.mjs): a view still processing, a ready view (the 360° canvas is drawn,
# dragging turns it, floor plans decode, measurements show), a locked view, the embed inside an
# iframe of a page served from another loopback origin, and a protected view opened with an access
# token and by signing in. Screenshots go to build/test-logs/viewer-*.png.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
JS=$GP_ROOT/tests/js
SHOTS=$GP_ROOT/build/test-logs
mkdir -p "$SHOTS"
rm -f "$SHOTS"/viewer-*.png
[ -x /usr/bin/chromium ] || { echo "Bail out! /usr/bin/chromium is missing (scripts/install-deps)"; exit 1; }
js_deps
start_server --rate-limit 0 --stage-seconds 0
token rw iguide.rw,iguide.ro,iguide.tasks
PAST=$(date -u -d '-2 days' +%Y-%m-%dT00:00:00Z)

# A processing view, a locked view and a protected view with an access token.
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
IG=$(jb .id) PROCESSING=$(jb .defaultViewId)
api POST "/api/v1/iguides/$IG/views" -d "{\"expiresAt\": \"$PAST\"}"
LOCKED=$(jb .id)
api POST "/api/v1/iguides/$IG/views" -d '{"isProtected": true}'
PROTECTED=$(jb .id)
api POST "/api/v1/views/$PROTECTED/accessTokens"
AUTHTOKEN=$(jb .token)
is "$STATUS $(jb '.token | startswith("gpat_")')" "200 true" "an access token for the protected view"

new_work_order
upload_sample --levels 2 --rooms 4 --panos 2
wait_done
is "$WO_STATUS" done "the sample iGUIDE is processed"
api GET "/api/v1/iguides/$IG"
READY=$(jb .defaultViewId)
# The locked view of a processed iGUIDE: its media exist and must still be withheld.
api POST "/api/v1/iguides/$IG/views" -d "{\"expiresAt\": \"$PAST\"}"
LOCKED=$(jb .id)

SIGNIN=1 USER_EMAIL=viewer@example.com USER_PASSWORD='correct horse battery staple'
UID_=$(printf '%s\n' "$USER_PASSWORD" | "$GP_BIN" user create --data "$GP_DATA" --email "$USER_EMAIL" --password-stdin 2>>"$T_TMP/cli.log" | jq -r .id)
api PATCH "/api/v1/views/$PROTECTED" -d "{\"viewers\": [\"$UID_\"]}"
is "$STATUS" 200 "the signed-in account becomes a viewer of the protected view"

# The embedding page, on another origin (its own port).
mkdir -p "$T_TMP/host"
cat >"$T_TMP/host/host.html" <<HTML
<!DOCTYPE html><html><head><meta charset="utf-8"><title>Listing</title></head><body>
<h1>A listing site</h1>
<iframe src="$GP_URL/embed/${READY:-$PROCESSING}" width="100%" height="600"></iframe>
<iframe src="$GP_URL/embed/$LOCKED" width="100%" height="300"></iframe>
</body></html>
HTML
HOST_PORT=$("$PY_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$PY_BIN" -m http.server "$HOST_PORT" --bind 127.0.0.1 --directory "$T_TMP/host" >"$T_TMP/host.log" 2>&1 &
HOST_PID=$!
trap 'kill $HOST_PID 2>/dev/null; cleanup' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$HOST_PORT/host.html" && break; sleep 0.05; done

while IFS=$'\t' read -r verdict desc detail; do
  case $verdict in
    ok) ok 0 "$desc" ;;
    "not ok") ok 1 "$desc"; diag "$detail" ;;
    *) [ -n "$verdict" ] && diag "$verdict $desc $detail" ;;
  esac
done < <(GP_URL=$GP_URL HOST_URL="http://127.0.0.1:$HOST_PORT" SHOTS=$SHOTS READY=$READY LOCKED=$LOCKED \
         PROCESSING=$PROCESSING PROTECTED=$PROTECTED AUTHTOKEN=$AUTHTOKEN STREET="University Ave" \
         SIGNIN=$SIGNIN USER_EMAIL=$USER_EMAIL USER_PASSWORD=$USER_PASSWORD \
         node "$JS/viewer_browser.mjs" 2>&1)
for f in processing ready locked embed signed-in; do
  [ -s "$SHOTS/viewer-$f.png" ]; ok $? "screenshot build/test-logs/viewer-$f.png"
done
done_testing
