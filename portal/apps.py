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
