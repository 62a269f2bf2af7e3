#!/bin/sh
# Run the test suite on PostgreSQL: on $DATABASE_URL when it is set, otherwise on a
# throw-away cluster (scripts/with-postgres.sh).
# Usage: scripts/pytest-postgres.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."
exec scripts/with-postgres.sh .venv/bin/pytest "$@"
