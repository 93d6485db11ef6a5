import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, SubmitButton, TextField } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { idempotency, type Desk360 } from './agent-hooks';

/** Notes on the profile: kept, exported and erased with the person. */
export default function NotesPanel({ customerId, notes }: { customerId: string; notes: Desk360['notes'] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [body, setBody] = useState('');
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/customers/{id}/notes', {
          params: { path: { id: customerId } },
          headers: idempotency(),
          body: { body },
        }),
      ),
    onSuccess: async () => {
      setBody('');
      await qc.invalidateQueries({ queryKey: ['agent', '360', customerId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <div data-testid="notes">
      <h2>{t('agent.notes.title')}</h2>
      <form onSubmit={submit} aria-label={t('agent.notes.add')}>
        <TextField
          label={t('agent.notes.body')}
          name="body"
          value={body}
          error={add.error}
          onChange={(e) => setBody(e.target.value)}
          maxLength={2000}
        />
        <SubmitButton pending={add.isPending}>{t('agent.notes.add')}</SubmitButton>
      </form>
      <ProblemView error={add.error} shownFields={['body']} />
      {notes.length === 0 ? <p className="empty">{t('agent.notes.none')}</p> : null}
      <ul className="notes">
        {notes.map((n) => (
          <li key={n.id}>
            <p>{n.body}</p>
            <small>
              {fmt.dateTime(n.created_at)} · {n.author}
            </small>
          </li>
        ))}
      </ul>
    </div>
  );
}
