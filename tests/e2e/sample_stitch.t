#!/usr/bin/env bash
# guidepost sample-stitch: a valid Stitch TAR that tar and jq read as docs/stitch-format.md
# describes, the same bytes for the same seed, --pad-to, every --corrupt kind, and clear errors
# (exit 2) for bad options. The reader's verdict on each kind is in tests/unit/test_ingest.c.
. "$(dirname "$0")/../lib/tap.sh"
S() { "$GP_BIN" sample-stitch "$@"; }
D=$T_TMP

out=$(S --out "$D/valid.tar" 2>"$D/err"); rc=$?
is "$rc" 0 "a valid sample is written"
is "$(jq -r '[.kind, .levels, .rooms, .panoramas, .entries] | join(" ")' <<<"$out")" "valid 2 12 12 14" "the summary counts levels, rooms, panoramas and entries"
is "$(jq -r .bytes <<<"$out")" "$(stat -c %s "$D/valid.tar")" "the summary's size is the file's"
list=$(tar tf "$D/valid.tar"); ok $? "tar lists it"
is "$(head -2 <<<"$list" | tr '\n' ' ')" "manifest.json panos/ " "manifest.json comes first, then panos/"
is "$(grep -c '^panos/P[0-9]*\.jpg$' <<<"$list")" 12 "12 panoramas (6 per level)"
is "$(tar tvf "$D/valid.tar" | awk '{print substr($1,1,1)}' | sort -u | tr -d '\n')" "-d" "only regular files and directories"
m=$(tar xOf "$D/valid.tar" manifest.json)
is "$(jq -r .format <<<"$m")" "guidepost-stitch/1" "manifest format"
is "$(jq -r '.buildings[0].levels | map(.name + ":" + (.belowGrade|tostring)) | join(",")' <<<"$m")" "Basement:true,Main Floor:false" "a basement below grade, then the main floor"
is "$(jq '[.buildings[0].levels[].rooms | length] | join(",")' <<<"$m")" '"6,6"' "6 rooms per level"
is "$(jq -r '.buildings[0].levels[1].rooms | map(.name) | join(",")' <<<"$m")" "Foyer,Living Room,Kitchen,Dining Room,Family Room,Powder Room" "main-floor room names"
is "$(jq '[.buildings[0].levels[].rooms[].polygon | .[0] == .[-1]] | all' <<<"$m")" true "every room polygon is closed"
is "$(jq '[.buildings[0].levels[1].doors[] | select(.to == null)] | length' <<<"$m")" 2 "the main floor has two exterior doors"
is "$(jq '[.buildings[0].levels[].windows | length > 0] | all' <<<"$m")" true "every level has windows"
is "$(jq -r '[.buildings[0].levels[].panoramas[].file] | join(",")' <<<"$m" | tr ',' '\n' | sort)" "$(grep '^panos/P' <<<"$list" | sort)" "the manifest names exactly the panoramas in the TAR"
tar xOf "$D/valid.tar" panos/P1.jpg >"$D/p1.jpg"
is "$(od -An -tx1 -N3 "$D/p1.jpg" | tr -d ' ')" "ffd8ff" "panoramas are JPEGs"
like "$(file "$D/p1.jpg")" "1024x512" "1024x512: 2:1 equirectangular"

S --out "$D/again.tar" >/dev/null; cmp -s "$D/valid.tar" "$D/again.tar"
ok $? "the same seed writes the same bytes"
S --out "$D/seed2.tar" --seed 2 >/dev/null; ! cmp -s "$D/valid.tar" "$D/seed2.tar"
ok $? "another seed writes another house"

out=$(S --out "$D/small.tar" --levels 3 --rooms 4 --panos 2)
is "$(tar tf "$D/small.tar" | wc -l)" 8 "--levels 3 --panos 2: manifest, panos/ and 6 panoramas"
is "$(tar xOf "$D/small.tar" manifest.json | jq -r '.buildings[0].levels | map(.name) | join(",")')" "Basement,Main Floor,Second Floor" "three levels named in order"
is "$(tar xOf "$D/small.tar" manifest.json | jq '[.buildings[0].levels[].rooms | length] | unique')" "$(jq -n '[4]')" "--rooms 4 on every level"
out=$(S --out "$D/one.tar" --levels 1 --rooms 1 --panos 0)
is "$(tar tf "$D/one.tar" | tr '\n' ' ')" "manifest.json panos/ " "one level, one room, no panoramas"
is "$(tar xOf "$D/one.tar" manifest.json | jq -r '.buildings[0].levels[0] | .name + ":" + (.belowGrade|tostring)')" "Main Floor:false" "a single level is the main floor, above grade"

