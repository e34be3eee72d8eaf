#!/usr/bin/env bash
# Stitch Data uploads over plain HTTP with the real clients: the tutorial's complete script, the
# AWS CLI at 0 B, 5 MB, 60 MiB (multipart) and 1 GiB, boto3 (upload_file, put_object, a presigned
# PUT), a dotted bucket and the separate --s3-listen port. Every upload is compared byte for byte
# with the blob the server stored.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/tutorial.sh"
start_server --workers 0   # uploads only: no processing moves the work orders on
token uploads iguide.tasks,iguide.rw,iguide.ro

# --- the tutorial's "Complete script", steps 1-5 -------------------------------------------------
# As written, but for the host, the credentials and AWS_ENDPOINT_URL; it stops after the process
# call (tutorial_complete.t runs all six steps to "done" with a real Stitch TAR).
mkdir -p "$T_TMP/tutorial"
tutorial_script "$T_TMP/tutorial/script.sh" 5
random_file "$T_TMP/tutorial/property.stitch.tar" 55395840   # the tutorial's filesize
out=$(cd "$T_TMP/tutorial" && AWS_ENDPOINT_URL=$GP_URL bash script.sh 2>"$T_TMP/tutorial/stderr")
rc=$?
is "$rc" 0 "tutorial script: exits 0"
[ "$rc" = 0 ] || tail -n 5 "$T_TMP/tutorial/stderr" | sed 's/^/#   stderr: /'
like "$out" "\{\"appId\":\"$APP_ID\"\}" "tutorial script: step 1 authenticates"
created=$(grep -o 'Created iGUIDE: ig[0-9A-Z]* with Work Order: [0-9A-Z]*' <<<"$out")
like "$created" '^Created iGUIDE: ig[0-9A-Z]{13} with Work Order: [0-9A-Z]{6}$' "tutorial script: step 2 creates the iGUIDE"
IG=$(cut -d' ' -f3 <<<"$created") WO=$(cut -d' ' -f7 <<<"$created")
SD=$(sqlite3 "$GP_DATA/guidepost.db" "select id from stitch_data where work_order_id='$WO'")
like "$out" "upload: \./property\.stitch\.tar to s3://guidepost_stitch/stitch-data/$SD/original\.tar" \
     "tutorial script: step 4 prints the tutorial's expected output"
last=$(tail -n 1 <<<"$out")
is "$(jq -r 'keys_unsorted | join(",")' <<<"$last" 2>/dev/null)" "jid,jidEnqueuedAt" "tutorial script: step 5 answers {jid, jidEnqueuedAt}"
like "$(jq -r .jidEnqueuedAt <<<"$last" 2>/dev/null)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$' "tutorial script: jidEnqueuedAt is a timestamp"
is "$(wo_status)" pending_draft "tutorial script: the work order then reads pending_draft"
same_bytes "$T_TMP/tutorial/property.stitch.tar" "stitch-data/$SD/original.tar" "tutorial script: stored bytes are the file's"
is "$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)" 0 "tutorial script: no multipart parts are left behind"

# --- the AWS CLI at several sizes -------------------------------------------------------------------
# 0 B: the CLI uploads it, but /process refuses it against the declared filesize.
: >"$T_TMP/empty.tar"
permit 1000
is "$PERMIT_STATUS" 200 "0 B: permit for 1000 bytes"
err=$(awss3 s3 cp "$T_TMP/empty.tar" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control 2>&1)
is "$?" 0 "0 B: aws s3 cp exits 0"
[ -n "$err" ] && diag "$err"
same_bytes "$T_TMP/empty.tar" "$S3_KEY" "0 B: the stored object is empty"
process
is "$STATUS" 400 "0 B: /process is 400"
is "$(jb .code)" failed_precondition "0 B: /process answers failed_precondition"
like "$(jb .message)" "0 bytes.*1000" "0 B: the message names both sizes"
is "$(wo_status)" empty "0 B: the work order stays empty"

cli_upload 5000000 "5 MB (PutObject)"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select etag from objects where object_key='$S3_KEY'")" \
   "\"$(md5sum "$T_TMP/f5000000" | cut -d' ' -f1)\"" "5 MB: the ETag is the MD5 of the bytes"
process
is "$STATUS" 200 "5 MB: /process is 200"
like "$(jb .jid)" '.+' "5 MB: /process answers a jid"
jid=$(jb .jid)
process
is "$(jb .jid)" "$jid" "5 MB: calling /process twice answers the same jid"
is "$(wo_status)" pending_draft "5 MB: the work order reads pending_draft"

# --- the transports' common matrix: the CLI's multipart, 1 GiB, boto3 (helpers/uploads.sh) -----
client_matrix " over http"

# A presigned PUT URL (SigV4 query authentication), sent with curl.
random_file "$T_TMP/p1m" 1048576
permit 1048576
url=$(b3 presign_put "$S3_BUCKET" "$S3_KEY" 600 2>&1)
like "$url" "X-Amz-Signature=[0-9a-f]{64}" "presigned URL: signed with SigV4"
like "$url" "X-Amz-Security-Token=" "presigned URL: carries the session token"
code=$(curl -sS -o "$T_TMP/presign.out" -w '%{http_code}' -T "$T_TMP/p1m" "$url")
is "$code" 200 "presigned PUT with curl: 200"
[ "$code" = 200 ] || diag "$(cat "$T_TMP/presign.out")"
same_bytes "$T_TMP/p1m" "$S3_KEY" "presigned PUT: stored bytes are the file's"
# The same URL with one signature character changed is refused.
bad=${url%?}; [ "${url: -1}" = 0 ] && bad+=1 || bad+=0
code=$(curl -sS -o "$T_TMP/presign.out" -w '%{http_code}' -T "$T_TMP/p1m" "$bad")
is "$code $(s3_code "$(cat "$T_TMP/presign.out")")" "403 SignatureDoesNotMatch" "presigned PUT with a changed signature: 403 SignatureDoesNotMatch"

