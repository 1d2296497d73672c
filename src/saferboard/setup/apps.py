from django.apps import AppConfig


class SetupConfig(AppConfig):
    """Setting a partnership up without a developer: ``saferboard init``, the set-up
    checklist, the settings hub and the set-up workbook."""

    name = "saferboard.setup"
    label = "setup"
    verbose_name = "Set-up"
