import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../../api/client';
import { ProblemView, Spinner, Table } from '../../../ui/components';
import { useFormat } from '../../../ui/hooks';

/**
 * The person's referrals on their 360: what their code brought (and the referral that brought them),
 * with why a refused one was refused. Loaded on request, so the 360 still renders in its five calls;
 * the code too (asking for it makes one the first time, and merely looking should not).
 */
export default function ReferralsPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [open, setOpen] = useState(false);
  const [showCode, setShowCode] = useState(false);
  const list = useQuery({
    queryKey: ['agent', 'referrals', customerId],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/referrals', { params: { path: { id: customerId } } })),
    enabled: open,
  });
  const code = useQuery({
    queryKey: ['agent', 'referral-code', customerId],
    queryFn: () => unwrap(api.GET('/v1/customers/{id}/referral', { params: { path: { id: customerId } } })),
    enabled: showCode,
  });
  return (
    <div data-testid="referrals">
      <h2>{t('referrals.title')}</h2>
      {!open ? (
        <button type="button" data-action="show-referrals" onClick={() => setOpen(true)}>
          {t('referrals.show')}
        </button>
      ) : showCode ? (
        <>
          {code.isPending ? <Spinner /> : null}
          <ProblemView error={code.error} />
          {code.data ? (
            <p data-testid="referral-code">
              {t('referrals.code')}: <code>{code.data.code}</code> ·{' '}
              <a href={code.data.link} target="_blank" rel="noreferrer">
                {t('referrals.link')}
              </a>{' '}
              · {t('referrals.earns', { amount: fmt.money(code.data.reward) })}
            </p>
          ) : null}
        </>
      ) : (
        <button type="button" data-action="show-code" onClick={() => setShowCode(true)}>
          {t('referrals.show_code')}
        </button>
      )}
      {open && list.isPending ? <Spinner /> : null}
      <ProblemView error={list.error} />
      {list.data ? (
        list.data.items.length === 0 ? (
          <p>{t('referrals.none')}</p>
        ) : (
          <Table
            rows={list.data.items}
            rowKey={(r) => r.id}
            columns={[
              { key: 'at', header: t('referrals.when'), render: (r) => fmt.dateTime(r.created_at) },
              {
                key: 'role',
                header: t('referrals.role'),
                render: (r) => t(r.referrer_id === customerId ? 'referrals.as_referrer' : 'referrals.as_friend'),
              },
              { key: 'order', header: t('referrals.order'), render: (r) => <code>{r.order_id}</code> },
              {
                key: 'status',
                header: t('referrals.status'),
                render: (r) =>
                  `${t(`referrals.statuses.${r.status}`)}${r.reason ? ` — ${t(`referrals.reasons.${r.reason}`)}` : ''}`,
              },
              { key: 'reward', header: t('referrals.reward'), render: (r) => fmt.money(r.reward) },
            ]}
          />
        )
      ) : null}
    </div>
  );
}
