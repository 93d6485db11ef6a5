import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, Spinner, Table } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { idem, useQueue, type QueueView } from './chat-api';
import '../../shop/shop.css';

const VIEWS: QueueView[] = ['waiting', 'mine', 'closed'];

/** The webchat queue: waiting (oldest first, take one), mine (open, newest first), closed. */
export default function ChatQueue() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const navigate = useNavigate();
  const [view, setView] = useState<QueueView>('waiting');
  const queue = useQueue(view);
  const take = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST('/v1/conversations/{id}/take', { params: { path: { id } }, headers: idem() })),
    onSuccess: (c) => navigate(`/agent/chats/${c.id}`),
  });
  return (
    <section className="chat-queue" data-testid="chat-queue">
      <h1>{t('webchat.queue.title')}</h1>
      <div role="tablist" className="agent-tabs">
        {VIEWS.map((v) => (
          <button key={v} role="tab" aria-selected={v === view} data-view={v} onClick={() => setView(v)}>
            {t(`webchat.queue.${v}`)}
          </button>
        ))}
      </div>
      <ProblemView error={queue.error ?? take.error} />
      {queue.isPending ? <Spinner /> : null}
      <Table
        rows={queue.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          {
            key: 'who',
            header: t('webchat.queue.shopper'),
            render: (c) => (
              <Link to={`/agent/chats/${c.id}`}>{c.shopper_name ?? c.shopper_email ?? t('webchat.anonymous')}</Link>
            ),
          },
          {
            key: 'known',
            header: t('webchat.queue.customer'),
            render: (c) =>
              c.customer_id ? (c.customer_verified ? t('webchat.verified') : t('webchat.unverified')) : '—',
          },
          { key: 'n', header: t('webchat.queue.messages'), render: (c) => fmt.number(c.last_seq), numeric: true },
          { key: 'at', header: t('webchat.queue.updated'), render: (c) => fmt.dateTime(c.updated_at) },
          {
            key: 'act',
            header: '',
            render: (c) =>
              c.status === 'waiting' ? (
                <button data-take={c.id} disabled={take.isPending} onClick={() => take.mutate(c.id)}>
                  {t('webchat.take')}
                </button>
              ) : null,
          },
        ]}
      />
    </section>
  );
}
