import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { useSession } from '../../../app/session';
import { Field, ProblemView, SubmitButton } from '../../../ui/components';
import { handoffCode } from './till';
import { TillCart, type PlacedOrder } from './TillCart';
import { Receipt } from './Receipt';
import '../stock/floor.css';
import './receipt.css';

const CART_KEY = 'omnia.till.cart';

/**
 * Sell from the whole chain (endless aisle): open a till cart for this store, or claim a shopper's
 * cart by its hand-off code (typed, or scanned from the QR), add sizes from any location, choose a
 * delivery, take payment, print or e-mail the receipt. The open cart survives a reload (sessionStorage).
 */
export default function AislePage() {
  const { t } = useTranslation();
  const store = useSession()?.user.location_id ?? null;
  const [cartId, setCartIdState] = useState<string | null>(() => sessionStorage.getItem(CART_KEY));
  const [order, setOrder] = useState<PlacedOrder | null>(null);
  const [code, setCode] = useState('');
  const setCartId = (id: string | null) => {
    if (id) sessionStorage.setItem(CART_KEY, id);
    else sessionStorage.removeItem(CART_KEY);
    setCartIdState(id);
  };
  // The till sells in the retailer's point-of-sale channel.
  const channels = useQuery({
    queryKey: ['channels'],
    enabled: !cartId && !order,
    queryFn: () => unwrap(api.GET('/v1/channels')),
  });
  const pos = channels.data?.items.find((c) => c.type === 'pos') ?? null;
  // Opening a cart twice is harmless (an empty cart), so no idempotency key is kept for it.
  const open = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/v1/carts', { body: { channel: pos!.id, ...(store ? { location_id: store } : {}) } })),
    onSuccess: (c) => setCartId(c.id),
  });
  const claim = useMutation({
    mutationFn: (c: string) => unwrap(api.POST('/v1/carts/claim', { body: { code: c } })),
    onSuccess: (c) => {
      setCode('');
      setCartId(c.id);
    },
  });
  const submitClaim = (e: FormEvent) => {
    e.preventDefault();
    claim.mutate(handoffCode(code));
  };

  if (order)
    return (
      <Receipt
        order={order}
        onNext={() => {
          setOrder(null);
          setCartId(null);
        }}
      />
    );
  if (cartId)
    return (
      <TillCart
        cartId={cartId}
        storeId={store}
        onPlaced={(o) => {
          setCartId(null);
          setOrder(o);
        }}
        onDrop={() => setCartId(null)}
      />
    );
  return (
    <section className="floor" aria-labelledby="aisle-title">
      <h1 id="aisle-title">{t('store_floor.aisle.title')}</h1>
      <div className="floor-card">
        <p>{t('store_floor.aisle.intro')}</p>
        <button type="button" disabled={!pos || open.isPending} onClick={() => open.mutate()}>
          {t('store_floor.aisle.new_sale')}
        </button>
        {channels.data && !pos ? <p className="problem">{t('store_floor.aisle.no_pos')}</p> : null}
        <ProblemView error={open.error ?? channels.error} />
      </div>
      <form className="floor-card" onSubmit={submitClaim} aria-label={t('store_floor.aisle.claim_title')}>
        <h2>{t('store_floor.aisle.claim_title')}</h2>
        <Field
          label={t('store_floor.aisle.claim_code')}
          name="code"
          autoComplete="off"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={claim.error}
        />
        <SubmitButton pending={claim.isPending}>{t('store_floor.aisle.claim')}</SubmitButton>
        <ProblemView error={claim.error} shownFields={['code']} />
      </form>
    </section>
  );
}
