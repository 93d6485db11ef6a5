import { useEffect, useMemo, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { pastSla, todayFigures, type OrderLite } from './dashboard-data';
import { useLocations } from '../catalog/ProductPage';

// Only what the charts use: echarts/core keeps this lazy chunk small and out of the first load.
echarts.use([BarChart, GridComponent, TooltipComponent, SVGRenderer]);

function startOfToday(): [string, string] {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  const e = new Date(d);
  e.setDate(e.getDate() + 1);
  return [d.toISOString(), e.toISOString()];
}

/** Management's day at a glance; the full analytics pages plug in here with the decisions issue. */
export default function Dashboard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const orders = useQuery({
    queryKey: ['orders', 'dashboard'],
    queryFn: () => unwrap(api.GET('/v1/orders', { params: { query: { limit: 500 } } })),
  });
  const tasks = useQuery({
    queryKey: ['fulfillments', 'open'],
    queryFn: () => unwrap(api.GET('/v1/fulfillments', { params: { query: { limit: 500 } } })),
  });
  const locations = useLocations();
  const chart = useRef<HTMLDivElement>(null);
  const [from, to] = startOfToday();
  const figures = useMemo(
    () => (orders.data ? todayFigures(orders.data.items as OrderLite[], from, to) : undefined),
    [orders.data, from, to],
  );
  useEffect(() => {
    if (!chart.current || !figures) return;
    const c = echarts.init(chart.current, undefined, { renderer: 'svg' });
    c.setOption({
      animation: false,
      tooltip: {},
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: figures.byChannel.map((x) => x.channel) },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: t('dashboard.units'), data: figures.byChannel.map((x) => x.units) }],
    });
    return () => c.dispose();
  }, [figures, t]);
  if (orders.isPending) return <Spinner />;
  if (orders.isError) return <ProblemView error={orders.error} />;
  const f = figures!;
  const money = (amount: number) => (f.currency ? fmt.money({ amount, currency: f.currency }) : fmt.number(0));
  return (
    <section>
      <h1>{t('dashboard.title')}</h1>
      <div className="tiles">
        <div className="tile">
          <span>{t('dashboard.orders_today')}</span>
          <strong>{fmt.number(f.orders)}</strong>
        </div>
        <div className="tile">
          <span>{t('dashboard.revenue_today')}</span>
          <strong>{money(f.revenue)}</strong>
        </div>
        <div className="tile">
          <span>{t('dashboard.click_collect_share')}</span>
          <strong>{fmt.percent(f.clickCollectShare)}</strong>
        </div>
      </div>
      <h2>{t('dashboard.units_by_channel')}</h2>
      <div ref={chart} className="chart" aria-label={t('dashboard.units_by_channel')} />
      <h2>{t('dashboard.past_sla')}</h2>
      <ProblemView error={tasks.error} />
      <Table
        rows={tasks.data ? pastSla(tasks.data.items, new Date().toISOString()) : []}
        rowKey={(r) => r.location_id}
        columns={[
          {
            key: 'loc',
            header: t('catalog.location'),
            render: (r) => locations.data?.items.find((l) => l.id === r.location_id)?.name ?? r.location_id,
          },
          { key: 'late', header: t('dashboard.late_tasks'), render: (r) => fmt.number(r.late), numeric: true },
        ]}
      />
      <p className="hint">{t('dashboard.more_later')}</p>
    </section>
  );
}
