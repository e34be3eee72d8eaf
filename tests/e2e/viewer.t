#!/usr/bin/env bash
# The public side of views, row by row against the View access, expiration & deletion guide: the
# access modes and the 302/403/200 answers of protected views; every row of "What happens when a
# view expires" across midnight UTC on a frozen test clock (one second before: open; at midnight:
# locked) and extending to unlock; deletion (default view kept, others 404 on every surface); the
# "Current limitations" rows; and route precedence (/api/v1, /healthz, /_test keep theirs).
# A processed iGUIDE (a sample Stitch TAR uploaded with the AWS CLI and processed to done) shows
# what a ready view serves and what locking withholds.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --test-clock --rate-limit 0 --stage-seconds 0
token rw iguide.rw,iguide.ro,iguide.tasks --expires-in 3660
RW_ID=$APP_ID RW_TOKEN=$APP_TOKEN
as_rw() { APP_ID=$RW_ID APP_TOKEN=$RW_TOKEN; }
clock_at() { APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$1\", \"freeze\": true}"; }
new_iguide() {
  as_rw
  api POST /api/v1/iguides -d "$(jq -c "$1" <<<"$TUTORIAL_IGUIDE")"
  IG=$(jb .id) DV=$(jb .defaultViewId) ALIAS=$(jb .alias) WO=$(jb .workOrderId)
}
new_view() { as_rw; api POST "/api/v1/iguides/$1/views" -d "$2"; VID=$(jb .id); }
# page_has TEXT DESCRIPTION / page_lacks: on the last body.
page_has() { if grep -qF -- "$1" <<<"$BODY"; then ok 0 "$2"; else ok 1 "$2"; diag "no '$1' in: $(head -c 600 <<<"$BODY")"; fi; }
page_lacks() { if grep -qF -- "$1" <<<"$BODY"; then ok 1 "$2"; diag "found '$1'"; else ok 0 "$2"; fi; }

Y=$(( $(date -u +%Y) + 1 ))
T0="$Y-03-10T09:00:00Z"
clock_at "$T0"

# ---- route precedence ---------------------------------------------------------------------------
view /healthz
is "$STATUS" 200 "/healthz keeps its route"
view /api/v1/scopes
is "$STATUS $(jb 'type')" "200 array" "/api/v1/scopes keeps its route"
view /api/v1/nothing
is "$STATUS $(jb .code)" "404 not_found" "an unknown /api/v1 path stays a JSON 404 of the API"
view /api
is "$STATUS $(jb .code)" "404 not_found" "/api is never taken for an alias"
view /_test/clock
is "$STATUS $(jb .frozen)" "200 true" "/_test/clock keeps its route"
view /
is "$STATUS $(jb .code)" "404 not_found" "the root stays the API's 404"

