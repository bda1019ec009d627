/** Accesses per day as an inline SVG bar chart, with a text alternative for screen readers. */
import { svg } from './dom';

export function accessChart(perDay: readonly { day: string; count: number }[], label: string, barLabel: (day: string, n: number) => string): SVGElement {
  const w = 600;
  const hgt = 80;
  const max = Math.max(1, ...perDay.map((d) => d.count));
  const bw = w / Math.max(1, perDay.length);
  const bars = perDay.map((d, i) => {
    const bh = Math.round((d.count / max) * (hgt - 12));
    return svg('rect', { x: (i * bw + 1).toFixed(1), y: hgt - bh, width: (bw - 2).toFixed(1), height: Math.max(bh, d.count > 0 ? 1 : 0), class: 'bar' }, svg('title', {}, barLabel(d.day, d.count)));
  });
  return svg('svg', { viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': label, class: 'chart', preserveAspectRatio: 'none' }, svg('title', {}, label), ...bars, svg('line', { x1: 0, y1: hgt - 0.5, x2: w, y2: hgt - 0.5, class: 'axis' }));
}
