"""The provider's pages: django-oauth-toolkit's under /o/ (so its issuer is <address>/o), and a
sign-in that takes a user name from the profiles file (how the provider checks people is its own
business; the portal's side is what is under test)."""

import json
import os

from django.contrib.auth import get_user_model, login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator


def profiles() -> dict:
    with open(os.environ["OIDC_PROVIDER_PROFILES"], encoding="utf-8") as file:
        return json.load(file)


class Validator(OAuth2Validator):
    def get_additional_claims(self, request):
        profile = profiles()[request.user.username]
        return {
            "email": profile["email"],
            "email_verified": profile.get("email_verified", True),
            "name": profile.get("name", ""),
        }


@csrf_exempt
def sign_in(request):
    if request.method == "POST":
        username = request.POST["username"]
        if username not in profiles():
            return HttpResponse("unknown", status=403)
        user, _ = get_user_model().objects.get_or_create(username=username)
        login(request, user)
        return HttpResponseRedirect(request.GET.get("next", "/"))
    return HttpResponse('<form method="post"><input name="username"></form>')


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
