import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ProblemView, Spinner, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { stars, type QueueItem, type ReviewStatus } from './reviews-data';

/**
 * The moderation queue (issue 19): pending reviews oldest first — product, stars, text, size feedback,
 * the verified-purchase badge and the channel it was bought in — approved in one click or rejected with
 * a reason. The approved and rejected ones are a filter away. One API call per view.
 */
export default function ReviewsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [status, setStatus] = useState<ReviewStatus>('pending');
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const queue = useQuery({
    queryKey: ['reviews', status],
    queryFn: () => unwrap(api.GET('/v1/reviews', { params: { query: { status, limit: 100 } } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['reviews'] });
  const approve = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/reviews/{id}/approve', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const reject = useMutation({
    mutationFn: (v: { id: string; reason: string }) =>
      unwrap(api.POST('/v1/reviews/{id}/reject', { params: { path: { id: v.id } }, body: { reason: v.reason } })),
    onSuccess: refresh,
  });
  const columns = [
    {
      key: 'product',
      header: t('reviews.product'),
      render: (r: QueueItem) => (
        <>
          <strong>{r.product_name ?? r.product_id}</strong>
          {r.sku ? <div className="hint">{r.sku}</div> : null}
        </>
      ),
    },
    {
      key: 'rating',
      header: t('reviews.rating'),
      render: (r: QueueItem) => (
        <span aria-label={t('reviews.stars', { count: r.rating })} title={String(r.rating)}>
          {stars(r.rating)}
        </span>
      ),
    },
    {
      key: 'text',
      header: t('reviews.text'),
      render: (r: QueueItem) => (
        <>
          {r.title ? <strong>{r.title}</strong> : null}
          <div>{r.text ?? <em>{t('reviews.erased')}</em>}</div>
          <div className="hint">
            {r.author_name ?? t('reviews.anonymous')} · {fmt.dateTime(r.created_at)}
          </div>
        </>
      ),
    },
    {
      key: 'size',
      header: t('reviews.size'),
      render: (r: QueueItem) => (r.size_feedback ? t(`reviews.fit.${r.size_feedback}`) : '—'),
    },
    {
      key: 'verified',
      header: t('reviews.verified'),
      render: (r: QueueItem) =>
        r.verified_purchase ? (
          <span className="ok" data-verified="true">
            {t('reviews.verified_in', { channel: t(`reviews.channels.${r.verified_channel_type ?? 'other'}`) })}
          </span>
        ) : (
          <span className="hint">{t('reviews.not_verified')}</span>
        ),
    },
    {
      key: 'decision',
      header: status === 'pending' ? t('reviews.decide') : t('reviews.decision'),
      render: (r: QueueItem) =>
        r.status === 'pending' ? (
          <div className="decision" data-review={r.id}>
            <button type="button" onClick={() => approve.mutate(r.id)} disabled={approve.isPending}>
              {t('reviews.approve')}
            </button>
            <input
              name="reason"
              aria-label={t('reviews.reason')}
              placeholder={t('reviews.reason')}
              value={reasons[r.id] ?? ''}
              onChange={(e) => setReasons({ ...reasons, [r.id]: e.target.value })}
            />
            <button
              type="button"
              className="danger"
              disabled={reject.isPending}
              onClick={() => reject.mutate({ id: r.id, reason: reasons[r.id] ?? '' })}
            >
              {t('reviews.reject')}
            </button>
          </div>
        ) : (
          <>
            <div>{t(`reviews.statuses.${r.status}`)}</div>
            {r.reject_reason ? <div className="hint">{r.reject_reason}</div> : null}
          </>
        ),
    },
  ];
  return (
    <section className="reviews">
      <div className="page-head">
        <h1>{t('reviews.title')}</h1>
      </div>
      <p className="lead">{t('reviews.intro')}</p>
      <div className="filters">
        <label className="field">
          <span>{t('reviews.status')}</span>
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value as ReviewStatus)}>
            {(['pending', 'approved', 'rejected'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`reviews.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ProblemView error={queue.error ?? approve.error ?? reject.error} />
      {queue.isLoading ? <Spinner /> : <Table rows={queue.data?.items ?? []} columns={columns} rowKey={(r) => r.id} />}
    </section>
  );
}
