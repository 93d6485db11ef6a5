import { useMutation } from '@tanstack/react-query';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';

/** Operations: the doctor's invariant checks on demand, and the webhooks with their state. */
export default function OperationsPage() {
  const { t } = useTranslation();
  const doctor = useMutation({ mutationFn: () => unwrap(api.GET('/v1/doctor')) });
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => unwrap(api.GET('/v1/webhooks')) });
  return (
    <section>
      <h1>{t('operations.title')}</h1>
      <h2>{t('operations.doctor.title')}</h2>
      <p className="hint">{t('operations.doctor.hint')}</p>
      <button type="button" disabled={doctor.isPending} aria-busy={doctor.isPending} onClick={() => doctor.mutate()}>
        {doctor.isPending ? <Spinner /> : t('operations.doctor.run')}
      </button>
      <ProblemView error={doctor.error} />
      {doctor.data ? (
        <div data-testid="doctor">
          <p className={doctor.data.ok ? 'ok' : 'problem'}>
            {doctor.data.ok ? t('operations.doctor.ok') : t('operations.doctor.failed')}
          </p>
          <Table
            rows={doctor.data.checks}
            rowKey={(c) => c.name}
            columns={[
              {
                key: 'status',
                header: t('operations.doctor.status'),
                render: (c) => t(`operations.doctor.statuses.${c.status}`),
              },
              { key: 'name', header: t('operations.doctor.check'), render: (c) => c.name },
              { key: 'summary', header: t('operations.doctor.summary'), render: (c) => c.summary },
            ]}
          />
        </div>
      ) : null}
      <h2>{t('operations.webhooks.title')}</h2>
      {hooks.isPending ? <Spinner /> : null}
      <ProblemView error={hooks.error} />
      {hooks.data ? (
        <Table
          rows={hooks.data.items as { id: string; url: string; event_types: string[]; active?: boolean }[]}
          rowKey={(h) => h.id}
          columns={[
            { key: 'url', header: t('operations.webhooks.url'), render: (h) => h.url },
            { key: 'events', header: t('operations.webhooks.events'), render: (h) => h.event_types.join(', ') },
          ]}
        />
      ) : null}
    </section>
  );
}
