// Browser test of the teacher workforce (issue #14): the teacher-development centre imports a
// training sheet with a bad row in the browser, sees the row's reason in the preview, imports
// the good rows, and sees the person-times on the teacher's page, the trainings page and
// 年度指标; the roll filters by channel; a school proposes an award (a blank form is refused
// beside the field), the township checks it and the bureau grants it within the fund.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("teachers");
const { emis, file, artifacts } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";
const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
const teachers = [
  [URBAN, "向春花", idNumber("431224", "19850312", 501), "语文", "公开招聘", "2010-09-01"],
  [URBAN, "舒建国", idNumber("431224", "19790623", 502), "数学", "特岗计划", "2021-09-01"],
  [TOWN, "王志强", idNumber("431224", "19900105", 503), "物理", "特岗计划", "2012-09-01"],
];
let base;

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n${TOWN},龙潭镇中学,初级中学,龙潭镇,镇区,是\n`;
  const pupil = idNumber("431224", "20120520", 202);
  county.load(schools, `学校标识码,姓名,性别,身份证件号,年级,班级\n${URBAN},舒小红,${sex(pupil)},${pupil},三年级,1\n`);
  const staff = teachers
    .map(([school, name, id, subject, channel, start]) => `${school},${name},${sex(id)},${id},专任教师,${subject},一级教师,${channel},${start}`)
    .join("\n");
  emis("import", "staff", file("staff.csv", `学校标识码,姓名,性别,身份证件号,岗位类别,任教学科,职称,补充渠道,入职日期\n${staff}\n`));
  county.users(["admin", "admin", "431224"], ["xiaoxue", "school", URBAN], ["luofeng", "township", "431224100"]);
  base = await county.start();
});

after(() => county.stop());

test("teachers: a training sheet with a bad row through the preview into the teacher's page and 年度指标", async () => {
  const page = await county.signedIn("admin");
  await page.goto(`${base}/reports/annual?year=2021`);
  const before = await page.textContent("#annual-indicators");
  assert.match(before, /教师培训人次\s*staff\.training\.person_times\s*0(?!\d)/);

  const stranger = idNumber("431224", "19880808", 999);
  const sheet =
    "培训项目,级别,开始日期,结束日期,身份证件号,姓名,学时,结业\n" +
    `2021年国培计划乡村教师访名校,国家级,2021-07-10,2021-07-20,${teachers[0][2]},向春花,60,是\n` +
    `2021年国培计划乡村教师访名校,国家级,2021-07-10,2021-07-20,${teachers[1][2]},舒建国,60,是\n` +
    `2021年国培计划乡村教师访名校,国家级,2021-07-10,2021-07-20,${stranger},外县教师,60,是\n`;
  await page.goto(`${base}/import`);
  await page.selectOption('select[name="kind"]', "trainings");
  await page.setInputFiles("#file", file("trainings.csv", sheet));
  await page.click("#preview");
  const problems = await page.textContent("#problems");
  assert.match(problems, /4\s*身份证件号\s*身份证件号 431224\S* 不在教职工名册中/);
  await county.shot(page, "teachers-import-preview.png");
  await page.click("#confirm-skip");
  assert.match(await page.textContent("#import-done"), /导入完成/);

  // The teacher's page lists the training and its hours.
  await page.goto(`${base}/teachers?channel=${encodeURIComponent("公开招聘")}`);
  assert.match(await page.textContent("#roll-totals"), /教职工 1 人/);
  await page.click("#roll tbody a");
  assert.match(await page.textContent("#trainings"), /2021年国培计划乡村教师访名校/);
  assert.match(await page.textContent("#hours"), /已完成 60 学时/);
  await county.shot(page, "teachers-teacher.png");

  await page.goto(`${base}/teachers/trainings?year=2021`);
  assert.match(await page.textContent("#training-totals"), /培训 2 人次/);
  await county.shot(page, "teachers-trainings.png");
  await page.goto(`${base}/reports/annual?year=2021`);
  assert.match(await page.textContent("#annual-indicators"), /教师培训人次\s*staff\.training\.person_times\s*2(?!\d)/);
});

test("teachers: a school proposes an award, the township checks it, the bureau grants it within the fund", async () => {
  const school = await county.signedIn("xiaoxue");
  await school.goto(`${base}/teachers`);
  assert.match(await school.textContent("#roll-totals"), /教职工 2 人/, "a school sees its own teachers");
  await school.click(`#roll tbody a:text("向春花")`);
  await school.fill('#award-form input[name="title"]', "最美乡村教师");
  await school.fill('#award-form input[name="amount"]', "5000");
  await school.click('#award-form button[type="submit"]');
  assert.match(await school.textContent("#award-form .field-error"), /主要事迹不能为空/);
  await school.fill('#award-form textarea[name="merits"]', "扎根乡村教学二十年");
  await school.click('#award-form button[type="submit"]');
  assert.match(await school.textContent(".flash"), /表彰推荐已提交/);

  const township = await county.signedIn("luofeng");
  await township.goto(`${base}/teachers/awards?year=${new Date().getFullYear()}`);
  await township.click('#awards button[value="pass"]');
  assert.match(await township.textContent("#awards"), /乡镇审核/);

  const bureau = await county.signedIn("admin");
  await bureau.goto(`${base}/teachers/awards?year=${new Date().getFullYear()}`);
  await bureau.click('#awards button[value="pass"]');
  assert.match(await bureau.textContent("#decision-error"), /超出奖励资金余额/);
  await bureau.fill('#fund-form input[name="fund"]', "20000");
  await bureau.click('#fund-form button[type="submit"]');
  await bureau.click('#awards button[value="pass"]');
  assert.match(await bureau.textContent("#awards"), /已授予/);
  assert.match(await bureau.textContent("#fund"), /已授予 1 人次、5000\.00 元，余额 15000\.00 元/);
  await county.shot(bureau, "teachers-awards.png");
});
