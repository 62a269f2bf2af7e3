from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ita_portal.views import (
    FaviconView,
    HealthView,
    HelpView,
    JobDetailView,
    JobListView,
    JobResultView,
    JobStateView,
)

admin.site.site_header = "ITA Portal – ผู้ดูแลระบบ"
admin.site.site_title = "ITA Portal"

urlpatterns = [
    path("", include("home.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("healthz", HealthView.as_view(), name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the icon.
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("help/", HelpView.as_view(), name="help"),
    path("jobs/", JobListView.as_view(), name="job-list"),
    path("jobs/<uuid:public_id>/", JobDetailView.as_view(), name="job-detail"),
    path("jobs/<uuid:public_id>/result/", JobResultView.as_view(), name="job-result"),
    path("jobs/<uuid:public_id>/state/", JobStateView.as_view(), name="job-state"),
    path("", include("assessments.urls")),
    path("", include("oit.urls")),
    path("", include("insights.urls")),
    # reports first: measures' plans/<pk>/<action>/ would otherwise catch plans/<pk>/documents/.
    path("", include("reports.urls")),
    path("", include("measures.urls")),
    path("", include("members.urls")),
    path("", include("members.account_urls")),
    path("", include("notifications.urls")),
]

handler500 = "ita_portal.views.server_error"
