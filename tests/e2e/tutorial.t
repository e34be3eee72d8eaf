#!/usr/bin/env bash
# The "Your first iGUIDE" tutorial, Steps 1-3 and 7, exactly as written but for the host.
. "$(dirname "$0")/../lib/tap.sh"
start_server
token tutorial iguide.tasks,iguide.rw

# Step 1: the environment.
export APP_ID APP_TOKEN
like "$APP_ID" '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' "App ID is a UUID"
like "$APP_TOKEN" '^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' "App token is JWT-shaped"

# Step 2: test authentication (verbatim curl but for the host).
out=$(curl -s -X POST $GP_URL/api/v1/integrations/test \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN")
is "$out" "{\"appId\":\"$APP_ID\"}" "Step 2: integrations/test answers {appId}"

# Step 3: create the iGUIDE (verbatim).
out=$(curl -s -X POST $GP_URL/api/v1/iguides \
-H "Content-Type: application/json" \
-H "Accept: application/json" \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN" \
-d '{
"type": "standard",
"industry": "residential",
"address": {
"country": "CA",
"provinceState": "ON",
"city": "Waterloo",
"postalCode": "N2L 3G1",
"streetName": "University Ave",
"streetNumber": "200"
}
}')
IGUIDE_ID=$(jq -r .id <<<"$out")
WORK_ORDER_ID=$(jq -r .workOrderId <<<"$out")
like "$IGUIDE_ID" '^ig[0-9A-Z]{13}$' "Step 3: id starts with ig"
is "$(jq -r .alias <<<"$out")" "200_university_ave_waterloo_on" "Step 3: alias is the address slug"
like "$WORK_ORDER_ID" '^[0-9A-Z]{6}$' "Step 3: workOrderId is short alphanumeric"
like "$(jq -r .defaultViewId <<<"$out")" '^v[0-9A-Z]{13}$' "Step 3: defaultViewId starts with v"
is "$(jq -r 'keys_unsorted[0:4] | join(",")' <<<"$out")" "id,alias,workOrderId,defaultViewId" "Step 3: response fields in the tutorial's order"

# Step 7: poll the work order (verbatim).
out=$(curl -s $GP_URL/api/v1/iguides/$IGUIDE_ID/workOrders/$WORK_ORDER_ID \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN")
is "$(jq -c '{id,status,iguideId,iguideType}' <<<"$out")" \
   "{\"id\":\"$WORK_ORDER_ID\",\"status\":\"empty\",\"iguideId\":\"$IGUIDE_ID\",\"iguideType\":\"standard\"}" \
   "Step 7: work order answers id, status, iguideId, iguideType"
is "$(jq -r 'keys_unsorted[0:4] | join(",")' <<<"$out")" "id,status,iguideId,iguideType" "Step 7: fields in the tutorial's order"

# Troubleshooting: a wrong token is 401 {"code":"unauthenticated"}.
out=$(curl -s -o /dev/null -w '%{http_code}' -X POST $GP_URL/api/v1/integrations/test \
-H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: nope")
is "$out" "401" "a wrong token is 401"

# The default view follows the industry and expires one year after creation.
api GET /api/v1/iguides/$IGUIDE_ID
is "$STATUS" 200 "GET the iGUIDE"
is "$(jb '.views | length')" 1 "one view"
is "$(jb '.views[0].isDefault')" true "it is the default view"
is "$(jb '.views[0].isProtected')" false "residential default view is public"
is "$(jb '.views[0].expiresAt[0:4]')" "$(( $(date -u +%Y) + 1 ))" "default view expires in a year"
is "$(jb '.workOrders[0].status')" empty "the initial work order is empty"
is "$(jb .status)" empty "the iGUIDE's processing state is empty"
done_testing
