// Two devices edit the same toolkit entry while the server is down; when it is back, both
// sync, the conflict shows on one device, a person resolves it there, and the resolution
// reaches the other device.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openToolkit, serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

async function device(name) {
  const ctx = await env.browser.newContext({ viewport: { width: 390, height: 800 } });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.log(`${name} pageerror:`, e.message));
  await openToolkit(page, env.server.url);
  await waitForOfflineReady(page);
  await page.locator(".sync-indicator .sync-text", { hasText: /Synced/ }).waitFor({ timeout: 30000 });
  return { ctx, page };
}

async function syncNow(page) {
  await page.goto(`${env.server.url}/sync`);
  await page.locator("#sync-now").waitFor();
  await page.locator("#sync-now:not([disabled])").waitFor();
  const before = await page.locator("ul.history li").count();
  await page.click("#sync-now");
  // Done when a new attempt is in the history and nothing is running.
  await page.waitForFunction(
    (n) => document.querySelectorAll("ul.history li").length > n && !/Syncing/.test(document.querySelector(".sync-status").textContent),
    before,
    { timeout: 30000 },
  );
  assert.match(await page.locator(".sync-status").textContent(), /Synced/);
}

async function editTitle(page, title) {
  await page.goto(`${env.server.url}/toolkit/asset-mapping/edit`);
  await page.locator("#f-title").fill(title);
  await page.click("#save-entry");
  await page.waitForURL(/\/toolkit\/asset-mapping$/);
  await page.locator("article.entry h1", { hasText: title }).waitFor();
}

test("offline edits on two devices conflict, are resolved on one, and the other gets the result", async () => {
  const a = await device("A");
  const b = await device("B");

  await env.server.down();
  await editTitle(a.page, "Asset mapping (edited on A)");
  await editTitle(b.page, "Asset mapping (edited on B)");
  await a.page.locator(".sync-indicator .pending", { hasText: "1" }).waitFor();

  await env.server.up();
  await syncNow(a.page);
  await syncNow(b.page);

  // B received A's edit on top of its own: a conflict, listed on the Sync page.
  await b.page.locator(".conflict-count").waitFor();
  await b.page.click(".conflict-count a");
  await b.page.locator("ul.conflicts a").first().click();
  const table = b.page.locator("form.resolve table");
  await table.waitFor();
  const titleRow = table.locator("tr", { has: b.page.locator("th", { hasText: /^title$/ }) });
  const cells = await titleRow.locator("td").allTextContents();
  assert.equal(cells.length, 2);
  assert.deepEqual(cells.map((c) => c.trim()).sort(), ["Asset mapping (edited on A)", "Asset mapping (edited on B)"]);
  // Keep B's title, whichever column it is in.
  const keep = cells.findIndex((c) => c.includes("edited on B"));
  await titleRow.locator("td").nth(keep).locator("input[type=radio]").check();
  await b.page.click("#keep-merge");
  await b.page.locator(".ok", { hasText: "Resolved" }).waitFor();

  await syncNow(b.page);
  await syncNow(a.page);
  await a.page.goto(`${env.server.url}/toolkit/asset-mapping`);
  await a.page.locator("article.entry h1", { hasText: "Asset mapping (edited on B)" }).waitFor();
  await a.page.goto(`${env.server.url}/sync`);
  await a.page.getByText("No conflicts").waitFor();
  const onServer = await (await fetch(`${env.server.url}/couch/toolkit/toolkit:asset-mapping?conflicts=true`)).json();
  assert.equal(onServer.title, "Asset mapping (edited on B)");
  assert.equal(onServer._conflicts, undefined);

  await a.ctx.close();
  await b.ctx.close();
});
