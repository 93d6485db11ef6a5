import { Link, useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, Spinner } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';
import { KINDS, TABS, kindOf, promiseClass, tabOf } from './queue';
import './queue.css';

/** The store's work queue: Open / Ready / Completed, ship from store or click & collect. One API call. */
export default function QueuePage() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [params, setParams] = useSearchParams();
  const tab = tabOf(params.get('tab'));
  const kind = kindOf(params.get('kind'));
  // One page renders the screen; "More" reads the next with the API's cursor.
  const q = useInfiniteQuery({
    queryKey: ['store-queue', tab, kind],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/fulfillments/queue', {
          params: {
            query: { tab, limit: 30, ...(kind === 'all' ? {} : { kind }), ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: 30_000,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (k: 'tab' | 'kind', v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };

  return (
    <div className="store-queue">
      <div className="sq-tabs" role="tablist" aria-label={t('store_queue.tabs_label')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            aria-selected={tab === x}
            className={tab === x ? 'active' : undefined}
            data-tab={x}
            onClick={() => set('tab', x)}
          >
            {t(`store_queue.tab.${x}`)}
          </button>
        ))}
      </div>
      <div className="sq-kinds" role="radiogroup" aria-label={t('store_queue.kinds_label')}>
        {KINDS.map((x) => (
          <button
            key={x}
            type="button"
            role="radio"
            aria-checked={kind === x}
            className={kind === x ? 'active' : undefined}
            data-kind={x}
            onClick={() => set('kind', x)}
          >
            {t(`store_queue.kind.${x}`)}
          </button>
        ))}
      </div>
      {q.isPending ? <Spinner /> : null}
      <ProblemView error={q.error} />
      {q.data && items.length === 0 ? <p className="empty">{t('store_queue.empty')}</p> : null}
      <ul className="sq-list">
        {items.map((f) => (
          <li key={f.id} className="sq-card" data-task={f.id} data-order={f.order_id} data-status={f.status}>
            <Link to={`/store/tasks/${f.id}`}>
              <div className="sq-card-head">
                <strong>{f.order_id}</strong>
                <span className={`sq-badge ${f.method}`}>{t(`store_queue.method.${f.method}`)}</span>
              </div>
              <div className="sq-card-body">
                <span>{t(`store_queue.status.${f.status}`)}</span>
                <span>{t('store_queue.units', { count: f.units })}</span>
                {f.gift ? <span className="sq-gift">{t('store_queue.gift')}</span> : null}
              </div>
              {f.promise ? (
                <div className={promiseClass(f.promise)} data-late={f.promise.late ? 'true' : 'false'}>
                  {t(`store_queue.promise.${f.promise.kind}`, { when: fmt.dateTime(f.promise.due) })}
                  {f.promise.late ? ` · ${t('store_queue.late')}` : ''}
                </div>
              ) : null}
              {f.destination_name && f.destination_location_id !== f.location_id ? (
                <div className="sq-route">
                  {f.location_name} → {f.destination_name}
                </div>
              ) : null}
              {f.reject_reason ? <div className="sq-reason">{f.reject_reason}</div> : null}
            </Link>
          </li>
        ))}
      </ul>
      {q.hasNextPage ? (
        <button
          type="button"
          className="secondary"
          disabled={q.isFetchingNextPage}
          onClick={() => void q.fetchNextPage()}
        >
          {t('store_queue.more')}
        </button>
      ) : null}
    </div>
  );
}
