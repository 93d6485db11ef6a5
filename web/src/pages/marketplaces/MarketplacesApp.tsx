import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';
import './marketplaces.css';

// Marketplaces: the connections per channel (and their form), the exceptions queue.
const Connections = lazy(() => import('./ConnectionsPage'));
const Editor = lazy(() => import('./ConnectionEditor'));
const Exceptions = lazy(() => import('./ExceptionsPage'));

export default function MarketplacesApp() {
  const { t } = useTranslation();
  return (
    <section className="marketplaces">
      <h1>{t('marketplaces.title')}</h1>
      <nav className="tabs" aria-label={t('marketplaces.title')}>
        <NavLink to="/marketplaces" end>
          {t('marketplaces.tabs.connections')}
        </NavLink>
        <NavLink to="/marketplaces/exceptions">{t('marketplaces.tabs.exceptions')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<Connections />} />
          <Route path="connections/new" element={<Editor />} />
          <Route path="connections/:id" element={<Editor />} />
          <Route path="exceptions" element={<Exceptions />} />
        </Routes>
      </Suspense>
    </section>
  );
}
