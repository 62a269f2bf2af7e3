"""The one mixin every organisation-owned view uses: login, and scoping to the user's organisations."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404

from .logs import bind_organisation


class OrganisationScopedMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; objects outside the user's organisations are 404.

    ``scope`` names the queryset method that limits ``model`` to what the user may
    reach, e.g. ``visible_to`` (any member) or ``score_editable_by`` (staff and the
    working group). Returning 404 rather than 403 never confirms that an object exists.
    """

    model = None
    scope = "visible_to"

    def get_queryset(self):
        return self.scoped(self.model, self.scope)

    def scoped(self, model, scope: str):
        """``model``'s objects that the current user reaches under ``scope``."""
        return getattr(model.objects, scope)(self.request.user)

    def get_scoped_or_404(self, model, scope: str, **lookup):
        found = get_object_or_404(self.scoped(model, scope), **lookup)
        bind_organisation(found)
        return found

    def get_object(self, queryset=None):
        found = super().get_object(queryset)
        bind_organisation(found)
        return found

    def dispatch(self, request, *args, **kwargs):
        # Login first, so ``load`` never looks anything up for an anonymous visitor.
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return self.load(request, *args, **kwargs) or super().dispatch(request, *args, **kwargs)

    def load(self, request, *args, **kwargs):
        """The one hook for a view to fetch what its page is about (the user is logged in): set
        attributes, raise Http404/PermissionDenied, or return a response to answer with instead."""
        return None
