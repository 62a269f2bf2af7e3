#!/bin/sh
# Run a command with DATABASE_URL pointing at PostgreSQL: $DATABASE_URL when it is set, otherwise
# a throw-away cluster started here on a free local port and removed afterwards.
# Usage: scripts/with-postgres.sh command [arguments]   (scripts/pytest-postgres.sh runs the suite)
set -eu
cd "$(dirname "$0")/.."

if [ -n "${DATABASE_URL:-}" ]; then
  exec "$@"
fi

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL is not installed (make test installs it)" >&2
  exit 1
fi
PORT=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DIR=$(mktemp -d /tmp/ita-postgres.XXXXXX)

# PostgreSQL refuses to run as root: use the system's postgres account then.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$DIR"
  as_owner() { runuser -u postgres -- "$@"; }
else
  as_owner() { "$@"; }
fi

stop() {
  as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT INT TERM

as_owner "$BIN/initdb" -D "$DIR/data" -U ita --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# fsync off: the cluster lives for one test run and is thrown away.
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT (throw-away cluster)"
DATABASE_URL="postgres://ita@127.0.0.1:$PORT/postgres" "$@"
