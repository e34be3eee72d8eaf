#!/usr/bin/env bash
# Stitch Data uploads over HTTPS, the production path: there botocore sends PutObject and UploadPart
# bodies as aws-chunked inside HTTP chunked transfer coding, with STREAMING-UNSIGNED-PAYLOAD-TRAILER
# and the CRC32 in a trailer (../../spec/s3-compat.md §2.3-2.5). The AWS CLI at 0 B, 5 MB and
# 60 MiB and a 1 GiB sparse file, boto3 upload_file and put_object, a presigned PUT, HeadObject and
# HeadBucket, and hand-made trailer bodies; bytes compared each time.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

# A self-signed certificate for 127.0.0.1 and localhost; every client trusts it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" >/dev/null 2>&1 || { echo "Bail out! openssl failed"; exit 1; }
export CURL_CA_BUNDLE=$T_TMP/cert.pem AWS_CA_BUNDLE=$T_TMP/cert.pem
start_server --workers 0 --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
token uploads-tls iguide.tasks,iguide.rw,iguide.ro
like "$GP_URL" '^https://127\.0\.0\.1:[0-9]+$' "the server listens on https"
api POST /api/v1/integrations/test
is "$STATUS" 200 "the API answers over TLS"

# --- the AWS CLI ----------------------------------------------------------------------------------
: >"$T_TMP/empty.tar"
permit 1000
out=$(awss3 s3 cp "$T_TMP/empty.tar" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control 2>&1)
is "$?" 0 "0 B over https: aws s3 cp exits 0"
[ -n "$out" ] && diag "$out"
same_bytes "$T_TMP/empty.tar" "$S3_KEY" "0 B over https: the stored object is empty"
process
is "$STATUS $(jb .code)" "400 failed_precondition" "0 B over https: /process refuses the size"

random_file "$T_TMP/f5m" 5000000
permit 5000000
like "$S3_ENDPOINT" '^https://' "the permit's endpoint is https"
# --debug shows what botocore sent: the streaming trailer mode, not a signed payload hash.
awss3 s3 cp "$T_TMP/f5m" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control --debug >/dev/null 2>"$T_TMP/debug.log"
rc=$?
is "$rc" 0 "5 MB over https: aws s3 cp exits 0"
[ "$rc" = 0 ] || grep -E 'error|Error' "$T_TMP/debug.log" | tail -n 5 | sed 's/^/#   /'
same_bytes "$T_TMP/f5m" "$S3_KEY" "5 MB over https: stored bytes are the file's"
like "$(grep -c "STREAMING-UNSIGNED-PAYLOAD-TRAILER" "$T_TMP/debug.log")" '^[1-9]' \
     "5 MB over https: the CLI sent STREAMING-UNSIGNED-PAYLOAD-TRAILER"
like "$(grep -ci "'x-amz-trailer': b'x-amz-checksum-crc32'" "$T_TMP/debug.log")" '^[1-9]' \
     "5 MB over https: with the CRC32 in a trailer"
like "$(grep -ci "'Transfer-Encoding': b'chunked'" "$T_TMP/debug.log")" '^[1-9]' \
     "5 MB over https: in a chunked body"
is "$(sqlite3 "$GP_DATA/guidepost.db" "select checksum from objects where object_key='$S3_KEY'")" \
   "$("$PY_BIN" -c 'import sys,zlib,base64; d=open(sys.argv[1],"rb").read(); print(base64.b64encode(zlib.crc32(d).to_bytes(4,"big")).decode())' "$T_TMP/f5m")" \
   "5 MB over https: the stored CRC32 is the file's"
process
is "$STATUS" 200 "5 MB over https: /process is 200"
is "$(wo_status)" pending_draft "5 MB over https: the work order reads pending_draft"

# --- the transports' common matrix: the CLI's multipart, 1 GiB, boto3 (helpers/uploads.sh) -----
client_matrix " over https"

# A presigned PUT URL over https, sent with curl; then HeadObject and HeadBucket on it.
random_file "$T_TMP/p1m" 1048576
permit 1048576
url=$(b3 presign_put "$S3_BUCKET" "$S3_KEY" 600 2>&1)
like "$url" "^https://.*X-Amz-Signature=[0-9a-f]{64}" "presigned https URL: signed with SigV4"
code=$(curl -sS -o "$T_TMP/presign.out" -w '%{http_code}' -T "$T_TMP/p1m" "$url")
is "$code" 200 "presigned PUT over https with curl: 200"
same_bytes "$T_TMP/p1m" "$S3_KEY" "presigned PUT over https: stored bytes are the file's"
out=$(awss3 s3api head-object --bucket "$S3_BUCKET" --key "$S3_KEY" 2>&1)
is "$(jq -r '[.ContentLength, .ETag] | join(" ")' <<<"$out" 2>/dev/null)" "1048576 \"$(md5sum "$T_TMP/p1m" | cut -d' ' -f1)\"" \
   "head-object: the stored size and ETag"
out=$(awss3 s3api head-bucket --bucket "$S3_BUCKET" 2>&1)
is "$?" 0 "head-bucket of the permit's bucket: exits 0"
out=$(awss3 s3api head-object --bucket "$S3_BUCKET" --key "stitch-data/OTHER1/original.tar" 2>&1)
like "$out" "\(403\)" "head-object of another key: 403"

# --- trailer bodies made by hand -------------------------------------------------------------------
# aws-chunked with a trailer: 64 KiB chunks as JS v3 sends them, the last one short.
random_file "$T_TMP/t100k" 100000
"$PY_BIN" - "$T_TMP/t100k" "$T_TMP" <<'EOF'
import base64, sys, zlib
data = open(sys.argv[1], "rb").read()
def body(crc):
    out = b""
    for i in range(0, len(data), 65536):
        c = data[i:i + 65536]
        out += b"%x\r\n" % len(c) + c + b"\r\n"
    return out + b"0\r\nx-amz-checksum-crc32:" + crc + b"\r\n\r\n"
good = base64.b64encode(zlib.crc32(data).to_bytes(4, "big"))
open(sys.argv[2] + "/trailer-good", "wb").write(body(good))
open(sys.argv[2] + "/trailer-bad", "wb").write(body(b"AAAAAA=="))
EOF
permit 100000
trailer_put() {   # FILE
  s3curl PUT "/$S3_BUCKET/$S3_KEY" --sign --payload STREAMING-UNSIGNED-PAYLOAD-TRAILER \
    -H 'Content-Encoding: aws-chunked' -H 'x-amz-decoded-content-length: 100000' \
    -H 'x-amz-trailer: x-amz-checksum-crc32' -H 'x-amz-sdk-checksum-algorithm: CRC32' -- \
    -H 'Transfer-Encoding: chunked' --data-binary "@$1"
}
trailer_put "$T_TMP/trailer-bad"
is "$STATUS $(s3_code)" "400 BadDigest" "a trailer with a wrong CRC32: 400 BadDigest"
is "$(blob_path "$S3_KEY")" "" "... and nothing is stored"
trailer_put "$T_TMP/trailer-good"
is "$STATUS" 200 "a trailer with the right CRC32: 200"
same_bytes "$T_TMP/t100k" "$S3_KEY" "... and the decoded bytes are stored, without the framing"
is "$(find "$GP_DATA/blobs/tmp" -type f | wc -l)" 0 "no temporary file is left at the end"
done_testing
