"""The one mixin every organisation-owned view uses: login, and scoping to the user's organisations."""

from django.contrib.auth.mixins import LoginRequiredMixin


class OrganisationScopedMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; objects outside the user's organisations are 404.

    ``scope`` names the queryset method that limits ``model`` to what the user may
    reach, e.g. ``visible_to`` (any member) or ``score_editable_by`` (staff and the
    working group). Returning 404 rather than 403 never confirms that an object exists.
    """

    model = None
    scope = "visible_to"

    def get_queryset(self):
        return getattr(self.model.objects, self.scope)(self.request.user)
