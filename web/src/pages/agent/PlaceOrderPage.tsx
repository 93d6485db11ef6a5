import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, Spinner, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { ApiError, toProblem } from '../../ui/problem';
import {
  awaitingLink,
  checkoutBody,
  paymentChoices,
  PROVIDER_OF,
  type AwaitingLink,
  type DeliveryOption,
  type PayChoice,
} from './agent-data';
import { idempotency, useChannels } from './agent-hooks';
import LinkAwaiting from './LinkAwaiting';
import ProductSearch from './ProductSearch';

type Cart = Awaited<ReturnType<typeof addLine>>;

async function addLine(cartId: string, sku: string) {
  return unwrap(
    api.POST('/v1/carts/{id}/items', {
      params: { path: { id: cartId } },
      headers: idempotency(),
      body: { sku, quantity: 1 },
    }),
  );
}

/**
 * An order placed for the customer in the contact-center channel: cart → delivery option → payment
 * (on collection where the channel allows it, a card read out, or a payment link mailed to them —
 * disabled with the API's reason where it cannot be sent). Renders with two API calls.
 */
export default function PlaceOrderPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const channels = useChannels();
  const customer = useQuery({
    queryKey: ['agent', 'customer', id],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}', { params: { path: { id } } })),
  });
  const [productId, setProductId] = useState<string | null>(null);
  const [cart, setCart] = useState<Cart | null>(null);
  const [option, setOption] = useState<DeliveryOption | null>(null);
  const [pay, setPay] = useState<PayChoice>('pay_on_pickup');
  const [card, setCard] = useState('');
  const [address, setAddress] = useState({ line1: '', city: '', postal_code: '' });
  const channel = channels.data?.items.find((c) => c.type === 'contact_center');

  const product = useQuery({
    queryKey: ['agent', 'product', productId],
    queryFn: () => unwrap(api.GET('/v1/products/{id}', { params: { path: { id: productId! } } })),
    enabled: productId !== null,
  });
  const add = useMutation({
    mutationFn: async (sku: string) => {
      let cartId = cart?.id;
      if (!cartId) {
        const created = await unwrap(
          api.POST('/v1/carts', { headers: idempotency(), body: { channel: channel!.id, customer_id: id } }),
        );
        cartId = created.id;
      }
      return addLine(cartId, sku);
    },
    onSuccess: (c) => {
      setCart(c);
      setOption(null);
    },
  });
  const options = useQuery({
    queryKey: ['agent', 'delivery', cart?.id, cart?.version],
    queryFn: () => unwrap(api.GET('/v1/carts/{id}/delivery-options', { params: { path: { id: cart!.id } } })),
    enabled: !!cart && cart.lines.length > 0,
  });
  // Which providers the API allows here (Stripe configured? links on this channel?), and why not.
  const methods = useQuery({
    queryKey: ['agent', 'payment-methods', channel?.type, option?.method],
    queryFn: () =>
      unwrap(
        api.GET('/v1/payments/methods', {
          params: {
            query: {
              channel_type: channel!.type as 'contact_center',
              delivery_method: option!.method as 'home',
            },
          },
        }),
      ),
    enabled: !!channel && !!option,
    staleTime: 60_000,
  });
  const place = useMutation({
    mutationFn: async () => {
      const name = [customer.data?.first_name, customer.data?.last_name].filter(Boolean).join(' ') || '—';
      const body = checkoutBody(
        option!,
        payment ?? 'card',
        card,
        option!.method === 'home' ? { name, country: 'ES', ...address } : null,
      );
      const { data, error, response } = await api.POST('/v1/carts/{id}/checkout', {
        params: { path: { id: cart!.id } },
        headers: idempotency(),
        body: body as never,
      });
      // Paid by link: the order is placed and waits for the customer (402 with the link), not a failure.
      const awaiting = awaitingLink(response.status, error);
      if (awaiting) return { awaiting } as { awaiting: AwaitingLink; order?: never };
      if (!response.ok || error !== undefined) throw new ApiError(toProblem(error, response.status));
      return { order: data! } as { order: NonNullable<typeof data>; awaiting?: never };
    },
  });
  const choices = paymentChoices(option);
  const disabledWhy = (c: PayChoice): string | null => {
    const m = methods.data?.items.find((x) => x.provider === PROVIDER_OF[c]);
    if (c !== 'link') return m && !m.allowed && m.configured ? m.reason : null;
    if (!m) return methods.isPending ? '…' : null;
    return m.allowed ? null : m.reason;
  };
  const usable = choices.filter((c) => !disabledWhy(c));
  const payment = usable.includes(pay) ? pay : usable[0];

  if (channels.isPending || customer.isPending) return <Spinner />;
  if (customer.isError) return <ProblemView error={customer.error} />;
  if (!channel) return <p className="problem">{t('agent.order.no_channel')}</p>;
  if (place.data?.awaiting) return <LinkAwaiting awaiting={place.data.awaiting} customerId={id} />;
  if (place.data?.order)
    return (
      <section data-testid="order-placed">
        <h1>{t('agent.order.placed', { id: place.data.order.id })}</h1>
        <p>
          {fmt.money(place.data.order.total)} · {t(`agent.order.method.${place.data.order.delivery.method}`)}
        </p>
        <Link to={`/agent/customers/${id}`}>{t('agent.order.back')}</Link>
      </section>
    );
  const name = [customer.data.first_name, customer.data.last_name].filter(Boolean).join(' ') || customer.data.id;
  return (
    <section className="agent-order">
      <h1>{t('agent.order.title', { name })}</h1>
      <p className="muted">{t('agent.order.channel', { channel: channel.name })}</p>

      <ProductSearch limit={10} productId={productId} onPick={setProductId} />
      {product.data ? (
        <div data-testid="variants">
          <Table
            rows={product.data.variants.filter((v) => v.active)}
            rowKey={(v) => v.sku}
            columns={[
              { key: 'sku', header: t('agent.c360.sku'), render: (v) => v.sku },
              { key: 'size', header: t('agent.order.size'), render: (v) => v.options.size ?? '—' },
              { key: 'colour', header: t('agent.order.colour'), render: (v) => v.options.colour ?? '—' },
              { key: 'price', header: t('agent.orders.total'), render: (v) => fmt.money(v.price), numeric: true },
              {
                key: 'add',
                header: '',
                render: (v) => (
                  <button type="button" data-add={v.sku} disabled={add.isPending} onClick={() => add.mutate(v.sku)}>
                    {t('agent.order.add')}
                  </button>
                ),
              },
            ]}
          />
        </div>
      ) : null}
      <ProblemView error={add.error} />

      {cart ? (
        <div data-testid="cart">
          <h2>{t('agent.order.cart')}</h2>
          <Table
            rows={cart.lines}
            rowKey={(l) => l.line_id}
            columns={[
              { key: 'sku', header: t('agent.c360.sku'), render: (l) => l.sku },
              { key: 'qty', header: t('agent.orders.units'), render: (l) => fmt.number(l.quantity), numeric: true },
              {
                key: 'total',
                header: t('agent.orders.total'),
                render: (l) => (l.total === null ? '—' : fmt.money({ amount: l.total, currency: cart.currency })),
                numeric: true,
              },
            ]}
          />
          {cart.totals ? (
            <p>
              {t('agent.order.total', { total: fmt.money({ amount: cart.totals.total, currency: cart.currency }) })}
            </p>
          ) : null}
          <h2>{t('agent.order.delivery')}</h2>
          {options.isPending ? <Spinner /> : null}
          <ProblemView error={options.error} />
          <fieldset className="options" data-testid="delivery-options">
            {(options.data?.options ?? []).map((o) => (
              <label key={o.id} className="option">
                <input
                  type="radio"
                  name="delivery"
                  value={o.id}
                  data-method={o.method}
                  checked={option?.id === o.id}
                  onChange={() => setOption(o)}
                />
                {t(`agent.order.method.${o.method}`, { defaultValue: o.method })} · {o.name} · {fmt.money(o.price)} ·{' '}
                {t('agent.order.promised', { date: fmt.date(o.promised_date) })}
              </label>
            ))}
          </fieldset>
          {option ? (
            <form
              onSubmit={(e: FormEvent) => {
                e.preventDefault();
                place.mutate();
              }}
              aria-label={t('agent.order.place')}
            >
              {option.method === 'home' ? (
                <div className="inline-form">
                  {(['line1', 'city', 'postal_code'] as const).map((k) => (
                    <Field
                      key={k}
                      label={t(`agent.order.address.${k}`)}
                      name={`delivery/address/${k}`}
                      value={address[k]}
                      error={place.error}
                      onChange={(e) => setAddress({ ...address, [k]: e.target.value })}
                    />
                  ))}
                </div>
              ) : null}
              <fieldset className="options">
                <legend>{t('agent.order.payment')}</legend>
                {choices.map((c) => {
                  const why = disabledWhy(c);
                  return (
                    <label key={c} className="option">
                      <input
                        type="radio"
                        name="payment"
                        value={c}
                        disabled={!!why}
                        checked={payment === c}
                        onChange={() => setPay(c)}
                      />
                      {t(`agent.order.pay.${c}`)}
                      {why ? (
                        <span className="muted" data-why={c}>
                          {' '}
                          — {t('agent.order.unavailable', { reason: why })}
                        </span>
                      ) : null}
                    </label>
                  );
                })}
                {payment === 'link' ? <p className="muted">{t('agent.order.link.hint')}</p> : null}
              </fieldset>
              {payment === 'card' ? (
                <Field
                  label={t('agent.order.card')}
                  name="card"
                  value={card}
                  onChange={(e) => setCard(e.target.value)}
                />
              ) : null}
              <SubmitButton pending={place.isPending}>{t('agent.order.place')}</SubmitButton>
              <ProblemView error={place.error} />
            </form>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
