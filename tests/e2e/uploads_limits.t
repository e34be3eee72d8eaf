#!/usr/bin/env bash
# What one upload permit may keep on disk: at most 4 open multipart uploads, and at most twice the
# declared filesize plus 1 MiB in the parts of its open uploads together with the bodies it is
# sending (docs/uploads.md, Limits). Refusals are S3 errors the clients report by code; parts go
# at once on AbortMultipartUpload, and a killed `aws s3 cp` leaves parts only until the permit
# expires, when the janitor removes them.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --workers 0 --test-clock
token uploads-limits iguide.tasks,iguide.rw,iguide.ro

MiB=1048576
mpu_bytes() { find "$GP_DATA/blobs/objects/mpu" -type f -printf '%s\n' 2>/dev/null | awk '{s+=$1} END {print s+0}'; }
tmp_files() { find "$GP_DATA/blobs/tmp" -type f | wc -l; }
create() { awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --query UploadId --output text 2>&1; }
# part UPLOAD-ID NUMBER FILE: UploadPart with curl (sets STATUS, BODY).
part() { s3curl PUT "/$S3_BUCKET/$S3_KEY?partNumber=$2&uploadId=$1" --sign --payload-file "$3" -- --data-binary "@$3"; }

# --- open multipart uploads per permit -------------------------------------------------------------
permit 1000
ids=()
for i in 1 2 3 4; do ids+=("$(create)"); done
like "${ids[*]}" '^[A-Za-z0-9_-]+ [A-Za-z0-9_-]+ [A-Za-z0-9_-]+ [A-Za-z0-9_-]+$' "a permit opens 4 multipart uploads"
out=$(create)
is "$(cli_code "$out")" AccessDenied "the 5th: aws s3api create-multipart-upload fails with AccessDenied"
s3curl POST "/$S3_BUCKET/$S3_KEY?uploads" --sign --
is "$STATUS $(s3_code)" "403 AccessDenied" "the 5th: 403 AccessDenied"
like "$BODY" "already has 4 multipart uploads in progress" "... saying why"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from multipart_uploads where access_key_id='$S3_AKID'")" 4 \
   "no 5th upload was recorded"
out=$(awss3 s3api abort-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "${ids[0]}" 2>&1)
rc=$?; is "$rc" 0 "AbortMultipartUpload succeeds"; [ "$rc" = 0 ] || diag "$out"
like "$(create)" '^[A-Za-z0-9_-]+$' "after an abort the permit can open another"
OTHER_AKID=$S3_AKID
permit 1000
like "$(create)" '^[A-Za-z0-9_-]+$' "another permit has its own count"

