#!/usr/bin/env bash
# Rate limits (the rate-limiting guide): a fixed 1-second window per App ID; the three
# X-RateLimit-Second-* headers on every authenticated response; over the limit 429
# {"code":"resource_exhausted"} with a fractional Retry-After. The window reads the server clock,
# which the test stops (frozen test clock) so that every request lands in a known window.
. "$(dirname "$0")/../lib/tap.sh"
start_server --rate-limit 5 --test-clock
token one iguide.rw
A_ID=$APP_ID A_TOKEN=$APP_TOKEN
token two iguide.rw
B_ID=$APP_ID B_TOKEN=$APP_TOKEN

# Start at the beginning of a fresh second of server time so all requests share one window.
# (Tomorrow, so the tokens are still valid.)
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$(date -u -d tomorrow +%Y-%m-%d)T00:00:00.000Z\", \"freeze\": true}"

APP_ID=$A_ID APP_TOKEN=$A_TOKEN
api POST /api/v1/integrations/test
is "$STATUS" 200 "first request allowed"
is "$(header X-RateLimit-Second-Limit)" 5 "X-RateLimit-Second-Limit"
is "$(header X-RateLimit-Second-AmountRemaining)" 4 "X-RateLimit-Second-AmountRemaining counts down"
is "$(header X-RateLimit-Second-Reset)" "1.00" "X-RateLimit-Second-Reset: a full second at the window's start"
for i in 2 3 4 5; do api POST /api/v1/integrations/test; done
is "$STATUS" 200 "fifth request allowed"
is "$(header X-RateLimit-Second-AmountRemaining)" 0 "nothing remains"
api POST /api/v1/integrations/test
is "$STATUS" 429 "sixth request in the same second is limited"
is "$BODY" '{"code":"resource_exhausted"}' "the documented 429 body"
is "$(header Retry-After)" "1.00" "Retry-After in seconds"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 0.77}'
APP_ID=$A_ID APP_TOKEN=$A_TOKEN api POST /api/v1/integrations/test
is "$(header Retry-After)" "0.23" "Retry-After is fractional: 0.23 s left in the window"
is "$(header X-RateLimit-Second-Reset)" "0.23" "X-RateLimit-Second-Reset is fractional too"
is "$(header X-RateLimit-Second-AmountRemaining)" 0 "429 carries the rate-limit headers too"
api GET /api/v1/iguides
is "$STATUS" 429 "the limit is per App ID, not per route"

APP_ID=$B_ID APP_TOKEN=$B_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 200 "another App ID has its own window"

# Errors are counted and carry the headers: 403 from a missing scope.
APP_ID=$B_ID APP_TOKEN=$B_TOKEN api GET /api/v1/apiTokens
is "$STATUS" 403 "403 for a missing scope"
like "$(header X-RateLimit-Second-Limit)" '^5$' "403 carries the rate-limit headers"

# The next second opens a new window.
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 0.23}'
api POST /api/v1/integrations/test
is "$STATUS" 200 "a new window after one second"
is "$(header X-RateLimit-Second-AmountRemaining)" 4 "the count restarted"

# Unauthenticated calls are not counted against anyone and carry no headers.
APP_ID= APP_TOKEN= api GET /api/v1/scopes
is "$(header X-RateLimit-Second-Limit)" "" "public routes carry no rate-limit headers"
APP_ID= APP_TOKEN= api GET /_test/clock
is "$(jb .frozen)" true "the clock reports it is frozen"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"freeze": false}'
is "$(jb .frozen)" false "and runs again when unfrozen"
done_testing
