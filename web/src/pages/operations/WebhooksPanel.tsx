import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable, ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** Webhooks, and for the one opened its delivery log (newest first, paged) with a retry per delivery. */
export function WebhooksPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: () => unwrap(api.GET('/v1/webhooks')) });
  const [open, setOpen] = useState<string | null>(null);
  const retry = useMutation({
    mutationFn: ({ hook, delivery }: { hook: string; delivery: string }) =>
      unwrap(
        api.POST('/v1/webhooks/{id}/deliveries/{delivery_id}/retry', {
          params: { path: { id: hook, delivery_id: delivery } },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['webhooks', open, 'deliveries'] }),
  });
  if (hooks.isPending) return <Spinner />;
  if (hooks.isError) return <ProblemView error={hooks.error} />;
  const items = hooks.data.items as { id: string; url: string; event_types: string[]; active?: boolean }[];
  return (
    <div data-testid="webhooks">
      <Table
        rows={items}
        rowKey={(h) => h.id}
        columns={[
          { key: 'url', header: t('operations.webhooks.url'), render: (h) => h.url },
          { key: 'events', header: t('operations.webhooks.events'), render: (h) => h.event_types.join(', ') },
          {
            key: 'active',
            header: t('operations.webhooks.state'),
            render: (h) => (h.active === false ? t('operations.webhooks.paused') : t('operations.webhooks.active')),
          },
          {
            key: 'log',
            header: '',
            render: (h) => (
              <button type="button" data-deliveries={h.id} onClick={() => setOpen(open === h.id ? null : h.id)}>
                {t('operations.webhooks.deliveries')}
              </button>
            ),
          },
        ]}
      />
      {open ? (
        <div data-testid="deliveries">
          <h3>{t('operations.webhooks.log', { url: items.find((h) => h.id === open)?.url ?? open })}</h3>
          <ProblemView error={retry.error} />
          {retry.isSuccess ? <p role="status">{t('operations.webhooks.retried')}</p> : null}
          <CursorTable
            key={open}
            queryKey={['webhooks', open, 'deliveries']}
            fetchPage={(cursor) =>
              unwrap(
                api.GET('/v1/webhooks/{id}/deliveries', {
                  params: { path: { id: open }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
                }),
              )
            }
            rowKey={(d) => d.id}
            columns={[
              { key: 'at', header: t('operations.webhooks.created'), render: (d) => fmt.dateTime(d.created_at) },
              { key: 'type', header: t('operations.webhooks.event'), render: (d) => d.event_type },
              {
                key: 'status',
                header: t('operations.webhooks.status'),
                render: (d) => (
                  <span data-status={d.status}>
                    {t(`operations.webhooks.statuses.${d.status}`, { defaultValue: d.status })}
                  </span>
                ),
              },
              {
                key: 'attempts',
                header: t('operations.webhooks.attempts'),
                render: (d) => fmt.number(d.attempts),
                numeric: true,
              },
              { key: 'code', header: t('operations.webhooks.http'), render: (d) => d.last_status_code ?? '—' },
              { key: 'error', header: t('operations.webhooks.error'), render: (d) => d.last_error ?? '—' },
              {
                key: 'retry',
                header: '',
                render: (d) =>
                  d.status === 'delivered' ? null : (
                    <button
                      type="button"
                      data-retry={d.id}
                      disabled={retry.isPending}
                      onClick={() => retry.mutate({ hook: open, delivery: d.id })}
                    >
                      {t('operations.webhooks.retry')}
                    </button>
                  ),
              },
            ]}
          />
        </div>
      ) : null}
    </div>
  );
}
