"""The portal's URLs and one view that fails, for the test of what a 500 leaves in the logs."""

from django.urls import path

from ita_portal.urls import handler500  # noqa: F401 (the Thai 500 page with the request id)
from ita_portal.urls import urlpatterns as portal


def broken(request):
    raise RuntimeError("the database said no")


urlpatterns = [*portal, path("broken/", broken)]
