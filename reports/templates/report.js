(function () {
  "use strict";
  var table = document.getElementById("findings");
  var form = document.getElementById("filters");
  if (!table || !form) { return; }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var shown = document.getElementById("shown");
  function apply() {
    var want = {};
    ["status", "severity", "policy", "account"].forEach(function (k) { want[k] = form.elements[k].value; });
    var text = form.elements.q.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (want.status === "*" || (want.status === "!PASS" ? r.dataset.status !== "PASS" : r.dataset.status === want.status)) &&
        (want.severity === "*" || r.dataset.severity === want.severity) &&
        (want.policy === "*" || r.dataset.policy === want.policy) &&
        (want.account === "*" || r.dataset.account === want.account) &&
        (!text || r.textContent.toLowerCase().indexOf(text) !== -1);
      r.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = n + " of " + rows.length + " finding(s) shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
