import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { stockGrid } from './stock-grid';
import { MovementForm } from './MovementForm';
import { Ledger } from './Ledger';

export function useLocations() {
  return useQuery({
    queryKey: ['locations', 'all'],
    queryFn: () => unwrap(api.GET('/v1/locations', { params: { query: { limit: 200 } } })),
    staleTime: 300_000,
  });
}

/** A product: variants, prices per channel, stock per size per location, and one SKU's ledger. */
export default function ProductPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const product = useQuery({
    queryKey: ['product', id],
    queryFn: () => unwrap(api.GET('/v1/products/{id}', { params: { path: { id } } })),
  });
  const skus = product.data?.variants.map((v) => v.sku) ?? [];
  const stock = useQuery({
    queryKey: ['stock', skus],
    enabled: skus.length > 0,
    queryFn: () => unwrap(api.GET('/v1/inventory', { params: { query: { skus: skus.join(',') } } })),
  });
  const locations = useLocations();
  const [selected, setSelected] = useState<string | undefined>();
  if (product.isPending) return <Spinner />;
  if (product.isError) return <ProblemView error={product.error} />;
  const p = product.data;
  const sku = selected ?? skus[0];
  const names = new Map((locations.data?.items ?? []).map((l) => [l.id, l.name]));
  const grid = stockGrid(
    p.variants.map((v) => ({ sku: v.sku, size: v.options.size, colour: v.options.colour })),
    Object.fromEntries((stock.data?.items ?? []).map((s) => [s.sku, s.levels])),
    (locations.data?.items ?? []).map((l) => l.id),
  );
  const prices = p.variants.flatMap((v) =>
    v.prices.map((pr) => ({ ...pr, key: `${v.sku}|${pr.channel_id}|${pr.currency}` })),
  );
  return (
    <section>
      <h1>
        {p.name} <small>{p.code}</small>
      </h1>
      <p>
        {p.brand} · {p.category}
      </p>
      <h2>{t('catalog.variants')}</h2>
      <Table
        rows={p.variants}
        rowKey={(v) => v.sku}
        columns={[
          { key: 'sku', header: t('catalog.sku'), render: (v) => v.sku },
          { key: 'size', header: t('catalog.size'), render: (v) => v.options.size ?? '—' },
          { key: 'colour', header: t('catalog.colour'), render: (v) => v.options.colour ?? '—' },
          { key: 'gtin', header: t('catalog.gtin'), render: (v) => v.gtin ?? '—' },
          {
            key: 'price',
            header: t('catalog.price'),
            render: (v) => (v.price ? fmt.money({ amount: v.price.amount, currency: v.price.currency }) : '—'),
            numeric: true,
          },
        ]}
      />
      <h2>{t('catalog.prices_by_channel')}</h2>
      <Table
        rows={prices}
        rowKey={(r) => r.key}
        columns={[
          { key: 'sku', header: t('catalog.sku'), render: (r) => r.sku },
          { key: 'channel', header: t('catalog.channel'), render: (r) => r.channel_id ?? t('catalog.all_channels') },
          {
            key: 'list',
            header: t('catalog.list_price'),
            render: (r) => fmt.money({ amount: r.list_amount, currency: r.currency }),
            numeric: true,
          },
          {
            key: 'sale',
            header: t('catalog.sale_price'),
            render: (r) => (r.sale_amount === null ? '—' : fmt.money({ amount: r.sale_amount, currency: r.currency })),
            numeric: true,
          },
        ]}
      />
      <h2>{t('catalog.stock_grid')}</h2>
      {stock.isPending ? <Spinner /> : null}
      <ProblemView error={stock.error} />
      <div className="table-wrap">
        <table className="stock-grid" data-testid="stock-grid">
          <thead>
            <tr>
              <th>{t('catalog.size')}</th>
              {grid.locations.map((l) => (
                <th key={l}>{names.get(l) ?? l}</th>
              ))}
              <th className="num">{t('catalog.available')}</th>
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((r) => (
              <tr key={r.sku} className={r.sku === sku ? 'selected' : undefined}>
                <th>
                  <button type="button" className="link" onClick={() => setSelected(r.sku)}>
                    {r.label}
                  </button>
                </th>
                {r.cells.map((c, i) => (
                  <td key={grid.locations[i]} data-sku={r.sku} data-location={grid.locations[i]}>
                    {c ? (
                      <>
                        <strong title={t('catalog.on_hand')}>{fmt.number(c.on_hand)}</strong>
                        <small>
                          {' '}
                          {t('catalog.cell', {
                            reserved: fmt.number(c.reserved),
                            in_transit: fmt.number(c.in_transit),
                            safety: fmt.number(c.safety_stock),
                          })}
                        </small>
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                ))}
                <td className="num">{fmt.number(r.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('catalog.cell_legend')}</p>
      {sku ? (
        <>
          <h2>{t('catalog.movement.title', { sku })}</h2>
          <MovementForm sku={sku} locations={locations.data?.items ?? []} />
          <h2>{t('catalog.ledger', { sku })}</h2>
          <Ledger sku={sku} names={names} />
        </>
      ) : null}
    </section>
  );
}
