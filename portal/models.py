"""The shell's own record: password-reset requests, counted by the reset throttle."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One password-reset e-mail asked for: the throttle counts them per client address and per e-mail address."""

    ip_address = models.GenericIPAddressField(_("адрес клиента"), null=True, blank=True)
    email_hash = models.CharField(_("адрес почты (хеш)"), max_length=64)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("запрос на восстановление пароля")
        verbose_name_plural = _("запросы на восстановление пароля")
        indexes = [
            models.Index(fields=["ip_address", "created_at"], name="pwreset_ip_created"),
            models.Index(fields=["email_hash", "created_at"], name="pwreset_email_created"),
        ]

    def __str__(self) -> str:
        return f"{self.ip_address} {self.created_at:%d.%m.%Y %H:%M}"

    @staticmethod
    def hash_email(email: str) -> str:
        return hashlib.sha256(email.strip().casefold().encode()).hexdigest()

    @classmethod
    def allow(cls, *, ip_address: str | None, email: str) -> bool:
        """Record the request and say yes, or say no (and record nothing) when either limit is reached."""
        since = timezone.now() - settings.PASSWORD_RESET_WINDOW
        cls.objects.filter(created_at__lt=since).delete()
        email_hash = cls.hash_email(email)
        recent = cls.objects.filter(created_at__gte=since)
        limit = settings.PASSWORD_RESET_LIMIT
        if recent.filter(email_hash=email_hash).count() >= limit:
            return False
        if ip_address and recent.filter(ip_address=ip_address).count() >= limit:
            return False
        cls.objects.create(ip_address=ip_address, email_hash=email_hash)
        return True
