#!/usr/bin/env bash
# Back up Ketenwacht: the PostgreSQL database (pg_dump, custom format) and the private files
# (a tar of PRIVATE_MEDIA_ROOT), with SHA-256 checksums, into one new folder.
#
#   ops/backup.sh [TARGET_FOLDER]        (default: var/backups)
#
# DATABASE_URL and PRIVATE_MEDIA_ROOT come from the environment or else from .env, exactly as
# the portal reads them. The database is dumped first, then the files: a file uploaded in
# between is an unused extra, never a missing one. Restore with ops/restore.sh.
set -euo pipefail
umask 077  # a backup holds personal data: readable by its owner only

root="$(cd "$(dirname "$0")/.." && pwd)"

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }

# shellcheck source=ops/lib.sh
. "$root/ops/lib.sh"

db_url="$(setting DATABASE_URL)"
case "$db_url" in
  postgres://* | postgresql://*) ;;
  pgsql://* | psql://*) db_url="postgresql://${db_url#*://}" ;;
  "") die "DATABASE_URL is not set (this script backs up PostgreSQL)" ;;
  *) die "DATABASE_URL is not a PostgreSQL database; for SQLite stop the portal and copy the file" ;;
esac
media="$(setting PRIVATE_MEDIA_ROOT "$root/var/private")"
case "$media" in /*) ;; *) media="$root/$media" ;; esac

command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: apt-get install postgresql-client)"

parent="${1:-$root/var/backups}"
mkdir -p "$parent"
folder="$parent/ketenwacht-$(date -u +%Y%m%dT%H%M%SZ)"
[ -e "$folder" ] && die "$folder already exists"
mkdir "$folder"
trap 'rm -rf "$folder"' ERR  # never leave a half backup behind

pg_dump --format=custom --compress=6 --file="$folder/database.dump" "$db_url"
bucket="$(setting S3_BUCKET)"
if [ -n "$bucket" ]; then
  # Files live in the S3 bucket (S3_BUCKET): back it up with the object store's own means
  # (versioning, replication, rclone); this backup holds the database only.
  printf 'backup: files are in S3 bucket %s, not in this backup\n' "$bucket" >&2
  tar -czf "$folder/media.tar.gz" -T /dev/null
  media="s3://$bucket/$(setting S3_PREFIX private)"
elif [ -d "$media" ]; then
  tar -C "$media" -czf "$folder/media.tar.gz" .
else
  printf 'backup: %s does not exist yet; the file archive is empty\n' "$media" >&2
  tar -czf "$folder/media.tar.gz" -T /dev/null
fi
{
  printf 'created_at=%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf 'pg_dump=%s\n' "$(pg_dump --version)"
  printf 'media=%s\n' "$media"
  printf 'files=%s\n' "$(tar -tzf "$folder/media.tar.gz" | grep -vc '/$' || true)"
} >"$folder/backup.txt"
(cd "$folder" && sha256sum database.dump media.tar.gz backup.txt >SHA256SUMS)
trap - ERR
printf '%s\n' "$folder"
