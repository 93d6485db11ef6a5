import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { consentSource } from './agent-data';
import { idempotency, type Desk360 } from './agent-hooks';

const PURPOSES = ['marketing_email', 'marketing_sms', 'marketing_push', 'personalisation', 'analytics'] as const;
type Purpose = (typeof PURPOSES)[number];

/** Consents with source and time; a change needs the agent's reason, which becomes the recorded source. */
export default function ConsentsPanel({
  customerId,
  consents,
}: {
  customerId: string;
  consents: Desk360['profile']['consents'];
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [purpose, setPurpose] = useState<Purpose>('marketing_email');
  const [granted, setGranted] = useState(false);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState(false);
  const change = useMutation({
    mutationFn: (source: string) =>
      unwrap(
        api.PUT('/v1/customers/{id}/consents', {
          params: { path: { id: customerId } },
          headers: idempotency(),
          body: { consents: [{ purpose, granted }], source },
        }),
      ),
    onSuccess: async () => {
      setReason('');
      await qc.invalidateQueries({ queryKey: ['agent', '360', customerId] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const source = consentSource(reason);
    setMissing(!source);
    if (source) change.mutate(source);
  };
  const byPurpose = new Map(consents.map((c) => [c.purpose, c]));
  return (
    <div>
      <h2>{t('agent.consents.title')}</h2>
      <Table
        rows={PURPOSES.map((p) => ({ purpose: p, c: byPurpose.get(p) }))}
        rowKey={(r) => r.purpose}
        columns={[
          { key: 'p', header: t('agent.consents.purpose'), render: (r) => t(`agent.purpose.${r.purpose}`) },
          {
            key: 'g',
            header: t('agent.consents.answer'),
            render: (r) => (
              <span data-consent={`${r.purpose}:${r.c ? String(r.c.granted) : 'none'}`}>
                {r.c
                  ? r.c.granted
                    ? t('agent.consents.granted')
                    : t('agent.consents.withdrawn')
                  : t('agent.consents.none')}
              </span>
            ),
          },
          { key: 's', header: t('agent.c360.source'), render: (r) => r.c?.source ?? '—' },
          { key: 'at', header: t('agent.c360.when'), render: (r) => fmt.dateTime(r.c?.updated_at) },
        ]}
      />
      <form className="inline-form" onSubmit={submit} aria-label={t('agent.consents.change')}>
        <label className="field">
          <span>{t('agent.consents.purpose')}</span>
          <select name="purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t(`agent.purpose.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('agent.consents.answer')}</span>
          <select name="granted" value={String(granted)} onChange={(e) => setGranted(e.target.value === 'true')}>
            <option value="true">{t('agent.consents.granted')}</option>
            <option value="false">{t('agent.consents.withdrawn')}</option>
          </select>
        </label>
        <Field
          label={t('agent.consents.reason')}
          name="consent_reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={missing || undefined}
        />
        <SubmitButton pending={change.isPending}>{t('agent.consents.change')}</SubmitButton>
      </form>
      {missing ? (
        <p className="field-error" role="alert">
          {t('agent.consents.reason_needed')}
        </p>
      ) : null}
      <ProblemView error={change.error} />
    </div>
  );
}
