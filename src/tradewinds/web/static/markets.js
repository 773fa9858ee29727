// Markets → Calendar: each festival and season of the year as a bar, the advertising lead
// time before it as a lighter bar (the figure is built server-side, web/routes/markets.py).
(function () {
  var page = Tradewinds.data("markets-data");
  var el = document.getElementById("markets-timeline");
  if (!page || !el || !window.Plotly) return;
  var figure = page.timeline;
  Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout),
    {displayModeBar: false, responsive: true});
})();
