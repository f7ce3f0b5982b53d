// Payouts per minute (or hour) by outcome: stacked bars drawn by uPlot (from its webjar), the
// time axis in WIB.

import uPlot from '/console/vendor/uplot/dist/uPlot.esm.js';
import {colour, ordered} from './statuses.js';
import {clockWib, count, when} from './format.js';

/** A chart in `container`; update(stats) with a /api/stats answer that has a series. */
export function outcomesChart(container) {
  let plot = null;
  let shape = '';
  let raw = [];
  const resize = new ResizeObserver(() => plot && plot.setSize({width: container.clientWidth, height: 250}));
  resize.observe(container);

  function build(statuses) {
    // bars are drawn from zero to the running total, tallest first: each status shows as its band
    const top = [...statuses].reverse();
    const bars = uPlot.paths.bars({size: [0.8, 28], gap: 1});
    return new uPlot({
      width: Math.max(container.clientWidth, 300),
      height: 250,
      tzDate: ts => uPlot.tzDate(new Date(ts * 1000), 'Asia/Jakarta'),
      cursor: {points: {show: false}},
      legend: {live: true},
      scales: {x: {time: true}, y: {range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.1))]}},
      axes: [
        {stroke: '#5d6b78', grid: {stroke: '#eef1f4'}, values: (u, ticks) => ticks.map(t => clockWib(new Date(t * 1000)))},
        {stroke: '#5d6b78', grid: {stroke: '#eef1f4'}, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000],
          values: (u, ticks) => ticks.map(t => count(t))},
      ],
      series: [
        {label: 'Minute', value: (u, ts) => (ts === null || ts === undefined ? '—' : when(new Date(ts * 1000).toISOString()))},
        ...top.map(status => ({
          label: status.replace('_', ' '),
          stroke: colour(status),
          fill: colour(status),
          width: 0,
          paths: bars,
          points: {show: false},
          value: (u, v, seriesIndex, index) => index === null || index === undefined ? '—'
            : count(raw[statuses.indexOf(status)][index]),
        })),
      ],
    }, [[], ...top.map(() => [])], container);
  }

  return {
    update(stats) {
      const series = stats.series || [];
      const statuses = ordered(Object.keys(stats.counts));
      if (statuses.join() !== shape) {
        if (plot) {
          plot.destroy();
        }
        plot = build(statuses);
        shape = statuses.join();
      }
      const xs = series.map(bucket => Date.parse(bucket.at) / 1000);
      raw = statuses.map(status => series.map(bucket => bucket.counts[status] || 0));
      // running totals from the bottom (SUCCEEDED) up; uPlot gets the tallest first
      const totals = raw.map((_, i) => series.map((__, j) => raw.slice(0, i + 1).reduce((sum, r) => sum + r[j], 0)));
      plot.setData([xs, ...totals.reverse()]);
    },
    destroy() {
      resize.disconnect();
      if (plot) {
        plot.destroy();
      }
    },
  };
}
