// Browser tests of the web platform (issue #3): login, wrong password and lock-out,
// forced password change, search, import with a bad row, scope refusal, export.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.
// Screenshots of the main pages are kept in $EMIS_ARTIFACTS (default: a temp folder).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("registry");
const { file, work, artifacts, passwords } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";

let base;
const students = [];

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇\n${TOWN},龙潭镇中学,初级中学,龙潭镇\n`;
  let csv = "学校标识码,姓名,性别,身份证件号,年级,班级\n";
  for (let n = 0; n < 30; n++) {
    const school = n < 20 ? URBAN : TOWN;
    const grade = n < 20 ? "三年级" : "八年级";
    const year = n < 20 ? 2012 : 2007;
    const id = idNumber("431224", `${year}0${1 + (n % 9)}1${n % 10}`, 100 + n);
    const sex = Number(id[16]) % 2 === 1 ? "男" : "女";
    const name = n === 3 ? "向思琪" : n === 25 ? "舒文博" : `学生${n}`;
    students.push({ school, name, id });
    csv += `${school},${name},${sex},${id},${grade},${1 + (n % 2)}\n`;
  }
  county.load(schools, csv);
  county.users(["admin", "admin", "431224"], ["xiaoxue", "school", URBAN], ["locked", "school", URBAN]);
  base = await county.start();
});

after(() => county.stop());

const login = (page, name, password) => county.login(page, name, password);

const signedIn = (name) => county.signedIn(name);

test("wrong password is refused, five failures lock the account", async () => {
  const page = await (await county.browser.newContext()).newPage();
  await login(page, "locked", "wrong-password");
  assert.match(await page.textContent("#login-error"), /账号或密码错误/);
  await page.screenshot({ path: path.join(artifacts, "login-error.png") });
  for (let i = 0; i < 4; i++) await login(page, "locked", "wrong-password");
  // Locked at this address: the right password gets the same answer as a wrong one.
  await login(page, "locked", passwords.locked);
  assert.match(await page.textContent("#login-error"), /账号或密码错误/);
  assert.equal(new URL(page.url()).pathname, "/login");
});

test("first login forces a new password, then search finds a student", async () => {
  const page = await signedIn("xiaoxue");
  assert.equal(new URL(page.url()).pathname, "/");
  await page.screenshot({ path: path.join(artifacts, "home.png"), fullPage: true });
  await page.goto(`${base}/students`);
  await page.fill("#f-q", "向思");
  await page.click("#search");
  const rows = await page.locator("#students tbody tr").allTextContents();
  assert.equal(rows.length, 1);
  assert.match(rows[0], /向思琪/);
  assert.match(rows[0], /\*{10}/, "the ID number is masked in the list");
  await page.screenshot({ path: path.join(artifacts, "students.png"), fullPage: true });
});

test("a school user cannot open another school's student", async () => {
  const admin = await signedIn("admin");
  await admin.goto(`${base}/students?q=${encodeURIComponent("舒文博")}`);
  await admin.click("#students tbody a");
  const otherUrl = admin.url();
  assert.match(await admin.textContent("#student-name"), /舒文博/);
  await admin.screenshot({ path: path.join(artifacts, "student.png"), fullPage: true });
  const page = await signedIn("xiaoxue");
  const response = await page.goto(otherUrl);
  assert.equal(response.status(), 404);
  assert.match(await page.textContent("body"), /未找到/);
});

test("import in the browser shows the bad row's reason before anything is written", async () => {
  const page = await signedIn("xiaoxue");
  const file = path.join(work, "upload.csv");
  const good = idNumber("431224", "20140305", 501);
  fs.writeFileSync(file, `学校标识码,姓名,性别,身份证件号,年级,班级\n${URBAN},新生甲,${Number(good[16]) % 2 ? "男" : "女"},${good},一年级,1\n${URBAN},新生乙,女,4312242014030550,一年级,1\n`);
  await page.goto(`${base}/import`);
  await page.setInputFiles("#file", file);
  await page.click("#preview");
  const problems = await page.textContent("#problems");
  assert.match(problems, /身份证件号应为18位/);
  assert.match(problems, /3/, "the sheet's row number is named");
  await page.screenshot({ path: path.join(artifacts, "import-preview.png"), fullPage: true });
  await page.click("#confirm-skip");
  // The confirmation runs as a background job: its page (progress bar, refreshed) gives way
  // to the result on the same address.
  assert.match(await page.textContent("#import-done"), /导入完成/);
  assert.match(page.url(), /\/jobs\/[0-9a-f]+$/);
  assert.equal(await page.locator("#job-progress").count(), 0, "the bar has given way");

  // The skipped row stays on the school's 待办 until it is corrected, and in 最近导入.
  await page.goto(`${base}/`);
  assert.match(await page.textContent("#todos"), /1 次导入跳过了有问题的行（共 1 行）/);
  await page.click("#todos a[href='/import#recent']");
  const recent = await page.textContent("#recent-imports");
  assert.match(recent, /upload\.csv/);
  await page.screenshot({ path: path.join(artifacts, "import-recent.png"), fullPage: true });
});

test("a refused upload stays on its page with the reason beside the field", async () => {
  const page = await signedIn("xiaoxue");
  const photo = path.join(work, "photo.jpg");
  fs.writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]));
  await page.goto(`${base}/import`);
  await page.setInputFiles("#file", photo);
  await page.click("#preview");
  assert.match(await page.textContent("#import-error"), /xlsx|csv/);
  assert.equal(await page.locator("#import-form").count(), 1, "the form is still there");
  assert.equal(await page.locator("#file").count(), 1);
});

test("the filtered list exports to xlsx", async () => {
  const page = await signedIn("xiaoxue");
  await page.goto(`${base}/students?grade=${encodeURIComponent("三年级")}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const saved = path.join(work, "export.xlsx");
  await download.saveAs(saved);
  const bytes = fs.readFileSync(saved);
  assert.equal(bytes.subarray(0, 2).toString(), "PK", "an xlsx (zip) file");
  assert.ok(bytes.length > 1000);
});
