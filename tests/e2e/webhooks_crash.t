#!/usr/bin/env bash
# At-least-once delivery across kill -9. Events are created while the receiver is down (their first
# attempts fail to connect and are scheduled again); the server is killed with SIGKILL right after
# the last of them is committed, restarted on the same data folder, more events come; then the
# receiver comes back (same port, so the registered URL is the same) answering slowly, the test
# clock moves past the retry delay, and the server is killed again while deliveries are in flight.
# After a last restart every event reaches the receiver at least once, each always under the same
# webhook-id with the same bytes, verified by standardwebhooks and by Python.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"
. "$(dirname "$0")/helpers/webhooks.sh"

SERVE=(--stage-seconds 0 --webhook-allow-private --test-clock --rate-limit 0 --webhook-timeout 5)
wh_start "${SERVE[@]}"
stop_receiver   # down: its port is known, nothing listens there
HOOKS="[{\"event\":\"*\",\"url\":\"$RCV_URL/slow/1000/crash\"}]"
publish_ok "$(jq -c --argjson h "$HOOKS" '.webhooks = $h' <<<"$TUTORIAL_IGUIDE")" \
  "an iGUIDE whose webhook points at a receiver that is down is published"
EVENTS=()
for i in 1 2 3 4 5; do dispatch; EVENTS+=("$EV"); done
kill -KILL "$GP_PID"; wait "$GP_PID" 2>/dev/null; GP_PID=
is "$(printf '%s\n' "${EVENTS[@]}" | grep -c '^msg_')" 5 "five events dispatched; then kill -9 of the server"

start_server "${SERVE[@]}"
for i in 1 2 3; do dispatch; EVENTS+=("$EV"); done
is "$(printf '%s\n' "${EVENTS[@]}" | grep -c '^msg_')" 8 "restarted on the same data: three more events"
wait_event "$EV" '.deliveries[0].attemptCount >= 1' 10
is "$(jb '.deliveries[0] | [.status, .attempts[0].errorClass] | join(" ")')" "pending connect" \
   "with the receiver down an attempt is a connect error, and the delivery stays pending"

# Every event of the iGUIDE, as the log lists them: the publication's ready and the eight dispatched.
api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready&limit=100"
ALL=$(jb '.events[].id' | sort)
is "$(wc -l <<<"$ALL")" 9 "the event log lists the nine ready events of the iGUIDE"
is "$(comm -13 <(echo "$ALL") <(printf '%s\n' "${EVENTS[@]}" | sort) | wc -l)" 0 "among them every dispatched one (none lost to kill -9)"

# The receiver comes back, slow (1 s an answer): the retries start; kill -9 while they are in flight.
start_receiver
clock_advance 960
wait_for 1 '.path == "/slow/1000/crash"' 15
need $? "after 16 min of test clock the retries reach the receiver again"
kill -KILL "$GP_PID"; wait "$GP_PID" 2>/dev/null; GP_PID=
diag "killed with $(wh_count '.path == "/slow/1000/crash"') request(s) received, their answers (1 s each) in flight"

# Restart; move the clock on now and then, for deliveries whose lease or retry is in test-clock time.
start_server "${SERVE[@]}"
missing=$ALL
for i in $(seq 1 40); do
  missing=$(comm -23 <(echo "$ALL") <(wh_requests '.path == "/slow/1000/crash"' | jq -r .webhookId | sort -u))
  [ -z "$missing" ] && break
  [ $((i % 5)) = 0 ] && clock_advance 960
  sleep 1
done
is "$missing" "" "every event reached the receiver at least once"
bad=0
for id in $ALL; do
  n=$(wh_requests ".webhookId == \"$id\"" | jq -r .bodyBase64 | sort -u | wc -l)
  [ "$n" = 1 ] || { bad=$((bad + 1)); diag "$id arrived with $n different bodies"; }
  [ "$(wh_bodies ".webhookId == \"$id\"" | jq -r .eventId | sort -u)" = "$id" ] || { bad=$((bad + 1)); diag "$id: a body names another event"; }
done
is "$bad" 0 "each event always came under its own webhook-id, with the same bytes"
diag "requests received: $(wh_count '.path == "/slow/1000/crash"') for $(wc -l <<<"$ALL") events"
is "$(wh_count '.path == "/slow/1000/crash" and .verified != true')" 0 "standardwebhooks verified every request"
whverify --min 9
ok $? "Python's recomputed HMAC matches every request"

# The log settles: every delivery delivered. An attempt whose request reached the receiver just
# before the kill is recorded only when it is taken again, after its lease (test-clock time).
for i in $(seq 1 100); do
  api GET "/api/v1/webhookEvents?iguideId=$IG&type=ready&limit=100"
  [ "$(jb '[.events[].deliveries[].status] | unique | join(" ")')" = delivered ] && break
  [ $((i % 10)) = 0 ] && clock_advance 120
  sleep 0.2
done
is "$(jb '[.events[].deliveries[].status] | unique | join(" ")')" delivered "the event log shows every delivery delivered"
is "$(jb '[.events[].deliveries[]] | length')" 9 "one delivery per event"
done_testing
