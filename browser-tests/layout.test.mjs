// Browser test of the page shell (issue #13): at 390×844 (a phone) every page of the menu
// fits the screen width (tables scroll inside themselves, the menu folds behind 菜单); each
// role's home is captured at 1440×900 and at 390×844 as artifacts.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("layout");
const URBAN = "2143000001";
const TOWN = "2143000002";
const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
let base;

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n${TOWN},龙潭镇中学,初级中学,龙潭镇,镇区,是\n`;
  const pupils = Array.from({ length: 60 }, (_, n) => {
    const id = idNumber("431224", "20140310", 100 + n);
    return `${URBAN},学生${n},${sex(id)},${id},二年级,1`;
  });
  county.load(schools, `学校标识码,姓名,性别,身份证件号,年级,班级\n${pupils.join("\n")}\n`);
  county.users(
    ["admin", "admin", "431224"],
    ["luofeng", "township", "431224100"],
    ["xiaoxue", "school", URBAN],
    ["longtanzx", "school", TOWN],
  );
  base = await county.start();
});

after(() => county.stop());

/** How far a page is wider than the window (0 when it fits). */
const overflow = (page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test("every menu page fits a 390 px phone; the menu folds behind 菜单", async () => {
  const page = await county.signedIn("admin");
  await page.setViewportSize(PHONE);
  await page.goto(`${base}/`);
  // The menu is folded away until 菜单 is pressed.
  assert.equal(await page.locator("aside.side").isVisible(), false);
  await page.click("#menu-button");
  assert.equal(await page.locator("aside.side").isVisible(), true);
  const links = await page.$$eval("aside.side nav a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length > 30, `${links.length} menu pages`);
  const wide = [];
  for (const href of [...new Set(links)]) {
    const response = await page.goto(`${base}${href}`);
    assert.ok(response.status() < 500, `${href}: ${response.status()}`);
    const over = await overflow(page);
    if (over > 1) wide.push(`${href} (+${over}px)`);
  }
  assert.deepEqual(wide, [], "pages wider than the phone");
  await page.goto(`${base}/students`);
  await county.shot(page, "layout-students-phone.png");
});

test("each role's home at both widths", async () => {
  for (const name of ["admin", "luofeng", "xiaoxue"]) {
    const page = await county.signedIn(name);
    for (const [label, size] of [["desktop", DESKTOP], ["phone", PHONE]]) {
      await page.setViewportSize(size);
      await page.goto(`${base}/`);
      assert.ok(await overflow(page) <= 1, `${name} home at ${label}`);
      await county.shot(page, `home-${name}-${label}.png`);
    }
  }
  // The login page has the viewport tag too: it fits the phone.
  const context = await county.browser.newContext({ viewport: PHONE });
  const login = await context.newPage();
  await login.goto(`${base}/login`);
  assert.ok(await overflow(login) <= 1, "login at phone width");
});

/** Records a hazard as a school on its page. */
async function recordHazard(name, place) {
  const school = await county.signedIn(name);
  await school.goto(`${base}/safety/hazards`);
  await school.fill("#hazard-form [name=place]", place);
  await school.fill("#hazard-form [name=description]", "灭火器压力不足");
  await school.selectOption("#hazard-form [name=category]", "消防");
  await school.selectOption("#hazard-form [name=grade]", "一般");
  const photo = path.join(county.work, `${name}.png`);
  fs.writeFileSync(photo, Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64"));
  await school.setInputFiles("#hazard-photo", photo);
  await school.click("#record-hazard");
  assert.match(new URL(school.url()).pathname, /^\/safety\/hazards\/\d+$/);
}

test("a township's home shows its own work and figures only", async () => {
  await recordHazard("xiaoxue", "教学楼二楼走廊");
  await recordHazard("longtanzx", "食堂");
  const admin = await county.signedIn("admin");
  await admin.goto(`${base}/`);
  assert.match(await admin.textContent("#todos"), /隐患整改中 2 处/);
  assert.match(await admin.textContent(".home-charts"), /各乡镇安全隐患（处）/);

  const township = await county.signedIn("luofeng");
  await township.goto(`${base}/`);
  // 卢峰镇 has the urban primary school and its hazard; 龙潭镇's is not its own.
  assert.match(await township.textContent("#todos"), /隐患整改中 1 处/);
  assert.match(await township.textContent("#home-open"), /^1$/);
  const charts = await township.textContent(".home-charts");
  assert.match(charts, /卢峰镇安全隐患（处）/);
  assert.doesNotMatch(charts, /各乡镇/);
  await county.shot(township, "home-township-own-work.png");
  // The chart leads to the area's page.
  await township.click(".home-chart");
  assert.equal(new URL(township.url()).pathname, "/safety");
});
