import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { CouponBatches } from './CouponBatches';
import { PromotionEditor, type EditedPromotion } from './PromotionEditor';
import { QuoteSandbox } from './QuoteSandbox';

export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
}

/** Promotions: the list, a form that creates or edits any kind (checked live by the API), coupon batches, the sandbox. */
export default function PromotionsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const channels = useChannels();
  const [editing, setEditing] = useState<EditedPromotion | null>(null);
  const list = channels.data?.items ?? [];
  return (
    <section>
      <h1>{t('promotions.title')}</h1>
      <CursorTable
        queryKey={['promotions']}
        fetchPage={(cursor) =>
          unwrap(api.GET('/v1/promotions', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }))
        }
        rowKey={(p) => p.id}
        columns={[
          { key: 'name', header: t('promotions.name'), render: (p) => p.name },
          { key: 'kind', header: t('promotions.kind'), render: (p) => t(`promotions.kinds.${p.kind}`) },
          { key: 'status', header: t('promotions.status'), render: (p) => t(`promotions.statuses.${p.status}`) },
          { key: 'starts', header: t('promotions.starts_at'), render: (p) => fmt.dateTime(p.starts_at) },
          { key: 'ends', header: t('promotions.ends_at'), render: (p) => fmt.dateTime(p.ends_at) },
          {
            key: 'edit',
            header: '',
            render: (p) => (
              <button type="button" data-edit={p.id} onClick={() => setEditing(p)}>
                {t('promotions.edit_button')}
              </button>
            ),
          },
        ]}
      />
      {editing ? (
        <>
          <h2>{t('promotions.edit', { name: editing.name })}</h2>
          {/* keyed by id: another promotion starts a fresh form */}
          <PromotionEditor key={editing.id} channels={list} editing={editing} onDone={() => setEditing(null)} />
          <CouponBatches promotionId={editing.id} />
        </>
      ) : (
        <>
          <h2>{t('promotions.create')}</h2>
          <PromotionEditor key="new" channels={list} editing={null} onDone={() => undefined} />
        </>
      )}
      <h2>{t('promotions.sandbox.title')}</h2>
      <QuoteSandbox channels={list} />
    </section>
  );
}
