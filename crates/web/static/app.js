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
});
