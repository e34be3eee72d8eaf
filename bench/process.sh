#!/usr/bin/env bash
# bench/process.sh — processing time of a large Stitch TAR against `sha256sum` of the same file,
# measured in the same run on the same disk.
#
#   A SIZE sample TAR (`guidepost sample-stitch --pad-to SIZE`: real manifest and panoramas, then
#   padding) is uploaded to a fresh work order with a SigV4-signed `curl -T` (not timed); then
#   the time from `/process` to `done` (stage pace 0) is measured, REPEAT times, alternating with
#   `sha256sum FILE` (which reads every byte once).
#   Target: processing within 3x of sha256sum (TARGET=3.0).
#
# Everything runs on 127.0.0.1 in one temporary folder, removed on exit with the server. Exit
# status is non-zero only when something failed to run; a missed target is reported as MISS.
#
# Environment (all optional):
#   SIZE=1G        sample size (K/M/G suffixes, powers of 1024)
#   REPEAT=3       timed runs of each (medians are reported)
#   TARGET=3.0     allowed ratio processing seconds / sha256sum seconds
#   GUIDEPOST_BIN  binary to measure (default build/guidepost)
#   BENCH_TMPDIR   parent of the temporary folder (default $TMPDIR or /tmp)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE=${SIZE:-1G}
REPEAT=${REPEAT:-3}
TARGET=${TARGET:-3.0}
GP_BIN=${GUIDEPOST_BIN:-$ROOT/build/guidepost}
case $GP_BIN in /*) ;; *) GP_BIN=$ROOT/$GP_BIN ;; esac

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for cmd in curl jq sha256sum numfmt awk; do command -v "$cmd" >/dev/null || die "$cmd not found"; done
[ -x "$GP_BIN" ] || make -C "$ROOT" --no-print-directory all >&2
BYTES=$(numfmt --from=iec "${SIZE%B}")

TMP=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/gp-process-bench.XXXXXX")
PID=
cleanup() { stop "$PID"; rm -rf "$TMP"; }
trap cleanup EXIT

"$GP_BIN" serve --listen 127.0.0.1:0 --data "$TMP/data" --ready-file "$TMP/url" \
  --stage-seconds 0 --rate-limit 0 --log-level warn >"$TMP/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 200); do [ -s "$TMP/url" ] && break; sleep 0.05; done
URL=$(cat "$TMP/url" 2>/dev/null) || die "server did not start"
TOK=$("$GP_BIN" token create --data "$TMP/data" --name bench --scopes iguide.rw,iguide.tasks,iguide.ro)
H=(-H "X-Plntr-App-Id: $(jq -r .id <<<"$TOK")" -H "X-Plntr-App-Token: $(jq -r .token <<<"$TOK")")
BODY='{"type":"standard","industry":"residential","address":{"country":"CA","provinceState":"ON","city":"Waterloo","postalCode":"N2L 3G1","streetName":"University Ave","streetNumber":"200"}}'

say "writing a $SIZE sample TAR"
"$GP_BIN" sample-stitch --out "$TMP/sample.tar" --levels 3 --rooms 8 --panos 4 --pad-to "$BYTES" >&2
FILE_BYTES=$(stat -c %s "$TMP/sample.tar")

now() { echo "$EPOCHREALTIME"; }

# One processing run: a new iGUIDE, a permit, one PUT signed by curl's --aws-sigv4 with the
# permit's credentials, then the timed part: /process and polling until done.
run_once() {
  local c ig wo p sd tok akid sec st t0 t1 s
  c=$(curl -sS -X POST "${H[@]}" "$URL/api/v1/iguides" -d "$BODY")
  ig=$(jq -r .id <<<"$c") wo=$(jq -r .workOrderId <<<"$c")
  p=$(curl -sS -X POST "${H[@]}" "$URL/api/v1/iguides/$ig/workOrders/$wo/stitchData" \
        -d "{\"filename\":\"sample.tar\",\"filesize\":$FILE_BYTES}")
  sd=$(jq -r .id <<<"$p") tok=$(jq -r .uploadToken <<<"$p")
  akid=$(jq -r .uploadPermit.accessKeyId <<<"$p") sec=$(jq -r .uploadPermit.secretAccessKey <<<"$p")
  st=$(jq -r .uploadPermit.sessionToken <<<"$p")
  curl -sS -f -o /dev/null -T "$TMP/sample.tar" --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$akid:$sec" -H "x-amz-security-token: $st" -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    "$(jq -r .uploadPermit.endpoint <<<"$p")/$(jq -r .uploadPermit.bucket <<<"$p")/$(jq -r .uploadPermit.key <<<"$p")" \
    || die "upload failed"
  t0=$(now)
  curl -sS -f -o /dev/null -X POST "${H[@]}" \
    "$URL/api/v1/iguides/$ig/workOrders/$wo/stitchData/$sd/process?uploadToken=$tok" || die "/process failed"
  while :; do
    s=$(curl -sS "${H[@]}" "$URL/api/v1/iguides/$ig/workOrders/$wo" | jq -r .status)
    case $s in done) break ;; rejected|exception|cancelled) die "work order ended $s" ;; esac
    sleep 0.02
  done
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}

P=() S=()
for i in $(seq 1 "$REPEAT"); do
  say "run $i/$REPEAT: processing"
  P+=("$(run_once)")
  say "run $i/$REPEAT: sha256sum"
  t0=$(now); sha256sum "$TMP/sample.tar" >/dev/null; t1=$(now)
  S+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}')")
done
pm=$(printf '%s\n' "${P[@]}" | median %.3f)
sm=$(printf '%s\n' "${S[@]}" | median %.3f)
ratio=$(awk -v p="$pm" -v s="$sm" 'BEGIN {printf "%.2f", p / s}')
verdict=$(awk -v r="$ratio" -v t="$TARGET" 'BEGIN {print (r <= t) ? "ok" : "MISS"}')
echo "process.sh  $(date -u +%Y-%m-%dT%H:%MZ)  $(nproc) CPUs  sample $(numfmt --to=iec "$FILE_BYTES")"
echo "  /process → done   median ${pm}s   runs: ${P[*]}"
echo "  sha256sum         median ${sm}s   runs: ${S[*]}"
echo "  ratio ${ratio}x (target ≤ ${TARGET}x): $verdict"
