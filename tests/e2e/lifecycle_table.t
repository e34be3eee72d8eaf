#!/usr/bin/env bash
# The work-order lifecycle, status × action (issue 21): reads the table between the
# lifecycle-table markers of docs/processing.md and, for every cell, sets a work order W up in the
# column's status through the API and the operator controls, does the row's action and asserts the
# cell's answer (HTTP status and error code, W's new status, what became of the iGUIDE's add-on).
# Three servers, one after the other:
#   B  --qa manual, every draft and publish run fails and is retried only after 10 min: W holds
#      still in pending_draft, pending_qa (manual) and pending_publish (advanced);
#   A  --qa manual, retries after 20 ms: exception, done, and the "stage fails" cells;
#   C  --qa auto, --stage-seconds 1: one work order watched through every "stage finishes".
# A W whose cell changed nothing is used again for the next cell of its column.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

DOC=$(dirname "$0")/../../docs/processing.md
declare -A CELL
ACTIONS=() STATUSES=()
parse_table() {
  local line in=0 cells i
  while IFS= read -r line; do
    case $line in
      '<!-- lifecycle-table: begin -->') in=1; continue ;;
      '<!-- lifecycle-table: end -->') break ;;
    esac
    [ $in = 1 ] && [[ $line == '|'* ]] || continue
    [[ $line == '|---'* ]] && continue
    IFS='|' read -r -a cells <<<"$line"
    for i in "${!cells[@]}"; do cells[$i]=$(sed 's/^ *//; s/ *$//' <<<"${cells[$i]}"); done
    if [ "${cells[1]}" = action ]; then STATUSES=("${cells[@]:2}"); continue; fi
    ACTIONS+=("${cells[1]}")
    for i in "${!STATUSES[@]}"; do CELL["${cells[1]}|${STATUSES[$i]}"]=${cells[$((i + 2))]}; done
  done <"$DOC"
}
parse_table
is "${#STATUSES[@]}" 9 "the table has a column for each of the nine statuses"
is "${#ACTIONS[@]}" 13 "and a row for each of the thirteen actions"
is "${STATUSES[*]}" "empty on_hold pending_draft pending_qa pending_publish exception done cancelled rejected" \
   "the columns are the lifecycle's statuses"
# Every cell follows the grammar.
grammar='^(n/a: .+|((([0-9]{3}) )?(→ [a-z_]+|=|gone)|[0-9]{3} [a-z_]+)(; add-ons: (cancelled|released|on_hold|gone|new [a-z_]+))?)$'
bad=0
for k in "${!CELL[@]}"; do [[ ${CELL[$k]} =~ $grammar ]] || { diag "cell $k does not parse: ${CELL[$k]}"; bad=1; }; done
is "$bad" 0 "every cell follows the cell grammar"
is "${#CELL[@]}" 117 "every status × action pair has a cell"

SAMPLE=(--levels 1 --rooms 3 --panos 1)
SD= UPLOAD_TOKEN= SPARE_SD= SPARE_TOKEN= W= ADD= INIT= NEW= REUSE=0 W_BEFORE= ADD_BEFORE= DRAFT_FAULT=0

# ---- servers --------------------------------------------------------------------------------
server() {   # server NAME serve-options...: stops the running server, starts NAME on its own data
  stop_server
  GP_DATA=$T_TMP/data-$1
  start_server "${@:2}"
  token walk iguide.rw,iguide.ro,iguide.tasks
  USER_ID=$APP_ID USER_TOKEN=$APP_TOKEN
  token ops operator
  OPS_ID=$APP_ID OPS_TOKEN=$APP_TOKEN
  as_user
}
as_user() { APP_ID=$USER_ID APP_TOKEN=$USER_TOKEN; }
op() {   # op ACTION [BODY]: an operator control on W
  APP_ID=$OPS_ID APP_TOKEN=$OPS_TOKEN
  api POST "/api/v1/operator/workOrders/$W/$1" ${2:+-d "$2"}
  as_user
}
fault() { curl -sS -o /dev/null -X POST "$GP_URL/_test/faults" -d "{\"stage\":\"$1\",\"times\":$2}"; }
st() {   # st ID: a work order's status of IG, or "gone"
  local keep_b=$BODY keep_s=$STATUS out
  api GET "/api/v1/iguides/$IG/workOrders/$1"
  if [ "$STATUS" = 404 ]; then out=gone; else out=$(jb .status); fi
  BODY=$keep_b STATUS=$keep_s
  echo "$out"
}
wait_for() {   # wait_for ID STATUS...: up to 20 s until the work order has one of the statuses
  local i s w
  for i in $(seq 1 200); do
    s=$(st "$1")
    for w in "${@:2}"; do [ "$s" = "$w" ] && return 0; done
    sleep 0.1
  done
  diag "work order $1 is $s, not ${*:2}"
  return 1
}

