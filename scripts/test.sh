#!/usr/bin/env bash
# Set up everything the tests need (Python and npm packages, Chromium, PostgreSQL), then:
#
#   ./scripts/test.sh              gates (ruff, formatting, migrations, lock file, bandit,
#                                  mypy), the suite on SQLite and on PostgreSQL, the
#                                  browser journeys with axe, and a seeded slice of the
#                                  fuzzing (150 cases per property) and of the
#                                  SIGKILL fault tests (2 kills per target)
#   ./scripts/test.sh --thorough   all that, then the release run: 10,000 cases per
#                                  property and 25 kills per target
#   ./scripts/test.sh --fuzz-only  only the fuzz and fault slice (replaying a seed)
#
# The seed is derived from the commit, so each commit explores new cases, and printed:
# `HYPOTHESIS_SEED=N ./scripts/test.sh --fuzz-only` replays a failure exactly
# (docs/reliability.md, "Fuzzing"). Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never

mode=default
for arg in "$@"; do
  case "$arg" in
    --thorough) mode=thorough ;;
    --fuzz-only) mode=fuzz-only ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

started_at=$(date +%s)
stage_at=""
# Prints the time the previous stage took, then the next stage's name.
stage() {
  local now
  now=$(date +%s)
  [ -z "$stage_at" ] || echo "    ($(( now - stage_at )) s)"
  stage_at=$now
  echo "==> $*"
}

# One seed for every randomised test of this run: the commit's first 8 hex digits, or
# the clock outside a git checkout. Set HYPOTHESIS_SEED (and FAULT_SEED) to replay.
if [ -z "${HYPOTHESIS_SEED:-}" ]; then
  commit=$(git rev-parse HEAD 2>/dev/null || true)
  if [ -n "$commit" ]; then HYPOTHESIS_SEED=$((16#${commit:0:8})); else HYPOTHESIS_SEED=$(date +%s); fi
fi
export HYPOTHESIS_SEED
export FAULT_SEED="${FAULT_SEED:-$HYPOTHESIS_SEED}"
echo "==> seed: HYPOTHESIS_SEED=$HYPOTHESIS_SEED FAULT_SEED=$FAULT_SEED"
echo "    replay: HYPOTHESIS_SEED=$HYPOTHESIS_SEED FAULT_SEED=$FAULT_SEED ./scripts/test.sh --fuzz-only"

# The demo partnership is loaded once per database engine for the whole run, not once
# per stage and test process (tests/demo_snapshot.py, "cached").
SABO_DEMO_SNAPSHOT_CACHE=$(mktemp -d -t sabo-demo-snapshot.XXXXXX)
export SABO_DEMO_SNAPSHOT_CACHE
cleanup() { rm -rf "$SABO_DEMO_SNAPSHOT_CACHE"; }
trap cleanup EXIT

stage "set-up: Python and npm packages"
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

# pytest exit code 5 means "no tests collected": treat it as the failure it is.
run_pytest() {
  local code=0
  uv run pytest -p no:cacheprovider --hypothesis-seed="$HYPOTHESIS_SEED" "$@" || code=$?
  if [ "$code" -eq 5 ]; then echo "no tests were collected: failing" >&2; return 1; fi
  return "$code"
}

fuzz_and_faults() {
  stage "fuzz slice (${SABO_FUZZ_EXAMPLES:-150} cases per property) and fault slice (2 kills per target), SQLite"
  HYPOTHESIS_PROFILE=ci run_pytest -q -n 2 --dist loadgroup -m "(fuzz or faults) and not slow" tests
}

if [ "$mode" = fuzz-only ]; then
  fuzz_and_faults
  stage "fuzz and fault slice passed"
  exit 0
fi

stage "gates: ruff, formatting, migrations, lock file, bandit, mypy"
uv run ruff check src tests bench
uv run ruff format --check src tests bench
SABO_MODE=test uv run saferboard makemigrations --check --dry-run >/dev/null
uv lock --check
uv run bandit -r src -q -c pyproject.toml 2> >(grep -v "but no failed test" >&2)
uv run mypy

QUICK="not browser and not fuzz and not faults and not slow"

stage "tests on SQLite"
run_pytest -q -n 2 -m "$QUICK" tests

stage "tests on PostgreSQL"
started_pg=0
if ! pg_lsclusters -h 2>/dev/null | awk '$1=="15" && $2=="main" {print $4}' | grep -q online; then
  # A throwaway test cluster: no fsync or synchronous commit (what every test database
  # wants; crash safety is proved by the kill tests, not by this server's durability).
  pg_ctlcluster 15 main start -o "-c fsync=off" -o "-c synchronous_commit=off" \
    -o "-c full_page_writes=off"
  started_pg=1
fi
stop_pg() { if [ "$started_pg" = 1 ]; then pg_ctlcluster 15 main stop || true; fi; }
trap 'stop_pg; cleanup' EXIT
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='saferboard'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE saferboard LOGIN CREATEDB PASSWORD 'saferboard'\""
# Only the tests that touch the database: the rest ran the same code on SQLite already.
DATABASE_URL="postgres://saferboard:saferboard@127.0.0.1:5432/saferboard" \
  SABO_DATABASE_TESTS_ONLY=1 run_pytest -q -n 2 -m "$QUICK" tests

stage "browser journeys (Chromium, axe-core)"
# Two at a time: each journey has its own live server, database, data folder and Chromium
# profile, and most of a journey's time is the browser waiting on a page.
run_pytest -q -n 2 -m browser tests/e2e

fuzz_and_faults

if [ "$mode" = thorough ]; then
  stage "thorough: 10,000 cases per property and 25 kills per target (SQLite)"
  HYPOTHESIS_PROFILE=thorough run_pytest -q -n 2 --dist loadgroup -m "fuzz or (faults and slow)" tests
fi

stage "all tests passed in $(( $(date +%s) - started_at )) s"
