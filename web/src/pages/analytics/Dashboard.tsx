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
import { dayFigures, lastDays, lostHotspots, shipFromStoreShare } from './dashboard-data';
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

/**
 * Management's day at a glance: today's orders, revenue and units by channel, click & collect and
 * ship-from-store shares, store queues past their SLA, and the week's lost-sales hotspots. Three API
 * calls: the day's operations figures (aggregated by the API, nothing capped), locations, lost sales.
 */
export default function Dashboard() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [from, to] = startOfToday();
  const ops = useQuery({
    queryKey: ['analytics', 'operations', from],
    queryFn: () => unwrap(api.GET('/v1/analytics/operations', { params: { query: { from, to } } })),
  });
  const week = lastDays(7);
  const lost = useQuery({
    queryKey: ['analytics', 'lost-sales', week.from, week.to],
    queryFn: async () => {
      const r = await unwrap(api.GET('/v1/analytics/lost-sales', { params: { query: week } }));
      // The route answers CSV only when asked (format=csv); JSON is what comes here.
      if (typeof r === 'string') throw new Error('expected JSON');
      return r;
    },
    retry: false,
  });
  const locations = useLocations();
  const chart = useRef<HTMLDivElement>(null);
  const figures = useMemo(() => (ops.data ? dayFigures(ops.data.by_channel) : undefined), [ops.data]);
  useEffect(() => {
    if (!chart.current || !figures) return;
    const c = echarts.init(chart.current, undefined, { renderer: 'svg' });
    c.setOption({
      animation: false,
      tooltip: {},
      grid: { left: 60, right: 20, top: 20, bottom: 30 },
      xAxis: {
        type: 'category',
        data: figures.byChannel.map((x) => t(`dashboard.channels.${x.channel}`, { defaultValue: x.channel })),
      },
      yAxis: { type: 'value' },
      series: [{ type: 'bar', name: t('dashboard.units'), data: figures.byChannel.map((x) => x.units) }],
    });
    return () => c.dispose();
  }, [figures, t]);
  if (ops.isPending) return <Spinner />;
  if (ops.isError) return <ProblemView error={ops.error} />;
  const f = figures!;
  const money = (amount: number) => (f.currency ? fmt.money({ amount, currency: f.currency }) : fmt.number(0));
  const locName = (id: string) => locations.data?.items.find((l) => l.id === id)?.name ?? id;
  const sfs = shipFromStoreShare(ops.data.home_tasks, ops.data.ship_from_store_tasks);
  const lostMoney = (amount: number) => fmt.money({ amount, currency: lost.data?.currency ?? 'EUR' });
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
        <div className="tile" data-testid="ship-from-store">
          <span>{t('dashboard.ship_from_store_share')}</span>
          <strong>{fmt.percent(sfs.share)}</strong>
          <small>{t('dashboard.of_home', { n: fmt.number(sfs.fromStore), total: fmt.number(sfs.home) })}</small>
        </div>
      </div>
      <h2>{t('dashboard.by_channel')}</h2>
      <Table
        rows={f.byChannel}
        rowKey={(c) => c.channel}
        columns={[
          {
            key: 'ch',
            header: t('dashboard.channel'),
            render: (c) => t(`dashboard.channels.${c.channel}`, { defaultValue: c.channel }),
          },
          { key: 'o', header: t('dashboard.orders'), render: (c) => fmt.number(c.orders), numeric: true },
          { key: 'r', header: t('dashboard.revenue'), render: (c) => money(c.revenue), numeric: true },
          { key: 'u', header: t('dashboard.units'), render: (c) => fmt.number(c.units), numeric: true },
        ]}
      />
      <h2>{t('dashboard.units_by_channel')}</h2>
      <div ref={chart} className="chart" aria-label={t('dashboard.units_by_channel')} />
      <h2>{t('dashboard.past_sla')}</h2>
      <Table
        rows={ops.data.late}
        rowKey={(r) => r.location_id}
        columns={[
          {
            key: 'loc',
            header: t('catalog.location'),
            render: (r) => locName(r.location_id),
          },
          { key: 'late', header: t('dashboard.late_tasks'), render: (r) => fmt.number(r.late), numeric: true },
        ]}
      />
      <h2>{t('dashboard.lost_sales')}</h2>
      <div data-testid="lost-sales">
        {lost.isPending ? <Spinner /> : null}
        {lost.isError ? <ProblemView error={lost.error} /> : null}
        {lost.data ? (
          <>
            <p>
              {t('dashboard.lost_summary', {
                value: lostMoney(lost.data.value),
                units: fmt.number(lost.data.units),
                sourceable: lostMoney(lost.data.sourcing_opportunity.value),
                unsourceable: lostMoney(lost.data.buying_problem.value),
              })}
            </p>
            <Table
              rows={lostHotspots(lost.data.grid)}
              rowKey={(c) => `${c.location_id}|${c.size}`}
              columns={[
                { key: 'loc', header: t('catalog.location'), render: (c) => c.name || locName(c.location_id) },
                { key: 'size', header: t('catalog.size'), render: (c) => c.size },
                { key: 'u', header: t('dashboard.units'), render: (c) => fmt.number(c.units), numeric: true },
                { key: 'v', header: t('dashboard.lost_value'), render: (c) => lostMoney(c.value), numeric: true },
              ]}
            />
          </>
        ) : null}
      </div>
      <p className="hint">{t('dashboard.more_later')}</p>
    </section>
  );
}
