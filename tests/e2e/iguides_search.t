#!/usr/bin/env bash
# fullAddress on every address object the API returns, GET /iguides?search= (and q=): case- and
# accent-insensitive words matched against the full address, alias and id, paged like the list;
# unknown query parameters on list routes refused; the search terms of iGUIDEs that existed before
# migration 0007 filled in when it runs.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock
token all iguide.rw,iguide.ro,iguide.list,iguide.tasks,iguide.events,credentials.manage,operator

create() { api POST /api/v1/iguides -d "$(jq -c "$1" <<<"$TUTORIAL_IGUIDE")"; }
ids() { jb '[.iguides[].id] | join(" ")'; }
# search QUERY: the ids a GET /iguides?QUERY lists, into FOUND (BODY is kept for jb).
search() { api GET "/api/v1/iguides?$1"; FOUND=$(ids); }

# ---- fullAddress -----------------------------------------------------------------------------
create '.address.streetName = "University Ave W" | .address.unitNumber = "5"'
W5=$(jb .id)
api GET /api/v1/iguides/$W5
is "$(jb .address.fullAddress)" "5-200 University Ave W, Waterloo, ON N2L 3G1, Canada" \
   "GET /iguides/{id}: fullAddress as Canada Post writes it"
FULL=$(jb .address.fullAddress)
api GET "/api/v1/iguides?limit=1"
is "$(jb '.iguides[0].address.fullAddress')" "$FULL" "the list carries the same fullAddress"
# (The ready event and object carry the same text: webhooks_ready.t, once a work order is done.)
create '.address = {"country":"US","provinceState":"NY","city":"Buffalo","postalCode":"14201","streetName":"Main St","streetNumber":"12","unitNumber":"4B"}'
US=$(jb .id)
api GET /api/v1/iguides/$US
is "$(jb .address.fullAddress)" "12 Main St # 4B, Buffalo, NY 14201, United States" "a US address as USPS writes it"

# Output only: echoing it back unchanged is accepted, anything else is refused by name.
ADDR=$(jq -c .address <<<"$BODY")
api POST /api/v1/iguides -d "$(jq -c --argjson a "$ADDR" '.address = $a' <<<"$TUTORIAL_IGUIDE")"
is "$STATUS" 200 "an address echoed back with its fullAddress is accepted"
api DELETE /api/v1/iguides/$(jb .id)
create '.address.fullAddress = "somewhere else"'
is "$STATUS" 400 "a different fullAddress is refused"
like "$(jb .message)" "address.fullAddress is output only" "... naming the field"

# ---- search ----------------------------------------------------------------------------------
create '.address = {"country":"CA","provinceState":"QC","city":"Montréal","postalCode":"H2X 1Y4","streetName":"Rue Saint-Denis","streetNumber":"1200"}'
MTL1=$(jb .id) MTL1_ALIAS=$(jb .alias)
create '.address = {"country":"CA","provinceState":"QC","city":"Montréal","postalCode":"H3B 1A7","streetName":"Rue Sainte-Catherine O","streetNumber":"700"}'
MTL2=$(jb .id)
create '.address = {"country":"CA","provinceState":"QC","city":"Québec","postalCode":"G1R 4P5","streetName":"Rue Saint-Jean","streetNumber":"1200"}'
QC=$(jb .id)

search 'search=montreal'; is "$FOUND" "$MTL2 $MTL1" "montreal finds both Montréal iGUIDEs, newest first"
search 'search=MONTREAL'; is "$FOUND" "$MTL2 $MTL1" "MONTREAL: case does not matter"
search 'search=Montr%C3%A9al'; is "$FOUND" "$MTL2 $MTL1" "Montréal: accents do not matter"
search 'search=mont'; is "$FOUND" "$MTL2 $MTL1" "a word matches the beginning of a term"
search 'search=1200%20saint'; is "$FOUND" "$QC $MTL1" "two words: both must match (AND)"
search 'search=1200+saint-denis'; is "$FOUND" "$MTL1" "three words (saint-denis is two) narrow it to one"
search 'search=quebec%201200'; is "$FOUND" "$QC" "Québec by quebec"
search 'search=H2X1Y4'; is "$FOUND" "$MTL1" "a postal code without its space"
search 'search=h2x%201y4'; is "$FOUND" "$MTL1" "a postal code with its space"
search "search=$MTL1_ALIAS"; is "$FOUND" "$MTL1" "by alias"
search "search=${MTL1:0:6}"; is "$FOUND" "$MTL1" "by the beginning of the id"
lower=$(tr 'A-Z' 'a-z' <<<"$MTL1")
search "search=$lower"; is "$FOUND" "$MTL1" "by the id in lower case"
search 'q=montreal'; is "$FOUND" "$MTL2 $MTL1" "q is an alias of search"
search 'search=montreal%20buffalo'; is "$FOUND" "" "no iGUIDE has both words: empty"
is "$(jb .nextCursor)" null "... and no next page"
search 'limit=20'; ALL=$FOUND
search 'search='; is "$FOUND" "$ALL" "an empty search is no filter"

