"""``createsuperuser``, with the password checked in ``--noinput`` mode too.

Django validates a typed password but sets ``DJANGO_SUPERUSER_PASSWORD`` unchecked, so
``createsuperuser --noinput`` accepted ``123`` for an account that can see everything
(issue 18). Here the environment's password goes through the same validators
(``AUTH_PASSWORD_VALIDATORS``: 12 characters, not common, not all digits, not like the
username) first, and the command stops if any refuses it. Saferboard's core app is
listed before ``django.contrib.auth`` so that this command replaces Django's.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from saferboard.core.models import User


class Command(createsuperuser.Command):
    help = "Create an administrator account (the password is validated, even with --noinput)."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options.get("interactive", True) and password is not None:
            field = User.USERNAME_FIELD
            fields = {
                field: options.get(field)
                or os.environ.get(f"DJANGO_SUPERUSER_{field.upper()}", ""),
                "email": options.get("email") or os.environ.get("DJANGO_SUPERUSER_EMAIL", ""),
            }
            try:
                validate_password(password, User(**fields))
            except ValidationError as error:
                raise CommandError(
                    "The password in DJANGO_SUPERUSER_PASSWORD is refused: "
                    + " ".join(error.messages)
                ) from None
        super().handle(*args, **options)
