import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { useTodaysTasks } from './NetworkPage';

/** One location: hours, capabilities, capacity and today's fulfillment load. */
export default function LocationPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const loc = useQuery({
    queryKey: ['location', id],
    queryFn: () => unwrap(api.GET('/v1/locations/{id}', { params: { path: { id } } })),
  });
  const tasks = useTodaysTasks(id);
  if (loc.isPending) return <Spinner />;
  if (loc.isError) return <ProblemView error={loc.error} />;
  const l = loc.data;
  // Tasks this location picks and packs (its queue also lists tasks arriving to it for collection).
  const todays = (tasks.data?.items ?? []).filter((f) => f.location_id === id);
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
      <Table
        rows={openingHours(l.opening_hours)}
        rowKey={(h) => h.day}
        columns={[
          { key: 'd', header: t('network.day'), render: (h) => t(`network.days.${h.day}`, { defaultValue: h.day }) },
          { key: 'h', header: t('network.hours'), render: (h) => h.hours || t('network.closed') },
        ]}
      />
      <h2>{t('network.todays_load')}</h2>
      <ProblemView error={tasks.error} />
      {tasks.isPending ? <Spinner /> : null}
      <Table
        rows={byStatus}
        rowKey={(r) => r.status}
        columns={[
          { key: 's', header: t('orders.status'), render: (r) => t(`orders.tasks.statuses.${r.status}`) },
          { key: 'n', header: t('network.tasks'), render: (r) => fmt.number(r.n), numeric: true },
        ]}
      />
    </section>
  );
}

/** Opening hours as rows, Monday first, whatever shape the location stores ("09:00-21:00", ["09:00","21:00"], [{open,close}]). */
function openingHours(h: Record<string, unknown>): { day: string; hours: string }[] {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const show = (v: unknown): string => {
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(show).join(v.every((x) => typeof x === 'string') ? '–' : ', ');
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('open' in o || 'close' in o) return `${String(o.open ?? '')}–${String(o.close ?? '')}`;
    }
    return '';
  };
  return Object.keys(h)
    .sort((a, b) => ((order.indexOf(a) + 8) % 8) - ((order.indexOf(b) + 8) % 8) || a.localeCompare(b))
    .map((day) => ({ day, hours: show(h[day]) }));
}
