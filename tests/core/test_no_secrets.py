"""No secrets in the repository: a scan of every file git tracks (or would add).

The scan runs in the normal test command (scripts/test.sh), so a private key, a cloud or
chat token, or a real-looking password committed by mistake fails the build. It looks
for well-known token formats and for string values assigned to secret-like names
(``SECRET_KEY``, ``password``, ``api_key``…). The few values that are public by design
(the demo password, the test password, the insecure keys used outside production) are
listed in ``ALLOWED_VALUES``; anything else fails. The planted-secret tests prove the
scanner finds each kind, so the repository test cannot pass by finding nothing.
See docs/security.md.
"""

from __future__ import annotations

import math
import random
import re
import secrets
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Values that look like secrets but are public by design. Each must still occur in the
# repository (test_every_allowed_value_is_still_used), so the list cannot go stale.
ALLOWED_VALUES = frozenset(
    {
        "saferboard-demo",  # demo password printed by `saferboard demo` (core/demo.py, bench)
        "correct-horse-battery-staple",  # TEST_PASSWORD in tests/factories.py
        "insecure-demo-key-not-for-production",  # settings.SECRET_KEY outside production
        "insecure-demo-pseudonym-key",  # settings.PSEUDONYM_KEY outside production
        "fault-injection-secret-key",  # throwaway installations in tests/faults
        "fault-injection-pseudonym-key",  # throwaway installations in tests/faults
        "Lantern-harbour-2026",  # throwaway accounts of tests/e2e/test_setup_journey.py
    }
)
# Passwords inside URLs that are public by design.
ALLOWED_URL_PASSWORDS = frozenset(
    {
        "saferboard",  # the local test database role on loopback (scripts/test.sh, docs)
        "pass",  # the placeholder in `saferboard` CLI help: postgres://user:pass@host/db
    }
)

# Files bigger than this are data, not configuration or code (and are scanned by nobody).
MAX_BYTES = 5_000_000

# Well-known token formats: (rule, pattern).
TOKEN_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("private key block", re.compile(r"-{5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-{5}")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w{22,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    (
        "Slack webhook",
        re.compile(r"hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}"),
    ),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}")),
    ("Stripe live key", re.compile(r"\b[rs]k_live_[0-9A-Za-z]{20,}")),
    ("Saferboard API token", re.compile(r"\bsabo_[A-Za-z0-9_-]{40,}")),
)

