import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChargeDashboard } from '../../main/core/contract/types';
import { formatBRL } from '../format';
import { messages } from '../messages';

const HEIGHT = 140;

/** "2026-11-25" (a São Paulo day) → the Unix seconds uPlot puts on its x axis (noon UTC: the label never slips a day). */
const xOf = (day: string) => Date.parse(`${day}T12:00:00Z`) / 1000;
const dm = (sec: number) => new Date(sec * 1000).toISOString().slice(5, 10).split('-').reverse().join('/');

/**
 * Bars of the amount received per day (uPlot on a canvas: 7 or 30 points whatever the year of data behind them).
 * The chart is created once and fed new data with `setData`, so a live update never rebuilds it.
 */
export function DashboardChart({ series }: { series: ChargeDashboard['series'] }) {
  const m = messages.charges.dashboard;
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  const latest = useRef(series);
  latest.current = series;
  const data = (): uPlot.AlignedData => [latest.current.map((s) => xOf(s.day)), latest.current.map((s) => s.cents / 100)];

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      cursor: { y: false, points: { show: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        {
          // One tick per day (never half days); with 30 days, a label every few days so they do not overlap.
          splits: (u) => [...(u.data[0] as number[])],
          values: (u, vals) => {
            const every = Math.max(1, Math.ceil(vals.length / Math.max(2, Math.floor(u.width / 70))));
            return vals.map((v, i) => ((vals.length - 1 - i) % every === 0 ? dm(v) : ''));
          },
          stroke: '#5b6472',
          grid: { show: false },
        },
        { values: (_u, vals) => vals.map((v) => formatBRL(v).replace(',00', '')), size: 80, stroke: '#5b6472', grid: { stroke: '#e7eaee' } },
      ],
      series: [
        {},
        {
          label: m.received,
          stroke: '#0b6e4f',
          fill: 'rgba(11, 110, 79, 0.55)',
          paths: uPlot.paths.bars?.({ size: [0.7, 40] }),
          points: { show: false },
          value: (_u, v) => (v === null ? '' : formatBRL(v)),
        },
      ],
    };
    const u = new uPlot(opts, data(), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Created once; data changes go through setData below.
  }, []);

  useEffect(() => {
    plot.current?.setData(data());
  }, [series]);

  return <div className="dash-chart" ref={box} role="img" aria-label={m.chartLabel(series.length)} data-testid="dashboard-chart" />;
}
