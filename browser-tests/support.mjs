// Shared helpers of the browser tests: valid ID numbers, a free local port, and the
// county each test file runs: database, `emis` server and headless Chromium.

import net from "node:net";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

/** A GB 11643 ID number: area code, birth date YYYYMMDD, sequence, check character. */
export function idNumber(area, birth, seq) {
  const body = `${area}${birth}${String(seq).padStart(3, "0")}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return body + "10X98765432"[sum % 11];
}

/** A port nobody listens on, for the server under test. */
export function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * A county for one browser test file: a fresh database (or EMIS_BROWSER_DB), the real
 * `emis` binary (EMIS_BIN) serving it on a free port, and headless Chromium (CHROMIUM).
 * Screenshots go to EMIS_ARTIFACTS or the work folder.
 */
export class County {
  constructor(name) {
    const here = path.dirname(new URL(import.meta.url).pathname);
    this.bin = process.env.EMIS_BIN || path.join(here, "..", "target", "debug", "emis");
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), `emis-${name}-`));
    this.artifacts = process.env.EMIS_ARTIFACTS || path.join(this.work, "screenshots");
    fs.mkdirSync(this.artifacts, { recursive: true });
    this.db = process.env.EMIS_BROWSER_DB || `sqlite://${path.join(this.work, "emis.db")}`;
    /** Each account's current password (the one-time one until the first login). */
    this.passwords = {};
    this.emis = this.emis.bind(this);
    this.file = this.file.bind(this);
  }

  /** Runs `emis --db DB ARGS…` and returns what it printed. */
  emis(...args) {
    return execFileSync(this.bin, ["--db", this.db, ...args], { encoding: "utf8" });
  }

  /** Writes a file into the work folder and returns its path. */
  file(name, text) {
    const p = path.join(this.work, name);
    fs.writeFileSync(p, text);
    return p;
  }

  /** `emis init`, then imports the schools and the 2021 autumn roll (CSV texts). */
  load(schoolsCsv, studentsCsv) {
    this.emis("init");
    this.emis("import", "schools", this.file("schools.csv", schoolsCsv));
    this.emis("import", "students", this.file("students.csv", studentsCsv), "--term", "2021-autumn");
  }

  /** Creates accounts: [name, role, org, …extra arguments]. */
  users(...accounts) {
    for (const [name, role, org, ...extra] of accounts) {
      const out = this.emis("user", "add", name, "--role", role, "--org", org, ...extra);
      this.passwords[name] = out.split("初始密码：")[1].slice(0, 12);
    }
  }

  /** Starts the server and the browser; returns the server's base URL. */
  async start() {
    const port = await freePort();
    this.base = `http://127.0.0.1:${port}`;
    this.server = spawn(this.bin, ["--db", this.db, "serve", "--listen", `127.0.0.1:${port}`], { stdio: "ignore" });
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}/health`);
        if (r.ok) break;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    return this.base;
  }

  async stop() {
    await this.browser?.close();
    this.server?.kill();
    console.log(`screenshots: ${this.artifacts}`);
  }

  /** Fills and sends the login form. */
  async login(page, name, password) {
    await page.goto(`${this.base}/login`);
    await page.fill("#username", name);
    await page.fill("#password", password);
    await page.click("#login-submit");
  }

  /** A new browser context signed in as `name`; the first login sets a new password. */
  async signedIn(name) {
    const context = await this.browser.newContext({ acceptDownloads: true, locale: "zh-CN" });
    const page = await context.newPage();
    await this.login(page, name, this.passwords[name]);
    if (page.url().endsWith("/password")) {
      const fresh = `Xin${name}2022`;
      await page.fill("#old", this.passwords[name]);
      await page.fill("#new", fresh);
      await page.fill("#confirm", fresh);
      await page.click("#password-submit");
      this.passwords[name] = fresh;
    }
    return page;
  }

  /** Saves a full-page screenshot under the artifacts folder. */
  async shot(page, name) {
    await page.screenshot({ path: path.join(this.artifacts, name), fullPage: true });
  }
}
