#!/usr/bin/env bash
# Runs every test: native (core, server, content), IndexedDB in Chromium (wasm-bindgen-test),
# and end to end in Chromium (Playwright), after building the app once.
# Ends with the Node test runner's summary and one total line.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
LOGS="$(mktemp -d)"
export PATH="$ROOT/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/build.sh || { echo "build failed"; echo "Total: 0 passed, 1 failed"; exit 1; }

status=0
echo "[test] native: core, server, content"
cargo test --workspace --exclude commontable --exclude commontable-idb 2>&1 | tee "$LOGS/native.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "[test] IndexedDB store in Chromium (wasm-bindgen-test)"
(
  cd crates/commontable-idb
  CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --test conformance
) 2>&1 | tee "$LOGS/wasm.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "[test] end to end in Chromium (Playwright)"
(cd tests/e2e && node --test --test-concurrency=1 specs/) 2>&1 | tee "$LOGS/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

passed=$(cat "$LOGS/native.log" "$LOGS/wasm.log" | sed -n 's/^test result: .* \([0-9]\+\) passed; \([0-9]\+\) failed.*/\1/p' | awk '{s+=$1} END {print s+0}')
failed=$(cat "$LOGS/native.log" "$LOGS/wasm.log" | sed -n 's/^test result: .* \([0-9]\+\) passed; \([0-9]\+\) failed.*/\2/p' | awk '{s+=$1} END {print s+0}')
e2e_pass=$(sed -n 's/^# pass \([0-9]\+\)$/\1/p' "$LOGS/e2e.log" | tail -1)
e2e_fail=$(sed -n 's/^# fail \([0-9]\+\)$/\1/p' "$LOGS/e2e.log" | tail -1)
passed=$(( ${passed:-0} + ${e2e_pass:-0} ))
failed=$(( ${failed:-0} + ${e2e_fail:-0} ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "Total: $passed passed, $failed failed"
exit "$status"
