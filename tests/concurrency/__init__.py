"""Simultaneous writers and readers. SQLite allows one connection per thread only within a
process of its own, so its scenes run as a script in ``manage.py shell`` against a fresh file."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def on_fresh_sqlite(tmp_path, script: str, *, timeout: int = 280) -> dict:
    """Migrate a new SQLite file in ``tmp_path``, load the 2568 framework, run ``script`` there and
    return the JSON object its last line prints."""
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        proc = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc

    manage("migrate", "-v", "0")
    manage("load_framework", "2568")
    return json.loads(manage("shell", "--no-imports", "-c", script).stdout.strip().splitlines()[-1])
