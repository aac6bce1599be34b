// Checklists and the field log with the server stopped: a door-to-door shift of 20 visits, the
// page killed mid-run and reopened with every answer there, a listening session completed,
// "where haven't we been?", and hostile text inert.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

async function goOffline(ctx, base) {
  const page = await ctx.newPage();
  await page.goto(`${base}/checklists`);
  await page.locator(".templates li").first().waitFor({ timeout: 20000 });
  await waitForOfflineReady(page);
  await env.server.down();
  return page;
}

test("field work offline: areas, a shift of 20 doors, a run that survives a killed page, a completed listening session", async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  const errors = [];
  let page = await goOffline(ctx, env.server.url);
  page.on("pageerror", (e) => errors.push(e.message));

  // The shipped templates are there, offline.
  const slugs = await page.locator(".templates li").evaluateAll((ls) => ls.map((l) => l.dataset.slug));
  for (const s of ["door-to-door", "listening-session", "partnership-assessment", "collective-impact-check", "racial-equity-questions", "first-meeting", "audit-procurement"]) {
    assert.ok(slugs.includes(s), `${s} in ${slugs}`);
  }

  // Register two areas and a group.
  await page.goto(`${env.server.url}/register`);
  for (const name of ["Eastgate", "Northfield"]) {
    await page.locator("#areas-h ~ form #f-name").fill(name);
    await page.click("#add-area");
    await page.locator("#areas-h ~ .register li", { hasText: name }).waitFor();
  }
  await page.locator("#groups-h ~ form #f-name").fill("Renters in older apartments");
  await page.locator("#groups-h ~ form #f-why").fill("Low turnout at every session so far");
  await page.locator("#groups-h ~ form #f-identified_by").fill("Core group");
  await page.click("#add-group");
  await page.locator("#groups-h ~ .register li").first().waitFor();

  // Door to door: 20 doors, most in one tap.
  await page.goto(`${env.server.url}/door`);
  await page.locator("#shift-area").selectOption({ label: "Eastgate" });
  await page.click("#start-shift");
  await page.fill("#door-segment", "300 block of Elm");
  const outcomes = ["Talked", "Not home", "Not home", "Declined", "Come back later"];
  for (let i = 0; i < 20; i++) {
    if (i % 5 === 0) await page.getByRole("button", { name: "Spanish", exact: true }).click();
    await page.locator(".outcomes button", { hasText: outcomes[i % 5] }).click();
    await page.waitForFunction((n) => document.querySelector("#tally")?.textContent.startsWith(`${n} door`), i + 1);
  }
  assert.equal(await page.locator("#tally").textContent(), "20 doors · Talked 4 · Not home 8 · Declined 4 · Come back later 4");
  // Details for the last door; contact details only with consent.
  await page.locator(".visit-details summary").click();
  await page.fill("#v-needs", "Rent help; English classes");
  assert.equal(await page.locator("#v-contact").count(), 0, "no contact field without consent");
  await page.check("#v-consent");
  await page.fill("#v-contact", "Maria, 555-0199");
  await page.click("#save-details");
  await page.locator(".visit-details .ok", { hasText: "Saved" }).waitFor();

  // Kill the page mid-shift and come back: the shift, its tally and the segment are there.
  await page.close({ runBeforeUnload: false });
  page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${env.server.url}/door`);
  await page.locator("#tally").waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector("#tally")?.textContent.startsWith("20 doors"));
  assert.equal(await page.inputValue("#door-segment"), "300 block of Elm");
  await page.click("#end-shift");

  // Where haven't we been: Northfield (never), and the group with no listening session.
  await page.goto(`${env.server.url}/coverage`);
  await page.locator("#area-gaps li").first().waitFor();
  assert.deepEqual(await page.locator("#area-gaps li").allTextContents(), ["Northfield · never visited"]);
  assert.match(await page.locator("#group-gaps").textContent(), /Renters in older apartments/);

  // A listening session for that group, answered in any order; the page is killed mid-run.
  await page.locator("#group-gaps a").first().click();
  await page.locator("#start-run").waitFor();
  await page.click("#start-run");
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  const runUrl = page.url();
  await page.locator("#item-what_we_heard").fill("People want evening hours and childcare.");
  await page.locator('[data-item="host"] input[value="Library"]').check();
  await page.locator("#item-date").fill("2026-11-20");
  await page.locator("#item-date").dispatchEvent("change");
  await page.locator('[data-item="interpretation"] input[value="yes"]').check();
  await page.locator("#item-attendance").fill("23");
  await page.locator("#item-attendance").press("Tab");
  await page.locator('[data-item="attendance"] .item-status', { hasText: "Saved" }).waitFor();
  await page.locator('[data-item="what_we_heard"] .item-status', { hasText: "Saved" }).waitFor();
  // Required items are still missing: completing says which.
  await page.click("#complete-run");
  await page.waitForFunction(() => /Still to answer:.*What do we want to hear about/.test(document.querySelector("#run-message")?.textContent));

  await page.close({ runBeforeUnload: false });
  page = await ctx.newPage();
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(runUrl);
  await page.locator("#item-what_we_heard").waitFor({ timeout: 20000 });
  assert.equal(await page.inputValue("#item-what_we_heard"), "People want evening hours and childcare.");
  assert.equal(await page.locator('[data-item="host"] input[value="Library"]').isChecked(), true);
  assert.equal(await page.inputValue("#item-date"), "2026-11-20");
  assert.equal(await page.inputValue("#item-attendance"), "23");
  assert.equal(await page.locator('[data-item="interpretation"] input[value="yes"]').isChecked(), true);

  // Finish the required items and complete.
  await page.locator("#item-purpose").fill("How residents want to hear from us");
  await page.locator("#item-purpose").press("Tab");
  await page.locator('[data-item="purpose"] .item-status', { hasText: "Saved" }).waitFor();
  await page.locator("#item-invite_underserved").check();
  await page.locator('[data-item="invite_underserved"] .item-status', { hasText: "Saved" }).waitFor();
  await page.click("#complete-run");
  await page.locator("#reopen-run").waitFor();
  assert.equal(await page.locator(".run-status").textContent(), "Complete");
  // An amended answer keeps its history.
  await page.click("#reopen-run");
  await page.locator("#item-attendance").fill("25");
  await page.locator("#item-attendance").press("Tab");
  await page.locator('[data-item="attendance"] .item-status', { hasText: "changed 2 times" }).waitFor();

  await page.goto(`${env.server.url}/coverage`);
  await page.locator("#groups-gap-h ~ .ok").waitFor();

  // An editor changes the template: a new version; the run already made keeps its version.
  await page.goto(`${env.server.url}/checklists/edit/listening-session`);
  const text = await page.inputValue("#f-template");
  await page.fill("#f-template", text.replace("title = \"Prepare\"", "title = \"Get ready\"").replace('kind = "number"', 'kind = "essay"'));
  await page.click("#save-template");
  await page.waitForFunction(() => /essay/.test(document.querySelector("#e-template")?.textContent));
  await page.fill("#f-template", text.replace("title = \"Prepare\"", "title = \"Get ready\""));
  await page.click("#save-template");
  await page.waitForURL(/\/checklists$/);
  await page.locator('.templates li[data-slug="listening-session"] .meta', { hasText: "Version 2" }).waitFor();
  await page.goto(runUrl);
  await page.locator(".run-section h2").first().waitFor();
  assert.equal(await page.locator(".run-section h2").first().textContent(), "Prepare", "the run keeps version 1");
  await page.goto(`${env.server.url}/checklists/start/listening-session`);
  await page.click("#start-run");
  await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
  await page.locator(".run-section h2").first().waitFor();
  assert.equal(await page.locator(".run-section h2").first().textContent(), "Get ready", "a new run uses version 2");
  assert.deepEqual(errors, []);
  await ctx.close();
  await env.server.up();
});

const EVIL = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;

test("hostile text in checklist answers, areas, groups and visits stays inert", async () => {
  if (!env.server.proc) await env.server.up();
  const ctx = await env.browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  await page.goto(`${env.server.url}/register`);
  await page.locator("#add-area").waitFor({ timeout: 20000 });
  await page.locator("#areas-h ~ form #f-name").fill(`area ${EVIL}`);
  await page.locator("#areas-h ~ form #f-notes").fill(EVIL);
  await page.click("#add-area");
  await page.locator("#areas-h ~ .register li").first().waitFor();
  await page.locator("#groups-h ~ form #f-name").fill(`group ${EVIL}`);
  await page.locator("#groups-h ~ form #f-why").fill(EVIL);
  await page.click("#add-group");
  await page.locator("#groups-h ~ .register li").first().waitFor();
  await page.goto(`${env.server.url}/door`);
  await page.locator("#shift-area").selectOption({ index: 1 });
  await page.click("#start-shift");
  await page.fill("#door-segment", EVIL);
  await page.locator(".outcomes button").first().click();
  await page.waitForFunction(() => document.querySelector("#tally")?.textContent.startsWith("1 door"));
  await page.goto(`${env.server.url}/checklists/start/first-meeting`);
  await page.fill("#f-title", `run ${EVIL}`);
  await page.click("#start-run");
  await page.waitForURL(/\/runs\//);
  await page.locator("#item-governance").fill(EVIL);
  await page.locator("#item-governance").press("Tab");
  await page.locator('[data-item="governance"] .item-status', { hasText: "Saved" }).waitFor();
  await page.reload();
  await page.locator("#item-governance").waitFor();
  assert.equal(await page.inputValue("#item-governance"), EVIL);
  assert.equal(await page.locator("h1").textContent(), `run ${EVIL}`);
  for (const path of ["/checklists", "/register", "/coverage"]) {
    await page.goto(`${env.server.url}${path}`);
    await page.locator("main h1").waitFor();
    await page.waitForFunction(() => !document.querySelector(".loading"));
    assert.equal(await page.locator("main script, main img").count(), 0, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`);
  }
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(dialogs, []);
  await ctx.close();
});
