"""The `saferboard --help` text and the code agree: every Saferboard command is documented."""

from __future__ import annotations

import re

from django.core.management import get_commands

from saferboard.cli import USAGE


def saferboard_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("saferboard.")}


def test_every_saferboard_command_is_in_the_help_text() -> None:
    documented = set(re.findall(r"^  ([a-z][a-z-]*)\b", USAGE, re.M))
    missing = saferboard_commands() - documented
    assert not missing, f"document these commands in saferboard.cli.USAGE: {sorted(missing)}"


def test_help_text_names_no_command_that_does_not_exist() -> None:
    documented = set(re.findall(r"^  ([a-z][a-z-]*)\b", USAGE.split("Settings come")[0], re.M))
    django_builtins = {"migrate", "createsuperuser", "help"}
    unknown = documented - saferboard_commands() - django_builtins
    assert not unknown, f"USAGE documents commands that do not exist: {sorted(unknown)}"
