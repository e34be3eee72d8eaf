# tap.sh — TAP output and a real Guidepost server for end-to-end tests (sourced by tests/e2e/*.t).
# Every test starts the real binary ($GUIDEPOST_BIN, default build/guidepost) on 127.0.0.1 with a
# free port and a fresh data folder, drives it with curl and jq, and stops it on exit.
set -u
GP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GP_BIN=${GUIDEPOST_BIN:-$GP_ROOT/build/guidepost}
case $GP_BIN in /*) ;; *) GP_BIN=$GP_ROOT/$GP_BIN ;; esac
T_N=0
T_FAIL=0
T_TMP=$(mktemp -d /tmp/gp-e2e.XXXXXX)
GP_PID=
GP_URL=

plan() { echo "1..$1"; }

ok() {   # condition-result description
  T_N=$((T_N + 1))
  if [ "$1" = 0 ]; then echo "ok $T_N - $2"; else echo "not ok $T_N - $2"; T_FAIL=$((T_FAIL + 1)); fi
}

is() {   # got expected description
  T_N=$((T_N + 1))
  if [ "$1" == "$2" ]; then echo "ok $T_N - $3"; else
    echo "not ok $T_N - $3"; echo "#   got:      '$1'"; echo "#   expected: '$2'"; T_FAIL=$((T_FAIL + 1))
  fi
}

like() { # got extended-regex description
  T_N=$((T_N + 1))
  if [[ "$1" =~ $2 ]]; then echo "ok $T_N - $3"; else
    echo "not ok $T_N - $3"; echo "#   got:      '$1'"; echo "#   expected to match: '$2'"; T_FAIL=$((T_FAIL + 1))
  fi
}

diag() { echo "# $*"; }

done_testing() { echo "1..$T_N"; [ $T_FAIL -eq 0 ]; }

# start_server [extra serve options...]: starts a server on a fresh data folder (GP_DATA) or the
# existing one when GP_DATA is already set; sets GP_URL.
start_server() {
  GP_DATA=${GP_DATA:-$T_TMP/data}
  rm -f "$T_TMP/url"
  "$GP_BIN" serve --listen 127.0.0.1:0 --data "$GP_DATA" --ready-file "$T_TMP/url" \
    --threads 2 "$@" >>"$T_TMP/server.log" 2>&1 &
  GP_PID=$!
  for _ in $(seq 1 200); do
    [ -s "$T_TMP/url" ] && break
    kill -0 $GP_PID 2>/dev/null || break
    sleep 0.05
  done
  GP_URL=$(cat "$T_TMP/url" 2>/dev/null)
  if [ -z "$GP_URL" ]; then echo "Bail out! server did not start"; cat "$T_TMP/server.log"; exit 1; fi
}

stop_server() {   # graceful: SIGTERM, then wait
  if [ -n "$GP_PID" ]; then kill -TERM $GP_PID 2>/dev/null; wait $GP_PID 2>/dev/null; GP_EXIT=$?; GP_PID=; fi
}

cleanup() {
  stop_server
  if [ $T_FAIL -gt 0 ] && [ -f "$T_TMP/server.log" ]; then
    echo "# server log (last 30 lines):"; tail -n 30 "$T_TMP/server.log" | sed 's/^/#   /'
  fi
  # The sanitizer build reports leaks and errors on its log; surface them as a failure.
  if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T_TMP/server.log" 2>/dev/null; then
    echo "not ok $((T_N + 1)) - server log has sanitizer reports"
    grep -E -A12 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T_TMP/server.log" | head -40 | sed 's/^/#   /'
  fi
  rm -rf "$T_TMP"
}
trap cleanup EXIT

# token NAME SCOPES [more CLI options]: creates a token with the CLI; sets APP_ID and APP_TOKEN.
token() {
  local out
  out=$("$GP_BIN" token create --data "$GP_DATA" --name "$1" --scopes "$2" "${@:3}" 2>>"$T_TMP/cli.log")
  APP_ID=$(jq -r .id <<<"$out")
  APP_TOKEN=$(jq -r .token <<<"$out")
  TOKEN_JSON=$out
}

# api METHOD PATH [curl args...]: calls the server with the current APP_ID/APP_TOKEN (when set);
# sets STATUS, BODY and HEADERS (raw header block).
api() {
  local method=$1 path=$2; shift 2
  local auth=()
  [ -n "${APP_ID:-}" ] && auth+=(-H "X-Plntr-App-Id: $APP_ID")
  [ -n "${APP_TOKEN:-}" ] && auth+=(-H "X-Plntr-App-Token: $APP_TOKEN")
  : >"$T_TMP/h"
  BODY=$(curl -sS -X "$method" "${auth[@]}" -D "$T_TMP/h" -o - -w '\n%{http_code}' "$@" "$GP_URL$path")
  STATUS=${BODY##*$'\n'}
  BODY=${BODY%$'\n'*}
  HEADERS=$(tr -d '\r' <"$T_TMP/h")
}

# view PATH [curl args...]: a GET as an end user (no API credentials; redirects are not
# followed); sets STATUS, BODY and HEADERS like api.
view() { APP_ID= APP_TOKEN= api GET "$@"; }

# header NAME: the value of a response header of the last api call (case-insensitive).
header() { grep -i "^$1:" <<<"$HEADERS" | head -1 | cut -d' ' -f2-; }

# jb FILTER: jq over the last body.
jb() { jq -r "$1" <<<"$BODY"; }

# A valid create body (the tutorial's Step 3).
TUTORIAL_IGUIDE='{"type":"standard","industry":"residential","address":{"country":"CA","provinceState":"ON","city":"Waterloo","postalCode":"N2L 3G1","streetName":"University Ave","streetNumber":"200"}}'

# js_deps: installs tests/js/node_modules from package-lock.json (npm ci) unless every package in
# package.json is already there. Several test programs run at once, so the install holds a lock.
js_deps() {
  local js=$GP_ROOT/tests/js
  (
    flock 9
    local missing=0 p
    for p in $(jq -r '.dependencies | keys[]' "$js/package.json"); do
      [ -f "$js/node_modules/$p/package.json" ] || missing=1
    done
    [ $missing -eq 0 ] && exit 0
    cd "$js" && npm ci --no-audit --no-fund --loglevel=error >"$T_TMP/npm.log" 2>&1
  ) 9>"$GP_ROOT/tests/js/.install.lock" ||
    { echo "Bail out! npm ci in tests/js failed"; cat "$T_TMP/npm.log"; exit 1; }
}
