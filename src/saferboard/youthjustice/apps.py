from django.apps import AppConfig


class YouthjusticeConfig(AppConfig):
    name = "saferboard.youthjustice"
    label = "youthjustice"
    verbose_name = "Youth justice performance"
