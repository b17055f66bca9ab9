from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Уведомления и напоминания"

    def ready(self) -> None:
        from portal.audit import register_models

        register_models()
