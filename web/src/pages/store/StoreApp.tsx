import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';

// The store associate's app: phone-sized, one tab bar, each screen its own chunk.
const Queue = lazy(() => import('./queue/QueuePage'));
const Task = lazy(() => import('./queue/TaskPage'));
const Stock = lazy(() => import('./stock/StockPage'));
const Aisle = lazy(() => import('./aisle/AislePage'));
const Returns = lazy(() => import('./returns/ReturnsPage'));

export default function StoreApp() {
  const { t } = useTranslation();
  return (
    <div className="store-app">
      <nav className="store-tabs" aria-label={t('store_nav.label')}>
        <NavLink to="/store" end>
          {t('store_nav.queue')}
        </NavLink>
        <NavLink to="/store/stock">{t('store_nav.stock')}</NavLink>
        <NavLink to="/store/sell">{t('store_nav.sell')}</NavLink>
        <NavLink to="/store/returns">{t('store_nav.returns')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<Queue />} />
          <Route path="tasks/:id" element={<Task />} />
          <Route path="stock" element={<Stock />} />
          <Route path="sell" element={<Aisle />} />
          <Route path="returns" element={<Returns />} />
        </Routes>
      </Suspense>
    </div>
  );
}
