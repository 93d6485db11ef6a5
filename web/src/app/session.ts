import { useSyncExternalStore } from 'react';

/** The signed-in staff user. Kept in sessionStorage: closing the tab signs out. */
export interface StaffUser {
  id: string;
  email: string;
  role: string;
  location_id: string | null;
}
export interface Session {
  token: string;
  expires_at: string;
  user: StaffUser;
}

const KEY = 'omnia.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && Date.parse(s.expires_at) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export function setSession(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l();
}

export const getSession = (): Session | null => current;
export const getToken = (): string | undefined => current?.token;

export function useSession(): Session | null {
  return useSyncExternalStore(
    (l) => (listeners.add(l), () => listeners.delete(l)),
    () => current,
  );
}
