// Experiments: each variation's relative uplift with its 95% and sequential intervals
// (the figure is built server-side, web/routes/experiments.py).
(function () {
  var page = Tradewinds.data("experiments-data");
  var el = document.getElementById("experiments-uplift");
  if (!page || !el || !window.Plotly) return;
  var figure = page.uplift;
  Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout),
    {displayModeBar: false, responsive: true});
})();
