#!/usr/bin/env bash
# The view page's access answers, row by row against the View access, expiration & deletion
# guide ("View access modes" and "HTTP responses for protected views"), through GET /{viewId}:
# public → 200 for anyone; protected → 302 to sign-in for nobody, 403 "Access Denied" for a
# signed-in stranger, 200 for a viewer (by email or id), a viewer-group member, an editor, the
# manager (an operator account), and with a valid access token (?authtoken=, then its cookie).
# Tokens: per view, 3 weeks, dead with their view. Deleting accounts and groups leaves views whole.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock --rate-limit 0
token rw iguide.rw --expires-in 3660
RW_ID=$APP_ID RW_TOKEN=$APP_TOKEN
token ev iguide.events --expires-in 3660
EV_ID=$APP_ID EV_TOKEN=$APP_TOKEN
token ro iguide.ro --expires-in 3660
RO_ID=$APP_ID RO_TOKEN=$APP_TOKEN
as_rw() { APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN; }
# The clock stands still on a whole second, so "3 weeks" can be checked to the second.
T0="$(( $(date -u +%Y) + 1 ))-03-10T09:00:00Z"
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$T0\", \"freeze\": true}"
as_rw

gp() { "$GP_BIN" "$@" --data "$GP_DATA" 2>>"$T_TMP/cli.log"; }
mkuser() { printf '%s\n' "$2" | gp user create --email "$1" --password-stdin "${@:3}" | jq -r .id; }
VIEWER=$(mkuser viewer@example.com viewer-pass-1)
IDVIEWER=$(mkuser byid@example.com byid-pass-11)
MEMBER=$(mkuser member@example.com member-pass-1)
EDITOR=$(mkuser editor@example.com editor-pass-1)
MANAGER=$(mkuser manager@example.com manager-pass1 --operator)
STRANGER=$(mkuser stranger@example.com stranger-pass)
GROUP=$(gp group create --name Team | jq -r .id)
gp group add "$GROUP" member@example.com >/dev/null

# A commercial iGUIDE (protected by default) with the editor, and a residential one (public).
api POST /api/v1/iguides -d "$(jq -c '.industry = "commercial" | .editors = ["Editor@Example.com"]' <<<"$TUTORIAL_IGUIDE")"
IG=$(jb .id) PROT=$(jb .defaultViewId)
api PATCH /api/v1/views/$PROT -d "{\"viewers\":[\"VIEWER@example.com\",\"$IDVIEWER\"],\"viewerGroups\":[\"$GROUP\"]}"
is "$STATUS $(jb .isProtected)" "200 true" "a commercial iGUIDE's default view is protected; viewers and groups set"
api POST /api/v1/iguides -d "$TUTORIAL_IGUIDE"
PUB=$(jb .defaultViewId)
api POST /api/v1/iguides/$IG/views -d '{"isProtected": true}'
OTHER=$(jb .id)

