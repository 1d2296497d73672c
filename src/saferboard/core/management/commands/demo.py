"""Create the database, load the demo partnership (idempotently) and serve it."""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from saferboard.core import demo as core_demo
from saferboard.core.management.commands.serve import serve


def load_demo() -> list[tuple[str, str, str]]:
    """Load the demo into the configured database; return the sign-in rows.

    Core people first, then each Saferboard app's ``demo.load(partnership)`` in
    INSTALLED_APPS order, so an app adds its own demo data without touching this file.
    """
    partnership, sign_ins = core_demo.load()
    for config in apps.get_app_configs():
        if not config.name.startswith("saferboard.") or config.name == "saferboard.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        module.load(partnership)
    return sign_ins


class Command(BaseCommand):
    help = "Load the demo partnership into the configured database, then serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load the demo only")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Loading the demo partnership…")
        sign_ins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo partnership loaded."))
        self.stdout.write("\nDemo sign-in details (every account uses the same demo password):")
        width = max(len(u) for u, _, _ in sign_ins)
        for username, password, what in sign_ins:
            self.stdout.write(f"  {username:<{width}}  {password}  {what}")
        if options["no_serve"]:
            return
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(f"\nServing Saferboard at {url} (Ctrl+C to stop)\n")
        self.stdout.flush()
        serve(options["host"], options["port"])
