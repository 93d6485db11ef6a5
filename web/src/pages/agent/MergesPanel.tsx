import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { idempotency, type Desk360 } from './agent-hooks';

/** The identity merges with their evidence (why, and what the absorbed profile held), and an undo. */
export default function MergesPanel({ view }: { view: Desk360 }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const undo = useMutation({
    mutationFn: (absorbedId: string) =>
      unwrap(api.POST('/v1/customers/{id}/unmerge', { params: { path: { id: absorbedId } }, headers: idempotency() })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agent'] }),
  });
  return (
    <div data-testid="merges">
      <h2>{t('agent.merges.title')}</h2>
      <Table
        rows={view.merges}
        rowKey={(m) => m.id}
        columns={[
          { key: 'at', header: t('agent.c360.when'), render: (m) => fmt.dateTime(m.created_at) },
          {
            key: 'who',
            header: t('agent.merges.absorbed'),
            render: (m) =>
              `${[m.absorbed.first_name, m.absorbed.last_name].filter(Boolean).join(' ') || m.absorbed_id}`,
          },
          {
            key: 'evidence',
            header: t('agent.merges.evidence'),
            render: (m) => (
              <>
                <div>{m.reason}</div>
                <small>{m.absorbed.identifiers.map((i) => `${i.kind}: ${i.value}`).join(' · ') || '—'}</small>
              </>
            ),
          },
          {
            key: 'state',
            header: t('agent.merges.state'),
            render: (m) =>
              m.undone_at ? (
                <span data-merge="undone">{t('agent.merges.undone', { at: fmt.dateTime(m.undone_at) })}</span>
              ) : m.survivor_id === view.profile.id ? (
                <button
                  type="button"
                  data-merge="active"
                  disabled={undo.isPending}
                  aria-busy={undo.isPending}
                  onClick={() => {
                    if (window.confirm(t('agent.merges.confirm'))) undo.mutate(m.absorbed_id);
                  }}
                >
                  {t('agent.merges.undo')}
                </button>
              ) : (
                t('agent.merges.active')
              ),
          },
        ]}
      />
      <ProblemView error={undo.error} />
    </div>
  );
}