# session EMAIL PASSWORD: signs in through the form; sets SID (the session cookie value).
session() {
  local jar=$T_TMP/jar.$1
  rm -f "$jar"
  local form csrf
  form=$(curl -sS -c "$jar" -b "$jar" "$GP_URL/signin")
  csrf=$(grep -v signout <<<"$form" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
  curl -sS -o /dev/null -c "$jar" -b "$jar" -X POST --data-urlencode "email=$1" \
    --data-urlencode "password=$2" --data-urlencode "csrf=$csrf" "$GP_URL/signin"
  SID=$(awk '$6 == "gp_session" {print $7}' "$jar")
}

# ---- "Public: Anyone with the URL can view the iGUIDE. No authentication required." ------------
view /$PUB
is "$STATUS" 200 "public view, nobody signed in: 200"
like "$BODY" '200 University Ave' "... the page names the iGUIDE"
like "$BODY" 'data-state="processing"' "... and says it is processing (work order not done)"
session stranger@example.com stranger-pass
view /$PUB -H "Cookie: gp_session=$SID"
is "$STATUS" 200 "public view, any signed-in account: 200"

# ---- "No authenticated user | 302 | Redirect to sign-in page" ---------------------------------
view /$PROT
is "$STATUS" 302 "protected view, no authenticated user: 302"
is "$(header Location)" "/signin?return=/$PROT" "... redirecting to the sign-in page with a return path"
view "/$(header Location | sed 's/^\///')"
is "$STATUS" 200 "... and the sign-in page it names answers"
view /$PROT -H "Cookie: gp_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is "$STATUS" 302 "a forged session is nobody: 302"

# ---- "Authenticated but not authorized | 403 | Access Denied" ---------------------------------
view /$PROT -H "Cookie: gp_session=$SID"
is "$STATUS" 403 "protected view, signed in but not authorized: 403"
like "$BODY" '<h1>Access Denied</h1>' "... saying Access Denied"
like "$BODY" 'Signed in as <strong>stranger@example.com</strong>' "... naming the account and offering sign-out"

# ---- authorized accounts: 200 -------------------------------------------------------------------
for who in "viewer@example.com viewer-pass-1 a viewer (by email, in another case)" \
           "byid@example.com byid-pass-11 a viewer (by account id)" \
           "member@example.com member-pass-1 a member of one of its viewer groups" \
           "editor@example.com editor-pass-1 an editor of the iGUIDE" \
           "manager@example.com manager-pass1 the manager (operator account)"; do
  set -- $who
  session "$1" "$2"
  view /$PROT -H "Cookie: gp_session=$SID"
  is "$STATUS" 200 "protected view, ${*:3}: 200"
done
session viewer@example.com viewer-pass-1
view /$OTHER -H "Cookie: gp_session=$SID"
is "$STATUS" 403 "a viewer of one view is denied another view of the same iGUIDE"
session member@example.com member-pass-1
MSID=$SID

# ---- "Valid access token | 200 | Normal view content" ------------------------------------------
api POST /api/v1/views/$PROT/accessTokens
is "$STATUS" 200 "POST /views/{id}/accessTokens issues a token"
TOK=$(jb .token)
like "$TOK" '^gpat_[A-Za-z0-9_-]{43}$' "... an opaque token"
is "$(jb .viewId)" "$PROT" "... for that view"
NOW=$T0
is "$(jb .expiresAt)" "$(date -u -d "${T0%Z} UTC + 21 days" +%Y-%m-%dT%H:%M:%SZ)" "... expiring 3 weeks after issue"
view "/$PROT?authtoken=$TOK"
is "$STATUS" 200 "protected view, valid access token, nobody signed in: 200"
SC=$(header Set-Cookie)
like "$SC" "^gp_at_$PROT=$TOK; Path=/; Max-Age=1814400; HttpOnly; SameSite=Lax$" \
     "... setting the token cookie so the page's assets load"
view /$PROT -H "Cookie: gp_at_$PROT=$TOK"
is "$STATUS" 200 "the token cookie alone opens the view"
view "/$PROT?authtoken=$TOK" -H "Cookie: gp_session=$(session stranger@example.com stranger-pass; echo $SID)"
is "$STATUS" 200 "a valid token opens the view for a signed-in stranger too"
view "/$OTHER?authtoken=$TOK"
is "$STATUS" 302 "a token for one view opens no other view"
view /$OTHER -H "Cookie: gp_at_$OTHER=$TOK"
is "$STATUS" 302 "... not even under the other view's cookie name"
view "/$PROT?authtoken=${TOK%?}x"
is "$STATUS" 302 "a tampered token is nobody"
APP_ID=$EV_ID APP_TOKEN=$EV_TOKEN
api POST /api/v1/views/$PROT/accessTokens
is "$STATUS" 200 "iguide.events may also issue access tokens"
APP_ID=$RO_ID APP_TOKEN=$RO_TOKEN
api POST /api/v1/views/$PROT/accessTokens
is "$STATUS $(jb .code)" "403 permission_denied" "iguide.ro may not"
as_rw
api POST /api/v1/views/vAAAAAAAAAAAAA/accessTokens
is "$STATUS $(jb .code)" "404 not_found" "no token for an unknown view"
api POST /api/v1/views/$PROT/accessTokens -d '{"viewId":"x"}'
is "$STATUS $(jb .code)" "400 invalid_argument" "the token request takes no fields"

# 3 weeks: one second before, still open; at the instant, closed.
api POST /api/v1/views/$OTHER/accessTokens
TOK2=$(jb .token) EXP2=$(jb .expiresAt)
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$(date -u -d "${EXP2%Z} UTC - 1 second" +%Y-%m-%dT%H:%M:%S.%3NZ)\", \"freeze\": true}"
view "/$OTHER?authtoken=$TOK2"
is "$STATUS" 200 "an access token one second before its 3 weeks are up: 200"
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$EXP2\", \"freeze\": true}"
view "/$OTHER?authtoken=$TOK2"
is "$STATUS" 302 "... at 3 weeks: no longer valid (302)"
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$NOW\", \"freeze\": true}"
as_rw

# ---- deletion: a deleted view's token opens nothing; deleted people leave views whole --------
api POST /api/v1/views/$OTHER/accessTokens
TOK3=$(jb .token)
api DELETE /api/v1/views/$OTHER
is "$STATUS" 200 "a view with a live token is deleted"
view "/$OTHER?authtoken=$TOK3"
is "$STATUS" 404 "the deleted view's page is 404, token or not"
gp group delete "$GROUP" >/dev/null
view /$PROT -H "Cookie: gp_session=$MSID"
is "$STATUS" 403 "after its group is deleted, a former member is denied"
gp user delete viewer@example.com >/dev/null
api GET /api/v1/views/$PROT
is "$STATUS $(jb '.viewers | length') $(jb '.viewerGroups[0]')" "200 2 $GROUP" \
   "the view still reads, naming the deleted account and group"
api PATCH /api/v1/views/$PROT -d '{"description":"still editable"}'
is "$STATUS" 200 "... and still updates"

# ---- public/protected switch and bad ids --------------------------------------------------------
api PATCH /api/v1/views/$PROT -d '{"isProtected": false}'
view /$PROT
is "$STATUS" 200 "made public, the view opens for anyone"
view /vNOTAREALVIEW1
is "$STATUS" 404 "an unknown view id is 404"
like "$(header Content-Type)" '^text/html' "... as an HTML page"
view /not-a-view
is "$STATUS" 404 "a path that is no view id is 404"

done_testing
