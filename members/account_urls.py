"""Signing in (with a password, or through the identity provider), a person's own account, the
forgotten-password pages (names without a namespace, as Django's
authentication pages are named), and the superusers' page of overseers."""

from django.urls import path

from . import account, oidc_views, oversights, second_factor

urlpatterns = [
    path("login/", account.LoginView.as_view(), name="login"),
    path("login/provider/", oidc_views.OidcStartView.as_view(), name="oidc-start"),
    path("login/provider/callback/", oidc_views.OidcCallbackView.as_view(), name="oidc-callback"),
    path("oversights/", oversights.OversightsView.as_view(), name="oversights"),
    path("oversights/<int:pk>/revoke/", oversights.OversightRevokeView.as_view(), name="oversight-revoke"),
    path("account/", account.AccountView.as_view(), name="account"),
    path("account/password/", account.PasswordChangeView.as_view(), name="password_change"),
    path("account/two-factor/", second_factor.TwoFactorView.as_view(), name="two-factor"),
    path("password/reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", account.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
