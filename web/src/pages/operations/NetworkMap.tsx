import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import iberia from './iberia.geo.json';
import type { MapPoint } from './network-data';

// Shipped geodata (Natural Earth via world-atlas, scripts/extract-iberia.mjs): no tiles, works offline.
echarts.use([ScatterChart, GeoComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);
echarts.registerMap('iberia', iberia as never);

/** Locations on a map of Spain and Portugal, coloured by the chosen figure; a click opens the location. */
export default function NetworkMap({
  points,
  legend,
  measure,
}: {
  points: MapPoint[];
  legend: string;
  measure: string;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    // Capacity use is a share: the scale runs to 100 % at least, so a quiet day looks quiet.
    const max = Math.max(measure === 'capacity_use' ? 1 : 1, ...points.map((p) => p.value));
    chart.setOption({
      // Drawn at once: the points must be there for a screenshot or a glance, not fade in.
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; label: string } }) => `${p.data.name}: ${p.data.label}`,
      },
      // Mainland Iberia and the Balearics; the islands in the Atlantic would shrink it to a stamp.
      geo: {
        map: 'iberia',
        roam: true,
        boundingCoords: [
          [-10, 44],
          [4.6, 35.8],
        ],
        itemStyle: { areaColor: '#e8ecf1', borderColor: '#8a96a3' },
      },
      visualMap: {
        min: 0,
        max,
        dimension: 2,
        calculable: true,
        text: [legend, ''],
        // The scale's own numbers are raw (minor units, shares): the legend names the figure, the tooltip formats it.
        showLabel: false,
        inRange: { color: ['#9ec5fe', '#0b5cad'] },
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbolSize: (v: number[]) => 8 + Math.sqrt(Math.max(0, v[2]!) / max) * 14,
          data: points.map((p) => ({ name: p.name, id: p.id, label: p.label, value: [p.lng, p.lat, p.value] })),
        },
      ],
    });
    chart.on('click', (e) => {
      const id = (e.data as { id?: string } | undefined)?.id;
      if (id) navigate(`/network/locations/${id}`);
    });
    return () => chart.dispose();
  }, [points, legend, measure, navigate]);
  return (
    <div ref={ref} className="map" data-testid="network-map" data-measure={measure} aria-label={t('network.map')} />
  );
}
