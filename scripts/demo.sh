#!/usr/bin/env bash
# Set up, load the demo partnership into SQLite under ./data, and serve it on
# http://127.0.0.1:8000 (pass --no-serve to load only, --port N to change the port).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec uv run saferboard demo "$@"
