import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { ProblemView, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { actionsFor, groupBySize, promiseClass, slipAvailable, type SheetLine } from './queue';
import { useResend, useSheet, useTaskAction } from './useTask';
import { PickPanel } from './PickPanel';
import { RejectPanel, type Resourced } from './RejectPanel';
import { HandoverForm, PackForm, ShipForm } from './ActionForms';
import { PackingSlip } from './PackingSlip';
import './queue.css';

/** One task: what to pick (by size), the promise, and the next step. One API call to render. */
export default function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const fmt = useFormat();
  const here = useSession()?.user.location_id ?? null;
  const sheet = useSheet(id);
  const [resourced, setResourced] = useState<Resourced | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const act = useTaskAction(id, (answer) => {
    if (answer.resourced?.length) setResourced(answer.resourced);
  });
  const resend = useResend(id);

  if (sheet.isPending) return <Spinner />;
  if (sheet.isError) return <ProblemView error={sheet.error} />;
  const s = sheet.data;
  const task = s.task;
  const actions = actionsFor(task, here);
  const lines = s.lines as SheetLine[];

  return (
    <div className="store-task" data-task={task.id} data-status={task.status}>
      <p className="sq-back">
        <Link to="/store">← {t('store_queue.back')}</Link>
      </p>
      <div className="sq-task-head">
        <h1>{task.order_id}</h1>
        <span className={`sq-badge ${task.method}`}>{t(`store_queue.method.${task.method}`)}</span>
        <span className="sq-status" data-status={task.status}>
          {t(`store_queue.status.${task.status}`)}
        </span>
        {s.gift ? <span className="sq-gift">{t('store_queue.gift')}</span> : null}
      </div>
      {s.promise ? (
        <p className={promiseClass(s.promise)} data-late={s.promise.late ? 'true' : 'false'}>
          {t(`store_queue.promise.${s.promise.kind}`, { when: fmt.dateTime(s.promise.due) })}
          {s.promise.late ? ` · ${t('store_queue.late')}` : ''}
        </p>
      ) : null}
      {s.destination_name ? (
        <p className="sq-route">{t('store_queue.collect_at', { place: s.destination_name })}</p>
      ) : null}

      {resourced ? <ResourcedView resourced={resourced} /> : null}
      <ProblemView error={act.error} />

      {actions.includes('pick') ? (
        <PickPanel taskId={task.id} lines={lines} pending={act.isPending} onPick={(body) => act.mutate(body)} />
      ) : (
        <section className="sq-card-block" aria-labelledby="pick-list">
          <h2 id="pick-list">{t('store_queue.pick_list')}</h2>
          <PickList lines={lines} />
        </section>
      )}

      <div className="sq-actions">
        {actions.includes('accept') ? (
          <button
            type="button"
            data-action="accept"
            disabled={act.isPending}
            onClick={() => act.mutate({ action: 'accept' })}
          >
            {t('store_queue.action.accept')}
          </button>
        ) : null}
        {actions.includes('reject') && !rejecting ? (
          <button type="button" className="secondary" data-action="reject" onClick={() => setRejecting(true)}>
            {t('store_queue.action.reject')}
          </button>
        ) : null}
        {actions.includes('ready') ? (
          <button
            type="button"
            data-action="ready"
            disabled={act.isPending}
            onClick={() => act.mutate({ action: 'ready' })}
          >
            {t('store_queue.action.ready')}
          </button>
        ) : null}
        {actions.includes('resend') ? (
          <button
            type="button"
            className="secondary"
            data-action="resend"
            disabled={resend.isPending}
            onClick={() => resend.mutate(s.pickup_notified_at ?? 'first')}
          >
            {t('store_queue.action.resend')}
          </button>
        ) : null}
      </div>
      {resend.isSuccess ? <p className="sq-ok">{t('store_queue.resent')}</p> : null}
      <ProblemView error={resend.error} />
      {s.pickup_notified_at ? (
        <p className="sq-note">{t('store_queue.notified_at', { when: fmt.dateTime(s.pickup_notified_at) })}</p>
      ) : null}

      {rejecting && actions.includes('reject') ? (
        <RejectPanel
          lines={lines}
          pending={act.isPending}
          onCancel={() => setRejecting(false)}
          onReject={(body) => act.mutate(body, { onSuccess: () => setRejecting(false) })}
        />
      ) : null}
      {actions.includes('pack') ? <PackForm pending={act.isPending} onPack={(body) => act.mutate(body)} /> : null}
      {actions.includes('ship') ? (
        <ShipForm needsTracking={task.method === 'home'} pending={act.isPending} onShip={(body) => act.mutate(body)} />
      ) : null}
      {actions.includes('handover') ? (
        <HandoverForm locked={task.pickup_locked} pending={act.isPending} onHandover={(body) => act.mutate(body)} />
      ) : null}

      {slipAvailable(task.status) ? <PackingSlip sheet={s} /> : null}

      {s.elsewhere.length ? (
        <section className="sq-card-block" aria-labelledby="elsewhere">
          <h2 id="elsewhere">{t('store_queue.elsewhere')}</h2>
          <ul className="sq-elsewhere">
            {s.elsewhere.map((e) => (
              <li key={e.id} data-elsewhere={e.location_name ?? e.location_id} data-status={e.status}>
                <strong>{e.location_name ?? e.location_id}</strong> · {t(`store_queue.status.${e.status}`)} ·{' '}
                {e.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}
                {e.reject_reason ? ` · ${e.reject_reason}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

function PickList({ lines }: { lines: SheetLine[] }) {
  const { t } = useTranslation();
  return (
    <div className="sq-picklist">
      {groupBySize(lines).map((g) => (
        <div key={g.size ?? '-'} className="sq-size-group">
          <h3>{g.size ? t('store_queue.size', { size: g.size }) : t('store_queue.no_size')}</h3>
          {g.lines.map((l) => (
            <div key={l.line_id} className="sq-line">
              <span>
                {l.quantity} × {l.product_name ?? l.sku}
              </span>
              <small>
                {l.sku}
                {l.gtin ? ` · ${l.gtin}` : ''}
              </small>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

/** Where the refused or missing lines went (the reject answer). */
function ResourcedView({ resourced }: { resourced: Resourced }) {
  const { t } = useTranslation();
  return (
    <section className="sq-resourced" role="status" aria-labelledby="resourced">
      <h2 id="resourced">{t('store_queue.resourced')}</h2>
      <ul>
        {resourced.flatMap((r) =>
          r.tasks.map((x) => (
            <li key={x.id} data-resourced-to={x.location_name ?? x.location_id}>
              {t('store_queue.resourced_to', {
                place: x.location_name ?? x.location_id,
                lines: x.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', '),
              })}
            </li>
          )),
        )}
        {resourced.flatMap((r) =>
          r.unsourced.map((l) => (
            <li key={`u-${l.line_id}`} className="late">
              {t('store_queue.unsourced', { lines: `${l.quantity} × ${l.sku}` })}
            </li>
          )),
        )}
      </ul>
    </section>
  );
}
