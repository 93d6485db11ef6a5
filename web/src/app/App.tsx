import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { Login } from './Login';
import { Layout } from './Layout';
import { homeFor, mayOpen, type Area } from './nav';
import { Spinner } from '../ui/components';
import { ApiError } from '../ui/problem';
import { useLocation } from 'react-router';

// Each area is its own chunk: the first load carries the shell only (budget: 300 KB gzipped).
const Dashboard = lazy(() => import('../pages/analytics/Dashboard'));
const Products = lazy(() => import('../pages/catalog/ProductsPage'));
const Product = lazy(() => import('../pages/catalog/ProductPage'));
const Import = lazy(() => import('../pages/catalog/ImportPage'));
const Orders = lazy(() => import('../pages/orders/OrdersPage'));
const Order = lazy(() => import('../pages/orders/OrderPage'));
const Operations = lazy(() => import('../pages/operations/OperationsPage'));
const Promotions = lazy(() => import('../pages/promotions/PromotionsPage'));
const Network = lazy(() => import('../pages/operations/NetworkPage'));
const Location = lazy(() => import('../pages/operations/LocationPage'));
const StoreApp = lazy(() => import('../pages/store/StoreApp'));
const AgentApp = lazy(() => import('../pages/agent/AgentApp'));
const AnalyticsApp = lazy(() => import('../pages/analytics/AnalyticsApp'));
const PlanningApp = lazy(() => import('../pages/planning/PlanningApp'));
const MessagesApp = lazy(() => import('../pages/messages/MessagesApp'));
const ReviewsPage = lazy(() => import('../pages/reviews/ReviewsPage'));
const MarketplacesApp = lazy(() => import('../pages/marketplaces/MarketplacesApp'));
const Placeholder = lazy(() => import('./Placeholder'));
// Issue 19: storefront pages (the webchat widget), open without a staff login.
const ShopApp = lazy(() => import('../pages/shop/ShopApp'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchInterval: 60_000,
      // A problem the API answered will not change by asking again; network trouble may.
      retry: (n, err) => !(err instanceof ApiError && (err.problem.status ?? 0) < 500) && n < 2,
    },
  },
});

function Guard({ role, area, children }: { role: string; area: Area; children: ReactNode }) {
  const { t } = useTranslation();
  return mayOpen(role, area) ? <>{children}</> : <p className="problem">{t('common.forbidden')}</p>;
}

function Routed() {
  const session = useSession();
  const shopPage = useLocation().pathname.startsWith('/shop/');
  if (shopPage)
    return (
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route path="shop/*" element={<ShopApp />} />
        </Routes>
      </Suspense>
    );
  if (!session) return <Login />;
  const role = session.user.role;
  const g = (area: Area, el: ReactNode) => (
    <Guard role={role} area={area}>
      {el}
    </Guard>
  );
  return (
    <Suspense fallback={<Spinner />}>
      <Routes>
        <Route element={<Layout session={session} />}>
          <Route
            index
            element={role === 'admin' || role === 'merchandiser' ? <Dashboard /> : <Navigate to={homeFor(role)} />}
          />
          <Route path="catalog" element={g('catalog', <Products />)} />
          <Route path="catalog/import" element={g('catalog', <Import />)} />
          <Route path="catalog/products/:id" element={g('catalog', <Product />)} />
          <Route path="orders" element={g('orders', <Orders />)} />
          <Route path="orders/:id" element={g('orders', <Order />)} />
          <Route path="operations" element={g('operations', <Operations />)} />
          <Route path="network" element={g('network', <Network />)} />
          <Route path="network/locations/:id" element={g('network', <Location />)} />
          <Route path="promotions" element={g('promotions', <Promotions />)} />
          <Route path="store/*" element={g('store', <StoreApp />)} />
          <Route path="agent/*" element={g('agent', <AgentApp />)} />
          <Route path="analytics/*" element={g('analytics', <AnalyticsApp />)} />
          <Route path="planning/*" element={g('planning', <PlanningApp />)} />
          <Route path="messages/*" element={g('messages', <MessagesApp />)} />
          <Route path="marketplaces/*" element={g('marketplaces', <MarketplacesApp />)} />
          <Route path="reviews" element={g('reviews', <ReviewsPage />)} />
          <Route path="*" element={<Placeholder area="not_found" />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/console">
        <Routed />
      </BrowserRouter>
    </QueryClientProvider>
  );
}
