#!/usr/bin/env bash
# Measures what BENCHMARKS.md records. Run after scripts/build.sh. Prints one BENCH line each.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== size of the built app (dist/) =="
total_raw=0; total_gz=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c%s "$f"); gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-48s %8d B raw %8d B gzip\n' "$(basename "$f")" "$raw" "$gz"
done
echo "BENCH size: app code (wasm + js + css) $total_raw B raw, $total_gz B gzipped"
printf 'BENCH size: toolkit content (toolkit.json) %d B raw, %d B gzipped\n' "$(stat -c%s dist/toolkit.json)" "$(gzip -9c dist/toolkit.json | wc -c)"

echo "== in Chromium: search latency and IndexedDB throughput (release build) =="
(
  cd crates/commontable-idb
  CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=300 \
  cargo test --release --target wasm32-unknown-unknown --test bench -- --nocapture
) 2>&1 | grep -E "BENCH|test result"

echo "== sync: server throughput vs pouchdb-server, initial pull vs PouchDB, server memory =="
cargo build --release -p commontable-server
node tests/e2e/bench/server.mjs

echo "== offline cold start =="
(cd tests/e2e && node bench/cold-start.mjs)
