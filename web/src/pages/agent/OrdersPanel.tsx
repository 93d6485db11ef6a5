import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { cancellableLines, orderRows } from './agent-data';
import { idempotency, useResendNotification, type Desk360 } from './agent-hooks';
import StartReturn from './StartReturn';

/**
 * Orders and returns from every channel with their state; cancel an order or units of one line
 * (the lines come with the 360: no extra call); its notification log on demand.
 */
export default function OrdersPanel({
  view,
  channelNames,
  locationNames,
  assistedChannelId,
}: {
  view: Desk360;
  /** The contact-center channel: where a return started on the phone happens. */
  assistedChannelId: string | undefined;
  channelNames: Map<string, string>;
  locationNames: Map<string, string>;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const [log, setLog] = useState<string | null>(null);
  const [returning, setReturning] = useState<string | null>(null);
  const [linesOf, setLinesOf] = useState<string | null>(null);
  const returningOrder = view.orders.find((o) => o.id === returning);
  const cancel = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST('/v1/orders/{id}/cancel', {
          params: { path: { id } },
          headers: idempotency(),
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agent', '360'] }),
  });
  const rows = orderRows(view.orders, channelNames, locationNames);
  return (
    <div data-testid="orders">
      <h2>{t('agent.orders.title')}</h2>
      <label className="field">
        <span>{t('agent.orders.cancel_reason')}</span>
        <input name="cancel_reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      <Table
        rows={rows}
        rowKey={(o) => o.id}
        columns={[
          { key: 'id', header: t('agent.orders.order'), render: (o) => <code>{o.id}</code> },
          { key: 'at', header: t('agent.orders.placed'), render: (o) => fmt.dateTime(o.placed_at) },
          {
            key: 'channel',
            header: t('agent.orders.channel'),
            render: (o) => (
              <span data-order-kind={o.kind}>
                {t(`agent.kind.${o.kind}`)} · {o.channel}
              </span>
            ),
          },
          { key: 'where', header: t('agent.orders.where'), render: (o) => o.where ?? '—' },
          {
            key: 'status',
            header: t('agent.orders.status'),
            render: (o) => (
              <span data-status={o.status}>{t(`agent.status.${o.status}`, { defaultValue: o.status })}</span>
            ),
          },
          { key: 'units', header: t('agent.orders.units'), render: (o) => fmt.number(o.units), numeric: true },
          { key: 'total', header: t('agent.orders.total'), render: (o) => fmt.money(o.total), numeric: true },
          {
            key: 'act',
            header: '',
            render: (o) => (
              <span className="row-actions">
                <button type="button" onClick={() => setLog(log === o.id ? null : o.id)}>
                  {t('agent.orders.messages')}
                </button>
                {o.returnable && assistedChannelId ? (
                  <button
                    type="button"
                    data-return={o.id}
                    onClick={() => setReturning(returning === o.id ? null : o.id)}
                  >
                    {t('agent.returns.start')}
                  </button>
                ) : null}
                {cancellableLines(view.orders.find((x) => x.id === o.id)!).length > 0 ? (
                  <button type="button" data-lines={o.id} onClick={() => setLinesOf(linesOf === o.id ? null : o.id)}>
                    {t('agent.lines.open')}
                  </button>
                ) : null}
                {o.cancellable ? (
                  <button
                    type="button"
                    disabled={cancel.isPending}
                    onClick={() => {
                      if (window.confirm(t('agent.orders.confirm_cancel', { id: o.id }))) cancel.mutate(o.id);
                    }}
                  >
                    {t('agent.orders.cancel')}
                  </button>
                ) : null}
              </span>
            ),
          },
        ]}
      />
      <ProblemView error={cancel.error} />
      {linesOf ? (
        <LineCancel
          key={linesOf}
          orderId={linesOf}
          order={view.orders.find((o) => o.id === linesOf)!}
          reason={reason}
        />
      ) : null}
      {log ? <NotificationLog orderId={log} /> : null}
      {returningOrder && assistedChannelId ? (
        <StartReturn
          key={returningOrder.id}
          order={returningOrder}
          channelId={assistedChannelId}
          customerId={view.profile.id}
        />
      ) : null}
      <h2>{t('agent.returns.title')}</h2>
      <Table
        rows={view.returns}
        rowKey={(r) => r.id}
        columns={[
          { key: 'id', header: t('agent.returns.return'), render: (r) => <code>{r.id}</code> },
          { key: 'order', header: t('agent.orders.order'), render: (r) => <code>{r.order_id}</code> },
          { key: 'at', header: t('agent.c360.when'), render: (r) => fmt.dateTime(r.created_at) },
          {
            key: 'where',
            header: t('agent.orders.where'),
            render: (r) => locationNames.get(r.location_id) ?? r.location_id,
          },
          {
            key: 'status',
            header: t('agent.orders.status'),
            render: (r) => t(`agent.status.${r.status}`, { defaultValue: r.status }),
          },
          {
            key: 'units',
            header: t('agent.orders.units'),
            render: (r) => fmt.number(r.lines.reduce((n, l) => n + l.quantity, 0)),
            numeric: true,
          },
          { key: 'refund', header: t('agent.returns.refund'), render: (r) => fmt.money(r.refund), numeric: true },
        ]}
      />
    </div>
  );
}

/** What was sent (or skipped, and why) for one order: fetched when the agent asks, not to render the page. */
function NotificationLog({ orderId }: { orderId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const resend = useResendNotification(orderId);
  const q = useQuery({
    queryKey: ['agent', 'notifications', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/{id}/notifications', { params: { path: { id: orderId } } })),
  });
  if (q.isPending) return <Spinner />;
  if (q.isError) return <ProblemView error={q.error} />;
  return (
    <div data-testid="notification-log">
      <h3>{t('agent.orders.messages_of', { id: orderId })}</h3>
      <Table
        rows={q.data.items}
        rowKey={(n) => n.id}
        columns={[
          { key: 'at', header: t('agent.c360.when'), render: (n) => fmt.dateTime(n.created_at) },
          { key: 'tpl', header: t('agent.orders.template'), render: (n) => n.template },
          { key: 'to', header: t('agent.orders.recipient'), render: (n) => n.recipient ?? '—' },
          {
            key: 'status',
            header: t('agent.orders.status'),
            render: (n) =>
              `${n.status}${n.reason ? ` (${n.reason})` : ''}${n.event_id.startsWith('resend:') ? ` · ${t('agent.lines.resent')}` : ''}`,
          },
          {
            key: 'act',
            header: '',
            render: (n) =>
              n.channel === 'email' && n.recipient ? (
                <button
                  type="button"
                  data-resend={n.id}
                  disabled={resend.isPending}
                  onClick={() => resend.mutate(n.id)}
                >
                  {t('agent.lines.resend')}
                </button>
              ) : null,
          },
        ]}
      />
      <ProblemView error={resend.error} />
    </div>
  );
}

/** Cancels units of one line (with the reason typed above): only units no store has picked; the API says 409 otherwise. */
function LineCancel({ orderId, order, reason }: { orderId: string; order: Desk360['orders'][number]; reason: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [qty, setQty] = useState<Record<string, number>>({});
  const lines = cancellableLines(order);
  const cancel = useMutation({
    mutationFn: (l: { line_id: string; quantity: number }) =>
      unwrap(
        api.POST('/v1/orders/{id}/lines/{line_id}/cancel', {
          params: { path: { id: orderId, line_id: l.line_id } },
          headers: idempotency(),
          body: { quantity: l.quantity, reason: reason.trim() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agent', '360'] }),
  });
  return (
    <div data-testid="line-cancel">
      <h3>{t('agent.lines.title', { id: orderId })}</h3>
      {reason.trim() ? null : <p className="muted">{t('agent.lines.need_reason')}</p>}
      <Table
        rows={lines}
        rowKey={(l) => l.line_id}
        columns={[
          { key: 'sku', header: t('agent.lines.sku'), render: (l) => <code>{l.sku}</code> },
          { key: 'open', header: t('agent.lines.open_units'), render: (l) => fmt.number(l.open), numeric: true },
          {
            key: 'total',
            header: t('agent.orders.total'),
            render: (l) => fmt.money({ amount: l.total, currency: order.total.currency }),
            numeric: true,
          },
          {
            key: 'qty',
            header: t('agent.lines.quantity'),
            render: (l) => (
              <input
                type="number"
                name={`cancel_qty_${l.line_id}`}
                min={1}
                max={l.open}
                value={qty[l.line_id] ?? 1}
                onChange={(e) => setQty({ ...qty, [l.line_id]: Number(e.target.value) })}
              />
            ),
          },
          {
            key: 'act',
            header: '',
            render: (l) => (
              <button
                type="button"
                data-cancel-line={l.line_id}
                disabled={cancel.isPending || !reason.trim()}
                onClick={() => cancel.mutate({ line_id: l.line_id, quantity: qty[l.line_id] ?? 1 })}
              >
                {t('agent.lines.cancel')}
              </button>
            ),
          },
        ]}
      />
      <ProblemView error={cancel.error} />
    </div>
  );
}
