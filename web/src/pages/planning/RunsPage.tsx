import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable, Field, ProblemView, SubmitButton } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { runBody } from './planning-data';

/** The run form (service level, review period, lead time, history, max rule) and the runs so far. */
export default function RunsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const start = useMutation({
    mutationFn: (fields: Record<string, string>) => unwrap(api.POST('/v1/planning/minmax', { body: runBody(fields) })),
    onSuccess: (run) => {
      void qc.invalidateQueries({ queryKey: ['planning', 'runs'] });
      navigate(`/planning/runs/${run.id}`);
    },
  });
  return (
    <>
      <h1>{t('planning.title')}</h1>
      <p className="lead">{t('planning.intro')}</p>
      <form
        className="planning-form"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate(Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>);
        }}
      >
        <Field
          label={t('planning.service_level')}
          name="service_level"
          defaultValue="95"
          inputMode="decimal"
          error={start.error}
        />
        <Field
          label={t('planning.review_days')}
          name="review_days"
          defaultValue="2"
          inputMode="numeric"
          error={start.error}
        />
        <Field
          label={t('planning.lead_days')}
          name="lead_days"
          defaultValue="1"
          inputMode="numeric"
          error={start.error}
        />
        <Field
          label={t('planning.history_days')}
          name="history_days"
          defaultValue="182"
          inputMode="numeric"
          error={start.error}
        />
        <label className="field">
          <span>{t('planning.max_rule')}</span>
          <select name="max_rule" defaultValue="order_up_to">
            <option value="order_up_to">{t('planning.max_rules.order_up_to')}</option>
            <option value="min_plus_review">{t('planning.max_rules.min_plus_review')}</option>
          </select>
        </label>
        <SubmitButton pending={start.isPending}>{t('planning.start')}</SubmitButton>
      </form>
      <ProblemView error={start.error} shownFields={['service_level', 'review_days', 'lead_days', 'history_days']} />
      <h2>{t('planning.recent')}</h2>
      <CursorTable
        queryKey={['planning', 'runs']}
        fetchPage={(cursor) =>
          unwrap(api.GET('/v1/planning/minmax', { params: { query: { limit: 20, ...(cursor ? { cursor } : {}) } } }))
        }
        rowKey={(r) => r.id}
        columns={[
          {
            key: 'id',
            header: t('planning.run'),
            render: (r) => <Link to={`/planning/runs/${r.id}`}>{fmt.dateTime(r.created_at)}</Link>,
          },
          { key: 'status', header: t('planning.status'), render: (r) => t(`planning.statuses.${r.status}`) },
          {
            key: 'params',
            header: t('planning.params'),
            render: (r) =>
              t('planning.params_text', {
                sl: fmt.percent(r.params.service_level),
                r: r.params.review_days,
                l: r.params.lead_days,
              }),
          },
          {
            key: 'pairs',
            header: t('planning.pairs'),
            numeric: true,
            render: (r) => fmt.number(r.summary?.pairs ?? null),
          },
          {
            key: 'investment',
            header: t('planning.investment'),
            numeric: true,
            render: (r) =>
              r.summary ? fmt.money({ amount: r.summary.investment, currency: r.summary.currency }) : '—',
          },
        ]}
      />
    </>
  );
}
