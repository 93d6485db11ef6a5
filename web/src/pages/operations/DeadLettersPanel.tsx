import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable, ProblemView } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** Event deliveries that failed every attempt (oldest first), each sent round again on demand. */
export function DeadLettersPanel() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const retry = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST('/v1/events/dead-letters/{id}/retry', {
          params: { path: { id } },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['dead-letters'] }),
  });
  return (
    <div data-testid="dead-letters">
      <ProblemView error={retry.error} />
      {retry.isSuccess ? <p role="status">{t('operations.dead.retried')}</p> : null}
      <CursorTable
        queryKey={['dead-letters']}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/events/dead-letters', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }),
          )
        }
        rowKey={(d) => d.id}
        columns={[
          { key: 'type', header: t('operations.dead.event'), render: (d) => d.event_type },
          { key: 'consumer', header: t('operations.dead.consumer'), render: (d) => d.consumer },
          {
            key: 'attempts',
            header: t('operations.dead.attempts'),
            render: (d) => fmt.number(d.attempts),
            numeric: true,
          },
          { key: 'error', header: t('operations.dead.error'), render: (d) => d.last_error ?? '—' },
          {
            key: 'retry',
            header: '',
            render: (d) => (
              <button
                type="button"
                data-retry-dead={d.id}
                disabled={retry.isPending}
                onClick={() => retry.mutate(d.id)}
              >
                {t('operations.dead.retry')}
              </button>
            ),
          },
        ]}
      />
    </div>
  );
}
