#!/usr/bin/env bash
# Stitch Data uploads that must fail, and fail the way S3 clients understand: every refusal is
# checked by its S3 error code (the XML <Code>, or the AWS CLI's "An error occurred (Code)"), and
# nothing a refused or interrupted upload sent is left behind. Then /process and permit refusals,
# multipart abort/retry, and what the clock does to credentials and abandoned uploads.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
start_server --workers 0 --test-clock --max-filesize 300000000
token uploads-errors iguide.tasks,iguide.rw,iguide.ro

objects() { sqlite3 "$GP_DATA/guidepost.db" "select count(*) from objects where object_key='$1'"; }
tmp_files() { find "$GP_DATA/blobs/tmp" -type f | wc -l; }

random_file "$T_TMP/small" 4096
permit 4096
KEY=$S3_KEY

# --- authentication and scope ------------------------------------------------------------------
out=$(awss3 s3api put-object --bucket "$S3_BUCKET" --key "stitch-data/OTHER1/original.tar" --body "$T_TMP/small" 2>&1)
is "$(cli_code "$out")" AccessDenied "another key: aws s3api put-object fails with AccessDenied"
s3curl PUT "/$S3_BUCKET/stitch-data/$SD/other.tar"
is "$STATUS $(s3_code)" "403 AccessDenied" "another key in the same folder: 403 AccessDenied"
s3curl PUT "/other-bucket/$S3_KEY"
is "$STATUS $(s3_code)" "403 AccessDenied" "another bucket: 403 AccessDenied"
is "$(header Content-Type)" application/xml "errors are application/xml"
like "$(header x-amz-request-id)" '.+' "errors carry x-amz-request-id"

