// The partner directory with the server stopped: create a partner with two contacts, log an
// interaction from the list in three taps, change the stage, find it by search and filters,
// reload and find everything still there. Then hostile text in every field stays inert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

async function openDirectory(page, base) {
  await page.goto(`${base}/partners`);
  await page.locator("p.count").waitFor({ timeout: 20000 });
}

async function fill(page, fields) {
  for (const [name, value] of Object.entries(fields)) await page.fill(`#f-${name}`, value);
}

test("partners offline: create, contacts, log, stage, search, filter, reload", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 360, height: 740 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));

  await openDirectory(page, env.server.url);
  assert.equal(await page.locator("p.count").textContent(), "0 partners");
  await page.locator(".pane-list .empty").waitFor();

  // No network from here on: the server is gone.
  await waitForOfflineReady(page);
  await env.server.down();
  await page.reload();
  await page.locator("p.count").waitFor({ timeout: 20000 });

  // Create, with a mistake first: the error sits next to the field, focus moves there, nothing is saved.
  await page.click("#new-partner");
  await fill(page, {
    name: "Northwest Library",
    description: "Branch library with ESL circles",
    populations: "Seniors; Polish-speaking families",
    languages: "Polish; English",
    owning_department: "Library",
    other_departments: "Parks",
    phone: "(847) 555-0100",
    email: "not an email",
    address: "1 Main St, Springfield",
  });
  await page.selectOption("#f-kind", "library");
  await page.check('input[value="physical_spaces"]');
  await page.selectOption("#f-first-stage", "partnership");
  await page.click("#save-partner");
  await page.waitForFunction(() => document.querySelector("#e-email")?.textContent.length > 0);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-email");
  assert.equal(await page.locator("#f-email").getAttribute("aria-invalid"), "true");
  assert.match(page.url(), /\/new-partner$/);
  await page.fill("#f-email", "hello@library.example");
  await page.click("#save-partner");
  await page.waitForURL(/\/partners\/[0-9a-f-]{36}$/);
  const partnerUrl = page.url();
  assert.equal(await page.locator("#partner-name").textContent(), "Northwest Library");
  assert.equal(await page.locator("#current-stage").textContent(), "Partnership");
  assert.equal(await page.locator('.reach a[href="tel:8475550100"]').count(), 1);
  assert.equal(await page.locator('.reach a[href^="sms:"]').count(), 1);
  assert.equal(await page.locator('.reach a[href="mailto:hello@library.example"]').count(), 1);
  assert.match(await page.locator(".reach a", { hasText: "Map" }).getAttribute("href"), /openstreetmap.*1%20Main%20St/);
  assert.match(await page.locator(".shared").textContent(), /Also known to: Library, Parks/);

  // Two contacts.
  for (const c of [
    { name: "Ana Kowalska", role: "Outreach librarian", phone: "847 555 0101", preferred_language: "Polish", speaks_for: "the branch's adult programs" },
    { name: "Ben Ortiz", role: "Branch manager", email: "ben@library.example" },
  ]) {
    await page.click("#add-contact");
    await page.locator("#f-name").waitFor();
    await fill(page, c);
    await page.click("#save-contact");
    await page.waitForURL(partnerUrl);
    await page.locator(".contact", { hasText: c.name }).waitFor();
  }
  assert.deepEqual(await page.locator(".contact-name strong").allTextContents(), ["Ana Kowalska", "Ben Ortiz"]);
  assert.match(await page.locator(".contact", { hasText: "Kowalska" }).textContent(), /Speaks for: the branch's adult programs/);

  // A contact's vCard is made on the device.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(".contact", { hasText: "Kowalska" }).getByRole("button", { name: /vCard/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "ana-kowalska.vcf");
  const card = readFileSync(await download.path(), "utf8");
  assert.match(card, /^BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Kowalska\r\n/);
  assert.match(card, /ORG:Northwest Library\r\n/);

  // Log an interaction from the list: Log, Call, Save — three taps.
  await page.click(".back a");
  await page.waitForURL(/\/partners$/);
  await page.locator("li.partner-row").first().waitFor();
  await page.locator("li.partner-row a.log").first().click();
  await page.locator('input[value="call"]').click();
  await page.click("#save-interaction");
  await page.waitForURL(partnerUrl);
  await page.locator(".timeline li").first().waitFor();
  assert.match(await page.locator(".timeline li").first().textContent(), /^Call · \d{4}-\d{2}-\d{2}/);
  assert.match(await page.locator(".partner .meta").first().textContent(), /Last contact \d{4}-/);

  // Change the stage, with why.
  await page.click("#change-stage");
  await page.locator('input[value="collaboration"]').check();
  await page.fill("#f-reason", "Shared outcomes agreed for the summer program");
  await page.click("#save-stage");
  await page.waitForURL(partnerUrl);
  await page.waitForFunction(() => document.querySelector("#current-stage")?.textContent === "Collaboration");
  assert.equal(await page.locator(".stage-history li").count(), 2);
  assert.match(await page.locator(".stage-history li").first().textContent(), /Collaboration.*Shared outcomes/);

  // A second partner so that search and filters have something to leave out.
  await page.goto(`${env.server.url}/new-partner`);
  await page.locator("#f-name").waitFor();
  await fill(page, { name: "Eastside Food Pantry", languages: "Spanish", populations: "Low-income households" });
  await page.selectOption("#f-kind", "non_profit");
  await page.click("#save-partner");
  await page.waitForURL(/\/partners\/[0-9a-f-]{36}$/);

  // Search reaches contacts and populations; filters combine.
  await page.goto(`${env.server.url}/partners`);
  const names = () => page.locator("li.partner-row .name").allTextContents();
  await page.locator("li.partner-row").nth(1).waitFor();
  assert.deepEqual(await names(), ["Eastside Food Pantry", "Northwest Library"]);
  await page.fill("#partner-search", "kowal");
  await page.waitForFunction(() => document.querySelectorAll("li.partner-row").length === 1);
  assert.deepEqual(await names(), ["Northwest Library"]);
  await page.fill("#partner-search", "low-income");
  await page.waitForFunction(() => document.querySelector("li.partner-row .name")?.textContent === "Eastside Food Pantry");
  await page.fill("#partner-search", "");
  await page.click(".filter-details summary");
  await page.selectOption("#filter-language", "Polish");
  await page.waitForFunction(() => document.querySelectorAll("li.partner-row").length === 1);
  await page.selectOption("#filter-stage", "collaboration");
  assert.deepEqual(await names(), ["Northwest Library"]);
  await page.selectOption("#filter-language", "");
  await page.selectOption("#filter-stage", "");
  await page.check("#filter-quiet");
  await page.waitForFunction(() => document.querySelectorAll("li.partner-row").length === 1);
  assert.deepEqual(await names(), ["Eastside Food Pantry"], "contacted today is not quiet");
  await page.uncheck("#filter-quiet");
  await page.selectOption("#partner-sort", "stage");
  await page.waitForFunction(() => document.querySelector("li.partner-row .name")?.textContent === "Northwest Library");

  // Department and asset views.
  await page.goto(`${env.server.url}/partner-departments`);
  await page.locator(".department").first().waitFor();
  const parks = page.locator(".department").filter({ has: page.locator("h2", { hasText: /^Parks$/ }) });
  assert.match(await parks.textContent(), /Northwest Library — also works with them\s*Also known to: Library/);
  const library = page.locator(".department").filter({ has: page.locator("h2", { hasText: /^Library$/ }) });
  assert.match(await library.textContent(), /Northwest Library — owns the relationship/);
  await page.goto(`${env.server.url}/partner-assets`);
  await page.fill("#reach-filter", "polish");
  await page.waitForFunction(() => document.querySelectorAll("#by-population-h ~ .groups .group").length === 1);
  assert.match(await page.locator("#by-population-h ~ .groups").textContent(), /Polish-speaking families.*Northwest Library/);

  // A checklist for this partner shows on its page.
  await page.goto(partnerUrl);
  await page.getByRole("link", { name: "First-meeting checklist" }).click();
  await page.locator("#start-run").waitFor();
  assert.equal(await page.locator("#f-partner option:checked").textContent(), "Northwest Library");
  await page.click("#start-run");
  await page.waitForURL(/\/runs\//);
  await page.goto(partnerUrl);
  await page.locator("#partner-runs-h ~ .partner-links li", { hasText: "First meeting with a new partner" }).waitFor();

  // Reload with no network: everything is still there.
  await page.goto(partnerUrl);
  await page.reload();
  await page.locator("#partner-name").waitFor({ timeout: 20000 });
  assert.equal(await page.locator(".contact").count(), 2);
  assert.equal(await page.locator(".timeline li").count(), 1);
  assert.equal(await page.locator(".stage-history li").count(), 2);
  assert.equal(await page.locator("#current-stage").textContent(), "Collaboration");
  assert.deepEqual(errors, []);
  await ctx.close();
  await env.server.up();
});

