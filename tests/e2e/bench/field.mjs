// Door-to-door at size, in the real app in Chromium with the server stopped: 20,000 visits on
// the device (plus 50 areas). Reports the time to log one visit (the tap until the visit is
// stored and the tally shows it) and the memory used (WASM linear memory, JS heap, IndexedDB).
import { AppServer, launch, waitForOfflineReady } from "../lib.mjs";

const VISITS = Number(process.env.VISITS || 20000);
const server = await AppServer.start();
const browser = await launch();
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.round((xs.length - 1) * p)];
const fmt = (xs) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${pct(xs, 1).toFixed(1)} ms`;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;

try {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  // Keep a handle on the WASM exports to read the size of its memory.
  await ctx.addInitScript(() => addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm)));
  const page = await ctx.newPage();
  await page.goto(`${server.url}/checklists`);
  await page.locator(".templates li").first().waitFor({ timeout: 20000 });
  await waitForOfflineReady(page);
  await server.down();

  const seeded = await page.evaluate(
    ({ VISITS }) =>
      new Promise((resolve, reject) => {
        const docs = [];
        for (let a = 0; a < 50; a++) docs.push([`area:a${a}`, { type: "area", name: `Area ${a}`, kind: "precinct" }]);
        for (let s = 0; s < 400; s++) docs.push([`shift:s${s}`, { type: "shift", area: `area:a${s % 50}`, started_at: "2026-06-01T10:00:00.000Z" }]);
        const outcomes = ["talked", "not_home", "declined", "come_back"];
        for (let i = 0; i < VISITS; i++) {
          const s = i % 400;
          docs.push([`visit:s${s}:v${i}`, {
            type: "visit", shift: `shift:s${s}`, area: `area:a${s % 50}`, segment: `${100 + (i % 30) * 100} block of Elm`,
            outcome: outcomes[i % 4], language: i % 3 ? "English" : "Spanish", needs: i % 5 ? [] : ["Rent help"],
            at: `2026-0${1 + (i % 9)}-1${i % 10}T1${i % 10}:00:00.000Z`,
          }]);
        }
        const open = indexedDB.open("commontable/workspace");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["docs", "by_seq", "meta"], "readwrite");
          let seq = 1000;
          for (const [id, body] of docs) {
            seq += 1;
            const rev = `1-${seq.toString(16).padStart(32, "0")}`;
            tx.objectStore("docs").put(JSON.stringify({ id, seq, tree: { nodes: { [rev]: { body } } } }), id);
            tx.objectStore("by_seq").put(id, seq);
          }
          tx.objectStore("meta").put(seq, "update_seq");
          tx.oncomplete = () => { db.close(); resolve(docs.length); };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { VISITS },
  );
  console.log(`seeded ${seeded} documents`);

  await page.goto(`${server.url}/door`);
  await page.locator("#start-shift").waitFor({ timeout: 60000 });
  await page.locator("#shift-area").selectOption({ index: 1 });
  await page.click("#start-shift");
  await page.locator("#tally").waitFor();
  const times = [];
  for (let i = 0; i < 40; i++) {
    times.push(
      await page.evaluate(
        (n) =>
          new Promise((resolve) => {
            const button = document.querySelectorAll(".outcomes button")[n % 4];
            const t0 = performance.now();
            button.click();
            const check = () =>
              document.querySelector("#tally").textContent.startsWith(`${n + 1} door`)
                ? resolve(performance.now() - t0)
                : requestAnimationFrame(check);
            check();
          }),
        i,
      ),
    );
  }
  console.log(`BENCH field: log one visit (tap to stored and counted), ${VISITS} visits on the device, 40 taps: ${fmt(times)}`);
  await page.goto(`${server.url}/coverage`);
  await page.locator("#area-gaps, #gaps-h ~ .ok").first().waitFor({ timeout: 60000 });
  const mem = await page.evaluate(async () => ({
    wasm: window.__wasm?.memory?.buffer?.byteLength || 0,
    heap: performance.memory?.usedJSHeapSize || 0,
    stored: (await navigator.storage.estimate()).usage || 0,
  }));
  console.log(`BENCH field: memory with ${VISITS} visits loaded: WASM ${mib(mem.wasm)}, JS heap ${mib(mem.heap)}; IndexedDB and caches on disk ${mib(mem.stored)}`);
  await ctx.close();
} finally {
  await browser.close();
  await server.down();
}
