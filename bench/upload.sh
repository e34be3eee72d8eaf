#!/usr/bin/env bash
# bench/upload.sh — Stitch Data upload throughput of Guidepost's built-in S3 endpoint, against
# references measured in the same run on the same disk:
#
#   1. `aws s3 cp` of a SIZE test file (random bytes) to Guidepost (through a real upload permit)
#      and to s3rver (the npm S3 stand-in), REPEAT times each, alternating; median seconds and
#      MB/s of each and the ratio.                      Target: Guidepost not slower than s3rver.
#   2. Raw ingest: `curl -T` of the same file as one PUT (UNSIGNED-PAYLOAD) to Guidepost, against
#      `dd bs=1M conv=fsync` of the same file to the same disk (Guidepost fsyncs before it
#      answers, so conv=fsync is the like-for-like reference; oflag=direct is printed as
#      information).                                  Target: ingest >= 70% of dd.
#   3. Guidepost's peak RSS (VmHWM) after those uploads and after a 2 GiB upload of a sparse
#      file (`truncate -s`), once with `aws s3 cp` (multipart, 10 connections) and once with
#      `curl -T` (one PUT).                           Target: VmHWM < 64 MiB.
#
# Everything runs on 127.0.0.1 in one temporary folder (test files, both servers' data, dd's
# output: one disk), removed on exit with every process it started. s3rver is installed with npm
# into that folder (nothing is written to the repository). Exit status is non-zero only when
# something failed to run (a server did not start, an upload failed or stored different bytes);
# a missed target is reported as MISS. Progress goes to stderr, the report to stdout.
#
# Environment (all optional):
#   SIZE=1G            test file size (bytes, or K/M/G suffixes, powers of 1024)
#   BIG_SIZE=2G        size of the sparse file for the peak-RSS upload (0 skips that step)
#   REPEAT=3           timed runs of each measurement (medians are reported)
#   GP_THREADS=        guidepost serve --threads (default: guidepost's own, 2 x CPUs)
#   S3RVER_VERSION=3.7.1   the npm package version installed
#   CMD_TIMEOUT=600    seconds any single upload / dd / npm install may take
#   UPLOAD_TARGET=1.00 required ratio s3rver seconds / Guidepost seconds for aws s3 cp
#   INGEST_TARGET=0.70 required ratio Guidepost curl MB/s / dd conv=fsync MB/s
#   RSS_TARGET_KB=65536   peak RSS limit in KiB
#   BENCH_TMPDIR       parent of the temporary folder (default $TMPDIR or /tmp)
#   GUIDEPOST_BIN      binary to benchmark (default build/guidepost; built with make if missing)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE=${SIZE:-1G}
BIG_SIZE=${BIG_SIZE:-2G}
REPEAT=${REPEAT:-3}
GP_THREADS=${GP_THREADS:-}
S3RVER_VERSION=${S3RVER_VERSION:-3.7.1}
CMD_TIMEOUT=${CMD_TIMEOUT:-600}
UPLOAD_TARGET=${UPLOAD_TARGET:-1.00}
INGEST_TARGET=${INGEST_TARGET:-0.70}
RSS_TARGET_KB=${RSS_TARGET_KB:-65536}
GP_BIN=${GUIDEPOST_BIN:-$ROOT/build/guidepost}
case $GP_BIN in /*) ;; *) GP_BIN=$ROOT/$GP_BIN ;; esac

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_cmds aws curl jq node npm dd cmp truncate numfmt timeout df
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 (EPOCHREALTIME) is required"

bytes() {   # SIZE with an optional K/M/G/T suffix (powers of 1024) -> bytes
  local v=${1%iB}; v=${v%B}
  [[ $v =~ ^[0-9]+[KMGT]?$ ]] || die "bad size '$1' (want e.g. 1073741824, 256M, 1G)"
  numfmt --from=iec "$v"
}
SIZE_B=$(bytes "$SIZE")
BIG_B=$(bytes "$BIG_SIZE")
[ "$SIZE_B" -gt 0 ] || die "SIZE must be positive"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "bad REPEAT '$REPEAT'"
[[ $CMD_TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "bad CMD_TIMEOUT '$CMD_TIMEOUT'"
[ -z "$GP_THREADS" ] || [[ $GP_THREADS =~ ^[1-9][0-9]*$ ]] || die "bad GP_THREADS '$GP_THREADS'"
for t in "$UPLOAD_TARGET" "$INGEST_TARGET"; do
  [[ $t =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "bad target '$t'"
done
[[ $RSS_TARGET_KB =~ ^[1-9][0-9]*$ ]] || die "bad RSS_TARGET_KB '$RSS_TARGET_KB'"

need_guidepost

TMP=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/gp-upload-bench.XXXXXX")
GP_PID=
S3_PID=
CHILD_PID=

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop "$CHILD_PID"
  stop "$GP_PID"
  stop "$S3_PID"
  finish "$rc" "$TMP"/guidepost.log "$TMP"/s3rver.log "$TMP"/npm.log "$TMP"/cmd.log "$TMP"/cli.log
}
on_exit cleanup

# run LOG CMD...: one bounded command in the background (so a signal can stop it), output to LOG;
# returns its exit status. Sets ELAPSED (wall-clock seconds), CLI_CPU (CPU seconds of the command
# and its children) and SRV_CPU (CPU seconds the process RUN_SRV took meanwhile, when set).
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
RUN_SRV=
proc_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }' || echo 0; }
children_secs() {   # CHILD_SECS= user+sys of this shell's reaped children
  times >"$TMP/times"   # in this shell: in $(...) it would report the subshell's (no) children
  CHILD_SECS=$(awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m"); s += a[1] * 60 + a[2] }
                 printf "%.3f", s }' "$TMP/times")
}
run() {
  local log=$1 rc=0 t0 t1 c0 c1 s0=0 s1=0; shift
  children_secs; c0=$CHILD_SECS
  [ -z "$RUN_SRV" ] || s0=$(proc_ticks "$RUN_SRV")
  t0=$EPOCHREALTIME
  timeout -k 5 "$CMD_TIMEOUT" "$@" >"$log" 2>&1 &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=
  t1=$EPOCHREALTIME
  [ -z "$RUN_SRV" ] || s1=$(proc_ticks "$RUN_SRV")
  children_secs; c1=$CHILD_SECS
  ELAPSED=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  CLI_CPU=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')
  SRV_CPU=$(awk -v a="$s0" -v b="$s1" -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')
  return "$rc"
}
fail_run() {   # LOG WHAT
  cat "$1" >&2
  die "$2"
}

# The aws CLI sees only what this script gives it: no profile, no config file, no IMDS.
: >"$TMP/aws-config"
export AWS_CONFIG_FILE=$TMP/aws-config AWS_SHARED_CREDENTIALS_FILE=$TMP/aws-config
export AWS_EC2_METADATA_DISABLED=true
unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
      AWS_REQUEST_CHECKSUM_CALCULATION AWS_RESPONSE_CHECKSUM_VALIDATION AWS_ENDPOINT_URL \
      AWS_ENDPOINT_URL_S3 || true

FS=$(df -PT "$TMP" | awk 'NR == 2 { print $1 " (" $2 ")" }')
case $FS in *"(tmpfs)"*) say "warning: $TMP is on tmpfs; set BENCH_TMPDIR to a folder on a disk" ;; esac
need=$(( (SIZE_B * 4 + BIG_B) / 1024 ))
avail=$(df -Pk "$TMP" | awk 'NR == 2 { print $4 }')
[ "$avail" -gt "$need" ] || die "not enough space in $TMP: need ~$((need / 1024)) MiB"

# --- s3rver from npm, into the temporary folder --------------------------------------------------
say "installing s3rver@$S3RVER_VERSION with npm (into $TMP/npm)"
mkdir -p "$TMP/npm"
run "$TMP/npm.log" npm install --prefix "$TMP/npm" --no-audit --no-fund --no-save --loglevel=error \
  "s3rver@$S3RVER_VERSION" || fail_run "$TMP/npm.log" "npm install s3rver failed"
S3RVER_JS=$TMP/npm/node_modules/s3rver/bin/s3rver.js
[ -f "$S3RVER_JS" ] || die "npm installed no $S3RVER_JS"

# --- the test file -------------------------------------------------------------------------------
say "writing a $SIZE_B-byte test file from /dev/urandom"
timeout "$CMD_TIMEOUT" head -c "$SIZE_B" /dev/urandom >"$TMP/test.bin" || die "cannot write the test file"
[ "$(stat -c %s "$TMP/test.bin")" -eq "$SIZE_B" ] || die "short test file"

# --- Guidepost -----------------------------------------------------------------------------------
DATA=$TMP/gp-data
gp_token iguide.rw,iguide.tasks
threads_opt=(); [ -z "$GP_THREADS" ] || threads_opt=(--threads "$GP_THREADS")
gp_serve upload "$TMP/guidepost.log" "${threads_opt[@]}"
GP_PID=$SERVED_PID GP_URL=$SERVED_URL
GP_THREADS_SHOWN=$(grep -ao '[0-9]* threads' "$TMP/guidepost.log" | head -1 || true)

# permit FILESIZE: a fresh iGUIDE and an upload permit for FILESIZE bytes. Sets P_BUCKET, P_KEY,
# P_AKID, P_SECRET, P_TOKEN, P_ID.
permit() {
  local code out=$TMP/api.json gid wid
  code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 -X POST "$GP_URL/api/v1/iguides" \
    -H "Content-Type: application/json" -H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN" \
    -d '{"type":"standard","industry":"residential","address":{"country":"CA","provinceState":"ON","city":"Waterloo","postalCode":"N2L 3G1","streetName":"University Ave","streetNumber":"200"}}') \
    || die "POST /api/v1/iguides failed"
  [ "$code" = 200 ] || die "POST /api/v1/iguides answered $code: $(cat "$out")"
  gid=$(jq -er .id "$out") && wid=$(jq -er .workOrderId "$out") || die "no iGUIDE/work order id"
  code=$(curl -s -o "$out" -w '%{http_code}' --max-time 10 -X POST \
    "$GP_URL/api/v1/iguides/$gid/workOrders/$wid/stitchData" \
    -H "Content-Type: application/json" -H "X-Plntr-App-Id: $APP_ID" -H "X-Plntr-App-Token: $APP_TOKEN" \
    -d "{\"filename\":\"f.tar\",\"filesize\":$1}") || die "POST stitchData failed"
  [ "$code" = 200 ] || die "POST stitchData answered $code: $(cat "$out")"
  P_ID=$(jq -er .id "$out") && P_BUCKET=$(jq -er .uploadPermit.bucket "$out") &&
    P_KEY=$(jq -er .uploadPermit.key "$out") && P_AKID=$(jq -er .uploadPermit.accessKeyId "$out") &&
    P_SECRET=$(jq -er .uploadPermit.secretAccessKey "$out") &&
    P_TOKEN=$(jq -er .uploadPermit.sessionToken "$out") || die "incomplete upload permit: $(cat "$out")"
}

# gp_stored SOURCE: checks Guidepost stored exactly SOURCE's bytes for permit P_ID, then removes
# the stored copy (disk space; nothing reads it afterwards).
gp_stored() {
  local dir=$DATA/blobs/objects/s3/$P_ID f n
  n=$(find "$dir" -type f 2>/dev/null | wc -l)
  [ "$n" -eq 1 ] || die "guidepost: expected one stored object in $dir, found $n"
  f=$(find "$dir" -type f)
  cmp -s "$1" "$f" || die "guidepost stored different bytes than $1"
  rm -f "$f"
}

gp_rss() { awk '/^VmHWM:/ { print $2 }' "/proc/$GP_PID/status" 2>/dev/null || true; }
gp_alive() { kill -0 "$GP_PID" 2>/dev/null || die "guidepost is gone"; }

# --- s3rver --------------------------------------------------------------------------------------
S3_DATA=$TMP/s3rver-data
S3_BUCKET=bench
mkdir -p "$S3_DATA"
node "$S3RVER_JS" -d "$S3_DATA" -a 127.0.0.1 -p 0 --no-vhost-buckets \
  --configure-bucket "$S3_BUCKET" >>"$TMP/s3rver.log" 2>&1 &
S3_PID=$!
S3_URL=
for _ in $(seq 1 200); do
  S3_URL=$(grep -aom1 'listening on 127\.0\.0\.1:[0-9]*' "$TMP/s3rver.log" 2>/dev/null | sed 's/listening on /http:\/\//' || true)
  [ -n "$S3_URL" ] && break
  kill -0 "$S3_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$S3_URL" ] || die "s3rver did not start"
S3RVER_VER=$(node -p "require('$TMP/npm/node_modules/s3rver/package.json').version" 2>/dev/null || echo '?')
# The bucket exists (--configure-bucket); make sure it answers before timing anything.
AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
  run "$TMP/cmd.log" aws s3api head-bucket --bucket "$S3_BUCKET" --endpoint-url "$S3_URL" \
  --region us-east-1 || fail_run "$TMP/cmd.log" "s3rver: bucket $S3_BUCKET is not there"

S3_ENV=()          # extra environment for the s3rver runs (see below)
S3_NOTE="aws CLI defaults (CRC32 checksums)"
s3_stored() {   # SOURCE KEY: s3rver stored exactly SOURCE's bytes as KEY; removes the copy
  local f=$S3_DATA/$S3_BUCKET/$2._S3rver_object
  [ -f "$f" ] || return 1
  cmp -s "$1" "$f" || return 1
  rm -f "$f" "$f.md5" "$S3_DATA/$S3_BUCKET/$2._S3rver_metadata.json"
}

# --- 1. aws s3 cp, alternating ---------------------------------------------------------------------
aws_gp() {   # FILE LOG: one timed upload to Guidepost with a fresh permit; sets ELAPSED
  permit "$(stat -c %s "$1")"
  sync
  RUN_SRV=$GP_PID AWS_ACCESS_KEY_ID=$P_AKID AWS_SECRET_ACCESS_KEY=$P_SECRET AWS_SESSION_TOKEN=$P_TOKEN \
    run "$2" aws s3 cp "$1" "s3://$P_BUCKET/$P_KEY" --endpoint-url "$GP_URL" --region us-east-1 \
    --only-show-errors || fail_run "$2" "aws s3 cp to guidepost failed"
}
aws_s3rver() {   # KEY LOG: one timed upload of the test file to s3rver; sets ELAPSED
  sync
  RUN_SRV=$S3_PID AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER \
    run "$2" env "${S3_ENV[@]}" aws s3 cp "$TMP/test.bin" "s3://$S3_BUCKET/$1" \
    --endpoint-url "$S3_URL" --region us-east-1 --only-show-errors
}

# CPU accounting, to tell how much of the machine other processes took during the timed runs:
# busy time from /proc/stat minus the servers' time and that of this shell's reaped children
# (aws, curl, dd). Kernel writeback threads count as "other".
CPUS=$(nproc 2>/dev/null || echo 1)
LOAD_BEFORE=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')
cpu_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $9 }' /proc/stat; }
S3_TICKS=0   # s3rver's ticks, kept when it is stopped
our_ticks() {
  local t c
  t=$(( $(proc_ticks "$GP_PID") + S3_TICKS ))
  [ -z "$S3_PID" ] || t=$(( t + $(proc_ticks "$S3_PID") ))
  children_secs; c=$CHILD_SECS
  OURS=$(( t + $(awk -v s="$c" -v hz="$HZ" 'BEGIN { printf "%d", s * hz }') ))
}

say "aws s3 cp warm-up (1 MiB each; not timed)"
head -c 1048576 "$TMP/test.bin" >"$TMP/warm.bin"
aws_gp "$TMP/warm.bin" "$TMP/aws-gp-warm.log"; gp_stored "$TMP/warm.bin"
if ! AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER run "$TMP/aws-s3-warm.log" \
       aws s3 cp "$TMP/warm.bin" "s3://$S3_BUCKET/warm" --endpoint-url "$S3_URL" \
       --region us-east-1 --only-show-errors || ! s3_stored "$TMP/warm.bin" warm; then
  # Older s3rver releases do not understand the CLI's default flexible checksums (aws-chunked
  # bodies with trailers): compute checksums only where required, for the s3rver runs only.
  S3_ENV=(AWS_REQUEST_CHECKSUM_CALCULATION=when_required)
  S3_NOTE="AWS_REQUEST_CHECKSUM_CALCULATION=when_required (default CRC32 checksums broke s3rver)"
  say "s3rver refused the CLI defaults; retrying with ${S3_ENV[*]}"
fi

declare -a T_GP=() T_S3=() S_GP=() S_S3=() K_GP=() K_S3=()
read -r busy0 steal0 < <(cpu_ticks); our_ticks; ours0=$OURS; t0=$(date +%s%N)
for r in $(seq 1 "$REPEAT"); do
  for who in gp s3rver; do
    [ $((r % 2)) -eq 0 ] && who=$([ "$who" = gp ] && echo s3rver || echo gp)
    if [ "$who" = gp ]; then
      say "round $r/$REPEAT: aws s3 cp -> guidepost"
      aws_gp "$TMP/test.bin" "$TMP/aws-gp-$r.log"
      gp_stored "$TMP/test.bin"
      T_GP+=("$ELAPSED"); S_GP+=("$SRV_CPU"); K_GP+=("$CLI_CPU")
    else
      say "round $r/$REPEAT: aws s3 cp -> s3rver"
      aws_s3rver "up-$r" "$TMP/aws-s3-$r.log" || fail_run "$TMP/aws-s3-$r.log" "aws s3 cp to s3rver failed"
      s3_stored "$TMP/test.bin" "up-$r" || die "s3rver did not store the test file's bytes as up-$r"
      T_S3+=("$ELAPSED"); S_S3+=("$SRV_CPU"); K_S3+=("$CLI_CPU")
    fi
    say "  ${ELAPSED}s"
  done
done
gp_alive
RSS_AWS=$(gp_rss)
S3_RSS=$(awk '/^VmHWM:/ { print $2 }' "/proc/$S3_PID/status" 2>/dev/null || echo '?')
S3_TICKS=$(proc_ticks "$S3_PID")
stop "$S3_PID"; S3_PID=
rm -rf "$S3_DATA"

# --- 2. raw ingest: curl -T (one PUT) against dd -----------------------------------------------
curl_put() {   # FILE LOG: one timed single PUT to Guidepost with a fresh permit; sets ELAPSED
  permit "$(stat -c %s "$1")"
  sync
  RUN_SRV=$GP_PID run "$2" curl -sS -o "$2.body" -w '%{http_code}' -T "$1" "$GP_URL/$P_BUCKET/$P_KEY" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$P_AKID:$P_SECRET" \
    -H "x-amz-security-token: $P_TOKEN" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    || fail_run "$2" "curl -T to guidepost failed"
  [ "$(tail -c 3 "$2")" = 200 ] || { cat "$2.body" >&2; fail_run "$2" "curl -T to guidepost: not 200"; }
}
dd_run() {   # FLAGS LOG: one timed dd of the test file to the same disk; sets ELAPSED
  sync
  # shellcheck disable=SC2086
  run "$2" dd if="$TMP/test.bin" of="$TMP/dd.out" bs=1M $1 || fail_run "$2" "dd $1 failed"
  rm -f "$TMP/dd.out"
}

declare -a T_CURL=() T_DD=() T_DIO=() S_CURL=() K_CURL=() K_DD=() K_DIO=()
for r in $(seq 1 "$REPEAT"); do
  say "round $r/$REPEAT: curl -T -> guidepost"
  curl_put "$TMP/test.bin" "$TMP/curl-$r.log"; gp_stored "$TMP/test.bin"; T_CURL+=("$ELAPSED"); S_CURL+=("$SRV_CPU"); K_CURL+=("$CLI_CPU")
  say "  ${ELAPSED}s"
  say "round $r/$REPEAT: dd conv=fsync"
  dd_run "conv=fsync" "$TMP/dd-$r.log"; T_DD+=("$ELAPSED"); K_DD+=("$CLI_CPU"); say "  ${ELAPSED}s"
  say "round $r/$REPEAT: dd oflag=direct"
  dd_run "oflag=direct" "$TMP/dio-$r.log"; T_DIO+=("$ELAPSED"); K_DIO+=("$CLI_CPU"); say "  ${ELAPSED}s"
done
gp_alive
RSS_CURL=$(gp_rss)
read -r busy1 steal1 < <(cpu_ticks); our_ticks; ours1=$OURS; t1=$(date +%s%N)
OTHER=$(awk -v b=$((busy1 - busy0)) -v o=$((ours1 - ours0)) -v st=$((steal1 - steal0)) \
            -v ns=$((t1 - t0)) -v hz="$HZ" -v cpus="$CPUS" 'BEGIN {
          cap = ns / 1e9 * hz * cpus; other = (b - o) / cap * 100; if (other < 0) other = 0
          printf "%.0f%% of the machine (steal %.0f%%)", other, st / cap * 100 }')

# --- 3. peak RSS while a BIG_SIZE upload runs --------------------------------------------------
RSS_BIG_AWS=- RSS_BIG_CURL=- T_BIG_AWS=- T_BIG_CURL=-
if [ "$BIG_B" -gt 0 ]; then
  truncate -s "$BIG_B" "$TMP/sparse.bin"
  say "aws s3 cp of a $BIG_B-byte sparse file -> guidepost"
  aws_gp "$TMP/sparse.bin" "$TMP/aws-big.log"; gp_stored "$TMP/sparse.bin"; T_BIG_AWS=$ELAPSED; S_BIG_AWS=$SRV_CPU; K_BIG_AWS=$CLI_CPU
  gp_alive; RSS_BIG_AWS=$(gp_rss)
  say "curl -T of a $BIG_B-byte sparse file -> guidepost"
  curl_put "$TMP/sparse.bin" "$TMP/curl-big.log"; gp_stored "$TMP/sparse.bin"; T_BIG_CURL=$ELAPSED; S_BIG_CURL=$SRV_CPU; K_BIG_CURL=$CLI_CPU
  gp_alive; RSS_BIG_CURL=$(gp_rss)
  rm -f "$TMP/sparse.bin"
fi

# --- report --------------------------------------------------------------------------------------
med() { printf '%s\n' "$@" | median %.3f; }   # NUMBERS...: their median, to the millisecond
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0) ? b / 1e6 / s : 0 }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v >= t) ? "PASS" : "MISS" }'; }

M_GP=$(med "${T_GP[@]}"); M_S3=$(med "${T_S3[@]}")
M_CURL=$(med "${T_CURL[@]}"); M_DD=$(med "${T_DD[@]}"); M_DIO=$(med "${T_DIO[@]}")
MIB=$(awk -v b="$SIZE_B" 'BEGIN { printf "%.0f", b / 1048576 }')

echo "Stitch Data upload benchmark: $SIZE_B-byte random file ($MIB MiB), $REPEAT run(s) each (medians)"
echo "$CPUS CPUs shared by the clients and the servers; load average before the run $LOAD_BEFORE;" \
     "CPU taken by other processes during the timed runs (1 and 2): $OTHER"
echo "disk: $FS; guidepost ${GP_THREADS_SHOWN:-?}; aws: $(aws --version 2>&1 | cut -d' ' -f1,4); s3rver $S3RVER_VER on node $(node --version)"
echo "s3rver runs: $S3_NOTE"
echo
fmt='%-36s %9s %8s %8s %8s   %s\n'
row() {   # LABEL BYTES TIMES_ARRAY SRV_ARRAY CLI_ARRAY
  local -n _t=$3 _s=$4 _k=$5
  local m; m=$(med "${_t[@]}")
  printf "$fmt" "$1" "$m" "$(mbps "$2" "$m")" "$( [ ${#_s[@]} -gt 0 ] && med "${_s[@]}" || echo -)" \
         "$(med "${_k[@]}")" "${_t[*]}"
}
# shellcheck disable=SC2034  # (read through namerefs in row)
NONE=()
printf "$fmt" "" "median s" "MB/s" "srv CPU" "cli CPU" "runs (s)"
row "aws s3 cp -> guidepost" "$SIZE_B" T_GP S_GP K_GP
row "aws s3 cp -> s3rver" "$SIZE_B" T_S3 S_S3 K_S3
row "curl -T (one PUT) -> guidepost" "$SIZE_B" T_CURL S_CURL K_CURL
row "dd bs=1M conv=fsync" "$SIZE_B" T_DD NONE K_DD
row "dd bs=1M oflag=direct (info)" "$SIZE_B" T_DIO NONE K_DIO
if [ "$BIG_B" -gt 0 ]; then
  # shellcheck disable=SC2034  # (read through namerefs in row)
  B1=("$T_BIG_AWS") B2=("$S_BIG_AWS") B3=("$K_BIG_AWS") B4=("$T_BIG_CURL") B5=("$S_BIG_CURL") B6=("$K_BIG_CURL")
  row "aws s3 cp $BIG_SIZE sparse -> guidepost" "$BIG_B" B1 B2 B3
  row "curl -T $BIG_SIZE sparse -> guidepost" "$BIG_B" B4 B5 B6
fi
echo
echo "guidepost peak RSS (VmHWM, KiB): after aws s3 cp $RSS_AWS; after curl -T $RSS_CURL;" \
     "after $BIG_SIZE aws s3 cp $RSS_BIG_AWS; after $BIG_SIZE curl -T $RSS_BIG_CURL   (s3rver: $S3_RSS)"
echo

R_UP=$(awk -v g="$M_GP" -v s="$M_S3" 'BEGIN { printf "%.2f", (g > 0) ? s / g : 0 }')
R_IN=$(awk -v c="$M_CURL" -v d="$M_DD" 'BEGIN { printf "%.2f", (c > 0) ? d / c : 0 }')
R_DIO=$(awk -v c="$M_CURL" -v d="$M_DIO" 'BEGIN { printf "%.2f", (c > 0) ? d / c : 0 }')
echo "ratio aws s3 cp guidepost/s3rver throughput: $R_UP   target >= $UPLOAD_TARGET: $(verdict "$R_UP" "$UPLOAD_TARGET")"
echo "ratio ingest guidepost/dd conv=fsync: $R_IN (vs oflag=direct: $R_DIO)   target >= $INGEST_TARGET: $(verdict "$R_IN" "$INGEST_TARGET")"
if [ "$BIG_B" -gt 0 ]; then
  peak=$RSS_BIG_CURL; [ "$RSS_BIG_AWS" -gt "$peak" ] && peak=$RSS_BIG_AWS
  echo "guidepost peak RSS after the $BIG_SIZE uploads: $peak KiB ($(awk -v k="$peak" 'BEGIN { printf "%.1f", k / 1024 }') MiB)   target < $((RSS_TARGET_KB / 1024)) MiB: $( [ "$peak" -lt "$RSS_TARGET_KB" ] && echo PASS || echo MISS)"
else
  echo "guidepost peak RSS: $RSS_CURL KiB   target < $((RSS_TARGET_KB / 1024)) MiB: not measured (BIG_SIZE=0)"
fi
