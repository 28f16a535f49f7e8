// Browser test of the 年度工作总结 figure editor (issue #18): the aid office's section is
// edited in a contenteditable block where each figure is an atomic chip showing its value
// and code; typing on a chip, or over a selection holding chips, leaves it as it was, text
// typed beside it is kept, and saving posts the same {code|unit} placeholders back. Without
// JavaScript the textarea is the editor. Another office's section offers no editor.
// Runs the real `emis` binary on a fresh SQLite database and drives headless Chromium.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { idNumber, County } from "./support.mjs";

const county = new County("summary");
let base;

before(async () => {
  const schools =
    "学校标识码,学校名称,办学类型,所在乡镇,城乡类别,寄宿制\n" +
    "2143000001,溆浦县卢峰镇第一小学,小学,卢峰镇,城区,否\n";
  let students = "学校标识码,姓名,性别,身份证件号,年级,班级\n";
  for (let n = 0; n < 5; n++) {
    const id = idNumber("431224", "20120520", 300 + n);
    students += `2143000001,学生${n},${Number(id[16]) % 2 === 1 ? "男" : "女"},${id},三年级,1\n`;
  }
  county.load(schools, students);
  // Two payments: the aid figures are 2人次 and 0.05万元.
  const paid = [0, 1].map((n) => `${idNumber("431224", "20120520", 300 + n)},非寄宿生生活费补助,2021-autumn,250,2143000001`);
  county.emis("import", "aid", county.file("aid.csv", `身份证件号,资助项目,学期,金额(元),学校标识码\n${paid.join("\n")}\n`));
  county.users(["zizhu", "officer", "431224", "--office", "资助中心"]);
  base = await county.start();
});

after(() => county.stop());

test("summary: figures are chips that typing cannot change, and saving keeps the placeholders", async () => {
  const page = await county.signedIn("zizhu");
  await page.goto(`${base}/reports/summary?year=2021`);
  await page.click("#start-form button");
  await page.waitForSelector(".figure-editor");
  // One section is the aid office's: its editor shows; the textarea is the fallback.
  const editors = page.locator(".figure-editor:visible");
  assert.equal(await editors.count(), 1);
  const editor = editors.first();
  const area = page.locator(`#${await editor.getAttribute("data-for")}`);
  assert.equal(await area.isVisible(), false);
  const chip = editor.locator('.chip[data-source="{aid.person_times}人次"]');
  assert.equal(await chip.count(), 1);
  assert.equal(await chip.getAttribute("contenteditable"), "false");
  const shown = await chip.textContent();
  assert.equal(shown, "2人次aid.person_times");
  const chips = await editor.locator(".chip").count();
  assert.ok(chips >= 3, `${chips} chips`);

  // Typing on the chip does not change it.
  await chip.click();
  await page.keyboard.type("999");
  assert.equal(await chip.textContent(), shown);
  assert.equal(await chip.getAttribute("data-source"), "{aid.person_times}人次");
  // Nor does typing over a selection that holds every chip.
  await editor.click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Control+A");
  await page.keyboard.type("全部改写");
  assert.equal(await editor.locator(".chip").count(), chips);
  assert.equal(await chip.textContent(), shown);

  // Text typed at the end of the last line is kept; the figures post back as placeholders.
  await page.evaluate(() => {
    const editor = document.querySelector(".figure-editor:not([hidden])");
    const line = editor.lastElementChild;
    const range = document.createRange();
    range.selectNodeContents(line);
    range.collapse(false);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    editor.focus();
  });
  await page.keyboard.type("另有补充。");
  const posted = await area.inputValue();
  assert.match(posted, /\{aid\.person_times\}人次/);
  assert.match(posted, /\{aid\.amount\|万元\}/);
  assert.match(posted, /另有补充。$/);
  assert.doesNotMatch(posted, /全部改写/);
  await county.shot(page, "summary-editor.png");
  await editor.locator("xpath=ancestor::form").locator("button", { hasText: "保存草稿" }).click();
  await page.waitForLoadState("load");
  assert.doesNotMatch(await page.content(), /field-error/);
  const saved = page.locator(".figure-editor:visible").first();
  assert.match(await saved.textContent(), /另有补充。/);
  const stored = await page.locator(`#${await saved.getAttribute("data-for")}`).inputValue();
  assert.match(stored, /\{aid\.person_times\}人次/);
  assert.match(stored, /另有补充。$/);
  assert.equal(await saved.locator(".chip").count(), chips);
  // The preview reads the saved text.
  assert.match(await page.textContent("#summary-preview"), /另有补充。/);

  // Without JavaScript the textarea is the editor.
  const plain = await county.browser.newContext({ javaScriptEnabled: false, locale: "zh-CN" });
  const bare = await plain.newPage();
  await county.login(bare, "zizhu", county.passwords.zizhu);
  await bare.goto(`${base}/reports/summary?year=2021`);
  assert.equal(await bare.locator(".figure-editor:visible").count(), 0);
  assert.equal(await bare.locator("textarea[name=text]:visible").count(), 1);
  await plain.close();
});
