// The network plan page: the coverage chart (Chart.js), drawn from the numbers the page embeds
// with json_script, and redrawn when htmx swaps in a fresh coverage section after a touchpoint.
// Without JavaScript the table beside the chart carries the same numbers.
(function () {
  "use strict";

  var COLOURS = { healthy: "#17663f", other: "#b8860b" };

  function draw() {
    var canvas = document.getElementById("network-coverage-chart");
    var source = document.getElementById("network-coverage-data");
    if (!canvas || !source || typeof window.Chart === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var existing = window.Chart.getChart(canvas);
    if (existing) {
      existing.destroy();
    }
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "On track", data: data.healthy, backgroundColor: COLOURS.healthy },
          { label: "Not on track", data: data.other, backgroundColor: COLOURS.other },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: true },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
  }

  // A touchpoint form answered 400 carries its errors: show them in place (htmx leaves error
  // responses unswapped by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 400 && detail.elt.closest("[data-network]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
  // htmx:load fires for the page and for every swapped-in element, out-of-band ones included.
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body || event.target.id === "network-coverage") {
      draw();
    }
  });
  document.addEventListener("DOMContentLoaded", draw);
})();
