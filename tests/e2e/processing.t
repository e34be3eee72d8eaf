#!/usr/bin/env bash
# Processing (work-order lifecycle guide; portal-api.md §5): a real Stitch TAR from
# `guidepost sample-stitch`, uploaded with the AWS CLI, goes pending_draft → pending_qa →
# pending_publish → done and publishes its deliverables; every --corrupt kind ends rejected with
# its reason; an injected stage failure ends in exception and an operator's retry finishes it;
# add-ons wait on_hold and are released; manual QA waits for an operator.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --stage-seconds 0 --test-faults --retry-base-ms 20
token proc iguide.rw,iguide.ro,iguide.tasks
USER_ID=$APP_ID USER_TOKEN=$APP_TOKEN
token ops operator
OPS_ID=$APP_ID OPS_TOKEN=$APP_TOKEN
as_user() { APP_ID=$USER_ID APP_TOKEN=$USER_TOKEN; }
as_ops() { APP_ID=$OPS_ID APP_TOKEN=$OPS_TOKEN; }
as_user

# sample FILE [sample-stitch options]: writes a Stitch TAR.
sample() { "$GP_BIN" sample-stitch --out "$@" 2>>"$T_TMP/cli.log"; }

# submit FILE: a new iGUIDE (IG, WO), a permit for FILE's size, the upload, /process.
submit() {
  permit "$(stat -c %s "$1")"
  awss3 s3 cp "$1" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control >>"$T_TMP/aws.log" 2>&1
  process
}

# wait_status WANT...: polls the current work order until it has one of the statuses WANT (or
# 30 s pass); sets WO_BODY.
wait_status() {
  local s i
  for i in $(seq 1 300); do
    api GET "/api/v1/iguides/$IG/workOrders/$WO"
    s=$(jb .status)
    for w in "$@"; do [ "$s" = "$w" ] && { WO_BODY=$BODY; return 0; }; done
    sleep 0.1
  done
  WO_BODY=$BODY
  diag "work order $WO is still $s: $BODY"
  return 1
}

# ---- the happy path -----------------------------------------------------------------------------
sample "$T_TMP/good.tar" --levels 2 --rooms 5 --panos 3
ok $? "sample-stitch writes a Stitch TAR"
submit "$T_TMP/good.tar"
is "$STATUS" 200 "/process accepts the upload"
wait_status done rejected exception
is "$(jq -r .status <<<"$WO_BODY")" done "the work order ends done"
is "$(jq -r '.rejectionReason // "none"' <<<"$WO_BODY")" none "with no rejection reason"

api GET "/api/v1/iguides/$IG/deliverables"
is "$STATUS" 200 "the deliverables list"
DELIV=$BODY
names=$(jq -r '[.deliverables[].name] | join(" ")' <<<"$DELIV")
for n in floorplan_metric_en.pdf floorplan_imperial_en.pdf floorplan_metric_en.svg \
         floorplan_imperial_en.svg measurements.json measurements.csv; do
  like " $names " " $n " "deliverable $n is listed"
done
like "$names" '\.dxf' "a DXF is listed"
like "$names" 'pano_[^ ]+\.jpg' "panorama previews are listed"
like "$names" '\.png' "PNG plans are listed"
is "$(jq -r '[.deliverables[] | select(.workOrderId != "'"$WO"'")] | length' <<<"$DELIV")" 0 \
   "every deliverable names the initial work order"

# Every deliverable downloads with the size and sha256 the list gives.
bad=0
while IFS=$'\t' read -r name size sha; do
  curl -sS -H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN" \
    -o "$T_TMP/d_$name" "$GP_URL/api/v1/iguides/$IG/download/$name"
  got_size=$(stat -c %s "$T_TMP/d_$name" 2>/dev/null || echo 0)
  got_sha=$(sha256sum "$T_TMP/d_$name" | cut -d' ' -f1)
  if [ "$got_size" != "$size" ] || [ "$got_sha" != "$sha" ]; then
    bad=$((bad + 1)); diag "$name: $got_size/$got_sha, listed $size/$sha"
  fi
