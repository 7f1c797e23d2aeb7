// The wage timeline drawn with Chart.js (served from /static/vendor, no CDN): the monthly minimum as a step line,
// a point on each month where it changes. The changes are also a list of buttons under the chart: focused,
// clicked or touched, each one highlights its point and writes its reason and article into a live region, so
// the explanations are reachable without a mouse. The months table below gives every amount as text.
(function () {
  "use strict";
  var canvas = document.getElementById("wage-chart");
  var source = document.getElementById("wage-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var months = data.months;
  if (months.length === 0) { return; }
  var euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
  var amounts = months.map(function (m) { return parseFloat(m.amount); });
  var changeAt = {};
  data.changes.forEach(function (c) { changeAt[c.date.slice(0, 7)] = c; });
  var radius = months.map(function (m) { return changeAt[m.month] ? 5 : 0; });
  var chart = new Chart(canvas, {
    type: "line",
    data: {
      labels: months.map(function (m) { return m.label; }),
      datasets: [{
        label: "Minimum légal mensuel",
        data: amounts,
        stepped: "before",
        borderColor: "#00457c",
        backgroundColor: "#ffbf47",
        pointBackgroundColor: "#ffbf47",
        pointBorderColor: "#1a1a1a",
        pointRadius: radius,
        pointHoverRadius: 8,
        borderWidth: 3
      }]
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: function (ctx) {
              var c = changeAt[months[ctx.dataIndex].month];
              var line = euro.format(ctx.parsed.y);
              return c ? [line, c.reason + " (" + c.article + ")"] : line;
            }
          }
        }
      },
      scales: {
        x: { ticks: { autoSkip: true, maxRotation: 0, autoSkipPadding: 12 } },
        y: { beginAtZero: true, ticks: { callback: function (v) { return euro.format(v); } } }
      }
    }
  });
  var detail = document.getElementById("chart-detail");
  function show(button) {
    var i = months.findIndex(function (m) { return m.month === button.dataset.month; });
    if (i < 0) { return; }
    var point = [{ datasetIndex: 0, index: i }];
    chart.setActiveElements(point);
    chart.tooltip.setActiveElements(point, { x: 0, y: 0 });
    chart.update();
    if (detail) { detail.textContent = button.dataset.detail; }
    document.querySelectorAll(".marker[aria-pressed]").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
  }
  document.querySelectorAll(".marker").forEach(function (b) {
    b.addEventListener("focus", function () { show(b); });
    b.addEventListener("click", function () { show(b); });
  });
})();
