// Dashboard charts: ECharts served by Ducha itself, fed from the page's JSON (no inline code,
// strict CSP). Every chart repeats numbers that stand in a table beside it.
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) {
    return;
  }
  var charts = JSON.parse(source.textContent);

  function option(chart, element) {
    // The short lights chart has its legend as links under it (with the numbers): an
    // ECharts legend there would scroll and hide lights on a phone.
    var legend = element.classList.contains("chart-short")
      ? { show: false }
      : { top: 0, type: "scroll" };
    var categoryAxis = {
      type: "category",
      data: chart.categories,
      axisLabel: { hideOverlap: true },
    };
    var valueAxis = { type: "value", minInterval: 1 };
    return {
      animation: false,
      // Rich-text tooltips are drawn, not injected as HTML with inline styles.
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: legend,
      grid: { left: 8, right: 16, top: legend.show === false ? 8 : 32, bottom: 8, containLabel: true },
      xAxis: chart.horizontal ? valueAxis : categoryAxis,
      yAxis: chart.horizontal ? Object.assign({ inverse: true }, categoryAxis) : valueAxis,
      series: chart.series.map(function (series) {
        return {
          name: series.name,
          type: chart.kind,
          data: series.values,
          stack: chart.stacked ? "total" : undefined,
          itemStyle: { color: series.color },
          lineStyle: { color: series.color },
          barMaxWidth: 28,
          showSymbol: chart.kind === "line" && chart.categories.length <= 31,
        };
      }),
    };
  }

  var drawn = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var chart = charts[element.getAttribute("data-chart")];
    if (!chart || !chart.categories.length) {
      element.hidden = true;
      return;
    }
    if (chart.horizontal && element.classList.contains("chart-tall")) {
      // One bar per line of the table: the chart grows with it instead of squeezing bars.
      // (CSSOM, not a style attribute: the strict CSP allows it.)
      element.style.height = Math.max(240, 60 + 26 * chart.categories.length) + "px";
    }
    var instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption(option(chart, element));
    element.setAttribute("data-drawn", "true");
    drawn.push(instance);
  });

  window.addEventListener("resize", function () {
    drawn.forEach(function (instance) {
      instance.resize();
    });
  });
})();
