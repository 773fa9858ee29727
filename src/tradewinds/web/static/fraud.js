// Invalid traffic: valid and invalid clicks by campaign (the figure is built server-side,
// web/routes/fraud.py).
(function () {
  var figure = Tradewinds.data("fraud-data");
  var el = document.getElementById("fraud-chart");
  if (!figure || !el || !window.Plotly) return;
  Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout),
    {displayModeBar: false, responsive: true});
})();
