"""Run the test provider: ``python -m tests.oidc_provider.serve PORT CLIENT_ID SECRET REDIRECT_URI``
(with ``OIDC_PROVIDER_DB`` and ``OIDC_PROVIDER_PROFILES`` set). Prints "ready" when it answers."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main(port: str, client_id: str, secret: str, redirect_uri: str) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    Application.objects.create(
        name="ITA Portal",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", int(port), get_wsgi_application(), _Server, _Quiet)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:5])
