import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { Field, ProblemView, Spinner, SubmitButton, Table } from '../../ui/components';

/** Find a person by e-mail, phone as the customer says it, card, order number or name. One API call. */
export default function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const [typed, setTyped] = useState(query);
  const result = useQuery({
    queryKey: ['agent', 'search', query],
    queryFn: () => unwrap(api.GET('/v1/customers', { params: { query: { query } } })),
    enabled: query.trim().length > 0,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(typed.trim() ? { q: typed.trim() } : {});
  };
  return (
    <section>
      <h1>{t('agent.search.title')}</h1>
      <form className="inline-form" role="search" onSubmit={submit} aria-label={t('agent.search.title')}>
        <Field
          label={t('agent.search.query')}
          name="query"
          value={typed}
          placeholder={t('agent.search.placeholder')}
          onChange={(e) => setTyped(e.target.value)}
          error={result.error}
          autoFocus
        />
        <SubmitButton pending={result.isFetching}>{t('agent.search.find')}</SubmitButton>
      </form>
      <ProblemView error={result.error} shownFields={['query']} />
      {result.isFetching && !result.data ? <Spinner /> : null}
      {result.data ? (
        <>
          <p className="muted" data-testid="read-as">
            {t('agent.search.read_as', { readings: result.data.read_as.join(' · ') })}
          </p>
          <div data-testid="search-results">
            <Table
              rows={result.data.items}
              rowKey={(c) => c.id}
              columns={[
                {
                  key: 'name',
                  header: t('agent.search.name'),
                  render: (c) => (
                    <Link to={`/agent/customers/${c.id}`}>
                      {[c.first_name, c.last_name].filter(Boolean).join(' ') || t('agent.search.no_name')}
                    </Link>
                  ),
                },
                { key: 'email', header: t('agent.search.email'), render: (c) => c.emails.join(', ') || '—' },
                { key: 'phone', header: t('agent.search.phone'), render: (c) => c.phones.join(', ') || '—' },
                { key: 'card', header: t('agent.search.card'), render: (c) => c.loyalty_cards.join(', ') || '—' },
                {
                  key: 'matched',
                  header: t('agent.search.matched'),
                  render: (c) => c.matched.map((m) => t(`agent.match.${m}`, { defaultValue: m })).join(', '),
                },
              ]}
            />
          </div>
        </>
      ) : null}
    </section>
  );
}
