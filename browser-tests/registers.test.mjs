// Browser test of the bureau's other registers (issue #17): the planning office records a
// project's completion (a date before its start is refused beside the field) and the school's
// capacity on the class-size monitor rises by the project's classrooms; the party office opens
// a branch and records a member's stages, a 转正 within the year of probation refused; the
// supervision office scores a school, computes and publishes the year's assessment, which the
// school then reads as its own row beside the county's average.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { idNumber, County } from "./support.mjs";

const county = new County("registers");
const { emis, file } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";
const sex = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");
let base;

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n${TOWN},龙潭镇中学,初级中学,龙潭镇,镇区,是\n`;
  // One 一年级 class of 50: no classrooms recorded, so one room of 45 places (estimated).
  const pupils = Array.from({ length: 50 }, (_, n) => {
    const id = idNumber("431224", "20150310", 100 + n);
    return `${URBAN},学生${n},${sex(id)},${id},一年级,1`;
  });
  county.load(schools, `学校标识码,姓名,性别,身份证件号,年级,班级\n${pupils.join("\n")}\n`);
  const projects =
    "项目名称,项目类别,年度,本年投资(万元),开工日期,学校标识码,竣工日期,新增学位(义务教育),新增学位(普通高中)," +
    "新增学位(中职),新增学位(公办学前),教室间数,宿舍套数,资金来源\n" +
    `卢峰镇第一小学教学楼扩建,改扩建,2021,800,2021-03-01,${URBAN},,270,,,,6,,县本级\n`;
  emis("import", "projects", file("projects.csv", projects));
  county.users(["admin", "admin", "431224"], ["xiaoxue", "school", URBAN]);
  base = await county.start();
});

after(() => county.stop());

/** The class-size monitor's row of a school for autumn 2021: [capacity cell, its text]. */
async function capacityOf(page, name) {
  await page.goto(`${base}/enrollment?term=2021-autumn`);
  const row = page.locator("#by-school tbody tr", { hasText: name });
  return (await row.locator("td").nth(3).textContent()).trim();
}

test("projects: a completion raises the school's capacity on the class-size monitor", async () => {
  const page = await county.signedIn("admin");
  assert.match(await capacityOf(page, "卢峰镇第一小学"), /^45\*$/);

  await page.goto(`${base}/projects?year=2021`);
  assert.match(await page.textContent("#projects"), /卢峰镇第一小学教学楼扩建[\s\S]*在建/);
  await page.click("#projects a:has-text('卢峰镇第一小学教学楼扩建')");
  // Completed before it was started: refused beside the date, nothing recorded.
  await page.fill('#progress-form input[name="completed_on"]', "2021-02-01");
  await page.click("#progress-form button[type=submit]");
  assert.match(await page.textContent("#progress-form .field-error"), /开工日期/);
  assert.equal((await page.textContent("#project-status")).trim(), "在建");
  await page.fill('#progress-form input[name="completed_on"]', "2021-08-20");
  await page.click("#progress-form button[type=submit]");
  assert.equal((await page.textContent("#project-status")).trim(), "已竣工");
  assert.equal((await page.textContent("#project-completed")).trim(), "2021-08-20");
  await county.shot(page, "registers-project-completed.png");

  // Six rooms of 45 more from the autumn term on.
  assert.match(await capacityOf(page, "卢峰镇第一小学"), /^315\*?（含新增6间）$/);
  await county.shot(page, "registers-monitor.png");
});

test("party: a branch, a member's stages, and a 转正 within the year of probation refused", async () => {
  const page = await county.signedIn("admin");
  await page.goto(`${base}/party?year=2021`);
  await page.fill('#branch-form input[name="name"]', "局机关党支部");
  await page.click("#branch-form button[type=submit]");
  await page.click("#branches a:has-text('局机关党支部')");
  const branch = page.url();
  const member = idNumber("431224", "19900505", 321);
  // Recorded on the branch's form; the page then shows the person's stages.
  const stage = async (label, on) => {
    await page.goto(branch);
    await page.fill('#stage-form input[name="name"]', "舒明");
    await page.fill('#stage-form input[name="id_number"]', member);
    await page.selectOption('#stage-form select[name="stage"]', label);
    await page.fill('#stage-form input[name="reached_on"]', on);
    await page.click("#stage-form button[type=submit]");
  };
  await stage("预备党员", "2021-07-01");
  assert.match(await page.textContent("#stages"), /预备党员\s*2021-07-01/);
  await stage("正式党员", "2022-03-01");
  assert.match(await page.textContent("#reached-on-error"), /不足一年[\s\S]*最早 2022-07-01 转正/);
  await county.shot(page, "registers-party-refused.png");
  await stage("正式党员", "2022-07-01");
  assert.match(await page.textContent("#stages"), /预备党员\s*2021-07-01[\s\S]*正式党员\s*2022-07-01/);
  // The branch's roll shows the current stage, the ID number masked.
  await page.goto(branch);
  const roll = await page.textContent("#members");
  assert.match(roll, /舒明[\s\S]*正式党员/);
  assert.ok(!roll.includes(member));
});

test("assessment: inspectors' scores, computed and published, a school reads its own row", async () => {
  const page = await county.signedIn("admin");
  await page.goto(`${base}/supervision/assessment?year=2021`);
  assert.match(await page.textContent("#assessment-status"), /尚未计算考核结果/);
  await page.selectOption('#scores-form select[name="school"]', URBAN);
  const inputs = page.locator('#scores-form input[name^="score:"]');
  const n = await inputs.count();
  assert.ok(n >= 3, `${n} inspector items`);
  // One score over its item's weight is refused beside the scores, and nothing is kept.
  for (let i = 0; i < n; i++) await inputs.nth(i).fill(i === 0 ? "99" : "8");
  await page.click("#scores-form button[type=submit]");
  assert.match(await page.textContent("#scores-form .field-error"), /应为0–\d+之间的数/);
  await page.selectOption('#scores-form select[name="school"]', URBAN);
  for (let i = 0; i < n; i++) await page.locator('#scores-form input[name^="score:"]').nth(i).fill("8");
  await page.click("#scores-form button[type=submit]");
  await page.click("#compute");
  const results = await page.textContent("#results");
  assert.match(results, /卢峰镇第一小学/);
  assert.match(results, /龙潭镇中学/);
  assert.match(await page.textContent("#assessment-status"), /尚未公布/);
  // The scored school is ahead of the one no inspector scored.
  const first = await page.locator("#results tbody tr").first().textContent();
  assert.match(first, /^\s*1\s*溆浦县卢峰镇第一小学/);
  await page.click("#publish");
  assert.match(await page.textContent("#assessment-status"), /公布/);
  await county.shot(page, "registers-assessment.png");

  const school = await county.signedIn("xiaoxue");
  await school.goto(`${base}/supervision/assessment?year=2021`);
  const own = await school.textContent("#results");
  assert.match(own, /卢峰镇第一小学/);
  assert.match(own, /全县平均/);
  assert.ok(!own.includes("龙潭镇中学"), "another school's row");
  assert.equal(await school.locator("#compute").count(), 0);
});
