#!/usr/bin/env bash
# API fuzzing (issue 9): schemathesis against a running portal in production mode.
#
# Builds a fresh database with the demo data, makes an API token for a care organisation's
# security officer and one for a supplier owner (or whoever FUZZ_AS names), starts gunicorn
# (2 workers) on 127.0.0.1, and runs `schemathesis run` against /api/schema/ once per token. Fails on any server error and on
# any answer that the schema does not describe (status code, content type, headers, body).
# The server is always stopped; its log is printed when something failed.
#
#   ops/api-fuzz.sh                     # SQLite in a temporary folder
#   FUZZ_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ketenwacht_fuzz ops/api-fuzz.sh
#   FUZZ_AS=supplier-respondent FUZZ_MAX_TIME=60 ops/api-fuzz.sh   # CI: the SQLite file under
#                                       # parallel writes (two workers, two schemathesis workers)
#
# FUZZ_DATABASE_URL names a PostgreSQL database that is DROPPED and created anew.
# Other knobs: FUZZ_PORT (8031), FUZZ_MAX_EXAMPLES per operation (20), FUZZ_SEED (fixed, so a
# run can be repeated; "random" for a new one), FUZZ_TIME_LIMIT per token in seconds (100),
# FUZZ_KEEP=1 keeps the work folder (database, logs, reports), FUZZ_AS who is fuzzed, in order
# (care-security, supplier-owner, supplier-respondent; default "care-security supplier-owner"),
# FUZZ_MAX_TIME a time budget in seconds per token that schemathesis fills and then stops by
# itself (a pass; FUZZ_TIME_LIMIT stays the hard limit, a failure).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
ST=.venv/bin/schemathesis
PORT="${FUZZ_PORT:-8031}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
SEED="${FUZZ_SEED:-20261123}"
TIME_LIMIT="${FUZZ_TIME_LIMIT:-100}"
MAX_TIME="${FUZZ_MAX_TIME:-}"
read -r -a WHO <<<"${FUZZ_AS:-care-security supplier-owner}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ketenwacht-fuzz.XXXXXX")"
SERVER_LOG="$WORK/server.log"
SERVER_PID=""