# --- bytes of parts per permit: 4 MiB declared, so 9 MiB -------------------------------------------
permit $((4 * MiB))
head -c $((4 * MiB)) /dev/urandom >"$T_TMP/p4"
head -c $((1 * MiB)) /dev/urandom >"$T_TMP/p1"
head -c $((1 * MiB + 1)) /dev/urandom >"$T_TMP/p1plus"
A=$(create)
part "$A" 1 "$T_TMP/p4"; is "$STATUS" 200 "part 1 of 4 MiB (4 of 9 MiB)"
part "$A" 2 "$T_TMP/p4"; is "$STATUS" 200 "part 2 of 4 MiB (8 of 9 MiB)"
part "$A" 3 "$T_TMP/p4"
is "$STATUS $(s3_code)" "400 EntityTooLarge" "part 3 of 4 MiB would make 12 MiB: 400 EntityTooLarge"
like "$BODY" "more than 9437184 bytes" "... naming the permit's limit"
out=$(AWS_MAX_ATTEMPTS=1 awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$A" --part-number 3 --body "$T_TMP/p4" 2>&1)
is "$(cli_code "$out")" EntityTooLarge "aws s3api upload-part fails with EntityTooLarge"
part "$A" 2 "$T_TMP/p4"; is "$STATUS" 200 "part 2 sent again replaces itself: still 8 MiB, accepted"
B=$(create)
part "$B" 1 "$T_TMP/p1plus"
is "$STATUS $(s3_code)" "400 EntityTooLarge" "the limit spans the permit's uploads: 1 MiB + 1 byte more in another upload is refused"
part "$B" 1 "$T_TMP/p1"; is "$STATUS" 200 "exactly 9 MiB is accepted"
is "$(mpu_bytes)" $((9 * MiB)) "9 MiB of parts on disk"
is "$(tmp_files)" 0 "the refused parts left no temporary file"
out=$(awss3 s3api abort-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$A" 2>&1)
rc=$?; is "$rc" 0 "AbortMultipartUpload succeeds"; [ "$rc" = 0 ] || diag "$out"
is "$(mpu_bytes)" $((1 * MiB)) "AbortMultipartUpload removes its 8 MiB of parts at once"
part "$B" 2 "$T_TMP/p4"; is "$STATUS" 200 "the room is back after the abort"
# A PutObject of the whole file still works next to the open upload (it replaces the object).
head -c $((4 * MiB)) /dev/urandom >"$T_TMP/whole"
awss3 s3 cp "$T_TMP/whole" "s3://$S3_BUCKET/$S3_KEY" >/dev/null 2>&1
same_bytes "$T_TMP/whole" "$S3_KEY" "aws s3 cp (PutObject) of the declared size still succeeds"
out=$(awss3 s3api abort-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$B" 2>&1)
rc=$?; is "$rc" 0 "AbortMultipartUpload succeeds"; [ "$rc" = 0 ] || diag "$out"

# Bodies in flight count too: three 4 MiB parts sent at once, each fitting alone.
C=$(create)
pids=()
for n in 1 2 3; do
  ( s3curl PUT "/$S3_BUCKET/$S3_KEY?partNumber=$n&uploadId=$C" --sign --payload-file "$T_TMP/p4" -- \
      --limit-rate 2M --data-binary "@$T_TMP/p4"
    echo "$STATUS $(s3_code)" >"$T_TMP/conc.$n" ) &
  pids+=($!)
  sleep 0.2
done
wait "${pids[@]}"
res=$(cat "$T_TMP/conc.1" "$T_TMP/conc.2" "$T_TMP/conc.3" | sort | tr '\n' ',')
is "$res" "200 ,200 ,400 EntityTooLarge," "three parts in flight at once: two fit, the third is refused before its body"
is "$(mpu_bytes)" $((8 * MiB)) "8 MiB of parts on disk"
out=$(awss3 s3api abort-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$C" 2>&1)
rc=$?; is "$rc" 0 "AbortMultipartUpload succeeds"; [ "$rc" = 0 ] || diag "$out"

# --- killed aws s3 cp: bounded, then removed at the permit's expiry --------------------------------
# 96 MiB goes up as 12 parts of 8 MiB; the CLI is killed (-9: it cannot abort) once a few of
# its parts are stored, five times over. Each kill leaves its parts behind.
SIZE=$((96 * MiB)) LIMIT=$((2 * 96 * MiB + MiB))
truncate -s $SIZE "$T_TMP/big"
permit $SIZE
kills=0
for attempt in 1 2 3 4 5; do
  before=$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)
  env AWS_ACCESS_KEY_ID="$S3_AKID" AWS_SECRET_ACCESS_KEY="$S3_SECRET" AWS_SESSION_TOKEN="$S3_TOKEN" \
    "$AWS_BIN" --endpoint-url "$S3_ENDPOINT" --region us-east-1 s3 cp "$T_TMP/big" \
    "s3://$S3_BUCKET/$S3_KEY" --only-show-errors >>"$T_TMP/aws.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    [ "$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)" -ge $((before + 3)) ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.02
  done
  kill -9 $pid 2>/dev/null && kills=$((kills + 1))
  wait $pid 2>/dev/null
  diag "after kill $attempt: $(mpu_bytes) bytes of parts on disk"
done
orphans=$(mpu_bytes)
ok "$([ "$orphans" -le $LIMIT ]; echo $?)" "five interrupted uploads ($kills killed with -9) leave at most 2 x 96 MiB + 1 MiB of parts ($orphans bytes)"
open=$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from multipart_uploads where access_key_id='$S3_AKID' and state='open'")
ok "$([ "$open" -le 4 ]; echo $?)" "and at most 4 open uploads ($open)"
clock '{"advanceSeconds": 90000}'
open_uploads() { sqlite3 "$GP_DATA/guidepost.db" "select count(*) from multipart_uploads where state='open' and access_key_id in ('$S3_AKID','$OTHER_AKID')"; }
for _ in $(seq 1 50); do [ "$(mpu_bytes)" = 0 ] && [ "$(open_uploads)" = 0 ] && break; sleep 0.1; done
is "$(mpu_bytes)" 0 "when the permit expires the janitor removes every part"
is "$(open_uploads)" 0 "... and the permits' open uploads"
done_testing
