#!/usr/bin/env bash
# Bucket addressing (docs/uploads.md, "Bucket names and addressing"): the integrator's unmodified
# code against the default bucket, with only AWS_ENDPOINT_URL set — the AWS SDK for JavaScript v3
# (no forcePathStyle), the AWS CLI and boto3 with their defaults, PutObject and multipart — on a
# `localhost` endpoint over http and https (uploads_js.t, uploads.t and uploads_tls.t do the same
# on an IP endpoint); virtual-hosted-style requests (Host: <bucket>.<endpoint host>) over http and
# https from the JS SDK with a stand-in for wildcard DNS, and from curl --aws-sigv4; refusing
# (`serve --s3-bucket`) the names default clients would send to a virtual host, checked against
# what the JS SDK itself builds; and a permit for the earlier default bucket still working after
# the default changed.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

JS=$GP_ROOT/tests/js
js_deps
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
# js OP FILE BUCKET KEY...: tests/js/s3.mjs, the endpoint from AWS_ENDPOINT_URL only.
js() { creds env AWS_ENDPOINT_URL="$S3_ENDPOINT" node "${NODE_PRE[@]}" "$JS/s3.mjs" - "$@"; }
NODE_PRE=()
# aws_env ARGS...: the AWS CLI with the permit's credentials and AWS_ENDPOINT_URL, nothing else.
aws_env() { creds env AWS_ENDPOINT_URL="$S3_ENDPOINT" "$AWS_BIN" "$@" --only-show-errors; }
# b3_env OP ARGS...: boto3 with the endpoint from AWS_ENDPOINT_URL.
b3_env() { creds env AWS_ENDPOINT_URL="$S3_ENDPOINT" "$PY_BIN" "$HELPERS/b3.py" - "$@"; }
free_port() { "$PY_BIN" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
url_line() { sed -n 's/^url //p' <<<"$1"; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,DNS:stitch.localhost,IP:127.0.0.1" \
  -keyout "$T_TMP/key.pem" -out "$T_TMP/cert.pem" >/dev/null 2>&1 || { echo "Bail out! openssl failed"; exit 1; }
export NODE_EXTRA_CA_CERTS=$T_TMP/cert.pem AWS_CA_BUNDLE=$T_TMP/cert.pem CURL_CA_BUNDLE=$T_TMP/cert.pem

random_file "$T_TMP/f1m" 1000000
random_file "$T_TMP/f9m" 9437184    # 9 MiB: the CLI and boto3 go multipart from 8 MiB
random_file "$T_TMP/f11m" 11534336  # 11 MiB: lib-storage sends 5 + 5 + 1 MiB

# --- serve --s3-bucket: refused exactly when the JS SDK would not use path style ---------------
# serve_verdict BUCKET ENDPOINT [options]: path (accepted), virtual or broken (refused, by its
# message). A bad --log-level, checked right after the bucket, stops an accepted start.
serve_verdict() {
  local err
  err=$("$GP_BIN" serve --data "$T_TMP/probe" --s3-bucket "$1" --s3-public-url "$2" "${@:3}" --log-level bad 2>&1 >/dev/null)
  case $err in
    *"is not a host name"*) echo broken ;;
    *"would break default S3 clients"*) echo virtual ;;
    *"--log-level"*) echo path ;;
    *) echo "other: $err" ;;
  esac
}
BUCKETS=(guidepost_stitch stitch.guidepost.local guidepost-stitch stitch iguides.plntr.ca iguides_plntr.ca
         gp_stitch.local abc.def ab.cde 123.456.789 111.222.333.444 x111.222.333.444y a-b-c)
for ep in http://127.0.0.1:9000 https://127.0.0.1:9000 http://localhost:9000 https://localhost:9000 \
          http://s3.example.test https://s3.example.test:8443 'http://[::1]:9000'; do
  sdk=$(node "$JS/addressing.mjs" "$ep" "${BUCKETS[@]}" 2>/dev/null)
  for b in "${BUCKETS[@]}"; do
    want=$(awk -v b="$b" '$1 == b { print $2 }' <<<"$sdk")
    is "$(serve_verdict "$b" "$ep")" "${want:-none}" "$b on $ep: serve's rule agrees with the JS SDK (${want:-?})"
  done
done
is "$(serve_verdict guidepost_stitch http://localhost:1)" path "the default bucket is accepted on a localhost endpoint"
is "$(serve_verdict stitch https://s3.example.test --s3-virtual-hosts)" path \
   "a virtual-hosted bucket is accepted with --s3-virtual-hosts"
is "$(serve_verdict stitch.guidepost.local http://127.0.0.1:1 --s3-virtual-hosts)" broken \
   "... but never when the SDKs cannot build the URL (a dotted bucket on an IP over http)"
