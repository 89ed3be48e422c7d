#!/usr/bin/env bash
# Restore a Ketenwacht backup made by ops/backup.sh into an EMPTY PostgreSQL database and an
# empty (or not yet existing) PRIVATE_MEDIA_ROOT.
#
#   createdb ketenwacht_restored          # or let your DBA create it
#   DATABASE_URL=postgres://…/ketenwacht_restored PRIVATE_MEDIA_ROOT=/srv/… \
#     ops/restore.sh var/backups/ketenwacht-20261124T020000Z
#
# The checksums are verified first; the database is restored in one transaction (all or
# nothing); a non-empty database or media folder is refused, so nothing is overwritten.
set -euo pipefail
umask 077

root="$(cd "$(dirname "$0")/.." && pwd)"

die() { printf 'restore: %s\n' "$*" >&2; exit 1; }

# shellcheck source=ops/lib.sh
. "$root/ops/lib.sh"

[ $# -eq 1 ] || die "usage: ops/restore.sh BACKUP_FOLDER"
backup="$(cd "$1" 2>/dev/null && pwd)" || die "no backup folder $1"
for f in database.dump media.tar.gz SHA256SUMS; do
  [ -f "$backup/$f" ] || die "$backup has no $f: not a backup made by ops/backup.sh"
done

db_url="$(setting DATABASE_URL)"
case "$db_url" in
  postgres://* | postgresql://*) ;;
  pgsql://* | psql://*) db_url="postgresql://${db_url#*://}" ;;
  "") die "DATABASE_URL is not set (the empty PostgreSQL database to restore into)" ;;
  *) die "DATABASE_URL is not a PostgreSQL database" ;;
esac
media="$(setting PRIVATE_MEDIA_ROOT "$root/var/private")"
case "$media" in /*) ;; *) media="$root/$media" ;; esac

command -v pg_restore >/dev/null || die "pg_restore is not installed (Debian: apt-get install postgresql-client)"

(cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS) \
  || die "checksums do not match: the backup is damaged; nothing was restored"

tables="$(psql "$db_url" -XAtq -v ON_ERROR_STOP=1 -c \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")" \
  || die "cannot connect to the database in DATABASE_URL (create it first with createdb)"
[ "$tables" = "0" ] || die "the database is not empty ($tables tables); restore only into a new, empty database"
if [ -d "$media" ] && [ -n "$(ls -A "$media")" ]; then
  die "$media is not empty; restore the files only into a new, empty folder"
fi

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$db_url" "$backup/database.dump"
mkdir -p "$media"
tar -C "$media" -xzf "$backup/media.tar.gz"
if grep -q '^media=s3://' "$backup/backup.txt" 2>/dev/null; then
  printf 'restore: the files of this backup live in S3 (%s); restore the bucket separately\n' \
    "$(sed -n 's/^media=//p' "$backup/backup.txt")"
fi
printf 'restore: database and files restored from %s\n' "$backup"
printf 'restore: next run: python manage.py migrate && python manage.py check --deploy\n'
