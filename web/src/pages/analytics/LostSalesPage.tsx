import { lazy, Suspense, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { defaultWindow, heatGrid } from './analytics-data';
import { CsvButton, WindowFields } from './shared';

const HeatChart = lazy(() => import('./AnalyticsCharts').then((m) => ({ default: m.HeatChart })));

/**
 * Lost sales: demand answered out of stock valued at price; what another location had (a sourcing
 * opportunity) vs what none had (a buying problem); a store × size heat map; by channel and product.
 * One API call.
 */
export default function LostSalesPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [win, setWin] = useState(() => defaultWindow(Date.now()));
  const report = useQuery({
    queryKey: ['analytics', 'lost-sales', win],
    queryFn: async () => {
      const r = await unwrap(api.GET('/v1/analytics/lost-sales', { params: { query: win } }));
      if (typeof r === 'string') throw new Error('expected JSON');
      return r;
    },
    retry: false,
  });
  const r = report.data;
  const eur = (amount: number) => fmt.money({ amount, currency: r?.currency ?? 'EUR' });
  const grid = useMemo(() => (r ? heatGrid(r.grid) : null), [r]);
  const aggColumns = <
    T extends { units: number; value: number; sourceable_value: number; unsourceable_value: number },
  >() => [
    { key: 'units', header: t('analytics.units'), numeric: true, render: (x: T) => fmt.number(x.units) },
    { key: 'value', header: t('analytics.lost.value'), numeric: true, render: (x: T) => eur(x.value) },
    { key: 'src', header: t('analytics.lost.sourceable'), numeric: true, render: (x: T) => eur(x.sourceable_value) },
    {
      key: 'buy',
      header: t('analytics.lost.unsourceable'),
      numeric: true,
      render: (x: T) => eur(x.unsourceable_value),
    },
  ];

  return (
    <section>
      <div className="page-head">
        <h1>{t('analytics.lost.title')}</h1>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <WindowFields {...win} onChange={setWin} />
        <CsvButton path="/v1/analytics/lost-sales" query={win} table="lines" label={t('analytics.csv.lines')} />
        <CsvButton path="/v1/analytics/lost-sales" query={win} table="grid" label={t('analytics.csv.grid')} />
      </form>
      <ProblemView error={report.error} shownFields={[]} />
      {report.isPending ? <Spinner /> : null}
      {r && grid ? (
        <>
          <div className="tiles">
            <div className="tile" data-testid="lost-total">
              <span>{t('analytics.lost.total')}</span>
              <strong>{eur(r.value)}</strong>
              <span>{t('analytics.lost.units_n', { n: fmt.number(r.units) })}</span>
            </div>
            <div className="tile" data-testid="lost-sourceable">
              <span>{t('analytics.lost.sourceable')}</span>
              <strong>{eur(r.sourcing_opportunity.value)}</strong>
              <span>{t('analytics.lost.sourceable_hint')}</span>
            </div>
            <div className="tile" data-testid="lost-unsourceable">
              <span>{t('analytics.lost.unsourceable')}</span>
              <strong>{eur(r.buying_problem.value)}</strong>
              <span>{t('analytics.lost.unsourceable_hint')}</span>
            </div>
          </div>
          <h2>{t('analytics.lost.heat_map')}</h2>
          <Suspense fallback={<Spinner />}>
            <HeatChart {...grid} label={t('analytics.lost.heat_map')} money={eur} />
          </Suspense>
          <h2>{t('analytics.lost.by_channel')}</h2>
          <Table
            rows={r.by_channel}
            rowKey={(x) => x.key}
            columns={[
              { key: 'channel', header: t('analytics.channel'), render: (x) => x.key },
              ...aggColumns<(typeof r.by_channel)[number]>(),
            ]}
          />
          <h2>{t('analytics.lost.by_source')}</h2>
          <Table
            rows={r.by_source}
            rowKey={(x) => x.key}
            columns={[
              { key: 'source', header: t('analytics.lost.source'), render: (x) => t(`analytics.sources.${x.key}`) },
              ...aggColumns<(typeof r.by_source)[number]>(),
            ]}
          />
          <h2>{t('analytics.lost.by_store')}</h2>
          <Table
            rows={r.by_store.slice(0, 20)}
            rowKey={(x) => x.key}
            columns={[
              { key: 'store', header: t('analytics.store'), render: (x) => x.name },
              ...aggColumns<(typeof r.by_store)[number]>(),
            ]}
          />
          <h2>{t('analytics.lost.by_product')}</h2>
          <Table
            rows={r.by_product.slice(0, 20)}
            rowKey={(x) => x.key}
            columns={[
              { key: 'product', header: t('analytics.lost.product'), render: (x) => x.name },
              ...aggColumns<(typeof r.by_product)[number]>(),
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
