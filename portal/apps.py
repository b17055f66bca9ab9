from auditlog.apps import AuditlogConfig as BaseAuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Уведомления и напоминания"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from portal.audit import register_models
        from portal.sqlite import install_unicode_like

        register_models()
        connection_created.connect(install_unicode_like, dispatch_uid="portal_unicode_like")


class AxesConfig(AxesAppConfig):
    """django-axes under a Russian heading in the admin."""

    verbose_name = "Входы в портал"


class AuditlogConfig(BaseAuditlogConfig):
    """django-auditlog under a Russian heading in the admin."""

    verbose_name = "Журнал аудита"
