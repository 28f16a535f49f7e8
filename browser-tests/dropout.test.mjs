// Browser test of 控辍保学 (issue #5): the county office uploads the household-registration
// roll, sees the suspected child in the 疑似辍学 ledger; the township office opens the case,
// logs a visit, is told next to the field what closing needs, closes the case with an
// outcome, and the dashboard by township shows it closed. Then the 脱贫户 list goes in through
// the import page (bad row previewed first), a second snapshot raises two probable matches,
// one confirmed (case closed as 已在籍) and one rejected (case stays open), evidence is
// uploaded and downloaded, and the township-filtered ledger exports only what it lists.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { idNumber, County } from "./support.mjs";

const county = new County("dropout");
const { file, work, artifacts } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";
const LONGTAN = "431224104";

const sexOf = (id) => (Number(id[16]) % 2 === 1 ? "男" : "女");

let base;
const population = [];

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇\n" +
    `${URBAN},溆浦县卢峰镇第一小学,小学,卢峰镇\n${TOWN},龙潭镇中学,初级中学,龙潭镇\n`;
  let csv = "学校标识码,姓名,性别,身份证件号,年级,班级\n";
  for (let n = 0; n < 20; n++) {
    const school = n < 12 ? URBAN : TOWN;
    const grade = n < 12 ? "三年级" : "八年级";
    const year = n < 12 ? 2012 : 2007;
    const id = idNumber("431224", `${year}0${1 + (n % 9)}1${n % 10}`, 100 + n);
    const township = n < 12 ? "卢峰镇" : "龙潭镇";
    csv += `${school},学生${n},${sexOf(id)},${id},${grade},1\n`;
    population.push(`学生${n},${sexOf(id)},${id},${township},,,`);
  }
  // A child of 龙潭镇 who is on no school's roll.
  const missing = idNumber("431224", "20110505", 101);
  population.push(`龙小明,${sexOf(missing)},${missing},龙潭镇,石门村,龙大山,13912345678`);
  county.load(schools, csv);
  county.users(["admin", "admin", "431224"], ["longtan", "township", LONGTAN]);
  base = await county.start();
});

after(() => county.stop());

const signedIn = (name) => county.signedIn(name);

