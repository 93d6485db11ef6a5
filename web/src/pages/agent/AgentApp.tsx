import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../../ui/components';
import './agent.css';

// The contact-center desk: find a person, their 360 on one page, an order placed for them.
const Search = lazy(() => import('./SearchPage'));
const Customer = lazy(() => import('./CustomerPage'));
const PlaceOrder = lazy(() => import('./PlaceOrderPage'));
// Issue 19: the webchat queue and one conversation with the shopper's 360 beside it.
const ChatQueue = lazy(() => import('./chat/ChatQueue'));
const ChatPage = lazy(() => import('./chat/ChatPage'));

export default function AgentApp() {
  const { t } = useTranslation();
  return (
    <div className="agent-app">
      <nav className="agent-tabs" aria-label={t('agent.nav.label')}>
        <NavLink to="/agent" end>
          {t('agent.nav.search')}
        </NavLink>
        <NavLink to="/agent/chats">{t('webchat.nav')}</NavLink>
      </nav>
      <Suspense fallback={<Spinner />}>
        <Routes>
          <Route index element={<Search />} />
          <Route path="customers/:id" element={<Customer />} />
          <Route path="customers/:id/order" element={<PlaceOrder />} />
          <Route path="chats" element={<ChatQueue />} />
          <Route path="chats/:id" element={<ChatPage />} />
        </Routes>
      </Suspense>
    </div>
  );
}