done < <(jq -r '.deliverables[] | [.name, .size, .sha256] | @tsv' <<<"$DELIV")
is "$bad" 0 "every download matches its listed size and sha256"

# The PDF is a real plan: poppler renders it and reads its text.
pdfinfo "$T_TMP/d_floorplan_metric_en.pdf" >"$T_TMP/pdfinfo" 2>&1
is "$(sed -n 's/^Pages: *//p' "$T_TMP/pdfinfo")" 2 "the metric PDF has a page per level"
pdftoppm -png -r 40 -f 1 -l 1 "$T_TMP/d_floorplan_metric_en.pdf" "$T_TMP/page" 2>>"$T_TMP/cli.log"
page=$(ls "$T_TMP"/page*.png 2>/dev/null | head -1)
ok "$([ -s "$page" ]; echo $?)" "pdftoppm renders the first page to PNG"
mkdir -p "$(dirname "$0")/../../build/test-logs" && cp "$page" "$(dirname "$0")/../../build/test-logs/processing-plan.png" 2>/dev/null
text=$(pdftotext "$T_TMP/d_floorplan_metric_en.pdf" - 2>/dev/null)
like "$text" "University Ave" "the plan's title block has the address"
like "$text" "m²|m2" "the metric plan labels areas in square metres"
text=$(pdftotext "$T_TMP/d_floorplan_imperial_en.pdf" - 2>/dev/null)
like "$text" "sq ft|ft²" "the imperial plan labels areas in square feet"
is "$(head -c 8 "$T_TMP/d_$(jq -r '[.deliverables[].name | select(endswith(".png"))][0]' <<<"$DELIV")" | od -An -c | tr -d ' ')" '211PNG\r\n032\n' "a PNG plan is a PNG"
like "$(jq -r '.buildings[0].levels | length' "$T_TMP/d_measurements.json" 2>/dev/null)" '^2$' "measurements.json has both levels"
like "$(head -1 "$T_TMP/d_measurements.csv")" "^building,level,room" "measurements.csv has its header"

# Range and ETag on a download.
api GET "/api/v1/iguides/$IG/download/measurements.csv" -H 'Range: bytes=0-7'
is "$STATUS" 206 "a Range request is 206"
is "$BODY" "building" "with the first 8 bytes"
api GET "/api/v1/iguides/$IG/download/measurements.csv"
etag=$(header ETag)
api GET "/api/v1/iguides/$IG/download/measurements.csv" -H "If-None-Match: $etag"
is "$STATUS" 304 "If-None-Match with the ETag is 304"

# What processing wrote for the webhook deliverer and the viewer.
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from webhook_events where type='ready' and work_order_id='$WO'")" 1 \
   "one ready event in the webhook event log"
like "$(sqlite3 "$GP_DATA/guidepost.db" "select summary from manifests where work_order_id='$WO'")" '"buildings"' \
   "the measured summary is stored"
GOOD_IG=$IG GOOD_WO=$WO

# ---- bad data: each corrupt kind ends rejected with its reason -------------------------------
declare -A reason=(
  [not-tar]='not a TAR|TAR archive'
  [no-manifest]='manifest\.json'
  [bad-json]='manifest\.json|JSON'
  [bad-jpeg]='JPEG'
  [traversal]='\.\.|escape|path'
  [link]='link'
  [open-polygon]='polygon|closed'
  [bomb]='TAR bomb|more than|limit'
)
for kind in not-tar no-manifest bad-json bad-jpeg traversal link open-polygon bomb; do
  sample "$T_TMP/$kind.tar" --corrupt "$kind"
  submit "$T_TMP/$kind.tar"
  is "$STATUS" 200 "$kind: /process accepts the upload (the data is checked by the pipeline)"
  wait_status rejected done exception
  is "$(jq -r .status <<<"$WO_BODY")" rejected "$kind: the work order ends rejected"
  like "$(jq -r '.rejectionReason // ""' <<<"$WO_BODY")" "${reason[$kind]}" "$kind: the rejectionReason says why"