out=$(S3_SECRET="${S3_SECRET%????}abcd" awss3 s3 cp "$T_TMP/small" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$(cli_code "$out")" SignatureDoesNotMatch "wrong secret: aws s3 cp fails with SignatureDoesNotMatch"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --secret wrong-secret --
is "$STATUS $(s3_code)" "403 SignatureDoesNotMatch" "wrong secret: 403 SignatureDoesNotMatch"

out=$(S3_TOKEN= awss3 s3 cp "$T_TMP/small" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$(cli_code "$out")" InvalidToken "no session token: aws s3 cp fails with InvalidToken"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --no-token --
is "$STATUS $(s3_code)" "400 InvalidToken" "no session token: 400 InvalidToken"
tampered=${S3_TOKEN:0:10}$( [ "${S3_TOKEN:10:1}" = A ] && echo B || echo A )${S3_TOKEN:11}
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --token="$tampered" --
is "$STATUS $(s3_code)" "400 InvalidToken" "tampered session token: 400 InvalidToken"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --token="${S3_TOKEN}x" --
is "$STATUS $(s3_code)" "400 InvalidToken" "session token with a character added: 400 InvalidToken"
# The token sent but not covered by the signature.
h=$(creds "$PY_BIN" "$HELPERS/s3sign.py" --no-token PUT "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY")
args=(); while IFS= read -r l; do args+=(-H "$l"); done <<<"$h"
BODY=$(curl -sS -X PUT "${args[@]}" -H "X-Amz-Security-Token: $S3_TOKEN" "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY")
is "$(s3_code)" AccessDenied "session token present but not signed: AccessDenied"
like "$BODY" "not signed: x-amz-security-token" "... naming the unsigned header"

s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --akid ASIAZZZZZZZZZZZZZZZZ --
is "$STATUS $(s3_code)" "403 InvalidAccessKeyId" "unknown access key: 403 InvalidAccessKeyId"
out=$(S3_AKID=AKIANOTAKEYATALL1234 awss3 s3 cp "$T_TMP/small" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$(cli_code "$out")" InvalidAccessKeyId "unknown access key: aws s3 cp fails with InvalidAccessKeyId"
is "$(objects "$KEY")" 0 "none of the refused requests stored an object"

# --- integrity -----------------------------------------------------------------------------------
out=$(b3 put_object "$T_TMP/small" "$S3_BUCKET" "$S3_KEY" AAAAAA== 2>/dev/null)
is "$out" "error BadDigest" "boto3 put_object with a wrong ChecksumCRC32: BadDigest"
out=$(AWS_MAX_ATTEMPTS=1 awss3 s3api put-object --bucket "$S3_BUCKET" --key "$S3_KEY" --body "$T_TMP/small" --checksum-crc32 AAAAAA== 2>&1)
is "$(cli_code "$out")" BadDigest "aws s3api put-object --checksum-crc32 wrong: BadDigest"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -H 'x-amz-checksum-crc32: AAAAAA==' -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 BadDigest" "curl with a wrong x-amz-checksum-crc32: 400 BadDigest"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -H 'Content-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==' -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 BadDigest" "a wrong Content-MD5: 400 BadDigest"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -H 'Content-MD5: not-base64!' -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 InvalidDigest" "a malformed Content-MD5: 400 InvalidDigest"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload "$(sha256sum <<<other | cut -d' ' -f1)" -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 XAmzContentSHA256Mismatch" "a wrong x-amz-content-sha256: 400 XAmzContentSHA256Mismatch"
is "$(objects "$KEY")" 0 "no object was stored by a body that failed its checks"
is "$(tmp_files)" 0 "no temporary file is left by them"
md5=$(openssl dgst -md5 -binary "$T_TMP/small" | base64)
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -H "Content-MD5: $md5" -- --data-binary "@$T_TMP/small"
is "$STATUS" 200 "the right Content-MD5: 200"
same_bytes "$T_TMP/small" "$KEY" "the right Content-MD5: stored bytes are the file's"

# --- /process ----------------------------------------------------------------------------------------
permit 1000
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 EntityTooLarge" "an upload larger than the permit's filesize: 400 EntityTooLarge"
head -c 500 "$T_TMP/small" >"$T_TMP/half"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/half" -- --data-binary "@$T_TMP/half"
is "$STATUS" 200 "a 500-byte upload under a 1000-byte permit is stored"
process
is "$STATUS $(jb .code)" "400 failed_precondition" "wrong size at /process: 400 failed_precondition"
like "$(jb .message)" "500.*1000" "wrong size at /process: the message names both sizes"
is "$(wo_status)" empty "wrong size at /process: the work order stays empty"
process "${UPLOAD_TOKEN%?}x"
is "$STATUS $(jb .code)" "403 permission_denied" "a wrong uploadToken: 403 permission_denied"
process ""
is "$STATUS $(jb .code)" "400 invalid_argument" "an empty uploadToken: 400 invalid_argument"
api POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData/$SD/process"
is "$STATUS $(jb .code)" "400 invalid_argument" "no uploadToken: 400 invalid_argument"
is "$(wo_status)" empty "the work order is still empty after the refused calls"
# A permit for a work order with nothing uploaded yet.
permit 1000
process
is "$STATUS $(jb .code)" "400 failed_precondition" "/process before any upload: 400 failed_precondition"

# --- permits refused --------------------------------------------------------------------------------
new_work_order
for body in '{"filename":"","filesize":10}' '{"filename":"a/b.tar","filesize":10}' \
            '{"filename":"..","filesize":10}' '{"filename":"a\\b.tar","filesize":10}' \
            '{"filename":"x.tar","filesize":0}' '{"filename":"x.tar","filesize":-5}' \
            '{"filename":"x.tar","filesize":"10"}' '{"filename":"x.tar","filesize":1.5}' \
            '{"filename":"x.tar","filesize":300000001}' '{"filename":"x.tar"}' '{"filesize":10}' \
            '{"filename":"x.tar","filesize":10,"extra":1}' '{"filename":7,"filesize":10}'; do
  api POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData" -H 'Content-Type: application/json' -d "$body"
  is "$STATUS $(jb .code)" "400 invalid_argument" "permit refused for $body"
done
api POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData" -d '{"filename":"x.tar","filesize":300000000}'
is "$STATUS" 200 "a permit at exactly --max-filesize is granted"
api POST "/api/v1/iguides/$IG/workOrders/NOPE00/stitchData" -d '{"filename":"x.tar","filesize":10}'
is "$STATUS $(jb .code)" "404 not_found" "a permit for an unknown work order: 404 not_found"

# Past empty: after a successful /process the work order takes no more uploads.
permit 4096
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -- --data-binary "@$T_TMP/small"
is "$STATUS" 200 "upload of the declared size"
process
is "$STATUS" 200 "/process succeeds"
is "$(wo_status)" pending_draft "the work order is pending_draft"
# The object /process checked is what processing reads: the permit can no longer change it.
random_file "$T_TMP/other4k" 4096
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/other4k" -- --data-binary "@$T_TMP/other4k"
is "$STATUS $(s3_code)" "403 AccessDenied" "PutObject after /process: 403 AccessDenied"
like "$BODY" "submitted for processing" "... saying the upload was submitted"
out=$(awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" 2>&1)
is "$(cli_code "$out")" AccessDenied "CreateMultipartUpload after /process: AccessDenied"
same_bytes "$T_TMP/small" "$S3_KEY" "the processed object is unchanged"

# /process while a replacing PutObject is still streaming: the late body is refused when it ends.
random_file "$T_TMP/r1" 2097152
random_file "$T_TMP/r2" 2097152
permit 2097152
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/r1" -- --data-binary "@$T_TMP/r1"
is "$STATUS" 200 "race: the first upload is stored"
h=(); while IFS= read -r l; do h+=(-H "$l"); done < <(creds "$PY_BIN" "$HELPERS/s3sign.py" --payload UNSIGNED-PAYLOAD PUT "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY")
curl -sS -o "$T_TMP/race.out" -X PUT "${h[@]}" -T "$T_TMP/r2" --limit-rate 1M "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" 2>/dev/null &
race_pid=$!
for _ in $(seq 1 100); do [ "$(tmp_files)" -gt 0 ] && break; sleep 0.05; done
process
is "$STATUS" 200 "race: /process while a second upload streams: 200"
wait $race_pid
is "$(s3_code "$(cat "$T_TMP/race.out")")" AccessDenied "race: the second upload, finishing after /process, is AccessDenied"
same_bytes "$T_TMP/r1" "$S3_KEY" "race: the object /process checked is unchanged"
is "$(tmp_files)" 0 "race: the refused body left no temporary file"
permit_here 4096
is "$PERMIT_STATUS $(jb .code)" "400 failed_precondition" "a permit for a work order past empty: 400 failed_precondition"

# --- refusal before the body ---------------------------------------------------------------------------
random_file "$T_TMP/two" 2097152
permit 2097152
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --secret wrong --payload UNSIGNED-PAYLOAD -- \
  -v -H 'Expect: 100-continue' -T "$T_TMP/two" --expect100-timeout 5 2>"$T_TMP/curl-v"
is "$STATUS $(s3_code)" "403 SignatureDoesNotMatch" "Expect: 100-continue with a wrong signature: 403 SignatureDoesNotMatch"
is "$(grep -c '^< HTTP/1.1 100' "$T_TMP/curl-v")" 0 "no 100 Continue before the refusal"
like "$(grep -i '^< connection:' "$T_TMP/curl-v" | tr -d '\r')" '[Cc]lose' "the refusal closes the connection"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload UNSIGNED-PAYLOAD -- \
  -v -H 'Expect: 100-continue' -T "$T_TMP/two" --expect100-timeout 5 2>"$T_TMP/curl-v"
is "$STATUS" 200 "Expect: 100-continue with the right signature: 200"
is "$(grep -c '^< HTTP/1.1 100' "$T_TMP/curl-v")" 1 "... after a 100 Continue"
same_bytes "$T_TMP/two" "$S3_KEY" "... and the bytes are stored"

# --- an interrupted upload leaves nothing behind ---------------------------------------------------------
permit 200000000
truncate -s 200000000 "$T_TMP/big"
s3curl_bg() {
  local h=() l
  while IFS= read -r l; do h+=(-H "$l"); done < <(creds "$PY_BIN" "$HELPERS/s3sign.py" --payload UNSIGNED-PAYLOAD PUT "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY")
  curl -sS -o /dev/null -X PUT "${h[@]}" -T "$T_TMP/big" --limit-rate 8M "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" 2>/dev/null &
  CURL_PID=$!
}
s3curl_bg
for _ in $(seq 1 100); do [ "$(tmp_files)" -gt 0 ] && break; sleep 0.05; done
sleep 0.5
is "$(tmp_files)" 1 "while the body streams, a temporary file exists"
kill $CURL_PID; wait $CURL_PID 2>/dev/null
for _ in $(seq 1 100); do [ "$(tmp_files)" -eq 0 ] && break; sleep 0.05; done
is "$(tmp_files)" 0 "after the client is killed mid-body, blobs/tmp is empty"
is "$(objects "$S3_KEY")" 0 "... and no object row exists"
process
is "$STATUS $(jb .code)" "400 failed_precondition" "... and /process says nothing was uploaded"

# --- multipart: abort, part retries, a retried Complete -----------------------------------------------------
random_file "$T_TMP/p5a" 5242880
random_file "$T_TMP/p5b" 5242880
random_file "$T_TMP/p1" 1048576
parts_on_disk() { find "$GP_DATA/blobs/objects/mpu/$1" -type f 2>/dev/null | wc -l; }
permit 11534336
out=$(awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" 2>&1)
U1=$(jq -r .UploadId <<<"$out" 2>/dev/null)
like "$U1" '^[A-Za-z0-9._-]+$' "create-multipart-upload answers a URL-safe UploadId"
out=$(awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U1" --part-number 1 --body "$T_TMP/p5a" 2>&1)
like "$(jq -r .ETag <<<"$out" 2>/dev/null)" '^"[0-9a-f]{32}"$' "upload-part answers an ETag"
is "$(parts_on_disk "$U1")" 1 "the part is on disk"
out=$(awss3 s3api abort-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U1" 2>&1)
is "$?" 0 "abort-multipart-upload exits 0"
is "$(parts_on_disk "$U1")" 0 "after abort no part is on disk"
is "$([ -e "$GP_DATA/blobs/objects/mpu/$U1" ] && echo present || echo gone)" gone "after abort the upload's folder is gone"
out=$(awss3 s3api list-parts --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U1" 2>&1)
is "$(cli_code "$out")" NoSuchUpload "list-parts of an aborted upload: NoSuchUpload"

out=$(awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" 2>&1)
U2=$(jq -r .UploadId <<<"$out" 2>/dev/null)
e_a=$(awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --part-number 1 --body "$T_TMP/p5a" 2>&1 | jq -r .ETag)
e_b=$(awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --part-number 1 --body "$T_TMP/p5b" 2>&1 | jq -r .ETag)
e_2=$(awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --part-number 2 --body "$T_TMP/p1" 2>&1 | jq -r .ETag)
is "$(parts_on_disk "$U2")" 2 "a retried UploadPart replaces the earlier part on disk"
out=$(awss3 s3api list-parts --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" 2>&1)
is "$(jq -c '[.Parts[] | [.PartNumber, .ETag, .Size]]' <<<"$out" 2>/dev/null)" "[[1,$(jq -Rc . <<<"$e_b"),5242880],[2,$(jq -Rc . <<<"$e_2"),1048576]]" \
   "list-parts shows the retried part's ETag"
mp="{\"Parts\":[{\"PartNumber\":1,\"ETag\":$(jq -Rc . <<<"$e_a")},{\"PartNumber\":2,\"ETag\":$(jq -Rc . <<<"$e_2")}]}"
out=$(awss3 s3api complete-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --multipart-upload "$mp" 2>&1)
is "$(cli_code "$out")" InvalidPart "Complete naming the replaced part's ETag: InvalidPart"
mp="{\"Parts\":[{\"PartNumber\":1,\"ETag\":$(jq -Rc . <<<"$e_b")},{\"PartNumber\":2,\"ETag\":$(jq -Rc . <<<"$e_2")}]}"
out=$(awss3 s3api complete-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --multipart-upload "$mp" 2>&1)
etag1=$(jq -r .ETag <<<"$out" 2>/dev/null)
like "$etag1" '^"[0-9a-f]{32}-2"$' "complete-multipart-upload answers a multipart ETag"
cat "$T_TMP/p5b" "$T_TMP/p1" >"$T_TMP/p-joined"
same_bytes "$T_TMP/p-joined" "$S3_KEY" "the object is the retried part 1 and part 2"
out=$(awss3 s3api complete-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --multipart-upload "$mp" 2>&1)
is "$(jq -r .ETag <<<"$out" 2>/dev/null)" "$etag1" "a retried Complete after success succeeds with the same ETag"
is "$(parts_on_disk "$U2")" 0 "no part is left on disk after Complete"
same_bytes "$T_TMP/p-joined" "$S3_KEY" "the retried Complete left the object unchanged"
mp1="{\"Parts\":[{\"PartNumber\":1,\"ETag\":$(jq -Rc . <<<"$e_b")}]}"
out=$(awss3 s3api complete-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U2" --multipart-upload "$mp1" 2>&1)
is "$(cli_code "$out")" NoSuchUpload "a Complete with other parts after success: NoSuchUpload"

# --- the clock: skew, expiry, the janitor ------------------------------------------------------------------
permit 5242880
SKEW_KEY=$S3_KEY
clock '{"advanceSeconds": 1200}'
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/p5a" -- --data-binary "@$T_TMP/p5a"
is "$STATUS $(s3_code)" "403 RequestTimeTooSkewed" "server clock 20 minutes ahead: 403 RequestTimeTooSkewed"
out=$(AWS_MAX_ATTEMPTS=1 awss3 s3 cp "$T_TMP/p5a" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$(cli_code "$out")" RequestTimeTooSkewed "server clock 20 minutes ahead: aws s3 cp fails with RequestTimeTooSkewed"
clock '{"advanceSeconds": -1200}'
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/p5a" -- --data-binary "@$T_TMP/p5a"
is "$STATUS" 200 "clock back: the same upload succeeds"

# An abandoned multipart upload with a part on disk, then 25 hours pass.
permit 11534336
out=$(awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" 2>&1)
U3=$(jq -r .UploadId <<<"$out" 2>/dev/null)
awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U3" --part-number 1 --body "$T_TMP/p5a" >/dev/null 2>&1
is "$(parts_on_disk "$U3")" 1 "abandoned upload: its part is on disk"
sleep 1.5
is "$(parts_on_disk "$U3")" 1 "abandoned upload: the janitor leaves it while the credentials are valid"
clock '{"advanceSeconds": 90000}'
out=$(awss3 s3 cp "$T_TMP/small" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$(cli_code "$out")" ExpiredToken "25 h later: aws s3 cp fails with ExpiredToken"
s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload-file "$T_TMP/small" -- --data-binary "@$T_TMP/small"
is "$STATUS $(s3_code)" "400 ExpiredToken" "25 h later: 400 ExpiredToken"
for _ in $(seq 1 30); do [ "$(parts_on_disk "$U3")" -eq 0 ] && break; sleep 0.1; done
is "$(parts_on_disk "$U3")" 0 "the janitor removed the abandoned upload's parts"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from multipart_uploads where upload_id='$U3'")" 0 \
   "... and its row"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select count(*) from objects where object_key='$SKEW_KEY'")" 1 \
   "completed objects are kept"
is "$(tmp_files)" 0 "no temporary file is left at the end"
done_testing
