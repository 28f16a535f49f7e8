// Browser test of school safety (issue #7): a school user records a hazard, assigns the
// rectification and reports it with a photo; the bureau officer verifies and closes it
// (销号); the dashboard shows it closed. Runs the real `emis` binary on a fresh SQLite
// database and drives headless Chromium. Screenshots go to $EMIS_ARTIFACTS.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { County } from "./support.mjs";

const county = new County("safety");
const { emis, file, work, artifacts } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";

function isoDay(offsetDays) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

let base;

before(async () => {
  fs.writeFileSync(path.join(work, "schools.csv"),
    "学校标识码,学校名称,办学类型,所在乡镇\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇\n${TOWN},龙潭镇中学,初级中学,龙潭镇\n`);
  emis("init");
  emis("import", "schools", path.join(work, "schools.csv"));
  county.users(["anquan", "officer", "431224"], ["xiaoxue", "school", URBAN], ["longtanzx", "school", TOWN], ["longtan", "township", "431224104"]);
  base = await county.start();
});

after(() => county.stop());

const signedIn = (name) => county.signedIn(name);

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
  const site = path.join(work, "site.png");
  fs.writeFileSync(site, Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  await school.setInputFiles("#hazard-photo", site);
  await school.click("#record-hazard");
  assert.match(new URL(school.url()).pathname, /^\/safety\/hazards\/\d+$/);
  assert.match(await school.textContent("#evidence"), /site\.png/);
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

test("a township keeps a water's roster and 九长 chain; a school keeps its class link; the home page shows safety", async () => {
  const town = await signedIn("longtan");
  await town.goto(`${base}/safety/waters`);
  await town.fill("#water-form [name=village]", "龙潭村");
  await town.fill("#water-form [name=name]", "龙潭河野泳点");
  await town.selectOption("#water-form [name=kind]", "野泳点");
  await town.selectOption("#water-form [name=risk]", "高");
  await town.click("#water-form button[type=submit]");
  assert.match(new URL(town.url()).pathname, /^\/safety\/waters\/\d+$/);
  const waterUrl = `${base}${new URL(town.url()).pathname}`;

  // The roster: a bad phone is refused and what was typed is kept; one slot a day is a gap.
  await town.fill("#roster-form [name=patroller]", "向老师");
  await town.fill("#roster-form [name=phone]", "138074");
  await town.selectOption("#roster-form [name=slot]", "中午");
  await town.click("#save-shift");
  assert.match(await town.textContent("#roster-form .field-error"), /手机号码应为11位数字/);
  assert.equal(await town.inputValue("#roster-form [name=patroller]"), "向老师");
  await town.fill("#roster-form [name=phone]", "13807451234");
  await town.click("#save-shift");
  assert.match(await town.textContent("#roster tbody"), /向老师.*138\*\*\*\*1234/s);
  assert.ok(!(await town.content()).includes("13807451234"), "the phone is masked");
  assert.ok(await town.locator(".roster-gap").count() > 0, "one slot a day is flagged");
  await town.fill("#roster-form [name=patroller]", "舒老师");
  await town.fill("#roster-form [name=phone]", "13907459876");
  await town.selectOption("#roster-form [name=slot]", "放学后");
  await town.click("#save-shift");
  assert.equal(await town.locator(".roster-gap").count(), 0, "two slots every summer day");
  // Edit a shift without retyping its phone, then remove it.
  await town.locator("#roster .edit-shift").first().click();
  await town.fill("#roster-form [name=patroller]", "向红");
  await town.click("#save-shift");
  assert.match(await town.textContent("#roster tbody"), /向红.*138\*\*\*\*1234/s);
  await town.locator("#roster .remove-shift").last().click();
  assert.equal(await town.locator("#roster tbody tr").count(), 1);
  assert.ok(await town.locator(".roster-gap").count() > 0);
  await town.screenshot({ path: path.join(artifacts, "water-roster.png"), fullPage: true });

  // The 九长 chain of a village, edited in place, its phone seen in full once (audited).
  await town.goto(`${base}/safety/chain?level=村`);
  await town.selectOption("#link-form [name=level]", "村");
  await town.fill("#link-form [name=village]", "龙潭村");
  await town.selectOption("#link-form [name=role]", "村长");
  await town.fill("#link-form [name=person]", "舒村长");
  await town.fill("#link-form [name=phone]", "13907450001");
  await town.click("#add-link");
  assert.match(await town.textContent("#chain tbody"), /龙潭村.*村长.*舒村长.*139\*\*\*\*0001/s);
  await town.locator("#chain .edit-link").first().click();
  await town.fill("#link-edit [name=person]", "舒红");
  await town.click("#save-link");
  assert.match(await town.textContent("#chain tbody"), /舒红.*139\*\*\*\*0001/s);
  await town.locator("#chain .reveal-link").first().click();
  assert.match(await town.textContent("#chain tbody"), /13907450001/);
  await town.screenshot({ path: path.join(artifacts, "chain-village.png"), fullPage: true });

  // A school adds its class link; another school does not see it.
  const school = await signedIn("longtanzx");
  await school.goto(`${base}/safety/chain?level=班级`);
  await school.selectOption("#link-form [name=level]", "班级");
  await school.selectOption("#link-form [name=grade]", "七年级");
  await school.fill("#link-form [name=class_number]", "2");
  await school.selectOption("#link-form [name=role]", "班长");
  await school.fill("#link-form [name=person]", "米老师");
  await school.fill("#link-form [name=phone]", "13907450002");
  await school.click("#add-link");
  assert.match(await school.textContent("#chain tbody"), /龙潭镇中学 七年级2班.*米老师/s);
  const urban = await signedIn("xiaoxue");
  await urban.goto(`${base}/safety/chain?level=班级`);
  assert.ok(!(await urban.textContent("#chain tbody")).includes("米老师"));

  // The home page carries the safety card; the ledger prints in the 整改销号登记表 layout.
  await town.goto(`${base}/`);
  assert.ok(await town.locator("#safety-card").isVisible());
  assert.match(await town.textContent("#safety-card"), /重点水域设施到位/);
  await town.goto(`${base}/safety/hazards/print`);
  assert.match(await town.textContent("#ledger thead"), /整改时限.*整改资金.*销号/s);
  await town.emulateMedia({ media: "print" });
  assert.ok(!(await town.locator("aside.side").isVisible()), "the menu is not printed");
  await town.screenshot({ path: path.join(artifacts, "ledger-print.png"), fullPage: true });
});

test("a township uploads 十有 evidence as a file and opens it from the list", async () => {
  const town = await signedIn("longtan");
  await town.goto(`${base}/safety/ten-haves`);
  await town.selectOption("#ten-file-form [name=item]", "值班值守");
  await town.setInputFiles("#ten-file-form [name=file]", {
    name: "值班表.txt", mimeType: "text/plain", buffer: Buffer.from("not a photo"),
  });
  await town.click("#ten-file-form button[type=submit]");
  assert.match(await town.textContent("#ten-file-form .field-error"), /只接受 JPG、PNG/);
  await town.selectOption("#ten-file-form [name=item]", "值班值守");
  await town.setInputFiles("#ten-file-form [name=file]", {
    name: "值班表.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% 值班表\n"),
  });
  await town.click("#ten-file-form button[type=submit]");
  assert.match(await town.textContent("#ten-have-files"), /值班值守：值班表\.pdf/);
  const href = await town.getAttribute("#ten-have-files a", "href");
  const reply = await town.request.get(`${base}${href}`);
  assert.equal(reply.status(), 200);
  assert.equal(reply.headers()["content-type"], "application/pdf");
  await town.screenshot({ path: path.join(artifacts, "ten-have-files.png"), fullPage: true });
});

test("the bureau launches a campaign with a checklist; a school ticks what it checked", async () => {
  const officer = await signedIn("anquan");
  await officer.goto(`${base}/safety/inspections`);
  await officer.fill("#campaign-form [name=title]", "防溺水专项行动");
  await officer.fill("#campaign-form [name=planned_on]", isoDay(-3));
  await officer.fill("#campaign-form [name=checklist]", "警示标牌、救生设施、家长告知");
  await officer.click("#campaign-form button[type=submit]");
  await officer.click("#campaigns >> text=防溺水专项行动");
  const campaignUrl = officer.url();
  assert.match(await officer.textContent("#complete"), /^0$/);

  const school = await signedIn("xiaoxue");
  await school.goto(campaignUrl);
  await school.click("#save-checks");
  assert.match(await school.textContent("#checks-form .field-error"), /请勾选已排查的项目/);
  await school.check("#checks-form input[value=警示标牌]");
  await school.check("#checks-form input[value=救生设施]");
  await school.check("#checks-form input[value=家长告知]");
  await school.click("#save-checks");
  assert.match(await school.textContent("#progress tbody"), /溆浦县卢峰镇第一小学\s*3\/3/);

  await officer.reload();
  assert.match(await officer.textContent("#complete"), /^1$/);
  assert.match(await officer.textContent("#progress tbody"), /龙潭镇中学\s*0\/3\s*警示标牌、救生设施、家长告知/);
  await officer.screenshot({ path: path.join(artifacts, "campaign-progress.png"), fullPage: true });
});