const EVIL = `<img src=x onerror="window.__pwned=1">"'><script>window.__pwned=2</script>`;

test("hostile text in every partner field renders inert", async () => {
  if (!env.server.proc) await env.server.up();
  const ctx = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(`${env.server.url}/new-partner`);
  await page.locator("#f-name").waitFor({ timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector(".loading"));
  const text = ["name", "description", "strengths", "populations", "languages", "service_area", "address", "owning_department", "other_departments", "tags"];
  await fill(page, Object.fromEntries(text.map((f) => [f, `${f} ${EVIL}`])));
  await page.selectOption("#f-kind", "other");
  // A script address is refused next to its field.
  await page.fill("#f-website", "javascript:window.__pwned=3");
  await page.click("#save-partner");
  await page.waitForFunction(() => document.querySelector("#e-website")?.textContent.length > 0);
  await page.fill("#f-website", "");
  await page.fill("#f-map_link", "JavaScript:alert(1)");
  await page.click("#save-partner");
  await page.waitForFunction(() => document.querySelector("#e-map_link")?.textContent.length > 0);
  await page.fill("#f-map_link", "");
  await page.click("#save-partner");
  await page.waitForURL(/\/partners\/[0-9a-f-]{36}$/);
  await page.click("#add-contact");
  await fill(page, { name: `contact ${EVIL}`, role: EVIL, preferred_language: EVIL, speaks_for: EVIL });
  await page.click("#save-contact");
  await page.locator(".contact").waitFor();
  await page.click("#log-interaction");
  await page.fill("#f-notes", EVIL);
  await page.fill("#f-logged_by", EVIL);
  await page.click("#save-interaction");
  await page.locator(".timeline li").waitFor();

  const article = page.locator("article.partner");
  assert.equal(await page.locator("#partner-name").textContent(), `name ${EVIL}`);
  assert.equal(await article.locator("script, img, iframe").count(), 0, await article.innerHTML());
  assert.match(await article.textContent(), /<script>window.__pwned=2<\/script>/);
  for (const href of await article.locator("a").evaluateAll((as) => as.map((a) => a.getAttribute("href") || ""))) {
    assert.doesNotMatch(href, /^\s*javascript:/i);
  }
  await page.goto(`${env.server.url}/partners`);
  await page.fill("#partner-search", "onerror");
  await page.locator("li.partner-row").first().waitFor();
  await page.goto(`${env.server.url}/partner-departments`);
  await page.locator(".department").first().waitFor();
  await page.goto(`${env.server.url}/partner-assets`);
  await page.locator(".group").first().waitFor();
  // Nothing overflows a 320 px screen, even with long hostile words.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  await ctx.close();
});
