import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, SubmitButton, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { useIdempotentMutation } from '../../../ui/idempotent';
import { receiptBody, remaining, type OpenTransferLine, type ReceiptBody, type ReceiptError } from './receipt';

/** What is on its way to this store, each transfer received in full, in part, or closed short with a reason. */
export function IncomingTransfers({ storeId }: { storeId: string }) {
  const { t } = useTranslation();
  const list = useQuery({
    queryKey: ['floor-transfers', storeId],
    queryFn: () => unwrap(api.GET('/v1/transfers', { params: { query: { status: 'open', limit: 20 } } })),
  });
  return (
    <section className="floor-card" aria-labelledby="incoming-title">
      <h2 id="incoming-title">{t('store_floor.transfers.title')}</h2>
      {list.isLoading ? <Spinner /> : null}
      <ProblemView error={list.error} />
      {list.data && list.data.items.length === 0 ? <p className="empty">{t('store_floor.transfers.none')}</p> : null}
      {list.data?.items.map((tr) => (
        <TransferReceipt key={tr.id} transfer={tr} />
      ))}
    </section>
  );
}

function TransferReceipt({
  transfer,
}: {
  transfer: { id: string; reference: string | null; created_at: string; status: string; lines: OpenTransferLine[] };
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [counted, setCounted] = useState<Record<string, string>>({});
  const [close, setClose] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ReceiptError[]>([]);
  const receive = useIdempotentMutation({
    op: (b: ReceiptBody) => `transfer:${transfer.id}:receive:${JSON.stringify(b)}`,
    send: (b: ReceiptBody, headers) =>
      unwrap(api.POST('/v1/transfers/{id}/receive', { params: { path: { id: transfer.id } }, body: b, headers })),
    onSuccess: async () => {
      setCounted({});
      await qc.invalidateQueries({ queryKey: ['floor-transfers'] });
      await qc.invalidateQueries({ queryKey: ['floor-lookup'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = receiptBody(transfer.lines, counted, close, reason);
    setErrors(r.errors);
    if (r.body) receive.mutate(r.body);
  };
  const errOf = (sku: string | null) => errors.find((x) => x.sku === sku);
  return (
    <form className="floor-transfer" data-transfer={transfer.id} onSubmit={submit}>
      <h3>
        {transfer.reference ?? transfer.id} <small>{fmt.dateTime(transfer.created_at)}</small>
      </h3>
      <table>
        <thead>
          <tr>
            <th>{t('store_floor.transfers.sku')}</th>
            <th className="num">{t('store_floor.transfers.expected')}</th>
            <th className="num">{t('store_floor.transfers.arrived')}</th>
          </tr>
        </thead>
        <tbody>
          {transfer.lines.map((l) => {
            const err = errOf(l.sku);
            return (
              <tr key={l.sku}>
                <td>{l.sku}</td>
                <td className="num">{fmt.number(remaining(l))}</td>
                <td className="num">
                  <input
                    name={`arrived-${l.sku}`}
                    inputMode="numeric"
                    size={4}
                    aria-label={`${t('store_floor.transfers.arrived')} ${l.sku}`}
                    aria-invalid={err ? true : undefined}
                    value={counted[l.sku] ?? String(remaining(l))}
                    onChange={(e) => setCounted({ ...counted, [l.sku]: e.target.value })}
                  />
                  {err ? <small className="field-error">{t(`store_floor.transfers.errors.${err.key}`)}</small> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="field inline">
        <input type="checkbox" name="close" checked={close} onChange={(e) => setClose(e.target.checked)} />
        <span>{t('store_floor.transfers.close')}</span>
      </label>
      {close ? (
        <label className={errOf(null) ? 'field invalid' : 'field'}>
          <span>{t('store_floor.transfers.reason')}</span>
          <input name="reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          {errOf(null) ? (
            <small className="field-error">{t('store_floor.transfers.errors.reason_required')}</small>
          ) : null}
        </label>
      ) : null}
      <SubmitButton pending={receive.isPending}>{t('store_floor.transfers.receive')}</SubmitButton>
      {receive.isSuccess ? <span role="status">{t('store_floor.transfers.received')}</span> : null}
      <ProblemView error={receive.error} />
    </form>
  );
}
