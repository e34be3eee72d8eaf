#!/usr/bin/env bash
# The "Your first iGUIDE" tutorial's complete script, steps 1-6, as written but for the host,
# the credentials, AWS_ENDPOINT_URL and the polling sleep: a real Stitch TAR from
# `guidepost sample-stitch` is uploaded with the AWS CLI and processed until the script sees
# "done" and prints the view link.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/tutorial.sh"
start_server --stage-seconds 1
token tutorial iguide.tasks,iguide.rw,iguide.ro
mkdir -p "$T_TMP/tutorial"
tutorial_script "$T_TMP/tutorial/script.sh"
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
like "$out" "upload: \./property\.stitch\.tar to s3://guidepost_stitch/stitch-data/" "step 4 uploads with the AWS CLI"
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
