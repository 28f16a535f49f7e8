// Browser test of 招生与班额 (issue #4): the officer opens the class-size monitor and sees
// a large class, draws zones and plans, imports applicants (a bad file is refused with
// its rows named), runs an allocation, runs a what-if with one more class, compares the
// two, and publishes the what-if. Runs the real `emis` binary on a fresh SQLite database
// in headless Chromium. Screenshots go to $EMIS_ARTIFACTS (default: a temp folder).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("enrollment");
const { file, artifacts } = county;

const FIRST = "2143000001";
const SECOND = "2143000004";

let base;

before(async () => {
  const schools = "学校标识码,学校名称,办学类型,所在乡镇,城乡类别\n" +
    `${FIRST},溆浦县卢峰镇第一小学,小学,卢峰镇,城区\n${SECOND},溆浦县第二完全小学,小学,卢峰镇,城区\n`;
  // A class of 58 (大班额) and a class of 40.
  let csv = "学校标识码,姓名,性别,身份证件号,年级,班级\n";
  for (let n = 0; n < 98; n++) {
    const id = idNumber("431224", `2012${String(1 + (n % 12)).padStart(2, "0")}1${n % 10}`, 100 + n);
    const sex = Number(id[16]) % 2 === 1 ? "男" : "女";
    csv += `${n < 58 ? FIRST : SECOND},学生${n},${sex},${id},三年级,1\n`;
  }
  county.load(schools, csv);
  county.users(["jijiao", "officer", "431224"]);
  base = await county.start();
});

after(() => county.stop());

test("monitor, zones, applicants, allocation, what-if, compare, publish", async () => {
  const page = await county.signedIn("jijiao");

  // The monitor: one large class, drawn and listed.
  await page.click("text=班额监测");
  assert.equal(new URL(page.url()).pathname, "/enrollment");
  assert.equal((await page.textContent("#large-count")).trim(), "1");
  const large = await page.locator("#large-classes tbody tr").allTextContents();
  assert.equal(large.length, 1);
  assert.match(large[0], /卢峰镇第一小学.*58/s);
  assert.ok(await page.locator("svg.chart").count() >= 2, "server-rendered SVG charts");
  await page.screenshot({ path: path.join(artifacts, "enrollment-monitor.png"), fullPage: true });

  // Zones, distances and plans.
  await page.goto(`${base}/enrollment/zones`);
  await page.setInputFiles('form[action^="/enrollment/zones/import"] input[type=file]', file("zones.csv",
    "学校标识码,年级,社区编码,社区名称\n" +
    `${FIRST},一年级,C01,城东社区\n${FIRST},一年级,C02,城西社区\n${SECOND},一年级,C03,沿河社区\n`));
  await page.click('form[action^="/enrollment/zones/import"] button');
  assert.match(await page.textContent("#sheet-report"), /导入成功/);
  await page.setInputFiles('form[action^="/enrollment/distances/import"] input[type=file]', file("distances.csv",
    "社区编码,学校标识码,距离(米)\n" +
    `C01,${FIRST},500\nC01,${SECOND},1800\nC02,${FIRST},700\nC02,${SECOND},1200\nC03,${FIRST},1500\nC03,${SECOND},400\n`));
  await page.click('form[action^="/enrollment/distances/import"] button');
  assert.match(await page.textContent("#sheet-report"), /导入成功/);
  for (const [school, classes] of [[FIRST, "1"], [SECOND, "2"]]) {
    await page.selectOption('form[action="/enrollment/plans"] select[name=school]', school);
    await page.fill('form[action="/enrollment/plans"] input[name=classes]', classes);
    await page.click('form[action="/enrollment/plans"] button');
  }
  const zones = await page.locator("#zones tbody tr").allTextContents();
  assert.equal(zones.length, 2);
  assert.match(zones.join("\n"), /城东社区/);
  await page.screenshot({ path: path.join(artifacts, "enrollment-zones.png"), fullPage: true });

  // Applicants: a bad file is refused with its rows named; then the good one.
  await page.goto(`${base}/enrollment/applicants`);
  const head = "姓名,身份证件号,社区或村,户籍在片区,房产在片区\n";
  await page.setInputFiles("#file", file("bad.csv", head +
    `甲,${idNumber("431224", "20150301", 1)},C01,是,是\n乙,431224201503010,C01,是,是\n丙,${idNumber("431224", "20150302", 2)},火星村,是,否\n`));
  await page.click("#import-applicants");
  const refused = await page.textContent("#sheet-report");
  assert.match(refused, /导入被拒绝/);
  assert.match(refused, /row 3, column 身份证件号/);
  assert.match(refused, /row 4, column 社区或村/);
  let good = head;
  for (let n = 0; n < 70; n++) {
    const community = n < 30 ? "C01" : n < 60 ? "城西社区" : "C03";
    const id = idNumber("431224", `2015${String(1 + (n % 12)).padStart(2, "0")}0${1 + (n % 9)}`, 200 + n);
    good += `新生${n},${id},${community},${n % 3 ? "是" : "否"},${n % 2 ? "否" : "是"}\n`;
  }
  await page.setInputFiles("#file", file("applicants.csv", good));
  await page.click("#import-applicants");
  assert.match(await page.textContent("#sheet-report"), /导入成功：共 70 行/);
  await page.screenshot({ path: path.join(artifacts, "enrollment-applicants.png"), fullPage: true });

  // The base run: 45 places at the first school, the rest at the nearest school with room.
  await page.goto(`${base}/enrollment/runs`);
  await page.fill("#run-name", "基础方案");
  await page.click("#run-allocation");
  assert.match(new URL(page.url()).pathname, /^\/enrollment\/runs\/\d+$/);
  const baseRun = new URL(page.url()).pathname.split("/").pop();
  const schools = await page.locator("#run-schools tbody tr").allTextContents();
  assert.match(schools.join("\n"), /卢峰镇第一小学\s*1\s*45\s*60\s*45\s*0\s*45/);
  assert.match(await page.textContent("#placements"), /统筹安排/);
  await page.screenshot({ path: path.join(artifacts, "enrollment-run.png"), fullPage: true });

  // What-if: one more class at the first school.
  await page.goto(`${base}/enrollment/runs`);
  await page.fill("#run-name", "一小增加1个班");
  await page.selectOption("#add-school", FIRST);
  await page.fill("#add-classes", "1");
  await page.click("#run-allocation");
  const whatIf = new URL(page.url()).pathname.split("/").pop();
  assert.notEqual(whatIf, baseRun);

  // Compare the two side by side.
  await page.goto(`${base}/enrollment/runs`);
  await page.selectOption("#compare-a", baseRun);
  await page.selectOption("#compare-b", whatIf);
  await page.click("#compare");
  assert.equal((await page.textContent("#changed-count")).trim(), "15");
  await page.screenshot({ path: path.join(artifacts, "enrollment-compare.png"), fullPage: true });

  // Publish the what-if.
  await page.goto(`${base}/enrollment/runs/${whatIf}`);
  await page.click("#publish");
  assert.match(await page.textContent("#run-status"), /已发布/);
  await page.goto(`${base}/enrollment/runs`);
  assert.match(await page.textContent("#runs"), /已发布/);
});
