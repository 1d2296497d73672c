#!/usr/bin/env bash
# Load test: 25 concurrent signed-in users browsing dashboards and reports for
# DURATION seconds (default 300) against Saferboard on loopback, on PostgreSQL (default)
# or, with DB=sqlite, on the embedded SQLite default most pilots run.
# Each user opens only the pages their role may open, and thinks THINK_MIN..THINK_MAX
# milliseconds (default 1000..3000) between pages; THINK_MAX=0 measures saturation.
# A WARMUP-second run (default 30, not counted) first fills each worker's caches; its
# figures are printed too, as the cold start. Prints requests, errors and p50/p95/p99
# latency. Bounded in time and count; never targets anything but 127.0.0.1.
# SERVERS=2 (PostgreSQL only) serves from two app servers on PORT and PORT+1, each with
# its background worker, sharing one database and data directory; the users are split
# between them, and bench/load_jobs.py queues crime imports and pack builds through
# both during the run (every JOB_EVERY seconds, default 10), then reports each job done
# once (or not).
# Needs: `apt-get install wrk`; PostgreSQL running unless DB=sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
export UV_PYTHON_DOWNLOADS=never SABO_MODE=demo
DURATION=${DURATION:-300}
WARMUP=${WARMUP:-30}
THINK_MIN=${THINK_MIN:-1000}
THINK_MAX=${THINK_MAX:-3000}
USERS=${USERS:-25}
PORT=${PORT:-8123}
DB=${DB:-postgresql}
SERVERS=${SERVERS:-1}
JOB_EVERY=${JOB_EVERY:-10}
if [ "$SERVERS" != 1 ] && { [ "$SERVERS" != 2 ] || [ "$DB" = sqlite ]; }; then
  echo "SERVERS=2 needs PostgreSQL; SERVERS may be 1 or 2" >&2
  exit 2
fi
export SABO_DATA_DIR=${SABO_DATA_DIR:-$(mktemp -d /tmp/sabo-load.XXXXXX)}

if [ "$DB" = sqlite ]; then
  # The default: SQLite in the data directory, exactly as `saferboard demo` runs.
  unset DATABASE_URL
  echo "==> loading the demo into SQLite ($SABO_DATA_DIR)"
else
  name=saferboard_load
  export DATABASE_URL="postgres://saferboard:saferboard@127.0.0.1:5432/$name"
  su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS $name WITH (FORCE)' -c 'CREATE DATABASE $name OWNER saferboard'"
  echo "==> loading the demo into PostgreSQL ($name)"
fi
uv run saferboard demo --no-serve >/dev/null
echo "==> serving on 127.0.0.1:$PORT"
uv run saferboard serve --host 127.0.0.1 --port "$PORT" --workers 3 --threads 4 \
  >"$SABO_DATA_DIR/server.log" 2>&1 &
server=$!
server2=
if [ "$SERVERS" = 2 ]; then
  echo "==> and on 127.0.0.1:$((PORT + 1)) (same database and data directory)"
  uv run saferboard serve --host 127.0.0.1 --port "$((PORT + 1))" --workers 3 --threads 4 \
    >"$SABO_DATA_DIR/server2.log" 2>&1 &
  server2=$!
fi
trap 'kill $server $server2 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 1; done
if [ "$SERVERS" = 2 ]; then
  for _ in $(seq 60); do
    curl -sf "http://127.0.0.1:$((PORT + 1))/healthz" >/dev/null && break
    sleep 1
  done
fi

DJANGO_SETTINGS_MODULE=saferboard.settings uv run python - <<'PY' > bench/load-paths.txt
import django
django.setup()
from saferboard.reports.models import Pack
from saferboard.strategy.models import ReportingRound
paths = ["/", "/strategy/", "/crime/", "/crime/?source=police-uk", "/youth-justice/",
         "/youth-justice/breakdown/ethnicity/", "/actions/", "/meetings/", "/measures/",
         "/panels/", "/packs/", "/returns/"]
for r in ReportingRound.objects.prefetch_related("substantive_priorities")[:3]:
    paths.append(f"/strategy/rounds/{r.pk}/")
    paths += [f"/strategy/rounds/{r.pk}/priorities/{p.number}/" for p in r.substantive_priorities.all()]
paths += [f"/packs/{pk}/" for pk in Pack.objects.values_list("pk", flat=True)[:2]]
print("\n".join(paths))
PY
uv run python bench/load_sessions.py --base "http://127.0.0.1:$PORT" --count "$USERS" \
  --paths bench/load-paths.txt > bench/load-sessions.txt
cut -f2 bench/load-sessions.txt | tr ' ' '\n' | sort -u > bench/load-browsed.txt
echo "==> pages browsed ($(wc -l < bench/load-browsed.txt)): $(tr '\n' ' ' < bench/load-browsed.txt)"
echo "==> warm-up: $USERS users for ${WARMUP}s without thinking (not counted)"
wrk -t "$USERS" -c "$USERS" -d "${WARMUP}s" --timeout 10s -s bench/load.lua \
  "http://127.0.0.1:$PORT" -- 0 0 | tail -1
echo "==> $USERS users for ${DURATION}s, thinking ${THINK_MIN}-${THINK_MAX} ms between pages"
if [ "$SERVERS" = 2 ]; then
  meeting=$(DJANGO_SETTINGS_MODULE=saferboard.settings uv run python -c \
    "import django; django.setup(); from saferboard.meetings.models import Meeting; \
print(Meeting.objects.order_by('pk').values_list('pk', flat=True)[2])")
  uv run python -m bench.load_jobs --base "http://127.0.0.1:$PORT" \
    --base "http://127.0.0.1:$((PORT + 1))" --duration "$DURATION" --every "$JOB_EVERY" \
    --meeting "$meeting" > "$SABO_DATA_DIR/jobs.json" &
  jobs_pid=$!
  half=$(( (USERS + 1) / 2 ))
  echo "--> server 1 ($half users)"
  wrk -t "$half" -c "$half" -d "${DURATION}s" --timeout 10s -s bench/load.lua \
    "http://127.0.0.1:$PORT" -- "$THINK_MIN" "$THINK_MAX" > "$SABO_DATA_DIR/wrk1.txt" &
  wrk1=$!
  wrk -t "$((USERS - half))" -c "$((USERS - half))" -d "${DURATION}s" --timeout 10s \
    -s bench/load.lua "http://127.0.0.1:$((PORT + 1))" -- "$THINK_MIN" "$THINK_MAX" \
    > "$SABO_DATA_DIR/wrk2.txt"
  wait "$wrk1"
  cat "$SABO_DATA_DIR/wrk1.txt"
  echo "--> server 2 ($((USERS - half)) users)"
  cat "$SABO_DATA_DIR/wrk2.txt"
  wait "$jobs_pid"
  echo "==> background jobs queued through both servers during the run:"
  cat "$SABO_DATA_DIR/jobs.json"
else
  wrk -t "$USERS" -c "$USERS" -d "${DURATION}s" --timeout 10s -s bench/load.lua \
    "http://127.0.0.1:$PORT" -- "$THINK_MIN" "$THINK_MAX"
fi
rm -f bench/load-sessions.txt bench/load-paths.txt bench/load-browsed.txt
