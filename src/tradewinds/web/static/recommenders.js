// Customers → Recommendations: each candidate model's NDCG@10 on the shop's held-back orders
// (the figure is built server-side, web/routes/customer_models.py).
(function () {
  var page = Tradewinds.data("recommenders-data");
  var el = document.getElementById("recommenders-chart");
  if (!page || !el || !window.Plotly) return;
  var figure = page.figure;
  Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout),
    {displayModeBar: false, responsive: true});
})();
