#!/usr/bin/env bash
# The webhook signing secret and resend through the real server and CLI: `webhook secret show`
# creates the secret once and shows the same value again; POST /api/v1/webhookSecret/rotate
# returns a new whsec_ secret (32 bytes) with the old one valid 24 h more on the test clock, and
# the CLI shows the new one; `secret rotate` on the CLI does the same; resend of an unknown
# delivery is 404 on the API and an error on the CLI; bad --webhook-* options are refused.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock --webhook-allow-private --webhook-retry standard --webhook-threads 2
token ops credentials.manage,iguide.events

first=$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>/dev/null)
like "$first" '^whsec_[A-Za-z0-9+/]{43}=$' "secret show prints whsec_ and base64 of 32 bytes"
is "$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>/dev/null)" "$first" "and the same secret again"

api POST /_test/clock -d '{"now":"2026-12-07T10:00:00.000Z","freeze":true}'
api POST /api/v1/webhookSecret/rotate
is "$STATUS" 200 "rotate answers 200"
new=$(jb .secret)
like "$new" '^whsec_[A-Za-z0-9+/]{43}=$' "with a new secret"
ok "$([ "$new" != "$first" ]; echo $?)" "that differs from the old one"
is "$(jb .previousValidUntil)" "2026-12-08T10:00:00.000Z" "the old one signs 24 h more"
is "$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>/dev/null)" "$new" "the CLI shows the new secret"

third=$("$GP_BIN" webhook secret rotate --data "$GP_DATA" 2>/dev/null)
like "$third" '^whsec_' "secret rotate prints the new secret"
is "$("$GP_BIN" webhook secret show --data "$GP_DATA" 2>/dev/null)" "$third" "which is now the current one"

api POST /api/v1/webhookDeliveries/whd_AAAAAAAAAAAAAAAAAAAA/resend
is "$STATUS" 404 "resend of an unknown delivery is 404"
is "$(jb .code)" not_found "with code not_found"
api POST /api/v1/webhookDeliveries/nonsense/resend
is "$STATUS" 404 "resend of something that is no delivery id is 404"
"$GP_BIN" webhook resend whd_AAAAAAAAAAAAAAAAAAAA --data "$GP_DATA" >/dev/null 2>&1
is "$?" 2 "the CLI's resend of an unknown delivery exits 2"

for bad in "--webhook-retry sometimes" "--webhook-timeout 0" "--webhook-timeout 121" "--webhook-threads 65"; do
  # shellcheck disable=SC2086
  out=$("$GP_BIN" worker --data "$T_TMP/never" $bad 2>&1)
  is "$?" 2 "worker $bad is refused"
  like "$out" "webhook" "with a message naming the option ($bad)"
done
ok "$([ ! -e "$T_TMP/never/guidepost.db" ]; echo $?)" "and no data folder was touched"
done_testing
