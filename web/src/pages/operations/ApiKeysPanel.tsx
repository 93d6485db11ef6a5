import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema';
import { Field, ProblemView, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { API_SCOPES, keysByChannel } from './operations-data';

type Scope = NonNullable<paths['/v1/api-keys']['post']['requestBody']>['content']['application/json']['scopes'];

/**
 * API keys per channel: list (never their secrets), create (the key is shown once, here), revoke.
 * A publishable key is public and has fixed rights; a secret key carries the scopes ticked.
 */
export function ApiKeysPanel({ channels }: { channels: { id: string; code: string; name: string }[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/v1/api-keys')) });
  const [channel, setChannel] = useState('');
  const [kind, setKind] = useState<'publishable' | 'secret'>('publishable');
  const [scopes, setScopes] = useState<string[]>([]);
  const [label, setLabel] = useState('');
  const [confirm, setConfirm] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/v1/api-keys', {
          body: {
            channel_id: channel,
            kind,
            ...(kind === 'secret' ? { scopes: scopes as Scope } : {}),
            ...(label.trim() ? { label: label.trim() } : {}),
          },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: async () => {
      setLabel('');
      setScopes([]);
      await qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      setConfirm(null);
      await qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const names = new Map(channels.map((c) => [c.id, c.name]));
  const groups = keysByChannel(keys.data?.items ?? [], channels);
  return (
    <div data-testid="api-keys">
      <form className="inline-form" onSubmit={submit} aria-label={t('operations.keys.create')}>
        <label className="field">
          <span>{t('operations.keys.channel')}</span>
          <select name="key_channel" value={channel} onChange={(e) => setChannel(e.target.value)}>
            <option value="">{t('common.choose')}</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('operations.keys.kind')}</span>
          <select name="key_kind" value={kind} onChange={(e) => setKind(e.target.value as 'publishable' | 'secret')}>
            <option value="publishable">{t('operations.keys.kinds.publishable')}</option>
            <option value="secret">{t('operations.keys.kinds.secret')}</option>
          </select>
        </label>
        <Field
          label={t('operations.keys.label')}
          name="label"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          error={create.error}
        />
        {kind === 'secret' ? (
          <fieldset className="field scopes">
            <legend>{t('operations.keys.scopes')}</legend>
            {API_SCOPES.map((s) => (
              <label key={s}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={s}
                  checked={scopes.includes(s)}
                  onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
                />{' '}
                <code>{s}</code>
              </label>
            ))}
          </fieldset>
        ) : null}
        <SubmitButton pending={create.isPending}>{t('operations.keys.create')}</SubmitButton>
      </form>
      <ProblemView error={create.error ?? revoke.error ?? keys.error} shownFields={['label']} />
      {create.data ? (
        <div className="secret-once" role="status" data-testid="new-key">
          <strong>{t('operations.keys.shown_once')}</strong> <code>{create.data.key}</code>
        </div>
      ) : null}
      {groups.map((g) => (
        <div key={g.channel_id} data-channel={g.channel_id}>
          <h3>{names.get(g.channel_id) ?? g.channel_id}</h3>
          <Table
            rows={g.keys}
            rowKey={(k) => k.id}
            columns={[
              {
                key: 'kind',
                header: t('operations.keys.kind'),
                render: (k) => t(`operations.keys.kinds.${k.kind}`, { defaultValue: k.kind }),
              },
              { key: 'label', header: t('operations.keys.label'), render: (k) => k.label ?? '—' },
              {
                key: 'scopes',
                header: t('operations.keys.scopes'),
                render: (k) => (k.scopes.length ? k.scopes.join(', ') : '—'),
              },
              { key: 'created', header: t('operations.keys.created'), render: (k) => fmt.dateTime(k.created_at) },
              {
                key: 'state',
                header: t('operations.keys.state'),
                render: (k) =>
                  k.revoked_at ? (
                    t('operations.keys.revoked_at', { at: fmt.dateTime(k.revoked_at) })
                  ) : confirm === k.id ? (
                    <button
                      type="button"
                      className="danger"
                      data-revoke-confirm={k.id}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(k.id)}
                    >
                      {t('operations.keys.confirm_revoke')}
                    </button>
                  ) : (
                    <button type="button" data-revoke={k.id} onClick={() => setConfirm(k.id)}>
                      {t('operations.keys.revoke')}
                    </button>
                  ),
              },
            ]}
          />
        </div>
      ))}
    </div>
  );
}
