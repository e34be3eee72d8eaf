#!/usr/bin/env bash
# Additional work orders (WorkOrderCreate; portal-api.md §5): task types and package rules, on_hold
# while the initial work order is not done, one open order per task type, and cancellation by the
# integrator before processing starts.
. "$(dirname "$0")/../lib/tap.sh"
start_server
token wo iguide.rw,iguide.tasks,iguide.ro

make_iguide() { api POST /api/v1/iguides -d "$(jq -c ".type = \"$1\"" <<<"$TUTORIAL_IGUIDE")"; IG=$(jb .id); INIT=$(jb .workOrderId); }
order() { api POST /api/v1/iguides/$IG/workOrders -d "{\"taskType\":\"$1\"}"; }

make_iguide standard
order dwg-init
is "$STATUS" 200 "a Standard iGUIDE orders dwg-init"
DWG=$(jb .id)
is "$(jb .status)" on_hold "it waits on_hold while the initial work order is not done"
is "$(jb .taskType)/$(jb .isInitial)/$(jb .iguideType)" "dwg-init/false/standard" "task type, not initial, package"
like "$DWG" '^[0-9A-Z]{6}$' "a work-order id"
order dwg-init
is "$STATUS" 409 "the same task twice while open: 409"
is "$(jb .code)" already_exists "already_exists"
order rvt-init
is "$STATUS" 400 "rvt-init on Standard is refused"
is "$(jb .code)" failed_precondition "failed_precondition"
like "$(jb .message)" "premium-upgrade" "the message says to upgrade first"
order premium-upgrade
is "$(jb .status)" on_hold "premium-upgrade ordered"
UPG=$(jb .id)
order rvt-init
is "$STATUS" 200 "with the upgrade ordered, rvt-init is accepted"
RVT=$(jb .id)
order teleport
is "$STATUS" 400 "an unknown task type"
is "$(jb .code)" invalid_argument "invalid_argument"
like "$(jb .message)" "dwg-init" "lists the known task types"
api POST /api/v1/iguides/$IG/workOrders -d '{}'
is "$(jb .message)" "taskType is required" "taskType is required"
api GET /api/v1/iguides/$IG/workOrders
is "$(jb '.workOrders | length')" 4 "the initial work order and three add-ons"
is "$(jb '[.workOrders[] | select(.isInitial|not) | .status] | unique | join(",")')" on_hold "all add-ons on_hold"

# Cancellation by the integrator.
api POST /api/v1/iguides/$IG/workOrders/$DWG/cancel
is "$STATUS" 200 "an on_hold work order can be cancelled"
is "$(jb .status)" cancelled "cancelled"
api POST /api/v1/iguides/$IG/workOrders/$DWG/cancel
is "$STATUS" 400 "a cancelled work order cannot be cancelled again"
order dwg-init
is "$STATUS" 200 "after cancelling, the task can be ordered again"

# Cancelling the upgrade ends the add-on only it allowed (issue 21), and no other.
api POST /api/v1/iguides/$IG/workOrders/$UPG/cancel
is "$(jb .status)" cancelled "the premium-upgrade is cancelled"
api GET /api/v1/iguides/$IG/workOrders/$RVT
is "$(jb .status)" cancelled "the rvt-init it allowed ends cancelled with it"
like "$(jb .rejectionReason)" "premium-upgrade work order $UPG it needs was cancelled" "naming the upgrade"
api GET /api/v1/iguides/$IG/workOrders
is "$(jb '[.workOrders[] | select(.taskType == "dwg-init" and .status == "on_hold")] | length')" 1 \
   "the new dwg-init still waits on_hold"

make_iguide photos
order dwg-init
is "$STATUS" 400 "Photos iGUIDEs cannot have additional work orders"
like "$(jb .message)" "Photos iGUIDEs cannot have additional work orders" "the documented rule"

make_iguide radix
order dwg-init
like "$(jb .message)" "upgraded to Standard or Premium" "Radix must upgrade before ordering ADS deliverables"
order standard-upgrade
is "$STATUS" 200 "Radix orders standard-upgrade"
order dwg-init
is "$STATUS" 200 "then dwg-init"

# Cancelling the initial work order while empty cancels the iGUIDE's processing, and the add-ons
# waiting on_hold for it end cancelled with it (issue 21: they waited forever).
make_iguide premium
order dwg-init
HELD=$(jb .id)
is "$(jb .status)" on_hold "an add-on ordered while the initial work order is empty waits on_hold"
api POST /api/v1/iguides/$IG/workOrders/$INIT/cancel
is "$(jb .status)" cancelled "the empty initial work order can be cancelled"
api GET /api/v1/iguides/$IG
is "$(jb .status)" cancelled "the iGUIDE's state follows its initial work order"
api GET /api/v1/iguides/$IG/workOrders/$HELD
is "$(jb .status)" cancelled "its on_hold add-on ended cancelled with it"
like "$(jb .rejectionReason)" "initial work order $INIT was cancelled" "the reason names the initial work order"
order dwg-init
is "$STATUS" 400 "no add-ons for a cancelled iGUIDE"

# Scope.
token readonly iguide.ro
make_iguide standard 2>/dev/null || true
api POST /api/v1/iguides/igAAAAAAAAAAAAA/workOrders -d '{"taskType":"dwg-init"}'
is "$STATUS" 403 "ordering needs iguide.tasks"
done_testing
