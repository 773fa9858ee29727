// Budget: the response curves, the weeks ahead and the fit (figures built server-side,
// web/routes/budget.py), and the sliders' values shown as they move.
(function () {
  var page = Tradewinds.data("budget-data");
  if (page && window.Plotly) {
    [["curves", "budget-curves"], ["forward", "budget-forward"], ["fit", "budget-fit"]].forEach(function (pair) {
      var figure = page[pair[0]];
      var el = document.getElementById(pair[1]);
      if (!figure || !el) return;
      Plotly.newPlot(el, Tradewinds.plainLabels(figure.data), Tradewinds.fitLayout(el, figure.layout),
        {displayModeBar: false, responsive: true});
    });
  }
  var format = new Intl.NumberFormat(document.documentElement.lang || undefined, {maximumFractionDigits: 0});
  document.querySelectorAll("input[type=range][data-output]").forEach(function (input) {
    var out = document.getElementById(input.getAttribute("data-output"));
    if (!out) return;
    input.addEventListener("input", function () { out.textContent = format.format(Number(input.value)); });
  });
})();
