// Hostile text — in search, in stored documents, in Markdown — is shown as text and never runs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openToolkit, serverAndBrowser } from "../lib.mjs";

const env = serverAndBrowser();

const HOSTILE_TITLE = `<img src=x onerror="window.__pwned='title'">Hostile <b>entry</b>`;
const HOSTILE_BODY = [
  "<script>window.__pwned='script'</script>",
  "",
  "Click [here](javascript:window.__pwned='link') or [there](JaVaScRiPt:alert(1)).",
  "",
  `<img src=x onerror="window.__pwned='img'"> and <iframe src="javascript:alert(1)"></iframe>`,
  "",
  "![tracker](https://tracker.invalid/pixel.png)",
].join("\n");

test("hostile strings in stored documents and in the search box stay inert", async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await openToolkit(page, env.server.url);

  // Write a hostile entry straight into the device's IndexedDB, as a bad sync might.
  await page.evaluate(
    ({ title, body }) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open("commontable/toolkit");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(["docs", "by_seq"], "readwrite");
          const record = {
            id: "toolkit:hostile",
            seq: 100000,
            tree: {
              nodes: {
                "1-00000000000000000000000000000000": {
                  body: {
                    type: "toolkit_entry", title, summary: title, body, kind: "practice",
                    functions: ["partnerships"], communities: [title], source: title, related: [],
                  },
                },
              },
            },
          };
          tx.objectStore("docs").put(JSON.stringify(record), "toolkit:hostile");
          tx.objectStore("by_seq").put("toolkit:hostile", 100000);
          tx.oncomplete = () => { db.close(); resolve(); };
          tx.onerror = () => reject(tx.error);
        };
      }),
    { title: HOSTILE_TITLE, body: HOSTILE_BODY },
  );

  await page.reload();
  await page.locator("ul.cards li.card").first().waitFor();
  await page.fill("#toolkit-search", "hostile");
  const card = page.locator('li.card[data-slug="hostile"]');
  await card.waitFor();
  assert.equal(await card.locator("h3").textContent(), HOSTILE_TITLE);

  await page.goto(`${env.server.url}/toolkit/hostile`);
  await page.locator("article.entry .body p").first().waitFor();
  const body = page.locator("article.entry .body");
  assert.equal(await body.locator("script, img, iframe").count(), 0, await body.innerHTML());
  for (const href of await body.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
    assert.equal(href, "#");
  }
  assert.match(await body.textContent(), /<script>window.__pwned='script'<\/script>/);
  assert.match(await body.textContent(), /tracker/);
  assert.equal(await page.locator("article.entry h1").textContent(), HOSTILE_TITLE);
  await body.locator("a").first().click();

  // The search box echoes nothing as markup either.
  await page.goto(`${env.server.url}/toolkit`);
  await page.fill("#toolkit-search", `<img src=x onerror="window.__pwned='search'">`);
  await page.locator(".empty").waitFor();

  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  await ctx.close();
});
