from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "saferboard.panels"
    label = "panels"
    verbose_name = "Multi-agency panels"