# ---- a public view, not yet processed -----------------------------------------------------------
new_iguide '.address.streetName = "University <Ave>"'
RES=$IG RES_DV=$DV RES_ALIAS=$ALIAS RES_WO=$WO
view "/$RES_DV"
is "$STATUS" 200 "access modes, Public: anyone with the URL loads the view page, no authentication"
is "$(header Content-Type)" "text/html; charset=utf-8" "the view page is HTML"
page_has "This iGUIDE is being processed" "a view whose work order is not done shows the processing page"
page_has "University &lt;Ave&gt;" "the address is shown, HTML-escaped"
page_lacks "University <Ave>" "no raw markup from data reaches the page"
is "$(header X-Frame-Options)" "" "no X-Frame-Options: view pages load inside an iframe on any site"
like "$(header Content-Security-Policy)" "frame-ancestors \*" "CSP frame-ancestors * (the tutorial's iframe embed)"
is "$(header Cache-Control)" "no-store" "view pages are never cached (lock and deletion take effect at once)"
view "/$RES_ALIAS"
page_has "University &lt;Ave&gt;" "GET /{alias} renders the iGUIDE's default view"
is "$STATUS" 200 "GET /{alias} answers 200"
view "/$RES_ALIAS/"
is "$STATUS" 200 "the alias URL with a trailing slash (publicUrl form) works too"
view "/embed/$RES_DV"
is "$STATUS" 200 "GET /embed/{viewId} answers 200"
page_lacks '<header class="bar">' "the embed has no page chrome"
like "$(header Content-Security-Policy)" "frame-ancestors \*" "the embed may be framed by any site"
view "/$RES_DV/data/status"
is "$STATUS $BODY" '200 {"status":"not-ready"}' "/data/status is not-ready before processing is done"
view "/$RES_DV/data/summary"
is "$STATUS $(jb .status)" "200 not-ready" "/data/summary says not-ready before processing is done"
view "/$RES_ALIAS/reso/autofill"
is "$STATUS $(jb '."@reso.context"')" "200 urn:reso:metadata:1.7:resource:property" "RESO autofill by alias (the §6.7 example's form)"
is "$(jb '.value[0] | [.StreetNumber, .City, .Country] | join("|")')" "200|Waterloo|CA" "RESO autofill carries the address"
is "$(jb '.value[0].Media[0].MediaCategory')" "Branded Virtual Tour" "RESO Media lists the branded tour"
view "/$RES_DV/doc/floorplan_metric_en.pdf"
is "$STATUS" 404 "no media before processing is done"
view "/static/viewer.js"
is "$STATUS $(header Content-Type)" "200 text/javascript; charset=utf-8" "the panorama viewer is served by the binary"
view "/static/locked.svg"
is "$STATUS $(header Content-Type)" "200 image/svg+xml" "the locked fallback image is served by the binary"
view "/static/nothing.js"
is "$STATUS" 404 "unknown static file: 404"
view "/vAAAAAAAAAAAAA"
is "$STATUS $(header Content-Type)" "404 text/html; charset=utf-8" "an unknown view id is a real 404 page"
page_has "iGUIDE not found" "the 404 page says so"
view "/no_such_alias"
is "$STATUS" 404 "an unknown alias is a 404"
view "/vAAAAAAAAAAAAA/data/status"
is "$STATUS $(jb .code)" "404 not_found" "the data API of an unknown view is a JSON 404"
APP_ID= APP_TOKEN= api POST "/$RES_DV"
is "$STATUS" 404 "only GET and HEAD reach the viewer"
APP_ID= APP_TOKEN= api HEAD "/$RES_DV" -I
is "$STATUS" 200 "HEAD on a view page"

# ---- protected views: "HTTP responses for protected views" --------------------------------------
new_view "$RES" '{"isProtected": true}'
PV=$VID
view "/$PV"
is "$STATUS" 302 "protected, no authenticated user: 302"
is "$(header Location)" "/signin?return=/$PV" "… redirecting to the sign-in page with the return URL"
view "/embed/$PV?x=1"
is "$STATUS" 302 "protected embed, nobody signed in: 302 too"
like "$(header Location)" "^/signin\?return=.*embed.*$PV.*x.*1" "… with the embed URL and its query as the return URL"
view "/$PV/doc/floorplan_metric_en.pdf"
is "$STATUS" 302 "protected media, nobody signed in: 302 to sign in"
view "/$PV/data/status"
is "$STATUS $(jb .code)" "401 unauthenticated" "protected data API, nobody signed in: 401 JSON (no redirect for programs)"
view "/$PV?authtoken=gpat_bogus"
is "$STATUS" 302 "an unknown access token counts as absent: 302"
as_rw
api GET "/api/v1/views/$PV"
is "$STATUS $(jb .isProtected)" "200 true" "the Portal API is not affected by view protection"

