#!/usr/bin/env bash
# bench/search.sh — GET /api/v1/iguides?search= latency with 1 000 and 1 000 000 iGUIDEs. The
# data folders are filled through the store's own insert (build/bench/search_fill: the same
# store_iguide_create POST /iguides uses, search terms included), then one Guidepost serves each
# and wrk measures each query for DURATION at CONNECTIONS connections. The target: the p50 of
# every query at the largest size within RATIO x its p50 at the smallest.
#
# Queries (from the newest iGUIDE of each folder, so they are alike at every size):
#   address   "<number> <street> <postal code>"  one match; the longest whole word walks
#   postal    "<postal code>"                    one match
#   city      "montreal"                         1 in 25 iGUIDEs: a page of 20, walked
#   city+prov "montreal qc"                      the same 20, two common words
#   prefix    "mont"                             a prefix of one city: driven at 1k, scanned at 1M
#   city+st   "montreal <street's first word>"   two common words, rare together (1 in ~1000):
#                                                the walk reads ~1000 entries per page at 1M
#   list      no search                          the plain list, for reference
# The target applies where both sizes list the same number of iGUIDEs (city+st lists fewer at 1k).
#
# Filling 1 M takes minutes (one transaction per iGUIDE, as the API does), so each folder is kept
# in build/bench/search-<N> and reused; FRESH=1 refills. Progress to stderr, report to stdout.
#
# Environment: SIZES="1000 1000000"  DURATION=5s  CONNECTIONS=4  WRK_THREADS=1  RATIO=1.2
#              GUIDEPOST_BIN=build/guidepost  FRESH=0
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${SIZES:-1000 1000000}
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-4}
WRK_THREADS=${WRK_THREADS:-1}
RATIO=${RATIO:-1.2}
FRESH=${FRESH:-0}
GP_BIN=${GUIDEPOST_BIN:-$ROOT/build/guidepost}
FILL=$ROOT/build/bench/search_fill

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

for cmd in wrk curl jq timeout; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found (scripts/install-deps --bench)"
done
make -C "$ROOT" --no-print-directory all build/bench/search_fill >&2 || die "build failed"

TMP=$(mktemp -d)
GP_PID=
trap 'stop "$GP_PID"; rm -rf "$TMP"' EXIT

urlenc() { jq -rn --arg s "$1" '$s | @uri'; }

declare -A P50=() P99=() RPS=() HITS=() FILLED=()
QUERIES=(address postal city city+prov prefix city+st list)
for n in $SIZES; do
  data=$ROOT/build/bench/search-$n
  if [ "$FRESH" = 1 ] || [ ! -f "$data/.filled" ]; then
    rm -rf "$data"; mkdir -p -m 700 "$data"
    say "filling $n iGUIDEs into $data"
    "$FILL" "$data" "$n" 2>&1 | tee "$TMP/fill.log" >&2
    grep -o 'in [0-9.]* s' "$TMP/fill.log" | tail -1 >"$data/.filled"
  fi
  FILLED[$n]=$(cat "$data/.filled")
  tok=$("$GP_BIN" token create --data "$data" --name "bench-$RANDOM" --scopes iguide.list,iguide.ro)
  ID=$(jq -r .id <<<"$tok"); TOKEN=$(jq -r .token <<<"$tok")
  rm -f "$TMP/url"
  "$GP_BIN" serve --listen 127.0.0.1:0 --data "$data" --ready-file "$TMP/url" --rate-limit 0 \
    >"$TMP/server-$n.log" 2>&1 &
  GP_PID=$!
  for _ in $(seq 1 600); do [ -s "$TMP/url" ] && break; sleep 0.1; done
  URL=$(cat "$TMP/url" 2>/dev/null) || true
  [ -n "$URL" ] || { cat "$TMP/server-$n.log" >&2; die "server did not start"; }
  H=(-H "X-Plntr-App-Id: $ID" -H "X-Plntr-App-Token: $TOKEN")
  newest=$(curl -sf "${H[@]}" "$URL/api/v1/iguides?limit=1" | jq -c '.iguides[0].address')
  street="$(jq -r '.streetNumber + " " + .streetName + " " + .postalCode' <<<"$newest")"
  declare -A Q=(
    [address]="?search=$(urlenc "$street")"
    [postal]="?search=$(urlenc "$(jq -r .postalCode <<<"$newest")")"
    [city]="?search=montreal"
    [city+prov]="?search=montreal%20qc"
    [prefix]="?search=mont"
    [city+st]="?search=$(urlenc "montreal $(jq -r '.streetName | split(" ")[0]' <<<"$newest")")"
    [list]=""
  )
  for q in "${QUERIES[@]}"; do
    u="$URL/api/v1/iguides${Q[$q]}"
    HITS[$q,$n]=$(curl -sf "${H[@]}" "$u" | jq '.iguides | length') || die "GET $u failed"
    timeout -k 5 120 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d1s "${H[@]}" "$u" >/dev/null 2>&1 || true
    timeout -k 5 300 wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${H[@]}" "$u" \
      >"$TMP/wrk" 2>&1 || { cat "$TMP/wrk" >&2; die "wrk failed on $u"; }
    [ "$(wrk_field "$TMP/wrk" non2xx)" = 0 ] || { cat "$TMP/wrk" >&2; die "non-2xx answers on $u"; }
    P50[$q,$n]=$(wrk_field "$TMP/wrk" p50); P99[$q,$n]=$(wrk_field "$TMP/wrk" p99)
    RPS[$q,$n]=$(wrk_field "$TMP/wrk" rps)
    say "$n $q: p50 ${P50[$q,$n]} ms, p99 ${P99[$q,$n]} ms, ${RPS[$q,$n]} req/s, ${HITS[$q,$n]} listed"
  done
  stop "$GP_PID"; GP_PID=
done

read -r small large <<<"$(tr ' ' '\n' <<<"$SIZES" | sort -n | sed -n '1p;$p' | paste -sd' ')"
echo "GET /api/v1/iguides?search=… — wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, one server per size, --rate-limit 0"
for n in $SIZES; do echo "fill $n: ${FILLED[$n]} (store_iguide_create, one transaction each)"; done
printf '%-10s' query; for n in $SIZES; do printf '%22s' "p50/p99 ms @$n"; done; printf '%10s  %s\n' "p50 ratio" "target <= $RATIO"
for q in "${QUERIES[@]}"; do
  printf '%-10s' "$q"
  for n in $SIZES; do printf '%22s' "${P50[$q,$n]}/${P99[$q,$n]} (${HITS[$q,$n]})"; done
  r=$(awk -v a="${P50[$q,$large]}" -v b="${P50[$q,$small]}" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')
  v=$(awk -v r="$r" -v t="$RATIO" 'BEGIN { print (r <= t) ? "PASS" : "MISS" }')
  [ "${HITS[$q,$large]}" = "${HITS[$q,$small]}" ] || v="(pages differ)"
  printf '%10s  %s\n' "$r" "$v"
done
echo "(n) = iGUIDEs on the first page (20 at most)"
