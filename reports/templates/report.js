(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var status = document.getElementById("filter-status");
  var fields = { severity: form.elements.severity, rule: form.elements.rule, version: form.elements.version };
  function matches(el) {
    return (!fields.severity.value || el.getAttribute("data-severity") === fields.severity.value) &&
      (!fields.rule.value || el.getAttribute("data-rule") === fields.rule.value) &&
      (!fields.version.value || el.getAttribute("data-version") === fields.version.value);
  }
  function apply() {
    var shown = 0, total = 0;
    Array.prototype.forEach.call(document.querySelectorAll("tr[data-rule]"), function (row) {
      var ok = matches(row);
      row.hidden = !ok;
      if (row.classList.contains("violation")) { total += 1; if (ok) { shown += 1; } }
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.version, table.changes, table.overview tbody tr"), function (el) {
      el.hidden = Boolean(fields.version.value) && el.getAttribute("data-version") !== fields.version.value;
    });
    Array.prototype.forEach.call(document.querySelectorAll("table.violations, table.waivers"), function (table) {
      table.hidden = !table.querySelector("tbody tr:not([hidden])");
    });
    status.textContent = status.getAttribute("data-template").replace("{shown}", String(shown)).replace("{total}", String(total));
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.hidden = false;
  apply();
}());
