// county-emis: small helpers only; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Filters apply as soon as a drop-down changes.
  document.querySelectorAll("form.filters select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A list's page size applies at once (list_pager.html).
  document.querySelectorAll("form.jump select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A 打印 button prints the page (the print style keeps only the title and the tables).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  // 年度工作总结: the figure editor. Each figure is an atomic chip (contenteditable=false)
  // that typing cannot change; the text posted is the textarea's, rebuilt from the editor
  // with each chip's placeholder ({code|unit}), so the server's check stays the only one.
  // Without this file the textarea is the editor.
  const editorText = (editor) => {
    const lines = [];
    let current = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          current += child.data.replace(/\u00a0/g, " ");
        } else if (child.classList && child.classList.contains("chip")) {
          current += child.dataset.source;
        } else if (child.nodeName === "BR") {
          lines.push(current);
          current = "";
        } else if (child.nodeName === "DIV" || child.nodeName === "P") {
          if (current) lines.push(current);
          current = "";
          walk(child);
          lines.push(current);
          current = "";
        } else {
          walk(child);
        }
      }
    };
    walk(editor);
    lines.push(current);
    return lines.filter((l) => l.trim() !== "").join("\n");
  };
  const touchesChip = (editor) => {
    const selection = window.getSelection();
    if (!selection.rangeCount) return false;
    const range = selection.getRangeAt(0);
    if (range.collapsed) {
      const node = range.startContainer;
      return Boolean((node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest(".chip"));
    }
    return [...editor.querySelectorAll(".chip")].some((chip) => range.intersectsNode(chip));
  };
  document.querySelectorAll(".figure-editor").forEach((editor) => {
    const area = document.getElementById(editor.dataset.for);
    if (!area || !area.form) return;
    const tools = editor.parentElement.querySelector(".figure-tools");
    editor.hidden = false;
    area.hidden = true;
    if (tools) tools.hidden = false;
    const sync = () => { area.value = editorText(editor); };
    editor.addEventListener("input", sync);
    area.form.addEventListener("submit", sync);
    // Typing over a figure (a selection holding a chip, or the caret inside one) is refused;
    // a chip is removed whole by Backspace or Delete.
    editor.addEventListener("beforeinput", (event) => {
      if (event.inputType.startsWith("insert") && touchesChip(editor)) event.preventDefault();
    });
    editor.addEventListener("paste", (event) => {
      event.preventDefault();
      if (!touchesChip(editor)) {
        document.execCommand("insertText", false, event.clipboardData.getData("text/plain"));
      }
    });
    const button = tools && tools.querySelector(".insert-figure");
    if (button) {
      button.addEventListener("click", () => {
        const code = tools.querySelector(".figure-code").value.trim();
        if (!code) return;
        const chip = document.createElement("span");
        chip.className = "chip";
        chip.contentEditable = "false";
        chip.dataset.source = `{${code}}`;
        chip.title = `${code}（保存后按记录计算）`;
        chip.textContent = `{${code}}`;
        const selection = window.getSelection();
        const inside = selection.rangeCount && editor.contains(selection.getRangeAt(0).startContainer);
        if (inside && !touchesChip(editor)) {
          const range = selection.getRangeAt(0);
          range.deleteContents();
          range.insertNode(chip);
        } else {
          (editor.lastElementChild || editor).appendChild(chip);
        }
        sync();
      });
    }
  });
});