"$GP_BIN" serve --data "$T_TMP/probe" --s3-bucket stitch.guidepost.local >/dev/null 2>"$T_TMP/err"
is "$?" 2 "the old default bucket on the default http://127.0.0.1 endpoint: refused (exit 2)"
like "$(cat "$T_TMP/err")" "stitch\.guidepost\.local\.127\.0\.0\.1, which is not a host name; use a name with '_'" "... saying why"
"$GP_BIN" serve --data "$T_TMP/probe" --s3-bucket stitch --s3-public-url https://s3.example.test >/dev/null 2>"$T_TMP/err"
is "$?" 2 "a one-label bucket on a host name endpoint: refused (exit 2)"
like "$(cat "$T_TMP/err")" "send uploads to the host stitch\.s3\.example\.test.*--s3-virtual-hosts when \*\.s3\.example\.test reaches this server" "... saying why and what to do"
for b in a--b xn--stitch gp_stitch--x-s3 _gp gp_ Gp_stitch gp; do
  "$GP_BIN" serve --data "$T_TMP/probe" --s3-bucket "$b" >/dev/null 2>"$T_TMP/err"
  is "$?" 2 "--s3-bucket $b: refused (exit 2)"
  like "$(cat "$T_TMP/err")" "3-63 characters" "... naming the rule"
done
[ -e "$T_TMP/probe" ] && diag "a refused start created its data folder"
ok "$([ ! -e "$T_TMP/probe" ] && echo 0 || echo 1)" "refused starts create no data folder"

