import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { setSession, type Session } from './session';
import { layoutFor, navFor } from './nav';
import { LanguagePicker } from './LanguagePicker';

/** The frame around every page: navigation for the role, phone or desktop shape. */
export function Layout({ session }: { session: Session }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const shape = layoutFor(session.user.role);
  const logout = () => {
    qc.clear();
    setSession(null);
  };
  return (
    <div className={`shell shell-${shape}`} data-role={session.user.role}>
      <header>
        <span className="brand">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {navFor(session.user.role).map((item) => (
            <NavLink key={item.area} to={item.path} end={item.path === '/'}>
              {t(item.label)}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          <span title={session.user.email}>{t(`roles.${session.user.role}`)}</span>
          <LanguagePicker />
          <button type="button" onClick={logout}>
            {t('login.logout')}
          </button>
        </div>
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
