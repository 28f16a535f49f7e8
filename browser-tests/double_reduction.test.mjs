// Browser test of 双减 (issue #15): the 双减 office imports a training-institution sheet with a
// bad credit code in the browser, sees the row refused with the expected check character,
// imports the good rows, records a 注销 on the institution's page (a repeated status is
// refused beside the field), and sees the year's figure move on the 双减 overview; a school
// records its after-school service, refused above its roll.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { idNumber, County } from "./support.mjs";

const county = new County("double-reduction");
const { file } = county;
const URBAN = "2143000001";
let base;

/** A GB 32100 credit code for a 17-character body. */
function creditCode(body) {
  const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...body].reduce((acc, c, i) => acc + alphabet.indexOf(c) * weights[i], 0);
  return body + alphabet[(31 - (sum % 31)) % 31];
}

before(async () => {
  const schools = `学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n`;
  const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
  const pupils = [1, 2, 3].map((n) => idNumber("431224", `2012052${n}`, 200 + n));
  county.load(schools, "学校标识码,姓名,性别,身份证件号,年级,班级\n" + pupils.map((id, n) => `${URBAN},学生${n},${sex(id)},${id},三年级,1`).join("\n") + "\n");
  county.users(["admin", "admin", "431224"], ["xiaoxue", "school", URBAN]);
  base = await county.start();
});

after(() => county.stop());

test("double reduction: a bad credit code refused in the preview, a 注销 recorded, the figure moves", async () => {
  const page = await county.signedIn("admin");
  const good = creditCode("52431224MA4L00001");
  const bad = creditCode("52431224MA4L00002");
  const wrongLast = bad.endsWith("0") ? "1" : "0";
  const sheet =
    "机构名称,统一社会信用代码,类别,所在乡镇,办学许可证号\n" +
    `溆浦县启航文化培训学校,${good},学科类,卢峰镇,教民1431224700001号\n` +
    `卢峰镇英才补习班,${bad.slice(0, 17)}${wrongLast},学科类,卢峰镇,\n`;
  await page.goto(`${base}/import`);
  await page.selectOption('select[name="kind"]', "institutions");
  await page.setInputFiles("#file", file("institutions.csv", sheet));
  await page.click("#preview");
  const problems = await page.textContent("#problems");
  assert.match(problems, new RegExp(`3\\s*统一社会信用代码\\s*统一社会信用代码校验位应为“${bad.slice(-1)}”`));
  await county.shot(page, "double-reduction-preview.png");
  await page.click("#confirm-skip");
  assert.match(await page.textContent("#import-done"), /导入完成/);

  const year = new Date().getFullYear();
  await page.goto(`${base}/double-reduction?year=${year}`);
  assert.match(await page.textContent("#double-reduction-figures"), /学科类校外培训机构注销数\s*double_reduction\.institutions\.deregistered\s*0(?!\d)/);

  await page.goto(`${base}/double-reduction/institutions`);
  await page.click("#institutions tbody a");
  await page.selectOption('#status-form select[name="status"]', "正常");
  await page.fill('#status-form input[name="happened_on"]', `${year}-01-02`);
  await page.click('#status-form button[type="submit"]');
  assert.match(await page.textContent("#status-form .field-error"), /该机构当前已是“正常”/);
  await page.selectOption('#status-form select[name="status"]', "注销");
  await page.fill('#status-form input[name="document"]', "溆教发〔2021〕60号");
  await page.click('#status-form button[type="submit"]');
  assert.equal(await page.textContent("#institution-status"), "注销");
  assert.match(await page.textContent("#events"), /注销\s*溆教发〔2021〕60号/);
  await county.shot(page, "double-reduction-institution.png");

  await page.goto(`${base}/double-reduction?year=${year}`);
  assert.match(await page.textContent("#double-reduction-figures"), /学科类校外培训机构注销数\s*double_reduction\.institutions\.deregistered\s*1(?!\d)/);
});

test("double reduction: a school's after-school record is bounded by its roll", async () => {
  const page = await county.signedIn("xiaoxue");
  await page.goto(`${base}/double-reduction/after-school`);
  await page.fill('#after-school-form input[name="days_a_week"]', "5");
  await page.fill('#after-school-form input[name="minutes_a_day"]', "120");
  await page.fill('#after-school-form input[name="students"]', "4");
  await page.click('#after-school-form button[type="submit"]');
  assert.match(await page.textContent("#students-error"), /超过该校2021年秋季学期在籍学生数3/);
  await page.fill('#after-school-form input[name="students"]', "3");
  await page.click('#after-school-form button[type="submit"]');
  assert.equal(await page.textContent("#coverage"), "100.0%");
  assert.equal(await page.textContent("#time-compliance"), "100.0%");
  await county.shot(page, "double-reduction-after-school.png");
});

test("double reduction: a 专项督查 finds a problem, the school rectifies it, the office closes it", async () => {
  const office = await county.signedIn("admin");
  const year = new Date().getFullYear();
  await office.goto(`${base}/double-reduction/supervision`);
  await office.fill('#launch-form input[name="title"]', "双减工作专项督查");
  await office.fill('#launch-form input[name="planned_on"]', `${year}-01-05`);
  await office.click("#launch");
  // The campaign's page: the inspectors tick the whole list at the school.
  assert.match(await office.content(), /各校督查进度/);
  await office.selectOption('#checks-form select[name="school"]', URBAN);
  for (const box of await office.$$('#checks-form input[name="items"]')) await box.check();
  await office.fill('#checks-form input[name="checked_on"]', `${year}-01-05`);
  await office.fill('#checks-form input[name="note"]', "作业时长超标");
  await office.click("#save-checks");
  assert.match(await office.textContent("#progress"), /9\/9/);

  await office.goto(`${base}/double-reduction/supervision`);
  await office.selectOption('#problem-form select[name="school"]', URBAN);
  await office.selectOption('#problem-form select[name="category"]', "作业总量与时长");
  await office.fill('#problem-form input[name="place"]', "三年级");
  await office.fill('#problem-form input[name="description"]', "三年级书面作业每天约80分钟");
  await office.fill('#problem-form input[name="found_on"]', `${year}-01-05`);
  await office.click("#record-problem");
  assert.match(await office.textContent("h1"), /督查问题 #\d+/);
  const problem = office.url();
  await office.fill('#assign-form input[name="responsible"]', "教导主任");
  await office.fill('#assign-form input[name="measures"]', "年级组统筹作业并公示");
  await office.fill('#assign-form input[name="deadline"]', `${year}-01-20`);
  await office.click("#assign");
  assert.match(await office.textContent("#hazard-status"), /^整改中/);

  const school = await county.signedIn("xiaoxue");
  await school.goto(problem);
  await school.fill('#rectify-form input[name="result"]', "已建立作业公示制度");
  await school.fill('#rectify-form input[name="rectified_on"]', `${year}-01-06`);
  await school.click("#rectify");
  assert.match(await school.textContent("#hazard-status"), /待复查/);

  await office.goto(problem);
  await office.fill("#review", "复查合格");
  await office.fill('#close-form input[name="closed_on"]', `${year}-01-07`);
  await office.click("#close");
  assert.match(await office.textContent("#hazard-status"), /^已销号/);
  await office.goto(`${base}/double-reduction/supervision`);
  assert.match(await office.textContent("#supervision-totals"), /发现问题 1 个，已整改销号 1 个/);
  await county.shot(office, "double-reduction-supervision.png");
});
