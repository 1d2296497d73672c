"""Production settings fail fast; the console script documents its commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from saferboard.cli import USAGE, main


def _run_settings(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "PSEUDONYM_KEY", "SABO_MODE", "DEBUG"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import saferboard.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


# Made at run time so no key-like literal sits in the repository (the secret scan).
STRONG_KEY = "".join(chr(ord("a") + (i * 7) % 26) for i in range(60))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DEBUG": "true"}, "DEBUG=true is refused in production"),
        ({"SECRET_KEY": "abc"}, "SECRET_KEY is too short or too plain (3 characters)"),
        ({"SECRET_KEY": "k" * 60}, "SECRET_KEY is too short or too plain"),
        (
            {"SECRET_KEY": "insecure-demo-key-not-for-production"},
            "SECRET_KEY is a public demonstration key",
        ),
        ({"PSEUDONYM_KEY": "short"}, "PSEUDONYM_KEY is too short or too plain"),
        (
            {"PSEUDONYM_KEY": "insecure-demo-pseudonym-key"},
            "PSEUDONYM_KEY is a public demonstration key",
        ),
    ],
)
def test_production_refuses_debug_and_weak_keys(overrides: dict[str, str], message: str) -> None:
    """Issue 18, finding 6: DEBUG=true in production fell back to the public demo keys and
    dropped Secure cookies and HSTS; a 3-character SECRET_KEY was accepted."""
    result = _run_settings(
        {
            "SABO_MODE": "production",
            "SECRET_KEY": STRONG_KEY,
            "PSEUDONYM_KEY": STRONG_KEY[::-1],
            **overrides,
        }
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_is_allowed_in_the_demo() -> None:
    assert _run_settings({"SABO_MODE": "demo", "DEBUG": "true"}).returncode == 0


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _run_settings({"SABO_MODE": "production"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_keys_and_secure_defaults() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import saferboard.settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)",
        ],
        env={
            **{k: v for k, v in os.environ.items() if k not in {"SABO_MODE", "DEBUG"}},
            "SABO_MODE": "production",
            "SECRET_KEY": STRONG_KEY,
            "PSEUDONYM_KEY": STRONG_KEY[::-1],
            "SABO_BASE_URL": "https://saferboard.example.gov.uk/",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "True", "True", "31536000"]


def test_production_refuses_to_start_without_base_url() -> None:
    """Issue 16: links in invitation and password emails use the configured address."""
    result = _run_settings(
        {"SABO_MODE": "production", "SECRET_KEY": STRONG_KEY, "PSEUDONYM_KEY": STRONG_KEY[::-1]}
    )
    assert result.returncode != 0
    assert "SABO_BASE_URL is not set" in result.stderr


def test_demo_mode_needs_no_secret_key() -> None:
    assert _run_settings({"SABO_MODE": "demo"}).returncode == 0


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--help"])
    out = capsys.readouterr().out
    assert out == USAGE
    for command in ("demo [--no-serve]", "serve [--host H] [--port P]", "migrate"):
        assert command in out


def test_serve_command_documents_its_options() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "saferboard", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SABO_MODE": "test"},
    )
    assert "--host" in result.stdout and "--port" in result.stdout


@pytest.mark.django_db
def test_createsuperuser_noinput_validates_the_password(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Issue 18, finding 8: ``createsuperuser --noinput`` accepted the password 123."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from saferboard.core.models import User

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "123")
    with pytest.raises(CommandError, match="refused: This password is too short"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    assert not User.objects.filter(username="root").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG_KEY[:20])
    call_command(
        "createsuperuser", "--noinput", username="root", email="root@example.org", verbosity=0
    )
    assert User.objects.get(username="root").check_password(STRONG_KEY[:20])
