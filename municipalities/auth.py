"""Who may sign in, by any door: the login page, a session, an API token, the calendar feed, password reset."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def may_sign_in(user) -> bool:
    """Active people only; demo people only while the portal runs in demo mode (``PORTAL_DEMO``)."""
    if user is None or not getattr(user, "is_active", False):
        return False
    return settings.DEMO or not getattr(user, "is_demo", False)


class PortalBackend(ModelBackend):
    """The standard backend, except that demo users may sign in only in demo mode.

    Django asks the backend again for the user of every request with a session, so a demo user's
    session stops working too when demo mode is switched off."""

    def user_can_authenticate(self, user) -> bool:
        return may_sign_in(user) and super().user_can_authenticate(user)


class PortalTokenAuthentication(TokenAuthentication):
    """API tokens, refused for whoever may not sign in (a demo account outside demo mode)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not may_sign_in(user):
            raise exceptions.AuthenticationFailed(_("Эта учётная запись не может входить в портал."))
        return user, token