# ---- setting W up ---------------------------------------------------------------------------
# setup STATUS: a new iGUIDE (IG, INIT) with W in STATUS and ADD its on_hold add-on (dwg-init; for
# on_hold, W is that add-on and ADD is empty). For statuses reached by processing, SPARE_SD and
# SPARE_TOKEN are a second permit taken while empty, never processed; SD, UPLOAD_TOKEN the processed.
setup() {
  new_work_order
  INIT=$WO W=$WO ADD= SPARE_SD=
  api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"dwg-init"}'
  ADD=$(jb .id)
  case $1 in
    empty) return ;;
    on_hold) W=$ADD ADD=; return ;;
  esac
  permit_here 1000
  SPARE_SD=$SD SPARE_TOKEN=$UPLOAD_TOKEN
  # The draft fault armed on B holds W in pending_draft; the other statuses need a draft that
  # runs; exception is five failed drafts.
  case $1 in
    pending_draft) ;;
    exception) fault draft 5 ;;
    *) fault draft 0 ;;
  esac
  upload_sample "${SAMPLE[@]}"
  case $1 in
    pending_draft) wait_for "$W" pending_draft ;;
    exception) wait_for "$W" exception ;;
    *) wait_for "$W" pending_qa ;;
  esac
  fault draft "$DRAFT_FAULT"
  case $1 in
    pending_publish) op advance ;;
    done) op advance; wait_for "$W" done; ADD= ;;   # its add-on is released and runs on
    cancelled) op cancel ;;
    rejected) op reject '{"reason":"walk"}' ;;
  esac
  is "$(st "$W")" "$1" "setup: W ($W) is $1"
}

# ---- doing an action ------------------------------------------------------------------------
# act ACTION COLUMN: does it on W; sets STATUS and BODY (STATUS empty when no request is made).
act() {
  STATUS= BODY= NEW=
  local keep_sd=$SD keep_tok=$UPLOAD_TOKEN
  case $1 in
    permit) WO=$W permit_here 1000; SD=$keep_sd UPLOAD_TOKEN=$keep_tok ;;
    process)
      if [ "$2" = empty ] || [ "$2" = rejected ]; then WO=$W upload_sample "${SAMPLE[@]}"
      else SD=$SPARE_SD UPLOAD_TOKEN=$SPARE_TOKEN WO=$W process; SD=$keep_sd UPLOAD_TOKEN=$keep_tok; fi ;;
    'process again') WO=$W process ;;
    cancel) api POST "/api/v1/iguides/$IG/workOrders/$W/cancel" ;;
    'op advance') op advance ;;
    'op reject') op reject '{"reason":"walked by the lifecycle table"}' ;;
    'op cancel') op cancel ;;
    'op retry')
      # On A a retried draft would finish at once; failing it again (five times, back to
      # exception) keeps the answer's status the retry's own.
      [ "$2" = exception ] && fault draft 1000
      op retry
      if [ "$2" = exception ]; then wait_for "$W" exception; fault draft "$DRAFT_FAULT"; fi ;;
    'add-on order')
      local task=esx-init
      [ "$2" = on_hold ] && task=dwg-init
      api POST "/api/v1/iguides/$IG/workOrders" -d "{\"taskType\":\"$task\"}"
      NEW=$(jb '.id // empty') ;;
    'iguide delete') api DELETE "/api/v1/iguides/$IG" ;;
    'stage finishes'|'stage fails'|'lease expires') sleep 0.3 ;;   # only "=" cells come here
  esac
}

# ---- checking the answer --------------------------------------------------------------------
# check ACTION COLUMN: asserts the cell; W_BEFORE and ADD_BEFORE are the statuses before the
# action. Sets REUSE=1 when W and ADD are as they were (the next cell of the column may use them).
check() {
  local a=$1 col=$2 cell=${CELL["$1|$2"]} ans eff code= rest want got name="$2 × $1"
  ans=${cell%%; add-ons: *}
  eff=
  [[ $cell == *'; add-ons: '* ]] && eff=${cell#*; add-ons: }
  if [[ $ans =~ ^([0-9]{3})\ (.*)$ ]]; then code=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]}; else rest=$ans; fi
  [ -n "$code" ] && is "$STATUS" "$code" "$name: HTTP $code"
  case $rest in
    '→ '*)
      want=${rest#→ }
      # The answer's own work order when it is W (the pipeline may move W on at once after).
      if [ "$(jb '.id // empty' 2>/dev/null)" = "$W" ] && [ -n "$(jb '.status // empty' 2>/dev/null)" ]; then
        got=$(jb .status)
      else got=$(st "$W"); fi
      is "$got" "$want" "$name: W becomes $want" ;;
    '=') is "$(st "$W")" "$col" "$name: W stays $col" ;;
    gone) is "$(st "$W")" gone "$name: W is gone" ;;
    *)
      is "$(jb .code)" "$rest" "$name: the error is $rest"
      is "$(st "$W")" "$W_BEFORE" "$name: W is unchanged" ;;
  esac
  case $eff in
    '') [ -n "$ADD" ] && is "$(st "$ADD")" "$ADD_BEFORE" "$name: the add-on is unchanged" ;;
    released) like "$(st "$ADD")" '^(pending_draft|pending_qa|pending_publish|done)$' "$name: the add-on is released" ;;
    'new '*) is "$(jb .status)" "${eff#new }" "$name: the new add-on is ${eff#new }" ;;
    *) is "$(st "$ADD")" "$eff" "$name: the add-on is $eff" ;;
  esac
  REUSE=0
  if [ -z "$eff" ] || [ "$eff" = on_hold ]; then
    [ "$(st "$W")" = "$col" ] && [ -z "$NEW" ] && REUSE=1
  fi
  if [ -n "$ADD" ] && [ "$(st "$ADD")" != "$ADD_BEFORE" ]; then REUSE=0; fi
}

