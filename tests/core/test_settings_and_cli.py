"""Production settings fail fast; the console script documents its commands."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from saferboard.cli import USAGE, main


def _run_settings(env_overrides: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SABO_MODE", "DEBUG"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import saferboard.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


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
            "SECRET_KEY": "x" * 50,
            "PSEUDONYM_KEY": "y" * 50,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["False", "True", "True", "31536000"]


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
