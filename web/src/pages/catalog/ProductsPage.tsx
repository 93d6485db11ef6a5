import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { CursorTable } from '../../ui/components';
import { useDebounced } from '../../ui/hooks';

/** Products: text search (name, brand, code, SKU, GTIN: the API's `q`) and a category filter, cursor-paged. */
export default function ProductsPage() {
  const { t } = useTranslation();
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  // One request when typing pauses, not one per key.
  const q = useDebounced(text.trim(), 300);
  const cat = useDebounced(category.trim(), 300);
  return (
    <section>
      <div className="page-head">
        <h1>{t('catalog.products')}</h1>
        <Link to="/catalog/import" className="button">
          {t('catalog.import.title')}
        </Link>
      </div>
      <div className="inline-form" role="search">
        <label className="field inline">
          <span>{t('catalog.search')}</span>
          <input
            name="q"
            type="search"
            placeholder={t('catalog.search_hint')}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field inline">
          <span>{t('catalog.category')}</span>
          <input name="category" value={category} onChange={(e) => setCategory(e.target.value)} />
        </label>
      </div>
      <CursorTable
        key={`${q}|${cat}`}
        queryKey={['products', q, cat]}
        fetchPage={(cursor) =>
          unwrap(
            api.GET('/v1/products', {
              params: {
                query: {
                  limit: 25,
                  ...(cursor ? { cursor } : {}),
                  ...(cat ? { category: cat } : {}),
                  ...(q ? { q } : {}),
                },
              },
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
