import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { healthOf, type Connection } from './marketplaces-data';
import { useChannels, useConnections } from './useMarketplaces';

/**
 * Connections per marketplace channel: provider, state, the last feed and the last import, what the
 * jobs last hit, and the exceptions waiting. "Sync now" runs the import and pushes the stock feed at once.
 */
export default function ConnectionsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const connections = useConnections();
  const channels = useChannels();
  const sync = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST('/v1/marketplaces/connections/{id}/sync', {
          params: { path: { id } },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['marketplaces'] }),
  });
  if (connections.isPending) return <Spinner />;
  if (connections.isError) return <ProblemView error={connections.error} />;
  const names = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
  const when = (iso: string | null | undefined) => (iso ? fmt.dateTime(iso) : t('marketplaces.never'));
  const columns = [
    {
      key: 'channel',
      header: t('marketplaces.channel'),
      render: (c: Connection) => (
        <Link to={`/marketplaces/connections/${c.id}`}>{names.get(c.channel_id) ?? c.channel_id}</Link>
      ),
    },
    { key: 'provider', header: t('marketplaces.provider'), render: (c: Connection) => c.provider },
    {
      key: 'health',
      header: t('marketplaces.state'),
      render: (c: Connection) => {
        const h = healthOf(c);
        return (
          <span className={`badge health-${h}`} data-health={h}>
            {t(`marketplaces.health.${h}`)}
          </span>
        );
      },
    },
    {
      key: 'feed',
      header: t('marketplaces.last_feed'),
      render: (c: Connection) =>
        c.last_feed ? (
          <span data-feed-state={c.last_feed.state}>
            {t(`marketplaces.feed_states.${c.last_feed.state}`)} · {fmt.dateTime(c.last_feed.created_at)} ·{' '}
            {t('marketplaces.skus', { count: c.last_feed.items })}
            {c.last_feed.error ? <small className="field-error"> {c.last_feed.error}</small> : null}
          </span>
        ) : (
          t('marketplaces.never')
        ),
    },
    {
      key: 'pending',
      header: t('marketplaces.pending_updates'),
      render: (c: Connection) => fmt.number(c.pending_updates),
      numeric: true,
    },
    {
      key: 'import',
      header: t('marketplaces.last_import'),
      render: (c: Connection) =>
        c.last_import_at
          ? `${when(c.last_import_at)} · ${t('marketplaces.orders_seen', { count: c.last_import_count ?? 0 })}`
          : t('marketplaces.never'),
    },
    {
      key: 'exceptions',
      header: t('marketplaces.exceptions'),
      render: (c: Connection) =>
        c.open_exceptions ? (
          <Link to="/marketplaces/exceptions" data-open-exceptions={c.open_exceptions}>
            {fmt.number(c.open_exceptions)}
          </Link>
        ) : (
          '0'
        ),
      numeric: true,
    },
    {
      key: 'error',
      header: t('marketplaces.last_error'),
      render: (c: Connection) => (c.last_error ? <span className="problem-text">{c.last_error}</span> : '—'),
    },
    {
      key: 'actions',
      header: '',
      render: (c: Connection) => (
        <button type="button" data-sync={c.id} disabled={sync.isPending || !c.active} onClick={() => sync.mutate(c.id)}>
          {t('marketplaces.sync_now')}
        </button>
      ),
    },
  ];
  return (
    <div data-testid="marketplace-connections">
      <p>
        <Link className="button" to="/marketplaces/connections/new">
          {t('marketplaces.connect')}
        </Link>
      </p>
      <ProblemView error={sync.error} />
      {sync.data ? (
        <p role="status" data-testid="sync-result">
          {t('marketplaces.synced', { orders: sync.data.orders, feeds: sync.data.feeds, actions: sync.data.actions })}
        </p>
      ) : null}
      <Table rows={connections.data} rowKey={(c) => c.id} columns={columns} />
    </div>
  );
}
