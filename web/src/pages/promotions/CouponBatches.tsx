import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** Saves text as a file through a temporary object URL (the API needs the bearer token, a plain link has none). */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A promotion's batches of single-use codes: generate one, see each batch's use, download it as CSV. */
export function CouponBatches({ promotionId }: { promotionId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [count, setCount] = useState('100');
  const [prefix, setPrefix] = useState('');
  const batches = useQuery({
    queryKey: ['promotions', promotionId, 'batches'],
    queryFn: () => unwrap(api.GET('/v1/promotions/{id}/coupon-batches', { params: { path: { id: promotionId } } })),
  });
  const generate = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/promotions/{id}/coupons', {
          params: { path: { id: promotionId } },
          body: {
            kind: 'single_use',
            count: Number(count),
            ...(prefix.trim() ? { prefix: prefix.trim().toUpperCase() } : {}),
          },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['promotions', promotionId, 'batches'] }),
  });
  const csv = useMutation({
    mutationFn: async (batchId: string) => {
      const text = await unwrap(
        api.GET('/v1/promotions/{id}/coupon-batches/{batch_id}/codes', {
          params: { path: { id: promotionId, batch_id: batchId } },
          parseAs: 'text',
        }),
      );
      download(String(text), `coupons-${batchId}.csv`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    generate.mutate();
  };
  return (
    <div data-testid="coupon-batches">
      <h3>{t('promotions.coupons.title')}</h3>
      <form className="inline-form" onSubmit={submit} aria-label={t('promotions.coupons.generate')}>
        <Field
          label={t('promotions.coupons.count')}
          name="count"
          inputMode="numeric"
          value={count}
          onChange={(e) => setCount(e.target.value)}
          error={generate.error}
        />
        <Field
          label={t('promotions.coupons.prefix')}
          name="prefix"
          value={prefix}
          onChange={(e) => setPrefix(e.target.value)}
          error={generate.error}
        />
        <SubmitButton pending={generate.isPending}>{t('promotions.coupons.generate')}</SubmitButton>
      </form>
      <ProblemView error={generate.error ?? batches.error ?? csv.error} shownFields={['count', 'prefix']} />
      <Table
        rows={batches.data?.items ?? []}
        rowKey={(b) => b.batch_id}
        columns={[
          { key: 'at', header: t('promotions.coupons.created'), render: (b) => fmt.dateTime(b.created_at) },
          { key: 'count', header: t('promotions.coupons.codes'), render: (b) => fmt.number(b.count), numeric: true },
          {
            key: 'used',
            header: t('promotions.coupons.redeemed'),
            render: (b) => fmt.number(b.redeemed),
            numeric: true,
          },
          {
            key: 'csv',
            header: t('promotions.coupons.download'),
            render: (b) => (
              <button
                type="button"
                data-batch={b.batch_id}
                disabled={csv.isPending}
                aria-busy={csv.isPending && csv.variables === b.batch_id}
                onClick={() => csv.mutate(b.batch_id)}
              >
                {t('promotions.coupons.csv')}
              </button>
            ),
          },
        ]}
      />
    </div>
  );
}
