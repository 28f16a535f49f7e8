// Browser test of 数据采集 (issue #16): the office designs a form row by row with a
// prefilled, locked field and a cross-field check, sends it to the schools; a school opens it from its home,
// breaks the check (refused beside the field), fixes it and submits; the office sees the
// completeness and the year's form figure move.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { idNumber, County } from "./support.mjs";

const county = new County("forms");
const URBAN = "2143000001";
const TOWN = "2143000002";
let base;

before(async () => {
  const schools = `学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n${TOWN},龙潭镇中学,初级中学,龙潭镇,镇区,是\n`;
  const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
  const pupils = [1, 2, 3, 4].map((n) => idNumber("431224", `2012052${n}`, 300 + n));
  county.load(schools, "学校标识码,姓名,性别,身份证件号,年级,班级\n" + pupils.map((id, n) => `${URBAN},学生${n},${sex(id)},${id},三年级,1`).join("\n") + "\n");
  county.users(["admin", "admin", "431224"], ["xiaoxue", "school", URBAN]);
  base = await county.start();
});

after(() => county.stop());

test("forms: define, send, fill with a refused check, submit, completeness and figure move", async () => {
  const office = await county.signedIn("admin");
  const year = new Date().getFullYear();
  // Designed row by row in the browser: a locked field without a prefill is refused.
  await office.goto(`${base}/forms`);
  await office.click("#new-form");
  await office.fill('#design-form input[name="code"]', "eye_checks");
  await office.fill('#design-form input[name="title"]', "学生视力筛查情况");
  await office.fill('input[name="field_code_0"]', "enrolled");
  await office.fill('input[name="field_label_0"]', "在校生数");
  await office.check('input[name="field_required_0"]');
  await office.fill('input[name="field_min_0"]', "0");
  await office.check('input[name="field_locked_0"]');
  await office.fill('input[name="field_code_1"]', "screened");
  await office.fill('input[name="field_label_1"]', "已筛查学生数");
  await office.check('input[name="field_required_1"]');
  await office.fill('input[name="field_unit_1"]', "人");
  await office.fill('input[name="check_rule_0"]', "screened <= enrolled");
  await office.fill('input[name="check_message_0"]', "筛查人数不能超过在校生数");
  await office.click("#save-design");
  assert.match(await office.textContent("#design-error"), /只有预填的项才能锁定/);
  await office.selectOption('select[name="field_prefill_0"]', "students.enrolled");
  await office.click("#save-design");
  assert.match(await office.textContent(".flash"), /已保存第1版/);
  await county.shot(office, "forms-design.png");
  await office.goto(`${base}/forms`);
  await office.selectOption('#assign-form select[name="code"]', "eye_checks");
  await office.fill('#assign-form input[name="period"]', String(year));
  await office.click("#assign");
  assert.match(await office.textContent("#completeness"), /填报学校 2 个，已提交 0\/2/);
  const status = office.url();

  const school = await county.signedIn("xiaoxue");
  await school.goto(`${base}/`);
  // The home's 待办 names the form to fill and leads to it.
  assert.match(await school.textContent("#todos"), /报表(待填报|逾期未报) 1 项/);
  await school.click('#todos a[href="/forms/tasks"]');
  await school.click("#tasks tbody a");
  assert.equal(await school.inputValue('#task-form input[name="enrolled"]'), "4");
  await school.fill('#task-form input[name="screened"]', "5");
  await school.click("#submit");
  assert.equal(await school.textContent("#screened-error"), "筛查人数不能超过在校生数");
  await county.shot(school, "forms-refused.png");
  await school.fill('#task-form input[name="screened"]', "4");
  await school.click("#submit");
  assert.match(await school.textContent("#task-status"), /已提交/);

  await office.goto(status);
  assert.match(await office.textContent("#completeness"), /已提交 1\/2（50\.0%）/);
  await county.shot(office, "forms-completeness.png");
  await office.goto(`${base}/reports/annual?year=${year}`);
  assert.match(await office.textContent("#annual-indicators"), /form\.eye_checks\.screened\s*4(?!\d)/);
});
