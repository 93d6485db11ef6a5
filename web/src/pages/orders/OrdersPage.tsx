import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { dayRange } from './order-filters';

export const ORDER_STATUSES = [
  'placed',
  'confirmed',
  'partially_fulfilled',
  'fulfilled',
  'completed',
  'cancelled',
] as const;
type Status = (typeof ORDER_STATUSES)[number];

export default function OrdersPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [channel, setChannel] = useState('');
  const [status, setStatus] = useState<Status | ''>('');
  const [location, setLocation] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const locations = useQuery({
    queryKey: ['locations', 'all'],
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: 200 } } })),
    staleTime: 300_000,
  });
  const filters = {
    ...(channel ? { channel } : {}),
    ...(status ? { status } : {}),
    ...(location ? { location_id: location } : {}),
    ...dayRange(from, to),
  };
  return (
    <section>
      <h1>{t('orders.title')}</h1>
      <div className="filters">
        <label className="field inline">
          <span>{t('orders.channel')}</span>
          <input name="channel" value={channel} onChange={(e) => setChannel(e.target.value.trim())} />
        </label>
        <label className="field inline">
          <span>{t('orders.status')}</span>
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value as Status | '')}>
            <option value="">{t('common.all')}</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`orders.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('orders.location')}</span>
          <select name="location" value={location} onChange={(e) => setLocation(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {(locations.data?.items ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field inline">
          <span>{t('orders.placed_from')}</span>
          <input type="date" name="placed_from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field inline">
          <span>{t('orders.placed_to')}</span>
          <input type="date" name="placed_to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <CursorTable
        key={JSON.stringify(filters)}
        queryKey={['orders', filters]}
        fetchPage={(cursor) =>
          unwrap(api.GET('/v1/orders', { params: { query: { limit: 25, ...filters, ...(cursor ? { cursor } : {}) } } }))
        }
        rowKey={(o) => o.id}
        columns={[
          { key: 'id', header: t('orders.order'), render: (o) => <Link to={`/orders/${o.id}`}>{o.id}</Link> },
          { key: 'placed', header: t('orders.placed_at'), render: (o) => fmt.dateTime(o.placed_at) },
          { key: 'channel', header: t('orders.channel'), render: (o) => o.channel_type },
          { key: 'status', header: t('orders.status'), render: (o) => t(`orders.statuses.${o.status}`) },
          { key: 'lines', header: t('orders.lines'), render: (o) => fmt.number(o.lines.length), numeric: true },
          {
            key: 'locations',
            header: t('orders.locations'),
            render: (o) => fmt.number(new Set(o.lines.map((l) => l.location_id).filter(Boolean)).size),
            numeric: true,
          },
          { key: 'total', header: t('orders.total'), render: (o) => fmt.money(o.total), numeric: true },
        ]}
      />
    </section>
  );
}
