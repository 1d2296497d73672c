#!/usr/bin/env bash
# Set up everything the tests need (Python and npm packages, Chromium, PostgreSQL),
# run the quality gates, then the whole suite on SQLite and on PostgreSQL, then the
# browser journeys, then the long marked run (10,000 generated cases per importer and
# form, 25 SIGKILLs per import; SABO_SKIP_SLOW=1 skips it on a laptop).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

bash scripts/setup.sh

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
}
apt_install chromium chromium-driver postgresql poppler-utils fonts-liberation2

echo "==> gates: ruff, formatting, migrations, lock file, bandit"
uv run ruff check src tests bench
uv run ruff format --check src tests bench
SABO_MODE=test uv run saferboard makemigrations --check --dry-run >/dev/null
uv lock --check
uv run bandit -r src -q -c pyproject.toml 2> >(grep -v "but no failed test" >&2)

# pytest exit code 5 means "no tests collected": treat it as the failure it is.
run_pytest() {
  local code=0
  uv run pytest "$@" || code=$?
  if [ "$code" -eq 5 ]; then echo "no tests were collected: failing" >&2; return 1; fi
  return "$code"
}

echo "==> tests on SQLite"
run_pytest -q -n 2 -m "not browser and not slow" tests

echo "==> tests on PostgreSQL"
started_pg=0
if ! pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster 15 main start
  started_pg=1
fi
stop_pg() { if [ "$started_pg" = 1 ]; then pg_ctlcluster 15 main stop || true; fi; }
trap stop_pg EXIT
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='saferboard'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE saferboard LOGIN CREATEDB PASSWORD 'saferboard'\""
DATABASE_URL="postgres://saferboard:saferboard@127.0.0.1:5432/saferboard" \
  run_pytest -q -n 2 -m "not browser and not slow" tests

echo "==> browser journeys (Chromium, axe-core)"
run_pytest -q -m browser tests/e2e

if [ "${SABO_SKIP_SLOW:-0}" != 1 ]; then
  echo "==> long run: fuzzed imports (10,000 cases each) and killed imports (SQLite)"
  HYPOTHESIS_PROFILE=thorough run_pytest -q -n 2 -m slow tests
fi

echo "==> all tests passed"