done
# A rejected work order takes a new upload (re-upload after rejection).
REJ_IG=$IG REJ_WO=$WO
permit_here "$(stat -c %s "$T_TMP/good.tar")"
is "$PERMIT_STATUS" 200 "a rejected work order gets a new permit"
awss3 s3 cp "$T_TMP/good.tar" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control >>"$T_TMP/aws.log" 2>&1
process
is "$STATUS" 200 "/process of the re-upload"
wait_status done rejected exception
is "$(jq -r .status <<<"$WO_BODY")" done "the re-upload is processed to done"

# ---- an unexpected failure: retries, exception, an operator's retry ---------------------------
curl -sS -o /dev/null -X POST "$GP_URL/_test/faults" -d '{"stage":"draft","times":5}'
submit "$T_TMP/good.tar"
wait_status exception done rejected
is "$(jq -r .status <<<"$WO_BODY")" exception "five failed attempts of draft end in exception"
like "$(jq -r '.exceptionReason // ""' <<<"$WO_BODY")" "draft stage failed after 5 attempt" \
     "the exceptionReason names the stage and the attempts"
as_user
api POST "/api/v1/operator/workOrders/$WO/retry"
is "$STATUS" 403 "an integrator token cannot use the operator endpoints"
as_ops
api GET "/api/v1/operator/workOrders?status=exception"
like "$(jb '[.workOrders[].id] | join(" ")')" "$WO" "the operator lists work orders in exception"
api POST "/api/v1/operator/workOrders/$WO/retry"
is "$STATUS" 200 "the operator retries it"
like "$(jb .status)" '^(pending_draft|pending_qa|pending_publish|done)$' "it leaves exception (back in draft, and the workers carry on at once)"
as_user
wait_status done exception rejected
is "$(jq -r .status <<<"$WO_BODY")" done "the retried work order ends done"
is "$(jq -r '.exceptionReason // "none"' <<<"$WO_BODY")" none "and its exceptionReason is cleared"
as_ops
api POST "/api/v1/operator/workOrders/$WO/retry"
is "$STATUS" 400 "retrying a done work order is refused"
is "$(jb .code)" failed_precondition "failed_precondition"
as_user

# A single failure is retried without anyone noticing.
curl -sS -o /dev/null -X POST "$GP_URL/_test/faults" -d '{"stage":"publish","times":1}'
submit "$T_TMP/good.tar"
wait_status done exception rejected
is "$(jq -r .status <<<"$WO_BODY")" done "one failed publish is retried and ends done"

# ---- add-ons: on_hold until the initial work order is done, then released --------------------
submit "$T_TMP/good.tar"
api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"dwg-init"}'
DWG=$(jb .id)
api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"premium-upgrade"}'
UPG=$(jb .id)
INIT=$WO
wait_status done rejected exception
for w in "$DWG" "$UPG"; do
  WO=$w
  wait_status done rejected exception
  is "$(jq -r .status <<<"$WO_BODY")" done "add-on $(jq -r .taskType <<<"$WO_BODY") is released and ends done"
