import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useSession } from '../../../app/session';
import { ProblemView, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { CountForm } from './CountForm';
import { IncomingTransfers } from './IncomingTransfers';
import './floor.css';

/**
 * Stock: find a product by name, SKU or GTIN and see each size here, in the nearest stores (with
 * distances), in the warehouses and what each channel may promise; count a shelf; receive what is on
 * its way. Two API calls to render (the lookup after a search, the incoming transfers).
 */
export default function StockPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const session = useSession();
  const store = session?.user.location_id ?? null;
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [counting, setCounting] = useState<string | null>(null);
  const found = useQuery({
    queryKey: ['floor-lookup', q],
    enabled: q !== '',
    queryFn: () => unwrap(api.GET('/v1/inventory/lookup', { params: { query: { q } } })),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };
  return (
    <section className="floor" aria-labelledby="stock-title">
      <h1 id="stock-title">{t('store_floor.stock.title')}</h1>
      <form className="floor-search" role="search" onSubmit={submit}>
        <input
          name="q"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('store_floor.stock.search_placeholder')}
          aria-label={t('store_floor.stock.search_placeholder')}
          autoComplete="off"
        />
        <button type="submit">{t('store_floor.stock.search')}</button>
      </form>
      {found.isFetching ? <Spinner /> : null}
      <ProblemView error={found.error} />
      {found.data && found.data.items.length === 0 ? <p className="empty">{t('store_floor.stock.none')}</p> : null}
      {found.data?.items.map((p) => (
        <article key={p.product_id} className="floor-card" data-product={p.code}>
          <h2>
            {p.name} <small>{p.code}</small>
          </h2>
          {p.variants.map((v) => (
            <div key={v.sku} className="floor-size" data-sku={v.sku}>
              <div className="floor-size-head">
                <strong>{v.size ?? v.sku}</strong>
                <span className="muted">
                  {v.sku}
                  {v.gtin ? ` · ${v.gtin}` : ''}
                </span>
                {v.price ? <span>{fmt.money(v.price)}</span> : null}
              </div>
              <dl className="floor-levels">
                <dt>{t('store_floor.stock.here')}</dt>
                <dd data-here={v.sku} className={v.here && v.here.on_hand > 0 ? 'ok' : 'out'}>
                  {v.here ? t('store_floor.stock.units', { count: v.here.on_hand }) : '—'}
                  {/* Reserved units and the safety stock are on the shelf but not free to sell. */}
                  {v.here && v.here.available < v.here.on_hand
                    ? ` · ${t('store_floor.stock.free', { count: v.here.available })}`
                    : ''}
                  {v.here && v.here.in_transit > 0
                    ? ` · ${t('store_floor.stock.on_its_way', { count: v.here.in_transit })}`
                    : ''}
                </dd>
                <dt>{t('store_floor.stock.nearby')}</dt>
                <dd>
                  {v.stores.length === 0 ? (
                    '—'
                  ) : (
                    <ul className="plain">
                      {v.stores.map((s) => (
                        <li key={s.location_id}>
                          {s.name}
                          {s.distance_km !== null ? ` (${fmt.number(s.distance_km)} km)` : ''}:{' '}
                          {t('store_floor.stock.units', { count: s.available })}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
                <dt>{t('store_floor.stock.warehouses')}</dt>
                <dd>
                  {v.warehouses.length === 0 ? (
                    '—'
                  ) : (
                    <ul className="plain">
                      {v.warehouses.map((w) => (
                        <li key={w.location_id}>
                          {w.name}: {t('store_floor.stock.units', { count: w.available })}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
                <dt>{t('store_floor.stock.channels')}</dt>
                <dd>
                  <ul className="plain chips">
                    {v.channels.map((c) => (
                      <li key={c.channel_id} data-channel={c.code}>
                        {c.name}: {fmt.number(c.available)}
                      </li>
                    ))}
                  </ul>
                </dd>
              </dl>
              {store ? (
                counting === v.sku ? (
                  <CountForm sku={v.sku} locationId={store} onDone={() => setCounting(null)} />
                ) : (
                  <button type="button" className="link" onClick={() => setCounting(v.sku)}>
                    {t('store_floor.count.open')}
                  </button>
                )
              ) : null}
            </div>
          ))}
        </article>
      ))}
      {store ? <IncomingTransfers storeId={store} /> : null}
    </section>
  );
}
