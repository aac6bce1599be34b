// Shared harness for the end-to-end tests: starts the real server on a free loopback port with
// a fresh data folder, launches Debian's Chromium through playwright-core, and can stop and
// restart the server to take the network away.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createServer } from "node:net";
import { chromium } from "playwright-core";
import { after, before } from "node:test";

export const ROOT = resolve(import.meta.dirname, "../..");
export const SERVER_BIN = process.env.COMMONTABLE_SERVER_BIN || join(ROOT, "target/release/commontable-server");
export const DIST = process.env.COMMONTABLE_DIST || join(ROOT, "dist");

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export async function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on("error", rej);
  });
}

/** The app's server, on loopback, with its own data folder. */
export class AppServer {
  constructor(port, dataDir, dist) {
    this.port = port;
    this.dataDir = dataDir;
    this.dist = dist;
    this.proc = null;
  }

  static async start({ dist = DIST, args = [] } = {}) {
    const s = new AppServer(await freePort(), mkdtempSync(join(tmpdir(), "ct-e2e-")), dist);
    s.args = args;
    await s.up();
    return s;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async up() {
    this.proc = spawn(SERVER_BIN, ["--addr", `127.0.0.1:${this.port}`, "--data", this.dataDir, "--dist", this.dist, ...(this.args || [])], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    this.proc.stdout.on("data", (d) => (log += d));
    this.proc.stderr.on("data", (d) => (log += d));
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.url}/healthz`);
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${log}`);
  }

  async down() {
    if (!this.proc) return;
    const p = this.proc;
    this.proc = null;
    const exited = new Promise((r) => p.once("exit", r));
    p.kill("SIGKILL");
    await exited;
  }
}

/** A non-incognito profile (Chromium only offers install outside incognito). */
export async function launchPersistent() {
  const dir = mkdtempSync(join(tmpdir(), "ct-profile-"));
  return chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Waits until the service worker controls the page and has its caches ready. */
export async function waitForOfflineReady(page) {
  await page.waitForFunction(async () => {
    if (!navigator.serviceWorker.controller) return false;
    const keys = await caches.keys();
    return keys.some((k) => k.startsWith("commontable-shell-"));
  }, null, { timeout: 20000 });
}

/** Opens the app and waits until the toolkit list is shown. */
export async function openToolkit(page, base) {
  await page.goto(`${base}/toolkit`);
  await page.locator("ul.cards li.card").first().waitFor({ timeout: 20000 });
}

/** For a test file: the app's server and a browser, started before its tests, stopped after. */
export function serverAndBrowser() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await AppServer.start();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.down();
  });
  return env;
}