[ -x "$ST" ] || { echo "schemathesis is missing: .venv/bin/pip install -e '.[dev]'" >&2; exit 2; }

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -f "$SERVER_LOG" ]; then
    echo "---- server errors (tracebacks from $SERVER_LOG) ----"
    grep -n -A60 -E "^(Internal Server Error|Traceback)" "$SERVER_LOG" | tail -n 300 || true
  fi
  if [ "${FUZZ_KEEP:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Production mode, minus what needs TLS in front of it. Everything else from the defaults, so
# that variables of an earlier CI step (a Redis broker, say) do not leak in.
export DJANGO_DEBUG=0 ALLOWED_HOSTS=127.0.0.1 SITE_URL="$BASE"
SECRET_KEY="fuzz-$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
export SECRET_KEY SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 SECURE_HSTS_PRELOAD=0
export CELERY_TASK_ALWAYS_EAGER=1 CELERY_BROKER_URL=memory:// CELERY_RESULT_BACKEND=cache+memory://
export EMAIL_URL=consolemail:// CACHE_URL=locmemcache://fuzz ALLOW_LOCAL_CACHE=1 LOG_LEVEL=WARNING
export PRIVATE_MEDIA_ROOT="$WORK/private" STATIC_ROOT="$WORK/static"
unset CSRF_TRUSTED_ORIGINS DB_CONN_MAX_AGE
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then
  case "$FUZZ_DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *) echo "FUZZ_DATABASE_URL must be a PostgreSQL URL" >&2; exit 2 ;;
  esac
  export DATABASE_URL="$FUZZ_DATABASE_URL" ALLOW_SQLITE_IN_PRODUCTION=0
  "$PY" - "$DATABASE_URL" <<'EOF'
import sys

import environ
import psycopg
from psycopg import sql

cfg = environ.Env.db_url_config(sys.argv[1])
admin = {"dbname": "postgres", "host": cfg["HOST"] or None, "port": cfg["PORT"] or None,
         "user": cfg["USER"] or None, "password": cfg["PASSWORD"] or None}
with psycopg.connect(**{k: v for k, v in admin.items() if v}, autocommit=True) as conn:
    name = sql.Identifier(cfg["NAME"])
    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
    conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
EOF
else
  export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3" ALLOW_SQLITE_IN_PRODUCTION=1
fi

started=$(date +%s)
echo "== database with demo data ($(echo "$DATABASE_URL" | sed 's/:[^:@/]*@/:***@/'))"
t0=$(date +%s)
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py demo >"$WORK/demo.log"
echo "   ready in $(($(date +%s) - t0)) s"
# No collectstatic: it costs a minute of CPU and the API renders no page (its 404s are JSON).
mkdir -p "$STATIC_ROOT"
CARE=(ciso@zorgciso.example rivierenland)
SUPPLIER=(eigenaar@meddossier.example meddossier)
RESPONDENT=(security@meddossier.example meddossier)

echo "== portal on $BASE (gunicorn, 2 workers)"
# --limit-request-line 0: gunicorn's own 414 for a very long query string is the web server's
# limit, answered before the portal; the fuzzer's repeated `page=` parameters would hit it.
.venv/bin/gunicorn portal.wsgi:application --workers 2 --bind "127.0.0.1:$PORT" --timeout 60 \
  --limit-request-line 0 \
  --access-logfile "$WORK/access.log" --access-logformat '%(s)s %(L)ss "%(r)s"' \
  --error-logfile "$SERVER_LOG" --capture-output \
  >>"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
"$PY" - "$BASE/api/schema/" "$SERVER_PID" <<'EOF'
import os
import sys
import time
import urllib.request

url, pid = sys.argv[1], int(sys.argv[2])
for _ in range(120):
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the portal did not start")
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - our own server
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit("the portal did not answer within a minute")
EOF

run_args=()
[ "$SEED" = random ] || run_args=(--seed "$SEED")
[ -z "$MAX_TIME" ] || run_args+=(--max-time "$MAX_TIME")
failed=0
fuzz() {  # fuzz <who> <email> <organisation-slug>
  echo "== schemathesis as $1 ($2 in $3)"
  local t0 token
  t0=$(date +%s)
  token="$("$PY" manage.py create_api_token "$2" "$3" --name fuzz)"
  # Random ids mostly answer 404: let schemathesis draw from the ids and codes this member sees.
  "$PY" ops/fuzz_config.py "$WORK/$1.toml" "$2" "$3"
  timeout --kill-after=10 "$TIME_LIMIT" "$ST" --config-file "$WORK/$1.toml" \
    run "$BASE/api/schema/" \
    --header "Authorization: Token $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-examples "$MAX_EXAMPLES" "${run_args[@]}" --generation-database none \
    --request-timeout 30 --workers 2 --no-color \
    --report junit --report-dir "$WORK/report" --report-junit-path "$WORK/report/$1.xml" \
    || { rc=$?; failed=1
         if [ "$rc" -eq 124 ]; then echo "schemathesis as $1 ran past ${TIME_LIMIT}s: stopped"
         else echo "schemathesis as $1 failed (exit $rc)"; fi; }
  echo "== $1: $(($(date +%s) - t0)) s"
}
for who in "${WHO[@]}"; do
  case "$who" in
    care-security) fuzz care-security "${CARE[@]}" ;;
    supplier-owner) fuzz supplier-owner "${SUPPLIER[@]}" ;;
    supplier-respondent) fuzz supplier-respondent "${RESPONDENT[@]}" ;;
    *) echo "FUZZ_AS: unknown '$who'" >&2; failed=1 ;;
  esac
done
# Every server error of the API counts, also one that schemathesis did not attribute to a check
# (a parallel request of its other worker, say). Pages outside /api/ are not fuzzed (and without
# collectstatic their HTML would fail on the missing static files anyway).
if grep -E '^5[0-9][0-9] [^"]*"[A-Z]+ /api/' "$WORK/access.log"; then
  echo "the API answered with a server error (above)"; failed=1
fi
echo "== api-fuzz: $(($(date +%s) - started)) s in all"
exit "$failed"