as_rw
api POST "/api/v1/views/$PV/accessTokens"
is "$STATUS" 200 "an access token is issued for the protected view (POST /views/{id}/accessTokens)"
AT=$(jb '.token // .authtoken')
view "/$PV?authtoken=$AT"
is "$STATUS" 200 "protected, valid access token: 200 normal view content"
SC=$(header Set-Cookie)
like "$SC" "HttpOnly" "the accepted token is also set as a cookie so the page's assets load"
CK=${SC%%;*}
view "/$PV/data/status" -H "Cookie: $CK"
is "$STATUS $(jb .status)" "200 not-ready" "the token's cookie opens the data API of that view"
view "/$PV/data/status?authtoken=$AT"
is "$STATUS" 200 "the token as ?authtoken= opens the data API"
view "/$RES_DV/data/status?authtoken=$AT"
is "$STATUS" 200 "(a public view stays public with any token)"
new_view "$RES" '{"isProtected": true}'
view "/$VID?authtoken=$AT"
is "$STATUS" 302 "a token of another view opens nothing: 302"

printf 'correct horse battery\n' | "$GP_BIN" user create --data "$GP_DATA" --email out@example.com --password-stdin >/dev/null 2>>"$T_TMP/cli.log"
JAR=$T_TMP/jar
curl -sS -c "$JAR" -b "$JAR" -o "$T_TMP/signin.html" "$GP_URL/signin?return=/$PV"
CSRF=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$T_TMP/signin.html" | head -1)
curl -sS -c "$JAR" -b "$JAR" -o /dev/null -d "email=out@example.com&password=correct+horse+battery&csrf=$CSRF&return=/$PV" "$GP_URL/signin"
view "/$PV" -b "$JAR"
is "$STATUS" 403 "protected, authenticated but not authorized: 403"
page_has "Access Denied" "… Access Denied"
view "/$PV/data/status" -b "$JAR"
is "$STATUS $(jb .message)" "403 Access Denied" "… and the data API answers 403 Access Denied as JSON"

# ---- "What happens when a view expires", across midnight UTC --------------------------------------
new_view "$RES" "{\"expiresAt\": \"$Y-06-15T15:30:00Z\"}"
EV=$VID
clock_at "$Y-06-15T23:59:59Z"
view "/$EV"
is "$STATUS" 200 "one second before midnight UTC after expiresAt: the page loads"
page_lacks "has been locked" "… and is not locked"
view "/$EV/data/status"
is "$BODY" '{"status":"not-ready"}' "… /data/status is not locked yet"
clock_at "$Y-06-16T00:00:00Z"
view "/$EV"
is "$STATUS" 200 "Public iGUIDE page at midnight UTC after expiresAt: loads (200)"
page_has "This iGUIDE has been locked" "… but displays a locked screen"
page_lacks "being processed" "… and nothing else of the iGUIDE"
view "/$EV/doc/floorplan_metric_en.svg"
is "$STATUS $(header Location)" "302 /static/locked.svg" "Floor plan assets: blocked, redirect to a fallback image"
view "/$EV/pano/P1.jpg"
is "$STATUS $(header Location)" "302 /static/locked.svg" "Panorama assets: blocked, redirect to a fallback image"
view "/$EV/data/summary"
is "$STATUS $BODY" '403 {"code":"permission_denied","message":"iGUIDE View is locked"}' \
   "Data API endpoints: HTTP 403 with \"iGUIDE View is locked\" (summary)"
