(function () {
  var figs = JSON.parse(document.getElementById("figures").textContent);
  var cfg = {displaylogo: false, responsive: true};
  // A legend below the plot takes as many rows as the page is narrow: the figure grows by the
  // legend's height so the plot keeps its own (on a phone a 12-line legend would squash it).
  function fitLegend(gd, base) {
    var legend = gd.querySelector(".legend");
    var below = base.legend && base.legend.orientation === "h" && base.legend.y < 0;
    if (!legend || !below) return;
    var want = Math.round(base.height + legend.getBoundingClientRect().height);
    if (Math.abs((gd.layout.height || 0) - want) > 4) Plotly.relayout(gd, {height: want});
  }
  function draw(id, fig, react) {
    var gd = document.getElementById(id);
    var base = fig.layout;
    var layout = Object.assign({}, base);
    var done = (react ? Plotly.react : Plotly.newPlot)(gd, fig.data, layout, cfg);
    return done.then(function () {
      fitLegend(gd, base);
      if (!gd.__fitsLegend) {
        gd.__fitsLegend = true;
        var timer = null;
        window.addEventListener("resize", function () {  // after plotly's own resize
          clearTimeout(timer);
          timer = setTimeout(function () { fitLegend(gd, gd.__base); }, 200);
        });
      }
      gd.__base = base;
    });
  }
  Object.keys(figs.static).forEach(function (id) { draw(id, figs.static[id], false); });
  var select = document.getElementById("problem-select");
  if (!select || !figs.problems.length) return;
  function show(key) {
    draw("map-problem", figs.problems[Number(key)], true);
    document.querySelectorAll(".problem-note").forEach(function (el) {
      el.style.display = el.getAttribute("data-key") === key ? "" : "none";
    });
  }
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);
})();
