"""gunicorn settings for the portal (make serve, and production: see the README's "Deploying").

Every value can be overridden in the environment: PORT, BIND, WEB_CONCURRENCY, WEB_TIMEOUT,
WEB_MAX_REQUESTS. Heavy work (PDFs, batches, big imports and exports) runs in the task worker,
so a web request is short and the timeout can stay low.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Processes that each serve one request at a time: about two per core, at most eight by default.
# Chosen by measurement (benchmarks/load_national.sh, results in benchmarks/results/load-issue-34.txt):
# threads (WEB_THREADS=4 in 3 processes) answered better at 50 users but worse at 100 and 200
# (p95 8.7 s and timeouts against 5.1 s and none): the pages are CPU-bound Python, so a thread
# waits for its process's lock where another process would run on another core.
workers = int(os.environ.get("WEB_CONCURRENCY", min(8, multiprocessing.cpu_count() * 2 + 1)))
threads = int(os.environ.get("WEB_THREADS", "1"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
# A worker process is replaced after this many requests (± jitter, so they do not restart together).
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10)
# Logs on stdout: gunicorn's own lines, and one access line per request with its id.
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s, '
    '"agent": "%(a)s"}'
)
# The proxy in front sets X-Forwarded-*; trust it only from the addresses given.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's control socket (gunicornc) is not used; two instances on one machine would share it.
control_socket_disable = True
