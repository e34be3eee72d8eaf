#!/usr/bin/env bash
# API tokens: the CLI prints the creation JSON once; tokens are managed over HTTP with
# credentials.manage; a token cannot grant scopes it lacks; rotation keeps the old value for 7
# days (moved with the test clock); revocation is immediate; a token cannot rotate, change or
# revoke a token with scopes it lacks (tokens_matrix.t has every pair).
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock
token root credentials.manage,iguide.rw,iguide.ro
is "$(jq -r 'keys_unsorted | join(",")' <<<"$TOKEN_JSON")" "id,name,token,tokenHint,scopes,expiresAt,createdAt" "CLI create prints the documented fields"
is "$(jq -r .tokenHint <<<"$TOKEN_JSON")" "...${APP_TOKEN: -5}" "tokenHint is a masked suffix of the value"
created=$(jq -r .createdAt <<<"$TOKEN_JSON"); expires=$(jq -r .expiresAt <<<"$TOKEN_JSON")
is "${expires:4}" "${created:4}" "default lifetime: same date and time ..."
is "${expires:0:4}" "$(( ${created:0:4} + 2 ))" "... two years later"
! grep -qF "$APP_TOKEN" "$GP_DATA/guidepost.db" "$GP_DATA"/guidepost.db-wal 2>/dev/null
ok $? "the token value is not stored in the database"
ROOT_ID=$APP_ID ROOT_TOKEN=$APP_TOKEN

api POST /api/v1/apiTokens -d '{"name":"ci","description":"for CI","scopes":["iguide.rw"],"expiresInDays":30}'
is "$STATUS" 200 "create over HTTP"
CI_ID=$(jb .id) CI_TOKEN=$(jb .token)
is "$(jb '.scopes | join(",")')" "iguide.rw" "scopes as requested"
api POST /api/v1/apiTokens -d '{"name":"wider","scopes":["iguide.billing"]}'
is "$STATUS" 403 "cannot grant a scope the caller lacks"
api POST /api/v1/apiTokens -d '{"name":"bad","scopes":["iguide.read"]}'
is "$STATUS" 400 "an undocumented scope name is rejected"
api POST /api/v1/apiTokens -d '{"scopes":["iguide.rw"]}'
is "$STATUS" 400 "name is required"
api POST /api/v1/apiTokens -d '{"name":"x","scopes":[]}'
is "$STATUS" 400 "scopes must not be empty"

api GET /api/v1/apiTokens
is "$STATUS" 200 "list"
is "$(jb '.apiTokens | length')" 2 "two tokens listed"
is "$(jb '[.apiTokens[] | has("token")] | any')" false "values are never listed"
api GET /api/v1/apiTokens/$CI_ID
is "$(jb .description)" "for CI" "get one"
api PATCH /api/v1/apiTokens/$CI_ID -d '{"name":"ci-renamed"}'
is "$(jb .name)" "ci-renamed" "rename"
api GET /api/v1/apiTokens/00000000-0000-4000-8000-000000000000
is "$STATUS" 404 "unknown token id is 404"

# The new token works.
APP_ID=$CI_ID APP_TOKEN=$CI_TOKEN api POST /api/v1/integrations/test
is "$(jb .appId)" "$CI_ID" "the HTTP-created token authenticates"

# Rotation: new value at once, old value for 7 days.
APP_ID=$ROOT_ID APP_TOKEN=$ROOT_TOKEN api POST /api/v1/apiTokens/$CI_ID/rotate
is "$STATUS" 200 "rotate"
is "$(jb .id)" "$CI_ID" "the App ID stays the same across rotations"
like "$(jb .expiresAt)" "^$(date -u -d '+30 days' +%Y-%m-%d)" "rotation renews: the original 30-day lifetime from now"
NEW_TOKEN=$(jb .token)
ok "$([ "$NEW_TOKEN" != "$CI_TOKEN" ]; echo $?)" "a new value"
APP_ID=$CI_ID APP_TOKEN=$NEW_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 200 "the new value works"
APP_ID=$CI_ID APP_TOKEN=$CI_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 200 "the old value still works right after rotation"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 604700}'
APP_ID=$CI_ID APP_TOKEN=$CI_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 200 "the old value works 100 s before the 7 days are up"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 101}'
APP_ID=$CI_ID APP_TOKEN=$CI_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 401 "the old value stops working after 7 days"
APP_ID=$CI_ID APP_TOKEN=$NEW_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 200 "the new value keeps working"

# Revocation.
APP_ID=$ROOT_ID APP_TOKEN=$ROOT_TOKEN api DELETE /api/v1/apiTokens/$CI_ID
is "$STATUS" 200 "revoke"
is "$(jb .status)" revoked "status revoked"
APP_ID=$CI_ID APP_TOKEN=$NEW_TOKEN api POST /api/v1/integrations/test
is "$STATUS" 401 "a revoked token is refused at once"
APP_ID=$ROOT_ID APP_TOKEN=$ROOT_TOKEN api POST /api/v1/apiTokens/$CI_ID/rotate
is "$STATUS" 404 "a revoked token cannot be rotated"

