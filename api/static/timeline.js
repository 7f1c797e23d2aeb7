// The wage timeline: a step chart of the monthly minimum, one step per month, a marker per change.
(function () {
  "use strict";
  var host = document.getElementById("wage-chart");
  var data = JSON.parse(document.getElementById("wage-data").textContent);
  var months = data.months;
  if (!host || months.length === 0) { return; }
  var NS = "http://www.w3.org/2000/svg";
  var W = 900, H = 280, L = 70, R = 16, T = 16, B = 36;
  var amounts = months.map(function (m) { return parseFloat(m.amount); });
  var top = Math.max.apply(null, amounts) * 1.1 || 1;
  var step = (W - L - R) / months.length;
  function x(i) { return L + i * step; }
  function y(v) { return T + (H - T - B) * (1 - v / top); }
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (parent || svg).appendChild(e);
    return e;
  }
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "Minimum mensuel de " + months[0].label + " à " + months[months.length - 1].label +
    ", " + data.changes.length + " changements");
  host.appendChild(svg);
  var euro = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
  [0, 0.5, 1].forEach(function (f) {
    var v = top / 1.1 * f;
    el("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), "class": "grid" });
    var t = el("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", "class": "axis" });
    t.textContent = euro.format(v);
  });
  months.forEach(function (m, i) {
    var s = el("line", { x1: x(i), x2: x(i + 1), y1: y(amounts[i]), y2: y(amounts[i]), "class": "step" });
    var title = document.createElementNS(NS, "title");
    title.textContent = m.label + " : " + euro.format(amounts[i]);
    s.appendChild(title);
    if (i > 0 && amounts[i] !== amounts[i - 1]) {
      el("line", { x1: x(i), x2: x(i), y1: y(amounts[i - 1]), y2: y(amounts[i]), "class": "riser" });
    }
    if (i % Math.ceil(months.length / 8) === 0) {
      var t = el("text", { x: x(i), y: H - 12, "class": "axis" });
      t.textContent = m.label;
    }
  });
  data.changes.forEach(function (c) {
    var key = c.date.slice(0, 7), i = months.findIndex(function (m) { return m.month === key; });
    if (i < 0) { return; }
    var g = el("g", { "class": "marker", tabindex: "0", role: "button",
                      "aria-label": c.label + " : " + c.reason + " (" + c.article + "), " + c.amount });
    el("circle", { cx: x(i), cy: y(amounts[i]), r: 6 }, g);
    var title = document.createElementNS(NS, "title");
    title.textContent = c.label + " — " + c.reason + " — " + c.article + " — " + c.amount;
    g.appendChild(title);
  });
})();
