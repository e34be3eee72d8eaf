#!/usr/bin/env bash
# The process-wide decode memory budget (--decode-memory, docs/processing.md): a panorama whose
# width x height x components is larger than the whole budget is bad data for this server, so the
# work order ends rejected with the reason, like any other oversized panorama; a bad value is a
# usage error.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

(cd "$T_TMP" && "$GP_BIN" serve --data "$T_TMP/bad" --decode-memory 0 >/dev/null 2>"$T_TMP/bad.err")
is "$?" 2 "serve --decode-memory 0 is a usage error"
like "$(cat "$T_TMP/bad.err")" "decode-memory must be an integer from 1" "... saying what is allowed"
"$GP_BIN" worker --data "$T_TMP/bad" --decode-memory x >/dev/null 2>&1
is "$?" 2 "worker --decode-memory x is a usage error"

# Sample panoramas are 1024 x 512 RGB: 1.5 MiB each, over a 1 MiB budget.
start_server --stage-seconds 0 --decode-memory 1
token budget iguide.rw,iguide.ro,iguide.tasks
"$GP_BIN" sample-stitch --out "$T_TMP/s.tar" --levels 1 --rooms 2 --panos 1 >/dev/null 2>>"$T_TMP/cli.log"
permit "$(stat -c %s "$T_TMP/s.tar")"
awss3 s3 cp "$T_TMP/s.tar" "s3://$S3_BUCKET/$S3_KEY" >>"$T_TMP/aws.log" 2>&1
process
is "$STATUS" 200 "/process is accepted"
for _ in $(seq 1 300); do s=$(wo_status); case $s in rejected|done|exception) break ;; esac; sleep 0.1; done
is "$s" rejected "the work order ends rejected"
api GET "/api/v1/iguides/$IG/workOrders/$WO"
like "$(jb .rejectionReason)" "needs 2 MiB to decode, more than the decode memory budget of 1 MiB" \
     "the rejection reason names the panorama's need and the budget"
like "$(jb .rejectionReason)" "panos/" "... and the panorama"
done_testing
