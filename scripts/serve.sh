#!/bin/sh
# make serve: the production stack on this machine — gunicorn with DEBUG off, static files from
# collectstatic served by WhiteNoise, and the task worker beside it. Plain HTTP on 127.0.0.1:$PORT
# (default 8000), so the HTTPS-only settings are relaxed here; a real deployment keeps them (README).
set -eu
cd "$(dirname "$0")/.."
PY=.venv/bin/python

export DEBUG=0
if [ -z "${SECRET_KEY:-}" ]; then
  # A throw-away key for this machine, made once and kept out of git (var/ is ignored).
  mkdir -p var
  [ -s var/serve-secret-key ] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > var/serve-secret-key
  chmod 600 var/serve-secret-key
  SECRET_KEY=$(cat var/serve-secret-key)
  export SECRET_KEY
fi
export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-0}"
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-0}"
export CSRF_COOKIE_SECURE="${CSRF_COOKIE_SECURE:-0}"
export SECURE_HSTS_SECONDS="${SECURE_HSTS_SECONDS:-0}"
export PORT="${PORT:-8000}"

"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py migrate --noinput -v 0
# The demo only into the project's own SQLite file, once (a restart keeps every edit); never into a
# database named by DATABASE_URL, which may be a real one.
if [ -z "${DATABASE_URL:-}" ]; then
  DEBUG=1 "$PY" manage.py load_demo --once
fi

"$PY" manage.py run_worker &
WORKER=$!
trap 'kill -TERM $WORKER 2>/dev/null; wait $WORKER 2>/dev/null || true' EXIT INT TERM
"$PY" manage.py welcome --url "http://127.0.0.1:$PORT/" &
WELCOME=$!
trap 'kill -TERM $WORKER $WELCOME 2>/dev/null; wait $WORKER 2>/dev/null || true' EXIT INT TERM
echo "ITA Portal (DEBUG off) starting on http://127.0.0.1:$PORT/ — worker pid $WORKER; Ctrl+C stops both"
.venv/bin/gunicorn ita_portal.wsgi:application -c gunicorn.conf.py
