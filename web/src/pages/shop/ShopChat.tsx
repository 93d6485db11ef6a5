import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Field, ProblemView, SubmitButton, TextField } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { LanguagePicker } from '../../app/LanguagePicker';
import { heldCart, heldChat, holdCart, holdChat, publishableKey, shopClient, unwrap, type HeldChat } from './shop-api';
import { useLiveConversation, type ChatMessage } from './live';
import './shop.css';

/**
 * The storefront chat widget (`/console/shop/chat?key=omk_pub_…`), open without a staff login: a
 * shopper starts a conversation with the shop's publishable key, keeps its token in this browser (a
 * reload resumes it), talks with the agent live, and sees the cart the agent hands over (claimed once
 * with the hand-off code from the chat, read by id afterwards).
 */
export default function ShopChat() {
  const { t } = useTranslation();
  const key = useMemo(() => publishableKey(location.search), []);
  const [chat, setChat] = useState<HeldChat | null>(heldChat);
  if (!key) return <p className="problem">{t('webchat.shop.no_key')}</p>;
  return (
    <main className="shop-chat" data-testid="shop-chat">
      <header>
        <h1>{t('webchat.shop.title')}</h1>
        <LanguagePicker />
      </header>
      {chat ? (
        <Conversation
          shopKey={key}
          chat={chat}
          onGone={() => {
            holdChat(null);
            holdCart(null);
            setChat(null);
          }}
        />
      ) : (
        <Start
          shopKey={key}
          onOpen={(c) => {
            holdChat(c);
            setChat(c);
          }}
        />
      )}
    </main>
  );
}

function Start({ shopKey, onOpen }: { shopKey: string; onOpen: (c: HeldChat) => void }) {
  const { t } = useTranslation();
  const client = useMemo(() => shopClient(shopKey, () => undefined), [shopKey]);
  const [form, setForm] = useState({ name: '', email: '', message: '' });
  const open = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/v1/conversations', {
          headers: { 'idempotency-key': crypto.randomUUID() },
          body: {
            ...(form.name.trim() ? { name: form.name.trim() } : {}),
            ...(form.email.trim() ? { email: form.email.trim() } : {}),
            message: form.message,
          },
        }),
      ),
    onSuccess: (r) => onOpen({ id: r.conversation.id, token: r.token }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate();
  };
  return (
    <form className="shop-start" onSubmit={submit}>
      <p>{t('webchat.shop.intro')}</p>
      <Field
        label={t('webchat.shop.name')}
        name="name"
        value={form.name}
        onChange={(e) => setForm({ ...form, name: e.target.value })}
        error={open.error}
      />
      <Field
        label={t('webchat.shop.email')}
        name="email"
        type="email"
        value={form.email}
        onChange={(e) => setForm({ ...form, email: e.target.value })}
        error={open.error}
      />
      <TextField
        label={t('webchat.shop.first_message')}
        name="message"
        required
        value={form.message}
        onChange={(e) => setForm({ ...form, message: e.target.value })}
        error={open.error}
      />
      {open.error ? <ProblemView error={open.error} shownFields={['name', 'email', 'message']} /> : null}
      <SubmitButton pending={open.isPending}>{t('webchat.shop.start')}</SubmitButton>
    </form>
  );
}

