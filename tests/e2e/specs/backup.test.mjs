// A backup file carries every document with its history from one device to another, and
// importing it (twice, even) loses nothing and duplicates nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openToolkit, serverAndBrowser, waitForOfflineReady } from "../lib.mjs";

const env = serverAndBrowser();

test("a backup saved on one device restores its unsynced edit on another", async () => {
  const a = await env.browser.newContext({ acceptDownloads: true });
  const b = await env.browser.newContext();
  const pa = await a.newPage();
  const pb = await b.newPage();
  for (const p of [pa, pb]) {
    await openToolkit(p, env.server.url);
    await waitForOfflineReady(p);
  }

  // With the server down, A's edit exists only on A.
  await env.server.down();
  await pa.goto(`${env.server.url}/toolkit/pace-of-partners/edit`);
  await pa.locator("#f-title").fill("Pace of partners (only on A)");
  await pa.click("#save-entry");
  await pa.waitForURL(/\/toolkit\/pace-of-partners$/);

  await pa.goto(`${env.server.url}/sync`);
  await pa.locator("#backup-save:not([disabled])").waitFor();
  const [download] = await Promise.all([pa.waitForEvent("download"), pa.click("#backup-save")]);
  assert.match(download.suggestedFilename(), /^commontable-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await download.path();

  await pb.goto(`${env.server.url}/sync`);
  await pb.locator("#backup-file:not([disabled])").waitFor();
  await pb.setInputFiles("#backup-file", file);
  await pb.getByText(/Imported: \d+ documents gained revisions/).waitFor();
  await pb.goto(`${env.server.url}/toolkit/pace-of-partners`);
  await pb.locator("article.entry h1", { hasText: "Pace of partners (only on A)" }).waitFor();

  // Importing the same file again adds nothing.
  await pb.goto(`${env.server.url}/sync`);
  await pb.locator("#backup-file:not([disabled])").waitFor();
  await pb.setInputFiles("#backup-file", file);
  await pb.getByText("Imported: 0 documents gained revisions.").waitFor();

  // A file that is not a backup is refused with a reason, and nothing changes.
  await pb.setInputFiles("#backup-file", { name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
  await pb.getByText(/could not be imported/).waitFor();

  await env.server.up();
  await a.close();
  await b.close();
});
