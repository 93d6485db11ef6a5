import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, Table } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { useChannels } from '../agent-hooks';
import { idem } from './chat-api';
import ProductSearch from '../ProductSearch';

const held = (conversationId: string) => `omnia.chat.cart.${conversationId}`;

/**
 * A cart for the shopper, built in the contact-center channel without a customer (so the shopper's
 * own key or login can claim it), then handed over in the chat: the carts module's hand-off code
 * becomes a message the shopper's page claims. The cart id survives a reload of the desk.
 */
export default function CartBuilder({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const channels = useChannels();
  const channel = channels.data?.items.find((c) => c.type === 'contact_center');
  const [productId, setProductId] = useState<string | null>(null);
  const [cartId, setCartId] = useState<string | null>(() => sessionStorage.getItem(held(conversationId)));
  const product = useQuery({
    queryKey: ['agent', 'product', productId],
    queryFn: () => unwrap(api.GET('/v1/products/{id}', { params: { path: { id: productId! } } })),
    enabled: productId !== null,
  });
  const cart = useQuery({
    queryKey: ['agent', 'chat-cart', cartId],
    queryFn: () => unwrap(api.GET('/v1/carts/{id}', { params: { path: { id: cartId! } } })),
    enabled: cartId !== null,
  });
  const add = useMutation({
    mutationFn: async (sku: string) => {
      let id = cartId;
      if (!id) {
        id = (await unwrap(api.POST('/v1/carts', { headers: idem(), body: { channel: channel!.id } }))).id;
        sessionStorage.setItem(held(conversationId), id);
        setCartId(id);
      }
      return unwrap(
        api.POST('/v1/carts/{id}/items', { params: { path: { id } }, headers: idem(), body: { sku, quantity: 1 } }),
      );
    },
    onSuccess: () => void cart.refetch(),
  });
  const handOver = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/conversations/{id}/handover', {
          params: { path: { id: conversationId } },
          headers: idem(),
          body: { cart_id: cartId! },
        }),
      ),
    onSuccess: () => {
      // The shopper now holds this cart; a next one starts afresh.
      sessionStorage.removeItem(held(conversationId));
      setCartId(null);
    },
  });
  const c = cart.data;
  return (
    <div className="chat-cart" data-testid="chat-cart">
      <h2>{t('webchat.cart.title')}</h2>
      <ProductSearch limit={8} productId={productId} onPick={setProductId} />
      <ProblemView error={add.error ?? handOver.error} />
      {product.data ? (
        <Table
          rows={product.data.variants.filter((v) => v.active)}
          rowKey={(v) => v.sku}
          columns={[
            { key: 'sku', header: t('agent.c360.sku'), render: (v) => v.sku },
            { key: 'size', header: t('agent.order.size'), render: (v) => v.options.size ?? '—' },
            { key: 'price', header: t('agent.orders.total'), render: (v) => fmt.money(v.price), numeric: true },
            {
              key: 'add',
              header: '',
              render: (v) => (
                <button
                  type="button"
                  data-add={v.sku}
                  disabled={add.isPending || !channel}
                  onClick={() => add.mutate(v.sku)}
                >
                  {t('agent.order.add')}
                </button>
              ),
            },
          ]}
        />
      ) : null}
      {c && c.lines.length ? (
        <div data-testid="chat-cart-lines">
          <Table
            rows={c.lines}
            rowKey={(l) => l.line_id}
            columns={[
              { key: 'sku', header: t('agent.c360.sku'), render: (l) => l.sku },
              { key: 'qty', header: t('agent.orders.units'), render: (l) => fmt.number(l.quantity), numeric: true },
              {
                key: 'total',
                header: t('agent.orders.total'),
                render: (l) => (l.total === null ? '—' : fmt.money({ amount: l.total, currency: c.currency })),
                numeric: true,
              },
            ]}
          />
          {c.totals ? (
            <p>{t('agent.order.total', { total: fmt.money({ amount: c.totals.total, currency: c.currency }) })}</p>
          ) : null}
          <button type="button" data-testid="hand-over" disabled={handOver.isPending} onClick={() => handOver.mutate()}>
            {t('webchat.cart.hand_over')}
          </button>
        </div>
      ) : null}
    </div>
  );
}
