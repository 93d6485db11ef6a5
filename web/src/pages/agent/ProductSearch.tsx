import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, SubmitButton } from '../../ui/components';

/**
 * Find a product by name, SKU or GTIN and pick one: the agent's order page and the chat's cart
 * builder both start this way (the picked product's sizes are the caller's).
 */
export default function ProductSearch({
  limit,
  productId,
  onPick,
}: {
  limit: number;
  productId: string | null;
  onPick: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const products = useMutation({
    mutationFn: (text: string) => unwrap(api.GET('/v1/products', { params: { query: { q: text, limit } } })),
  });
  return (
    <>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (q.trim()) products.mutate(q.trim());
        }}
      >
        <Field
          label={t('agent.order.find_product')}
          name="product_query"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <SubmitButton pending={products.isPending}>{t('agent.search.find')}</SubmitButton>
      </form>
      <ProblemView error={products.error} />
      {products.data ? (
        <ul className="pick-list" data-testid="products">
          {products.data.items.map((p) => (
            <li key={p.id}>
              <button type="button" onClick={() => onPick(p.id)} aria-pressed={p.id === productId}>
                {p.name} <small>{p.code}</small>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
