// Apache ECharts for the charts that hand-drawn SVG bars cannot say well (a scatter of cost against
// activation, one bubble per channel). Loaded on first use from /console/vendor/ (the pinned npm
// package served by api/console.ts: no CDN, nothing outside the content security policy), drawn with
// the canvas renderer (it styles through the CSSOM, which the policy allows, never inline style
// attributes) and with ECharts' aria description on; the data is always in a table beside it too.
let loading = null;

/** The ECharts module (loaded once). */
export function loadEcharts() {
  loading ??= import('../vendor/echarts.esm.min.js');
  return loading;
}

/**
 * Draws `option` into `container` (replacing an earlier chart there) once ECharts is loaded; returns
 * a function that disposes of it. `container` must have a size (CSS class .echart).
 */
export function drawEchart(container, option) {
  let chart = null;
  let disposed = false;
  const resize = () => chart?.resize();
  void loadEcharts().then((echarts) => {
    if (disposed || !container.isConnected) return;
    echarts.getInstanceByDom(container)?.dispose();
    chart = echarts.init(container, null, { renderer: 'canvas' });
    chart.setOption({ aria: { enabled: true }, animation: false, ...option });
    container.dataset.ready = 'true';
    window.addEventListener('resize', resize);
  });
  return () => {
    disposed = true;
    window.removeEventListener('resize', resize);
    chart?.dispose();
  };
}
