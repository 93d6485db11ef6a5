import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { Field, ProblemView, SubmitButton } from '../../../ui/components';
import { useIdempotentMutation } from '../../../ui/idempotent';

/** A shelf count: the absolute figure counted, posted as a `count` movement at this store. */
export function CountForm({ sku, locationId, onDone }: { sku: string; locationId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [quantity, setQuantity] = useState('');
  const save = useIdempotentMutation({
    // One key per count typed: a double tap sends the same count once.
    op: (n: number) => `count:${locationId}:${sku}:${n}`,
    send: (n: number, headers) =>
      unwrap(
        api.POST('/v1/inventory/movements', {
          body: { sku, location_id: locationId, type: 'count', quantity: n, reason: t('store_floor.count.reason') },
          headers,
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['floor-lookup'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Sent as typed: the API refuses what is not a whole number (never rounded here).
    save.mutate(quantity.trim() === '' ? NaN : Number(quantity));
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={t('store_floor.count.title')}>
      <Field
        label={t('store_floor.count.counted')}
        name="quantity"
        inputMode="numeric"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        error={save.error}
      />
      <SubmitButton pending={save.isPending}>{t('store_floor.count.save')}</SubmitButton>
      <ProblemView error={save.error} shownFields={['quantity']} />
    </form>
  );
}
