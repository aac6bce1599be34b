#!/usr/bin/env bash
# Builds the app (trunk, release) into dist/ and the server (release). Installs missing tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "[build] app (trunk --release)"
trunk build --release
echo "[build] server (release)"
cargo build --release -p commontable-server
