// The funding forecast as stacked bars (Chart.js, served from /static/vendor); the table gives the same figures.
(function () {
  "use strict";
  var canvas = document.getElementById("funding-chart");
  var source = document.getElementById("funding-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "OPCO", data: data.opco, backgroundColor: "#00457c" },
        { label: "Employeurs", data: data.employer, backgroundColor: "#ffbf47" }
      ]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + " : " + euro.format(ctx.parsed.y); } } }
      },
      scales: {
        x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0 } },
        y: { stacked: true, beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } }
      }
    }
  });
})();
