// The installable shell: manifest and install criteria, language switch that persists,
// storage report, accessibility, a 320 px layout, and the "new version ready" flow.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppServer, DIST, launchPersistent, openToolkit, serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const require = createRequire(import.meta.url);
const env = serverAndBrowser();

test("Chromium finds the app installable", async () => {
  const ctx = await launchPersistent();
  const page = await ctx.newPage();
  await openToolkit(page, env.server.url);
  await waitForOfflineReady(page);
  const cdp = await ctx.newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  assert.deepEqual(installabilityErrors, []);
  const manifest = await (await fetch(`${env.server.url}/manifest.webmanifest`)).json();
  assert.equal(manifest.display, "standalone");
  const sizes = manifest.icons.map((i) => `${i.sizes}/${i.purpose}`);
  for (const want of ["192x192/any", "512x512/any", "512x512/maskable"]) assert.ok(sizes.includes(want), want);
  await ctx.close();
});

test("the language switch changes every string and persists", async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${env.server.url}/device`);
  await page.selectOption("#lang-select", "es");
  await page.getByRole("link", { name: "Recursos" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "es");
  await page.reload();
  await page.getByRole("heading", { name: "Este dispositivo" }).waitFor();
  await page.goto(`${env.server.url}/toolkit`);
  await page.locator("ul.cards li.card").first().waitFor();
  assert.match(await page.locator("p.count").textContent(), /fichas$/);
  assert.equal(await page.locator("#filter-kind option").first().textContent(), "Todos los tipos");
  await page.goto(`${env.server.url}/device`);
  await page.selectOption("#lang-select", "en");
  await page.getByRole("link", { name: "Toolkit" }).waitFor();
  await ctx.close();
});

test("the device page reports storage persistence and use", async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  await openToolkit(page, env.server.url);
  await page.goto(`${env.server.url}/device`);
  const persisted = page.locator("p.persisted");
  await persisted.waitFor();
  assert.match(await persisted.textContent(), /Storage is (not )?persistent/);
  assert.match(await page.locator("p.usage").textContent(), /^Using \d+(\.\d)? (B|KB|MB|GB) of \d+(\.\d)? (B|KB|MB|GB|TB) available\.$/);
  await ctx.close();
});

test("no serious accessibility problems, and nothing overflows at 320 px", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  const paths = ["/toolkit", "/toolkit/collective-impact", "/saved", "/device", "/sync", "/new-entry", "/conflicts",
    "/partners", "/new-partner", "/partner-assets", "/partner-departments", "/partner-exchange",
    "/checklists", "/checklists/start/listening-session", "/checklists/edit/door-to-door", "/door", "/register", "/coverage"];
  for (const path of paths) {
    await page.goto(`${env.server.url}${path}`);
    await page.locator("main h1").first().waitFor();
    await page.waitForTimeout(200);
    await page.addScriptTag({ path: require.resolve("axe-core") });
    const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const serious = result.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    assert.deepEqual(serious.map((v) => `${path}: ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), []);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${path} is ${width}px wide at a 320px viewport`);
  }
  // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
  await page.goto(`${env.server.url}/toolkit`);
  await page.locator("ul.cards li.card").first().waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  await ctx.close();
});

test("a new version waits until the person chooses to reload", async () => {
  const dist = mkdtempSync(join(tmpdir(), "ct-dist-"));
  cpSync(DIST, dist, { recursive: true });
  const own = await AppServer.start({ dist });
  try {
    const ctx = await env.browser.newContext();
    const page = await ctx.newPage();
    await openToolkit(page, own.url);
    await waitForOfflineReady(page);
    const before = await page.evaluate(async () => (await caches.keys()).find((k) => k.startsWith("commontable-shell-")));

    // Publish a "new version": the service worker's bytes change.
    const sw = join(dist, "sw.js");
    writeFileSync(sw, readFileSync(sw, "utf8").replace(/const VERSION = "[^"]*";/, 'const VERSION = "next";'));
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    const banner = page.locator(".update-banner");
    await banner.waitFor({ timeout: 20000 });
    assert.match(await banner.textContent(), /A new version is ready/);

    // The old version keeps working meanwhile.
    await page.fill("#toolkit-search", "asset");
    await page.locator("ul.cards li.card").first().waitFor();
    assert.ok(await page.evaluate(async (k) => (await caches.keys()).includes(k), before));

    await banner.getByRole("button", { name: "Reload" }).click();
    // The page reloads itself once the new version has taken over; poll across the reload.
    let keys = [];
    for (let i = 0; i < 100 && !(keys.includes("commontable-shell-next") && !keys.includes(before)); i++) {
      await page.waitForTimeout(200);
      keys = await page.evaluate(() => caches.keys()).catch(() => []);
    }
    await page.locator("ul.cards li.card").first().waitFor();
    assert.equal(await page.locator(".update-banner").count(), 0, "the banner is gone after the update");
    assert.ok(keys.includes("commontable-shell-next"), keys.join());
    assert.ok(!keys.includes(before), "the old version's cache is cleared once the new one runs");
    await ctx.close();
  } finally {
    await own.down();
  }
});

test("the editor names the field at fault and writes nothing invalid", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  await openToolkit(page, env.server.url);
  await page.goto(`${env.server.url}/new-entry`);
  await page.locator("#f-slug").fill("Not A Slug");
  await page.click("#save-entry");
  assert.match(await page.locator("#e-slug").textContent(), /lowercase/);
  assert.equal(await page.locator("#f-slug").getAttribute("aria-invalid"), "true");
  await page.locator("#f-slug").fill("street-outreach-tips");
  await page.locator("#f-title").fill("Street outreach tips");
  await page.click("#save-entry");
  assert.match(await page.locator("#e-summary").textContent(), /required/);
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-summary", "focus moves to the field at fault");
  await page.locator("#f-summary").fill("Short, practical tips.");
  await page.locator("#f-body").fill("Knock, smile, <script>window.__pwned=1</script> listen.");
  await page.click("#save-entry");
  assert.match(await page.locator("#e-functions").textContent(), /at least one/);
  assert.equal(await page.evaluate(() => location.pathname), "/new-entry", "nothing was saved yet");
  await page.locator("input[type=checkbox][value=external_engagement]").check();
  await page.click("#save-entry");
  await page.waitForURL(/\/toolkit\/street-outreach-tips$/);
  await page.locator("article.entry .body p").waitFor();
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Delete asks first; dismissing keeps the entry.
  await page.goto(`${env.server.url}/toolkit/street-outreach-tips/edit`);
  page.once("dialog", (d) => d.dismiss());
  await page.click("#delete-entry");
  await page.waitForTimeout(300);
  assert.match(page.url(), /edit$/);
  page.once("dialog", (d) => d.accept());
  await page.click("#delete-entry");
  await page.waitForURL(/\/toolkit$/);
  await page.goto(`${env.server.url}/toolkit/street-outreach-tips`);
  await page.locator("p.empty").waitFor();
  await ctx.close();
});
