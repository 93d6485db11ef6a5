import { useState } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { useLocations } from '../catalog/ProductPage';
import { explainDecision } from './sourcing';

interface Payment {
  id?: string;
  provider?: string;
  status?: string;
  amount?: { amount: number; currency: string };
  captured_amount?: number;
  refunded_amount?: number;
  decline_reason?: string | null;
}

export default function OrderPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const order = useQuery({
    queryKey: ['order', id],
    queryFn: () => unwrap(api.GET('/v1/orders/{id}', { params: { path: { id } } })),
  });
  const sourcing = useQuery({
    queryKey: ['order', id, 'sourcing'],
    queryFn: () => unwrap(api.GET('/v1/orders/{id}/sourcing', { params: { path: { id } } })),
  });
  const returns = useQuery({
    queryKey: ['order', id, 'returns'],
    queryFn: () => unwrap(api.GET('/v1/returns', { params: { query: { order_id: id } } })),
  });
  const tasks = useQuery({
    queryKey: ['order', id, 'fulfillments'],
    queryFn: () => unwrap(api.GET('/v1/fulfillments', { params: { query: { order_id: id, limit: 100 } } })),
  });
  const locations = useLocations();
  const [reason, setReason] = useState('');
  const act = useMutation({
    mutationFn: (action: 'cancel' | 'hold' | 'release') => {
      const opts = { params: { path: { id } }, headers: { 'idempotency-key': crypto.randomUUID() } };
      if (action === 'hold') return unwrap(api.POST('/v1/orders/{id}/hold', { ...opts, body: { reason } }));
      if (action === 'release') return unwrap(api.POST('/v1/orders/{id}/release', opts));
      return unwrap(api.POST('/v1/orders/{id}/cancel', { ...opts, body: reason ? { reason } : {} }));
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: ['order', id] }),
  });
  if (order.isPending) return <Spinner />;
  if (order.isError) return <ProblemView error={order.error} />;
  const o = order.data;
  const names = new Map((locations.data?.items ?? []).map((l) => [l.id, l.name]));
  const loc = (lid: string | null) => (lid ? (names.get(lid) ?? lid) : '—');
  const money = (amount: number) => fmt.money({ amount, currency: o.currency });
  return (
    <section>
      <h1>
        {t('orders.order')} <small>{o.id}</small>
      </h1>
      <p>
        {t(`orders.statuses.${o.status}`)} · {o.channel_type} · {fmt.dateTime(o.placed_at)} · {fmt.money(o.total)}
        {o.hold_reason ? ` · ${t('orders.on_hold', { reason: o.hold_reason })}` : ''}
      </p>
      <div className="inline-form">
        <label className="field">
          <span>{t('orders.reason')}</span>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        {(['hold', 'release', 'cancel'] as const).map((a) => (
          <button
            key={a}
            type="button"
            disabled={act.isPending}
            aria-busy={act.isPending}
            onClick={() => act.mutate(a)}
          >
            {t(`orders.actions.${a}`)}
          </button>
        ))}
      </div>
      <ProblemView error={act.error} />
      <h2>{t('orders.lines')}</h2>
      <Table
        rows={o.lines}
        rowKey={(l) => l.line_id}
        columns={[
          { key: 'sku', header: t('catalog.sku'), render: (l) => l.sku },
          { key: 'qty', header: t('orders.quantity'), render: (l) => fmt.number(l.quantity), numeric: true },
          {
            key: 'done',
            header: t('orders.fulfilled'),
            render: (l) => fmt.number(l.fulfilled_quantity),
            numeric: true,
          },
          { key: 'unit', header: t('orders.unit_price'), render: (l) => money(l.unit_price), numeric: true },
          { key: 'disc', header: t('orders.discount'), render: (l) => money(l.discount), numeric: true },
          { key: 'total', header: t('orders.total'), render: (l) => money(l.total), numeric: true },
          { key: 'loc', header: t('orders.ships_from'), render: (l) => loc(l.location_id) },
        ]}
      />
      <h2>{t('orders.payment')}</h2>
      <Table
        rows={o.payment ? [o.payment as Payment] : []}
        rowKey={(p) => p.id ?? 'payment'}
        columns={[
          { key: 'provider', header: t('orders.provider'), render: (p) => p.provider ?? '—' },
          {
            key: 'status',
            header: t('orders.status'),
            render: (p) => (p.status ? t(`orders.payment_statuses.${p.status}`, { defaultValue: p.status }) : '—'),
          },
          { key: 'amount', header: t('orders.total'), render: (p) => fmt.money(p.amount), numeric: true },
          {
            key: 'captured',
            header: t('orders.captured'),
            render: (p) => money(p.captured_amount ?? 0),
            numeric: true,
          },
          {
            key: 'refunded',
            header: t('orders.refunded'),
            render: (p) => money(p.refunded_amount ?? 0),
            numeric: true,
          },
          { key: 'decline', header: t('orders.decline_reason'), render: (p) => p.decline_reason ?? '—' },
        ]}
      />
      <h2>{t('orders.tasks.title')}</h2>
      <ProblemView error={tasks.error} />
      {tasks.isPending ? <Spinner /> : null}
      <div data-testid="order-tasks">
        <Table
          rows={tasks.data?.items ?? []}
          rowKey={(f) => f.id}
          columns={[
            { key: 'loc', header: t('orders.tasks.location'), render: (f) => loc(f.location_id) },
            { key: 'method', header: t('orders.tasks.method'), render: (f) => t(`orders.tasks.methods.${f.method}`) },
            {
              key: 'status',
              header: t('orders.status'),
              render: (f) => <span data-status={f.status}>{t(`orders.tasks.statuses.${f.status}`)}</span>,
            },
            {
              key: 'units',
              header: t('orders.quantity'),
              render: (f) => fmt.number(f.lines.reduce((n, l) => n + l.quantity, 0)),
              numeric: true,
            },
            { key: 'sla', header: t('orders.tasks.sla'), render: (f) => fmt.dateTime(f.sla_deadline) },
            { key: 'to', header: t('orders.tasks.destination'), render: (f) => loc(f.destination_location_id) },
            { key: 'tracking', header: t('orders.tasks.tracking'), render: (f) => f.tracking ?? '—' },
          ]}
        />
      </div>
      <h2>{t('orders.sourcing.title')}</h2>
      {sourcing.isPending ? <Spinner /> : null}
      <ProblemView error={sourcing.error} />
      {(sourcing.data?.items ?? []).map((d) => {
        const x = explainDecision(d as never);
        return (
          <div key={d.id} className="decision" data-testid="sourcing-decision">
            <p>{t('orders.sourcing.attempt', { n: d.attempt, trigger: d.trigger, cost: money(d.cost) })}</p>
            <p className="why">
              <strong>{t('orders.sourcing.why')}</strong>{' '}
              {x.why
                ? t(`orders.sourcing.reasons.${x.why.code}`, {
                    locations: x.why.locations.map(loc).join(', '),
                    cost: x.why.cost === null ? '—' : money(x.why.cost),
                    rival: x.why.rival ? loc(x.why.rival) : '—',
                    rival_cost: x.why.rival_cost === null ? '—' : money(x.why.rival_cost),
                  }) + (x.why.unsourced ? ` ${t('orders.sourcing.unsourced', { count: x.why.unsourced })}` : '')
                : x.reason}
            </p>
            <Table
              rows={x.candidates}
              rowKey={(c) => c.location_id}
              columns={[
                { key: 'loc', header: t('orders.sourcing.location'), render: (c) => loc(c.location_id) },
                {
                  key: 'chosen',
                  header: t('orders.sourcing.chosen'),
                  render: (c) => (c.chosen ? t('common.yes') : ''),
                },
                {
                  key: 'km',
                  header: t('orders.sourcing.distance'),
                  render: (c) => fmt.number(c.distance_km),
                  numeric: true,
                },
                { key: 'days', header: t('orders.sourcing.days'), render: (c) => fmt.number(c.days), numeric: true },
                {
                  key: 'pkg',
                  header: t('orders.sourcing.package_cost'),
                  render: (c) => (c.package_cost === null ? '—' : money(c.package_cost)),
                  numeric: true,
                },
                {
                  key: 'covers',
                  header: t('orders.sourcing.covers'),
                  render: (c) => fmt.number(c.covers),
                  numeric: true,
                },
                {
                  key: 'whole',
                  header: t('orders.sourcing.whole_order_cost'),
                  render: (c) =>
                    c.whole_order_cost === null ? t('orders.sourcing.cannot_alone') : money(c.whole_order_cost),
                  numeric: true,
                },
              ]}
            />
            {x.excluded.length ? (
              <p>
                {t('orders.sourcing.excluded')}{' '}
                {x.excluded
                  .map((e) => `${t(`orders.sourcing.exclusions.${e.reason}`)}: ${fmt.number(e.count)}`)
                  .join(' · ')}
              </p>
            ) : null}
          </div>
        );
      })}
      <h2>{t('orders.returns')}</h2>
      <ProblemView error={returns.error} />
      <Table
        rows={(returns.data?.items ?? []) as { id: string; status?: string; created_at?: string }[]}
        rowKey={(r) => r.id}
        columns={[
          { key: 'id', header: t('orders.return'), render: (r) => r.id },
          {
            key: 'status',
            header: t('orders.status'),
            render: (r) => (r.status ? t(`orders.return_statuses.${r.status}`, { defaultValue: r.status }) : '—'),
          },
          { key: 'at', header: t('orders.placed_at'), render: (r) => fmt.dateTime(r.created_at) },
        ]}
      />
    </section>
  );
}
