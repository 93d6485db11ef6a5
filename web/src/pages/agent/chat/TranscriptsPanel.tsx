import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ProblemView, Table } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { useTranscripts } from './chat-api';

/** The person's webchat conversations on their 360 (transcripts are theirs: exported and erased with them). */
export default function TranscriptsPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const list = useTranscripts(customerId);
  return (
    <div data-testid="transcripts">
      <h2>{t('webchat.transcripts')}</h2>
      <ProblemView error={list.error} />
      <Table
        rows={list.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { key: 'at', header: t('webchat.queue.updated'), render: (c) => fmt.dateTime(c.created_at) },
          { key: 'st', header: t('webchat.queue.status'), render: (c) => t(`webchat.status.${c.status}`) },
          { key: 'n', header: t('webchat.queue.messages'), render: (c) => fmt.number(c.last_seq), numeric: true },
          { key: 'open', header: '', render: (c) => <Link to={`/agent/chats/${c.id}`}>{t('webchat.open')}</Link> },
        ]}
      />
    </div>
  );
}
