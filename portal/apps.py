from auditlog.apps import AuditlogConfig as BaseAuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Портал"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from portal.audit import register_models
        from portal.sqlite import install_unicode_like

        register_models()
        connection_created.connect(install_unicode_like, dispatch_uid="portal_unicode_like")


# django-axes' own Russian («Логи доступа», «Запись о попытке доступа») reads like a translation; the admin
# shows these names instead. Only the display names change (not ``original_attrs``), so no migration of axes.
AXES_NAMES = {
    "AccessAttempt": ("неудачные попытки входа (блокировка)", "неудачные попытки входа (блокировка)"),
    "AccessFailureLog": ("неудачный вход", "журнал неудачных входов"),
    "AccessLog": ("вход в портал", "журнал входов"),
}


class AxesConfig(AxesAppConfig):
    """django-axes under a Russian heading in the admin."""

    verbose_name = "Входы в портал"

    def ready(self) -> None:
        super().ready()
        for name, (single, plural) in AXES_NAMES.items():
            meta = self.get_model(name)._meta
            meta.verbose_name, meta.verbose_name_plural = single, plural


class AuditlogConfig(BaseAuditlogConfig):
    """django-auditlog under a Russian heading in the admin."""

    verbose_name = "Журнал аудита"
