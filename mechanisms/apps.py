from django.apps import AppConfig


class MechanismsConfig(AppConfig):
    name = "mechanisms"
    verbose_name = "Механизмы управления качеством образования"
