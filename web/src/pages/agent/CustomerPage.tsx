import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { mixShares } from './agent-data';
import { namesOf, use360, useChannels, useLocationsById } from './agent-hooks';
import ConsentsPanel from './ConsentsPanel';
import OrdersPanel from './OrdersPanel';
import MergesPanel from './MergesPanel';
import NotesPanel from './NotesPanel';
import MessagesPanel from './MessagesPanel';
import ReferralsPanel from './referrals/ReferralsPanel';
import TranscriptsPanel from './chat/TranscriptsPanel';

/**
 * The customer 360 on one page, in four API calls: the aggregate (profile, orders and returns of
 * every channel, merges, notes, recommendations), the person's message log, channel and location names.
 */
export default function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const view = use360(id);
  const channels = useChannels();
  const locations = useLocationsById();
  if (view.isPending) return <Spinner />;
  if (view.isError) return <ProblemView error={view.error} />;
  const { profile } = view.data;
  const m = profile.metrics;
  const locationNames = namesOf(locations.data?.items);
  const channelNames = namesOf(channels.data?.items);
  const name = [profile.first_name, profile.last_name].filter(Boolean).join(' ') || t('agent.search.no_name');
  return (
    <section className="agent-360" data-testid="customer-360">
      <header className="agent-360-head">
        <h1>
          {name} <small>{profile.id}</small>
        </h1>
        <p>
          {profile.has_account ? t('agent.c360.has_account') : t('agent.c360.no_account')}
          {profile.merged_ids.length ? ` · ${t('agent.c360.merged_rows', { count: profile.merged_ids.length })}` : ''}
        </p>
        <Link className="button" to={`/agent/customers/${profile.id}/order`}>
          {t('agent.c360.place_order')}
        </Link>
      </header>

      <div className="agent-grid">
        <div>
          <h2>{t('agent.c360.identifiers')}</h2>
          <Table
            rows={profile.identifiers.filter((i) => i.kind !== 'anonymous_id')}
            rowKey={(i) => `${i.kind}:${i.value}`}
            columns={[
              {
                key: 'kind',
                header: t('agent.c360.kind'),
                render: (i) => t(`agent.match.${i.kind}`, { defaultValue: i.kind }),
              },
              { key: 'value', header: t('agent.c360.value'), render: (i) => i.value },
              { key: 'verified', header: t('agent.c360.verified'), render: (i) => (i.verified ? '✓' : '—') },
              { key: 'source', header: t('agent.c360.source'), render: (i) => sourceLabel(i.source, channelNames) },
              { key: 'at', header: t('agent.c360.when'), render: (i) => fmt.dateTime(i.linked_at) },
            ]}
          />
        </div>
        <div>
          <h2>{t('agent.c360.profile')}</h2>
          <dl className="facts" data-testid="facts">
            <dt>{t('agent.c360.sizes')}</dt>
            <dd>{profile.traits.preferred_sizes.join(', ') || '—'}</dd>
            <dt>{t('agent.c360.store')}</dt>
            <dd>
              {profile.traits.preferred_store
                ? (locationNames.get(profile.traits.preferred_store) ?? profile.traits.preferred_store)
                : '—'}
            </dd>
            <dt>{t('agent.c360.categories')}</dt>
            <dd>{profile.traits.favourite_categories.join(', ') || '—'}</dd>
            <dt>{t('agent.c360.rhythm')}</dt>
            <dd>
              {m.visit_frequency_days === null
                ? t('agent.c360.rhythm_unknown', { visits: m.visits })
                : t('agent.c360.rhythm_days', { days: fmt.number(m.visit_frequency_days), visits: m.visits })}
            </dd>
            <dt>{t('agent.c360.churn')}</dt>
            <dd data-churn={m.churn_risk.level}>
              {t(`agent.churn.${m.churn_risk.level}`)} ({fmt.percent(m.churn_risk.score)})
            </dd>
            <dt>{t('agent.c360.mix')}</dt>
            <dd>
              {t(`agent.mix.${m.channel_mix.class}`)}:{' '}
              {mixShares(m.channel_mix)
                .map((s) => `${t(`agent.kind.${s.kind}`)} ${s.percent} %`)
                .join(' · ')}
            </dd>
            <dt>{t('agent.c360.rfm')}</dt>
            <dd>
              R{m.rfm.r} F{m.rfm.f} M{m.rfm.m} · {m.rfm.segment}
            </dd>
            <dt>{t('agent.c360.spent')}</dt>
            <dd>
              {t('agent.c360.spent_value', {
                orders: m.orders_count,
                total: fmt.money(m.total_spent),
                basket: fmt.money(m.average_basket),
              })}
            </dd>
          </dl>
        </div>
      </div>

      <ConsentsPanel customerId={profile.id} consents={profile.consents} />
      <OrdersPanel
        view={view.data}
        channelNames={channelNames}
        locationNames={locationNames}
        assistedChannelId={channels.data?.items.find((c) => c.type === 'contact_center')?.id}
      />

      <div className="agent-grid">
        <div>
          <h2>{t('agent.c360.viewed')}</h2>
          <Table
            rows={profile.viewed_not_bought}
            rowKey={(v) => v.product_id}
            columns={[
              { key: 'p', header: t('agent.c360.product'), render: (v) => v.product_id },
              { key: 'n', header: t('agent.c360.views'), render: (v) => fmt.number(v.views), numeric: true },
              { key: 'at', header: t('agent.c360.when'), render: (v) => fmt.dateTime(v.last_viewed_at) },
            ]}
          />
        </div>
        <div>
          <h2>{t('agent.c360.recommended')}</h2>
          {view.data.recommendations.personalised ? null : <p className="muted">{t('agent.c360.not_personalised')}</p>}
          <Table
            rows={view.data.recommendations.items}
            rowKey={(r) => `${r.product_id}:${r.sku ?? ''}`}
            columns={[
              { key: 'p', header: t('agent.c360.product'), render: (r) => r.product_id },
              { key: 'sku', header: t('agent.c360.sku'), render: (r) => r.sku ?? '—' },
              { key: 'why', header: t('agent.c360.why'), render: (r) => t(`agent.reco.${r.reason}`) },
            ]}
          />
        </div>
      </div>

      <MessagesPanel customerId={profile.id} />
      <ReferralsPanel customerId={profile.id} />
      <TranscriptsPanel customerId={profile.id} />
      <MergesPanel view={view.data} />
      <NotesPanel customerId={profile.id} notes={view.data.notes} />
    </section>
  );
}

/** `identify:chn_…` → "identify · Web shop": the channel's name where the source names one. */
function sourceLabel(source: string | null, channels: Map<string, string>): string {
  if (!source) return '—';
  const [how, where] = source.split(':', 2);
  return where ? `${how} · ${channels.get(where) ?? where}` : source;
}
