/**
 * The analytics pages' echarts, in one lazily loaded chunk: stacked segment shares over time, the
 * contribution by basket band with the break-even threshold marked, the free-shipping what-if curve,
 * and the lost-sales heat map of store × size.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

function useChart(option: echarts.EChartsCoreOption) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // Drawn at once: a screenshot or a glance must see the figures, not an animation.
    chart.setOption({ animation: false, ...option });
    return () => chart.dispose();
  }, [option]);
  return ref;
}

const COLORS = ['#5b8def', '#f0a53a', '#2f9e74'];

export function SharesChart({
  categories,
  series,
  label,
}: {
  categories: string[];
  series: { name: string; data: number[] }[];
  label: string;
}) {
  const ref = useChart({
    color: COLORS,
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v} %` },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: categories.length > 8 ? 35 : 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
    series: series.map((s) => ({ type: 'bar', stack: 'shares', name: s.name, data: s.data })),
  });
  return <div ref={ref} className="chart" data-testid="shares-chart" aria-label={label} />;
}

export function BandChart({
  bands,
  contribution,
  cost,
  paid,
  names,
  breakEvenIndex,
  breakEvenLabel,
  label,
  money,
}: {
  bands: string[];
  contribution: number[];
  cost: number[];
  paid: number[];
  names: { contribution: string; cost: string; paid: string };
  breakEvenIndex: number;
  breakEvenLabel: string;
  label: string;
  money: (minor: number) => string;
}) {
  const ref = useChart({
    color: ['#2f9e74', '#d9534f', '#5b8def'],
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) },
    legend: { top: 0 },
    grid: { left: 80, right: 16, top: 36, bottom: 40 },
    xAxis: { type: 'category', data: bands },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v) } },
    series: [
      {
        type: 'bar',
        name: names.contribution,
        data: contribution,
        // The band holding the break-even threshold, marked where a planner looks for it.
        markLine:
          breakEvenIndex >= 0
            ? {
                symbol: 'none',
                lineStyle: { color: '#111', type: 'dashed', width: 2 },
                label: { formatter: breakEvenLabel, position: 'end' },
                data: [{ xAxis: bands[breakEvenIndex] }],
              }
            : undefined,
      },
      { type: 'bar', name: names.cost, data: cost },
      { type: 'bar', name: names.paid, data: paid },
    ],
  });
  return (
    <div
      ref={ref}
      className="chart"
      data-testid="band-chart"
      data-break-even-band={breakEvenIndex >= 0 ? bands[breakEvenIndex] : ''}
      aria-label={label}
    />
  );
}

export function WhatIfChart({
  thresholds,
  effects,
  breakEven,
  label,
  name,
  money,
}: {
  thresholds: number[];
  effects: number[];
  breakEven: number | null;
  label: string;
  name: string;
  money: (minor: number) => string;
}) {
  const ref = useChart({
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => money(v) },
    grid: { left: 80, right: 24, top: 24, bottom: 40 },
    xAxis: { type: 'category', data: thresholds.map(money) },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v) } },
    series: [
      {
        type: 'line',
        name,
        data: effects,
        showSymbol: false,
        markLine: {
          symbol: 'none',
          lineStyle: { color: '#111', type: 'dashed' },
          data: [
            { yAxis: 0 },
            ...(breakEven !== null ? [{ xAxis: money(breakEven), label: { formatter: money(breakEven) } }] : []),
          ],
        },
      },
    ],
  });
  return <div ref={ref} className="chart" data-testid="whatif-chart" aria-label={label} />;
}

export function HeatChart({
  stores,
  sizes,
  cells,
  max,
  label,
  money,
}: {
  stores: string[];
  sizes: string[];
  cells: [number, number, number][];
  max: number;
  label: string;
  money: (minor: number) => string;
}) {
  const ref = useChart({
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${stores[p.value[1]]} · ${sizes[p.value[0]]}: ${money(p.value[2])}`,
    },
    grid: { left: 200, right: 24, top: 16, bottom: 64 },
    xAxis: { type: 'category', data: sizes, splitArea: { show: true } },
    yAxis: { type: 'category', data: stores, inverse: true, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: Math.max(1, max),
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      showLabel: false,
      inRange: { color: ['#fff4e5', '#f0a53a', '#b3261e'] },
    },
    series: [{ type: 'heatmap', data: cells }],
  });
  const height = Math.max(240, 60 + stores.length * 22);
  return <div ref={ref} className="chart" style={{ height }} data-testid="heat-chart" aria-label={label} />;
}
