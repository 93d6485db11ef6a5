import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { SavingBar } from './planning-data';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * Safety stock per store standing alone and with the stores backing each other up (loaded lazily);
 * a line marks what each needs when only its region's stores back it up (runs that computed it).
 */
export default function SavingChart({ bars }: { bars: SavingBar[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const byRegion = bars.some((b) => b.region_pooled !== null);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: {
        data: [t('planning.alone'), t('planning.pooled'), ...(byRegion ? [t('planning.pooled_region')] : [])],
      },
      grid: { left: 48, right: 16, bottom: 80, top: 32 },
      xAxis: { type: 'category', data: bars.map((b) => b.name), axisLabel: { rotate: 40 } },
      yAxis: { type: 'value', name: t('planning.safety_units') },
      series: [
        { name: t('planning.alone'), type: 'bar', data: bars.map((b) => b.alone), itemStyle: { color: '#9aa7b4' } },
        { name: t('planning.pooled'), type: 'bar', data: bars.map((b) => b.pooled), itemStyle: { color: '#0b5cad' } },
        ...(byRegion
          ? [
              {
                name: t('planning.pooled_region'),
                type: 'line',
                data: bars.map((b) => b.region_pooled),
                itemStyle: { color: '#c2410c' },
                lineStyle: { color: '#c2410c' },
              },
            ]
          : []),
      ],
    });
    return () => chart.dispose();
  }, [bars, t]);
  return (
    <div
      ref={ref}
      className="chart"
      style={{ height: 320 }}
      data-testid="pooling-chart"
      aria-label={t('planning.pooling_title')}
    />
  );
}
