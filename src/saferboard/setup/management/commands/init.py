"""``saferboard init``: set up a new installation's partnership and first administrator."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import NoReverseMatch

from saferboard.core.invitations import set_password_url
from saferboard.crime.sources import SOURCE_LABELS
from saferboard.setup.areas import UnknownArea, resolve_local_authority
from saferboard.setup.initialise import (
    InitRefused,
    InitResult,
    check_admin,
    initialise,
    parse_month,
    refusal,
)

# The address printed links use where SABO_BASE_URL is not set (demo and test modes
# only: production refuses to start without it).
LOCAL_BASE_URL = "http://127.0.0.1:8000"

# (option, destination, prompt, required)
QUESTIONS = [
    ("--partnership", "partnership", "Partnership name", True),
    ("--area", "area", "Local authority (name or ONS code, e.g. E09000006)", True),
    ("--admin", "admin", "Administrator's username", True),
    ("--admin-email", "admin_email", "Administrator's email address", True),
    ("--admin-name", "admin_name", "Administrator's full name (Enter to skip)", False),
]


class Command(BaseCommand):
    help = (
        "Set up a new installation: the partnership, its local authority, police force and "
        "crime source, the standard measures and RAG rules, and the first administrator, "
        "who signs in with a one-time link (valid 24 hours)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--partnership", help="the partnership's name")
        parser.add_argument(
            "--area", help="its local authority: a name (any case) or an ONS code (E09000006)"
        )
        parser.add_argument("--admin", help="the first administrator's username")
        parser.add_argument("--admin-email", help="the first administrator's email address")
        parser.add_argument("--admin-name", help="the first administrator's full name")
        parser.add_argument(
            "--financial-year-start",
            default="4",
            help="the month the financial year starts: 1-12 or a name (default 4, April)",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="never prompt: a missing option is an error",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        reason = refusal()
        if reason:
            raise CommandError(reason)
        answers = self._answers(options)
        try:
            month = parse_month(options["financial_year_start"])
            result = initialise(
                partnership_name=answers["partnership"],
                area=answers["area"],
                admin_username=answers["admin"],
                admin_email=answers["admin_email"],
                admin_name=answers.get("admin_name") or "",
                financial_year_start=month,
            )
        except (InitRefused, UnknownArea, ValueError) as error:
            raise CommandError(str(error)) from None
        self._report(result)

    def _answers(self, options: dict[str, Any]) -> dict[str, str]:
        """Each answer from its option, else (unless --no-input) from a prompt that asks
        again until the answer is usable."""
        checks: dict[str, Callable[[str], object]] = {"area": resolve_local_authority}
        answers: dict[str, str] = {}
        for option, dest, prompt, required in QUESTIONS:
            value = (options.get(dest) or "").strip()
            if value or (not required and options["no_input"]):
                answers[dest] = value
                continue
            if options["no_input"]:
                raise CommandError(f"{option} is required with --no-input.")
            answers[dest] = self._ask(prompt, required, checks.get(dest))
            if dest == "admin_email":
                # Checked here rather than at the end, so a typo costs one question.
                while True:
                    try:
                        check_admin(answers["admin"], answers["admin_email"])
                        break
                    except ValueError as error:
                        self.stderr.write(str(error))
                        if "username" in str(error):
                            answers["admin"] = self._ask("Administrator's username", True)
                        else:
                            answers["admin_email"] = self._ask(prompt, True)
        return answers

    def _ask(
        self, prompt: str, required: bool, check: Callable[[str], object] | None = None
    ) -> str:
        while True:
            try:
                value = input(f"{prompt}: ").strip()
            except (EOFError, OSError):  # no terminal to answer from
                raise CommandError(f"No answer to {prompt!r}: give it as an option.") from None
            if not value and not required:
                return ""
            if not value:
                self.stderr.write("An answer is needed.")
                continue
            if check is not None:
                try:
                    check(value)
                except ValueError as error:
                    self.stderr.write(str(error))
                    continue
            return value

    def _report(self, result: InitResult) -> None:
        partnership = result.partnership
        authority = partnership.local_authority
        write = self.stdout.write
        write(self.style.SUCCESS(f"Partnership set up: {partnership.name}"))
        write(f"  Local authority: {authority}")  # "Bromley (E09000006)"
        forces = ", ".join(f.name for f in partnership.forces.all())
        write(f"  Police force: {forces or 'not known yet (see below)'}")
        write(
            f"  Preferred crime source: {SOURCE_LABELS[partnership.crime_source]} "
            "(changeable on the partnership settings page)"
        )
        write(f"  Financial year starts in {calendar.month_name[partnership.financial_year_start]}")
        write("  Organisations: " + ", ".join(o.name for o in result.organisations))
        write("  Standard measures and RAG rules: in place")
        for note in result.notes:
            write(self.style.WARNING(note))
        user = result.administrator
        try:
            link = set_password_url(user, settings.SABO_BASE_URL or LOCAL_BASE_URL)
        except NoReverseMatch:  # the set-password page is not installed
            write(
                f"\nAdministrator {user.username} has no password yet: set one with "
                f"`saferboard changepassword {user.username}`."
            )
            return
        write(
            f"\nAdministrator {user.username} ({user.email}) signs in by setting a password "
            "at this one-time link (valid for 24 hours):"
        )
        write(f"  {link}")
        write("\nThen follow the set-up checklist on the home page, or see docs/setting-up.md.")
