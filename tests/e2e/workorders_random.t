#!/usr/bin/env bash
# The randomized work-order test of issue 21: seeded random action sequences (create, add-on
# order, upload + /process, API cancel, operator advance/reject/cancel/retry, stage faults, iGUIDE
# delete, waits) over a few iGUIDEs, with the lifecycle invariants checked through the API after
# every step (helpers/wo_random.py). Run once with --qa manual and once with --qa auto.
# WO_RANDOM_SEED (default 21) reproduces a run; WO_RANDOM_STEPS (default 800 per mode) sets its
# length.
. "$(dirname "$0")/../lib/tap.sh"
HELPERS=$(cd "$(dirname "$0")/helpers" && pwd)
PY_BIN=$(pyenv which python3 2>/dev/null || command -v python3)
SEED=${WO_RANDOM_SEED:-21}
STEPS=${WO_RANDOM_STEPS:-800}
diag "WO_RANDOM_SEED=$SEED WO_RANDOM_STEPS=$STEPS (per --qa mode)"

TAR=$T_TMP/sample.tar
"$GP_BIN" sample-stitch --out "$TAR" --levels 1 --rooms 3 --panos 1 >/dev/null 2>>"$T_TMP/cli.log"
ok $? "a sample Stitch TAR, made once"

for mode in manual auto; do
  GP_DATA=$T_TMP/data-$mode
  start_server --stage-seconds 0 --test-faults --qa "$mode" --retry-base-ms 20 \
    --webhook-allow-private --webhook-threads 0 --rate-limit 0
  token op operator
  OP_ID=$APP_ID OP_TOKEN=$APP_TOKEN
  token rnd iguide.rw,iguide.tasks,iguide.ro,iguide.events
  out=$("$PY_BIN" "$HELPERS/wo_random.py" --url "$GP_URL" --app-id "$APP_ID" --token "$APP_TOKEN" \
    --op-id "$OP_ID" --op-token "$OP_TOKEN" --tar "$TAR" --seed "$SEED" --steps "$STEPS" \
    --mode "$mode" --table "$GP_ROOT/src/pipeline/wo_status.c" --s3sign "$HELPERS/s3sign.py" \
    ${WO_RANDOM_ARGS:-} 2>&1)
  rc=$?
  got=0
  while IFS= read -r line; do
    case $line in
      "RESULT ok "*) ok 0 "${line#RESULT ok }"; got=$((got + 1)) ;;
      "RESULT fail "*) ok 1 "${line#RESULT fail }"; got=$((got + 1)) ;;
      *) echo "$line" | sed 's/^\([^#]\)/# \1/' ;;
    esac
  done <<<"$out"
  is "$got/$rc" "4/$([ $T_FAIL -eq 0 ] && echo 0 || echo "$rc")" "($mode) the driver ran and reported the four invariants"
  stop_server
  GP_PID=
done
done_testing
