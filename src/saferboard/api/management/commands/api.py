"""``saferboard api``: make and revoke API tokens, and write the OpenAPI schema.

saferboard api token create --user USERNAME --scope read|write [--name NAME]
                            [--organisation SLUG]
saferboard api token revoke ID
saferboard api schema [--output PATH]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferboard.core.models import Organisation, User


class Command(BaseCommand):
    help = "Manage API tokens and the OpenAPI schema."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        token = sub.add_parser("token", help="make or revoke API tokens")
        actions = token.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token; prints it once")
        create.add_argument("--user", required=True, help="the username the token acts as")
        create.add_argument("--scope", required=True, choices=["read", "write"])
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument(
            "--organisation",
            default="",
            help="the organisation's slug (needed if the user belongs to several)",
        )
        revoke = actions.add_parser("revoke", help="revoke a token by its number")
        revoke.add_argument("id", type=int)
        schema = sub.add_parser("schema", help="print or write the OpenAPI schema")
        schema.add_argument(
            "--output", default="", help="write to this file (e.g. docs/openapi.json)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["area"] == "schema":
            self._schema(options["output"])
        elif options["action"] == "create":
            self._create(options)
        else:
            self._revoke(options["id"])

    def _create(self, options: dict[str, Any]) -> None:
        from saferboard.api.tokens import TokenRefused, create_token

        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}")
        try:
            made = create_token(
                user, organisation=organisation, scope=options["scope"], name=options["name"]
            )
        except TokenRefused as refused:
            raise CommandError(str(refused)) from None
        token = made.token
        self.stdout.write(
            f"Token {token.pk} ({token.scope}) for {user.get_username()} at "  # type: ignore[attr-defined]
            f"{token.organisation.name}; capabilities: {', '.join(token.capabilities)}"  # type: ignore[attr-defined]
        )
        self.stdout.write("Copy it now; it is not stored and will not be shown again:")
        self.stdout.write(made.key)

    def _revoke(self, token_id: int) -> None:
        from saferboard.api.models import ApiToken
        from saferboard.api.tokens import revoke_token

        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No token {token_id}")
        if revoke_token(token):
            self.stdout.write(f"Token {token_id} revoked")
        else:
            self.stdout.write(f"Token {token_id} was already revoked")

    def _schema(self, output: str) -> None:
        from saferboard.api.routes import schema_json

        text = schema_json()
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
