/* The programme dashboard's charts, drawn with Chart.js (vendor/chartjs/chart.umd.min.js, loaded
   before this file). Each <canvas data-chart="ID"> reads its numbers from the JSON of the
   <script type="application/json" id="ID"> element that Django's json_script wrote: no inline
   code, so a strict Content-Security-Policy holds. The same numbers are in a table next to it.

   The JSON: {kind: "bar"|"line", labels: [...], horizontal: bool, stacked: bool,
              series: [{label, data: [numbers], colours?: [one per bar]}]} */
(function () {
  "use strict";

  // AA contrast against white, and told apart by more than hue in the tables next to them.
  var PALETTE = ["#1f5fd1", "#b36b00", "#17663f", "#6b1b6b", "#a61b1b", "#4a5263"];
  var LABEL_LENGTH = 28;

  function shorten(text) {
    text = String(text);
    return text.length > LABEL_LENGTH ? text.slice(0, LABEL_LENGTH - 1) + "\u2026" : text;
  }

  function dataset(series, index, kind) {
    var colour = PALETTE[index % PALETTE.length];
    return {
      label: series.label,
      data: series.data,
      backgroundColor: series.colours || colour,
      borderColor: series.colours || colour,
      borderWidth: kind === "line" ? 2 : 0,
      pointRadius: kind === "line" ? 2 : undefined,
      tension: kind === "line" ? 0.2 : undefined,
    };
  }

  function options(spec) {
    var categories = {
      stacked: spec.stacked,
      ticks: {
        autoSkip: true,
        callback: function (value) {
          return shorten(this.getLabelForValue(value));
        },
      },
      grid: { display: false },
    };
    var counts = { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      scales: spec.horizontal ? { y: categories, x: counts } : { x: categories, y: counts },
      plugins: { legend: { display: spec.series.length > 1, position: "bottom" } },
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined" || window.Chart.getChart(canvas)) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, index) {
          return dataset(series, index, spec.kind);
        }),
      },
      options: options(spec),
    });
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      drawAll(document);
    });
  } else {
    drawAll(document);
  }
  // Content that htmx swaps in gets its charts too.
  document.addEventListener("htmx:load", function (event) {
    drawAll(event.detail.elt);
  });
})();
