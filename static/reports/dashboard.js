// 领导驾驶舱 charts. The figures come from a json_script block (data, not code), so no inline
// script is needed and the CSP stays strict.
(function () {
  "use strict";
  var source = document.getElementById("trend-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var font = { family: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif', size: 12 };
  Chart.defaults.font = font;
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function line(label, values, colour, extra) {
    var set = { label: label, data: values, borderColor: colour, backgroundColor: colour, pointRadius: 0,
                borderWidth: 2, tension: 0.25, spanGaps: true };
    return Object.assign(set, extra || {});
  }

  var stock = document.getElementById("chart-stock");
  if (stock) {
    new Chart(stock, {
      type: "line",
      data: { labels: data.labels, datasets: [
        line("在办", data.open, "#1f4e8c"),
        line("红灯（超期）", data.red, "#dc3545"),
        line("黄灯（临期）", data.yellow, "#e0a800")
      ] },
      options: { interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }

  var rate = document.getElementById("chart-rate");
  if (rate) {
    new Chart(rate, {
      type: "line",
      data: { labels: data.labels, datasets: [line("整改率（%）", data.rate, "#198754", { fill: false })] },
      options: { plugins: { legend: { display: false } }, interaction: { mode: "index", intersect: false },
                 scales: { y: { suggestedMin: 50, suggestedMax: 100 } } }
    });
  }

  var weekly = document.getElementById("chart-weekly");
  if (weekly) {
    new Chart(weekly, {
      type: "bar",
      data: {
        labels: data.weeks.map(function (w) { return w.label; }),
        datasets: [
          { label: "交办", data: data.weeks.map(function (w) { return w.handed; }), backgroundColor: "#6c8ebf" },
          { label: "销号", data: data.weeks.map(function (w) { return w.closed; }), backgroundColor: "#198754" }
        ]
      },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
  }
})();
