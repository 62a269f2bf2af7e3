#!/bin/sh
# The reminders benchmark end to end on the database in DATABASE_URL (a throw-away cluster from
# scripts/with-postgres.sh): the national dataset with plans, then benchmarks/reminders.py.
set -eu
cd "$(dirname "$0")/.."
export DEBUG=1
.venv/bin/python manage.py migrate -v 0
.venv/bin/python manage.py load_framework > /dev/null
.venv/bin/python manage.py load_measure_templates > /dev/null
.venv/bin/python manage.py generate_demo_data --organisations "${ORGANISATIONS:-8300}" --years 2568-2569 --plans
.venv/bin/python benchmarks/reminders.py --prepare
# Measured as the worker runs it: DEBUG off (in debug mode Django keeps every query's SQL, here
# the bulk inserts' megabytes, which would be the benchmark's memory, not the reminders').
DEBUG=0 .venv/bin/python benchmarks/reminders.py "$@"
