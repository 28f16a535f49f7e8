// Browser test of student aid (issue #6): the aid officer sees eligibility and the 应助尽助
// gap for a term, the policy catalog, payments imported with `emis import aid` closing the
// gap, a duplicate payment listed, the gap lists exported to xlsx, the proposal workflow's
// page, and a student's aid history on their page; a school user sees only its school.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("aid");
const { emis, file, work, artifacts } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";

let base;
const boarder = idNumber("431224", "20070315", 101);
const lifted = idNumber("431224", "20120520", 202);

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n${TOWN},龙潭镇中学,初级中学,龙潭镇,镇区,是\n`;
  const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
  const students =
    "学校标识码,姓名,性别,身份证件号,年级,班级,寄宿生,家庭经济困难类型\n" +
    `${TOWN},向资助,${sex(boarder)},${boarder},八年级,1,是,低保家庭\n` +
    `${URBAN},舒脱贫,${sex(lifted)},${lifted},三年级,1,否,脱贫家庭\n`;
  county.load(schools, students);
  county.users(["admin", "admin", "431224"], ["zhongxue", "school", TOWN], ["longtan", "township", "431224104"]);
  base = await county.start();
});

after(() => county.stop());

const signedIn = (name) => county.signedIn(name);

test("aid: the gap, the catalog, payments closing the gap, exports and history", async () => {
  const page = await signedIn("admin");
  await page.goto(`${base}/aid?term=2021-autumn`);
  assert.equal(await page.textContent("#aid-eligible"), "2");
  assert.equal(await page.textContent("#aid-missed"), "2");
  const missed = await page.locator("#aid-missed-list tbody tr").allTextContents();
  assert.equal(missed.length, 2);
  assert.ok(missed.every((r) => r.includes("**********")), "ID numbers masked");
  await page.screenshot({ path: path.join(artifacts, "aid-gap.png"), fullPage: true });

  await page.goto(`${base}/aid/policies?year=2021`);
  const catalog = await page.textContent("#aid-catalog");
  assert.match(catalog, /农村义务教育学生营养改善计划/);
  assert.match(catalog, /家庭经济困难寄宿生生活费补助/);
  await page.screenshot({ path: path.join(artifacts, "aid-policies.png"), fullPage: true });

  fs.writeFileSync(path.join(work, "aid.csv"),
    "身份证件号,资助项目,学期,金额(元),学校标识码\n" +
    `${boarder},家庭经济困难寄宿生生活费补助,2021-autumn,625,${TOWN}\n` +
    `${lifted},非寄宿生生活费补助,2021-autumn,250,${URBAN}\n` +
    `${lifted},非寄宿生生活费补助,2021-autumn,250,${URBAN}\n`);
  emis("import", "aid", path.join(work, "aid.csv"));
  await page.goto(`${base}/aid?term=2021-autumn`);
  assert.equal(await page.textContent("#aid-missed"), "0");
  assert.equal(await page.textContent("#aid-person-times"), "2");
  assert.equal(await page.textContent("#aid-amount"), "1125.00");
  assert.match(await page.textContent("body"), /同一项目同学期重复发放 1 组/);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#aid-gaps-export")]);
  const saved = path.join(work, "gaps.xlsx");
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString(), "PK");

  await page.goto(`${base}/aid/proposals?term=2021-autumn`);
  assert.match(await page.textContent("body"), /学校申报 → 乡镇审核 → 县资助中心审批/);

  await page.goto(`${base}/students?q=${encodeURIComponent("向资助")}`);
  await page.click("#students tbody a");
  const history = await page.textContent("#aid-history");
  assert.match(history, /家庭经济困难寄宿生生活费补助/);
  assert.match(history, /625\.00/);
  await page.screenshot({ path: path.join(artifacts, "aid-student.png"), fullPage: true });
});

test("aid: a school user sees only its own school's figures", async () => {
  const page = await signedIn("zhongxue");
  await page.goto(`${base}/aid?term=2021-autumn`);
  assert.equal(await page.textContent("#aid-eligible"), "1");
  assert.equal(await page.textContent("#aid-person-times"), "1");
});

test("aid: the officer edits the catalog, the school proposes, the township sends back and checks, the bureau approves, the batch is matched, hardship is imported", async () => {
  const admin = await signedIn("admin");
  // Editing a policy: a bad amount is refused naming the field; a good one is saved.
  await admin.goto(`${base}/aid/policies?year=2021&edit=boarding`);
  await admin.fill('#policy-form input[name="by_stage"]', "小学=500；初中=abc");
  await admin.click("#save-policy");
  assert.match(await admin.textContent("#policy-error"), /按学段金额“abc”无法识别/);
  await admin.fill('#policy-form input[name="by_stage"]', "小学=500；初中=700");
  await admin.click("#save-policy");
  assert.match(await admin.textContent('#aid-catalog tr[data-policy="boarding"]'), /初中 每学期 700\.00 元/);
  await admin.screenshot({ path: path.join(artifacts, "aid-policy-edit.png"), fullPage: true });

  // The school proposes its eligible students: the edited amount is on the list.
  const school = await signedIn("zhongxue");
  await school.goto(`${base}/aid/proposals?term=2021-autumn`);
  assert.equal(await school.locator("#propose-schools option").count(), 1, "a school proposes only for itself");
  assert.ok((await school.inputValue("#propose-school")).length > 0, "its own school is filled in");
  await school.click("#propose");
  assert.equal(await school.textContent("#proposal-status"), "学校申报");
  assert.match(await school.textContent("#proposal-amount"), /700\.00/);
  assert.ok((await school.textContent("#proposal-list")).includes("**********"), "ID numbers masked");
  const proposalUrl = school.url();

  // The township sends it back with a reason; the school proposes again; the township checks.
  const township = await signedIn("longtan");
  await township.goto(proposalUrl);
  await township.fill("#send-back-reason", "缺少低保证明");
  await township.click("#send-back");
  assert.equal(await township.textContent("#proposal-status"), "退回");
  assert.equal(await township.textContent("#proposal-reason"), "缺少低保证明");
  await school.goto(proposalUrl);
  await school.click("#adjust");
  assert.equal(await school.textContent("#proposal-status"), "学校申报");
  await township.goto(proposalUrl);
  await township.click("#pass");
  assert.equal(await township.textContent("#proposal-status"), "乡镇审核");
  assert.equal(await township.locator("#pass").count(), 0, "the township does not approve");

  // The bureau approves: a batch is made; the history shows every step.
  await admin.goto(proposalUrl);
  await admin.click("#pass");
  assert.equal(await admin.textContent("#proposal-status"), "县资助中心审批");
  const steps = await admin.locator("#proposal-history tbody tr").allTextContents();
  assert.equal(steps.length, 5);
  assert.match(steps[1], /退回.*缺少低保证明/);
  await admin.screenshot({ path: path.join(artifacts, "aid-proposal.png"), fullPage: true });

  // The batch: 625 yuan was paid (first test) against 700 on the list.
  // Its status counts the payment imported before the approval: paid, but another amount.
  await admin.goto(`${base}/aid/batches?term=2021-autumn`);
  assert.match(await admin.textContent("#aid-batches tbody tr"), /部分发放/);
  await admin.click("#aid-batches tbody a");
  assert.equal(await admin.textContent("#batch-wrong"), "1");
  assert.equal(await admin.textContent("#batch-unpaid"), "0");
  const [download] = await Promise.all([admin.waitForEvent("download"), admin.click("#batch-export")]);
  const saved = path.join(work, "batch.xlsx");
  await download.saveAs(saved);
  assert.equal(fs.readFileSync(saved).subarray(0, 2).toString(), "PK");
  await admin.screenshot({ path: path.join(artifacts, "aid-batch.png"), fullPage: true });

  // Hardship evidence through the web import page, shown masked on the student's page.
  const file = path.join(work, "hardship.csv");
  fs.writeFileSync(file, `身份证件号,困难类型,证书编号\n${lifted},脱贫家庭,TP431224000123\n`);
  await admin.goto(`${base}/import`);
  await admin.selectOption('select[name="kind"]', "hardship");
  await admin.setInputFiles("#file", file);
  await admin.click("#preview");
  await admin.click("#confirm");
  assert.match(await admin.textContent("#import-done"), /导入完成/);
  await admin.goto(`${base}/students?q=${encodeURIComponent("舒脱贫")}`);
  await admin.click("#students tbody a");
  assert.match(await admin.textContent("#aid-history"), /TP4\*+23/);
  await admin.click("#reveal");
  assert.match(await admin.textContent("#aid-history"), /TP431224000123/);
});

test("aid: the officer changes eligibility through the condition fields, without rule data", async () => {
  const admin = await signedIn("admin");
  const missedNutrition = async () => {
    await admin.goto(`${base}/aid?term=2021-autumn`);
    const rows = await admin.locator("#aid-missed-list tbody tr").allTextContents();
    return rows.filter((r) => r.includes("营养改善计划")).length;
  };
  // 营养改善计划 covers rural schools only: nobody here (城区, 镇区) is eligible.
  assert.equal(await missedNutrition(), 0);
  await admin.goto(`${base}/aid/policies?year=2021&edit=nutrition`);
  assert.ok(await admin.isChecked('#settings input[value="乡村"]'));
  assert.ok(await admin.isChecked('#policy-form input[name="rule_mode"][value="fields"]'));
  await admin.locator("#policy-form").screenshot({ path: path.join(artifacts, "aid-policy-form.png") });
  // Two conditions that contradict each other are refused, naming the field.
  await admin.check('#hardship input[name="any_hardship"]');
  await admin.check('#hardship input[value="低保家庭"]');
  await admin.click("#save-policy");
  assert.equal(await admin.getAttribute("#policy-error", "data-field"), "hardship");
  assert.match(await admin.textContent("#policy-error"), /困难类型/);
  // Opened to 镇区 schools, for 低保 families only: the 镇区 boarder (低保) becomes eligible.
  await admin.uncheck('#hardship input[name="any_hardship"]');
  await admin.check('#settings input[value="镇区"]');
  await admin.click("#save-policy");
  assert.match(await admin.textContent('#aid-catalog tr[data-policy="nutrition"]'), /低保家庭；镇区、乡村学校/);
  assert.equal(await missedNutrition(), 1);
  await admin.screenshot({ path: path.join(artifacts, "aid-policy-fields.png"), fullPage: true });
});