function Conversation({ shopKey, chat, onGone }: { shopKey: string; chat: HeldChat; onGone: () => void }) {
  const { t } = useTranslation();
  const client = useMemo(() => shopClient(shopKey, () => chat.token), [shopKey, chat.token]);
  const headers = useMemo(
    () => ({ authorization: `Bearer ${shopKey}`, 'x-conversation-token': chat.token }),
    [shopKey, chat.token],
  );
  const live = useLiveConversation(chat.id, headers);
  const [text, setText] = useState('');
  const send = useMutation({
    mutationFn: (body: string) =>
      unwrap(
        client.POST('/v1/conversations/{id}/messages', {
          params: { path: { id: chat.id } },
          headers: { 'idempotency-key': crypto.randomUUID() },
          body: { body },
        }),
      ),
    onSuccess: () => setText(''),
  });
  const close = useMutation({
    mutationFn: () => unwrap(client.POST('/v1/conversations/{id}/close', { params: { path: { id: chat.id } } })),
  });
  if (live.refused) {
    return (
      <div>
        <p className="problem">{t('webchat.shop.gone')}</p>
        <button onClick={onGone}>{t('webchat.shop.new')}</button>
      </div>
    );
  }
  const handed = [...live.messages].reverse().find((m) => m.kind === 'cart' && m.cart);
  const closed = live.conversation?.status === 'closed';
  return (
    <div className="shop-conversation">
      <section aria-label={t('webchat.shop.messages')}>
        <p className="muted" data-testid="chat-status">
          {t(`webchat.status.${live.conversation?.status ?? 'waiting'}`)}
        </p>
        <Transcript messages={live.messages} mine="shopper" />
        {closed ? (
          <button onClick={onGone}>{t('webchat.shop.new')}</button>
        ) : (
          <Composer label={t('webchat.shop.your_message')} text={text} setText={setText} send={send}>
            <button type="button" className="secondary" onClick={() => close.mutate()}>
              {t('webchat.shop.end')}
            </button>
          </Composer>
        )}
      </section>
      {handed?.cart ? <HandedCart client={client} code={handed.cart.code} cartId={handed.cart.cart_id} /> : null}
    </div>
  );
}

/** The agent's cart: claimed once with the code (moving it to the shop's channel), then read by id. */
function HandedCart({ client, code, cartId }: { client: ReturnType<typeof shopClient>; code: string; cartId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cart = useQuery({
    queryKey: ['shop', 'cart', cartId, code],
    queryFn: async () => {
      if (heldCart() === cartId) return unwrap(client.GET('/v1/carts/{id}', { params: { path: { id: cartId } } }));
      const claimed = await unwrap(client.POST('/v1/carts/claim', { body: { code } }));
      holdCart(claimed.id);
      return claimed;
    },
    staleTime: Infinity,
    refetchInterval: false,
    retry: false,
  });
  if (cart.isError) return <ProblemView error={cart.error} />;
  if (!cart.data) return null;
  const c = cart.data;
  return (
    <aside className="shop-cart" data-testid="handed-cart">
      <h2>{t('webchat.shop.cart_title')}</h2>
      <ul>
        {c.lines.map((l) => (
          <li key={l.line_id} data-sku={l.sku}>
            <span>{l.sku}</span> × {l.quantity}{' '}
            <strong>{l.total === null ? '—' : fmt.money({ amount: l.total, currency: c.currency })}</strong>
          </li>
        ))}
      </ul>
      <p className="shop-cart-total" data-testid="cart-total">
        {t('webchat.shop.total')}:{' '}
        <strong>{c.totals ? fmt.money({ amount: c.totals.total, currency: c.currency }) : '—'}</strong>
      </p>
    </aside>
  );
}

/** The message box of both sides of a chat (shopper and agent): sends non-empty text; `children` are that side's extra buttons. */
export function Composer({
  label,
  text,
  setText,
  send,
  children,
}: {
  label: string;
  text: string;
  setText: (v: string) => void;
  send: { mutate: (body: string) => void; isPending: boolean; error: unknown };
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <form
      className="chat-composer"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) send.mutate(text);
      }}
    >
      <TextField label={label} name="body" value={text} onChange={(e) => setText(e.target.value)} error={send.error} />
      <SubmitButton pending={send.isPending}>{t('webchat.send')}</SubmitButton>
      {children}
    </form>
  );
}

export function Transcript({ messages, mine }: { messages: ChatMessage[]; mine: 'shopper' | 'agent' }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <ol className="chat-transcript" data-testid="transcript">
      {messages.map((m) => (
        <li key={m.seq} className={`chat-msg ${m.author} ${m.author === mine ? 'mine' : ''}`} data-kind={m.kind}>
          <small>
            {t(`webchat.author.${m.author}`)} · {fmt.dateTime(m.created_at)}
          </small>
          <p>
            {m.kind === 'cart'
              ? t('webchat.cart_message')
              : m.kind === 'event'
                ? t(`webchat.event.${m.body}`, { defaultValue: m.body })
                : m.body}
          </p>
        </li>
      ))}
    </ol>
  );
}
