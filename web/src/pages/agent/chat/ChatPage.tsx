import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Field, ProblemView, SubmitButton } from '../../../ui/components';
import { Composer, Transcript } from '../../shop/ShopChat';
import { idem, useAgentConversation } from './chat-api';
import CartBuilder from './CartBuilder';
import CustomerSide from './CustomerSide';
import '../../shop/shop.css';

/**
 * One conversation at the desk: the live transcript and the answer box on the left; on the right the
 * person's 360 (when known: her orders, a return, an order to open) and a cart the agent builds and
 * hands over in the chat.
 */
export default function ChatPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const qc = useQueryClient();
  const live = useAgentConversation(id);
  const [text, setText] = useState('');
  const c = live.conversation;
  const send = useMutation({
    mutationFn: (body: string) =>
      unwrap(
        api.POST('/v1/conversations/{id}/messages', { params: { path: { id } }, headers: idem(), body: { body } }),
      ),
    onSuccess: () => setText(''),
  });
  const act = useMutation({
    mutationFn: (what: 'take' | 'close') =>
      what === 'take'
        ? unwrap(api.POST('/v1/conversations/{id}/take', { params: { path: { id } }, headers: idem() }))
        : unwrap(api.POST('/v1/conversations/{id}/close', { params: { path: { id } }, headers: idem() })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['agent', 'chats'] }),
  });
  if (live.refused) return <p className="problem">{t('webchat.gone')}</p>;
  const closed = c?.status === 'closed';
  return (
    <section className="chat-desk" data-testid="chat-desk">
      <header className="agent-360-head">
        <h1>{c?.shopper_name ?? c?.shopper_email ?? t('webchat.anonymous')}</h1>
        <span data-testid="chat-status">{t(`webchat.desk_status.${c?.status ?? 'waiting'}`)}</span>
        <Link to="/agent/chats">{t('webchat.queue.back')}</Link>
      </header>
      <div className="agent-grid">
        <div>
          <Transcript messages={live.messages} mine="agent" />
          {closed ? null : (
            <Composer label={t('webchat.answer')} text={text} setText={setText} send={send}>
              {c?.status === 'waiting' ? (
                <button type="button" onClick={() => act.mutate('take')}>
                  {t('webchat.take')}
                </button>
              ) : null}
              <button type="button" className="secondary" onClick={() => act.mutate('close')}>
                {t('webchat.close')}
              </button>
            </Composer>
          )}
          <ProblemView error={act.error} />
          {c && !closed ? <CartBuilder conversationId={id} /> : null}
        </div>
        <div>{c ? <CustomerSide conversation={c} /> : null}</div>
      </div>
    </section>
  );
}

/** Find the person (the agent asked who they are) and link them: the transcript joins their 360. */
export function LinkPerson({ conversationId, suggested }: { conversationId: string; suggested?: string | null }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const find = useMutation({
    mutationFn: (query: string) => unwrap(api.GET('/v1/customers', { params: { query: { query, limit: 5 } } })),
  });
  const link = useMutation({
    mutationFn: (customer_id: string) =>
      unwrap(
        api.POST('/v1/conversations/{id}/customer', {
          params: { path: { id: conversationId } },
          headers: idem(),
          body: { customer_id },
        }),
      ),
  });
  return (
    <div className="link-person">
      {suggested ? (
        <button type="button" data-confirm={suggested} onClick={() => link.mutate(suggested)}>
          {t('webchat.confirm_person')}
        </button>
      ) : null}
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (q.trim()) find.mutate(q.trim());
        }}
      >
        <Field label={t('webchat.find_person')} name="person_query" value={q} onChange={(e) => setQ(e.target.value)} />
        <SubmitButton pending={find.isPending}>{t('agent.search.find')}</SubmitButton>
      </form>
      <ProblemView error={find.error ?? link.error} />
      <ul className="pick-list">
        {(find.data?.items ?? []).map((p) => (
          <li key={p.id}>
            <button type="button" onClick={() => link.mutate(p.id)}>
              {[p.first_name, p.last_name].filter(Boolean).join(' ') || p.id} · {p.emails.join(', ')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
