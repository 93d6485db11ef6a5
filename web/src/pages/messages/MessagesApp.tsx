import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';

// Messages: every template previewed per language, and coupon campaigns (create, send, results).
const Templates = lazy(() => import('./TemplatesPage'));
const Campaigns = lazy(() => import('./CampaignsPage'));

export default function MessagesApp() {
  const { t } = useTranslation();
  return (
    <section className="messages">
      <nav className="tabs" aria-label={t('msg.title')}>
        <NavLink to="/messages" end>
          {t('msg.templates')}
        </NavLink>
        <NavLink to="/messages/campaigns">{t('msg.campaigns')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<Templates />} />
          <Route path="campaigns" element={<Campaigns />} />
        </Routes>
      </Suspense>
    </section>
  );
}
