// Drill-down: a table row with data-href opens its level; a bar of a chart with
// data-drill opens the level of the bar's category; the period form keeps the drill keys.
(function () {
  document.addEventListener("click", function (event) {
    var row = event.target.closest ? event.target.closest("tr[data-href]") : null;
    if (!row || event.target.closest("a, button, input, select")) return;
    window.location.assign(row.getAttribute("data-href"));
  });

  // the bar's own key, read from the page's JSON (the drawn labels are escaped for Plotly)
  function keyOf(name, point) {
    var page = Tradewinds.data("overview-data");
    var trace = page && page.figures[name] && page.figures[name].figure.data[point.curveNumber];
    if (!trace) return null;
    if (trace.type === "heatmap") {
      var at = point.pointIndex || [];
      return { month: trace.y[at[0]], k: trace.x[at[1]] };
    }
    var axis = trace.orientation === "h" ? trace.y : trace.x;
    var keys = page.figures[name].figure.keys;  // the bars' own keys when the labels are translated
    var value = keys ? keys[point.pointIndex] : axis[point.pointIndex];
    if (value === null || value === undefined) return null;  // "Other countries"
    var key = {};
    key[trace.orientation === "h" ? "country" : "channel"] = value;
    return key;
  }

  function attach(el, tries) {
    if (typeof el.on !== "function") {
      if (tries > 0) window.setTimeout(function () { attach(el, tries - 1); }, 100);
      return;
    }
    el.classList.add("drillable");
    el.on("plotly_click", function (data) {
      if (!data || !data.points || !data.points.length) return;
      var name = el.id.replace(/^chart-/, "");
      var key = keyOf(name, data.points[0]);
      if (!key) return;
      var url = new URL(el.getAttribute("data-drill"), window.location.href);
      Object.keys(key).forEach(function (k) {
        if (key[k] !== null && key[k] !== undefined) url.searchParams.set(k, String(key[k]));
      });
      window.location.assign(url.pathname + url.search);
    });
  }
  document.querySelectorAll("[data-drill]").forEach(function (el) {
    if (el.getAttribute("data-drill")) attach(el, 50);
  });

  // the period form at the top: a new period keeps the level (its drill keys)
  var top = document.querySelector("form.daterange");
  if (!top || !document.querySelector("[data-testid=breadcrumbs]")) return;
  var params = new URLSearchParams(window.location.search);
  params.forEach(function (value, name) {
    if (name === "from" || name === "to" || name === "page") return;
    var input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value; top.appendChild(input);
  });
  var shown = document.querySelector("[data-testid=drill-period]");
  var f = top.querySelector("input[name=from]"), t = top.querySelector("input[name=to]");
  if (shown && f && !f.value && shown.getAttribute("data-from")) f.value = shown.getAttribute("data-from");
  if (shown && t && !t.value && shown.getAttribute("data-to")) t.value = shown.getAttribute("data-to");
})();