view "/$EV/reso/autofill"
is "$STATUS $(jb .message)" "403 iGUIDE View is locked" "Data API endpoints: HTTP 403 with \"iGUIDE View is locked\" (RESO autofill)"
view "/$EV/data/status"
is "$STATUS $BODY" '200 {"status":"locked"}' "Status endpoint (/data/status): {\"status\": \"locked\"} (HTTP 200)"
view "/embed/$EV"
is "$STATUS" 200 "Embedded iGUIDE: the embed answers 200"
page_has "This iGUIDE has been locked" "Embedded iGUIDE: shows the locked screen in the iframe"
like "$(header Content-Security-Policy)" "frame-ancestors \*" "… and may still be framed"
as_rw
api GET "/api/v1/views/$EV"
is "$STATUS $(jb .locked)" "200 true" "Portal API not affected: read the locked view"
api PATCH "/api/v1/views/$EV" -d '{"description": "still manageable"}'
is "$STATUS $(jb .description)" "200 still manageable" "Portal API not affected: update the locked view"
api PUT "/api/v1/views/$EV/expires" -d "{\"expiresAt\": \"$Y-06-20T12:00:00Z\"}"
is "$STATUS $(jb .locked)" "200 false" "Portal API not affected: extend the locked view"
view "/$EV"
page_lacks "has been locked" "extending the expiration date restores access (nothing was deleted)"
view "/$EV/data/status"
is "$BODY" '{"status":"not-ready"}' "… /data/status is no longer locked"
view "/$EV/doc/floorplan_metric_en.svg"
is "$STATUS" 404 "… media are no longer redirected to the fallback image"
clock_at "$Y-06-20T23:59:59Z"
view "/$EV/data/status"
is "$BODY" '{"status":"not-ready"}' "the extended view stays open through its new expiresAt day"
clock_at "$Y-06-21T00:00:00Z"
view "/$EV/data/status"
is "$BODY" '{"status":"locked"}' "the extended date locks again at the next midnight UTC"
# A locked protected view tells a stranger nothing, not even that it is locked.
new_view "$RES" "{\"isProtected\": true, \"expiresAt\": \"$Y-06-01T00:00:00Z\"}"
view "/$VID/data/status"
is "$STATUS" 401 "a locked protected view still asks for sign-in first"
view "/$VID"
is "$STATUS" 302 "… and its page redirects to sign in"
clock_at "$T0"

# ---- "View deletion" ------------------------------------------------------------------------------
as_rw
api DELETE "/api/v1/views/$RES_DV"
is "$STATUS $(jb .code)" "403 permission_denied" "Default view: cannot be deleted (HTTP 403)"
view "/$RES_DV"
is "$STATUS" 200 "… and its page keeps working"
new_view "$RES" '{}'
DELV=$VID
view "/$DELV"
is "$STATUS" 200 "an additional view's page before deletion"
as_rw
api DELETE "/api/v1/views/$DELV"
is "$STATUS" 200 "Additional views: DELETE /api/v1/views/:id deletes them"
for path in "/$DELV" "/embed/$DELV" "/$DELV/doc/floorplan_metric_en.pdf" "/$DELV/pano/P1.jpg" \
            "/$DELV/data/status" "/$DELV/data/summary" "/$DELV/reso/autofill"; do
  view "$path"
  is "$STATUS" 404 "a deleted view answers 404: $path"
done
view "/$DELV"
page_has "iGUIDE not found" "… with a real 404 page"
as_rw
api GET "/api/v1/views/$DELV"
is "$STATUS" 404 "… and the Portal API answers 404 too (no undo)"
new_iguide '.'
GONE=$IG GONE_DV=$DV GONE_ALIAS=$ALIAS
as_rw
api DELETE "/api/v1/iguides/$GONE"
for path in "/$GONE_DV" "/$GONE_ALIAS" "/embed/$GONE_DV" "/$GONE_ALIAS/doc/floorplan_metric_en.pdf" \
            "/$GONE_DV/data/status"; do
  view "$path"
  is "$STATUS" 404 "a deleted iGUIDE's view answers 404: $path"
done

# ---- "Current limitations" ------------------------------------------------------------------------
view "/$DELV/data/status"
is "$STATUS" 404 "No deletion webhook: validating a stored view reference is one GET (404 when deleted)"
new_view "$RES" '{}'
UV=$VID
as_rw
api PATCH "/api/v1/views/$UV" -d '{"description": "v2", "isProtected": false}'
is "$(jb .id)" "$UV" "No URL versioning: the view id (its URL) does not change when it is updated"
view "/$UV"
is "$STATUS" 200 "… and the same URL keeps answering"
new_view "$RES" "{\"expiresAt\": \"$Y-04-01T00:00:01Z\"}"
clock_at "$Y-04-01T23:59:59Z"
view "/$VID/data/status"
is "$BODY" '{"status":"not-ready"}' "Day-granularity expiration: not at the exact timestamp (open all of the expiresAt day)"
clock_at "$Y-04-02T00:00:00Z"
view "/$VID/data/status"
is "$BODY" '{"status":"locked"}' "… but at the start of the next day, midnight UTC"
clock_at "$T0"

