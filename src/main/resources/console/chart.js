// A small line chart drawn as SVG: one or more series of [timeMs, value] points.

const NS = 'http://www.w3.org/2000/svg';
const COLORS = ['#2f5d8a', '#c0504d', '#4f9a55', '#8a5fb0', '#d08a2b', '#3a9aa3'];

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

function clock(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:${String(d.getSeconds()).padStart(2, '0')}`;
}

/** The smallest of 1, 2, 2.5, 5 times a power of ten (at least 1) that is at least x. */
function niceStep(x) {
  const power = 10 ** Math.floor(Math.log10(Math.max(x, 1)));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= x && Number.isInteger(s * 4)) || 10 * power;
}

/**
 * series: [{name, points: [[t, v], …]}]; window: how far back the x axis reaches (ms), ending now.
 */
export function lineChart(series, { windowMs, now = Date.now(), label = '' } = {}) {
  const width = 640;
  const height = 220;
  const left = 56;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': label });
  const from = now - windowMs;
  const points = series.flatMap((s) => s.points.filter(([t]) => t >= from));
  const step = niceStep(Math.max(1, ...points.map(([, v]) => v)) / 4);
  const max = step * 4;
  const x = (t) => left + ((t - from) / windowMs) * (width - left - right);
  const y = (v) => top + (1 - v / max) * (height - top - bottom);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    root.append(svg('line', { x1: left, x2: width - right, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' },
      Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1)));
  }
  for (let i = 0; i <= 3; i++) {
    const t = from + (windowMs * i) / 3;
    root.append(svg('text', { x: x(t), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === 3 ? 'end' : 'middle', class: 'axis' }, clock(t)));
  }
  series.forEach((s, i) => {
    const visible = s.points.filter(([t]) => t >= from);
    if (visible.length === 0) return;
    const color = COLORS[i % COLORS.length];
    if (visible.length === 1) {
      root.append(svg('circle', { cx: x(visible[0][0]), cy: y(visible[0][1]), r: 3, fill: color }));
    } else {
      root.append(svg('polyline', {
        points: visible.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
        fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': s.name,
      }));
    }
  });
  return root;
}

export function legend(series) {
  const list = document.createElement('ul');
  list.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = COLORS[i % COLORS.length];
    item.append(swatch, document.createTextNode(s.name));
    list.append(item);
  });
  return list;
}
