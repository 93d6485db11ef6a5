import { lazy, Suspense } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { buildGrid, savingBars } from './planning-data';
import { useLocationNames } from './usePlanning';

const SavingChart = lazy(() => import('./SavingChart'));

/** One run: the chain's figures, the pooling saving per store (chart), the min/max grid, CSV, apply. */
export default function RunPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const names = useLocationNames();
  const run = useQuery({
    queryKey: ['planning', 'run', id],
    queryFn: () => unwrap(api.GET('/v1/planning/minmax/{run_id}', { params: { path: { run_id: id } } })),
    // A background run: ask again until it is done.
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 2000 : false),
  });
  const done = run.data?.status === 'done';
  // An expired run keeps its figures; its grid and proposals are gone (OMNIA_PLANNING_KEEP_RUNS).
  const expired = Boolean(run.data?.expired_at);
  const results = useQuery({
    queryKey: ['planning', 'results', id],
    enabled: done && !expired,
    queryFn: () =>
      unwrap(
        api.GET('/v1/planning/minmax/{run_id}/results', { params: { path: { run_id: id }, query: { limit: 500 } } }),
      ),
  });
  const apply = useMutation({
    mutationFn: () => unwrap(api.POST('/v1/planning/minmax/{run_id}/apply', { params: { path: { run_id: id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['planning', 'run', id] }),
  });
  const csv = useMutation({
    mutationFn: async () => {
      const { data, response } = await api.GET('/v1/planning/minmax/{run_id}/results', {
        params: { path: { run_id: id }, query: { format: 'csv' } },
        parseAs: 'blob',
      });
      if (!response.ok || !data) throw new Error(String(response.status));
      const a = document.createElement('a');
      a.href = URL.createObjectURL(data as Blob);
      a.download = `minmax-${id}.csv`;
      a.click();
      URL.revokeObjectURL(a.href);
    },
  });
  if (run.isPending || names.isPending) return <Spinner />;
  if (run.isError) return <ProblemView error={run.error} />;
  const r = run.data;
  const nameMap = names.data ?? new Map<string, string>();
  if (!done || !r.summary)
    return (
      <>
        <h1>{t('planning.run_title')}</h1>
        <p data-status={r.status}>
          {t(`planning.statuses.${r.status}`)} —{' '}
          {t('planning.progress', { done: fmt.number(r.progress.done), total: fmt.number(r.progress.total) })}
        </p>
        {r.error ? <p className="error">{r.error}</p> : null}
      </>
    );
  const s = r.summary;
  const money = (amount: number) => fmt.money({ amount, currency: s.currency });
  // The route answers CSV too: the JSON page is the object form.
  const page = typeof results.data === 'object' ? results.data : undefined;
  const grid = buildGrid(page?.items ?? [], nameMap);
  return (
    <>
      <h1>{t('planning.run_title')}</h1>
      <p className="lead">
        {t('planning.params_text', {
          sl: fmt.percent(r.params.service_level),
          r: r.params.review_days,
          l: r.params.lead_days,
        })}{' '}
        · {t(`planning.max_rules.${r.params.max_rule}`)}
      </p>
      <dl className="kpis" data-testid="planning-kpis">
        <div>
          <dt>{t('planning.pairs')}</dt>
          <dd>{fmt.number(s.pairs)}</dd>
        </div>
        <div>
          <dt>{t('planning.investment')}</dt>
          <dd>{money(s.investment)}</dd>
        </div>
        <div>
          <dt>{t('planning.pooling_saving')}</dt>
          <dd>
            {money(s.safety_saving_value)} ({t('planning.ratio', { ratio: s.pooling_ratio.toFixed(2) })})
          </dd>
        </div>
        {s.regions ? (
          <div data-testid="planning-region-saving">
            <dt>{t('planning.pooling_saving_region')}</dt>
            <dd>
              {money(s.regions.reduce((a, g) => a + g.safety_saving_value, 0))} (
              {t('planning.ratio', {
                ratio: (
                  s.safety_alone /
                  Math.max(
                    1e-9,
                    s.regions.reduce((a, g) => a + g.safety_pooled, 0),
                  )
                ).toFixed(2),
              })}
              )
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t('planning.proposals')}</dt>
          <dd>
            <Link to={`/planning/proposals?run=${r.id}`}>
              {fmt.number(s.proposals.replenishment + s.proposals.rebalancing)}
            </Link>
          </dd>
        </div>
      </dl>
      {s.simulation ? (
        <table className="simulation" data-testid="planning-simulation">
          <caption>{t('planning.simulation', { skus: s.simulation.skus, days: s.simulation.days })}</caption>
          <thead>
            <tr>
              <th />
              <th className="num">{t('planning.service')}</th>
              <th className="num">{t('planning.fill_rate')}</th>
              <th className="num">{t('planning.units')}</th>
              <th className="num">{t('planning.value')}</th>
            </tr>
          </thead>
          <tbody>
            {(['alone', 'pooled'] as const).map((k) => (
              <tr key={k}>
                <th>{t(`planning.${k}`)}</th>
                <td className="num">{fmt.percent(s.simulation![k].cycle_service_level)}</td>
                <td className="num">{fmt.percent(s.simulation![k].fill_rate)}</td>
                <td className="num">{fmt.number(Math.round(s.simulation![k].average_units))}</td>
                <td className="num">{money(s.simulation![k].average_value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <h2>{t('planning.pooling_title')}</h2>
      <Suspense fallback={<Spinner />}>
        <SavingChart bars={savingBars(r.stores, nameMap)} />
      </Suspense>
      <h2>{t('planning.grid_title')}</h2>
      {r.expired_at ? (
        <p data-testid="planning-expired">{t('planning.expired', { at: fmt.dateTime(r.expired_at) })}</p>
      ) : (
        <>
          <div className="actions">
            <button type="button" onClick={() => csv.mutate()} disabled={csv.isPending}>
              {t('planning.csv')}
            </button>
            <button type="button" onClick={() => apply.mutate()} disabled={apply.isPending || r.applied_at !== null}>
              {r.applied_at ? t('planning.applied', { at: fmt.dateTime(r.applied_at) }) : t('planning.apply')}
            </button>
          </div>
          <ProblemView error={apply.error} />
          {apply.data ? (
            <p data-testid="planning-applied">{t('planning.applied_count', { n: apply.data.applied })}</p>
          ) : null}
          {results.isPending ? (
            <Spinner />
          ) : (
            <div className="table-wrap">
              <table className="minmax-grid" data-testid="minmax-grid">
                <thead>
                  <tr>
                    <th>{t('planning.sku')}</th>
                    <th>{t('planning.size')}</th>
                    {grid.stores.map((st) => (
                      <th key={st.id} className="num">
                        {st.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {grid.rows.map((row) => (
                    <tr key={row.sku}>
                      <td>{row.sku}</td>
                      <td>{row.size ?? '—'}</td>
                      {grid.stores.map((st) => {
                        const c = row.cells[st.id];
                        return (
                          <td
                            key={st.id}
                            className="num"
                            title={c?.censored ? t('planning.censored', { n: c.censored }) : undefined}
                          >
                            {c ? `${c.min} / ${c.max}` : '—'}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th colSpan={2}>{t('planning.investment')}</th>
                    {grid.stores.map((st) => (
                      <td key={st.id} className="num">
                        {money(grid.investment[st.id] ?? 0)}
                      </td>
                    ))}
                  </tr>
                </tfoot>
              </table>
              {page?.next_cursor ? <p className="hint">{t('planning.more_in_csv')}</p> : null}
            </div>
          )}
        </>
      )}
    </>
  );
}
