#!/usr/bin/env bash
# Install what Saferboard needs to run: the Python environment (uv, from uv.lock) and
# the front-end assets (GOV.UK Frontend from npm, compiled with Arial). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

if ! command -v uv >/dev/null 2>&1; then
  echo "==> installing uv"
  python3 -m pip install --quiet --disable-pip-version-check "uv==0.13.9" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check uv
fi
echo "==> Python environment (uv sync --locked, compiled to bytecode)"
# Compiled once here because Python may not write bytecode itself (PYTHONDONTWRITEBYTECODE
# is set on some machines): without it every process compiles SciPy, pandas and Django
# from source, seconds per server worker and per test process.
uv sync --locked --compile-bytecode --quiet
uv run --no-sync python -m compileall -q src >/dev/null
echo "==> front-end assets (npm ci, GOV.UK Frontend)"
npm ci --no-audit --no-fund --loglevel=error
npm run --silent build
