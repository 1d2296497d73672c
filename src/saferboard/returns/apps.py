from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "saferboard.returns"
    label = "returns"
    verbose_name = "Partner data returns"
