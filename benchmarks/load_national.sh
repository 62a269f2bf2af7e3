#!/bin/sh
# The load benchmark of issue 34: make serve's production stack (gunicorn, the worker, WhiteNoise)
# on the national dataset (8,300 generated organisations × 8 years, plans of the last two), with
# 50, 100 and 200 logged-in users of whom 15 % ask for PDFs (benchmarks/load.py).
#
#   scripts/with-postgres.sh benchmarks/load_national.sh [users] [seconds]   # a throw-away cluster
#   DATABASE_URL=postgres://… benchmarks/load_national.sh 50,100,200 60       # a database of yours
#
# WEB_CONCURRENCY, WEB_THREADS and WORKER_PROCESSES pass through to the stack (gunicorn.conf.py,
# run_worker), so another worker model is measured by setting them. The benchmark accounts sign
# in without a second factor (SECOND_FACTOR_REQUIRED=0): only on the benchmark's server.
set -eu
cd "$(dirname "$0")/.."
USERS=${1:-50,100,200}
SECONDS_=${2:-60}
PORT=${PORT:-8041}
PY=.venv/bin/python
DEBUG=1 $PY manage.py migrate -v 0
if ! DEBUG=1 $PY manage.py shell --no-imports -c "from assessments.models import Organisation as O; raise SystemExit(0 if O.objects.filter(code__startswith='GEN-').exists() else 1)"; then
  DEBUG=1 $PY manage.py load_framework > /dev/null
  DEBUG=1 $PY manage.py load_measure_templates > /dev/null
  DEBUG=1 $PY manage.py generate_demo_data --organisations 8300 --plans
fi
MOST=$(echo "$USERS" | tr ',' '\n' | sort -n | tail -n 1)
DEBUG=1 $PY benchmarks/load.py --prepare --users "$MOST"
WORK=$(mktemp -d /tmp/ita-load.XXXXXX)
WORK_ROOT="$WORK/work" CACHE_ROOT="$WORK/cache" PORT=$PORT LOG_LEVEL=WARNING SECOND_FACTOR_REQUIRED=0 \
  scripts/serve.sh > "$WORK/serve.log" 2>&1 &
SERVE=$!
trap 'kill -TERM $SERVE 2>/dev/null; pkill -TERM -f "gunicorn ita_portal.wsgi" 2>/dev/null; sleep 2; rm -rf "$WORK"' EXIT INT TERM
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
  sleep 0.5
done
echo "stack: WEB_CONCURRENCY=${WEB_CONCURRENCY:-default} WEB_THREADS=${WEB_THREADS:-1} WORKER_PROCESSES=${WORKER_PROCESSES:-cores} on $(nproc) cores"
$PY benchmarks/load.py --url "http://127.0.0.1:$PORT" --users "$USERS" --seconds "$SECONDS_"
echo "5xx in the server's log: $(grep -c '"status": 5' "$WORK/serve.log" || true)"
