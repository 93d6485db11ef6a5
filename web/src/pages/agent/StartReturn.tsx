import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton } from '../../ui/components';
import { phoneReturnBody, type OrderView } from './agent-data';
import { idempotency } from './agent-hooks';

/** Start a return for some units of an order: a carrier drop-off whose return code is the prepaid label's reference. */
export default function StartReturn({
  order,
  channelId,
  customerId,
}: {
  order: OrderView;
  channelId: string;
  customerId: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [qty, setQty] = useState<Record<string, number>>({});
  const [reason, setReason] = useState('');
  const [refund, setRefund] = useState<'original' | 'store_credit'>('original');
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/returns', {
          headers: idempotency(),
          body: phoneReturnBody(
            order.id,
            channelId,
            order.lines.map((l) => ({ line_id: l.line_id, quantity: qty[l.line_id] ?? 0 })),
            reason,
            refund,
          ),
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['agent', '360', customerId] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate();
  };
  if (start.data)
    return (
      <p className="notice" data-testid="return-started" data-code={start.data.return_code ?? ''}>
        {t('agent.returns.started', { code: start.data.return_code ?? start.data.id })}
      </p>
    );
  return (
    <form className="return-form" onSubmit={submit} aria-label={t('agent.returns.start')} data-testid="start-return">
      <h3>{t('agent.returns.start_for', { id: order.id })}</h3>
      {order.lines.map((l) => (
        <label key={l.line_id} className="field">
          <span>
            {l.sku} ({t('agent.returns.of', { n: l.quantity })})
          </span>
          <input
            type="number"
            name={`qty-${l.line_id}`}
            min={0}
            max={l.quantity}
            value={qty[l.line_id] ?? 0}
            onChange={(e) => setQty({ ...qty, [l.line_id]: Math.max(0, Math.trunc(Number(e.target.value) || 0)) })}
          />
        </label>
      ))}
      <Field
        label={t('agent.returns.reason')}
        name="return_reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <label className="field">
        <span>{t('agent.returns.refund_to')}</span>
        <select name="refund" value={refund} onChange={(e) => setRefund(e.target.value as 'original' | 'store_credit')}>
          <option value="original">{t('agent.returns.original')}</option>
          <option value="store_credit">{t('agent.returns.store_credit')}</option>
        </select>
      </label>
      <SubmitButton pending={start.isPending}>{t('agent.returns.start')}</SubmitButton>
      <ProblemView error={start.error} />
    </form>
  );
}
