"""Invitations for new users: a one-time link to set their own password (no passwords travel in files)."""

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from municipalities.models import User

logger = logging.getLogger(__name__)


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def send_invitations(user_ids: list[int]) -> int:
    """Send each invited user one e-mail; a refused address is logged, never fatal. Returns how many went."""
    sent = 0
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        context = {"user": user, "link": invitation_link(user), "days": days, "portal": settings.PORTAL_NAME}
        try:
            send_mail(
                render_to_string("emails/invitation_subject.txt", context).strip(),
                render_to_string("emails/invitation.txt", context),
                None,
                [user.email],
            )
        except OSError as exc:
            logger.warning("Приглашение пользователю %s не отправлено: %s", user.username, exc)
            continue
        sent += 1
    return sent
