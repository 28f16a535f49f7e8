// Browser test of school safety (issue #7): a school user records a hazard, assigns the
// rectification and reports it with a photo; the bureau officer verifies and closes it
// (销号); the dashboard shows it closed. Runs the real `emis` binary on a fresh SQLite
// database and drives headless Chromium. Screenshots go to $EMIS_ARTIFACTS.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { freePort } from "./support.mjs";

const here = path.dirname(new URL(import.meta.url).pathname);
const emisBin = process.env.EMIS_BIN || path.join(here, "..", "target", "debug", "emis");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const work = fs.mkdtempSync(path.join(os.tmpdir(), "emis-safety-"));
const artifacts = process.env.EMIS_ARTIFACTS || path.join(work, "screenshots");
fs.mkdirSync(artifacts, { recursive: true });
const db = `sqlite://${path.join(work, "emis.db")}`;

const URBAN = "2143000001";
const TOWN = "2143000002";

function emis(...args) {
  return execFileSync(emisBin, ["--db", db, ...args], { encoding: "utf8" });
}

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let server;
let browser;
let base;
const passwords = {};

before(async () => {
  fs.writeFileSync(path.join(work, "schools.csv"),
    "学校标识码,学校名称,办学类型,所在乡镇\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇\n${TOWN},龙潭镇中学,初级中学,龙潭镇\n`);
  emis("init");
  emis("import", "schools", path.join(work, "schools.csv"));
  for (const [name, role, org] of [["anquan", "officer", "431224"], ["xiaoxue", "school", URBAN], ["longtanzx", "school", TOWN]]) {
    const out = emis("user", "add", name, "--role", role, "--org", org);
    passwords[name] = out.split("初始密码：")[1].slice(0, 12);
  }
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(emisBin, ["--db", db, "serve", "--listen", `127.0.0.1:${port}`], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  console.log(`screenshots: ${artifacts}`);
});

async function signedIn(name) {
  const context = await browser.newContext({ locale: "zh-CN", acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.fill("#username", name);
  await page.fill("#password", passwords[name]);
  await page.click("#login-submit");
  if (page.url().endsWith("/password")) {
    const fresh = `Xin${name}2022`;
    await page.fill("#old", passwords[name]);
    await page.fill("#new", fresh);
    await page.fill("#confirm", fresh);
    await page.click("#password-submit");
    passwords[name] = fresh;
  }
  return page;
}

test("a school records and rectifies a hazard with a photo; the bureau closes it", async () => {
  const school = await signedIn("xiaoxue");
  await school.goto(`${base}/safety/hazards`);
  // A field error is shown next to its field, and what was typed is kept.
  await school.fill("#hazard-form [name=place]", "");
  await school.fill("#hazard-form [name=description]", "插座面板破损，电线裸露");
  await school.click("#record-hazard");
  assert.match(await school.textContent("#hazard-form .field-error"), /请填写隐患部位/);
  assert.equal(await school.inputValue("#hazard-form [name=description]"), "插座面板破损，电线裸露");
  await school.fill("#hazard-form [name=place]", "教学楼二楼走廊");
  await school.selectOption("#hazard-form [name=category]", "用电");
  await school.selectOption("#hazard-form [name=grade]", "一般");
  await school.click("#record-hazard");
  assert.match(new URL(school.url()).pathname, /^\/safety\/hazards\/\d+$/);
  const hazardUrl = `${base}${new URL(school.url()).pathname}`;
  assert.match(await school.textContent("#hazard-status"), /待整改/);

  await school.fill("#assign-form [name=responsible]", "向校长");
  await school.fill("#assign-form [name=measures]", "更换插座面板，线路穿管");
  await school.fill("#assign-form [name=deadline]", isoDay(7));
  await school.fill("#assign-form [name=budget]", "1200");
  await school.click("#assign");
  assert.match(await school.textContent("#hazard-status"), /整改中/);

  // A file that is not a photo is refused by its content, whatever its name.
  const fake = path.join(work, "fake.jpg");
  fs.writeFileSync(fake, "MZ this is not a picture");
  await school.fill("#rectify-form [name=result]", "已更换面板并穿管");
  await school.setInputFiles("#photo", fake);
  await school.click("#rectify");
  assert.match(await school.textContent("#rectify-form .field-error"), /只接受 JPG、PNG/);

  const photo = path.join(work, "after.png");
  fs.writeFileSync(photo, Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  await school.fill("#rectify-form [name=result]", "已更换面板并穿管");
  await school.setInputFiles("#photo", photo);
  await school.click("#rectify");
  assert.match(await school.textContent("#hazard-status"), /待复查/);
  assert.match(await school.textContent("#evidence"), /after\.png/);
  await school.screenshot({ path: path.join(artifacts, "hazard-rectified.png"), fullPage: true });

  // Another school cannot open it.
  const other = await signedIn("longtanzx");
  const refused = await other.goto(hazardUrl);
  assert.equal(refused.status(), 404);

  const officer = await signedIn("anquan");
  await officer.goto(hazardUrl);
  await officer.click("#close");
  assert.match(await officer.textContent("#close-form .field-error"), /请填写复查意见/);
  await officer.fill("#review", "复查合格，同意销号");
  await officer.click("#close");
  assert.match(await officer.textContent("#hazard-status"), /已销号/);
  assert.equal((await officer.textContent("#closed-on")).trim(), isoDay(0));
  await officer.screenshot({ path: path.join(artifacts, "hazard-closed.png"), fullPage: true });

  await officer.goto(`${base}/safety`);
  assert.equal((await officer.textContent("#count-closed")).trim(), "1");
  assert.equal((await officer.textContent("#count-open")).trim(), "0");
  assert.equal((await officer.textContent("#count-overdue")).trim(), "0");
  await officer.screenshot({ path: path.join(artifacts, "safety-dashboard.png"), fullPage: true });

  await officer.goto(`${base}/safety/hazards`);
  const rows = await officer.locator("#hazard-list tbody tr").allTextContents();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /已销号/);
  const [download] = await Promise.all([officer.waitForEvent("download"), officer.click("#export")]);
  const saved = path.join(work, "ledger.xlsx");
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString(), "PK");
});