S --out "$D/padded.tar" --pad-to 5M >/dev/null
size=$(stat -c %s "$D/padded.tar")
ok "$([ "$size" -ge 5242880 ] && [ "$size" -lt $((5242880 + 10240)) ]; echo $?)" "--pad-to 5M: at least 5 MiB, not much more ($size)"
tar tf "$D/padded.tar" >"$D/plist"; ok $? "the padded file is still a TAR"
grep -qx 'extra/padding-0001.bin' "$D/plist"; ok $? "padding is an extra/ entry"
S --out "$D/big.tar" --levels 1 --panos 1 --pad-to 40M >/dev/null
is "$(tar tf "$D/big.tar" | grep -c '^extra/padding-')" 2 "padding entries stay at most 32 MiB each"

for kind in not-tar no-manifest bad-json bad-jpeg traversal link open-polygon bomb; do
  out=$(S --out "$D/$kind.tar" --corrupt "$kind" 2>"$D/err"); rc=$?
  ok "$([ $rc -eq 0 ] && [ -s "$D/$kind.tar" ] && [ "$(jq -r .kind <<<"$out")" = "$kind" ]; echo $?)" "--corrupt $kind writes a file"
done
! tar tf "$D/not-tar.tar" >/dev/null 2>&1; ok $? "not-tar: tar cannot read it"
! tar tf "$D/no-manifest.tar" | grep -qx manifest.json; ok $? "no-manifest: no manifest.json"
tar tf "$D/no-manifest.tar" | grep -qx panos/P1.jpg; ok $? "no-manifest: the panoramas are there"
! tar xOf "$D/bad-json.tar" manifest.json | jq . >/dev/null 2>&1; ok $? "bad-json: jq cannot parse the manifest"
a=$(tar tvf "$D/bad-jpeg.tar" panos/P1.jpg | awk '{print $3}'); b=$(tar tvf "$D/valid.tar" panos/P1.jpg | awk '{print $3}')
is "$a" "$((b / 2))" "bad-jpeg: P1 is cut to half its bytes"
is "$(tar tf "$D/traversal.tar" | head -1)" "../outside.txt" "traversal: an entry climbs out"
like "$(tar tvf "$D/link.tar" | grep link.jpg)" "^l.* panos/link.jpg -> /etc/passwd$" "link: a symbolic link to /etc/passwd"
is "$(tar xOf "$D/open-polygon.tar" manifest.json | jq '.buildings[0].levels[0].rooms[0].polygon | .[0] == .[-1]')" false "open-polygon: the first room's ring is open"
is "$(tar xOf "$D/open-polygon.tar" manifest.json | jq '[.buildings[0].levels[].rooms[1:][].polygon | .[0] == .[-1]] | all')" true "open-polygon: only that one"
tar tvf "$D/bomb.tar" >"$D/blist" 2>&1; rc=$?
ok "$([ $rc -ne 0 ]; echo $?)" "bomb: tar fails on it"
like "$(grep bomb.jpg "$D/blist")" " 8589934591 .*panos/bomb.jpg" "bomb: a header declares 8 GiB - 1"
S --out "$D/bomb-pad.tar" --corrupt bomb --pad-to 2M >/dev/null
ok "$([ "$(stat -c %s "$D/bomb-pad.tar")" -ge 2097152 ]; echo $?)" "--pad-to applies to corrupt kinds too"

bad() {   # expected-message-regex description args...
  local re=$1 d=$2; shift 2
  S "$@" >"$D/out" 2>"$D/err"; local rc=$?
  is "$rc" 2 "$d: exit 2"
  like "$(cat "$D/err")" "$re" "$d: says why"
}
bad "--out FILE is required" "no --out"
bad "--levels must be an integer from 1 to 16" "--levels 0" --out "$D/x.tar" --levels 0
bad "--rooms must be an integer from 1 to 60" "--rooms 61" --out "$D/x.tar" --rooms 61
bad "--panos must be an integer from 0 to 120" "--panos abc" --out "$D/x.tar" --panos abc
bad "--pad-to must be a byte count" "--pad-to 12X" --out "$D/x.tar" --pad-to 12X
bad "--corrupt must be one of not-tar, no-manifest" "--corrupt nope" --out "$D/x.tar" --corrupt nope
bad "bad-jpeg kind needs at least one panorama" "bad-jpeg without panoramas" --out "$D/x.tar" --corrupt bad-jpeg --panos 0
bad "unknown option --colour" "an unknown option" --out "$D/x.tar" --colour red
ok "$([ ! -e "$D/x.tar" ]; echo $?)" "nothing is written on a bad option"
S --out "$D/no/such/dir.tar" >/dev/null 2>"$D/err"; rc=$?
is "$rc" 1 "an unwritable --out: exit 1"
like "$(cat "$D/err")" "cannot create .*dir.tar" "... and says so"
ls "$D" | grep -q '\.tmp-'; ok "$([ $? -ne 0 ]; echo $?)" "no temporary files are left behind"
like "$("$GP_BIN" help 2>&1)" "sample-stitch" "the usage lists sample-stitch"
done_testing