# js_put_checked LABEL WANT-URL WHAT / js_upload_checked LABEL WANT-URL WHAT: the JS SDK with its
# defaults puts f1m (PutObject, then /process) or f11m (lib-storage, 3 parts) under the current
# permit; the URL it chose must be WANT-URL, and the stored bytes the file's.
js_put_checked() {
  local w=$1 want=$2 out
  out=$(js put_buffer "$T_TMP/f1m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  is "$(head -n 1 <<<"$out")" "etag \"$(md5sum "$T_TMP/f1m" | cut -d' ' -f1)\"" "$w: JS v3 PutObject with defaults: stored"
  [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
  is "$(url_line "$out")" "$want" "$w: ... $3"
  same_bytes "$T_TMP/f1m" "$S3_KEY" "$w: JS v3 PutObject: stored bytes are the file's"
  process
  is "$STATUS" 200 "$w: JS v3 PutObject: /process is 200"
}
js_upload_checked() {
  local w=$1 want=$2 out
  out=$(js upload "$T_TMP/f11m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
  like "$out" '^etag "[0-9a-f]{32}-3"' "$w: JS v3 lib-storage Upload with defaults: multipart, 3 parts"
  [ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
  is "$(url_line "$out")" "$want" "$w: ... $3"
  same_bytes "$T_TMP/f11m" "$S3_KEY" "$w: lib-storage Upload: stored bytes are the file's"
}

# --- unmodified clients, the default bucket, a localhost endpoint -------------------------------
# clients WHERE: the JS SDK (PutObject, lib-storage multipart), the AWS CLI (one PUT, multipart)
# and boto3 (upload_file multipart, put_object), each with only AWS_ENDPOINT_URL; bytes compared.
clients() {
  local w=$1 out
  permit 1000000
  is "$S3_BUCKET" guidepost_stitch "$w: the permit names the default bucket"
  like "$S3_ENDPOINT" "^${w%% *}://localhost:[0-9]+\$" "$w: the permit's endpoint is a localhost URL"
  js_put_checked "$w" "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" "the SDK chose path style by itself"
  permit 11534336
  js_upload_checked "$w" "$S3_ENDPOINT/$S3_BUCKET/$S3_KEY" "path style"

  permit 1000000
  out=$(aws_env s3 cp "$T_TMP/f1m" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control --region us-east-1 2>&1)
  is "$?" 0 "$w: aws s3 cp 1 MB with only AWS_ENDPOINT_URL: exits 0"
  [ -n "$out" ] && diag "$out"
  same_bytes "$T_TMP/f1m" "$S3_KEY" "$w: aws s3 cp 1 MB: stored bytes are the file's"

  permit 9437184
  out=$(aws_env s3 cp "$T_TMP/f9m" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control --region us-east-1 2>&1)
  is "$?" 0 "$w: aws s3 cp 9 MiB (multipart) with only AWS_ENDPOINT_URL: exits 0"
  [ -n "$out" ] && diag "$out"
  same_bytes "$T_TMP/f9m" "$S3_KEY" "$w: aws s3 cp 9 MiB: stored bytes are the file's"
  like "$(sqlite3 "$GP_DATA/guidepost.db" "select etag from objects where object_key='$S3_KEY'")" \
       '^"[0-9a-f]{32}-2"$' "$w: aws s3 cp 9 MiB: a multipart ETag of 2 parts"
  process
  is "$STATUS" 200 "$w: aws s3 cp 9 MiB: /process is 200"

  permit 9437184
  out=$(b3_env upload_file "$T_TMP/f9m" "$S3_BUCKET" "$S3_KEY" 2>&1)
  is "$(tail -n 1 <<<"$out")" ok "$w: boto3 upload_file 9 MiB (multipart) with defaults: ok"
  same_bytes "$T_TMP/f9m" "$S3_KEY" "$w: boto3 upload_file: stored bytes are the file's"

  permit 1000000
  out=$(b3_env put_object "$T_TMP/f1m" "$S3_BUCKET" "$S3_KEY" 2>&1)
  is "$(tail -n 1 <<<"$out")" "etag \"$(md5sum "$T_TMP/f1m" | cut -d' ' -f1)\"" "$w: boto3 put_object with defaults: stored"
  same_bytes "$T_TMP/f1m" "$S3_KEY" "$w: boto3 put_object: stored bytes are the file's"
}

P=$(free_port)
start_server --workers 0 --s3-listen "127.0.0.1:$P" --s3-public-url "http://localhost:$P"
token addr iguide.tasks,iguide.rw,iguide.ro
clients "http localhost"

# A virtual-hosted request for the default bucket is understood too (curl resolves *.localhost
# to the loopback itself); another bucket in the Host is refused like another bucket in the path.
permit 1000000
curl -sS -o "$T_TMP/out" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" -u "$S3_AKID:$S3_SECRET" \
  -H "x-amz-security-token: $S3_TOKEN" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
  -T "$T_TMP/f1m" "http://guidepost_stitch.localhost:$P/$S3_KEY" >"$T_TMP/code" 2>"$T_TMP/curl.err"
is "$(cat "$T_TMP/code")" 200 "curl --aws-sigv4 PUT to guidepost_stitch.localhost: 200"
[ -s "$T_TMP/curl.err" ] && diag "$(cat "$T_TMP/curl.err")"
same_bytes "$T_TMP/f1m" "$S3_KEY" "... stored bytes are the file's"
curl -sS -o "$T_TMP/out" -w '%{http_code}' --aws-sigv4 "aws:amz:us-east-1:s3" -u "$S3_AKID:$S3_SECRET" \
  -H "x-amz-security-token: $S3_TOKEN" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
  -T "$T_TMP/f1m" "http://other-bucket.localhost:$P/$S3_KEY" >"$T_TMP/code"
is "$(cat "$T_TMP/code") $(s3_code "$(cat "$T_TMP/out")")" "403 AccessDenied" "a virtual host naming another bucket: 403 AccessDenied"
stop_server

GP_DATA=$T_TMP/data-tls
P=$(free_port)
start_server --workers 0 --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem" \
  --s3-listen "127.0.0.1:$P" --s3-public-url "https://localhost:$P"
token addr-tls iguide.tasks,iguide.rw,iguide.ro
clients "https localhost"
stop_server

# --- virtual-hosted style: a bucket the SDKs put in the host name, with wildcard DNS ------------
GP_DATA=$T_TMP/data-vhost
P=$(free_port)
start_server --workers 0 --s3-bucket stitch --s3-virtual-hosts --s3-listen "127.0.0.1:$P" \
  --s3-public-url "http://localhost:$P"
token vhost iguide.tasks,iguide.rw,iguide.ro
NODE_PRE=(--require "$JS/wildcard_dns.cjs")   # *.localhost resolves to 127.0.0.1
permit 1000000
is "$S3_BUCKET" stitch "virtual hosts: the permit names the configured bucket"
js_put_checked "virtual hosts" "http://stitch.localhost:$P/$S3_KEY" "sent to the virtual host stitch.localhost"
permit 11534336
js_upload_checked "virtual hosts" "http://stitch.localhost:$P/$S3_KEY" "to the virtual host"
is "$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)" 0 "virtual hosts: no parts are left behind"
NODE_PRE=()

# The CLI (path style) reaches the same bucket on the same server.
permit 1000000
out=$(aws_env s3 cp "$T_TMP/f1m" "s3://$S3_BUCKET/$S3_KEY" --region us-east-1 2>&1)
is "$?" 0 "virtual hosts: aws s3 cp (path style) to the same server exits 0"
same_bytes "$T_TMP/f1m" "$S3_KEY" "... stored bytes are the file's"

# HeadBucket and HeadObject on the virtual host; the signature covers the Host as sent.
sig=(--aws-sigv4 "aws:amz:us-east-1:s3" -u "$S3_AKID:$S3_SECRET" -H "x-amz-security-token: $S3_TOKEN"
     -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")
is "$(curl -sS -o /dev/null -w '%{http_code}' -I "${sig[@]}" "http://stitch.localhost:$P/")" 200 "virtual hosts: HeadBucket 200"
is "$(curl -sS -o /dev/null -w '%{http_code} %header{content-length}' -I "${sig[@]}" "http://stitch.localhost:$P/$S3_KEY")" \
   "200 1000000" "virtual hosts: HeadObject 200 with the object's length"
# The signature covers the Host and the path as sent: signed for the virtual host, sent path-style
# (the same bucket and key), it does not match.
h=()
while IFS= read -r line; do h+=(-H "$line"); done < <(creds "$PY_BIN" "$HELPERS/s3sign.py" HEAD "http://stitch.localhost:$P/$S3_KEY")
is "$(curl -sS -o /dev/null -w '%{http_code}' -I "${h[@]}" "http://stitch.localhost:$P/$S3_KEY")" 200 \
   "virtual hosts: a HEAD signed by s3sign.py for the virtual host: 200"
is "$(curl -sS -o /dev/null -w '%{http_code}' -I "${h[@]}" "http://localhost:$P/stitch/$S3_KEY")" 403 \
   "... the same headers sent path-style: 403 (SignatureDoesNotMatch)"
# The key in the path of a virtual-hosted request is the whole path: /stitch/KEY is another key.
curl -sS -o "$T_TMP/out" -w '%{http_code}' "${sig[@]}" -T "$T_TMP/f1m" "http://stitch.localhost:$P/stitch/$S3_KEY" >"$T_TMP/code"
is "$(cat "$T_TMP/code") $(s3_code "$(cat "$T_TMP/out")")" "403 AccessDenied" "virtual host with the bucket in the path too: another key, AccessDenied"
stop_server

# Over https: the certificate names the virtual host too (as *.<host> would in a deployment).
GP_DATA=$T_TMP/data-vhost-tls
P=$(free_port)
start_server --workers 0 --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem" --s3-bucket stitch \
  --s3-virtual-hosts --s3-listen "127.0.0.1:$P" --s3-public-url "https://localhost:$P"
token vhost-tls iguide.tasks,iguide.rw,iguide.ro
NODE_PRE=(--require "$JS/wildcard_dns.cjs")
permit 11534336
out=$(js upload "$T_TMP/f11m" "$S3_BUCKET" "$S3_KEY" 2>"$T_TMP/js.err")
like "$out" '^etag "[0-9a-f]{32}-3"' "virtual hosts over https: JS v3 lib-storage Upload: multipart, 3 parts"
[ -s "$T_TMP/js.err" ] && diag "$(head -c 400 "$T_TMP/js.err")"
is "$(url_line "$out")" "https://stitch.localhost:$P/$S3_KEY" "... to the virtual host stitch.localhost over https"
same_bytes "$T_TMP/f11m" "$S3_KEY" "virtual hosts over https: stored bytes are the file's"
NODE_PRE=()
permit 1000000
out=$(aws_env s3 cp "$T_TMP/f1m" "s3://$S3_BUCKET/$S3_KEY" --region us-east-1 2>&1)
is "$?" 0 "virtual hosts over https: aws s3 cp (path style, aws-chunked) to the same server exits 0"
[ -n "$out" ] && diag "$out"
same_bytes "$T_TMP/f1m" "$S3_KEY" "... stored bytes are the file's"
stop_server

# --- a permit for the earlier default bucket keeps working after the default changed -----------
# Permits and objects record their bucket; only new permits name the new default.
GP_DATA=$T_TMP/data-old
start_server --workers 0 --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem" --s3-bucket stitch.guidepost.local
token old iguide.tasks,iguide.rw,iguide.ro
permit 1000000
is "$S3_BUCKET" stitch.guidepost.local "old default (https, an IP endpoint): the permit names stitch.guidepost.local"
stop_server
start_server --workers 0 --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
out=$(S3_URL=$GP_URL awss3 s3 cp "$T_TMP/f1m" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control 2>&1)
is "$?" 0 "after restarting with the new default: the old permit's upload to stitch.guidepost.local works"
[ -n "$out" ] && diag "$out"
same_bytes "$T_TMP/f1m" "$S3_KEY" "... stored bytes are the file's"
process
is "$STATUS" 200 "... and /process is 200"
permit 1000
is "$S3_BUCKET" guidepost_stitch "a new permit names the new default"
done_testing
