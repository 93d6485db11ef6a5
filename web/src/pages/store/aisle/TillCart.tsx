import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Field, ProblemView, Spinner, SubmitButton } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { useIdempotentMutation } from '../../../ui/idempotent';
import { checkoutBody, groupOptions, type AddressInput, type DeliveryOption, type OptionGroups } from './till';

export interface PlacedOrder {
  id: string;
  status: string;
  email: string | null;
  placed_at: string;
  currency: string;
  lines: { line_id: string; sku: string; quantity: number; total: number }[];
  subtotal: { amount: number; currency: string };
  discount_total: { amount: number; currency: string };
  shipping: { amount: number; discount: number; currency: string };
  tax_total: { amount: number; currency: string };
  total: { amount: number; currency: string };
  delivery: Record<string, unknown>;
}

const GROUPS: (keyof OptionGroups)[] = ['now', 'here', 'home', 'elsewhere'];
const NO_ADDRESS: AddressInput = { name: '', line1: '', city: '', postal_code: '', country: 'ES' };

/** The till cart: add sizes from anywhere in the chain, choose how it reaches the customer, take payment. */
export function TillCart({
  cartId,
  storeId,
  onPlaced,
  onDrop,
}: {
  cartId: string;
  storeId: string | null;
  onPlaced: (o: PlacedOrder) => void;
  onDrop: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [optionId, setOptionId] = useState('');
  const [address, setAddress] = useState<AddressInput>(NO_ADDRESS);
  const [pay, setPay] = useState<'test' | 'manual'>('test');
  const [card, setCard] = useState('');
  const [email, setEmail] = useState('');
  const cart = useQuery({
    queryKey: ['till-cart', cartId],
    queryFn: () => unwrap(api.GET('/v1/carts/{id}', { params: { path: { id: cartId } } })),
  });
  const version = cart.data?.version ?? 0;
  const found = useQuery({
    queryKey: ['floor-lookup', q],
    enabled: q !== '',
    queryFn: () => unwrap(api.GET('/v1/inventory/lookup', { params: { query: { q } } })),
  });
  const hasLines = (cart.data?.lines.length ?? 0) > 0;
  const options = useQuery({
    queryKey: ['till-options', cartId, version],
    enabled: hasLines,
    queryFn: () => unwrap(api.GET('/v1/carts/{id}/delivery-options', { params: { path: { id: cartId } } })),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['till-cart', cartId] });
  // The cart's version in the key: a double tap adds once, a second deliberate tap (new version) adds again.
  const add = useIdempotentMutation({
    op: (sku: string) => `cart:${cartId}:v${version}:add:${sku}`,
    send: (sku: string, headers) =>
      unwrap(
        api.POST('/v1/carts/{id}/items', { params: { path: { id: cartId } }, body: { sku, quantity: 1 }, headers }),
      ),
    onSuccess: refresh,
  });
  const remove = useIdempotentMutation({
    op: (lineId: string) => `cart:${cartId}:remove:${lineId}`,
    send: (lineId: string, headers) =>
      unwrap(
        api.DELETE('/v1/carts/{id}/items/{line_id}', {
          params: { path: { id: cartId, line_id: lineId } },
          headers,
        }),
      ),
    onSuccess: refresh,
  });
  const checkout = useIdempotentMutation({
    // One key per cart: whatever happens to the Wi-Fi, this cart is sold once.
    op: () => `cart:${cartId}:checkout`,
    send: (body: ReturnType<typeof checkoutBody>, headers) =>
      unwrap(api.POST('/v1/carts/{id}/checkout', { params: { path: { id: cartId } }, body, headers })),
    onSuccess: (o) => onPlaced(o as PlacedOrder),
  });
  const groups = groupOptions((options.data?.options ?? []) as DeliveryOption[], storeId);
  const chosen = options.data?.options.find((o) => o.id === optionId) as DeliveryOption | undefined;
  const search = (e: FormEvent) => {
    e.preventDefault();
    setQ(text.trim());
  };
  const pay$ = (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    checkout.mutate(
      checkoutBody(
        chosen,
        address,
        pay === 'test' ? { provider: 'test', card_number: card } : { provider: 'manual' },
        email,
      ),
    );
  };
  const field = (k: keyof AddressInput) => (
    <Field
      label={t(`store_floor.aisle.address.${k}`)}
      name={`delivery/address/${k}`}
      value={address[k]}
      onChange={(e) => setAddress({ ...address, [k]: e.target.value })}
      error={checkout.error}
    />
  );

  return (
    <section className="floor" aria-labelledby="till-title">
      <h1 id="till-title">{t('store_floor.aisle.cart_title')}</h1>
      <form className="floor-search" role="search" onSubmit={search}>
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
      <ProblemView error={found.error ?? add.error} />
      {found.data?.items.map((p) => (
        <div key={p.product_id} className="floor-card">
          <h2>{p.name}</h2>
          <ul className="plain sizes">
            {p.variants.map((v) => {
              const chain = v.channels.find((c) => c.channel_id === cart.data?.channel_id)?.available ?? 0;
              return (
                <li key={v.sku} data-sku={v.sku}>
                  <strong>{v.size ?? v.sku}</strong>{' '}
                  <span className="muted">
                    {t('store_floor.aisle.here_chain', { here: v.here?.available ?? 0, chain })}
                  </span>{' '}
                  <button
                    type="button"
                    disabled={add.isPending || chain === 0}
                    aria-label={`${t('store_floor.aisle.add')} ${v.sku}`}
                    onClick={() => add.mutate(v.sku)}
                  >
                    {t('store_floor.aisle.add')}
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}

      <div className="floor-card" aria-label={t('store_floor.aisle.lines')}>
        <h2>{t('store_floor.aisle.lines')}</h2>
        {cart.isLoading ? <Spinner /> : null}
        <ProblemView error={cart.error ?? remove.error} />
        {cart.data && !hasLines ? <p className="empty">{t('store_floor.aisle.empty')}</p> : null}
        <ul className="plain">
          {cart.data?.lines.map((l) => (
            <li key={l.line_id} data-line={l.sku}>
              {l.quantity} × {l.sku} —{' '}
              {l.total !== null ? fmt.money({ amount: l.total, currency: cart.data!.currency }) : '—'}{' '}
              <button type="button" className="link" onClick={() => remove.mutate(l.line_id)}>
                {t('store_floor.aisle.remove')}
              </button>
            </li>
          ))}
        </ul>
        {cart.data?.totals ? (
          <p>
            <strong>{t('store_floor.aisle.total')}</strong>{' '}
            {fmt.money({ amount: cart.data.totals.total, currency: cart.data.totals.currency })}
          </p>
        ) : null}
        <button type="button" className="link" onClick={onDrop}>
          {t('store_floor.aisle.park')}
        </button>
      </div>

      {hasLines ? (
        <form className="floor-card" onSubmit={pay$} aria-label={t('store_floor.aisle.delivery')}>
          <h2>{t('store_floor.aisle.delivery')}</h2>
          {options.isLoading ? <Spinner /> : null}
          <ProblemView error={options.error} />
          {GROUPS.map((g) =>
            groups[g].length ? (
              <fieldset key={g} className="floor-options">
                <legend>{t(`store_floor.aisle.groups.${g}`)}</legend>
                {groups[g].map((o) => (
                  <label key={o.id} className="field inline" data-option={o.method}>
                    <input
                      type="radio"
                      name="option"
                      value={o.id}
                      checked={optionId === o.id}
                      onChange={() => setOptionId(o.id)}
                    />
                    <span>
                      {o.name} · {fmt.money(o.price)} ·{' '}
                      {t('store_floor.aisle.promised', { date: fmt.date(o.promised_date) })}
                    </span>
                  </label>
                ))}
              </fieldset>
            ) : null,
          )}
          {chosen?.method === 'home' ? (
            <fieldset>
              <legend>{t('store_floor.aisle.address.title')}</legend>
              {field('name')}
              {field('line1')}
              {field('postal_code')}
              {field('city')}
              {field('country')}
            </fieldset>
          ) : null}
          <fieldset>
            <legend>{t('store_floor.aisle.payment')}</legend>
            <label className="field inline">
              <input type="radio" name="pay" checked={pay === 'test'} onChange={() => setPay('test')} />
              <span>{t('store_floor.aisle.pay_card')}</span>
            </label>
            <label className="field inline">
              <input type="radio" name="pay" checked={pay === 'manual'} onChange={() => setPay('manual')} />
              <span>{t('store_floor.aisle.pay_till')}</span>
            </label>
            {pay === 'test' ? (
              <Field
                label={t('store_floor.aisle.card')}
                name="payment/card_number"
                inputMode="numeric"
                autoComplete="off"
                value={card}
                onChange={(e) => setCard(e.target.value)}
                error={checkout.error}
              />
            ) : null}
          </fieldset>
          <Field
            label={t('store_floor.aisle.email')}
            name="email"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={checkout.error}
          />
          {!chosen ? <p className="muted">{t('store_floor.aisle.choose_option')}</p> : null}
          <SubmitButton pending={checkout.isPending}>{t('store_floor.aisle.take_payment')}</SubmitButton>
          <ProblemView
            error={checkout.error}
            shownFields={[
              'email',
              'payment/card_number',
              ...Object.keys(NO_ADDRESS).map((k) => `delivery/address/${k}`),
            ]}
          />
        </form>
      ) : null}
    </section>
  );
}