# --- signed chunks: STREAMING-AWS4-HMAC-SHA256-PAYLOAD, with and without a signed trailer -----
# No botocore or JS v3 default sends these (Java and Go SDKs do over http); helpers/s3sign.py
# frames and signs them as the AWS documentation describes.
random_file "$T_TMP/sc" 200000
signed_chunks_put() {   # OUT [s3sign options...]
  local out=$1; shift
  s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --signed-chunks "$T_TMP/sc" "$out" "$@" -- --data-binary "@$out"
}
permit 200000
signed_chunks_put "$T_TMP/sc.body"
is "$STATUS" 200 "signed chunks (64 KiB): 200"
same_bytes "$T_TMP/sc" "$S3_KEY" "signed chunks: the decoded bytes are stored, without the framing"
signed_chunks_put "$T_TMP/sc.body" --chunk-size 8192 --trailer-crc32
is "$STATUS" 200 "signed chunks (8 KiB) with a signed CRC32 trailer: 200"
same_bytes "$T_TMP/sc" "$S3_KEY" "signed chunks with a trailer: stored bytes are the file's"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select checksum from objects where object_key='$S3_KEY'")" \
   "$("$PY_BIN" -c 'import sys,zlib,base64; d=open(sys.argv[1],"rb").read(); print(base64.b64encode(zlib.crc32(d).to_bytes(4,"big")).decode())' "$T_TMP/sc")" \
   "signed chunks with a trailer: the stored CRC32 is the file's"
permit 200000
signed_chunks_put "$T_TMP/sc.body" --tamper-chunk 2
is "$STATUS $(s3_code)" "403 SignatureDoesNotMatch" "signed chunks with one byte changed in chunk 3: 403 SignatureDoesNotMatch"
is "$(blob_path "$S3_KEY")" "" "... and nothing is stored"
process
is "$STATUS" 400 "... and /process finds nothing to process"

# --- a dotted bucket, and the separate --s3-listen port -------------------------------------------
stop_server
GP_DATA=$T_TMP/data-dotted
# (the tutorial's iguides.plntr.ca would be a virtual host to the JS SDK over http: refused, see
# uploads_addressing.t; an underscore keeps a dotted name path-style for every client)
start_server --workers 0 --s3-bucket iguides_plntr.ca --s3-listen 127.0.0.1:0
token dotted iguide.tasks,iguide.rw,iguide.ro
permit 5000000
is "$(jb .uploadPermit.bucket)" iguides_plntr.ca "dotted: the permit names the configured bucket"
like "$S3_ENDPOINT" '^http://127\.0\.0\.1:[0-9]+$' "dotted: the permit names the S3 endpoint"
isnt_main=$([ "$S3_ENDPOINT" != "$GP_URL" ] && echo 0 || echo 1)
ok "$isnt_main" "dotted: the S3 endpoint is the --s3-listen port, not the API's"
out=$(cd "$T_TMP" && awss3 s3 cp f5000000 "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control 2>&1)
is "$?" 0 "dotted, --s3-listen: aws s3 cp exits 0"
same_bytes "$T_TMP/f5000000" "$S3_KEY" "dotted, --s3-listen: stored bytes are the file's"
process
is "$STATUS" 200 "dotted: /process is 200"

permit 20971520
out=$(b3 upload_file "$T_TMP/m20m" "$S3_BUCKET" "$S3_KEY" 2>&1)
is "$(tail -n 1 <<<"$out")" ok "dotted, --s3-listen: boto3 upload_file 20 MiB"
same_bytes "$T_TMP/m20m" "$S3_KEY" "dotted, --s3-listen: boto3 stored bytes are the file's"

# The API's own listener serves the same S3 endpoint.
permit 62914560
out=$(S3_URL=$GP_URL awss3 s3 cp "$T_TMP/m60m" "s3://$S3_BUCKET/$S3_KEY" 2>&1)
is "$?" 0 "dotted, main listener: aws s3 cp 60 MiB exits 0"
same_bytes "$T_TMP/m60m" "$S3_KEY" "dotted, main listener: stored bytes are the file's"
# The default bucket is not served by this server.
S3_URL=$GP_URL s3curl PUT "/guidepost_stitch/$S3_KEY" -d x
is "$STATUS $(s3_code)" "403 AccessDenied" "dotted: the default bucket name is AccessDenied"

# --s3-public-url: the endpoint permits name when a proxy stands in front of the S3 listener.
stop_server
GP_DATA=$T_TMP/data-public
start_server --s3-listen 127.0.0.1:0 --s3-public-url https://upload.example.test/
token public iguide.tasks,iguide.rw,iguide.ro
permit 1000
is "$S3_ENDPOINT" https://upload.example.test "--s3-public-url: the permit names it as the endpoint"
"$GP_BIN" serve --data "$T_TMP/data-bad" --s3-public-url https://upload.example.test/prefix >/dev/null 2>"$T_TMP/bad.err"
is "$?" 2 "--s3-public-url with a path: refused at start (exit 2)"
like "$(cat "$T_TMP/bad.err")" "no path" "... saying why"
done_testing
