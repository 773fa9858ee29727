// Attribution: orders credited to each channel or campaign by model, and the Markov heatmap.
(function () {
  var page = Tradewinds.data("attribution-data");
  if (!page || !window.Plotly) return;
  var font = {family: "system-ui, sans-serif", size: 12};
  var palette = ["#0b5cad", "#5b8fd1", "#9dbbe3", "#6c757d", "#adb5bd", "#c08a2b", "#1f7a4d", "#7a3e9d"];
  var chart = page.chart;
  var words = chart.labels || {axis: "orders credited", orders: "orders"};
  var el = document.getElementById("models-chart");
  if (el) {
    var traces = chart.models.map(function (m, i) {
      return {type: "bar", name: m, x: chart.keys, y: chart.values[i], marker: {color: palette[i % palette.length]},
              hovertemplate: "%{fullData.name} · %{x}: %{y:,.1f} " + words.orders + "<extra></extra>"};
    });
    Plotly.newPlot(el, Tradewinds.plainLabels(traces), Tradewinds.fitLayout(el, {barmode: "group", margin: {t: 10, r: 10, b: 40, l: 50}, height: 360, font: font,
      yaxis: {title: {text: words.axis}, gridcolor: "#eee", automargin: true}, xaxis: {tickangle: -30, automargin: true},
      legend: {orientation: "h", y: -0.35}}), {displayModeBar: false, responsive: true});
  }
  var heat = page.heat;
  var hm = document.getElementById("heatmap");
  if (hm && heat.matrix && heat.matrix.length) {
    Plotly.newPlot(hm, Tradewinds.plainLabels([{type: "heatmap", z: heat.matrix, x: heat.to, y: heat.from, zmin: 0, zmax: 1,
      colorscale: [[0, "#ffffff"], [1, "#0b5cad"]],
      hovertemplate: "%{y} → %{x}: %{z:.1%}<extra></extra>"}]),
      Tradewinds.fitLayout(hm, {margin: {t: 10, r: 10, b: 40, l: 40}, height: 420, font: font,
       yaxis: {autorange: "reversed", automargin: true}, xaxis: {tickangle: -30, automargin: true}}),
      {displayModeBar: false, responsive: true});
  }
})();
