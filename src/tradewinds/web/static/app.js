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
    },
    // A chart on a phone: fewer ticks, smaller type, the legend below the plot.
    fitLayout: function (el, layout) {
      if (el.clientWidth >= 420) return layout;  // a phone, not a half-width chart
      var out = Object.assign({}, layout, {font: Object.assign({}, layout.font, {size: 11})});
      out.legend = Object.assign({}, layout.legend, {orientation: "h", x: 0, xanchor: "left", y: -0.25});
      ["xaxis", "yaxis", "yaxis2"].forEach(function (name) {
        var axis = layout[name];
        if (!axis) return;
        axis = out[name] = Object.assign({}, axis);
        if (axis.tickangle !== undefined) axis.tickangle = -45;  // slanted labels need less width
        if (Array.isArray(axis.tickvals) && axis.tickvals.length > 4) {
          var every = Math.ceil(axis.tickvals.length / 4);
          axis.tickvals = axis.tickvals.filter(function (_, i) { return i % every === 0; });
          axis.ticktext = (axis.ticktext || []).filter(function (_, i) { return i % every === 0; });
        } else if (axis.tickformat === "~s") {  // a value axis in short figures (1.5M)
          axis.nticks = Math.min(axis.nticks || 5, 5);
        }
      });
      return out;
    },
    // Buttons that redraw a chart as one of its views (amounts, share of total, log scale):
    // <div data-views-for="chart-id"><button data-view="share">…</button></div>.
    chartViews: function (el, views) {
      var group = document.querySelector('[data-views-for="' + el.id + '"]');
      if (!group || !views.length) return;
      var buttons = group.querySelectorAll("button[data-view]");
      buttons.forEach(function (button) {
        button.addEventListener("click", function () {
          var view = views.filter(function (v) { return v.key === button.dataset.view; })[0];
          if (!view) return;
          Plotly.update(el, {x: [view.x], text: [view.text]}, {
            "xaxis.type": view.xaxis.type, "xaxis.tickformat": view.xaxis.tickformat,
            "xaxis.title.text": view.xaxis.title, "xaxis.tickmode": view.xaxis.tickmode,
            "xaxis.tick0": view.xaxis.tick0 || 0, "xaxis.dtick": view.xaxis.dtick || 1, "xaxis.autorange": true
          });
          buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
          el.dataset.view = view.key;
        });
      });
      el.dataset.view = views[0].key;
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
        // a cell's data-sort (the raw figure, or a cohort's 2011-01) sorts before its text
        function key(cell) {
          if (!cell) return {text: "", num: NaN};
          var raw = cell.getAttribute("data-sort");
          if (raw !== null) return {text: raw, num: raw === "" ? NaN : Number(raw)};
          var text = cell.innerText || "";
          return {text: text, num: parseFloat(text.replace(/[^0-9.\-]/g, ""))};
        }
        rows.sort(function (a, b) {
          var ka = key(a.cells[index]), kb = key(b.cells[index]);
          var x = ka.text, y = kb.text, nx = ka.num, ny = kb.num;
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
