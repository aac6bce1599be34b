// The foundation journey: open the app, browse and search the toolkit, bookmark an entry,
// then stop the server and prove the toolkit, search and bookmarks still work from a cold start.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openToolkit, serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

const cardTitles = (page) => page.locator("ul.cards li.card h3").allTextContents();

test("browse, filter, search, bookmark — then everything works with the server stopped", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await openToolkit(page, env.server.url);
  const all = await cardTitles(page);
  assert.ok(all.length >= 20, `expected the whole toolkit, saw ${all.length}`);
  assert.match(await page.locator("p.count").textContent(), new RegExp(`^${all.length} entries$`));

  // Filters combine and narrow the list.
  await page.selectOption("#filter-function", "financial_management");
  await page.waitForFunction((n) => document.querySelectorAll("ul.cards li.card").length < n, all.length);
  for (const meta of await page.locator("ul.cards li.card .meta").allTextContents()) {
    assert.match(meta, /Financial management/);
  }
  await page.selectOption("#filter-kind", "case_study");
  const both = await cardTitles(page);
  assert.ok(both.length >= 1 && both.length < all.length);
  assert.match(page.url(), /f=financial_management/);
  await page.selectOption("#filter-function", "");
  await page.selectOption("#filter-kind", "");

  // Instant search with prefix matching, as you type.
  await page.fill("#toolkit-search", "collective imp");
  await page.waitForFunction(() => document.querySelector("ul.cards li.card h3")?.textContent.includes("collective impact"));
  await page.fill("#toolkit-search", "zzzzqqq");
  await page.locator(".empty").waitFor();
  assert.equal(await page.locator("ul.cards li.card").count(), 0);
  await page.fill("#toolkit-search", "");

  // Entry page, related entries, and bookmarking.
  await page.goto(`${env.server.url}/toolkit/asset-mapping`);
  await page.locator("article.entry .body p").first().waitFor();
  assert.match(await page.locator("article.entry h1").textContent(), /Asset mapping/);
  assert.ok((await page.locator("ul.related li").count()) >= 1);
  const save = page.locator("article.entry .bookmark-toggle");
  assert.equal(await save.getAttribute("aria-pressed"), "false");
  await save.click();
  await page.waitForFunction(() => document.querySelector("article.entry .bookmark-toggle")?.getAttribute("aria-pressed") === "true");
  await page.locator("ul.related a").first().click();
  await page.waitForURL(/\/toolkit\/(?!asset-mapping)/);
  await page.goto(`${env.server.url}/saved`);
  await page.locator("ul.cards li.card").first().waitFor();
  assert.deepEqual(await cardTitles(page), ["Asset mapping: know what each partner brings"]);

  // Take the network away: stop the server entirely.
  await waitForOfflineReady(page);
  await env.server.down();

  // Reload, and a brand-new tab (cold start): the full app, not an error page.
  await page.reload();
  await page.locator("ul.cards li.card").first().waitFor({ timeout: 20000 });
  const fresh = await ctx.newPage();
  await openToolkit(fresh, env.server.url);
  assert.equal((await cardTitles(fresh)).length, all.length);
  await fresh.fill("#toolkit-search", "budget");
  await fresh.waitForFunction(() => [...document.querySelectorAll("ul.cards li.card h3")].some((h) => /participatory budgeting/i.test(h.textContent)));
  await fresh.goto(`${env.server.url}/saved`);
  await fresh.locator("ul.cards li.card").first().waitFor();
  assert.deepEqual(await cardTitles(fresh), ["Asset mapping: know what each partner brings"]);
  await fresh.goto(`${env.server.url}/toolkit/collective-impact`);
  await fresh.locator("article.entry .body p").first().waitFor();

  // The browser reports offline: the badge says so, and things still work.
  await ctx.setOffline(true);
  await fresh.locator(".badge.offline").waitFor();
  await fresh.locator("article.entry .bookmark-toggle").click();
  await fresh.waitForFunction(() => document.querySelector("article.entry .bookmark-toggle")?.getAttribute("aria-pressed") === "true");
  await ctx.setOffline(false);

  assert.deepEqual(errors, []);
  await env.server.up();
  await ctx.close();
});
