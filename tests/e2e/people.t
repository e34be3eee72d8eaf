#!/usr/bin/env bash
# Viewer accounts and groups, sign-in and sign-out (docs/access.md): the user and group CLI, the
# /api/v1/viewerGroups endpoints, the sign-in form with its CSRF pair (a nonce cookie and its HMAC
# in the form; made-up pairs and cross-origin posts refused), cookies with curl cookie
# jars (HttpOnly, SameSite=Lax, Path=/, Secure only over https), no account enumeration, open
# redirects refused, session fixation refused, the attempt limit, sign-out with its CSRF token.
. "$(dirname "$0")/../lib/tap.sh"
start_server --signin-attempts 4
token groups iguide.rw --expires-in 3660
RW_ID=$APP_ID RW_TOKEN=$APP_TOKEN
token reader iguide.ro --expires-in 3660
RO_ID=$APP_ID RO_TOKEN=$APP_TOKEN
APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN

gp() { "$GP_BIN" "$@" --data "$GP_DATA" 2>>"$T_TMP/cli.log"; }

# ---- user CLI ---------------------------------------------------------------------------------
out=$(gp user create --email Alice@Example.com)
is "$?" 0 "user create without --password-stdin succeeds"
ALICE=$(jq -r .id <<<"$out") ALICE_PW=$(jq -r .password <<<"$out")
like "$ALICE" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "an account id is a UUID"
like "$ALICE_PW" '^[A-Za-z2-9_-]{20}$' "a generated password is printed once"
is "$(jq -r '[.email, .disabled, .isOperator] | map(tostring) | join(" ")' <<<"$out")" \
   "Alice@Example.com false false" "the account keeps its email as given"
out=$(printf 'b0b-secret-pw\n' | gp user create --email bob@example.com --password-stdin)
is "$(jq -r 'has("password")' <<<"$out")" false "--password-stdin prints no password"
BOB=$(jq -r .id <<<"$out")
printf 'whatever-pw\n' | gp user create --email ALICE@example.COM --password-stdin >/dev/null
is "$?" 2 "a second account for the same email in another case is refused"
grep -q "already exists" "$T_TMP/cli.log"; ok $? "... with a clear message"
printf 'short\n' | gp user create --email carol@example.com --password-stdin >/dev/null
is "$?" 2 "a password under 8 characters is refused"
gp user create --email not-an-email >/dev/null
is "$?" 2 "a malformed email is refused"
is "$(gp user list | jq -r '[.users[].email] | join(",")')" "Alice@Example.com,bob@example.com" "user list"
! grep -q '"password' <(gp user list); ok $? "user list shows no password hash"
grep -q "argon2id" "$GP_DATA/guidepost.db"; ok $? "the stored hash is argon2id"
! grep -q "b0b-secret-pw" "$GP_DATA/guidepost.db"; ok $? "the password itself is not stored"

# ---- group CLI --------------------------------------------------------------------------------
out=$(gp group create --name "Appraisers")
G1=$(jq -r .id <<<"$out")
is "$(jq -r '[.name, .memberCount] | map(tostring) | join(" ")' <<<"$out")" "Appraisers 0" "group create"
is "$(gp group add "$G1" bob@EXAMPLE.com | jq -r '[.members[].id] | join(",")')" "$BOB" "group add by email (any case)"
is "$(gp group add "$G1" "$ALICE" | jq -r .memberCount)" 2 "group add by id"
is "$(gp group add "$G1" "$ALICE" | jq -r .memberCount)" 2 "adding a member twice is harmless"
is "$(gp group remove "$G1" "$ALICE" | jq -r .memberCount)" 1 "group remove"
gp group remove "$G1" "$ALICE" >/dev/null; is "$?" 2 "removing a non-member is an error"
gp group add "$G1" nobody@example.com >/dev/null; is "$?" 2 "adding an unknown account is an error"
is "$(gp group list | jq -r '.viewerGroups | map("\(.name)=\(.memberCount)") | join(",")')" "Appraisers=1" "group list"
G2=$(gp group create --name Temp | jq -r .id)
is "$(gp group delete "$G2" | jq -r .deleted)" true "group delete"
gp group show "$G2" >/dev/null; is "$?" 2 "a deleted group is gone"

