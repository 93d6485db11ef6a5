import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProblemView, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { namesOf, use360, useChannels, useLocationsById } from '../agent-hooks';
import OrdersPanel from '../OrdersPanel';
import type { Conversation } from '../../shop/live';
import { LinkPerson } from './ChatPage';

/**
 * The person's 360 beside the chat, from the same call and panels as the customer page: who she is,
 * her rhythm and spend, her orders of every channel (cancel, start a return, open one). A person
 * matched only by the e-mail the shopper typed is shown as unverified until the agent confirms.
 */
export default function CustomerSide({ conversation }: { conversation: Conversation }) {
  const { t } = useTranslation();
  if (!conversation.customer_id)
    return (
      <aside data-testid="chat-360">
        <h2>{t('webchat.person.unknown')}</h2>
        <p className="muted">{conversation.shopper_email ?? t('webchat.anonymous')}</p>
        <LinkPerson conversationId={conversation.id} />
      </aside>
    );
  return <Known conversation={conversation} customerId={conversation.customer_id} />;
}

function Known({ conversation, customerId }: { conversation: Conversation; customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const view = use360(customerId);
  const channels = useChannels();
  const locations = useLocationsById();
  if (view.isPending) return <Spinner />;
  if (view.isError) return <ProblemView error={view.error} />;
  const { profile } = view.data;
  const m = profile.metrics;
  const name = [profile.first_name, profile.last_name].filter(Boolean).join(' ') || t('agent.search.no_name');
  return (
    <aside data-testid="chat-360">
      <h2>
        <Link to={`/agent/customers/${profile.id}`}>{name}</Link>{' '}
        <small data-verified={conversation.customer_verified}>
          {conversation.customer_verified ? t('webchat.verified') : t('webchat.unverified')}
        </small>
      </h2>
      {conversation.customer_verified ? null : <LinkPerson conversationId={conversation.id} suggested={profile.id} />}
      <dl className="facts" data-testid="facts">
        <dt>{t('agent.c360.identifiers')}</dt>
        <dd>
          {profile.identifiers
            .filter((i) => i.kind === 'email' || i.kind === 'phone')
            .map((i) => i.value)
            .join(', ') || '—'}
        </dd>
        <dt>{t('agent.c360.sizes')}</dt>
        <dd>{profile.traits.preferred_sizes.join(', ') || '—'}</dd>
        <dt>{t('agent.c360.churn')}</dt>
        <dd data-churn={m.churn_risk.level}>{t(`agent.churn.${m.churn_risk.level}`)}</dd>
        <dt>{t('agent.c360.spent')}</dt>
        <dd>
          {t('agent.c360.spent_value', {
            orders: m.orders_count,
            total: fmt.money(m.total_spent),
            basket: fmt.money(m.average_basket),
          })}
        </dd>
      </dl>
      <p>
        <Link className="button" to={`/agent/customers/${profile.id}/order`}>
          {t('agent.c360.place_order')}
        </Link>
      </p>
      {view.data.orders.length ? (
        <p className="chat-orders">
          {t('webchat.person.open_order')}:{' '}
          {view.data.orders.slice(0, 5).map((o) => (
            <Link key={o.id} to={`/orders/${o.id}`} data-order={o.id}>
              {o.id}
            </Link>
          ))}
        </p>
      ) : null}
      <OrdersPanel
        view={view.data}
        channelNames={namesOf(channels.data?.items)}
        locationNames={namesOf(locations.data?.items)}
        assistedChannelId={channels.data?.items.find((c) => c.type === 'contact_center')?.id}
      />
    </aside>
  );
}