test("import the roll, work the suspected child's case to its outcome, see the dashboard", async () => {
  // The county office uploads the roll from the public-security bureau.
  const admin = await signedIn("admin");
  await admin.goto(`${base}/dropout`);
  assert.match(await admin.textContent("body"), /尚未导入户籍适龄人口名册/);
  const file = path.join(work, "population.csv");
  fs.writeFileSync(file, "姓名,性别,身份证件号,户籍乡镇,户籍村(社区),监护人,联系电话\n" + population.join("\n") + "\n");
  await admin.fill("#as-of", "2021-09-15");
  await admin.setInputFiles("#population-file", file);
  await admin.click("#population-import");
  // The preview shows the comparison's counts before anything is written.
  const preview = await admin.textContent("#population-result");
  assert.match(preview, /预览（尚未写入）/);
  assert.match(preview, /适龄儿童：21人/);
  await admin.click("#population-confirm");
  // The import runs as a job: its progress page gives way to the result.
  await admin.waitForSelector("#population-result", { timeout: 60000 });
  assert.match(new URL(admin.url()).pathname, /^\/jobs\//);
  const result = await admin.textContent("#population-result");
  assert.match(result, /适龄儿童：21人/);
  assert.match(result, /疑似辍学：1人/);
  assert.match(result, /新建一人一案：1件/);
  await admin.screenshot({ path: path.join(artifacts, "dropout-import.png"), fullPage: true });

  // The 疑似辍学 ledger names the child, with the numbers masked.
  await admin.click("#to-ledger");
  const ledger = await admin.locator("#ledger tbody tr").allTextContents();
  assert.equal(ledger.length, 1);
  assert.match(ledger[0], /龙小明/);
  assert.match(ledger[0], /139\*\*\*\*5678/);
  assert.doesNotMatch(ledger[0], /13912345678/);
  await admin.screenshot({ path: path.join(artifacts, "dropout-ledger.png"), fullPage: true });

  // The ledger row links to the child's case, and the case back to its row in the ledger.
  await admin.click("#ledger tbody a.case-link");
  assert.match(await admin.textContent("#case-name"), /龙小明/);
  await admin.click("#case-ledger-link");
  const back = await admin.locator("#ledger tbody tr").allTextContents();
  assert.equal(back.length, 1);
  assert.match(back[0], /龙小明/);

  // The township office opens its case.
  const office = await signedIn("longtan");
  await office.goto(`${base}/dropout/cases`);
  await office.click("#cases tbody a");
  assert.match(await office.textContent("#case-name"), /龙小明/);
  assert.match(await office.textContent("#case-status"), /待核查/);

  // Closing as 劝返复学 without any contact logged is refused next to the field.
  await office.selectOption("#outcome", "劝返复学");
  await office.fill("#evidence", "复学登记表");
  await office.click("#close-case");
  assert.match(await office.textContent("#close-form .field-error"), /至少登记一次走访或电话/);

  // Log a visit, then close.
  await office.fill("#visit-form input[name=date]", "2021-09-20");
  await office.fill("#visit-form input[name=note]", "入户走访，家长同意送孩子返校");
  await office.click("#log-visit");
  assert.match(await office.textContent("#case-status"), /劝返中/);
  assert.match(await office.textContent("#visits"), /家长同意送孩子返校/);
  await office.selectOption("#outcome", "劝返复学");
  await office.fill("#evidence", "复学登记表及返校照片");
  await office.fill("#close-form input[name=date]", "2021-09-28");
  await office.click("#close-case");
  assert.match(await office.textContent("#case-status"), /已销号/);
  assert.match(await office.textContent("#case-outcome"), /劝返复学/);
  await office.screenshot({ path: path.join(artifacts, "dropout-case.png"), fullPage: true });

  // The dashboard by township shows it closed.
  await office.goto(`${base}/dropout`);
  const row = await office.textContent("#dashboard tr[data-township=龙潭镇]");
  assert.match(row, /龙潭镇/);
  assert.equal((await office.textContent("#dashboard-total .closed")).trim(), "1");
  assert.equal((await office.textContent("#dashboard-total .open")).trim(), "0");
  await office.screenshot({ path: path.join(artifacts, "dropout-dashboard.png"), fullPage: true });
});

test("the 脱贫户 list through the import page, probable matches confirmed and rejected, filtered export, evidence download", async () => {
  const admin = await signedIn("admin");
  // The 脱贫户 list: a bad row is shown with its reason before anything is written.
  const missing = idNumber("431224", "20110505", 101);
  const list = path.join(work, "poverty.csv");
  fs.writeFileSync(list, `身份证件号,姓名,户主姓名\n${missing},龙小明,龙大山\n43122420110505,坏号码,某\n`);
  await admin.goto(`${base}/import`);
  await admin.selectOption("select[name=kind]", "poverty");
  await admin.setInputFiles("#file", list);
  await admin.click("#preview");
  assert.match(await admin.textContent("#problems"), /身份证件号/);
  assert.match(await admin.textContent("#problems"), /3/, "the sheet's row number is named");
  fs.writeFileSync(list, `身份证件号,姓名,户主姓名\n${missing},龙小明,龙大山\n`);
  await admin.goto(`${base}/import`);
  await admin.selectOption("select[name=kind]", "poverty");
  await admin.setInputFiles("#file", list);
  await admin.click("#preview");
  assert.match(await admin.textContent("#import-summary"), /脱贫户名单：共1行，有效1行，新增1/);
  await admin.click("#confirm");
  assert.match(await admin.textContent("#import-done"), /导入完成/);

  // A second snapshot lists 学生0 and 学生1 under other numbers (same name, birth date
  // and sex): two probable matches.
  const other = (n) => {
    const own = population[n].split(",")[2];
    return idNumber("431224", own.slice(6, 14), 300 + n * 2 + (Number(own[16]) % 2));
  };
  const rows = population.map((line, n) => {
    if (n > 1) return line;
    const cells = line.split(",");
    cells[2] = other(n);
    return cells.join(",");
  });
  const file = path.join(work, "population-october.csv");
  fs.writeFileSync(file, "姓名,性别,身份证件号,户籍乡镇,户籍村(社区),监护人,联系电话\n" + rows.join("\n") + "\n");
  await admin.goto(`${base}/dropout`);
  await admin.fill("#as-of", "2021-10-15");
  await admin.setInputFiles("#population-file", file);
  await admin.click("#population-import");
  // The preview shows the comparison's counts before anything is written.
  const preview = await admin.textContent("#population-result");
  assert.match(preview, /预览（尚未写入）/);
  assert.match(preview, /适龄儿童：21人/);
  await admin.click("#population-confirm");
  // The import runs as a job: its progress page gives way to the result.
  await admin.waitForSelector("#population-result", { timeout: 60000 });
  assert.match(new URL(admin.url()).pathname, /^\/jobs\//);
  const result = await admin.textContent("#population-result");
  assert.match(result, /疑似辍学：3人（其中疑似匹配待确认2人）/);

  // 学生0: confirmed the same child, the case closes as 已在籍.
  const openCase = async (name) => {
    await admin.goto(`${base}/dropout/cases?q=${encodeURIComponent(name)}`);
    await admin.click("#cases tbody a");
    assert.match(await admin.textContent("#case-name"), new RegExp(name));
  };
  await openCase("学生0");
  const match = await admin.textContent("#pending-match");
  assert.match(match, /溆浦县卢峰镇第一小学/);
  assert.match(match, /三年级1班/);
  assert.match(match, /姓名、出生日期、性别相同/);
  assert.match(await admin.textContent("#match-id"), /\*{10}/);
  await admin.screenshot({ path: path.join(artifacts, "dropout-probable.png"), fullPage: true });
  // The closing date is the officer's choice, but not one in the future.
  await admin.fill("#confirm-match-date", "2099-01-01");
  await admin.click("#confirm-match");
  assert.match(await admin.textContent("#pending-match .field-error"), /晚于今天/);
  await admin.fill("#confirm-match-date", "2021-10-20");
  await admin.click("#confirm-match");
  assert.equal((await admin.textContent("#case-closed-on")).trim(), "2021-10-20");
  assert.match(await admin.textContent("#case-status"), /已销号/);
  assert.match(await admin.textContent("#case-outcome"), /已在籍/);
  assert.match(await admin.textContent("#case-finding"), /在籍在校/);
  assert.equal(await admin.locator("#pending-match").count(), 0);

  // 学生1: not the same child, the case stays open as 疑似辍学.
  await openCase("学生1");
  await admin.click("#reject-match");
  assert.match(await admin.textContent("#case-status"), /待核查/);
  assert.match(await admin.textContent("#case-finding"), /疑似辍学/);
  assert.match(await admin.textContent("#visits"), /不是同一人/);
  assert.equal(await admin.locator("#pending-match").count(), 0);

  // Evidence on 学生1's case downloads under its name.
  const pdf = path.join(work, "走访记录.pdf");
  fs.writeFileSync(pdf, "%PDF-1.4\n% 走访记录\n");
  await admin.setInputFiles("#attach-form input[type=file]", pdf);
  await admin.click("#attach-form button");
  const [evidence] = await Promise.all([
    admin.waitForEvent("download"),
    admin.click("#attachments a"),
  ]);
  assert.equal(evidence.suggestedFilename(), "走访记录.pdf");
  assert.match(fs.readFileSync(await evidence.path(), "latin1"), /^%PDF-/);

  // The ledger filtered to 龙潭镇 lists only 龙小明 (脱贫户), and the export follows it.
  await admin.goto(`${base}/dropout/ledger?ledger=suspected&snapshot=2021-10-15`);
  assert.equal((await admin.locator("#ledger tbody tr").allTextContents()).length, 2);
  // 户籍乡镇 is typed (or picked from the list) by name.
  await admin.fill("#f-township", "龙潭镇");
  await admin.click("#search");
  const filtered = await admin.locator("#ledger tbody tr").allTextContents();
  assert.equal(filtered.length, 1);
  assert.match(filtered[0], /龙小明/);
  assert.match(filtered[0], /是/);
  const [download] = await Promise.all([
    admin.waitForEvent("download"),
    admin.click("#export"),
  ]);
  const saved = path.join(work, "ledger.xlsx");
  await download.saveAs(saved);
  const unzipped = execFileSync("unzip", ["-p", saved], { encoding: "utf8" });
  assert.match(unzipped, /龙小明/);
  assert.doesNotMatch(unzipped, /学生1/);
  await admin.screenshot({ path: path.join(artifacts, "dropout-ledger-filtered.png"), fullPage: true });

  // The dashboard compares the two rolls: 学生1 is newly suspected (学生0 was confirmed).
  await admin.goto(`${base}/dropout`);
  assert.equal((await admin.textContent("#newly-suspected")).trim(), "1");
  assert.match(await admin.textContent("#changes"), /学生1/);
  assert.doesNotMatch(await admin.textContent("#changes"), /学生0/);
  assert.match(await admin.textContent("#home-teaching-terms"), /秋/);
  await admin.screenshot({ path: path.join(artifacts, "dropout-changes.png"), fullPage: true });
});
