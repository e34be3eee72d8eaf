#!/usr/bin/env bash
# Every file Guidepost creates in its data folder is 0600 and every folder 0700, whatever the umask
# and whatever already exists: the database holds the S3 root key, the session secret and the
# credential hashes; the blobs are the customers' uploads and deliverables. The data folder here
# exists beforehand, made under umask 022 (0755), with a database file someone created 0644.
. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/helpers/uploads.sh"

umask 022
GP_DATA=$T_TMP/data
mkdir -p "$GP_DATA/blobs/objects"
: >"$GP_DATA/guidepost.db"
is "$(stat -c %a "$GP_DATA") $(stat -c %a "$GP_DATA/blobs") $(stat -c %a "$GP_DATA/guidepost.db")" \
   "755 755 644" "before: the data folder is 0755, the database 0644 (umask 022)"

start_server --stage-seconds 0
token perms iguide.rw,iguide.ro,iguide.tasks
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
is "$(mode "$GP_DATA")" 700 "the existing data folder is tightened to 0700"
like "$(cat "$T_TMP/server.log")" "data directory .* had mode 0755; changed to 0700" "... and the server says so"
is "$(mode "$GP_DATA/guidepost.db")" 600 "guidepost.db is 0600"
is "$(mode "$GP_DATA/guidepost.db-wal")" 600 "guidepost.db-wal is 0600"
is "$(mode "$GP_DATA/guidepost.db-shm")" 600 "guidepost.db-shm is 0600"
is "$(mode "$GP_DATA/blobs") $(mode "$GP_DATA/blobs/objects") $(mode "$GP_DATA/blobs/tmp")" "700 700 700" \
   "blobs/, blobs/objects/ and blobs/tmp/ are 0700"

# An upload (single PUT), a multipart part left open, then a whole processing run.
"$GP_BIN" sample-stitch --out "$T_TMP/s.tar" --levels 1 --rooms 2 --panos 1 >/dev/null 2>>"$T_TMP/cli.log"
permit "$(stat -c %s "$T_TMP/s.tar")"
awss3 s3 cp "$T_TMP/s.tar" "s3://$S3_BUCKET/$S3_KEY" >>"$T_TMP/aws.log" 2>&1
is "$?" 0 "aws s3 cp uploads the Stitch TAR"
obj=$(blob_path "$S3_KEY")
is "$(mode "$obj")" 600 "the uploaded object is 0600"
is "$(mode "$(dirname "$obj")")" 700 "its folder is 0700"
U=$(awss3 s3api create-multipart-upload --bucket "$S3_BUCKET" --key "$S3_KEY" --query UploadId --output text 2>&1)
head -c 1000 /dev/urandom >"$T_TMP/part"
awss3 s3api upload-part --bucket "$S3_BUCKET" --key "$S3_KEY" --upload-id "$U" --part-number 1 --body "$T_TMP/part" >/dev/null 2>&1
part=$(find "$GP_DATA/blobs/objects/mpu/$U" -type f | head -1)
is "$(mode "$part") $(mode "$GP_DATA/blobs/objects/mpu/$U")" "600 700" "a multipart part is 0600 in a 0700 folder"
process
for _ in $(seq 1 300); do s=$(wo_status); [ "$s" = done ] || [ "$s" = rejected ] || [ "$s" = exception ] && break; sleep 0.1; done
is "$s" done "the work order is processed"

loose_files=$(find "$GP_DATA" -type f ! -perm 0600 -printf '%m %P\n')
loose_dirs=$(find "$GP_DATA" -type d ! -perm 0700 -printf '%m %P\n')
is "$loose_files" "" "every file under the data folder is 0600 (uploads, parts, manifests, deliverables)"
is "$loose_dirs" "" "every folder under the data folder is 0700"
n=$(find "$GP_DATA/blobs/objects/iguides" -type f | wc -l)
ok "$([ "$n" -gt 3 ]; echo $?)" "processing wrote its manifest and deliverables there ($n files)"

# The CLI on a fresh data folder under umask 022, and a database another tool left 0644.
stop_server
"$GP_BIN" token list --data "$T_TMP/fresh" >/dev/null 2>>"$T_TMP/cli.log"
is "$(mode "$T_TMP/fresh") $(mode "$T_TMP/fresh/guidepost.db")" "700 600" \
   "guidepost token list on a new folder: folder 0700, database 0600"
chmod 0644 "$T_TMP/fresh/guidepost.db"
chmod 0755 "$T_TMP/fresh"
"$GP_BIN" migrate --data "$T_TMP/fresh" >/dev/null 2>"$T_TMP/migrate.log"
is "$(mode "$T_TMP/fresh") $(mode "$T_TMP/fresh/guidepost.db")" "700 600" \
   "guidepost migrate tightens a 0755 folder and a 0644 database"
like "$(cat "$T_TMP/migrate.log")" "guidepost.db had mode 0644; changed to 0600" "... and says so"
done_testing
