from django.urls import path

from . import views

# Names without a namespace: "home" is the login redirect; the analysis page kept its address.
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "assessments/<int:pk>/analysis/", views.AssessmentAnalysisView.as_view(), name="assessment-analysis"
    ),
]
