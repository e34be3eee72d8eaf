#!/usr/bin/env bash
# layers.sh — every #include between folders of src/ points down the layers, so a request flows
# one way (HTTP → route → handler → store / queue → response) and no module reaches up into its
# callers. A folder may include its own headers and those of any folder on a lower layer; the
# layers are listed here and in docs/architecture (README). Prints TAP, one result per folder,
# each failure with file:line.
set -u
cd "$(dirname "$0")/../.."
# layer number: lower layers know nothing of higher ones.
declare -A layer=(
  [core]=0
  [json]=1
  [store]=2 [blob]=2 [http]=2
  [auth]=3 [jobs]=3 [ratelimit]=3
  [property]=4 [s3]=4
  [render]=5 [sample]=5 [viewer]=5 [webhooks]=5
  [pipeline]=6
  [api]=7
  [cli]=8
)
folders=$(find src -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
echo "1..$(($(wc -w <<<"$folders") + 1))"
n=0
for d in $folders; do
  n=$((n + 1))
  if [ -z "${layer[$d]:-}" ]; then echo "not ok $n - src/$d has no layer in tests/lint/layers.sh"; continue; fi
  bad=$(grep -rnE '^#include "[a-z_0-9]+/' "src/$d" | while IFS= read -r line; do
          t=$(sed -E 's/.*#include "([a-z_0-9]+)\/.*/\1/' <<<"$line")
          [ "$t" = "$d" ] && continue
          if [ -z "${layer[$t]:-}" ] || [ "${layer[$t]}" -ge "${layer[$d]}" ]; then
            echo "$line (layer ${layer[$d]} includes $t, layer ${layer[$t]:-?})"; fi
        done)
  if [ -z "$bad" ]; then echo "ok $n - src/$d includes only lower layers"; else
    echo "not ok $n - src/$d includes its own layer or above"; sed 's/^/# /' <<<"$bad" | head -20; fi
done
n=$((n + 1))
# main.c is the top: it may include anything, and nothing may include it.
if grep -rqE '#include "main' src; then echo "not ok $n - something includes main"; else echo "ok $n - nothing includes main.c"; fi
