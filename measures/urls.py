from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("assessments/<int:pk>/plan/generate/", views.PlanGenerateView.as_view(), name="plan-generate"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/progress/", views.PlanProgressView.as_view(), name="plan-progress"),
    path("plans/<int:pk>/progress.xlsx", views.PlanProgressExportView.as_view(), name="plan-progress-export"),
    path("progress/", views.ProgressOverviewView.as_view(), name="progress-overview"),
    path(
        "organisations/<int:pk>/history/",
        views.OrganisationHistoryView.as_view(),
        name="organisation-history",
    ),
    path("progress.xlsx", views.ProgressOverviewExportView.as_view(), name="progress-overview-export"),
    path("measures/<int:pk>/progress/", views.MeasureProgressView.as_view(), name="measure-progress"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("plans/<int:pk>/measures/create/", views.MeasureCreateView.as_view(), name="measure-create"),
    path("plans/<int:pk>/<slug:action>/", views.PlanTransitionView.as_view(), name="plan-transition"),
    path("measures/<int:pk>/update/", views.MeasureUpdateView.as_view(), name="measure-update"),
    path("measures/<int:pk>/delete/", views.MeasureDeleteView.as_view(), name="measure-delete"),
    path("measures/<int:pk>/move/", views.MeasureMoveView.as_view(), name="measure-move"),
]
