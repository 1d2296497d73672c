from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "saferboard.reports"
    label = "reports"
    verbose_name = "Board packs"
