/** A time series drawn by uPlot (bundled), with its numbers in words for screen readers. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Point {
  /** Seconds since the epoch. */
  t: number;
  value: number | null;
}

const HEIGHT = 180;

export function Chart({
  title,
  points,
  format,
  axisFormat = format,
  color,
}: {
  title: string;
  points: Point[];
  format: (value: number) => string;
  axisFormat?: (value: number) => string;
  color: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const known = points.filter((p): p is { t: number; value: number } => p.value !== null);
  const summary = known.length
    ? `${title}: ${known.length} backups, from ${format(Math.min(...known.map((p) => p.value)))} to ${format(Math.max(...known.map((p) => p.value)))}, latest ${format(known.at(-1)!.value)}.`
    : `${title}: no values to show.`;

  useEffect(() => {
    const el = box.current;
    if (!el || known.length === 0) return;
    const width = () => Math.max(160, Math.floor(el.getBoundingClientRect().width));
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true } },
        series: [{}, { label: title, stroke: color, width: 2, spanGaps: false, points: { show: true, size: 5, fill: color } }],
        axes: [
          { stroke: '#1b1f24', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c4c9cf' } },
          { stroke: '#1b1f24', grid: { stroke: '#e3e6ea' }, ticks: { stroke: '#c4c9cf' }, size: 72, values: (_u, splits) => splits.map((v) => axisFormat(v)) },
        ],
      },
      [points.map((p) => p.t), points.map((p) => p.value)],
      el,
    );
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        if (width() !== plot.width) plot.setSize({ width: width(), height: HEIGHT });
      });
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      plot.destroy();
    };
  }, [points, title, color, axisFormat]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {known.length ? <div class="chart-box" ref={box} role="img" aria-label={summary} /> : <p class="muted">No values to show.</p>}
    </figure>
  );
}
