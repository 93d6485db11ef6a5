import { lazy, Suspense, useMemo, useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, Spinner, SubmitButton, Table } from '../../ui/components';
import { useFormat } from '../../ui/hooks';
import { useLocations } from '../catalog/ProductPage';
import { useChannels } from '../promotions/PromotionsPage';
import { mapPoints, startOfToday, tasksPerLocation, type MapMeasure } from './network-data';

// echarts and the map's geodata load only with this page.
const NetworkMap = lazy(() => import('./NetworkMap'));

interface Channel {
  id: string;
  code: string;
  name: string;
  type: string;
  stock_policy: { locations: 'all' | string[]; safety_stock: number; buffer_pct: number };
}

/**
 * A channel's stock policy, editable: which locations' stock it sells (all, or those ticked), safety
 * stock and buffer; the API refuses what is out of range.
 */
function PolicyForm({ channel, locations }: { channel: Channel; locations: { id: string; name: string }[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [safety, setSafety] = useState(String(channel.stock_policy.safety_stock));
  const [buffer, setBuffer] = useState(String(channel.stock_policy.buffer_pct));
  const [chosen, setChosen] = useState<'all' | string[]>(channel.stock_policy.locations);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/v1/channels/{id}', {
          params: { path: { id: channel.id } },
          body: { stock_policy: { locations: chosen, safety_stock: Number(safety), buffer_pct: Number(buffer) } },
          headers: { 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['channels'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label={channel.code}>
      <details className="field">
        <summary>
          {chosen === 'all' ? t('network.all_locations') : t('network.n_locations', { n: chosen.length })}
        </summary>
        <label>
          <input
            type="checkbox"
            name="stock_policy.all"
            checked={chosen === 'all'}
            onChange={(e) => setChosen(e.target.checked ? 'all' : [])}
          />{' '}
          {t('network.all_locations')}
        </label>
        {chosen === 'all'
          ? null
          : locations.map((l) => (
              <label key={l.id}>
                <input
                  type="checkbox"
                  name="stock_policy.locations"
                  value={l.id}
                  checked={chosen.includes(l.id)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, l.id] : chosen.filter((x) => x !== l.id))}
                />{' '}
                {l.name}
              </label>
            ))}
      </details>
      <Field
        label={t('network.safety_stock')}
        name="stock_policy.safety_stock"
        inputMode="numeric"
        value={safety}
        onChange={(e) => setSafety(e.target.value)}
        error={save.error}
      />
      <Field
        label={t('network.buffer_pct')}
        name="stock_policy.buffer_pct"
        inputMode="numeric"
        value={buffer}
        onChange={(e) => setBuffer(e.target.value)}
        error={save.error}
      />
      <SubmitButton pending={save.isPending}>{t('common.save')}</SubmitButton>
      {save.isSuccess ? <span role="status">{t('common.saved')}</span> : null}
      <ProblemView error={save.error} shownFields={['stock_policy.safety_stock', 'stock_policy.buffer_pct']} />
    </form>
  );
}

/** Today's fulfillment tasks of every location (the first 500: enough to colour a map by load). */
export function useTodaysTasks(locationId?: string) {
  return useQuery({
    queryKey: ['fulfillments', 'today', locationId ?? 'all'],
    queryFn: () =>
      unwrap(
        api.GET('/v1/fulfillments', {
          params: {
            query: { created_from: startOfToday(), limit: 500, ...(locationId ? { location_id: locationId } : {}) },
          },
        }),
      ),
    refetchInterval: 60_000,
  });
}

export default function NetworkPage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const channels = useChannels();
  const locations = useLocations();
  const [measure, setMeasure] = useState<MapMeasure>('stock_value');
  const value = useQuery({
    queryKey: ['inventory-value'],
    queryFn: () => unwrap(api.GET('/v1/inventory-value/locations')),
  });
  const today = useTodaysTasks();
  const points = useMemo(
    () =>
      mapPoints(
        locations.data?.items ?? [],
        measure,
        {
          value: new Map((value.data?.items ?? []).map((v) => [v.location_id, v.value])),
          tasks: tasksPerLocation(today.data?.items ?? []),
        },
        { money: (m) => fmt.money({ amount: m, currency: value.data?.currency ?? 'EUR' }), percent: fmt.percent },
      ),
    // fmt is rebuilt every render; the language (fmt.locale) is what changes it
    [locations.data, measure, value.data, today.data, fmt.locale],
  );
  return (
    <section>
      <h1>{t('network.title')}</h1>
      <fieldset className="inline-form switch" aria-label={t('network.colour_by')}>
        <legend>{t('network.colour_by')}</legend>
        {(['stock_value', 'capacity_use'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name="map_measure" value={m} checked={measure === m} onChange={() => setMeasure(m)} />{' '}
            {t(`network.measures.${m}`)}
          </label>
        ))}
      </fieldset>
      <ProblemView error={value.error ?? today.error} />
      <Suspense fallback={<Spinner />}>
        <NetworkMap points={points} measure={measure} legend={t(`network.measures.${measure}`)} />
      </Suspense>
      <h2>{t('network.channels')}</h2>
      {channels.isPending ? <Spinner /> : null}
      <ProblemView error={channels.error} />
      <Table
        rows={(channels.data?.items ?? []) as Channel[]}
        rowKey={(c) => c.id}
        columns={[
          { key: 'name', header: t('catalog.name'), render: (c) => c.name },
          { key: 'type', header: t('network.type'), render: (c) => t(`network.channel_types.${c.type}`) },
          {
            key: 'locations',
            header: t('network.stock_from'),
            render: (c) =>
              c.stock_policy.locations === 'all'
                ? t('network.all_locations')
                : t('network.n_locations', { n: fmt.number(c.stock_policy.locations.length) }),
          },
          {
            key: 'policy',
            header: t('network.stock_policy'),
            render: (c) => <PolicyForm channel={c} locations={locations.data?.items ?? []} />,
          },
        ]}
      />
      <h2>{t('network.locations')}</h2>
      {locations.isPending ? <Spinner /> : null}
      <ProblemView error={locations.error} />
      <Table
        rows={locations.data?.items ?? []}
        rowKey={(l) => l.id}
        columns={[
          { key: 'name', header: t('catalog.name'), render: (l) => l.name },
          { key: 'type', header: t('network.type'), render: (l) => t(`network.location_types.${l.type}`) },
          {
            key: 'caps',
            header: t('network.capabilities'),
            render: (l) => l.capabilities.map((c) => t(`network.caps.${c}`)).join(', '),
          },
          {
            key: 'cap',
            header: t('network.daily_capacity'),
            render: (l) => fmt.number(l.daily_capacity),
            numeric: true,
          },
          { key: 'where', header: t('network.coordinates'), render: (l) => `${l.lat.toFixed(3)}, ${l.lng.toFixed(3)}` },
        ]}
      />
    </section>
  );
}