# Takeover through rotate: credentials.manage alone must not obtain (or change, or switch off) a
# token with wider scopes. The wider token keeps working with its old value.
token wide operator,iguide.rw
WIDE_ID=$APP_ID WIDE_TOKEN=$APP_TOKEN
token manager credentials.manage
MGR_ID=$APP_ID MGR_TOKEN=$APP_TOKEN
api POST /api/v1/apiTokens/$WIDE_ID/rotate
is "$STATUS" 403 "credentials.manage alone cannot rotate an operator + iguide.rw token"
is "$(jb .code)" permission_denied "... permission_denied"
like "$(jb .message)" "scopes it holds" "... saying why"
is "$(jb 'has("token")')" false "... and no new value is handed out"
api PATCH /api/v1/apiTokens/$WIDE_ID -d '{"name":"mine-now"}'
is "$STATUS $(jb .code)" "403 permission_denied" "... nor rename it"
api PATCH /api/v1/apiTokens/$WIDE_ID -d '{"scopes":["credentials.manage"]}'
is "$STATUS $(jb .code)" "403 permission_denied" "... nor narrow its scopes"
api DELETE /api/v1/apiTokens/$WIDE_ID
is "$STATUS $(jb .code)" "403 permission_denied" "... nor revoke it"
APP_ID=$WIDE_ID APP_TOKEN=$WIDE_TOKEN api GET /api/v1/operator/workOrders
is "$STATUS" 200 "the wider token still works with its old value"
api GET /api/v1/apiTokens/$WIDE_ID
is "$STATUS $(jb .name) $(jb .status) $(jb .rotatedAt)" "200 wide active null" "... unchanged, and still readable by the manager"
api GET /api/v1/apiTokens
is "$(jq -r --arg id "$WIDE_ID" '[.apiTokens[] | select(.id == $id)] | length' <<<"$BODY")" 1 "... and still listed"
api POST /api/v1/apiTokens/00000000-0000-4000-8000-000000000000/rotate
is "$STATUS" 404 "an unknown token is still 404, not 403"
api POST /api/v1/apiTokens/$MGR_ID/rotate
is "$STATUS" 200 "a token may rotate itself"
MGR_TOKEN=$(jb .token)
token peer credentials.manage,iguide.ro
PEER_ID=$APP_ID
APP_ID=$MGR_ID APP_TOKEN=$MGR_TOKEN api PATCH /api/v1/apiTokens/$PEER_ID -d '{"name":"x"}'
is "$STATUS" 403 "credentials.manage alone cannot change credentials.manage + iguide.ro"
token wider-manager credentials.manage,iguide.ro,iguide.rw
api PATCH /api/v1/apiTokens/$PEER_ID -d '{"scopes":["iguide.ro"]}'
is "$STATUS $(jb '.scopes | join(",")')" "200 iguide.ro" "a wider token may narrow it"
api PATCH /api/v1/apiTokens/$PEER_ID -d '{"scopes":["iguide.ro","iguide.billing"]}'
is "$STATUS $(jb .code)" "403 permission_denied" "... but not grant a scope it lacks itself"
api GET /api/v1/apiTokens/$PEER_ID
is "$(jb '.scopes | join(",")')" "iguide.ro" "... and the refused PATCH changed nothing"
api PATCH /api/v1/apiTokens/$PEER_ID -d '{"name":"renamed","scopes":["iguide.billing"]}'
api GET /api/v1/apiTokens/$PEER_ID
is "$(jb .name)" "peer" "a PATCH refused for its scopes does not apply its name either"
api DELETE /api/v1/apiTokens/$PEER_ID
is "$STATUS $(jb .status)" "200 revoked" "a wider token may revoke it"
APP_ID=$MGR_ID APP_TOKEN=$MGR_TOKEN

# The CLI: list, rotate, revoke.
out=$("$GP_BIN" token list --data "$GP_DATA" 2>/dev/null)
is "$(jq '.apiTokens | length' <<<"$out")" 6 "CLI list (every token made above, revoked ones included)"
out=$("$GP_BIN" token rotate "$ROOT_ID" --data "$GP_DATA" 2>/dev/null)
R2=$(jq -r .token <<<"$out")
APP_ID=$ROOT_ID APP_TOKEN=$R2 api POST /api/v1/integrations/test
is "$STATUS" 200 "CLI-rotated value works"
"$GP_BIN" token revoke "$ROOT_ID" --data "$GP_DATA" >/dev/null 2>&1
APP_ID=$ROOT_ID APP_TOKEN=$R2 api POST /api/v1/integrations/test
is "$STATUS" 401 "CLI-revoked token is refused"
"$GP_BIN" token create --data "$GP_DATA" --name x --scopes iguide.nope >/dev/null 2>&1
is "$?" 2 "CLI refuses an unknown scope with exit 2"
"$GP_BIN" token revoke not-a-uuid --data "$GP_DATA" >/dev/null 2>&1
is "$?" 2 "CLI refuses a malformed id with exit 2"
done_testing
