import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { wholeNumber } from './queue';
import type { ActionBody } from './useTask';

/** Pack: how many parcels and what they weigh (the label and the slip need them). */
export function PackForm({ pending, onPack }: { pending: boolean; onPack: (b: ActionBody) => void }) {
  const { t } = useTranslation();
  const [parcels, setParcels] = useState('1');
  const [weight, setWeight] = useState('');
  const [bad, setBad] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const p = wholeNumber(parcels);
    const w = wholeNumber(weight);
    if (p !== undefined && (Number.isNaN(p) || p < 1 || p > 99)) return setBad('parcels');
    if (w !== undefined && (Number.isNaN(w) || w < 1)) return setBad('weight_g');
    setBad(null);
    onPack({ action: 'pack', ...(p ? { parcels: p } : {}), ...(w ? { weight_g: w } : {}) });
  };
  return (
    <form className="sq-card-block sq-form" onSubmit={submit}>
      <h2>{t('store_queue.pack.title')}</h2>
      <label className={bad === 'parcels' ? 'field invalid' : 'field'}>
        <span>{t('store_queue.pack.parcels')}</span>
        <input name="parcels" inputMode="numeric" value={parcels} onChange={(e) => setParcels(e.target.value)} />
      </label>
      <label className={bad === 'weight_g' ? 'field invalid' : 'field'}>
        <span>{t('store_queue.pack.weight')}</span>
        <input name="weight_g" inputMode="numeric" value={weight} onChange={(e) => setWeight(e.target.value)} />
      </label>
      {bad ? <small className="field-error">{t('store_queue.whole_number')}</small> : null}
      <button type="submit" data-action="pack" disabled={pending}>
        {t('store_queue.action.pack')}
      </button>
    </form>
  );
}

/** Ship: the carrier and the tracking number (a home delivery needs one). */
export function ShipForm({
  needsTracking,
  pending,
  onShip,
}: {
  needsTracking: boolean;
  pending: boolean;
  onShip: (b: ActionBody) => void;
}) {
  const { t } = useTranslation();
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onShip({
      action: 'ship',
      ...(carrier.trim() ? { carrier: carrier.trim() } : {}),
      ...(tracking.trim() ? { tracking: tracking.trim() } : {}),
    });
  };
  return (
    <form className="sq-card-block sq-form" onSubmit={submit}>
      <h2>{t('store_queue.ship.title')}</h2>
      <label className="field">
        <span>{t('store_queue.ship.carrier')}</span>
        <input name="carrier" value={carrier} maxLength={64} onChange={(e) => setCarrier(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('store_queue.ship.tracking')}</span>
        <input
          name="tracking"
          value={tracking}
          maxLength={128}
          required={needsTracking}
          onChange={(e) => setTracking(e.target.value)}
        />
      </label>
      <button type="submit" data-action="ship" disabled={pending}>
        {t('store_queue.action.ship')}
      </button>
    </form>
  );
}

/** Handover: only with the code the customer was sent. */
export function HandoverForm({
  locked,
  pending,
  onHandover,
}: {
  locked: boolean;
  pending: boolean;
  onHandover: (b: ActionBody) => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.trim()) onHandover({ action: 'handover', pickup_code: code.trim() });
  };
  return (
    <form className="sq-card-block sq-form" onSubmit={submit}>
      <h2>{t('store_queue.handover.title')}</h2>
      {locked ? <p className="late">{t('store_queue.handover.locked')}</p> : null}
      <label className="field">
        <span>{t('store_queue.handover.code')}</span>
        <input
          name="pickup_code"
          inputMode="numeric"
          autoComplete="off"
          value={code}
          maxLength={32}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      <button type="submit" data-action="handover" disabled={pending || locked || !code.trim()}>
        {t('store_queue.action.handover')}
      </button>
    </form>
  );
}
