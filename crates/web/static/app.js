// county-emis: small helpers only; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Filters apply as soon as a drop-down changes.
  document.querySelectorAll("form.filters select").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
