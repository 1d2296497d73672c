from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferboard.core"
    label = "core"
    verbose_name = "Saferboard core"

    def ready(self) -> None:
        from saferboard.core import signals  # noqa: F401  (connects auth audit receivers)
