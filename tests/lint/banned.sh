#!/usr/bin/env bash
# banned.sh — functions src/ must not call (curl's checksrc idea), with the reason for each and
# the one to use instead. Prints TAP: one result per function, each failure with file:line.
set -u
cd "$(dirname "$0")/../.."
banned=(
  "sprintf|unbounded: snprintf, buf_printf or arena_printf"
  "vsprintf|unbounded: vsnprintf or buf_vprintf"
  "strcpy|unbounded: snprintf or memcpy with a checked length"
  "strcat|unbounded: snprintf or buf"
  "strncpy|does not terminate on truncation: snprintf"
  "strncat|easy to misuse: snprintf or buf"
  "gets|unbounded: fgets"
  "atoi|no error report: strtol with an end check (opt_int)"
  "atol|no error report: strtol with an end check"
  "atof|no error report: strtod with an end check"
  "gmtime|not thread-safe: gmtime_r"
  "localtime|not thread-safe, and local time: gmtime_r"
  "ctime|not thread-safe: gmtime_r + strftime"
  "asctime|not thread-safe: strftime"
  "strtok|not thread-safe: strtok_r or memchr"
  "rand|predictable: crypto_random"
  "srand|predictable: crypto_random"
  "system|runs a shell: no shell-outs from the service"
  "popen|runs a shell: no shell-outs from the service"
  "tmpnam|racy: mkstemp"
  "mktemp|racy: mkstemp"
  "alloca|unbounded stack: the request arena"
  "exit|no exit() below main: return an enum rc"
)
echo "1..${#banned[@]}"
n=0
for b in "${banned[@]}"; do
  n=$((n + 1))
  fn=${b%%|*} why=${b#*|}
  # A call is the name not preceded by an identifier character, '.' or '>' (a member), then '('.
  hits=$(grep -rnE "(^|[^A-Za-z0-9_.>])$fn[[:space:]]*\(" src --include='*.c' --include='*.h' |
         grep -vE "^[^:]+:[0-9]+:[[:space:]]*(\*|//|/\*)" )
  # main.c may exit: it is the top.
  [ "$fn" = exit ] && hits=$(grep -v '^src/main.c:' <<<"$hits")
  if [ -z "$hits" ]; then echo "ok $n - no $fn()"; else
    echo "not ok $n - $fn() is banned ($why)"
    sed 's/^/# /' <<<"$hits" | head -20
  fi
done
