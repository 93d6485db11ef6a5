import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { lastLinkMail, type AwaitingLink } from './agent-data';
import { useResendNotification } from './agent-hooks';

/**
 * An order placed by link, waiting for the customer to pay: when the link was mailed (the message
 * log's row, which appears once the outbox has sent it), until when it works, and a resend (the
 * message log's own resend, throttled by the API). Polls the order until it is paid or given up.
 */
export default function LinkAwaiting({ awaiting, customerId }: { awaiting: AwaitingLink; customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const orderId = awaiting.order_id;
  const order = useQuery({
    queryKey: ['agent', 'order', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/{id}', { params: { path: { id: orderId } } })),
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'payment_pending' ? false : 3000),
  });
  const log = useQuery({
    queryKey: ['agent', 'notifications', orderId],
    queryFn: () => unwrap(api.GET('/v1/orders/{id}/notifications', { params: { path: { id: orderId } } })),
    refetchInterval: (q) => (q.state.data && lastLinkMail(q.state.data.items) ? false : 2000),
  });
  const sent = log.data ? lastLinkMail(log.data.items) : null;
  const resend = useResendNotification(orderId);
  const status = order.data?.status ?? 'payment_pending';
  return (
    <section data-testid="order-awaiting-payment" data-status={status}>
      <h1>{t('agent.order.link.title', { id: orderId })}</h1>
      <p data-testid="link-state">
        {status === 'payment_pending'
          ? t('agent.order.link.awaiting')
          : t(`agent.status.${status}`, { defaultValue: status })}
        {' · '}
        {sent ? t('agent.order.link.sent_at', { at: fmt.dateTime(sent.created_at) }) : t('agent.order.link.not_sent')}
        {' · '}
        {t('agent.order.link.expires_at', { at: fmt.dateTime(awaiting.expires_at) })}
      </p>
      {order.data ? <p>{fmt.money(order.data.total)}</p> : null}
      {sent && status === 'payment_pending' ? (
        <button
          type="button"
          data-testid="resend-link"
          disabled={resend.isPending}
          onClick={() => resend.mutate(sent.id)}
        >
          {t('agent.order.link.resend')}
        </button>
      ) : null}
      <ProblemView error={resend.error} />
      <Link to={`/agent/customers/${customerId}`}>{t('agent.order.back')}</Link>
    </section>
  );
}
