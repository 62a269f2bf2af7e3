from django.urls import path

from . import views

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
    path("invitations/<str:token>/", views.AcceptView.as_view(), name="accept"),
]
