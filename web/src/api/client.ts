import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { getToken, setSession } from '../app/session';
import { ApiError, toProblem } from '../ui/problem';

/**
 * The only way the console talks to Omnia: the public API, typed from /openapi.json
 * (`npm run gen:api`). Same origin, so the staff token is the only credential.
 */
export const api = createClient<paths>({ baseUrl: location.origin });

api.use({
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    // An expired or revoked token: back to the login page (not for the login call itself).
    if (response.status === 401 && !request.url.endsWith('/v1/auth/staff/login')) setSession(null);
    return response;
  },
});

/** Turns openapi-fetch's `{ data, error }` into data or a thrown ApiError carrying the problem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(toProblem(error, response.status));
  return data as T;
}
