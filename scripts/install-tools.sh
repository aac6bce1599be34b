#!/usr/bin/env bash
# Installs what the build and the tests need, only when it is missing.
# Safe to run again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="$ROOT/.tools"
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
mkdir -p "$TOOLS"

log() { printf '[install-tools] %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 11 minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes, once)"
  # Not --locked: one locked dependency is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  log "installing Chromium and ChromeDriver"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# npm tooling: wasm-opt (binaryen 132; Debian's is too old), playwright-core, axe-core, PouchDB
# and pouchdb-server. Reinstalled whenever package-lock.json changes.
lock_hash=$(sha256sum "$ROOT/tests/e2e/package-lock.json" | cut -c1-16)
stamp="$ROOT/tests/e2e/node_modules/.commontable-lock"
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  log "installing npm test tooling"
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_hash" > "$stamp"
fi
log "tools ready"
