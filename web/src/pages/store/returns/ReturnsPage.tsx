import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { ReturnForm, type CounterOrder } from './ReturnForm';
import '../stock/floor.css';

/**
 * Returns at the counter: find the order by number, e-mail or phone (any channel: the search spans
 * every store for an associate), then take back some units. One API call to render the search.
 */
export default function ReturnsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<CounterOrder | null>(null);
  // A return at the counter happens in the store's point-of-sale channel.
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => unwrap(api.GET('/v1/channels')) });
  const pos = channels.data?.items.find((c) => c.type === 'pos')?.id;
  const found = useQuery({
    queryKey: ['counter-orders', query],
    enabled: query !== '',
    queryFn: () => unwrap(api.GET('/v1/orders', { params: { query: { query, limit: 10 } } })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPicked(null);
    setQuery(text.trim());
  };
  if (picked) return <ReturnForm order={picked} channel={pos} onBack={() => setPicked(null)} />;
  return (
    <section className="floor" aria-labelledby="returns-title">
      <h1 id="returns-title">{t('store_floor.returns.title')}</h1>
      <form className="floor-search" role="search" onSubmit={submit}>
        <input
          name="query"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('store_floor.returns.search_placeholder')}
          aria-label={t('store_floor.returns.search_placeholder')}
          autoComplete="off"
        />
        <button type="submit">{t('store_floor.stock.search')}</button>
      </form>
      {found.isFetching ? <Spinner /> : null}
      <ProblemView error={found.error} />
      {found.data && found.data.items.length === 0 ? <p className="empty">{t('store_floor.returns.none')}</p> : null}
      {found.data?.items.map((o) => (
        <button
          type="button"
          key={o.id}
          className="floor-card floor-order"
          data-order={o.id}
          onClick={() => setPicked(o as CounterOrder)}
        >
          <strong>{o.id}</strong> · {fmt.date(o.placed_at)} ·{' '}
          {t(`store_floor.returns.channel.${channelKey(o.channel_type)}`)}
          <br />
          {t('store_floor.returns.units', { count: o.lines.reduce((s, l) => s + l.quantity, 0) })} ·{' '}
          {fmt.money(o.total)} · {o.status}
          {o.email ? <span className="muted"> · {o.email}</span> : null}
        </button>
      ))}
    </section>
  );
}

const KNOWN = ['web', 'app', 'pos', 'contact_center', 'marketplace', 'social'];
const channelKey = (type: string) => (KNOWN.includes(type) ? type : 'other');
