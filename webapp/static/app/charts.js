// Draw every <canvas data-chart="ID"> from the Chart.js config in
// <script type="application/json" id="ID">. Data only: no inline script (CSP).
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;
  window.Chart.defaults.font.family =
    '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    let config;
    try {
      config = JSON.parse(source.textContent);
    } catch (err) {
      return;
    }
    config.options = Object.assign({ responsive: true }, config.options || {});
    new window.Chart(canvas, config);
  });
});
