// The partner directory at size, in the real app in Chromium, with the server stopped:
// 5,000 partners, 10,000 contacts, 5,000 stage changes and 50,000 interactions on the device.
// Reports: opening /partners cold (IndexedDB read + directory build + first rows), the list's
// first paint when navigating to it in the running app, and the latency of each keystroke in the
// search box (and of filter and order changes) from input to the next painted frame.
import { AppServer, launch, waitForOfflineReady } from "../lib.mjs";

const PARTNERS = Number(process.env.PARTNERS || 5000);
const INTERACTIONS = Number(process.env.INTERACTIONS || 50000);

const server = await AppServer.start();
const browser = await launch();
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.round((xs.length - 1) * p)];
const both = (pairs) => `work ${fmt(pairs.map((p) => p[0]))}; to next frame ${fmt(pairs.map((p) => p[1]))}`;
const fmt = (xs) => `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms, max ${pct(xs, 1).toFixed(1)} ms`;

try {
  const ctx = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/partners`);
  await page.locator("p.count").waitFor({ timeout: 20000 });
  await waitForOfflineReady(page);
  await server.down();

  // Seed the device's workspace database directly (the same records the app writes).
  const seeded = await page.evaluate(
    ({ PARTNERS, INTERACTIONS }) =>
      new Promise((resolve, reject) => {
        let x = 42;
        const rnd = (n) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
        const pick = (a) => a[rnd(a.length)];
        const words = ["North", "East", "River", "Oak", "Maple", "Prairie", "Unity", "Hope", "Harbor", "Cedar", "Lincoln", "Garden", "Hill", "Lake", "Sun", "Bridge"];
        const nouns = ["Library", "Food Pantry", "Youth League", "Church", "Mosque", "Temple", "Health Center", "Arts Council", "Tenants Union", "Chamber", "School", "Senior Center"];
        const kinds = ["school_district", "library", "park_district", "township", "non_profit", "faith_community", "business", "civic_or_cultural_association", "health_or_social_service", "other"];
        const langs = ["English", "Spanish", "Polish", "Korean", "Hindi", "Arabic", "Tagalog", "Russian", "Gujarati", "Urdu"];
        const pops = ["Seniors", "Youth", "Immigrant families", "Renters", "Low-income households", "People with disabilities", "Veterans", "LGBTQ+ residents", "Muslim families", "Latino families"];
        const depts = ["Library", "Parks", "Human Services", "Police", "Schools", "Planning", "Health", "Manager's Office"];
        const stages = ["partnership", "coordination", "collaboration"];
        const ikinds = ["meeting", "call", "joint_event", "referral", "email"];
        const first = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jun", "Kofi", "Lena"];
        const last = ["Kowalska", "Ortiz", "Nguyen", "Patel", "Smith", "Haddad", "Kim", "Garcia", "Ivanova", "Okafor"];
        const date = () => `20${22 + rnd(5)}-${String(1 + rnd(12)).padStart(2, "0")}-${String(1 + rnd(28)).padStart(2, "0")}`;
        const docs = [];
        for (let i = 0; i < PARTNERS; i++) {
          const key = `bench-${i}`;
          docs.push([`partner:${key}`, {
            type: "partner", name: `${pick(words)} ${pick(words)} ${pick(nouns)} ${i}`, kind: pick(kinds),
            description: `Works with ${pick(pops).toLowerCase()} across the ${pick(words)} side; runs ${pick(nouns).toLowerCase()} programs.`,
            strength_categories: ["physical_spaces", "associations"].slice(0, 1 + rnd(2)),
            populations: [pick(pops), pick(pops)], languages: [pick(langs), pick(langs)],
            owning_department: pick(depts), other_departments: [pick(depts)], tags: [pick(words).toLowerCase()],
          }]);
          for (let c = 0; c < 2; c++) {
            docs.push([`contact:${key}:${c}`, { type: "contact", partner: `partner:${key}`, name: `${pick(first)} ${pick(last)}`, role: "Coordinator", preferred_language: pick(langs) }]);
          }
          docs.push([`stage:${key}:0`, { type: "stage_change", partner: `partner:${key}`, stage: pick(stages), date: date() }]);
        }
        for (let i = 0; i < INTERACTIONS; i++) {
          const p = `bench-${rnd(PARTNERS)}`;
          docs.push([`interaction:${p}:${i}`, { type: "interaction", partner: `partner:${p}`, kind: pick(ikinds), date: date(), notes: "Talked about the summer program and the next joint event." }]);
        }
        const open = indexedDB.open("commontable/workspace");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["docs", "by_seq", "meta"], "readwrite");
          let seq = 0;
          for (const [id, body] of docs) {
            seq += 1;
            const rev = `1-${(seq).toString(16).padStart(32, "0")}`;
            tx.objectStore("docs").put(JSON.stringify({ id, seq, tree: { nodes: { [rev]: { body } } } }), id);
            tx.objectStore("by_seq").put(id, seq);
          }
          tx.objectStore("meta").put(seq, "update_seq");
          tx.oncomplete = () => { db.close(); resolve(docs.length); };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { PARTNERS, INTERACTIONS },
  );
  console.log(`seeded ${seeded} documents`);

  // Cold open of /partners (fresh tab): storage, the directory and the first rows.
  const cold = [];
  for (let i = 0; i < 5; i++) {
    const tab = await ctx.newPage();
    await tab.goto(`${server.url}/partners`);
    await tab.waitForFunction(() => document.querySelector("li.partner-row"), null, { polling: "raf", timeout: 60000 });
    cold.push(await tab.evaluate(() => performance.now()));
    await tab.close();
  }
  console.log(`BENCH partners cold open offline (${PARTNERS} partners, ${INTERACTIONS} interactions): ${fmt(cold)}`);

  // First paint of the list when navigating to it in the running app (directory in memory).
  await page.reload();
  await page.waitForFunction(() => document.querySelector("li.partner-row"), null, { polling: "raf", timeout: 60000 });
  const paint = [];
  for (let i = 0; i < 15; i++) {
    await page.click('.topbar nav a[href="/toolkit"]');
    await page.locator("ul.cards li.card").first().waitFor();
    paint.push(
      await page.evaluate(
        () =>
          new Promise((resolve) => {
            const t0 = performance.now();
            document.querySelector('.topbar nav a[href="/partners"]').click();
            const check = () => (document.querySelector("li.partner-row") ? resolve(performance.now() - t0) : requestAnimationFrame(check));
            requestAnimationFrame(check);
          }),
      ),
    );
  }
  console.log(`BENCH partners list first paint (navigate to the list, ${PARTNERS} partners): ${fmt(paint)}`);

  // Each keystroke: input event to the next painted frame.
  const typeAndTime = (text) =>
    page.evaluate(async (text) => {
      const input = document.querySelector("#partner-search");
      const times = [];
      for (let i = 1; i <= text.length; i++) {
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        const t0 = performance.now();
        input.value = text.slice(0, i);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        // Work: the app's reaction, up to the DOM being updated (its effects run as microtasks).
        await new Promise((r) => setTimeout(r, 0));
        const work = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        times.push([work, performance.now() - t0]);
      }
      input.value = "";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
      return times;
    }, text);
  const keys = [];
  for (const q of ["northwest library", "food pantry 12", "kowalska", "seniors", "spanish", "harbor youth", "temple 4"]) {
    const ts = await typeAndTime(q);
    if (process.env.DETAIL) console.log(q, ts.map((t) => t[0].toFixed(1)).join(" "));
    keys.push(...ts);
  }
  console.log(`BENCH partners search per keystroke (${keys.length} keystrokes): ${both(keys)}`);

  const change = (sel, value) =>
    page.evaluate(
      async ({ sel, value }) => {
        const el = document.querySelector(sel);
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        const t0 = performance.now();
        if (el.type === "checkbox") el.checked = value; else el.value = value;
        el.dispatchEvent(new Event("change", { bubbles: true }));
        await new Promise((r) => setTimeout(r, 0));
        const work = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r)));
        return [work, performance.now() - t0];
      },
      { sel, value },
    );
  const filters = [];
  for (let i = 0; i < 5; i++) {
    filters.push(await change("#filter-language", "Polish"));
    filters.push(await change("#filter-stage", "collaboration"));
    filters.push(await change("#filter-quiet", true));
    filters.push(await change("#partner-sort", "last_contact"));
    filters.push(await change("#partner-sort", "stage"));
    filters.push(await change("#filter-quiet", false));
    filters.push(await change("#filter-stage", ""));
    filters.push(await change("#filter-language", ""));
    filters.push(await change("#partner-sort", "name"));
  }
  await page.evaluate(() => (document.querySelector("details.filter-details").open = true));
  const withFilter = [];
  await change("#filter-language", "Spanish");
  for (const q of ["river", "maple garden", "church"]) withFilter.push(...(await typeAndTime(q)));
  console.log(`BENCH partners filter or order change (${filters.length} changes): ${both(filters)}`);
  console.log(`BENCH partners search per keystroke with a language filter on (${withFilter.length}): ${both(withFilter)}`);
  const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize || 0);
  console.log(`BENCH partners JS heap after the run: ${(heap / 1048576).toFixed(1)} MiB (WASM memory not included)`);
  await ctx.close();
} finally {
  await browser.close();
  await server.down();
}
