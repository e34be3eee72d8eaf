#!/usr/bin/env bash
# iGUIDE resources: defaults by industry and country, defaultView parameters, aliases, listing
# with a cursor, reading with views and work orders, deletion.
. "$(dirname "$0")/../lib/tap.sh"
start_server --test-clock
token all iguide.rw,iguide.ro,iguide.list,iguide.tasks

create() { api POST /api/v1/iguides -d "$(jq -c "$1" <<<"$TUTORIAL_IGUIDE")"; }

create '.'
is "$STATUS" 200 "create"
FIRST=$(jb .id)
is "$(jb .type)/$(jb .industry)" "standard/residential" "type and industry are echoed"
create '.'
is "$(jb .alias)" "200_university_ave_waterloo_on_2" "the same address gets the next free alias"
create '.address.unitNumber = "12B"'
is "$(jb .alias)" "200_university_ave_12b_waterloo_on" "the unit is part of the alias"
create '.address.streetName = "Rue Saint-Étienne" | .address.city = "Québec" | .address.provinceState = "QC"'
is "$(jb .alias)" "200_rue_saint_etienne_quebec_qc" "accents are folded in the alias"

for ind in commercial irc aec; do
  create ".industry = \"$ind\""
  api GET /api/v1/iguides/$(jb .id)
  is "$(jb '.views[0].isProtected')" true "$ind: the default view is protected"
done
create '.address.country = "US" | .address.provinceState = "NY"'
api GET /api/v1/iguides/$(jb .id)
is "$(jb '.views[0].measStd')" ansi "US addresses measure in ANSI"
api GET /api/v1/iguides/$FIRST
is "$(jb '.views[0].measStd')" rms "other addresses measure in RMS"

create '.defaultView = {"isProtected": true, "expiresAt": "2028-02-17T00:00:00.000Z", "measStd": "ansi", "description": "Nice", "bannerId": "b1", "viewers": ["u1","u2"]} | .editors = ["e1"] | .applyDefaults = true | .webhooks = [{"event":"ready","url":"https://example.test/hook"}]'
is "$STATUS" 200 "create with every optional field"
api GET /api/v1/iguides/$(jb .id)
is "$(jb '.views[0] | [.isProtected, .expiresAt, .measStd, .description, .bannerId, (.viewers|join(","))] | map(tostring) | join("|")')" \
   "true|2028-02-17T00:00:00Z|ansi|Nice|b1|u1,u2" "defaultView parameters are stored"
is "$(jb '[.applyDefaults, (.editors|join(",")), .webhooks[0].event, .webhooks[0].url] | map(tostring) | join("|")')" \
   "true|e1|ready|https://example.test/hook" "applyDefaults, editors and webhooks are stored"
create '.defaultView = {"expiresAt": "2026-01-01T00:00:00Z"}'
is "$STATUS" 200 "a past expiresAt within a year is accepted"
api GET /api/v1/iguides/$(jb .id)
is "$(jb '.views[0].locked')" true "a past expiresAt locks the view"
create '.addons = []'
is "$STATUS" 200 "an empty addons list is tolerated"

# Listing: newest first, pages linked by an opaque cursor.
api GET "/api/v1/iguides?limit=3"
is "$(jb '.iguides | length')" 3 "a page of 3"
p1=$(jb '[.iguides[].id] | join(",")')
cur=$(jb .nextCursor)
like "$cur" '^[A-Za-z0-9_-]+$' "a next cursor"
all=()
seen=$p1
while [ "$cur" != null ]; do
  api GET "/api/v1/iguides?limit=3&cursor=$cur"
  seen="$seen,$(jb '[.iguides[].id] | join(",")')"
  cur=$(jb .nextCursor)
done
count=$(tr ',' '\n' <<<"$seen" | grep -c .)
uniq=$(tr ',' '\n' <<<"$seen" | grep . | sort -u | wc -l)
is "$count" 11 "paging visits every iGUIDE (11 created above)"
is "$uniq" 11 "paging visits none twice"
is "$(tr ',' '\n' <<<"$seen" | tail -1)" "$FIRST" "newest first: the first created comes last"

# Reading one.
api GET /api/v1/iguides/$FIRST
is "$(jb '.address | keys_unsorted | join(",")')" "country,provinceState,city,postalCode,streetName,streetNumber,fullAddress" "the address as given, and its fullAddress"
is "$(jb '.workOrders | length')" 1 "one work order"
is "$(jb '.workOrders[0].id')" "$(jb .workOrderId)" "workOrderId names the initial work order"
is "$(jb '.views[0].id')" "$(jb .defaultViewId)" "defaultViewId names the default view"
api GET /api/v1/iguides/$FIRST/workOrders
is "$(jb '.workOrders[0].isInitial')" true "work-order list"

# Deleting.
WO=$(jb '.workOrders[0].id')
api DELETE /api/v1/iguides/$FIRST
is "$STATUS" 200 "delete"
api GET /api/v1/iguides/$FIRST
is "$STATUS" 404 "gone"
api GET /api/v1/iguides/$FIRST/workOrders/$WO
is "$STATUS" 404 "its work order is gone too"
api DELETE /api/v1/iguides/$FIRST
is "$STATUS" 404 "deleting twice is 404"
create '.'
is "$(jb .alias)" "200_university_ave_waterloo_on" "a deleted iGUIDE's alias is free again"

# The test clock: reading and setting.
# (Dates stay within the token's two-year lifetime.)
next=$(( $(date -u +%Y) + 1 ))
APP_ID= APP_TOKEN= api POST /_test/clock -d "{\"now\": \"$next-05-06T07:08:09Z\"}"
like "$(jb .now)" "^$next-05-06T07:08:(09|1[0-9])\\.[0-9]{3}Z\$" "the clock can be set"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 86400}'
like "$(jb .now)" "^$next-05-07T07:08" "and advanced"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": 1, "now": "2027-01-01T00:00:00Z"}'
is "$STATUS" 400 "not both at once"
APP_ID= APP_TOKEN= api POST /_test/clock -d '{"advanceSeconds": "x"}'
is "$STATUS" 400 "advanceSeconds must be a number"
create '.'
api GET /api/v1/iguides/$(jb .id)
like "$(jb .createdAt)" "^$next-05-07" "new records read the moved clock"
done_testing
