from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/measures/", views.MeasureEffectView.as_view(), name="measure-effect"),
    path(
        "dashboard/measures/effect.xlsx",
        views.MeasureEffectExportView.as_view(),
        name="measure-effect-export",
    ),
    path("dashboard/<slug:slug>.xlsx", views.DashboardTableExportView.as_view(), name="dashboard-table"),
]
