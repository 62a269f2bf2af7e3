from django.urls import path

from . import views

app_name = "oit"

urlpatterns = [
    path("organisations/<int:pk>/oit/", views.RegisterView.as_view(), name="register-current"),
    path("organisations/<int:pk>/oit/<int:year>/", views.RegisterView.as_view(), name="register"),
    path(
        "organisations/<int:pk>/oit/<int:year>/copy/", views.RegisterCopyView.as_view(), name="register-copy"
    ),
    path(
        "organisations/<int:pk>/oit/<int:year>/check/",
        views.RegisterCheckView.as_view(),
        name="register-check",
    ),
    path(
        "organisations/<int:pk>/oit/<int:year>/register.xlsx",
        views.RegisterExportView.as_view(),
        name="register-export",
    ),
]
