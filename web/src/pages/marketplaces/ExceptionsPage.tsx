import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { CursorTable, Field, ProblemView, SubmitButton } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { linesSummary, type MarketplaceOrder } from './marketplaces-data';
import { useChannels } from './useMarketplaces';

type Status = NonNullable<NonNullable<paths['/v1/marketplaces/orders']['get']['parameters']['query']>['status']>;
const STATUSES: Status[] = ['exception', 'resolved', 'cancelled', 'imported', 'received'];

/**
 * The exceptions queue: marketplace orders that could not become Omnia orders (the stock was gone, an
 * unknown SKU). Each shows what the marketplace order wanted and why it failed, with the API's actions:
 * retry (stock arrived), cancel at the marketplace (with a reason), resolve by hand (with a note).
 */
export default function ExceptionsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const channels = useChannels();
  const [status, setStatus] = useState<Status>('exception');
  const [open, setOpen] = useState<{ id: string; kind: 'cancel' | 'resolve' } | null>(null);
  const [text, setText] = useState('');
  // The answer of the latest action (retry or cancel/resolve), whichever came last.
  const [last, setLast] = useState<MarketplaceOrder | null>(null);
  const done = async (o: MarketplaceOrder) => {
    setLast(o);
    setOpen(null);
    setText('');
    await qc.invalidateQueries({ queryKey: ['marketplaces'] });
  };
  const headers = () => ({ 'idempotency-key': crypto.randomUUID() });
  const retry = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/v1/marketplaces/orders/{id}/retry', { params: { path: { id } }, headers: headers() })),
    onSuccess: done,
  });
  const act = useMutation({
    mutationFn: ({ id, kind, value }: { id: string; kind: 'cancel' | 'resolve'; value: string }) =>
      kind === 'cancel'
        ? unwrap(
            api.POST('/v1/marketplaces/orders/{id}/cancel', {
              params: { path: { id } },
              body: { reason: value },
              headers: headers(),
            }),
          )
        : unwrap(
            api.POST('/v1/marketplaces/orders/{id}/resolve', {
              params: { path: { id } },
              body: { note: value },
              headers: headers(),
            }),
          ),
    onSuccess: done,
  });
  const names = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    retry.reset(); // only the latest action's problem is shown
    if (open) act.mutate({ ...open, value: text.trim() });
  };
  const actions = (o: MarketplaceOrder) => {
    if (o.status !== 'exception')
      return o.resolution ?? (o.order_id ? <Link to={`/orders/${o.order_id}`}>{o.order_id}</Link> : '—');
    if (open?.id === o.id)
      return (
        <form className="inline-form" onSubmit={submit} data-action-form={open.kind}>
          <Field
            label={open.kind === 'cancel' ? t('marketplaces.queue.reason') : t('marketplaces.queue.note')}
            name={open.kind === 'cancel' ? 'reason' : 'note'}
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={act.error}
            autoFocus
          />
          <SubmitButton pending={act.isPending}>
            {open.kind === 'cancel' ? t('marketplaces.queue.cancel') : t('marketplaces.queue.resolve')}
          </SubmitButton>
          <button type="button" onClick={() => setOpen(null)}>
            {t('marketplaces.queue.back')}
          </button>
        </form>
      );
    return (
      <span className="actions">
        <button
          type="button"
          data-retry={o.id}
          disabled={retry.isPending}
          onClick={() => {
            act.reset();
            retry.mutate(o.id);
          }}
        >
          {t('marketplaces.queue.retry')}
        </button>{' '}
        <button
          type="button"
          className="danger"
          data-cancel={o.id}
          onClick={() => setOpen({ id: o.id, kind: 'cancel' })}
        >
          {t('marketplaces.queue.cancel')}
        </button>{' '}
        <button type="button" data-resolve={o.id} onClick={() => setOpen({ id: o.id, kind: 'resolve' })}>
          {t('marketplaces.queue.resolve')}
        </button>
      </span>
    );
  };
  return (
    <div data-testid="marketplace-exceptions">
      <label className="field">
        <span>{t('marketplaces.queue.status')}</span>
        <select name="status" value={status} onChange={(e) => setStatus(e.target.value as Status)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`marketplaces.statuses.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <ProblemView error={retry.error ?? act.error} shownFields={['reason', 'note']} />
      {last ? (
        <p role="status" data-testid="queue-result" data-status={last.status}>
          {t('marketplaces.queue.now', { id: last.external_id, status: t(`marketplaces.statuses.${last.status}`) })}
        </p>
      ) : null}
      <CursorTable
        key={status}
        queryKey={['marketplaces', 'orders', status]}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/marketplaces/orders', {
              params: { query: { status, limit: 25, ...(cursor ? { cursor } : {}) } },
            }),
          )
        }
        rowKey={(o) => o.id}
        columns={[
          {
            key: 'order',
            header: t('marketplaces.queue.order'),
            render: (o) => (
              <span data-external={o.external_id}>
                <strong>{o.external_id}</strong>
                <br />
                <small>
                  {names.get(o.channel_id) ?? o.channel_id} · {o.marketplace_status}
                </small>
              </span>
            ),
          },
          { key: 'placed', header: t('marketplaces.queue.placed'), render: (o) => fmt.dateTime(o.placed_at) },
          {
            key: 'wanted',
            header: t('marketplaces.queue.wanted'),
            render: (o) => (
              <span>
                {linesSummary(o.lines)}
                <br />
                <small>{[o.buyer_name, o.ship_to?.city, o.ship_to?.country].filter(Boolean).join(' · ') || '—'}</small>
              </span>
            ),
          },
          {
            key: 'why',
            header: t('marketplaces.queue.why'),
            render: (o) =>
              o.problem ? (
                <span data-problem-type={o.problem.type}>
                  <strong>{t(`marketplaces.problems.${o.problem.type}`, { defaultValue: o.problem.type })}</strong>
                  <br />
                  <small>{o.problem.detail}</small>
                </span>
              ) : (
                '—'
              ),
          },
          {
            key: 'attempts',
            header: t('marketplaces.queue.attempts'),
            render: (o) => fmt.number(o.attempts),
            numeric: true,
          },
          { key: 'actions', header: '', render: actions },
        ]}
      />
    </div>
  );
}
