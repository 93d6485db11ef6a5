import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';

// Each report loads with its page; echarts loads with the first chart.
const ChannelMix = lazy(() => import('./ChannelMixPage'));
const Shipping = lazy(() => import('./ShippingPage'));
const LostSales = lazy(() => import('./LostSalesPage'));

/** The analytics area: channel mix and customer value, shipping cost and free shipping, lost sales. */
export default function AnalyticsApp() {
  const { t } = useTranslation();
  return (
    <div className="analytics-app">
      <nav className="agent-tabs" aria-label={t('analytics.nav.label')}>
        <NavLink to="/analytics" end>
          {t('analytics.nav.channel_mix')}
        </NavLink>{' '}
        <NavLink to="/analytics/shipping">{t('analytics.nav.shipping')}</NavLink>{' '}
        <NavLink to="/analytics/lost-sales">{t('analytics.nav.lost_sales')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<ChannelMix />} />
          <Route path="shipping" element={<Shipping />} />
          <Route path="lost-sales" element={<LostSales />} />
        </Routes>
      </Suspense>
    </div>
  );
}
