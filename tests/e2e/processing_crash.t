#!/usr/bin/env bash
# Durability of processing: the server is killed with SIGKILL in the middle of the pipeline,
# again and again, and every work order still ends done exactly once (one ready event, one set of
# deliverables); separate `guidepost worker` processes share the queue with a server that runs
# no workers of its own; the pace option keeps each status visible.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
sample() { "$GP_BIN" sample-stitch --out "$@" 2>>"$T_TMP/cli.log"; }
submit() {
  permit "$(stat -c %s "$1")"
  awss3 s3 cp "$1" "s3://$S3_BUCKET/$S3_KEY" --acl bucket-owner-full-control >>"$T_TMP/aws.log" 2>&1
  process
}
status_of() { api GET "/api/v1/iguides/$1/workOrders/$2"; jb .status; }
db() { sqlite3 "$GP_DATA/guidepost.db" "$1"; }
# wait_all_done: polls the work orders in ids (IG/WO) until all are done or 30 s pass; sets n to
# how many are done.
wait_all_done() {
  for _ in $(seq 1 300); do
    n=0
    for p in "${ids[@]}"; do [ "$(status_of "${p%/*}" "${p#*/}")" = done ] && n=$((n + 1)); done
    [ $n -eq ${#ids[@]} ] && return 0
    sleep 0.1
  done
  return 1
}

sample "$T_TMP/s.tar" --levels 1 --rooms 4 --panos 2

# ---- pace: each status is seen, in order ------------------------------------------------------
start_server --stage-seconds 1
token crash iguide.rw,iguide.ro,iguide.tasks
submit "$T_TMP/s.tar"
seen=""
for _ in $(seq 1 200); do
  s=$(status_of "$IG" "$WO")
  case " $seen " in *" $s "*) ;; *) seen="$seen $s" ;; esac
  [ "$s" = done ] || [ "$s" = rejected ] || [ "$s" = exception ] && break
  sleep 0.1
done
is "${seen# }" "pending_draft pending_qa pending_publish done" \
   "with --stage-seconds 1 every status is seen, in order"

# ---- SIGKILL in the middle, several times -------------------------------------------------------
stop_server
start_server --stage-seconds 1 --lease-seconds 2 --retry-base-ms 50
ids=()
for i in 1 2 3; do submit "$T_TMP/s.tar"; ids+=("$IG/$WO"); done
for round in 1 2 3 4; do
  sleep 0.7
  kill -KILL "$GP_PID"; wait "$GP_PID" 2>/dev/null; GP_PID=
  start_server --stage-seconds 1 --lease-seconds 2 --retry-base-ms 50
done
wait_all_done
is "$n" "${#ids[@]}" "after four SIGKILLs every work order ends done"
for p in "${ids[@]}"; do
  w=${p#*/} g=${p%/*}
  is "$(db "select count(*) from webhook_events where type='ready' and work_order_id='$w'")" 1 "work order $w: exactly one ready event"
  is "$(db "select count(*) from jobs where payload like '%$w%' and state not in ('done')")" 0 \
     "work order $w: no job left queued, running or dead"
  api GET "/api/v1/iguides/$g/deliverables"
  is "$(jb '[.deliverables[].name] | length == (unique | length)')" true "work order $w: each deliverable listed once"
  # Every listed deliverable's file is there; no file left over from an interrupted render.
  listed=$(db "select count(*) from deliverables where iguide_id='$g'")
  files=$(find "$GP_DATA/blobs" -path "*iguides/$g/deliverables/*" -type f | wc -l)
  is "$files" "$listed" "work order $w: as many deliverable files on disk as listed ($listed)"
done
is "$(find "$GP_DATA/blobs/tmp" -type f | wc -l)" 0 "no temporary blob files left behind"

# ---- guidepost worker processes share the queue --------------------------------------------------
stop_server
start_server --stage-seconds 0 --workers 0
"$GP_BIN" worker --data "$GP_DATA" --stage-seconds 0 --workers 1 >>"$T_TMP/worker1.log" 2>&1 &
W1=$!
"$GP_BIN" worker --data "$GP_DATA" --stage-seconds 0 --workers 1 >>"$T_TMP/worker2.log" 2>&1 &
W2=$!
ids=()
for i in 1 2 3 4; do submit "$T_TMP/s.tar"; ids+=("$IG/$WO"); done
wait_all_done
is "$n" 4 "two guidepost worker processes finish the work a server without workers queued"
kill -TERM $W1 $W2; wait $W1; r1=$?; wait $W2; r2=$?
is "$r1/$r2" "0/0" "the workers stop cleanly on SIGTERM"
owners=$(db "select count(distinct substr(locked_by, 1, instr(locked_by, '/'))) from jobs where locked_by is not null")
diag "jobs were run by $owners distinct process(es)"
timeout 20 "$GP_BIN" worker --data "$GP_DATA" --workers 0 --webhook-threads 0 >/dev/null 2>&1
is "$?" 2 "guidepost worker with neither pipeline nor webhook threads is a usage error"
"$GP_BIN" serve --data "$GP_DATA" --qa sometimes >/dev/null 2>&1
is "$?" 2 "an unknown --qa is a usage error"

done_testing
