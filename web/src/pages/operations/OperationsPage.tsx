import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useChannels } from '../promotions/PromotionsPage';
import { ApiKeysPanel } from './ApiKeysPanel';
import { DeadLettersPanel } from './DeadLettersPanel';
import { WebhooksPanel } from './WebhooksPanel';

/**
 * Operations: the doctor's invariant checks on demand, webhooks with their delivery log and retry,
 * dead-lettered events with retry, and API keys per channel. Four calls to render: webhooks, dead
 * letters, API keys, channels.
 */
export default function OperationsPage() {
  const { t } = useTranslation();
  const doctor = useMutation({ mutationFn: () => unwrap(api.GET('/v1/doctor')) });
  const channels = useChannels();
  return (
    <section>
      <h1>{t('operations.title')}</h1>
      <h2>{t('operations.doctor.title')}</h2>
      <p className="hint">{t('operations.doctor.hint')}</p>
      <button type="button" disabled={doctor.isPending} aria-busy={doctor.isPending} onClick={() => doctor.mutate()}>
        {doctor.isPending ? <Spinner /> : t('operations.doctor.run')}
      </button>
      <ProblemView error={doctor.error} />
      {doctor.data ? (
        <div data-testid="doctor">
          <p className={doctor.data.ok ? 'ok' : 'problem'}>
            {doctor.data.ok ? t('operations.doctor.ok') : t('operations.doctor.failed')}
          </p>
          <Table
            rows={doctor.data.checks}
            rowKey={(c) => c.name}
            columns={[
              {
                key: 'status',
                header: t('operations.doctor.status'),
                render: (c) => t(`operations.doctor.statuses.${c.status}`),
              },
              { key: 'name', header: t('operations.doctor.check'), render: (c) => c.name },
              { key: 'summary', header: t('operations.doctor.summary'), render: (c) => c.summary },
            ]}
          />
        </div>
      ) : null}
      <h2>{t('operations.webhooks.title')}</h2>
      <WebhooksPanel />
      <h2>{t('operations.dead.title')}</h2>
      <p className="hint">{t('operations.dead.hint')}</p>
      <DeadLettersPanel />
      <h2>{t('operations.keys.title')}</h2>
      <p className="hint">{t('operations.keys.hint')}</p>
      <ProblemView error={channels.error} />
      <ApiKeysPanel channels={channels.data?.items ?? []} />
    </section>
  );
}
