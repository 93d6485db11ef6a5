import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { bandLabel, bandOf, defaultWindow, parseMajor, parsePercent } from './analytics-data';
import { CsvButton, WindowFields } from './shared';

const BandChart = lazy(() => import('./AnalyticsCharts').then((m) => ({ default: m.BandChart })));
const WhatIfChart = lazy(() => import('./AnalyticsCharts').then((m) => ({ default: m.WhatIfChart })));

/**
 * Shipping cost and free shipping: contribution by basket band with the break-even threshold marked,
 * the what-if of a threshold typed in, cost vs paid by method and by zone × band × method. One API call.
 */
export default function ShippingPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [win, setWin] = useState(() => defaultWindow(Date.now()));
  const [inputs, setInputs] = useState({ threshold: '50', gross_margin: '55', reach: '15' });
  const [asked, setAsked] = useState<{ threshold?: number; gross_margin?: number; reach?: number }>({});
  const [inputError, setInputError] = useState<string | null>(null);
  const query = { ...win, ...asked };
  const report = useQuery({
    queryKey: ['analytics', 'shipping', query],
    queryFn: async () => {
      const r = await unwrap(api.GET('/v1/analytics/shipping', { params: { query } }));
      if (typeof r === 'string') throw new Error('expected JSON');
      return r;
    },
    retry: false,
  });
  const r = report.data;
  const eur = (amount: number) => fmt.money({ amount, currency: r?.currency ?? 'EUR' });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const threshold = parseMajor(inputs.threshold);
    const reach = parseMajor(inputs.reach);
    const gm = parsePercent(inputs.gross_margin);
    if (threshold === null || reach === null || gm === null) return setInputError(t('analytics.shipping.bad_input'));
    setInputError(null);
    setAsked({ threshold, reach, gross_margin: gm });
  };
  const bands = r?.by_band.map((b) => b.band) ?? [];
  const breakEven = r?.break_even.threshold ?? null;

  return (
    <section>
      <div className="page-head">
        <h1>{t('analytics.shipping.title')}</h1>
      </div>
      <form className="filters" onSubmit={submit} aria-label={t('analytics.shipping.what_if')}>
        <WindowFields {...win} onChange={setWin} />
        <label className="field">
          <span>{t('analytics.shipping.threshold')}</span>
          <input
            name="threshold"
            inputMode="decimal"
            value={inputs.threshold}
            onChange={(e) => setInputs({ ...inputs, threshold: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('analytics.shipping.gross_margin')}</span>
          <input
            name="gross_margin"
            inputMode="decimal"
            value={inputs.gross_margin}
            onChange={(e) => setInputs({ ...inputs, gross_margin: e.target.value })}
          />
        </label>
        <label className="field">
          <span>{t('analytics.shipping.reach')}</span>
          <input
            name="reach"
            inputMode="decimal"
            value={inputs.reach}
            onChange={(e) => setInputs({ ...inputs, reach: e.target.value })}
          />
        </label>
        <SubmitButton pending={report.isFetching}>{t('analytics.shipping.apply')}</SubmitButton>
        <CsvButton path="/v1/analytics/shipping" query={query} table="bands" label={t('analytics.csv.bands')} />
        <CsvButton path="/v1/analytics/shipping" query={query} table="costs" label={t('analytics.csv.costs')} />
      </form>
      {inputError ? <p className="field-error">{inputError}</p> : null}
      <ProblemView error={report.error} shownFields={[]} />
      {report.isPending ? <Spinner /> : null}
      {r ? (
        <>
          <div className="tiles">
            <div className="tile" data-testid="break-even">
              <span>{t('analytics.shipping.break_even')}</span>
              <strong>{breakEven === null ? t('analytics.shipping.none') : eur(breakEven)}</strong>
              <span>{t('analytics.shipping.at_margin', { pct: fmt.percent(r.gross_margin_bp / 10_000) })}</span>
            </div>
            <div className="tile" data-testid="what-if">
              <span>{t('analytics.shipping.effect_of', { threshold: eur(r.what_if.threshold) })}</span>
              <strong>{eur(r.what_if.effect)}</strong>
              <span>
                {t('analytics.shipping.effect_detail', {
                  free: fmt.number(r.what_if.orders_free),
                  topping: fmt.number(r.what_if.orders_topping_up),
                  lost: eur(r.what_if.shipping_revenue_lost),
                })}
              </span>
            </div>
            <div className="tile">
              <span>{t('analytics.orders')}</span>
              <strong>{fmt.number(r.orders)}</strong>
              {r.orders_without_cost > 0 ? (
                <span>{t('analytics.shipping.without_cost', { n: fmt.number(r.orders_without_cost) })}</span>
              ) : null}
            </div>
          </div>
          <h2>{t('analytics.shipping.by_band')}</h2>
          <Suspense fallback={<Spinner />}>
            <BandChart
              bands={bands.map((b) => bandLabel(b, eur))}
              contribution={r.by_band.map((b) => b.contribution)}
              cost={r.by_band.map((b) => b.cost)}
              paid={r.by_band.map((b) => b.paid)}
              names={{
                contribution: t('analytics.shipping.contribution'),
                cost: t('analytics.shipping.cost'),
                paid: t('analytics.shipping.paid'),
              }}
              breakEvenIndex={bandOf(bands, breakEven)}
              breakEvenLabel={breakEven === null ? '' : `${t('analytics.shipping.break_even')} ${eur(breakEven)}`}
              label={t('analytics.shipping.by_band')}
              money={eur}
            />
          </Suspense>
          <h2>{t('analytics.shipping.curve')}</h2>
          <Suspense fallback={<Spinner />}>
            <WhatIfChart
              thresholds={r.break_even.curve.map((w) => w.threshold)}
              effects={r.break_even.curve.map((w) => w.effect)}
              breakEven={breakEven}
              name={t('analytics.shipping.effect')}
              label={t('analytics.shipping.curve')}
              money={eur}
            />
          </Suspense>
          <h2>{t('analytics.shipping.by_method')}</h2>
          <Table
            rows={r.by_method}
            rowKey={(m) => m.method}
            columns={[
              {
                key: 'method',
                header: t('analytics.shipping.method'),
                render: (m) => t(`analytics.methods.${m.method}`),
              },
              { key: 'orders', header: t('analytics.orders'), numeric: true, render: (m) => fmt.number(m.orders) },
              {
                key: 'paid',
                header: t('analytics.shipping.avg_paid'),
                numeric: true,
                render: (m) => eur(m.average_paid),
              },
              {
                key: 'cost',
                header: t('analytics.shipping.avg_cost'),
                numeric: true,
                render: (m) => eur(m.average_cost),
              },
              {
                key: 'margin',
                header: t('analytics.shipping.margin_per_order'),
                numeric: true,
                render: (m) => eur(m.average_paid - m.average_cost),
              },
            ]}
          />
          <h2>{t('analytics.shipping.bands_table')}</h2>
          <Table
            rows={r.by_band}
            rowKey={(b) => b.band}
            columns={[
              { key: 'band', header: t('analytics.shipping.band'), render: (b) => bandLabel(b.band, eur) },
              { key: 'orders', header: t('analytics.orders'), numeric: true, render: (b) => fmt.number(b.orders) },
              {
                key: 'gm',
                header: t('analytics.shipping.gross_margin_amount'),
                numeric: true,
                render: (b) => eur(b.gross_margin),
              },
              { key: 'paid', header: t('analytics.shipping.paid'), numeric: true, render: (b) => eur(b.paid) },
              { key: 'cost', header: t('analytics.shipping.cost'), numeric: true, render: (b) => eur(b.cost) },
              {
                key: 'contribution',
                header: t('analytics.shipping.contribution'),
                numeric: true,
                render: (b) => eur(b.contribution),
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
