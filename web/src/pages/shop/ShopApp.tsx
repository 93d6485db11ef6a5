import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { Spinner } from '../../ui/components';

// The storefront pages the console serves without a staff login (issue 19: the webchat widget).
const ShopChat = lazy(() => import('./ShopChat'));

export default function ShopApp() {
  return (
    <Suspense fallback={<Spinner />}>
      <Routes>
        <Route path="chat" element={<ShopChat />} />
      </Routes>
    </Suspense>
  );
}
