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
    # Public, no login: the page an agency links from its website for OIT, and its links as a workbook.
    path(
        "public/organisations/<int:org>/oit/",
        views.PublicRegisterCurrentView.as_view(),
        name="public-current",
    ),
    path("public/organisations/<int:org>/oit/<int:year>/", views.PublicRegisterView.as_view(), name="public"),
    path(
        "public/organisations/<int:org>/oit/<int:year>.xlsx",
        views.PublicRegisterWorkbookView.as_view(),
        name="public-workbook",
    ),
]
