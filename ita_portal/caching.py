"""Values computed once and kept in Django's cache (``settings.CACHES``: files under
``CACHE_ROOT``, shared by every web process and the worker).

A key names everything the value was computed from, so an entry is never read after what it
depends on changed: the callers build it from counters of change, fingerprints of the rows or
the data itself. A cache that cannot be read or written (a full disk, a folder the server may
not write) costs the computation, never the page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

MISSING = object()
logger = logging.getLogger(__name__)


def remember(key: str, compute: Callable[[], Any]) -> Any:
    """The value kept under ``key``, or ``compute()`` kept there now (logged, and computed, when
    the cache is out of order)."""
    kind = ":".join(key.split(":")[:2])
    try:
        value = cache.get(key, MISSING)
    except Exception:  # noqa: BLE001 — whatever the cache backend raises, the value is computed
        logger.warning("kept values unavailable: computing %s", kind, exc_info=True)
        return compute()
    if value is MISSING:
        value = compute()
        try:
            cache.set(key, value)
        except Exception:  # noqa: BLE001
            logger.warning("kept value not written: %s", kind, exc_info=True)
    return value
