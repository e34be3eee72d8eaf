#!/usr/bin/env bash
# The "Your first iGUIDE" tutorial's complete script, steps 1-6, as written but for the host,
# the credentials, AWS_ENDPOINT_URL and the polling sleep: a real Stitch TAR from
# `guidepost sample-stitch` is uploaded with the AWS CLI and processed until the script sees
# "done" and prints the view link.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --stage-seconds 1
token tutorial iguide.tasks,iguide.rw,iguide.ro
mkdir -p "$T_TMP/tutorial"
cat >"$T_TMP/tutorial/script.sh" <<'EOF'
#!/bin/bash
set -e

# Configuration
export APP_ID="your-app-id"
export APP_TOKEN="your-access-token"
STITCH_FILE="property.stitch.tar"

# 1. Test authentication
echo "Testing authentication..."
curl -X POST https://youriguide.com/api/v1/integrations/test \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN"

# 2. Create iGUIDE
echo "Creating iGUIDE..."
CREATE_RESPONSE=$(curl -s -X POST https://youriguide.com/api/v1/iguides \
-H "Content-Type: application/json" \
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

IGUIDE_ID=$(echo $CREATE_RESPONSE | jq -r '.id')
WORK_ORDER_ID=$(echo $CREATE_RESPONSE | jq -r '.workOrderId')

echo "Created iGUIDE: $IGUIDE_ID with Work Order: $WORK_ORDER_ID"

# 3. Get upload permit
echo "Getting S3 upload credentials..."
UPLOAD_RESPONSE=$(curl -s -X POST https://youriguide.com/api/v1/iguides/$IGUIDE_ID/workOrders/$WORK_ORDER_ID/stitchData \
-H "Content-Type: application/json" \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN" \
-d "{
\"filename\": \"$STITCH_FILE\",
\"filesize\": $(stat -c%s "$STITCH_FILE")
}")

STITCH_DATA_ID=$(echo $UPLOAD_RESPONSE | jq -r '.id')
UPLOAD_TOKEN=$(echo $UPLOAD_RESPONSE | jq -r '.uploadToken')
export AWS_ACCESS_KEY_ID=$(echo $UPLOAD_RESPONSE | jq -r '.uploadPermit.accessKeyId')
export AWS_SECRET_ACCESS_KEY=$(echo $UPLOAD_RESPONSE | jq -r '.uploadPermit.secretAccessKey')
export AWS_SESSION_TOKEN=$(echo $UPLOAD_RESPONSE | jq -r '.uploadPermit.sessionToken')
S3_BUCKET=$(echo $UPLOAD_RESPONSE | jq -r '.uploadPermit.bucket')
S3_KEY=$(echo $UPLOAD_RESPONSE | jq -r '.uploadPermit.key')

# 4. Upload to S3
echo "Uploading to S3..."
aws s3 cp $STITCH_FILE s3://$S3_BUCKET/$S3_KEY \
--acl bucket-owner-full-control \
--region us-east-1

# 5. Trigger processing
echo "Triggering processing..."
curl -s -X POST "https://youriguide.com/api/v1/iguides/$IGUIDE_ID/workOrders/$WORK_ORDER_ID/stitchData/$STITCH_DATA_ID/process?uploadToken=$UPLOAD_TOKEN" \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN"

# 6. Poll for completion
echo "Polling for completion..."
while true; do
STATUS_RESPONSE=$(curl -s https://youriguide.com/api/v1/iguides/$IGUIDE_ID/workOrders/$WORK_ORDER_ID \
-H "X-Plntr-App-Id: $APP_ID" \
-H "X-Plntr-App-Token: $APP_TOKEN")

STATUS=$(echo $STATUS_RESPONSE | jq -r '.status')
echo "Current status: $STATUS"

if [ "$STATUS" = "done" ]; then
echo "iGUIDE is ready! View at: https://youriguide.com/iguides/$IGUIDE_ID"
break
elif [ "$STATUS" = "rejected" ] || [ "$STATUS" = "cancelled" ]; then
echo "Processing $STATUS!"
exit 1
fi

sleep 30
done
EOF
sed -i -e "s#https://youriguide.com#$GP_URL#g" -e "s#your-app-id#$APP_ID#" \
    -e "s#your-access-token#$APP_TOKEN#" -e 's#^sleep 30$#sleep 0.3#' "$T_TMP/tutorial/script.sh"
is "$(grep -c '^sleep 0.3$' "$T_TMP/tutorial/script.sh")" 1 "the polling sleep is shortened, nothing else"
"$GP_BIN" sample-stitch --out "$T_TMP/tutorial/property.stitch.tar" --levels 2 --rooms 6 --panos 4 \
  2>>"$T_TMP/cli.log"
ok $? "a Stitch TAR to upload"
out=$(cd "$T_TMP/tutorial" && AWS_ENDPOINT_URL=$GP_URL timeout 120 bash script.sh 2>"$T_TMP/tutorial/stderr")
rc=$?
is "$rc" 0 "the complete script exits 0"
[ "$rc" = 0 ] || tail -n 5 "$T_TMP/tutorial/stderr" | sed 's/^/#   stderr: /'
like "$out" "\{\"appId\":\"$APP_ID\"\}" "step 1 authenticates"
created=$(grep -o 'Created iGUIDE: ig[0-9A-Z]* with Work Order: [0-9A-Z]*' <<<"$out")
like "$created" '^Created iGUIDE: ig[0-9A-Z]{13} with Work Order: [0-9A-Z]{6}$' "step 2 creates the iGUIDE"
IG=$(cut -d' ' -f3 <<<"$created")
like "$out" "upload: \./property\.stitch\.tar to s3://stitch\.guidepost\.local/stitch-data/" "step 4 uploads with the AWS CLI"
like "$out" '"jid":"[^"]+","jidEnqueuedAt":"[0-9T:.Z-]+"' "step 5 triggers processing"
statuses=$(sed -n 's/^Current status: //p' <<<"$out" | uniq | tr '\n' ' ')
like "$statuses" "pending_draft .*done $" "step 6 polls through the pending statuses to done"
like "$statuses" "pending_qa" "pending_qa is seen on the way"
like "$statuses" "pending_publish" "pending_publish is seen on the way"
like "$out" "iGUIDE is ready! View at: $GP_URL/iguides/$IG" "the script announces the ready iGUIDE"
link=$(sed -n 's/^iGUIDE is ready! View at: //p' <<<"$out")
api GET "/api/v1/iguides/$IG"
DV=$(jb .defaultViewId)
is "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$link")" "302 $GP_URL/$DV" \
   "the printed link leads to the iGUIDE's default view"
page=$(curl -s -L "$link")
like "$page" "200 University Ave" "which shows the property (a residential default view is public)"
is "$(curl -s -o /dev/null -w '%{http_code}' "$GP_URL/iguides/igAAAAAAAAAAAAA")" 404 "an unknown iGUIDE's link is 404"
api GET "/api/v1/iguides/$IG/deliverables"
like "$(jb '[.deliverables[].name] | join(" ")')" "floorplan_metric_en.pdf" "its floor plans are published"
done_testing
