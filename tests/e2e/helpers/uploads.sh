# uploads.sh — helpers for the Stitch Data upload tests (sourced after tests/lib/tap.sh).
# Permits, the AWS CLI and boto3 pointed only at the test server, the stored blob of a key.
HELPERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# The AWS tools see nothing of the machine's own configuration and never look for credentials
# anywhere but the environment (no instance metadata: nothing leaves 127.0.0.1).
export AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE=$T_TMP/aws-config AWS_SHARED_CREDENTIALS_FILE=$T_TMP/aws-credentials
: >"$AWS_CONFIG_FILE"
: >"$AWS_SHARED_CREDENTIALS_FILE"
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_ENDPOINT_URL_S3 AWS_CA_BUNDLE AWS_REQUEST_CHECKSUM_CALCULATION \
      AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN

# The tools themselves, resolved once (a pyenv shim costs most of a second per call).
AWS_BIN=$(pyenv which aws 2>/dev/null || command -v aws)
PY_BIN=$(pyenv which python3 2>/dev/null || command -v python3)

# The sanitizer build is much slower at hashing; a few very large cases are skipped there.
is_asan() { case $GP_BIN in */asan/*) return 0 ;; esac; return 1; }

# new_work_order: creates an iGUIDE (the tutorial's body); sets IG and WO.
new_work_order() {
  api POST /api/v1/iguides -H 'Content-Type: application/json' -d "$TUTORIAL_IGUIDE"
  IG=$(jb .id) WO=$(jb .workOrderId)
}

# permit FILESIZE [FILENAME]: a new iGUIDE and an upload permit for its work order; sets PERMIT
# (the answer), SD, UPLOAD_TOKEN, S3_BUCKET, S3_KEY, S3_ENDPOINT, S3_AKID, S3_SECRET, S3_TOKEN.
permit() {
  new_work_order
  permit_here "$@"
}

# permit_here FILESIZE [FILENAME]: the same for the current work order (IG, WO).
permit_here() {
  api POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData" -H 'Content-Type: application/json' \
    -d "{\"filename\":\"${2:-property.stitch.tar}\",\"filesize\":$1}"
  PERMIT_STATUS=$STATUS
  PERMIT=$BODY
  SD=$(jb .id) UPLOAD_TOKEN=$(jb .uploadToken)
  S3_BUCKET=$(jb .uploadPermit.bucket) S3_KEY=$(jb .uploadPermit.key)
  S3_ENDPOINT=$(jb .uploadPermit.endpoint)
  S3_AKID=$(jb .uploadPermit.accessKeyId) S3_SECRET=$(jb .uploadPermit.secretAccessKey)
  S3_TOKEN=$(jb .uploadPermit.sessionToken)
}

# creds_env: the command prefix that gives a tool the permit's credentials.
creds() { env AWS_ACCESS_KEY_ID="$S3_AKID" AWS_SECRET_ACCESS_KEY="$S3_SECRET" AWS_SESSION_TOKEN="$S3_TOKEN" "$@"; }

# awss3 ARGS...: the AWS CLI with the permit's credentials against S3_URL (default S3_ENDPOINT);
# `aws s3 ...` commands print errors only.
awss3() {
  local quiet=()
  [ "$1" = s3 ] && quiet=(--only-show-errors)
  creds "$AWS_BIN" --endpoint-url "${S3_URL:-$S3_ENDPOINT}" --region us-east-1 "$@" "${quiet[@]}"
}

# b3 OP ARGS...: tests/e2e/helpers/b3.py with the permit's credentials.
b3() { creds "$PY_BIN" "$HELPERS/b3.py" "${S3_URL:-$S3_ENDPOINT}" "$@"; }

# blob_path KEY: the file that holds the stored object KEY (empty when there is none).
blob_path() {
  local name
  name=$(sqlite3 "$GP_DATA/guidepost.db" "select blob_name from objects where object_key='$1'")
  [ -n "$name" ] && echo "$GP_DATA/blobs/objects/$name"
}

# same_bytes FILE KEY DESCRIPTION: the stored object is byte for byte the file.
same_bytes() {
  local b
  b=$(blob_path "$2")
  if [ -n "$b" ] && cmp -s "$1" "$b"; then ok 0 "$3"; else
    ok 1 "$3"; diag "stored blob: '${b:-none}' ($(stat -c %s "$b" 2>/dev/null || echo -) bytes, want $(stat -c %s "$1"))"
  fi
}

# process [TOKEN]: the process call for the current permit; sets STATUS and BODY.
process() {
  api POST "/api/v1/iguides/$IG/workOrders/$WO/stitchData/$SD/process?uploadToken=${1-$UPLOAD_TOKEN}"
}

# wo_status: the current work order's status.
wo_status() { api GET "/api/v1/iguides/$IG/workOrders/$WO"; jb .status; }

# upload_sample [sample-stitch options...]: a `guidepost sample-stitch` TAR (default --levels 1
# --rooms 3 --panos 1; made once per set of options) uploaded with the AWS CLI for the current work
# order (IG, WO) through a real permit, then /process; sets STATUS and BODY of /process.
upload_sample() {
  [ $# -gt 0 ] || set -- --levels 1 --rooms 3 --panos 1
  local tar
  tar=$T_TMP/sample$(tr -c 'a-z0-9' _ <<<"$*").tar
  [ -s "$tar" ] || "$GP_BIN" sample-stitch --out "$tar" "$@" >/dev/null 2>>"$T_TMP/cli.log"
  permit_here "$(stat -c %s "$tar")"
  awss3 s3 cp "$tar" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control >>"$T_TMP/aws.log" 2>&1
  process
}

# wait_done [SECONDS]: polls the current work order until it is done or ended otherwise (default
# 30 s); sets WO_STATUS. Returns 1 unless it is done.
wait_done() {
  local i
  for i in $(seq 1 $(( ${1:-30} * 10 ))); do
    WO_STATUS=$(wo_status)
    case $WO_STATUS in done) return 0 ;; rejected|exception|cancelled) return 1 ;; esac
    sleep 0.1
  done
  return 1
}

# s3_code: the <Code> of an S3 XML error body in BODY (or in the given text).
s3_code() { sed -n 's:.*<Code>\([^<]*\)</Code>.*:\1:p' <<<"${1-$BODY}" | head -1; }

# cli_code TEXT: the code in the AWS CLI's "An error occurred (Code)".
cli_code() { sed -n 's/.*An error occurred (\([^)]*\)).*/\1/p' <<<"$1" | head -1; }

# s3curl METHOD PATH [s3sign options --] [curl args...]: a request signed by helpers/s3sign.py
# with the permit's credentials; sets STATUS, BODY, HEADERS like api.
s3curl() {
  local method=$1 path=$2; shift 2
  local sopts=()
  if [ "${1:-}" = "--sign" ]; then shift; while [ $# -gt 0 ] && [ "$1" != "--" ]; do sopts+=("$1"); shift; done; shift; fi
  local url="${S3_URL:-$S3_ENDPOINT}$path" h=() line
  while IFS= read -r line; do h+=(-H "$line"); done < <(creds "$PY_BIN" "$HELPERS/s3sign.py" "${sopts[@]}" "$method" "$url")
  : >"$T_TMP/h"
  BODY=$(curl -sS -X "$method" "${h[@]}" -D "$T_TMP/h" -o - -w '\n%{http_code}' "$@" "$url")
  STATUS=${BODY##*$'\n'}
  BODY=${BODY%$'\n'*}
  HEADERS=$(tr -d '\r' <"$T_TMP/h")
}

# random_file PATH SIZE: SIZE random bytes.
random_file() { head -c "$2" /dev/urandom >"$1"; }

# clock BODY: moves the test clock.
clock() { curl -sS -o /dev/null -X POST "$GP_URL/_test/clock" -d "$1"; }

# cli_upload SIZE LABEL [FILE]: a permit for SIZE bytes, `aws s3 cp` of FILE (default: SIZE random
# bytes in $T_TMP/fSIZE), and the stored object compared with it byte for byte.
cli_upload() {   # SIZE LABEL [FILE]: permit, aws s3 cp, compare
  local f=${3:-$T_TMP/f$1}
  [ -f "$f" ] || random_file "$f" "$1"
  permit "$1"
  local t0=$SECONDS err
  err=$(awss3 s3 cp "$f" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control 2>&1)
  is "$?" 0 "$2: aws s3 cp exits 0"
  [ -n "$err" ] && diag "$err"
  diag "$2: upload took $((SECONDS - t0)) s"
  same_bytes "$f" "$S3_KEY" "$2: stored bytes are the file's"
}

# client_matrix WHERE: what every transport must carry alike, each upload compared byte for byte:
# the AWS CLI's multipart upload (60 MiB in 8 parts), a 1 GiB sparse file (not under the sanitizer
# build, which hashes too slowly), boto3's upload_file (multipart) and put_object, each followed by
# /process. WHERE names the transport in the descriptions (" over http", " over https").
client_matrix() {
  local w=$1 out
  cli_upload 62914560 "60 MiB$w" "$T_TMP/m60m"
  like "$(sqlite3 "$GP_DATA/guidepost.db" "select etag from objects where object_key='$S3_KEY'")" \
       '^"[0-9a-f]{32}-8"$' "60 MiB$w: the ETag is a multipart ETag of 8 parts"
  is "$(find "$GP_DATA/blobs/objects/mpu" -type f 2>/dev/null | wc -l)" 0 "60 MiB$w: no parts are left behind"
  process
  is "$STATUS" 200 "60 MiB$w: /process is 200"

  if is_asan; then
    diag "skip the 1 GiB sparse file$w under the sanitizer build"
  else
    truncate -s 1G "$T_TMP/sparse.tar"
    cli_upload 1073741824 "1 GiB sparse file$w" "$T_TMP/sparse.tar"
    process
    is "$STATUS" 200 "1 GiB$w: /process is 200"
    rm -f "$T_TMP/sparse.tar" "$(blob_path "$S3_KEY")"
  fi

  [ -f "$T_TMP/m20m" ] || random_file "$T_TMP/m20m" 20971520
  permit 20971520
  out=$(b3 upload_file "$T_TMP/m20m" "$S3_BUCKET" "$S3_KEY" 2>&1)
  is "$(tail -n 1 <<<"$out")" ok "boto3 upload_file 20 MiB (multipart)$w: ok"
  same_bytes "$T_TMP/m20m" "$S3_KEY" "boto3 upload_file$w: stored bytes are the file's"

  [ -f "$T_TMP/m5m" ] || random_file "$T_TMP/m5m" 5000000
  permit 5000000
  out=$(b3 put_object "$T_TMP/m5m" "$S3_BUCKET" "$S3_KEY" 2>&1)
  is "$(tail -n 1 <<<"$out")" "etag \"$(md5sum "$T_TMP/m5m" | cut -d' ' -f1)\"" "boto3 put_object$w: answers the MD5 ETag"
  same_bytes "$T_TMP/m5m" "$S3_KEY" "boto3 put_object$w: stored bytes are the file's"
  process
  is "$STATUS" 200 "boto3 put_object$w: /process is 200"
}
