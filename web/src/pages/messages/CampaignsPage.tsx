import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { campaignBody, skippedRows } from './messages-data';

/**
 * Coupon campaigns: the create form (segment, promotion, offer, cap), and every campaign with its
 * results — sent, and skipped per reason. Renders with 3 API calls (campaigns, segments, promotions).
 */
export default function CampaignsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const campaigns = useQuery({
    queryKey: ['messages', 'campaigns'],
    queryFn: () => unwrap(api.GET('/v1/campaigns', { params: { query: { limit: 50 } } })),
  });
  const segments = useQuery({ queryKey: ['messages', 'segments'], queryFn: () => unwrap(api.GET('/v1/segments')) });
  const promotions = useQuery({
    queryKey: ['messages', 'promotions'],
    queryFn: () => unwrap(api.GET('/v1/promotions', { params: { query: { limit: 100 } } })),
  });
  const refresh = () => void qc.invalidateQueries({ queryKey: ['messages', 'campaigns'] });
  const create = useMutation({
    mutationFn: (f: Record<string, string>) => unwrap(api.POST('/v1/campaigns', { body: campaignBody(f) })),
    onSuccess: refresh,
  });
  const send = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/v1/campaigns/{id}/send', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  return (
    <>
      <h1>{t('msg.campaigns')}</h1>
      <p className="lead">{t('msg.campaigns_intro')}</p>
      <form
        className="campaign-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>);
        }}
      >
        <Field label={t('msg.name')} name="name" required error={create.error} />
        <label className="field">
          <span>{t('msg.segment')}</span>
          <select name="segment_id" required>
            {(segments.data?.items ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('msg.promotion')}</span>
          <select name="promotion_id" required>
            {(promotions.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <Field label={t('msg.offer')} name="offer" placeholder={t('msg.offer_hint')} error={create.error} />
        <Field
          label={t('msg.cap_max')}
          name="cap_max"
          inputMode="numeric"
          placeholder="2"
          error={create.error}
          nested
        />
        <Field
          label={t('msg.cap_days')}
          name="cap_days"
          inputMode="numeric"
          placeholder="7"
          error={create.error}
          nested
        />
        <SubmitButton pending={create.isPending}>{t('msg.create')}</SubmitButton>
      </form>
      <ProblemView error={create.error ?? send.error ?? campaigns.error} shownFields={['name', 'offer']} />
      <Table
        rows={campaigns.data?.items ?? []}
        rowKey={(c) => c.id}
        columns={[
          { key: 'name', header: t('msg.name'), render: (c) => c.name },
          { key: 'status', header: t('msg.status'), render: (c) => t(`msg.statuses.${c.status}`) },
          {
            key: 'cap',
            header: t('msg.cap'),
            render: (c) => t('msg.cap_text', { max: c.frequency_cap.max, days: c.frequency_cap.days }),
          },
          { key: 'sent_at', header: t('msg.sent_at'), render: (c) => (c.sent_at ? fmt.dateTime(c.sent_at) : '—') },
          { key: 'sent', header: t('msg.sent'), numeric: true, render: (c) => fmt.number(c.results.sent) },
          {
            key: 'skipped',
            header: t('msg.skipped'),
            render: (c) =>
              skippedRows(c.results)
                .map(([key, n]) => `${t(`msg.skip.${key}`)}: ${fmt.number(n)}`)
                .join(' · ') || '—',
          },
          {
            key: 'action',
            header: '',
            render: (c) =>
              c.status === 'draft' ? (
                <button type="button" disabled={send.isPending} onClick={() => send.mutate(c.id)}>
                  {t('msg.send')}
                </button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
