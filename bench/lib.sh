# bench/lib.sh — what the benchmark scripts share (sourced): messages, stopping a process,
# the median of a run's numbers, the cleanup on exit, the checks before a run, and a Guidepost
# server with a token on a private copy of the binary.

die() { echo "bench/$(basename "$0"): $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

stop() {   # PID: TERM, wait up to 5 s, then KILL
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

median() {   # PRINTF-FORMAT: the median of the numbers on stdin
  sort -g | awk -v f="$1" '{ v[NR] = $1 }
    END { printf f, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# on_exit FUNCTION: FUNCTION runs when the script exits, also on INT and TERM (exit 130, 143).
on_exit() {
  trap "$1" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

# finish RC LOG...: the end of a cleanup. After a failure (RC 1; not a signal) the last 20 lines
# of each LOG that is not empty, but access lines, go to stderr; then $TMP is removed and the
# script exits RC.
finish() {
  local rc=$1 f; shift
  if [ "$rc" -eq 1 ] && [ -d "$TMP" ]; then
    for f in "$@"; do
      [ -s "$f" ] || continue
      echo "--- ${f#"$TMP"/} (last 20 lines but access lines)" >&2
      grep -av ' info access ' "$f" | tail -n 20 >&2 || true
    done
  fi
  rm -rf "$TMP"
  exit "$rc"
}

# need_cmds CMD...: dies naming the first CMD that is not installed (sbin included, for nginx).
need_cmds() {
  local cmd
  PATH=$PATH:/usr/sbin:/sbin
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found"
  done
}

# need_guidepost: GP_BIN exists, built with make when it is missing.
need_guidepost() {
  if [ ! -x "$GP_BIN" ]; then
    make -C "$ROOT" --no-print-directory all >&2 || die "build failed"
  fi
  [ -x "$GP_BIN" ] || die "$GP_BIN not found"
}

# gp_token SCOPES: GP_BIN becomes a private copy in $TMP (a rebuild during the run changes
# nothing) and a token with SCOPES is created in $DATA; sets APP_ID and APP_TOKEN. The CLI's
# messages go to $TMP/cli.log.
gp_token() {
  local tok
  cp "$GP_BIN" "$TMP/guidepost" || die "cannot copy $GP_BIN"
  GP_BIN=$TMP/guidepost
  tok=$("$GP_BIN" token create --data "$DATA" --name bench --scopes "$1" 2>>"$TMP/cli.log") \
    || die "token create failed"
  APP_ID=$(jq -er .id <<<"$tok") || die "token create printed no id"
  APP_TOKEN=$(jq -er .token <<<"$tok") || die "token create printed no token"
}

# wait_file FILE PID: until FILE is not empty or PID is gone, 10 s at most.
wait_file() {
  for _ in $(seq 1 100); do
    [ -s "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# gp_serve LABEL LOG [serve options...]: `guidepost serve` on $DATA at a free port of 127.0.0.1
# (--rate-limit 0), its output appended to LOG; sets SERVED_PID and SERVED_URL once it answers
# its ready file, dies naming LABEL when it does not start.
gp_serve() {
  local label=$1 log=$2 url=$TMP/gp-url-$1 u; shift 2
  rm -f "$url"
  "$GP_BIN" serve --listen 127.0.0.1:0 --data "$DATA" --ready-file "$url" --rate-limit 0 "$@" \
    >>"$log" 2>&1 &
  SERVED_PID=$!
  wait_file "$url" "$SERVED_PID" || true
  u=$(cat "$url" 2>/dev/null || true)
  case $u in http://127.0.0.1:*) ;; *) die "guidepost ($label) did not start (url '$u')" ;; esac
  SERVED_URL=$u
}

# nginx_start DIR WORKERS PROBE HTTP: nginx on a free port of 127.0.0.1 with everything under DIR
# (config, logs, temp files), WORKERS worker processes (as nobody when run as root), and the
# lines HTTP inside http { } after the shared settings, "@PORT@" standing for the port. PROBE is a
# command, called as PROBE URL PID, that succeeds once nginx answers. Sets NGINX_PID and
# NGINX_URL; another port is drawn when the one drawn was taken meanwhile.
nginx_start() {
  local n=$1 workers=$2 probe=$3 http=$4 port user=""
  mkdir -p "$n/tmp"
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$TMP" "$n"
    if getent group nogroup >/dev/null; then user="user nobody nogroup;"; else user="user root root;"; fi
  fi
  for _ in 1 2 3 4 5; do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$n/nginx.conf" <<CONF
$user
worker_processes $workers;
daemon off;
pid $n/nginx.pid;
lock_file $n/nginx.lock;
error_log $n/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $n/tmp/body;
  proxy_temp_path $n/tmp/proxy;
  fastcgi_temp_path $n/tmp/fastcgi;
  uwsgi_temp_path $n/tmp/uwsgi;
  scgi_temp_path $n/tmp/scgi;
  keepalive_timeout 65;
  keepalive_requests 100000000;
${http//@PORT@/$port}
}
CONF
    nginx -p "$n/" -c "$n/nginx.conf" -e "$n/error.log" >>"$n/stdout.log" 2>&1 &
    NGINX_PID=$!
    NGINX_URL=http://127.0.0.1:$port
    "$probe" "$NGINX_URL" "$NGINX_PID" && return 0
    stop "$NGINX_PID"; NGINX_PID=
    grep -q 'Address already in use' "$n/error.log" 2>/dev/null || break
  done
  die "nginx did not start"
}

# wrk_field FILE WHAT: rps | p50 | p99 (ms) | non2xx | errors
wrk_field() {
  awk -v what="$2" '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /m$/)  return substr(v, 1, length(v) - 1) * 60000
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
      return v + 0
    }
    what == "rps"    && /^Requests\/sec:/          { printf "%.0f", $2; found = 1 }
    what == "p50"    && $1 == "50%"                 { printf "%.2f", ms($2); found = 1 }
    what == "p99"    && $1 == "99%"                 { printf "%.2f", ms($2); found = 1 }
    what == "non2xx" && /Non-2xx or 3xx responses:/ { printf "%d", $NF; found = 1 }
    what == "errors" && /Socket errors:/ {
      s = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i + 0; printf "%d", s; found = 1 }
    END { if (!found) { if (what == "non2xx" || what == "errors") printf "0"; else exit 1 } }
  ' "$1"
}
