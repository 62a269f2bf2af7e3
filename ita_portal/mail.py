"""The portal's e-mail: every message Thai, as plain text and HTML, signed with the portal's
address (``PORTAL_URL``), sent through ``EMAIL_URL``'s server."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def send_mail(to: str, subject: str, template: str, context: dict) -> None:
    """Send ``template``'s ``.txt`` and ``.html`` (under ``templates/``) to ``to``; a link in the
    context is a path, made whole with the portal's address. Raises what the server says."""
    context = {**context, "portal_url": settings.PORTAL_URL}
    if "link" in context:
        context["link"] = settings.PORTAL_URL + context["link"]
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
