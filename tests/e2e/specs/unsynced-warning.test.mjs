// Changes that have waited for the server for more than a day are called out on the Sync page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openToolkit, serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

test("the Sync page warns when local changes have waited more than a day", async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  await openToolkit(page, env.server.url);
  await waitForOfflineReady(page);
  await page.locator(".sync-indicator .sync-text", { hasText: /Synced/ }).waitFor({ timeout: 30000 });

  await env.server.down();
  await page.goto(`${env.server.url}/toolkit/policy-audit/edit`);
  await page.locator("#f-title").fill("Audit policies (edited offline)");
  await page.click("#save-entry");
  await page.waitForURL(/\/toolkit\/policy-audit$/);
  await page.locator(".sync-indicator .pending", { hasText: "1" }).waitFor();

  await page.goto(`${env.server.url}/sync`);
  await page.locator("#sync-now").waitFor();
  assert.equal(await page.locator(".warning").count(), 0, "a fresh change is not a warning");

  // Pretend the change was made two days ago. A sync attempt that was still finishing may
  // save its own state over ours just before the reload, so write and reload until it sticks.
  let warned = false;
  for (let attempt = 0; attempt < 3 && !warned; attempt++) {
    await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open("commontable/device");
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction("local", "readwrite");
            const store = tx.objectStore("local");
            const get = store.get("sync-state");
            get.onsuccess = () => {
              const state = JSON.parse(get.result);
              state.pending_since = Date.now() - 2 * 24 * 3600 * 1000;
              store.put(JSON.stringify(state), "sync-state");
            };
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
          open.onerror = () => reject(open.error);
        }),
    );
    await page.reload();
    warned = await page
      .locator(".warning", { hasText: "more than a day" })
      .waitFor({ timeout: 5000 })
      .then(() => true)
      .catch(() => false);
  }
  assert.ok(warned, "the warning shows for a change two days old");

  // Once the change reaches the server, the warning goes away.
  await env.server.up();
  await page.locator("#sync-now:not([disabled])").waitFor();
  await page.click("#sync-now");
  await page.locator(".sync-status", { hasText: /Synced/ }).waitFor({ timeout: 30000 });
  await page.waitForFunction(() => document.querySelectorAll(".warning").length === 0);
  await ctx.close();
});
