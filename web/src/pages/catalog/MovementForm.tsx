import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton, problemOf } from '../../ui/components';
import { fieldError } from '../../ui/problem';

const TYPES = ['receipt', 'count', 'adjustment', 'damage'] as const;
type MovementType = (typeof TYPES)[number];

/** Manual receipt, count, adjustment or damage with a reason. */
export function MovementForm({ sku, locations }: { sku: string; locations: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [type, setType] = useState<MovementType>('count');
  const [location, setLocation] = useState('');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/inventory/movements', {
          // The API refuses what is not a whole number; the form does not round it for it.
          body: { sku, location_id: location, type, quantity: Number(quantity), ...(reason ? { reason } : {}) },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: async () => {
      setQuantity('');
      setReason('');
      await qc.invalidateQueries({ queryKey: ['stock'] });
      await qc.invalidateQueries({ queryKey: ['ledger', sku] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const locErr = fieldError(problemOf(save.error), 'location_id');
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('catalog.movement.form')}>
      <label className="field">
        <span>{t('catalog.movement.type')}</span>
        <select name="type" value={type} onChange={(e) => setType(e.target.value as MovementType)}>
          {TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`catalog.movement.types.${ty}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={locErr ? 'field invalid' : 'field'}>
        <span>{t('catalog.location')}</span>
        <select name="location_id" value={location} onChange={(e) => setLocation(e.target.value)}>
          <option value="">{t('common.choose')}</option>
          {locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
        {locErr ? <small className="field-error">{locErr}</small> : null}
      </label>
      <Field
        label={t('catalog.movement.quantity')}
        name="quantity"
        inputMode="numeric"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        error={save.error}
      />
      <Field
        label={t('catalog.movement.reason')}
        name="reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={save.error}
      />
      <SubmitButton pending={save.isPending}>{t('common.save')}</SubmitButton>
      {save.isSuccess ? <span role="status">{t('common.saved')}</span> : null}
      <ProblemView error={save.error} shownFields={['location_id', 'quantity', 'reason']} />
    </form>
  );
}
