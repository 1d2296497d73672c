from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "saferboard.measures"
    label = "measures"
    verbose_name = "Measures and observations"
