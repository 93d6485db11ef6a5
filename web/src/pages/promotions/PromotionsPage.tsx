import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable, Field, ProblemView, SubmitButton, problemOf } from '../../ui/components';
import { fieldError } from '../../ui/problem';
import { useFormat } from '../../ui/hooks';
import { emptyForm, fieldsFor, KINDS, toBody, type Kind, type PromotionForm } from './promotion-form';
import { QuoteSandbox } from './QuoteSandbox';

export function useChannels() {
  return useQuery({
    queryKey: ['channels'],
    queryFn: () => unwrap(api.GET('/v1/channels', { params: { query: { limit: 100 } } })),
    staleTime: 300_000,
  });
}

export default function PromotionsPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const channels = useChannels();
  const [form, setForm] = useState<PromotionForm>(emptyForm);
  const set = <K extends keyof PromotionForm>(k: K, v: PromotionForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/promotions', {
          body: toBody(form) as never,
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: async () => {
      setForm(emptyForm());
      await qc.invalidateQueries({ queryKey: ['promotions'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const uses = fieldsFor(form.kind);
  const err = problemOf(create.error);
  const shown = [
    'name',
    'kind',
    'params.percent',
    'params.get_percent',
    'params.amount',
    'params.threshold',
    'params.buy',
    'params.get',
    'scope.categories',
    'scope.skus',
  ];
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
        ]}
      />
      <h2>{t('promotions.create')}</h2>
      <form className="inline-form" onSubmit={submit} aria-label={t('promotions.create')}>
        <Field
          label={t('promotions.name')}
          name="name"
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          error={create.error}
        />
        <label className="field">
          <span>{t('promotions.kind')}</span>
          <select name="kind" value={form.kind} onChange={(e) => set('kind', e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`promotions.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {uses.includes('buy') ? (
          <Field
            label={t('promotions.buy')}
            name="params.buy"
            inputMode="numeric"
            value={form.buy}
            onChange={(e) => set('buy', e.target.value)}
            error={create.error}
          />
        ) : null}
        {uses.includes('get') ? (
          <Field
            label={t('promotions.get')}
            name="params.get"
            inputMode="numeric"
            value={form.get}
            onChange={(e) => set('get', e.target.value)}
            error={create.error}
          />
        ) : null}
        {uses.includes('percent') ? (
          <Field
            label={t('promotions.percent')}
            name={form.kind === 'buy_x_get_y' ? 'params.get_percent' : 'params.percent'}
            inputMode="decimal"
            value={form.percent}
            onChange={(e) => set('percent', e.target.value)}
            error={create.error}
          />
        ) : null}
        {uses.includes('amount') ? (
          <Field
            label={form.kind === 'free_shipping' ? t('promotions.threshold') : t('promotions.amount')}
            name={form.kind === 'free_shipping' ? 'params.threshold' : 'params.amount'}
            inputMode="decimal"
            value={form.amount}
            onChange={(e) => set('amount', e.target.value)}
            error={create.error}
          />
        ) : null}
        <Field
          label={t('promotions.categories')}
          name="scope.categories"
          value={form.categories}
          onChange={(e) => set('categories', e.target.value)}
          error={create.error}
        />
        <Field
          label={t('promotions.skus')}
          name="scope.skus"
          value={form.skus}
          onChange={(e) => set('skus', e.target.value)}
          error={create.error}
        />
        <fieldset className="field">
          <legend>{t('promotions.channels')}</legend>
          {(channels.data?.items ?? []).map((c, i) => (
            <label key={c.id} className={fieldError(err, `conditions.channels.${i}`) ? 'invalid' : undefined}>
              <input
                type="checkbox"
                name="channels"
                value={c.code}
                checked={form.channels.includes(c.code)}
                onChange={(e) =>
                  set(
                    'channels',
                    e.target.checked ? [...form.channels, c.code] : form.channels.filter((x) => x !== c.code),
                  )
                }
              />{' '}
              {c.name}
            </label>
          ))}
        </fieldset>
        <label className="field">
          <span>{t('promotions.coupon_required')}</span>
          <input
            type="checkbox"
            name="coupon_required"
            checked={form.coupon_required}
            onChange={(e) => set('coupon_required', e.target.checked)}
          />
        </label>
        <Field
          label={t('promotions.starts_at')}
          name="starts_at"
          type="datetime-local"
          value={form.starts_at}
          onChange={(e) => set('starts_at', e.target.value)}
          error={create.error}
        />
        <Field
          label={t('promotions.ends_at')}
          name="ends_at"
          type="datetime-local"
          value={form.ends_at}
          onChange={(e) => set('ends_at', e.target.value)}
          error={create.error}
        />
        <SubmitButton pending={create.isPending}>{t('promotions.save')}</SubmitButton>
        {create.isSuccess ? <span role="status">{t('common.saved')}</span> : null}
      </form>
      <ProblemView error={create.error} shownFields={shown} />
      <h2>{t('promotions.sandbox.title')}</h2>
      <QuoteSandbox channels={channels.data?.items ?? []} />
    </section>
  );
}
