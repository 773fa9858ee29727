// Overview: draw the figures built on the server, keep the filters in the top date form.
(function () {
  var page = Tradewinds.data("overview-data");
  if (!page) return;
  Object.keys(page.figures).forEach(function (name) {
    var el = document.getElementById("chart-" + name);
    var entry = page.figures[name];
    var figure = entry.figure;
    if (el && window.Plotly) {
      Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout), page.config);
      Tradewinds.chartViews(el, entry.views || []);
    }
  });
  var top = document.querySelector("form.daterange");
  if (!top) return;
  var params = new URLSearchParams(window.location.search);
  ["channel", "country"].forEach(function (k) {
    params.getAll(k).forEach(function (v) {
      if (!v) return;
      var input = document.createElement("input");
      input.type = "hidden"; input.name = k; input.value = v; top.appendChild(input);
    });
  });
  var f = top.querySelector("input[name=from]"), t = top.querySelector("input[name=to]");
  if (f && !f.value) f.value = page.start;
  if (t && !t.value) t.value = page.end;
})();
