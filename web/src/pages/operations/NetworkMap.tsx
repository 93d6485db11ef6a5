import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { ScatterChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import iberia from './iberia.geo.json';

// Shipped geodata (Natural Earth via world-atlas, scripts/extract-iberia.mjs): no tiles, works offline.
echarts.use([ScatterChart, GeoComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);
echarts.registerMap('iberia', iberia as never);

export interface MapLocation {
  id: string;
  name: string;
  type: string;
  lat: number;
  lng: number;
  daily_capacity: number;
}

/** Locations on a map of Spain and Portugal, coloured by daily capacity; a click opens the location. */
export default function NetworkMap({ locations }: { locations: MapLocation[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, undefined, { renderer: 'svg' });
    const max = Math.max(1, ...locations.map((l) => l.daily_capacity));
    chart.setOption({
      // Drawn at once: the points must be there for a screenshot or a glance, not fade in.
      animation: false,
      tooltip: {
        trigger: 'item',
        formatter: (p: { data: { name: string; value: number[] } }) => `${p.data.name}: ${p.data.value[2]}`,
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
        text: [t('network.daily_capacity'), ''],
        inRange: { color: ['#9ec5fe', '#0b5cad'] },
      },
      series: [
        {
          type: 'scatter',
          coordinateSystem: 'geo',
          symbolSize: (v: number[]) => 8 + Math.sqrt(v[2]! / max) * 14,
          data: locations.map((l) => ({ name: l.name, id: l.id, value: [l.lng, l.lat, l.daily_capacity] })),
        },
      ],
    });
    chart.on('click', (e) => {
      const id = (e.data as { id?: string } | undefined)?.id;
      if (id) navigate(`/network/locations/${id}`);
    });
    return () => chart.dispose();
  }, [locations, navigate, t]);
  return <div ref={ref} className="map" data-testid="network-map" aria-label={t('network.map')} />;
}
