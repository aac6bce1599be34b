#!/usr/bin/env bash
# Builds everything that is missing or stale and starts the server with the app.
# Options pass through to the server: --addr HOST:PORT, --data DIR (default ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./target/release/commontable-server --dist dist "$@"
