// Browser test of the list component (issue #13): the county officer filters the student
// list by a school (picked by name from the searchable list) and a grade, exports, and the
// downloaded workbook holds exactly the filtered rows with every column filled; 重置 clears
// the filters; the page size and the jump keep the filters; no CSRF token in the address.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { idNumber, County } from "./support.mjs";

const county = new County("lists");
const { work } = county;

const URBAN = "2143000001";
const TOWN = "2143000002";
const URBAN_NAME = "溆浦县卢峰镇第一小学";

let base;

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇\n" +
    `${URBAN},${URBAN_NAME},小学,卢峰镇\n${TOWN},龙潭镇中学,初级中学,龙潭镇\n`;
  let csv = "学校标识码,姓名,性别,身份证件号,年级,班级,民族,户籍乡镇,残疾类型,学籍号\n";
  // 30 三年级 and 10 四年级 pupils of the urban school, 12 八年级 pupils of the town school.
  for (let n = 0; n < 52; n++) {
    const school = n < 40 ? URBAN : TOWN;
    const grade = n < 30 ? "三年级" : n < 40 ? "四年级" : "八年级";
    const year = n < 30 ? 2012 : n < 40 ? 2011 : 2007;
    const id = idNumber("431224", `${year}0${1 + (n % 9)}1${n % 10}`, 100 + n);
    const sex = Number(id[16]) % 2 === 1 ? "男" : "女";
    const township = school === URBAN ? "卢峰镇" : "龙潭镇";
    csv += `${school},学生${String(n).padStart(2, "0")},${sex},${id},${grade},${1 + (n % 2)},${n % 2 ? "苗族" : "汉族"},${township},听力残疾,G${id}\n`;
  }
  county.load(schools, csv);
  county.users(["kezhang", "officer", "431224"]);
  base = await county.start();
});

after(() => county.stop());

/** The entries of a zip file (the xlsx), by name: its central directory read by hand. */
function unzip(bytes) {
  const files = {};
  let end = bytes.length - 22;
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--;
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    files[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString("utf8");
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

const unescape = (s) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The first sheet of an xlsx as rows of cell texts (shared and inline strings, numbers). */
function sheetRows(file) {
  const files = unzip(fs.readFileSync(file));
  const shared = [...(files["xl/sharedStrings.xml"] || "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join("")),
  );
  const column = (ref) => [...ref.replace(/\d+/g, "")].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const rows = [];
  for (const row of files["xl/worksheets/sheet1.xml"].matchAll(/<row[^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const c of row[1].matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const [, ref, attrs, inner = ""] = c;
      const v = (inner.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
      const t = (inner.match(/<t[^>]*>([\s\S]*?)<\/t>/) || [])[1];
      let text = "";
      if (/t="s"/.test(attrs)) text = shared[Number(v)];
      else if (t !== undefined) text = unescape(t);
      else if (v !== undefined) text = v;
      cells[column(ref)] = text;
    }
    rows.push(Array.from(cells, (x) => x ?? ""));
  }
  return rows;
}

test("filter by school and grade, export exactly those rows with every column filled, 重置", async () => {
  const page = await county.signedIn("kezhang");
  await page.goto(`${base}/students`);
  assert.match(await page.textContent("#total"), /共 52 条/);
  await county.shot(page, "lists-students.png");

  // The school is picked by its name from the searchable list, never typed as a code.
  const options = await page.$$eval("#dl-school option", (os) => os.map((o) => o.value));
  assert.ok(options.includes(URBAN_NAME), "the picker lists the schools by name");
  await page.fill("#f-school", URBAN_NAME);
  // A drop-down applies at once: choosing the grade sends the filters.
  await Promise.all([page.waitForURL(/grade=/), page.selectOption("#f-grade", "三年级")]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("school"), URBAN_NAME);
  assert.equal(url.searchParams.get("_csrf"), null, "no CSRF token in the address");
  assert.match(await page.textContent("#total"), /共 30 条/);
  const shown = await page.locator("#students tbody tr").allTextContents();
  assert.equal(shown.length, 30);
  assert.ok(shown.every((r) => r.includes(URBAN_NAME) && r.includes("三年级")));
  assert.equal(await page.inputValue("#f-school"), URBAN_NAME, "the field shows the name again");
  await county.shot(page, "lists-students-filtered.png");

  // 20 a page: two pages; the jump keeps the filters.
  await Promise.all([page.waitForURL(/size=20/), page.selectOption("#page-size", "20")]);
  assert.equal((await page.locator("#students tbody tr").allTextContents()).length, 20);
  await page.fill("#jump-page", "2");
  await page.click("#jump-go");
  await page.waitForURL(/page=2/);
  assert.equal((await page.locator("#students tbody tr").allTextContents()).length, 10);
  assert.match(await page.textContent("#total"), /共 30 条/);

  // Sort by name, descending on the second click.
  await page.click('th[data-sort="name"] a');
  await page.click('th[data-sort="name"] a');
  assert.match(await page.textContent('th[data-sort="name"]'), /▼/);
  const names = (await page.locator("#students tbody tr td:first-child").allTextContents()).map((s) => s.trim());
  assert.deepEqual(names, [...names].sort().reverse());

  // 导出: all 30 filtered rows (not the page's 20), every column filled.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const saved = path.join(work, "students.xlsx");
  await download.saveAs(saved);
  const [header, ...rows] = sheetRows(saved);
  assert.equal(rows.length, 30, "exactly the filtered rows");
  const col = (name) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `column ${name}`);
    return i;
  };
  const filled = [
    "学校标识码", "姓名", "性别", "身份证件号", "年级", "班级", "出生日期", "民族", "户籍乡镇",
    "寄宿生", "家庭经济困难类型", "残疾类型", "学籍状态", "学期", "学籍号", "身份证件类型", "就读方式",
  ];
  for (const r of rows) {
    for (const name of filled) assert.notEqual(r[col(name)] ?? "", "", `${name} filled in ${r}`);
    assert.equal(r[col("学校标识码")], URBAN);
    assert.equal(r[col("年级")], "三年级");
    assert.equal(r[col("户籍乡镇")], "卢峰镇");
    assert.equal(r[col("残疾类型")], "听力残疾");
    assert.match(r[col("身份证件号")], /\*{6,}/, "ID numbers masked");
  }

  // 重置: the bare list, every filter cleared.
  await page.click("#reset");
  await page.waitForURL((u) => new URL(u).search === "");
  assert.equal(await page.inputValue("#f-school"), "");
  assert.equal(await page.inputValue("#f-grade"), "");
  assert.match(await page.textContent("#total"), /共 52 条/);

  // A school name that is no school: refused beside the field, nothing listed.
  await page.fill("#f-school", "没有这所学校");
  await page.click("#search");
  assert.match(await page.textContent("#error-school"), /没有名为“没有这所学校”的学校/);
  assert.match(await page.textContent("#empty"), /筛选条件有误/);
});

test("the class list filters by township and pages", async () => {
  const page = await county.signedIn("kezhang");
  await page.goto(`${base}/classes`);
  assert.match(await page.textContent("#total"), /共 6 条/);
  await page.fill("#f-township", "龙潭镇");
  await page.click("#search");
  assert.match(await page.textContent("#total"), /共 2 条/);
  const rows = await page.locator("#classes tbody tr").allTextContents();
  assert.ok(rows.every((r) => r.includes("龙潭镇中学")));
  await county.shot(page, "lists-classes.png");
});
