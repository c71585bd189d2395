// The network plan page: the coverage chart (Chart.js), drawn from the numbers the page embeds
// with json_script, and redrawn with the numbers a touchpoint's htmx response sends. Without
// JavaScript the table beside the chart carries the same numbers.
(function () {
  "use strict";

  var COLOURS = { healthy: "#17663f", other: "#b8860b" };

  function render(canvas, data) {
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

  function chartCanvas() {
    var canvas = document.getElementById("network-coverage-chart");
    return canvas && typeof window.Chart !== "undefined" ? canvas : null;
  }

  // The page's numbers, embedded with json_script.
  function drawFromPage() {
    var canvas = chartCanvas();
    var source = document.getElementById("network-coverage-data");
    if (canvas && source) {
      render(canvas, JSON.parse(source.textContent));
    }
  }

  // After a touchpoint, htmx swaps in a fresh coverage section (a new canvas) and the server
  // sends the new numbers in an HX-Trigger-After-Settle event.
  document.addEventListener("network-coverage", function (event) {
    var canvas = chartCanvas();
    var source = document.getElementById("network-coverage-data");
    var data = { labels: event.detail.labels, healthy: event.detail.healthy, other: event.detail.other };
    if (source) {
      source.textContent = JSON.stringify(data);
    }
    if (canvas) {
      render(canvas, data);
    }
  });

  // A touchpoint form answered 400 carries its errors: show them in place (htmx leaves error
  // responses unswapped by default).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 400 && detail.elt.closest("[data-network]")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });
  document.addEventListener("DOMContentLoaded", drawFromPage);
})();