# ---- a processed iGUIDE ----------------------------------------------------------------------------
# The AWS CLI signs with the machine's time, so the server's clock goes back to it (running).
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"freeze\": false}"
PAST=$(date -u -d '-2 days' +%Y-%m-%dT00:00:00Z) FUTURE=$(date -u -d '+30 days' +%Y-%m-%dT00:00:00Z)
as_rw
new_work_order
upload_sample --levels 2 --rooms 4 --panos 2
wait_done
is "$WO_STATUS" done "the sample iGUIDE is processed (work order done)"
api GET "/api/v1/iguides/$IG"
RDV=$(jb .defaultViewId) RALIAS=$(jb .alias)
view "/$RDV"
is "$STATUS" 200 "a ready view page"
page_has 'class="view view-ready"' "… shows the iGUIDE"
page_has '<canvas class="pano"' "… with the panorama viewer"
page_has "/doc/floorplan_metric_en.svg" "… the floor plan in the view's units (RMS: metric)"
page_has "m²" "… and the measurements"
view "/$RDV/data/status"
is "$BODY" '{"status":"ready"}' "/data/status: ready"
view "/$RDV/data/summary"
is "$STATUS $(jb .status) $(jb '.summary.buildings[0].id')" "200 ready 1" "/data/summary: {status, summary} with buildings"
is "$(jb '.summary.buildings[0] | [has("intAreaAboveGrade"), has("extAreaTotal"), has("finishedAreaTotal"), has("wallThickness")] | all')" true \
   "the summary carries the §6.6 building fields"
FIN=$(jb '.summary.buildings[0].finishedAreaAboveGrade')
view "/$RDV/reso/autofill"
is "$(jb '.value[0].LivingAreaUnits')" "Square Meters" "RESO: an RMS view reports square metres"
is "$(jb ".value[0].LivingArea == (($FIN / 1e6) * 100 | round / 100)")" true "RESO LivingArea is the finished area above grade"
is "$(jb '[.value[0].Media[] | select(.MediaCategory == "Floor Plan") | .MediaType] | unique | join(",")')" pdf "RESO Media lists the floor-plan PDFs"
view "/$RALIAS/doc/floorplan_metric_en.pdf"
is "$STATUS $(header Content-Type)" "200 application/pdf" "public media by alias: /{alias}/doc/floorplan_metric_en.pdf"
view "/$RDV/doc/floorplan_metric_en.svg"
is "$STATUS $(header Content-Type)" "200 image/svg+xml" "public media by view id: the SVG plan"
PANO=$(sed -n 's/.*data-src="\/[^"]*\/pano\/\([^"]*\)".*/\1/p' <<<"$(curl -s "$GP_URL/$RDV")" | head -1)
view "/$RDV/pano/$PANO"
is "$STATUS $(header Content-Type)" "200 image/jpeg" "a panorama: /{viewId}/pano/<id>.jpg"
as_rw
api PATCH "/api/v1/views/$RDV" -d "{\"expiresAt\": \"$PAST\"}"
view "/$RDV"
page_has "has been locked" "the locked page of a processed iGUIDE"
page_lacks "<canvas" "… shows no panoramas"
page_lacks "/doc/floorplan" "… no floor plans"
page_lacks "m²" "… no measurements"
view "/$RDV/doc/floorplan_metric_en.svg"
is "$STATUS $(header Location)" "302 /static/locked.svg" "a processed iGUIDE's floor plan redirects to the fallback when locked"
view "/$RDV/pano/$PANO"
is "$STATUS $(header Location)" "302 /static/locked.svg" "… and so does its panorama"
view "/$RDV/data/summary"
is "$STATUS" 403 "… and its summary is 403"
as_rw
api PUT "/api/v1/views/$RDV/expires" -d "{\"expiresAt\": \"$FUTURE\"}"
view "/$RDV/data/summary"
is "$STATUS $(jb .status)" "200 ready" "extending restores the data: nothing was deleted"

done_testing
