import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { useLocationNames } from './usePlanning';

/** Proposals to review: accepting one dispatches its transfer; rejecting only records the decision. */
export default function ProposalsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [params] = useSearchParams();
  const runParam = params.get('run');
  const [status, setStatus] = useState<'proposed' | 'accepted' | 'rejected'>('proposed');
  const names = useLocationNames();
  // Without ?run=, the latest run's proposals.
  const latest = useQuery({
    queryKey: ['planning', 'runs', 'latest'],
    enabled: !runParam,
    queryFn: () => unwrap(api.GET('/v1/planning/minmax', { params: { query: { limit: 1 } } })),
  });
  const runId = runParam ?? latest.data?.items[0]?.id;
  const list = useQuery({
    queryKey: ['planning', 'proposals', runId, status],
    enabled: runId !== undefined,
    queryFn: () =>
      unwrap(api.GET('/v1/planning/proposals', { params: { query: { run_id: runId!, status, limit: 200 } } })),
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'accept' | 'reject' }) =>
      decision === 'accept'
        ? unwrap(api.POST('/v1/planning/proposals/{id}/accept', { params: { path: { id } } }))
        : unwrap(api.POST('/v1/planning/proposals/{id}/reject', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['planning', 'proposals'] }),
  });
  const name = (id: string) => names.data?.get(id) ?? id;
  if (names.isPending || (!runParam && latest.isPending)) return <Spinner />;
  return (
    <>
      <h1>{t('planning.proposals_title')}</h1>
      {runId ? (
        <p className="lead">
          <Link to={`/planning/runs/${runId}`}>{t('planning.of_run')}</Link>
        </p>
      ) : (
        <p className="empty">{t('planning.no_runs')}</p>
      )}
      <label className="field">
        <span>{t('planning.status')}</span>
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          {(['proposed', 'accepted', 'rejected'] as const).map((s) => (
            <option key={s} value={s}>
              {t(`planning.proposal_statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <ProblemView error={decide.error} />
      {list.isError ? <ProblemView error={list.error} /> : null}
      {list.isPending && runId ? (
        <Spinner />
      ) : (
        <Table
          rows={list.data?.items ?? []}
          rowKey={(p) => p.id}
          columns={[
            { key: 'kind', header: t('planning.kind'), render: (p) => t(`planning.kinds.${p.kind}`) },
            { key: 'sku', header: t('planning.sku'), render: (p) => p.sku },
            { key: 'from', header: t('planning.from'), render: (p) => name(p.from_location_id) },
            { key: 'to', header: t('planning.to'), render: (p) => name(p.to_location_id) },
            { key: 'units', header: t('planning.units'), numeric: true, render: (p) => fmt.number(p.units) },
            { key: 'needed', header: t('planning.needed'), numeric: true, render: (p) => fmt.number(p.needed) },
            {
              key: 'act',
              header: '',
              render: (p) =>
                p.status === 'proposed' ? (
                  <span className="row-actions">
                    <button
                      type="button"
                      data-accept={p.id}
                      disabled={decide.isPending}
                      onClick={() => decide.mutate({ id: p.id, decision: 'accept' })}
                    >
                      {t('planning.accept')}
                    </button>
                    <button
                      type="button"
                      data-reject={p.id}
                      disabled={decide.isPending}
                      onClick={() => decide.mutate({ id: p.id, decision: 'reject' })}
                    >
                      {t('planning.reject')}
                    </button>
                  </span>
                ) : p.transfer_id ? (
                  t('planning.transfer', { id: p.transfer_id })
                ) : (
                  t(`planning.proposal_statuses.${p.status}`)
                ),
            },
          ]}
        />
      )}
    </>
  );
}
