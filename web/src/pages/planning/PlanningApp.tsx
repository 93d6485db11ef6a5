import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';

// Planning: runs (form and list), one run's grid and pooling chart, the proposals to review.
const Runs = lazy(() => import('./RunsPage'));
const Run = lazy(() => import('./RunPage'));
const Proposals = lazy(() => import('./ProposalsPage'));

export default function PlanningApp() {
  const { t } = useTranslation();
  return (
    <section className="planning">
      <nav className="tabs" aria-label={t('planning.title')}>
        <NavLink to="/planning" end>
          {t('planning.runs')}
        </NavLink>
        <NavLink to="/planning/proposals">{t('planning.proposals')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<Runs />} />
          <Route path="runs/:id" element={<Run />} />
          <Route path="proposals" element={<Proposals />} />
        </Routes>
      </Suspense>
    </section>
  );
}
