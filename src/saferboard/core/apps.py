from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferboard.core"
    label = "core"
    verbose_name = "Saferboard core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from saferboard.core import (
            append_only,
            signals,  # noqa: F401  (connects auth audit receivers)
        )

        # SQLite's append-only triggers, like PostgreSQL's (see core.append_only).
        connection_created.connect(append_only.on_connection_created)
        post_migrate.connect(append_only.on_post_migrate, sender=self)