# A password inside a URL: scheme, '://', user, ':', password, '@', host.
URL_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]+:(?P<password>[^/\s:@'\"]+)@")

# A string value assigned to a secret-like name: `name = "value"`, `"name": "value"`,
# `name: value` (YAML) or `NAME=value` (shell, .env). Password-like names are checked
# whatever the value looks like; key- and token-like names when the value is random-looking.
_PASSWORDISH = "|".join(["passw(?:or)?d", "passwd", "pwd", "secret", "credential"])
_KEYISH = (
    r"token|(?:secret|signing|encryption|pseudonym|private|api|access|auth|master|hmac)[_-]?key"
    r"|apikey"
)
ASSIGNMENT = re.compile(
    r"(?P<name>[A-Za-z0-9_.-]*(?:" + _PASSWORDISH + "|" + _KEYISH + r")[A-Za-z0-9_.-]*)"
    r"""["']?\s*(?::=|:|=)\s*"""
    r"""(?:[rRbBuU]?(?P<quote>["'])(?P<quoted>[^"'\n]*)(?P=quote)"""
    r"""|(?P<bare>[A-Za-z0-9+/=_.~-]{16,})(?=\s|$|[;,]))""",
    re.IGNORECASE,
)
PASSWORDISH_NAME = re.compile(_PASSWORDISH, re.IGNORECASE)
# Bare (unquoted) values are only assignments in configuration and shell files; in code
# they are expressions (`token = make_token()`).
BARE_VALUE_SUFFIXES = {".env", ".sh", ".bash", ".cfg", ".ini", ".toml", ".yaml", ".yml"}


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


def entropy(text: str) -> float:
    """Shannon entropy in bits per character (random base64 is about 5 or more)."""
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def _is_placeholder(value: str) -> bool:
    """A reference to a secret kept elsewhere, not the secret: $VAR, ${VAR}, <...>, {{ }}."""
    return value.startswith(("$", "<", "{", "%", "*"))


def _secret_assignment(match: re.Match[str], bare_allowed: bool) -> str | None:
    value = match["quoted"]
    if value is None:
        if not bare_allowed:
            return None
        value = match["bare"]
    if value in ALLOWED_VALUES or _is_placeholder(value) or re.search(r"\s", value):
        return None
    name = match["name"]
    if PASSWORDISH_NAME.search(name) and len(value) >= 8:
        return f"password or secret assigned to {name}"
    if len(value) >= 16 and entropy(value) >= 3.5:
        return f"high-entropy value assigned to {name}"
    return None


def scan_text(text: str, path: str) -> list[Finding]:
    """Every line of ``text`` that looks like it holds a secret."""
    bare_allowed = Path(path).suffix in BARE_VALUE_SUFFIXES or Path(path).name.startswith(".env")
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        for rule, pattern in TOKEN_RULES:
            if pattern.search(line):
                findings.append(Finding(path, number, rule))
        for match in URL_PASSWORD.finditer(line):
            password = match["password"]
            if password not in ALLOWED_URL_PASSWORDS and not _is_placeholder(password):
                findings.append(Finding(path, number, "password in a URL"))
        for match in ASSIGNMENT.finditer(line):
            rule = _secret_assignment(match, bare_allowed)
            if rule:
                findings.append(Finding(path, number, rule))
    return findings


def read_text(path: Path) -> str | None:
    """The file as text, or ``None`` for binary files (a NUL byte) and big data files."""
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_BYTES:
        return None
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", errors="replace")


def repository_files() -> list[str]:
    """Tracked files, and untracked ones git would add (not ignored), relative to ROOT."""
    result = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return sorted({p for p in result.stdout.decode().split("\0") if p})


def scan_repository() -> list[Finding]:
    findings = []
    for relative in repository_files():
        text = read_text(ROOT / relative)
        if text is not None:
            findings.extend(scan_text(text, relative))
    return findings


needs_git = pytest.mark.skipif(
    not (ROOT / ".git").exists(), reason="not a git checkout: no file list to scan"
)


@needs_git
def test_repository_has_no_secrets() -> None:
    findings = scan_repository()
    assert not findings, (
        "Possible secrets in the repository (remove them, or if a value is public by design "
        "add it to ALLOWED_VALUES with the reason):\n" + "\n".join(map(str, findings))
    )


@needs_git
def test_the_scan_covers_the_tree() -> None:
    files = repository_files()
    assert "src/saferboard/settings.py" in files
    assert "tests/core/test_no_secrets.py" in files
    assert len(files) > 100


@needs_git
def test_every_allowed_value_is_still_used() -> None:
    """An allow-list entry whose value left the repository must leave the list too."""
    texts = [read_text(ROOT / p) or "" for p in repository_files()]
    this_file = Path(__file__).read_text(encoding="utf-8")
    for value in ALLOWED_VALUES | ALLOWED_URL_PASSWORDS:
        used = [t for t in texts if value in t and t != this_file]
        assert used, f"{value!r} is allowed but no longer in the repository"


# Planted secrets, built at run time so that no literal secret is ever in this file.
PLANTED = {
    "private key block": "-----BEGIN " + "RSA PRIVATE KEY-----",
    "AWS access key id": 'aws_id = "AKIA' + "Q3WJ7XK2M4PZ8RTN" + '"',
    "GitHub token": "GITHUB=ghp" + "_" + secrets.token_hex(20),
    "Slack token": "slack: xoxb" + "-123456789012-123456789012-" + secrets.token_hex(12),
    "Saferboard API token": "Authorization: Bearer sabo" + "_" + secrets.token_urlsafe(32),
    "password in a URL": "DATABASE_URL=postgres://admin:" + "Tr0ub4dor-x9" + "@db.example/prod",
    "password or secret assigned to DB_PASSWORD": 'DB_PASSWORD = "' + "hunter2hunter2" + '"',
    "password or secret assigned to SECRET_KEY": 'SECRET_KEY = "' + secrets.token_hex(8) + '"',
    "high-entropy value assigned to SIGNING_KEY": (
        'SIGNING_KEY = "' + secrets.token_urlsafe(40) + '"'
    ),
    # Each hex digit three times, shuffled: exactly 4 bits a character. A random
    # token_hex(24) fell under the 3.5-bit bar now and then (a CI run on 2026-12-07).
    "high-entropy value assigned to api_key": (
        '"api_key": "' + "".join(random.Random(23).sample("0123456789abcdef" * 3, 48)) + '"'
    ),
}


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_a_planted_secret_is_found(tmp_path: Path, rule: str) -> None:
    planted = tmp_path / "settings_local.py"
    planted.write_text(f"# settings\n{PLANTED[rule]}\n", encoding="utf-8")
    findings = scan_text(read_text(planted) or "", "settings_local.py")
    assert Finding("settings_local.py", 2, rule) in findings


def test_a_bare_secret_is_found_in_an_env_file(tmp_path: Path) -> None:
    planted = tmp_path / ".env"
    planted.write_text("export API_TOKEN=" + secrets.token_urlsafe(40) + "\n", encoding="utf-8")
    assert [f.rule for f in scan_text(planted.read_text(), ".env")] == [
        "high-entropy value assigned to API_TOKEN"
    ]


def test_binary_files_are_skipped(tmp_path: Path) -> None:
    binary = tmp_path / "data.bin"
    binary.write_bytes(b"\0\1-----BEGIN " + b"RSA PRIVATE KEY-----")
    assert read_text(binary) is None


@pytest.mark.parametrize(
    "line",
    [
        'DEMO_PASSWORD = "saferboard-demo"',
        'TEST_PASSWORD = "correct-horse-battery-staple"',
        'SECRET_KEY = "insecure-demo-key-not-for-production"',
        'SECRET_KEY = env.str("SECRET_KEY", default="")',
        "token = secrets.token_urlsafe(32)",
        'SESSION_KEY = "actions_import"',
        'population_key="bromley-10-17-2020"',
        'password = "${DB_PASSWORD}"',
        "postgres://saferboard:saferboard@127.0.0.1:5432/saferboard",
        'help="a database URL, e.g. postgres://user:pass@host/db"',
    ],
)
def test_known_demo_values_and_code_are_not_flagged(line: str) -> None:
    assert scan_text(line, "example.py") == []
