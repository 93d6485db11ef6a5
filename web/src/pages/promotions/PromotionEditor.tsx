import { useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton, TextField, problemOf } from '../../ui/components';
import { fieldError, unplacedErrors } from '../../ui/problem';
import { useDebounced } from '../../ui/hooks';
import {
  amountField,
  emptyForm,
  fieldsFor,
  fromPromotion,
  KINDS,
  toBody,
  toPatchBody,
  type Kind,
  type PromotionForm,
} from './promotion-form';

export interface EditedPromotion {
  id: string;
  name: string;
  kind: string;
  status: string;
  params: Record<string, unknown>;
  scope: Record<string, unknown>;
  conditions: Record<string, unknown>;
  coupon_required: boolean;
  starts_at: string | null;
  ends_at: string | null;
}

/** The fields the form shows next to their inputs; other errors go under the form. */
const SHOWN = [
  'name',
  'kind',
  'status',
  'params.percent',
  'params.get_percent',
  'params.amount',
  'params.threshold',
  'params.buy',
  'params.get',
  'params.tiers',
  'params.bundle',
  'scope.categories',
  'scope.skus',
  'starts_at',
  'ends_at',
];

/**
 * Create or edit a promotion of any kind. As the user types, the form is checked by the API itself
 * (`?dry_run=true`, debounced): its field errors show next to the fields before anything is saved.
 */
