import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable } from '../../ui/components';
import { useFormat } from '../../ui/hooks';

/** The movement ledger of one SKU, newest first. */
export function Ledger({ sku, names }: { sku: string; names: Map<string, string> }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div data-testid="ledger">
      <CursorTable
        key={sku}
        queryKey={['ledger', sku]}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/inventory/{sku}/movements', {
              params: { path: { sku }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
            }),
          )
        }
        rowKey={(m) => String(m.id)}
        columns={[
          { key: 'at', header: t('catalog.when'), render: (m) => fmt.dateTime(m.created_at) },
          { key: 'loc', header: t('catalog.location'), render: (m) => names.get(m.location_id) ?? m.location_id },
          { key: 'type', header: t('catalog.movement.type'), render: (m) => t(`catalog.movement.types.${m.type}`) },
          { key: 'qty', header: t('catalog.movement.quantity'), render: (m) => fmt.number(m.quantity), numeric: true },
          {
            key: 'after',
            header: t('catalog.on_hand_after'),
            render: (m) => fmt.number(m.on_hand_after),
            numeric: true,
          },
          { key: 'reason', header: t('catalog.movement.reason'), render: (m) => m.reason ?? '—' },
        ]}
      />
    </div>
  );
}
