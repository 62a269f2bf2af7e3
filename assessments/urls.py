from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment-detail"),
    path(
        "assessments/<int:pk>/analysis/",
        views.AssessmentAnalysisView.as_view(),
        name="assessment-analysis",
    ),
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
]