# ---- viewer groups over the Portal API -------------------------------------------------------
api POST /api/v1/viewerGroups -d "{\"name\":\"Buyers\",\"members\":[\"alice@example.com\"]}"
is "$STATUS" 200 "POST /viewerGroups"
G3=$(jb .id)
is "$(jb '[.name, .memberCount, .members[0].id] | map(tostring) | join(" ")')" "Buyers 1 $ALICE" "... with its members"
api GET /api/v1/viewerGroups
is "$(jb '[.viewerGroups[].name] | join(",")')" "Appraisers,Buyers" "GET /viewerGroups lists every group"
api PATCH /api/v1/viewerGroups/$G3 -d '{"name":"Buyers 2027"}'
is "$STATUS $(jb .name)" "200 Buyers 2027" "PATCH renames"
api POST /api/v1/viewerGroups/$G3/members -d "{\"user\":\"$BOB\"}"
is "$STATUS $(jb .memberCount)" "200 2" "POST members adds by id"
api DELETE "/api/v1/viewerGroups/$G3/members/bob@example.com"
is "$STATUS $(jb .memberCount)" "200 1" "DELETE members/{email} removes"
api DELETE "/api/v1/viewerGroups/$G3/members/bob@example.com"
is "$STATUS $(jb .code)" "404 not_found" "removing a non-member is 404"
api POST /api/v1/viewerGroups -d '{"name":""}'
is "$STATUS $(jb .code)" "400 invalid_argument" "an empty name is refused"
api POST /api/v1/viewerGroups -d '{"name":"x","color":"red"}'
is "$STATUS $(jb .code)" "400 invalid_argument" "an unknown field is refused"
api POST /api/v1/viewerGroups -d '{"name":"x","members":["ghost@example.com"]}'
is "$STATUS $(jb .code)" "400 invalid_argument" "an unknown member is refused"
like "$(jb .message)" 'members\[0\]' "... naming the member"
api POST /api/v1/viewerGroups/$G3/members -d '{"user": 5}'
is "$STATUS $(jb .code)" "400 invalid_argument" "a member that is not a string is refused"
api GET /api/v1/viewerGroups/00000000-0000-4000-8000-000000000000
is "$STATUS $(jb .code)" "404 not_found" "an unknown group is 404"
api GET /api/v1/viewerGroups/not-a-uuid
is "$STATUS $(jb .code)" "404 not_found" "a malformed group id is 404"
APP_ID=$RO_ID APP_TOKEN=$RO_TOKEN
api GET /api/v1/viewerGroups/$G3
is "$STATUS" 200 "iguide.ro reads groups"
api POST /api/v1/viewerGroups -d '{"name":"x"}'
is "$STATUS $(jb .code)" "403 permission_denied" "iguide.ro cannot create groups"
APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN
api DELETE /api/v1/viewerGroups/$G3
is "$STATUS $(jb .deleted)" "200 true" "DELETE /viewerGroups/{id}"
api GET /api/v1/viewerGroups/$G3
is "$STATUS" 404 "a deleted group is 404"

