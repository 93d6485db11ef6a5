import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable, ProblemView, SubmitButton, TextField } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** A connection's offers (what each SKU shows on the marketplace) and a form to publish SKUs there. */
export function OffersPanel({ connectionId }: { connectionId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [skus, setSkus] = useState('');
  const publish = useMutation({
    mutationFn: (list: string[]) =>
      unwrap(
        api.POST('/v1/marketplaces/connections/{id}/offers', {
          params: { path: { id: connectionId } },
          body: { skus: list },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['marketplaces', 'offers', connectionId] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    publish.mutate(
      skus
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
  };
  const refused = publish.data?.results.filter((r) => !r.ok) ?? [];
  return (
    <section data-testid="offers">
      <h3>{t('marketplaces.offers.title')}</h3>
      <form className="inline-form" onSubmit={submit} aria-label={t('marketplaces.offers.publish')}>
        <TextField
          label={t('marketplaces.offers.skus')}
          name="skus"
          value={skus}
          onChange={(e) => setSkus(e.target.value)}
          error={publish.error}
        />
        <SubmitButton pending={publish.isPending}>{t('marketplaces.offers.publish')}</SubmitButton>
      </form>
      <ProblemView error={publish.error} shownFields={['skus']} />
      {publish.data ? (
        <p role="status">
          {t('marketplaces.offers.published', {
            ok: publish.data.results.length - refused.length,
            refused: refused.length,
          })}
        </p>
      ) : null}
      <CursorTable
        queryKey={['marketplaces', 'offers', connectionId]}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/marketplaces/connections/{id}/offers', {
              params: { path: { id: connectionId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } },
            }),
          )
        }
        rowKey={(o) => o.sku}
        columns={[
          { key: 'sku', header: 'SKU', render: (o) => o.sku },
          {
            key: 'status',
            header: t('marketplaces.state'),
            render: (o) => t(`marketplaces.offers.statuses.${o.status}`, { defaultValue: o.status }),
          },
          {
            key: 'qty',
            header: t('marketplaces.offers.quantity'),
            render: (o) => fmt.number(o.published_quantity),
            numeric: true,
          },
          {
            key: 'price',
            header: t('marketplaces.offers.price'),
            render: (o) => (o.published_price === null ? '—' : fmt.number(o.published_price / 100)),
            numeric: true,
          },
          { key: 'at', header: t('marketplaces.offers.published_at'), render: (o) => fmt.dateTime(o.published_at) },
          {
            key: 'pending',
            header: t('marketplaces.pending_updates'),
            render: (o) => (o.pending_update ? t('common.yes') : '—'),
          },
          { key: 'message', header: t('marketplaces.offers.message'), render: (o) => o.message ?? '—' },
        ]}
      />
    </section>
  );
}
