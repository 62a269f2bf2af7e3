"""The one rule every organisation-owned view follows, in this order:

1. login — an anonymous visitor goes to the login page, before anything is looked up;
2. scope — ``load()`` fetches what the page is about through the user's scope (``visible_to``),
   so an object outside the user's organisations is a 404 that never confirms it exists, and sets
   ``self.organisation``;
3. action — ``action`` (any request) and ``write_action`` (a POST only) are the actions the view
   needs in that organisation (``ita_portal.permissions``): a member whose role may not take
   them gets the 403 page naming who may. A page across organisations (the dashboard, the
   batch) names ``across_action`` instead, held in at least one of them. No view calls
   ``permissions.require`` itself;
4. state — ``ready()`` may still answer instead (a plan no longer editable: back to the plan);
5. a stale save — a service's ``StaleEdit`` becomes the Thai refusal on ``self.form`` (the form
   that carried the version), keeping what was typed, re-rendered by ``form_invalid``.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404

from . import permissions
from .logs import bind_organisation
from .stale import StaleEdit, refuse_stale

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class OrganisationScopedMixin(LoginRequiredMixin):
    """``scope`` names the queryset method that limits ``model`` to what the user may reach, e.g.
    ``visible_to`` (any member) or ``score_editable_by`` (staff and the working group)."""

    model = None
    scope = "visible_to"
    action: permissions.Action | None = None
    write_action: permissions.Action | None = None
    across_action: permissions.Action | None = None  # a page across organisations: held in one at least
    refusal: str | None = None  # the 403's words for ``across_action``, when not the table's own
    organisation = None  # set by load() for a view with an action
    form = None  # the form being saved, for the stale refusal

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

    def get_form(self, form_class=None):
        self.form = super().get_form(form_class)
        return self.form

    def dispatch(self, request, *args, **kwargs):
        # Login first, so ``load`` never looks anything up for an anonymous visitor.
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        answer = self.load(request, *args, **kwargs)
        if answer is not None:
            return answer
        self.require_actions(request)
        answer = self.ready(request)
        if answer is not None:
            return answer
        try:
            return super().dispatch(request, *args, **kwargs)
        except StaleEdit as exc:
            return self.stale(exc)

    def stale(self, exc: StaleEdit):
        """Someone saved first: the refusal on ``self.form``, what was typed kept, the next save
        going through. A page of many forms (the OIT register) answers for all of them."""
        if self.form is None:
            raise exc
        refuse_stale(self.form, exc, exc.current_version)
        return self.form_invalid(self.form)

    def load(self, request, *args, **kwargs):
        """The one hook for a view to fetch what its page is about (the user is logged in): set
        attributes (``self.organisation`` for a view with an action), raise Http404, or return a
        response to answer with instead."""
        return None

    def ready(self, request):
        """After the action check: a response to answer with instead, or None to go on."""
        return None

    def require_actions(self, request) -> None:
        if self.across_action and not permissions.anywhere(request.user, self.across_action):
            raise PermissionDenied(self.refusal or permissions.REFUSALS[self.across_action])
        needed = [self.action, None if request.method in SAFE_METHODS else self.write_action]
        for action in filter(None, needed):
            if self.organisation is None:
                raise ImproperlyConfigured(f"{type(self).__name__}.load() must set self.organisation")
            permissions.require(request.user, self.organisation, action)
