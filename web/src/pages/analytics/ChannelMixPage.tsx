import { lazy, Suspense, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { defaultWindow, SEGMENTS, stackedShares } from './analytics-data';
import { CsvButton, WindowFields } from './shared';

const SharesChart = lazy(() => import('./AnalyticsCharts').then((m) => ({ default: m.SharesChart })));

type GroupBy = 'month' | 'region' | 'store';

/**
 * Channel mix and customer value: the segments' shares over time (or by region or store), what each
 * segment is worth, visit → order conversion per channel, and the stores' credited sales. One API call.
 */
export default function ChannelMixPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [win, setWin] = useState(() => defaultWindow(Date.now()));
  const [groupBy, setGroupBy] = useState<GroupBy>('month');
  const query = { ...win, group_by: groupBy };
  const report = useQuery({
    queryKey: ['analytics', 'channel-mix', query],
    queryFn: async () => {
      const r = await unwrap(api.GET('/v1/analytics/channel-mix', { params: { query } }));
      if (typeof r === 'string') throw new Error('expected JSON');
      return r;
    },
    retry: false,
  });
  const r = report.data;
  const eur = (amount: number) => fmt.money({ amount, currency: r?.currency ?? 'EUR' });
  const shares = useMemo(() => (r ? stackedShares(r.groups) : null), [r]);
  const series = useMemo(
    () => shares?.series.map((s) => ({ name: t(`analytics.segment.${s.segment}`), data: s.data })) ?? [],
    [shares, t],
  );

  return (
    <section>
      <div className="page-head">
        <h1>{t('analytics.channel_mix.title')}</h1>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <WindowFields {...win} onChange={setWin} />
        <label className="field">
          <span>{t('analytics.channel_mix.group_by')}</span>
          <select name="group_by" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {(['month', 'region', 'store'] as const).map((g) => (
              <option key={g} value={g}>
                {t(`analytics.channel_mix.by_${g}`)}
              </option>
            ))}
          </select>
        </label>
        <CsvButton
          path="/v1/analytics/channel-mix"
          query={query}
          table="segments"
          label={t('analytics.csv.segments')}
        />
        <CsvButton path="/v1/analytics/channel-mix" query={query} table="credits" label={t('analytics.csv.credits')} />
      </form>
      <ProblemView error={report.error} shownFields={[]} />
      {report.isPending ? <Spinner /> : null}
      {r && shares ? (
        <>
          <div className="tiles">
            {SEGMENTS.map((s) => (
              <div className="tile" key={s} data-testid={`share-${s}`}>
                <span>{t(`analytics.segment.${s}`)}</span>
                <strong>{fmt.percent(r.total.segments[s].share)}</strong>
                <span>{t('analytics.channel_mix.customers', { n: fmt.number(r.total.segments[s].customers) })}</span>
              </div>
            ))}
          </div>
          <h2>{t(`analytics.channel_mix.shares_by_${groupBy}`)}</h2>
          <Suspense fallback={<Spinner />}>
            <SharesChart categories={shares.categories} series={series} label={t('analytics.channel_mix.shares')} />
          </Suspense>
          <h2>{t('analytics.channel_mix.value')}</h2>
          <Table
            rows={[...SEGMENTS]}
            rowKey={(s) => s}
            columns={[
              {
                key: 'segment',
                header: t('analytics.channel_mix.segment'),
                render: (s) => t(`analytics.segment.${s}`),
              },
              {
                key: 'spend',
                header: t('analytics.channel_mix.spend'),
                numeric: true,
                render: (s) => eur(r.total.segments[s].spend_per_customer),
              },
              {
                key: 'orders',
                header: t('analytics.channel_mix.orders_per_year'),
                numeric: true,
                render: (s) => fmt.number(Math.round(r.total.segments[s].orders_per_year * 10) / 10),
              },
              {
                key: 'basket',
                header: t('analytics.channel_mix.basket'),
                numeric: true,
                render: (s) => eur(r.total.segments[s].average_basket),
              },
              {
                key: 'returns',
                header: t('analytics.channel_mix.return_rate'),
                numeric: true,
                render: (s) => fmt.percent(r.total.segments[s].return_rate),
              },
              {
                key: 'retention',
                header: t('analytics.channel_mix.retention'),
                numeric: true,
                render: (s) => {
                  const v = r.total.segments[s].retention_12m;
                  return v === null ? '—' : fmt.percent(v);
                },
              },
            ]}
          />
          <h2>{t('analytics.channel_mix.conversion')}</h2>
          <Table
            rows={r.conversion}
            rowKey={(c) => c.channel}
            columns={[
              { key: 'channel', header: t('analytics.channel'), render: (c) => t(`analytics.channels.${c.channel}`) },
              {
                key: 'visits',
                header: t('analytics.channel_mix.visits'),
                numeric: true,
                render: (c) => fmt.number(c.visits),
              },
              { key: 'orders', header: t('analytics.orders'), numeric: true, render: (c) => fmt.number(c.orders) },
              {
                key: 'rate',
                header: t('analytics.channel_mix.rate'),
                numeric: true,
                render: (c) => (c.rate === null ? '—' : fmt.percent(c.rate)),
              },
            ]}
          />
          <h2>{t('analytics.channel_mix.credits')}</h2>
          <p className="hint">{t('analytics.channel_mix.credits_hint')}</p>
          <Table
            rows={[...r.credits].sort((a, b) => b.credited - a.credited)}
            rowKey={(c) => c.store}
            columns={[
              { key: 'store', header: t('analytics.store'), render: (c) => c.name },
              {
                key: 'till',
                header: t('analytics.channel_mix.till_net'),
                numeric: true,
                render: (c) => eur(c.till_sales - c.till_returns),
              },
              {
                key: 'collected',
                header: t('analytics.channel_mix.web_collected'),
                numeric: true,
                render: (c) => eur(c.web_collected - c.web_collected_returns),
              },
              {
                key: 'handled',
                header: t('analytics.channel_mix.web_returns_handled'),
                numeric: true,
                render: (c) => eur(c.web_returns_handled),
              },
              {
                key: 'credited',
                header: t('analytics.channel_mix.credited'),
                numeric: true,
                render: (c) => eur(c.credited),
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