# ---- sign-in form -----------------------------------------------------------------------------
JAR=$T_TMP/jar
# page PATH [curl args]: an HTML request with the cookie jar; STATUS, BODY, HEADERS.
page() {
  local path=$1; shift
  : >"$T_TMP/h"
  BODY=$(curl -sS -b "$JAR" -c "$JAR" -D "$T_TMP/h" -o - -w '\n%{http_code}' "$@" "$GP_URL$path")
  STATUS=${BODY##*$'\n'}; BODY=${BODY%$'\n'*}
  HEADERS=$(tr -d '\r' <"$T_TMP/h")
}
# The sign-in form's token (the sign-out form, when shown, sits on its own line).
csrf_of() { grep -v signout <<<"$BODY" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1; }
# signin EMAIL PASSWORD [RETURN] [CSRF]: posts the form from the last page.
signin() {
  page /signin -X POST --data-urlencode "email=$1" --data-urlencode "password=$2" \
    --data-urlencode "return=${3:-/signin}" --data-urlencode "csrf=${4-$CSRF}"
}

rm -f "$JAR"
page "/signin?return=/vABCDEFGHJKMNP"
is "$STATUS" 200 "GET /signin shows the form"
like "$(header Content-Type)" '^text/html' "... as HTML"
like "$BODY" '<form method="post" action="/signin">' "... with a form posting to /signin"
like "$BODY" 'name="return" value="/vABCDEFGHJKMNP"' "... carrying the return path"
CSRF=$(csrf_of)
like "$CSRF" '^[A-Za-z0-9_-]{43}$' "... and a CSRF token"
SC=$(header Set-Cookie)
like "$SC" '^gp_csrf=[A-Za-z0-9_-]{43}; Path=/; ' "the CSRF nonce is a cookie"
NONCE=$(sed 's/^gp_csrf=\([^;]*\);.*/\1/' <<<"$SC")
ok "$([ "$NONCE" != "$CSRF" ]; echo $?)" "... and the form carries its HMAC, not the nonce itself"
like "$SC" 'HttpOnly' "... HttpOnly"
is "$(header X-Frame-Options)" DENY "the sign-in form cannot be framed"
page "/signin?return=/x"
is "$(csrf_of)" "$CSRF" "the form reuses the browser's CSRF cookie"

for bad in 'https://evil.example/' '//evil.example/' '/\evil.example' 'javascript:alert(1)' 'evil'; do
  page "/signin?return=$(jq -rn --arg v "$bad" '$v|@uri')"
  is "$STATUS" 400 "GET /signin refuses the return address $bad"
done

# Wrong password, unknown account, disabled account: the same answer.
signin alice@example.com wrong-password /vABCDEFGHJKMNP
is "$STATUS" 401 "a wrong password is 401"
like "$BODY" 'The email or password is incorrect' "... with the form and an error"
like "$BODY" 'value="alice@example.com"' "... keeping the email"
WRONG=$(sed 's/alice@example.com/X/g' <<<"$BODY" | grep -v 'csrf')
signin nobody@example.com wrong-password /vABCDEFGHJKMNP
is "$STATUS" 401 "an unknown account is 401 too"
is "$(sed 's/nobody@example.com/X/g' <<<"$BODY" | grep -v 'csrf')" "$WRONG" "... with exactly the same page (no enumeration)"
! grep -q '^Set-Cookie: gp_session' <<<"$HEADERS"; ok $? "a failed sign-in sets no session"

# CSRF: missing, wrong, or no cookie.
signin alice@example.com "$ALICE_PW" /signin ""
is "$STATUS" 403 "sign-in without the CSRF field is refused"
signin alice@example.com "$ALICE_PW" /signin "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
is "$STATUS" 403 "sign-in with a CSRF field that does not match the cookie is refused"
BODY=$(curl -sS -o /dev/null -w '%{http_code}' -X POST --data-urlencode "email=alice@example.com" \
  --data-urlencode "password=$ALICE_PW" --data-urlencode "csrf=$CSRF" "$GP_URL/signin")
is "$BODY" 403 "sign-in from a page without our cookie (cross-site) is refused"
# A pair the attacker makes up, well-formed and equal in cookie and field (what plain double submit
# accepted), is refused: only the server's HMAC of the nonce passes.
MADE_UP=$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=')
post_pair() {  # COOKIE-HEADER CSRF [curl args]: a sign-in post for alice outside the jar
  curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $1" --data-urlencode "email=alice@example.com" \
    --data-urlencode "password=$ALICE_PW" --data-urlencode "csrf=$2" "${@:3}" "$GP_URL/signin"
}
is "$(post_pair "gp_csrf=$MADE_UP" "$MADE_UP")" 403 "a made-up pair (the same value in cookie and field) is refused"
is "$(post_pair "gp_csrf=$NONCE" "$NONCE")" 403 "... also with a nonce this server issued, sent back as the field"
is "$(post_pair "gp_csrf=$MADE_UP" "$CSRF")" 403 "a real form token with another nonce in the cookie is refused"
is "$(post_pair "gp_csrf=$NONCE" "$CSRF" -H 'Sec-Fetch-Site: cross-site')" 403 "a genuine pair posted cross-site (Sec-Fetch-Site) is refused"
is "$(post_pair "gp_csrf=$NONCE" "$CSRF" -H 'Sec-Fetch-Site: same-site')" 403 "... and from a sibling origin of the same site"
is "$(post_pair "__Host-gp_csrf=$NONCE" "$CSRF")" 403 "over http the nonce is read from gp_csrf only"
is "$(post_pair "gp_csrf=$NONCE" "$CSRF" -H 'Sec-Fetch-Site: same-origin' -d return=/signin)" 303 "the genuine pair from the same origin signs in"

# Open redirects through the return field.
page "/signin"; CSRF=$(csrf_of)
for bad in 'https://evil.example/' '//evil.example' '/\evil'; do
  signin alice@example.com "$ALICE_PW" "$bad"
  is "$STATUS" 400 "POST /signin refuses the return address $bad"
  is "$(header Location)" "" "... and redirects nowhere"
done

# Session fixation: a session cookie planted before sign-in is not the one after.
echo -e "127.0.0.1\tFALSE\t/\tFALSE\t0\tgp_session\tPLANTEDplantedPLANTEDplantedPLANTEDplanted0" >>"$JAR"
signin Alice@Example.COM "$ALICE_PW" "/vABCDEFGHJKMNP?x=1"
is "$STATUS" 303 "a good sign-in is 303"
is "$(header Location)" "/vABCDEFGHJKMNP?x=1" "... to the return path"
SC=$(grep -i '^Set-Cookie: gp_session=' <<<"$HEADERS" | head -1)
like "$SC" '^Set-Cookie: gp_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=1209600; HttpOnly; SameSite=Lax$' \
     "the session cookie: HttpOnly, SameSite=Lax, Path=/, 14 days, no Secure over http"
! grep -q PLANTED <<<"$SC"; ok $? "the planted session id is not kept (session fixation)"
SESSION=$(sed 's/^Set-Cookie: gp_session=\([^;]*\);.*/\1/' <<<"$SC")

page /signin
like "$BODY" 'Signed in as <strong>Alice@Example.com</strong>' "the sign-in page names the signed-in account"
SOUT=$(sed -n 's/.*action="\/signout">.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$BODY" | head -1)
like "$SOUT" '^[0-9a-f]{64}$' "... with a sign-out form and its session-bound CSRF token"

# ---- sign-out ---------------------------------------------------------------------------------
page /signout -X POST --data-urlencode "csrf=$CSRF" --data-urlencode "return=/signin"
is "$STATUS" 403 "sign-out with the wrong CSRF token is refused"
page /signin
like "$BODY" 'Signed in as' "... and the session lives on"
page /signout -X POST --data-urlencode "csrf=$SOUT" --data-urlencode "return=//evil.example"
is "$STATUS" 400 "sign-out refuses an outside return address"
page /signout -X POST --data-urlencode "csrf=$SOUT" --data-urlencode "return=/signin?bye"
is "$STATUS $(header Location)" "303 /signin?bye" "sign-out with its token is 303 to the return path"
like "$(header Set-Cookie)" '^gp_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax' "... clearing the cookie"
code=$(curl -sS -o "$T_TMP/b" -w '%{http_code}' -H "Cookie: gp_session=$SESSION" "$GP_URL/signin")
! grep -q 'Signed in as' "$T_TMP/b"; ok $? "the old session secret no longer signs anyone in"

# ---- disabled accounts -----------------------------------------------------------------------
page /signin; CSRF=$(csrf_of)
signin bob@example.com b0b-secret-pw
is "$STATUS" 303 "bob signs in"
gp user disable bob@example.com >/dev/null
page /signin
! grep -q 'Signed in as' <<<"$BODY"; ok $? "disabling an account ends its sessions"
CSRF=$(csrf_of)
signin bob@example.com b0b-secret-pw /vABCDEFGHJKMNP
is "$STATUS" 401 "a disabled account cannot sign in"
is "$(sed 's/bob@example.com/X/g' <<<"$BODY" | grep -v csrf)" "$WRONG" "... and is told nothing more than a wrong password"
gp user enable bob@example.com >/dev/null
signin bob@example.com b0b-secret-pw
is "$STATUS" 303 "an enabled account signs in again"

# ---- the attempt limit (4 per email per 15 minutes here) ---------------------------------------
rm -f "$JAR"; page /signin; CSRF=$(csrf_of)
for i in 1 2 3 4; do signin carol-limit@example.com "wrong-$i"; done
is "$STATUS" 401 "attempts up to the limit are answered"
signin carol-limit@example.com wrong-5
is "$STATUS" 429 "the next attempt for the same email is 429"
like "$(header Retry-After)" '^[0-9]+$' "... with Retry-After"
like "$BODY" 'Too many sign-in attempts' "... and a readable page"
signin CAROL-LIMIT@example.com wrong-6
is "$STATUS" 429 "the limit ignores the email's case"
signin alice@example.com "$ALICE_PW"
is "$STATUS" 303 "another email from the same address still signs in"
signin carol-limit@example.com wrong-7; signin carol-limit@example.com wrong-8
for i in 1 2 3 4 5 6 7 8 9 10 11; do signin "spray$i@example.com" wrong; done
is "$STATUS" 429 "the per-address limit (5 x 4) stops a spray across many emails"

# ---- bodies and methods -----------------------------------------------------------------------
head -c 100000 /dev/zero | tr '\0' 'a' >"$T_TMP/big"
code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST --data-binary "@$T_TMP/big" "$GP_URL/signin" --max-time 5)
is "$code" 413 "an oversized sign-in body is refused"
api PUT /signin
is "$STATUS" 405 "PUT /signin is 405"

# ---- https: the same cookies get Secure ----------------------------------------------------------
stop_server
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" >/dev/null 2>&1 || { echo "Bail out! openssl failed"; exit 1; }
export CURL_CA_BUNDLE=$T_TMP/cert.pem
start_server --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
like "$GP_URL" '^https://' "the server listens on https"
rm -f "$JAR"; page /signin; CSRF=$(csrf_of)
SC=$(header Set-Cookie)
like "$SC" '^__Host-gp_csrf=[A-Za-z0-9_-]{43}; Path=/; .*HttpOnly; SameSite=Lax; Secure$' "over https the CSRF cookie is __Host- and Secure"
NONCE=$(sed 's/^__Host-gp_csrf=\([^;]*\);.*/\1/' <<<"$SC")
is "$(post_pair "gp_csrf=$NONCE" "$CSRF")" 403 "over https an unprefixed gp_csrf cookie (which any origin of the host could set) is not read"
signin alice@example.com "$ALICE_PW" /signin
is "$STATUS" 303 "sign-in over https"
like "$(grep -i '^Set-Cookie: gp_session=' <<<"$HEADERS")" '; HttpOnly; SameSite=Lax; Secure$' "over https the session cookie is Secure"

# A wrong method on the sign-in page is answered for people, in HTML, with Allow.
out=$(curl -sS -k -X PUT -D - -o "$T_TMP/b405" "$GP_URL/signin" | tr -d '\r')
like "$(head -1 <<<"$out")" ' 405' "PUT /signin is 405"
like "$(grep -i '^Content-Type:' <<<"$out")" 'text/html' "as an HTML page"
like "$(grep -i '^Allow:' <<<"$out")" 'GET' "with Allow"

done_testing
