// Offline cold start: after one online visit, stop the server and open the app in fresh tabs.
// Reports the time from navigation start until the toolkit list is on screen and usable.
import { AppServer, launch, openToolkit, waitForOfflineReady } from "../lib.mjs";

const RUNS = Number(process.env.RUNS || 15);
const server = await AppServer.start();
const browser = await launch();
try {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const first = await ctx.newPage();
  await openToolkit(first, server.url);
  await waitForOfflineReady(first);
  await first.close();
  await server.down();

  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const page = await ctx.newPage();
    await page.goto(`${server.url}/toolkit`);
    await page.waitForFunction(() => document.querySelector("ul.cards li.card"), null, { polling: "raf", timeout: 20000 });
    times.push(await page.evaluate(() => performance.now()));
    await page.close();
  }
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.round((times.length - 1) * p)].toFixed(0);
  console.log(`BENCH cold start offline (server stopped), ${RUNS} fresh tabs: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`);
  await ctx.close();
} finally {
  await browser.close();
  await server.down();
}