done
WO=$INIT
api GET "/api/v1/iguides/$IG"
is "$(jb .type)" premium "premium-upgrade changed the package"
api GET "/api/v1/iguides/$IG/deliverables"
is "$(jb "[.deliverables[] | select(.workOrderId == \"$DWG\")] | length")" 1 "dwg-init produced one deliverable"
like "$(jb "[.deliverables[] | select(.workOrderId == \"$DWG\") | .format] | join(\",\")")" "dxf" "in DXF, the open equivalent"
api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"rvt-init"}'
is "$STATUS" 200 "after the upgrade, rvt-init is accepted"
WO=$(jb .id)
is "$(jb .status)" pending_draft "and starts at once (the initial work order is done)"
wait_status done rejected exception
is "$(jq -r .status <<<"$WO_BODY")" done "rvt-init ends done"
api GET "/api/v1/iguides/$IG/deliverables"
like "$(jb "[.deliverables[] | select(.workOrderId == \"$WO\") | .name] | join(\",\")")" '\.ifc' "rvt-init produced an IFC model"

# ---- operator reject and cancel; CLI list ---------------------------------------------------
out=$("$GP_BIN" workorder list --data "$GP_DATA" --status done --limit 500 2>>"$T_TMP/cli.log")
like "$(jq -r '[.workOrders[].id] | join(" ")' <<<"$out")" "$GOOD_WO" "guidepost workorder list shows done work orders"
"$GP_BIN" workorder list --data "$GP_DATA" --status nonsense >/dev/null 2>&1
is "$?" 2 "an unknown --status is a usage error"
"$GP_BIN" workorder retry --data "$GP_DATA" NOPE >/dev/null 2>"$T_TMP/err"
is "$?" 2 "retrying an unknown work order exits 2"

# ---- deleting an iGUIDE removes its files -----------------------------------------------------
up=$(sqlite3 "$GP_DATA/guidepost.db" "select o.blob_name from objects o join stitch_data s on s.object_key = o.object_key where s.iguide_id = '$GOOD_IG'")
ok "$([ -n "$up" ] && [ -f "$GP_DATA/blobs/objects/$up" ]; echo $?)" "the upload of a processed iGUIDE is on disk"
ok "$([ -d "$GP_DATA/blobs/objects/iguides/$GOOD_IG" ]; echo $?)" "so are its deliverables"
api DELETE "/api/v1/iguides/$GOOD_IG"
is "$STATUS" 200 "the iGUIDE is deleted"
ok "$([ ! -e "$GP_DATA/blobs/objects/$up" ]; echo $?)" "its upload is gone from disk"
ok "$([ ! -e "$GP_DATA/blobs/objects/iguides/$GOOD_IG" ]; echo $?)" "its deliverables and manifest are gone from disk"
api GET "/api/v1/iguides/$GOOD_IG/download/measurements.csv"
is "$STATUS" 404 "its downloads answer 404"

# ---- manual QA: the work order waits for an operator ----------------------------------------
stop_server
start_server --stage-seconds 0 --qa manual
as_user
submit "$T_TMP/good.tar"
wait_status pending_qa done rejected exception
is "$(jq -r .status <<<"$WO_BODY")" pending_qa "with --qa manual the work order waits in pending_qa"
sleep 0.5
api GET "/api/v1/iguides/$IG/workOrders/$WO"
is "$(jb .status)" pending_qa "and stays there"
out=$("$GP_BIN" workorder advance "$WO" --data "$GP_DATA" 2>>"$T_TMP/cli.log")
is "$(jq -r .status <<<"$out")" pending_publish "guidepost workorder advance moves it to pending_publish"
wait_status done rejected exception
is "$(jq -r .status <<<"$WO_BODY")" done "and the running server publishes it"

submit "$T_TMP/good.tar"
wait_status pending_qa
as_ops
api POST "/api/v1/operator/workOrders/$WO/reject" -d '{}'
is "$STATUS" 400 "reject needs a reason"
api POST "/api/v1/operator/workOrders/$WO/reject" -d '{"reason":"The kitchen is missing from the scan"}'
is "$(jb .status)" rejected "the operator rejects it"
is "$(jb .rejectionReason)" "The kitchen is missing from the scan" "with the reason given"
as_user
submit "$T_TMP/good.tar"
wait_status pending_qa
as_ops
api POST "/api/v1/operator/workOrders/$WO/cancel"
is "$(jb .status)" cancelled "the operator cancels a work order in progress"
api POST "/api/v1/operator/workOrders/$WO/advance"
is "$STATUS" 400 "a cancelled work order cannot be advanced"
as_user

done_testing
