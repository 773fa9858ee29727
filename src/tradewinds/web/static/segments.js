// Customers: customers per RFM segment, and the members of each saved segment over time.
(function () {
  var page = Tradewinds.data("segments-data");
  if (!page || !window.Plotly) return;
  var font = {family: "system-ui, sans-serif", size: 12};
  var el = document.getElementById("segment-chart");
  if (el) {
    Plotly.newPlot(el, Tradewinds.plainLabels([{type: "bar", x: page.chart.x, y: page.chart.y, marker: {color: "#0b5cad"},
      hovertemplate: "%{x}: %{y:,} customers<extra></extra>"}]),
      Tradewinds.fitLayout(el, {margin: {t: 10, r: 10, b: 40, l: 50}, height: 300, font: font,
       yaxis: {title: {text: "customers"}, gridcolor: "#eee", automargin: true}, xaxis: {tickangle: -30, automargin: true}}),
      {displayModeBar: false, responsive: true});
  }
  var savedEl = document.getElementById("saved-chart");
  if (savedEl && page.saved.length) {
    Plotly.newPlot(savedEl, Tradewinds.plainLabels(page.saved.map(function (s) {
      return {type: "scatter", mode: "lines+markers", name: s.name,
              x: s.history.map(function (h) { return h.at; }), y: s.history.map(function (h) { return h.members; })};
    })), Tradewinds.fitLayout(savedEl, {margin: {t: 10, r: 10, b: 40, l: 50}, height: 260, font: font,
         yaxis: {title: {text: "customers"}, gridcolor: "#eee", rangemode: "tozero"}, legend: {orientation: "h"}}),
    {displayModeBar: false, responsive: true});
  }
})();
