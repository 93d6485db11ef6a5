import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** One location: hours, capabilities, capacity and today's fulfillment load. */
export default function LocationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const loc = useQuery({
    queryKey: ['location', id],
    queryFn: () => unwrap(api.GET('/v1/locations/{id}', { params: { path: { id } } })),
  });
  const tasks = useQuery({
    queryKey: ['fulfillments', id],
    queryFn: () => unwrap(api.GET('/v1/fulfillments', { params: { query: { location_id: id, limit: 500 } } })),
  });
  if (loc.isPending) return <Spinner />;
  if (loc.isError) return <ProblemView error={loc.error} />;
  const l = loc.data;
  const today = new Date().toISOString().slice(0, 10);
  const todays = (tasks.data?.items ?? []).filter((f) => f.created_at.slice(0, 10) === today);
  const byStatus = Object.entries(
    todays.reduce<Record<string, number>>((acc, f) => ((acc[f.status] = (acc[f.status] ?? 0) + 1), acc), {}),
  ).map(([status, n]) => ({ status, n }));
  return (
    <section>
      <h1>
        {l.name} <small>{l.code}</small>
      </h1>
      <p>
        {t(`network.location_types.${l.type}`)} · {l.capabilities.map((c) => t(`network.caps.${c}`)).join(', ')} ·{' '}
        {t('network.capacity_use', { used: fmt.number(todays.length), capacity: fmt.number(l.daily_capacity) })}
      </p>
      <h2>{t('network.hours')}</h2>
      <pre className="json">{JSON.stringify(l.opening_hours, null, 2)}</pre>
      <h2>{t('network.todays_load')}</h2>
      <ProblemView error={tasks.error} />
      {tasks.isPending ? <Spinner /> : null}
      <Table
        rows={byStatus}
        rowKey={(r) => r.status}
        columns={[
          { key: 's', header: t('orders.status'), render: (r) => r.status },
          { key: 'n', header: t('network.tasks'), render: (r) => fmt.number(r.n), numeric: true },
        ]}
      />
    </section>
  );
}
