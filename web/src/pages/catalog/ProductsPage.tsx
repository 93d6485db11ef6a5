import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable } from '../../ui/components';

export default function ProductsPage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState('');
  return (
    <section>
      <div className="page-head">
        <h1>{t('catalog.products')}</h1>
        <Link to="/catalog/import" className="button">
          {t('catalog.import.title')}
        </Link>
      </div>
      <label className="field inline">
        <span>{t('catalog.category')}</span>
        <input name="category" value={category} onChange={(e) => setCategory(e.target.value.trim())} />
      </label>
      <CursorTable
        key={category}
        queryKey={['products', category]}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/products', {
              params: { query: { limit: 25, ...(cursor ? { cursor } : {}), ...(category ? { category } : {}) } },
            }),
          )
        }
        rowKey={(p) => p.id}
        columns={[
          {
            key: 'code',
            header: t('catalog.code'),
            render: (p) => <Link to={`/catalog/products/${p.id}`}>{p.code}</Link>,
          },
          { key: 'name', header: t('catalog.name'), render: (p) => p.name },
          { key: 'brand', header: t('catalog.brand'), render: (p) => p.brand },
          { key: 'category', header: t('catalog.category'), render: (p) => p.category },
          { key: 'variants', header: t('catalog.variants'), render: (p) => p.variant_count, numeric: true },
        ]}
      />
    </section>
  );
}
