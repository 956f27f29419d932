(function () {
  var figs = JSON.parse(document.getElementById("figures").textContent);
  var cfg = {displaylogo: false, responsive: true};
  Object.keys(figs.static).forEach(function (id) {
    Plotly.newPlot(id, figs.static[id].data, figs.static[id].layout, cfg);
  });
  var select = document.getElementById("problem-select");
  if (!select || !figs.problems.length) return;
  function show(key) {
    var f = figs.problems[Number(key)];
    Plotly.react("map-problem", f.data, f.layout, cfg);
    document.querySelectorAll(".problem-note").forEach(function (el) {
      el.style.display = el.getAttribute("data-key") === key ? "" : "none";
    });
  }
  select.addEventListener("change", function () { show(select.value); });
  show(select.value);
})();