# walk COLUMN [ACTION...]: every cell of the column (or the given actions), except the n/a ones.
walk() {
  local col=$1 a cell
  local acts=("${ACTIONS[@]}")
  [ $# -gt 1 ] && acts=("${@:2}")
  REUSE=0
  for a in "${acts[@]}"; do
    cell=${CELL["$a|$col"]}
    if [[ $cell == n/a:* ]]; then echo "ok $((T_N += 1)) - $col × $a # SKIP ${cell#n/a: }"; continue; fi
    [ "$REUSE" = 1 ] || setup "$col"
    W_BEFORE=$(st "$W") ADD_BEFORE=
    [ -n "$ADD" ] && ADD_BEFORE=$(st "$ADD")
    act "$a" "$col"
    check "$a" "$col"
  done
}

# The stage cells whose answer is not "=", walked by the servers that can show them.
STAGE_ROWS=("stage finishes" "stage fails" "lease expires")
not_stage() { local a; for a in "${ACTIONS[@]}"; do case $a in 'stage '*|'lease '*) ;; *) echo "$a" ;; esac; done; }
mapfile -t PLAIN < <(not_stage)

# ---- B: statuses that hold still ------------------------------------------------------------
server B --stage-seconds 0 --qa manual --test-faults --retry-base-ms 600000
DRAFT_FAULT=1000
fault draft $DRAFT_FAULT
fault publish 1000
for col in empty on_hold pending_draft pending_qa pending_publish cancelled rejected; do
  walk "$col" "${PLAIN[@]}"
done
for col in empty on_hold cancelled rejected; do walk "$col" "${STAGE_ROWS[@]}"; done
for col in pending_draft pending_qa pending_publish; do walk "$col" "lease expires"; done

# ---- A: exception, done, and stages failing -------------------------------------------------
server A --stage-seconds 0 --qa manual --test-faults --retry-base-ms 20
DRAFT_FAULT=0
walk exception "${PLAIN[@]}" "${STAGE_ROWS[@]}"
walk done "${PLAIN[@]}" "${STAGE_ROWS[@]}"

# stage fails, in each status a stage runs in: every attempt of that stage fails.
stage_fails() {   # stage_fails COLUMN STAGE
  local col=$1
  setup_to_fail "$@"
  STATUS= BODY='{}' NEW=
  ADD_BEFORE=on_hold W_BEFORE=$col
  check "stage fails" "$col"
}
setup_to_fail() {
  new_work_order
  INIT=$WO W=$WO
  api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"dwg-init"}'
  ADD=$(jb .id)
  [ "$2" = publish ] || fault "$2" 5
  upload_sample "${SAMPLE[@]}"
  if [ "$2" = publish ]; then wait_for "$W" pending_qa; fault publish 5; op advance; fi
  wait_for "$W" exception
  fault "$2" 0
}
stage_fails pending_draft draft
stage_fails pending_qa qa
stage_fails pending_publish publish

# ---- C: stages finishing, watched through ---------------------------------------------------
server C --stage-seconds 1 --qa auto
new_work_order
INIT=$WO W=$WO
api POST "/api/v1/iguides/$IG/workOrders" -d '{"taskType":"dwg-init"}'
ADD=$(jb .id)
upload_sample "${SAMPLE[@]}"
for col in pending_draft pending_qa pending_publish; do
  wait_for "$W" "$col"
  is "$(st "$W")" "$col" "C: W is $col"
  cell=${CELL["stage finishes|$col"]}
  want=${cell%%;*}
  want=${want#→ }
  wait_for "$W" "$want"
  STATUS= BODY='{}' NEW= W_BEFORE=$col ADD_BEFORE=on_hold
  check "stage finishes" "$col"
done
stop_server
done_testing
