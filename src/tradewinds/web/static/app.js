// Small progressive enhancements; every page works without them.
// Pages run no inline script (the Content-Security-Policy forbids it): each page's script
// lives in /static and reads its data from a <script type="application/json"> block.
window.Tradewinds = (function () {
  function escapeText(value) {
    if (typeof value !== "string") return value;
    return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }
  return {
    // The JSON a page hands to its script, or null when the page has none.
    data: function (id) {
      var el = document.getElementById(id);
      return el ? JSON.parse(el.textContent) : null;
    },
    // Plotly reads a few HTML tags (<b>, <a href>, <br>) in labels and names; a campaign,
    // product or segment name is shown as written instead, tags and all.
    plainLabels: function (traces) {
      traces.forEach(function (trace) {
        ["x", "y", "labels", "text"].forEach(function (key) {
          if (Array.isArray(trace[key])) trace[key] = trace[key].map(escapeText);
        });
        if (typeof trace.name === "string") trace.name = escapeText(trace.name);
      });
      return traces;
    }
  };
})();

(function () {
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // The date-range control (_period.html): a preset sends the form at once, without the
  // days (the preset gives them); typing a day makes the period a custom one.
  document.querySelectorAll("[data-period-form]").forEach(function (form) {
    var preset = form.querySelector("[data-period-preset]");
    var days = form.querySelectorAll("[data-period-day]");
    preset.addEventListener("change", function () {
      if (preset.value === "custom") return;
      days.forEach(function (d) { d.disabled = true; });
      form.submit();
    });
    days.forEach(function (d) {
      ["input", "change"].forEach(function (name) {
        d.addEventListener(name, function () { preset.value = "custom"; });
      });
    });
    form.addEventListener("submit", function () {
      if (preset.value !== "custom") days.forEach(function (d) { d.disabled = true; });
    });
  });
  var toggle = document.querySelector("[data-nav-toggle]");
  var nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Sortable tables: click a header to sort by that column.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, index) {
      th.setAttribute("aria-sort", "none");
      th.tabIndex = 0;
      function sort() {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = (a.cells[index] || {}).innerText || "", y = (b.cells[index] || {}).innerText || "";
          var nx = parseFloat(x.replace(/[^0-9.\-]/g, "")), ny = parseFloat(y.replace(/[^0-9.\-]/g, ""));
          var cmp = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
          return asc ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
    });
  });
})();
