#!/bin/sh
# The load benchmark as measured for the production issue: make serve's stack on a throw-away
# PostgreSQL cluster with the demo data, 50 logged-in users for 60 s on loopback.
# Usage: scripts/with-postgres.sh benchmarks/load_postgres.sh [users] [seconds]
set -eu
cd "$(dirname "$0")/.."
USERS=${1:-50}
SECONDS_=${2:-60}
PORT=${PORT:-8040}
export DEBUG=1
.venv/bin/python manage.py migrate -v 0
.venv/bin/python manage.py load_framework > /dev/null
.venv/bin/python manage.py load_measure_templates > /dev/null
.venv/bin/python manage.py load_demo > /dev/null
.venv/bin/python benchmarks/load.py --prepare --users "$USERS"
unset DEBUG
WORK=$(mktemp -d /tmp/ita-load.XXXXXX)
WORK_ROOT="$WORK/work" PORT=$PORT LOG_LEVEL=WARNING scripts/serve.sh > "$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill -TERM $SERVE 2>/dev/null; pkill -TERM -f "gunicorn ita_portal.wsgi" 2>/dev/null; sleep 2; rm -rf "$WORK"' EXIT INT TERM
for _ in $(seq 60); do
  curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
  sleep 0.5
done
.venv/bin/python benchmarks/load.py --url "http://127.0.0.1:$PORT" --users "$USERS" --seconds "$SECONDS_"
echo "5xx in the server's log: $(grep -c '"status": 5' "$WORK/serve.log" || true)"