# Paging: 5 iGUIDEs on "Hamilton"; pages of 2 visit each once, newest first.
H=()
for n in 1 2 3 4 5; do
  create ".address.city = \"Hamilton\" | .address.streetNumber = \"$n\""
  H=("$(jb .id)" "${H[@]}")
done
search 'search=hamilton&limit=2'
seen=$FOUND
cur=$(jb .nextCursor)
pages=1
while [ "$cur" != null ]; do
  search "search=hamilton&limit=2&cursor=$cur"
  seen="$seen $FOUND"
  cur=$(jb .nextCursor)
  pages=$((pages + 1))
done
is "$seen" "${H[*]}" "paging a search visits every match once, newest first"
is "$pages" 3 "... in 3 pages of 2"

# Bounds.
api GET "/api/v1/iguides?search=a&q=b"
is "$STATUS $(jb .code)" "400 invalid_argument" "search and q together: 400"
like "$(jb .message)" "not both" "... saying so"
long=$(printf 'x%.0s' $(seq 1 201))
api GET "/api/v1/iguides?search=$long"
is "$STATUS" 400 "a search over 200 bytes: 400"
like "$(jb .message)" "at most 200 bytes" "... saying the bound"
api GET "/api/v1/iguides?q=a+b+c+d+e+f+g+h+i"
is "$STATUS" 400 "nine words: 400"
like "$(jb .message)" "q must have at most 8 words" "... naming q and the bound"
api GET "/api/v1/iguides?search=---"
is "$STATUS" 400 "a search without a letter or digit: 400"

# Deleting an iGUIDE takes it out of search.
api DELETE /api/v1/iguides/$MTL1
search 'search=montreal'; is "$FOUND" "$MTL2" "a deleted iGUIDE is not found any more"
search 'search=h2x1y4'; is "$FOUND" "" "... by any of its terms"

# ---- unknown query parameters on list routes ---------------------------------------------------
for path in "/api/v1/iguides?serach=x" "/api/v1/iguides/$QC/views?x=1" \
            "/api/v1/iguides/$QC/workOrders?status=done" "/api/v1/iguides/$QC/deliverables?page=2" \
            "/api/v1/webhookEvents?iguide=$QC" "/api/v1/apiTokens?limit=5" \
            "/api/v1/operator/workOrders?stauts=done" "/api/v1/viewerGroups?name=x" "/api/v1/scopes?all=1"; do
  name=${path#*\?}; name=${name%%=*}
  api GET "$path"
  is "$STATUS $(jb .code)" "400 invalid_argument" "GET ${path%%\?*}?$name=: 400"
  like "$(jb .message)" "unknown query parameter \"$name\"" "... naming $name"
done
api GET "/api/v1/webhookEvents?iguideId=$QC&limit=5"
is "$STATUS" 200 "the parameters a list reads still work"
api GET "/api/v1/operator/workOrders?status=empty&limit=5"
is "$STATUS" 200 "... on the operator list too"
api GET "/api/v1/iguides/$QC?anything=1"
is "$STATUS" 200 "a route that is not a list is not checked"

# ---- migration 0007 fills in the terms of iGUIDEs created before it ----------------------------
stop_server
sqlite3 "$GP_DATA/guidepost.db" "DROP TABLE iguide_search_terms; DELETE FROM schema_migrations WHERE version = 7;"
start_server --test-clock
search 'search=montreal'; is "$FOUND" "$MTL2" "after 0007 runs again, search finds the old iGUIDEs"
search 'search=hamilton&limit=100'; is "$(wc -w <<<"$FOUND")" 5 "... all of them"
done_testing