export function PromotionEditor({
  channels,
  editing,
  onDone,
}: {
  channels: { id: string; code: string; name: string }[];
  editing: EditedPromotion | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const codes = useMemo(() => new Map(channels.map((c) => [c.id, c.code])), [channels]);
  const [form, setForm] = useState<PromotionForm>(() => (editing ? fromPromotion(editing, codes) : emptyForm()));
  const [dirty, setDirty] = useState(false);
  const body = useMemo(() => (editing ? toPatchBody(form) : toBody(form)), [form, editing]);
  const settled = useDebounced(JSON.stringify(body), 400);

  const save = useMutation({
    mutationFn: () => {
      const headers = { 'idempotency-key': crypto.randomUUID() };
      return editing
        ? unwrap(
            api.PATCH('/v1/promotions/{id}', {
              params: { path: { id: editing.id } },
              body: body as never,
              headers,
            }),
          )
        : unwrap(api.POST('/v1/promotions', { body: body as never, headers }));
    },
    onSuccess: async () => {
      setDirty(false);
      if (!editing) setForm(emptyForm());
      await qc.invalidateQueries({ queryKey: ['promotions'] });
      onDone();
    },
  });
  // Live validation: nothing is written; the same checks as saving (fields, references, overlaps).
  const check = useQuery({
    queryKey: ['promotion-check', editing?.id ?? 'new', settled],
    enabled: dirty && settled === JSON.stringify(body),
    retry: false,
    staleTime: Infinity,
    queryFn: () =>
      editing
        ? unwrap(
            api.PATCH('/v1/promotions/{id}', {
              params: { path: { id: editing.id }, query: { dry_run: true } },
              body: JSON.parse(settled) as never,
            }),
          )
        : unwrap(
            api.POST('/v1/promotions', { params: { query: { dry_run: true } }, body: JSON.parse(settled) as never }),
          ),
  });

  const set = <K extends keyof PromotionForm>(k: K, v: PromotionForm[K]) => {
    save.reset();
    setDirty(true);
    setForm((f) => ({ ...f, [k]: v }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  // A failed save shows its own errors until the user types again; then the live check speaks.
  const error = save.error ?? (dirty ? check.error : null);
  const uses = fieldsFor(form.kind);
  const liveLeft = unplacedErrors(problemOf(check.error), SHOWN);
  const label = editing ? t('promotions.edit', { name: editing.name }) : t('promotions.create');
  const liveState = !dirty
    ? 'idle'
    : check.isFetching
      ? 'checking'
      : check.isError
        ? 'errors'
        : check.isSuccess
          ? 'ok'
          : 'idle';
  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label={label}>
        <Field
          label={t('promotions.name')}
          name="name"
          value={form.name}
          onChange={(e) => set('name', e.target.value)}
          error={error}
        />
        <label className="field">
          <span>{t('promotions.kind')}</span>
          <select
            name="kind"
            value={form.kind}
            disabled={!!editing}
            onChange={(e) => set('kind', e.target.value as Kind)}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`promotions.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('promotions.status')}</span>
          <select
            name="status"
            value={form.status}
            onChange={(e) => set('status', e.target.value as 'active' | 'inactive')}
          >
            <option value="active">{t('promotions.statuses.active')}</option>
            <option value="inactive">{t('promotions.statuses.inactive')}</option>
          </select>
        </label>
        {uses.includes('buy') ? (
          <Field
            label={t('promotions.buy')}
            name="params.buy"
            inputMode="numeric"
            value={form.buy}
            onChange={(e) => set('buy', e.target.value)}
            error={error}
          />
        ) : null}
        {uses.includes('get') ? (
          <Field
            label={t('promotions.get')}
            name="params.get"
            inputMode="numeric"
            value={form.get}
            onChange={(e) => set('get', e.target.value)}
            error={error}
          />
        ) : null}
        {uses.includes('percent') ? (
          <Field
            label={t('promotions.percent')}
            name={form.kind === 'buy_x_get_y' ? 'params.get_percent' : 'params.percent'}
            inputMode="decimal"
            value={form.percent}
            onChange={(e) => set('percent', e.target.value)}
            error={error}
          />
        ) : null}
        {uses.includes('tiers') ? (
          <TextField
            label={t('promotions.tiers')}
            name="params.tiers"
            nested
            value={form.tiers}
            onChange={(e) => set('tiers', e.target.value)}
            error={error}
          />
        ) : null}
        {uses.includes('components') ? (
          <TextField
            label={t('promotions.components')}
            name="params.bundle.components"
            nested
            value={form.components}
            onChange={(e) => set('components', e.target.value)}
            error={error}
          />
        ) : null}
        {uses.includes('amount') ? (
          <Field
            label={
              form.kind === 'free_shipping'
                ? t('promotions.threshold')
                : form.kind === 'bundle_price'
                  ? t('promotions.bundle_price')
                  : t('promotions.amount')
            }
            name={amountField(form.kind)}
            inputMode="decimal"
            value={form.amount}
            onChange={(e) => set('amount', e.target.value)}
            error={error}
          />
        ) : null}
        <Field
          label={t('promotions.categories')}
          name="scope.categories"
          nested
          value={form.categories}
          onChange={(e) => set('categories', e.target.value)}
          error={error}
        />
        <Field
          label={t('promotions.skus')}
          name="scope.skus"
          nested
          value={form.skus}
          onChange={(e) => set('skus', e.target.value)}
          error={error}
        />
        <fieldset className="field">
          <legend>{t('promotions.channels')}</legend>
          {channels.map((c, i) => (
            <label
              key={c.id}
              className={fieldError(problemOf(error), `conditions.channels.${i}`) ? 'invalid' : undefined}
            >
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
          error={error}
        />
        <Field
          label={t('promotions.ends_at')}
          name="ends_at"
          type="datetime-local"
          value={form.ends_at}
          onChange={(e) => set('ends_at', e.target.value)}
          error={error}
        />
        <SubmitButton pending={save.isPending}>{editing ? t('promotions.update') : t('promotions.save')}</SubmitButton>
        {editing ? (
          <button type="button" onClick={onDone}>
            {t('promotions.close')}
          </button>
        ) : null}
        {save.isSuccess ? <span role="status">{t('common.saved')}</span> : null}
        <span className={`live-check ${liveState}`} data-testid="live-check" data-state={liveState}>
          {liveState === 'checking' ? t('promotions.live.checking') : null}
          {liveState === 'ok' ? t('promotions.live.ok') : null}
          {liveState === 'errors' ? t('promotions.live.errors') : null}
        </span>
      </form>
      {!save.error && liveLeft.length ? (
        <ul className="problem hint">
          {liveLeft.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <ProblemView error={save.error} shownFields={SHOWN} />
    </>
  );
}
