from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(
        "assessments/<int:pk>/update/",
        views.AssessmentUpdateView.as_view(),
        name="assessment-update",
    ),
    path(
        "organisations/<int:organisation_pk>/assessments/create/",
        views.AssessmentCreateView.as_view(),
        name="assessment-create",
    ),
    path("imports/create/", views.ScoreImportCreateView.as_view(), name="import-create"),
    path("imports/<int:pk>/", views.ScoreImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/commit/", views.ScoreImportCommitView.as_view(), name="import-commit"),
    path("imports/<int:pk>/delete/", views.ScoreImportDeleteView.as_view(), name="import-delete"),
    path("imports/template/<int:year>.xlsx", views.ImportTemplateView.as_view(), name="import-template"),
    path("exports/<int:year>/scores.xlsx", views.YearScoresExportView.as_view(), name="year-scores-export"),
    path(
        "organisations/<int:pk>/scores.xlsx",
        views.OrganisationScoresExportView.as_view(),
        name="organisation-scores-export",
    ),
]
