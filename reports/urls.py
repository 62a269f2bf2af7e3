from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("documents/batch/", views.DocumentBatchView.as_view(), name="document-batch"),
    path("plans/<int:pk>/documents/", views.PlanDocumentsView.as_view(), name="plan-documents"),
    path("plans/<int:pk>/documents/memo/update/", views.MemoUpdateView.as_view(), name="memo-update"),
    path(
        "plans/<int:pk>/documents/announcement/update/",
        views.AnnouncementUpdateView.as_view(),
        name="announcement-update",
    ),
    path("plans/<int:pk>/documents/garuda/", views.OrganisationGarudaView.as_view(), name="garuda-update"),
    path("plans/<int:pk>/documents/<str:kind>/", views.DocumentHtmlView.as_view(), name="document-html"),
    path("plans/<int:pk>/documents/<str:kind>/pdf/", views.DocumentPdfView.as_view(), name="document-pdf"),
    path("plans/<int:pk>/documents/<str:kind>/docx/", views.DocumentDocxView.as_view(), name="document-docx"),
    path(
        "plans/<int:pk>/documents/<str:kind>/options/",
        views.DocumentOptionsView.as_view(),
        name="document-options",
    ),
    path(
        "plans/<int:pk>/documents/<str:kind>/publish/",
        views.DocumentPublishView.as_view(),
        name="document-publish",
    ),
    path(
        "plans/<int:pk>/documents/<str:kind>/versions/<int:version>/pdf/",
        views.DocumentVersionView.as_view(),
        name="document-version",
    ),
    path(
        "plans/<int:pk>/documents/<str:kind>/versions/<int:version>/signed/",
        views.SignedCopyUploadView.as_view(),
        name="signed-copy-upload",
    ),
    path(
        "plans/<int:pk>/documents/<str:kind>/versions/<int:version>/signed/publish/",
        views.SignedCopyPublishView.as_view(),
        name="signed-copy-publish",
    ),
    path(
        "plans/<int:pk>/documents/<str:kind>/versions/<int:version>/withdraw/",
        views.DocumentWithdrawView.as_view(),
        name="document-withdraw",
    ),
    path(
        "plans/<int:pk>/evidence/<uuid:public_id>/withdraw/",
        views.EvidenceWithdrawView.as_view(),
        name="evidence-withdraw",
    ),
    # Public: no login, for the OIT links on the organisations' websites.
    path(
        "public/organisations/<int:org>/", views.PublicOrganisationView.as_view(), name="public-organisation"
    ),
    path(
        "public/organisations/<int:org>/<int:year>/<str:kind>.pdf",
        views.PublishedLatestView.as_view(),
        name="public-latest",
    ),
    path("public/documents/<uuid:public_id>.pdf", views.PublishedFileView.as_view(), name="public-file"),
    path("public/evidence/<uuid:public_id>/", views.PublishedEvidenceView.as_view(), name="public-evidence"),
]
