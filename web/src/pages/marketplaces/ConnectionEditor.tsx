import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, Spinner, SubmitButton } from '../../ui/components';
import {
  connectableChannels,
  createBody,
  emptyForm,
  formOf,
  missingCredentials,
  patchBody,
  type ConnectionForm,
} from './marketplaces-data';
import { OffersPanel } from './OffersPanel';
import { useChannels, useConnections, useProviders } from './useMarketplaces';

/**
 * Connect a marketplace channel, or change a connection. Credentials are write-only: the API shows
 * which names are stored, never a value, and a blank field keeps what is stored (typing any replaces
 * the whole set, as the API does).
 */
export default function ConnectionEditor() {
  const { id } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const connections = useConnections();
  const providers = useProviders();
  const channels = useChannels();
  const current = id ? connections.data?.find((c) => c.id === id) : undefined;
  const [form, setForm] = useState<ConnectionForm | null>(null);
  const [missing, setMissing] = useState<string[]>([]);

  useEffect(() => {
    if (form) return;
    if (id && current) setForm(formOf(current));
    else if (!id && providers.data) setForm(emptyForm(providers.data[0]));
  }, [form, id, current, providers.data]);

  const save = useMutation({
    mutationFn: async (f: ConnectionForm) => {
      const headers = { 'idempotency-key': crypto.randomUUID() };
      if (current)
        return unwrap(
          api.PATCH('/v1/marketplaces/connections/{id}', {
            params: { path: { id: current.id } },
            body: patchBody(f, current),
            headers,
          }),
        );
      return unwrap(api.POST('/v1/marketplaces/connections', { body: createBody(f), headers }));
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: ['marketplaces'] });
      setForm({ ...formOf(saved) });
      if (!current) void navigate(`/marketplaces/connections/${saved.id}`);
    },
  });

  if (connections.isPending || providers.isPending) return <Spinner />;
  if (id && !current) return <ProblemView error={connections.error ?? new Error(t('marketplaces.not_found'))} />;
  if (!form) return <Spinner />;
  const provider = providers.data?.find((p) => p.provider === form.provider);
  const set = (patch: Partial<ConnectionForm>) => setForm({ ...form, ...patch });
  const extraSettings = Object.keys(form.settings).filter((k) => !provider?.settings.some((s) => s.name === k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const m = missingCredentials(form, provider, Boolean(current));
    setMissing(m);
    if (m.length === 0) save.mutate(form);
  };
  const channelName = (cid: string) => channels.data?.find((c) => c.id === cid)?.name ?? cid;
  return (
    <div data-testid="connection-editor">
      <h2>
        {current
          ? t('marketplaces.edit_title', { channel: channelName(current.channel_id) })
          : t('marketplaces.connect')}
      </h2>
      <form className="connection-form" onSubmit={submit} aria-label={t('marketplaces.connection')}>
        {current ? null : (
          <>
            <label className="field">
              <span>{t('marketplaces.channel')}</span>
              <select name="channel" value={form.channel} onChange={(e) => set({ channel: e.target.value })}>
                <option value="">{t('common.choose')}</option>
                {connectableChannels(channels.data ?? [], connections.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.code})
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('marketplaces.provider')}</span>
              <select
                name="provider"
                value={form.provider}
                onChange={(e) => {
                  const p = providers.data?.find((x) => x.provider === e.target.value);
                  set({ provider: e.target.value, base_url: p?.default_base_url ?? '', credentials: {}, settings: {} });
                }}
              >
                {providers.data?.map((p) => (
                  <option key={p.provider} value={p.provider}>
                    {p.provider}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <Field
          label={t('marketplaces.base_url')}
          name="base_url"
          value={form.base_url}
          onChange={(e) => set({ base_url: e.target.value })}
          error={save.error}
        />
        <fieldset className="field">
          <legend>{t('marketplaces.credentials')}</legend>
          <p className="hint">
            {current
              ? t('marketplaces.credentials_stored', { names: current.credential_names.join(', ') || '—' })
              : t('marketplaces.credentials_hint')}
          </p>
          {(provider?.credentials ?? []).map((n) => (
            <Field
              key={n}
              label={n}
              name={`credential_${n}`}
              type="password"
              autoComplete="off"
              placeholder={current ? t('marketplaces.unchanged') : ''}
              value={form.credentials[n] ?? ''}
              onChange={(e) => set({ credentials: { ...form.credentials, [n]: e.target.value } })}
            />
          ))}
          {missing.length ? (
            <small className="field-error" data-field-error="credentials">
              {t('marketplaces.credentials_missing', { names: missing.join(', ') })}
            </small>
          ) : null}
        </fieldset>
        <fieldset className="field">
          <legend>{t('marketplaces.settings')}</legend>
          {[...(provider?.settings ?? []).map((s) => s.name), ...extraSettings].map((n) => (
            <Field
              key={n}
              label={provider?.settings.find((s) => s.name === n)?.required ? `${n} *` : n}
              name={`settings/${n}`}
              value={form.settings[n] ?? ''}
              onChange={(e) => set({ settings: { ...form.settings, [n]: e.target.value } })}
              error={save.error}
            />
          ))}
        </fieldset>
        <Field
          label={t('marketplaces.feed_interval')}
          name="feed_interval_s"
          inputMode="numeric"
          value={form.feed_interval_s}
          onChange={(e) => set({ feed_interval_s: e.target.value })}
          error={save.error}
        />
        <Field
          label={t('marketplaces.orders_interval')}
          name="orders_interval_s"
          inputMode="numeric"
          value={form.orders_interval_s}
          onChange={(e) => set({ orders_interval_s: e.target.value })}
          error={save.error}
        />
        {current ? (
          <label className="field">
            <span>{t('marketplaces.active')}</span>
            <input
              type="checkbox"
              name="active"
              checked={form.active}
              onChange={(e) => set({ active: e.target.checked })}
            />
          </label>
        ) : null}
        <SubmitButton pending={save.isPending}>{t('common.save')}</SubmitButton>
      </form>
      <ProblemView
        error={save.error}
        shownFields={[
          'base_url',
          'feed_interval_s',
          'orders_interval_s',
          ...Object.keys(form.settings).map((k) => `settings/${k}`),
        ]}
      />
      {save.isSuccess ? (
        <p role="status" data-testid="connection-saved">
          {t('common.saved')}
        </p>
      ) : null}
      {current ? <OffersPanel connectionId={current.id} /> : null}
    </div>
  );
}
