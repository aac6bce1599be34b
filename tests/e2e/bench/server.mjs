// Server throughput (our server vs pouchdb-server, same machine, same workload), our server's
// memory at 100,000 documents, and the initial pull of 10,000 documents into IndexedDB by our
// replicator vs PouchDB 9 in the same Chromium from the same server.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AppServer, ROOT, freePort, launch } from "../lib.mjs";

const N = Number(process.env.N || 10000);
const BATCH = 500;
const log = (...a) => console.log(...a);

function makeDocs(n, prefix) {
  return Array.from({ length: n }, (_, i) => ({
    _id: `${prefix}${String(i).padStart(6, "0")}`,
    type: "partner",
    kind: "non_profit",
    name: `Community partner ${i}`,
    description: "A neighbourhood organization that runs youth programs, a food pantry and English classes. ".repeat(3),
    languages: ["English", "Spanish", "Polish"],
    populations: ["families", "seniors"],
  }));
}

async function post(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function workload(base, label) {
  const db = `${base}/bench-${Date.now()}`;
  await fetch(db, { method: "PUT" });
  const docs = makeDocs(N, "p");
  let t = performance.now();
  const revs = [];
  for (let i = 0; i < N; i += BATCH) {
    const res = await post(`${db}/_bulk_docs`, { docs: docs.slice(i, i + BATCH) });
    for (const r of res) revs.push({ id: r.id, rev: r.rev });
  }
  const bulkDocs = performance.now() - t;
  t = performance.now();
  for (let k = 0; k < 3; k++) {
    let since = 0;
    for (;;) {
      const r = await (await fetch(`${db}/_changes?style=all_docs&since=${encodeURIComponent(since)}&limit=${BATCH}`)).json();
      if (r.results.length === 0) break;
      since = r.last_seq;
    }
  }
  const changes = (performance.now() - t) / 3;
  t = performance.now();
  for (let i = 0; i < N; i += BATCH) {
    await post(`${db}/_bulk_get?revs=true`, { docs: revs.slice(i, i + BATCH) });
  }
  const bulkGet = performance.now() - t;
  const rate = (ms) => Math.round((N / ms) * 1000);
  log(`  ${label}: _bulk_docs ${rate(bulkDocs)} docs/s, _changes ${rate(changes)} changes/s, _bulk_get ${rate(bulkGet)} docs/s`);
  return { bulkDocs: rate(bulkDocs), changes: rate(changes), bulkGet: rate(bulkGet) };
}

async function startPouchServer() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pouch-"));
  const proc = spawn(join(ROOT, "tests/e2e/node_modules/.bin/pouchdb-server"), ["--in-memory", "--port", String(port), "--host", "127.0.0.1"], { cwd: dir, stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => proc.kill("SIGKILL") };
}

function rss(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k) => Number(status.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
  return { rss: Math.round(kb("VmRSS") / 1024), hwm: Math.round(kb("VmHWM") / 1024) };
}

const ours = await AppServer.start({ args: ["--cors-origin", "*"] });
const pouch = await startPouchServer();
try {
  log(`== server throughput, ${N} docs, batches of ${BATCH} ==`);
  // Alternate the two servers, three rounds each, and compare medians: single runs vary a lot.
  const runs = { a: [], b: [] };
  for (let round = 0; round < 3; round++) {
    runs.a.push(await workload(`${ours.url}/couch`, "ours          "));
    runs.b.push(await workload(pouch.url, "pouchdb-server"));
  }
  const median = (xs, k) => xs.map((x) => x[k]).sort((p, q) => p - q)[1];
  const pick = (xs) => ({ bulkDocs: median(xs, "bulkDocs"), changes: median(xs, "changes"), bulkGet: median(xs, "bulkGet") });
  const a = pick(runs.a);
  const b = pick(runs.b);
  log(`  medians: ours ${JSON.stringify(a)}; pouchdb-server ${JSON.stringify(b)}`);
  log(`BENCH server: ours vs pouchdb-server: _bulk_docs ${(a.bulkDocs / b.bulkDocs).toFixed(1)}x, _changes ${(a.changes / b.changes).toFixed(1)}x, _bulk_get ${(a.bulkGet / b.bulkGet).toFixed(1)}x`);

  log(`== initial pull of ${N} docs into IndexedDB, same Chromium, same server ==`);
  const pullDb = `${ours.url}/couch/benchpull`;
  await fetch(pullDb, { method: "PUT" });
  const docs = makeDocs(N, "q");
  for (let i = 0; i < N; i += BATCH) await post(`${pullDb}/_bulk_docs`, { docs: docs.slice(i, i + BATCH) });
  const cargo = spawnSync(
    "cargo",
    ["test", "--release", "--target", "wasm32-unknown-unknown", "--test", "bench", "initial_pull", "--", "--nocapture"],
    {
      cwd: resolve(ROOT, "crates/commontable-idb"),
      env: { ...process.env, BENCH_SYNC_URL: pullDb, CHROMEDRIVER: "/usr/bin/chromedriver", CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: "wasm-bindgen-test-runner", WASM_BINDGEN_TEST_TIMEOUT: "300" },
      encoding: "utf8",
    },
  );
  const lines = (cargo.stdout + cargo.stderr).split("\n");
  const line = lines.find((l) => l.includes("BENCH pull:"));
  for (const l of lines.filter((l) => l.includes("BENCH pull steps"))) log(l.trim());
  log(line ? line.trim() : `our pull benchmark did not run:\n${cargo.stdout}\n${cargo.stderr}`);
  const oursMs = line ? Number(line.match(/in (\d+) ms/)[1]) : NaN;

  const browser = await launch();
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${ours.url}/healthz`);
  await page.addScriptTag({ path: join(ROOT, "tests/e2e/node_modules/pouchdb/dist/pouchdb.min.js") });
  const pouchMs = await page.evaluate(async (url) => {
    const times = [];
    for (let run = 0; run < 3; run++) {
      const db = new PouchDB(`pull-${Date.now()}-${run}`);
      const t = performance.now();
      const res = await db.replicate.from(url, { batch_size: 500 });
      times.push(performance.now() - t);
      if (res.docs_written === 0) throw new Error("nothing pulled");
      await db.destroy();
    }
    return times.sort((a, b) => a - b)[1];
  }, pullDb);
  await browser.close();
  log(`  PouchDB 9 (IndexedDB adapter) pulled ${N} docs in ${pouchMs.toFixed(0)} ms (${Math.round((N / pouchMs) * 1000)} docs/s, median of 3)`);
  log(`BENCH pull: ours ${oursMs} ms vs PouchDB ${pouchMs.toFixed(0)} ms: ${(pouchMs / oursMs).toFixed(2)}x faster`);

  log("== our server's memory at 100,000 documents ==");
  const memDb = `${ours.url}/couch/benchmem`;
  await fetch(memDb, { method: "PUT" });
  const before = rss(ours.proc.pid);
  for (let i = 0; i < 100000; i += 1000) await post(`${memDb}/_bulk_docs`, { docs: makeDocs(1000, `m${i}-`) });
  const info = await (await fetch(memDb)).json();
  let since = 0;
  for (;;) {
    const r = await (await fetch(`${memDb}/_changes?since=${since}&limit=1000`)).json();
    if (r.results.length === 0) break;
    since = r.last_seq;
  }
  const after = rss(ours.proc.pid);
  log(`BENCH memory: ${info.doc_count} docs: RSS ${after.rss} MiB (peak ${after.hwm} MiB; ${before.rss} MiB at start)`);
} finally {
  pouch.stop();
  await ours.down();
}
