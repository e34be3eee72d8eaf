# tutorial.sh — the "Your first iGUIDE" tutorial's complete script, as the tutorial prints it
# (sourced after tests/lib/tap.sh).

# tutorial_script FILE [STEPS]: writes the script to FILE with the host, the App ID and the App
# Token of this test (GP_URL, APP_ID, APP_TOKEN) put in; with STEPS=5 it ends after step 5 (the
# process call), for tests that do not wait for processing. The polling sleep is shortened.
tutorial_script() {
  cat >"$1" <<'EOF'
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
  [ "${2:-6}" = 5 ] && sed -i '/^# 6\. Poll for completion$/,$d' "$1"
  sed -i -e "s#https://youriguide.com#$GP_URL#g" -e "s#your-app-id#$APP_ID#" \
      -e "s#your-access-token#$APP_TOKEN#" -e 's#^sleep 30$#sleep 0.3#' "$1"
}
