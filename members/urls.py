from django.urls import path

from . import bulk_views, views

app_name = "members"

urlpatterns = [
    path("organisations/<int:pk>/members/", views.MembersView.as_view(), name="list"),
    path("organisations/<int:pk>/members/<int:member>/role/", views.MemberRoleView.as_view(), name="role"),
    path(
        "organisations/<int:pk>/members/<int:member>/remove/", views.MemberRemoveView.as_view(), name="remove"
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation>/<str:step>/",
        views.InvitationActionView.as_view(),
        name="invitation",
    ),
    path("organisations/<int:pk>/members/bulk/", bulk_views.BulkInviteView.as_view(), name="bulk"),
    path(
        "organisations/<int:pk>/members/bulk/<int:bulk>/confirm/",
        bulk_views.BulkConfirmView.as_view(),
        name="bulk-confirm",
    ),
    path("invitations/<str:token>/", views.AcceptView.as_view(), name="accept"),
]
