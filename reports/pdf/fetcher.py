"""The only way a document reaches anything outside itself: the project's static files, by the
URL ``{% static %}`` gives (hashed or not), and ``data:`` URLs (the garuda); every other URL is
refused, so no text a user typed can make the server read a file or call an address."""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "https://ita-portal.invalid/"


class FetchRefused(ValueError):
    """A document asked for something other than a static file or a data: URL."""


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files from disk and data: URLs; refuses every other URL."""

    def __init__(self):
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)

    @staticmethod
    def static_path(url: str) -> str | None:
        """The static file a URL names (``css/document.css``), or None if it names none."""
        prefix = BASE_URL + settings.STATIC_URL.lstrip("/")
        if not url.startswith(prefix):
            return None
        relative = unquote(urlsplit(url).path)[len(urlsplit(prefix).path) :]
        parts = PurePosixPath(relative).parts
        if not parts or any(part in ("..", ".") or "\\" in part for part in parts):
            return None
        name = "/".join(parts)
        return finders.find(name) or finders.find(_unhashed(name))

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            # urllib's data: handler decodes the URL itself; nothing leaves the process.
            return super().fetch(url, headers)
        path = self.static_path(url)
        if path is None:
            raise FetchRefused(f"refused: {url[:200]}")
        with open(path, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


_unhashed_names: dict[int, dict[str, str]] = {}


def _unhashed(name: str) -> str:
    """The source name of a static file named as the production storage names it
    (``css/document.3f2a….css`` → ``css/document.css``), so that a document finds the same files
    with DEBUG off (hashed names from the manifest) as in development; ``name`` if it is not one."""
    hashed_files = getattr(staticfiles_storage, "hashed_files", None)
    if not hashed_files:
        return name
    reverse = _unhashed_names.get(id(hashed_files))
    if reverse is None:
        reverse = {hashed: original for original, hashed in hashed_files.items()}
        _unhashed_names.clear()
        _unhashed_names[id(hashed_files)] = reverse
    return reverse.get(name, name)
