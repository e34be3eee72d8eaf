#!/usr/bin/env bash
# Who may manage whom (docs/api.md, Decision 5), through the real API: for every pair of a caller
# and a target scope set below, rotate, PATCH and DELETE on a fresh target succeed when every
# scope of the target is one the caller holds, and are 403 permission_denied otherwise, leaving the
# target working and unchanged. The expected answer is worked out here from the two lists, not
# asked of the server. The exhaustive pair matrix over the decision function is in
# tests/unit/test_scopes.c.
. "$(dirname "$0")/../lib/tap.sh"
start_server --rate-limit 0
M=credentials.manage
# Every caller holds credentials.manage (without it the route itself refuses, scopes.t); targets
# are narrower, equal, wider, disjoint and the operator's, down to a target of one scope.
CALLERS=("$M" "$M,iguide.ro" "$M,iguide.rw,iguide.ro" "$M,operator,iguide.rw"
         "iguide.list,iguide.ro,iguide.rw,iguide.tasks,iguide.billing,iguide.gallery,iguide.events,iguide.draft.ro,viewer.data,banner.list,$M,operator")
TARGETS=("$M" "iguide.ro" "iguide.rw" "$M,iguide.ro" "operator,iguide.rw" "$M,iguide.rw,iguide.ro"
         "iguide.billing" "${CALLERS[4]}")

subset() {  # target caller: 0 when every scope of target is in caller
  local s
  for s in ${1//,/ }; do [[ ",$2," == *",$s,"* ]] || return 1; done
  return 0
}

# Targets are made over the API by a token holding every scope (one curl, where the CLI and the
# helper's jq calls would be three processes per row).
token root "${CALLERS[4]}"
ROOT_ID=$APP_ID ROOT_TOKEN=$APP_TOKEN
make_target() {  # NAME SCOPES: sets T_ID and T_TOKEN
  local scopes="\"${2//,/\",\"}\""
  APP_ID=$ROOT_ID APP_TOKEN=$ROOT_TOKEN api POST /api/v1/apiTokens -d "{\"name\":\"$1\",\"scopes\":[$scopes]}"
  T_ID= T_TOKEN=
  [[ $BODY =~ \"id\":\"([^\"]+)\" ]] && T_ID=${BASH_REMATCH[1]}
  [[ $BODY =~ \"token\":\"([^\"]+)\" ]] && T_TOKEN=${BASH_REMATCH[1]}
  [ "$STATUS" = 200 ] && [ -n "$T_ID" ] && [ -n "$T_TOKEN" ] ||
    { echo "Bail out! cannot create a target {$2}: $STATUS $BODY"; exit 1; }
}

n=0
for caller in "${CALLERS[@]}"; do
  token "caller-$n" "$caller"
  C_ID=$APP_ID C_TOKEN=$APP_TOKEN
  m=0
  for target in "${TARGETS[@]}"; do
    make_target "target-$n-$m" "$target"
    APP_ID=$C_ID APP_TOKEN=$C_TOKEN
    got=()
    # Fields are read with bash patterns rather than jq: this loop runs 40 times.
    api POST "/api/v1/apiTokens/$T_ID/rotate"; got+=("$STATUS")
    rotated=; [[ $BODY =~ \"token\":\"([^\"]+)\" ]] && rotated=${BASH_REMATCH[1]}
    api PATCH "/api/v1/apiTokens/$T_ID" -d '{"name":"renamed"}'; got+=("$STATUS")
    api DELETE "/api/v1/apiTokens/$T_ID"
    [[ $BODY =~ \"(code|status)\":\"([^\"]+)\" ]]; got+=("$STATUS ${BASH_REMATCH[2]}")
    row="caller {$caller} target {$target}"
    if subset "$target" "$caller"; then
      is "${got[*]}" "200 200 200 revoked" "$row: rotate, patch, delete allowed"
      ok "$([ -n "$rotated" ] && [ "$rotated" != "$T_TOKEN" ]; echo $?)" "$row: rotate handed out a new value"
    else
      is "${got[*]}" "403 403 403 permission_denied" "$row: rotate, patch, delete refused"
      APP_ID=$T_ID APP_TOKEN=$T_TOKEN api POST /api/v1/integrations/test
      works=$STATUS
      api GET "/api/v1/apiTokens/$T_ID"
      is "$works $STATUS $(jb '"\(.name) \(.status) \(.rotatedAt)"')" "200 200 target-$n-$m active null" \
         "$row: the target is untouched and its old value works"
    fi
    m=$((m + 1))
  done
  n=$((n + 1))
done
done_testing
