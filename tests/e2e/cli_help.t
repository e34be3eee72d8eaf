#!/usr/bin/env bash
# --help, -h and usage errors of every subcommand: the usage is printed and nothing is created or
# opened. Each command runs in an empty folder with the default --data (./data), which must still
# not exist afterwards: asking how to use a command must not create a database.
. "$(dirname "$0")/../lib/tap.sh"

# run_in_empty EXPECTED-EXIT DESCRIPTION ARGS...: runs guidepost ARGS in a fresh empty folder.
run_in_empty() {
  local want=$1 desc=$2; shift 2
  local dir
  dir=$(mktemp -d "$T_TMP/cwd.XXXXXX")
  (cd "$dir" && env -u GUIDEPOST_DATA "$GP_BIN" "$@" >"$T_TMP/out" 2>"$T_TMP/err")
  local rc=$?
  is "$rc" "$want" "guidepost $*: exit $want ($desc)"
  is "$(ls -A "$dir")" "" "guidepost $*: nothing created in the working folder"
}

for cmd in token user group workorder worker serve migrate sample-stitch; do
  for flag in --help -h; do
    run_in_empty 0 "help" "$cmd" "$flag"
    like "$(head -1 "$T_TMP/out")" "^usage: guidepost $cmd" "guidepost $cmd $flag: the usage is on stdout"
  done
done

# Help after a command, or next to other options, wins too.
run_in_empty 0 "help after the command" token list --help
run_in_empty 0 "help after the command" token create --name x -h
run_in_empty 0 "help with --data" user list --data ./data --help
run_in_empty 0 "help after the command" group show --help
run_in_empty 0 "help after the command" workorder list -h

# Usage errors: exit 2, the reason on stderr, and still no store.
run_in_empty 2 "no command" token
like "$(cat "$T_TMP/err")" "usage: guidepost token" "guidepost token: the usage is on stderr"
run_in_empty 2 "unknown command" token bogus
like "$(cat "$T_TMP/err")" 'unknown command "bogus"' "guidepost token bogus: names the bad command"
run_in_empty 2 "missing --name" token create --scopes iguide.ro
run_in_empty 2 "unknown scope" token create --name n --scopes nope
run_in_empty 2 "no id" token revoke
run_in_empty 2 "unknown option" token list --bogus
run_in_empty 2 "no command" user
run_in_empty 2 "bad email" user create --email not-an-email
run_in_empty 2 "no id" user disable
run_in_empty 2 "unknown command" group bogus
run_in_empty 2 "not a group id" group show nope
run_in_empty 2 "no member" group add 3f2504e0-4f89-41d3-9a0c-0305e82c3301
run_in_empty 2 "no name" group create
run_in_empty 2 "unknown command" workorder bogus
run_in_empty 2 "no id" workorder advance
run_in_empty 2 "bad --status" workorder list --status nope
run_in_empty 2 "unknown option" worker --bogus
run_in_empty 2 "no workers" worker --workers 0 --webhook-threads 0
run_in_empty 2 "unknown option" serve --bogus
run_in_empty 2 "bad --threads" serve --threads 0
run_in_empty 2 "stray argument" migrate extra
run_in_empty 2 "no --out" sample-stitch

# And the commands still work.
run_in_empty 0 "a real command" token list --data "$T_TMP/data"
is "$(jq -r '.apiTokens | length' "$T_TMP/out")" 0 "guidepost token list on a new data folder lists no token"
done_testing
