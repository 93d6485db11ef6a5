import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** Every message sent (or skipped, and why) to the person, across their merged profiles. */
export default function MessagesPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const q = useQuery({
    queryKey: ['agent', 'messages', customerId],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/messages', { params: { path: { id: customerId } } })),
  });
  return (
    <div data-testid="messages">
      <h2>{t('agent.messages.title')}</h2>
      {q.isPending ? <Spinner /> : null}
      <ProblemView error={q.error} />
      {q.data ? (
        <Table
          rows={q.data.items}
          rowKey={(n) => n.id}
          columns={[
            { key: 'at', header: t('agent.c360.when'), render: (n) => fmt.dateTime(n.created_at) },
            { key: 'subject', header: t('agent.messages.subject'), render: (n) => n.subject ?? n.template },
            { key: 'to', header: t('agent.orders.recipient'), render: (n) => n.recipient ?? '—' },
            {
              key: 'order',
              header: t('agent.orders.order'),
              render: (n) => (n.order_id ? <code>{n.order_id}</code> : '—'),
            },
            {
              key: 'status',
              header: t('agent.orders.status'),
              render: (n) =>
                `${t(`agent.messages.status.${n.status}`, { defaultValue: n.status })}${n.reason ? ` (${n.reason})` : ''}`,
            },
          ]}
        />
      ) : null}
    </div>
  );
}
