from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "saferboard.reports"
    label = "reports"
    verbose_name = "Board packs"

    def ready(self) -> None:
        """Register the pack's section providers (:func:`reports.sections.provider`)
        once every app is loaded: the providers read the meetings, actions and youth
        justice apps, so registering here, not on first use from ``sections``, keeps
        ``sections`` (which the meetings models read) out of an import cycle."""
        from saferboard.reports import providers  # noqa: F401 - registers the providers
