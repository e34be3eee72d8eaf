#!/usr/bin/env bash
# Stitch Data uploads with the AWS SDK for JavaScript v3 (@aws-sdk/client-s3 and
# @aws-sdk/lib-storage from npm) with its default settings (no forcePathStyle, the endpoint from
# AWS_ENDPOINT_URL only) on the permit's IP endpoint, over http and over https: PutObject from a
# Buffer and from a stream, a multipart Upload, every checksum algorithm the SDK offers (the
# right value is stored, a wrong one is BadDigest), and a refusal the SDK reports by its S3 code.
# Every stored object is compared byte for byte with the source.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

# The SDK comes from npm, pinned by tests/js/package-lock.json, into tests/js/node_modules.
JS=$GP_ROOT/tests/js
js_deps
js() { creds node "$JS/s3.mjs" "${S3_URL:-$S3_ENDPOINT}" "$@"; }
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

# stored_checksum KEY: "alg value" as the server recorded the object's checksum.
stored_checksum() { sqlite3 -separator ' ' "$GP_DATA/guidepost.db" "select checksum_alg, checksum from objects where object_key='$1'"; }
# py_checksum ALG FILE: the base64 checksum by Python's standard library (CRC32, SHA1, SHA256).
py_checksum() {
  "$PY_BIN" -c 'import base64,hashlib,sys,zlib
a, d = sys.argv[1], open(sys.argv[2], "rb").read()
v = zlib.crc32(d).to_bytes(4, "big") if a == "CRC32" else hashlib.new(a.lower(), d).digest()
print(base64.b64encode(v).decode())' "$1" "$2"
}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" >/dev/null 2>&1 || { echo "Bail out! openssl failed"; exit 1; }
export NODE_EXTRA_CA_CERTS=$T_TMP/cert.pem CURL_CA_BUNDLE=$T_TMP/cert.pem

random_file "$T_TMP/f5m" 5000000
random_file "$T_TMP/f23m" 24117248   # 23 MiB: four full 5 MiB parts and a short last one
random_file "$T_TMP/f300k" 300000

run_suite() {   # SCHEME
  local s=$1 out alg got
  permit 5000000
  like "$S3_ENDPOINT" "^$s://" "$s: the permit's endpoint is $s"
  out=$(js put_buffer "$T_TMP/f5m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  is "$(head -n 1 <<<"$out")" "etag \"$(md5sum "$T_TMP/f5m" | cut -d' ' -f1)\"" "$s: PutObject (Buffer) answers the MD5 ETag"
  [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
  is "$(sed -n 's/^url //p' <<<"$out")" "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" "$s: the SDK chose path style by itself"
  same_bytes "$T_TMP/f5m" "$S3_KEY" "$s: PutObject (Buffer): stored bytes are the file's"
  process
  is "$STATUS" 200 "$s: PutObject (Buffer): /process is 200"

  permit 5000000
  out=$(js put_stream "$T_TMP/f5m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  like "$out" '^etag "[0-9a-f]{32}"' "$s: PutObject (stream) answers an ETag"
  [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
  same_bytes "$T_TMP/f5m" "$S3_KEY" "$s: PutObject (stream): stored bytes are the file's"

  permit 24117248
  out=$(js upload "$T_TMP/f23m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  like "$out" '^etag "[0-9a-f]{32}-5"' "$s: lib-storage Upload of 23 MiB: a multipart ETag of 5 parts"
  [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
  same_bytes "$T_TMP/f23m" "$S3_KEY" "$s: lib-storage Upload: stored bytes are the file's"
  is "$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)" 0 "$s: lib-storage Upload: no parts are left behind"
  process
  is "$STATUS" 200 "$s: lib-storage Upload: /process is 200"

  # lib-storage sends a file smaller than one part as a single PutObject.
  permit 300000
  out=$(js upload "$T_TMP/f300k" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  is "$(head -n 1 <<<"$out")" "etag \"$(md5sum "$T_TMP/f300k" | cut -d' ' -f1)\"" "$s: lib-storage Upload of 300 kB: one PutObject"
  same_bytes "$T_TMP/f300k" "$S3_KEY" "$s: lib-storage Upload of 300 kB: stored bytes are the file's"

  for alg in CRC32 CRC32C CRC64NVME SHA1 SHA256; do
    permit 300000
    out=$(js put_wrong "$T_TMP/f300k" "$S3_BUCKET" "$S3_KEY" "$alg" 2>/dev/null)
    is "$out" "error BadDigest" "$s: PutObject with a wrong $alg: BadDigest"
    is "$(blob_path "$S3_KEY")" "" "$s: ... and nothing is stored"
    out=$(js put_buffer "$T_TMP/f300k" "$S3_BUCKET" "$S3_KEY" "$alg" 2>"$T_TMP/js.err")
    like "$out" '^etag "[0-9a-f]{32}"' "$s: PutObject with the SDK's $alg: stored"
    [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
    same_bytes "$T_TMP/f300k" "$S3_KEY" "$s: PutObject with $alg: stored bytes are the file's"
    got=$(stored_checksum "$S3_KEY")
    like "${got%% *}" "^(${alg}|${alg,,})\$" "$s: PutObject with $alg: the server recorded a $alg checksum"
    case $alg in CRC32|SHA1|SHA256)
      is "${got#* }" "$(py_checksum "$alg" "$T_TMP/f300k")" "$s: ... equal to Python's $alg of the file" ;;
    esac
  done

  # A refusal the SDK surfaces by its S3 code: the permit does not cover another key.
  out=$(js put_buffer "$T_TMP/f300k" "$S3_BUCKET" "stitch-data/OTHER1/original.tar" 2>/dev/null)
  is "$out" "error AccessDenied" "$s: PutObject to another key: AccessDenied"
  out=$(S3_SECRET=wrong-secret js put_buffer "$T_TMP/f300k" "$S3_BUCKET" "$S3_KEY" 2>/dev/null)
  is "$out" "error SignatureDoesNotMatch" "$s: PutObject with a wrong secret: SignatureDoesNotMatch"
}

start_server
token uploads-js iguide.tasks,iguide.rw,iguide.ro
run_suite http
stop_server

GP_DATA=$T_TMP/data-tls
start_server --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
token uploads-js-tls iguide.tasks,iguide.rw,iguide.ro
run_suite https
is "$(find "$GP_DATA/blobs/tmp" -type f | wc -l)" 0 "no temporary file is left at the end"
done_testing
