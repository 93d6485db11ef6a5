import { describe, expect, it } from 'vitest';
import { readTokens, restRoot } from './tokens.js';

describe('seller tokens', () => {
  it('finds the /rest root of the configured gateway', () => {
    expect(restRoot('https://api-sg.aliexpress.com/sync')).toBe('https://api-sg.aliexpress.com/rest');
    expect(restRoot('http://127.0.0.1:4000/sync?x=1')).toBe('http://127.0.0.1:4000/rest');
    expect(restRoot('https://gw.example.com/rest/')).toBe('https://gw.example.com/rest');
  });

  it('reads the token answer, and refuses one without its expiry', () => {
    expect(
      readTokens({
        code: '0',
        access_token: 'a',
        refresh_token: 'r',
        expire_time: 1767225600000,
        refresh_token_valid_time: '1769904000000',
        seller_id: 2000000001,
      }),
    ).toEqual({
      access_token: 'a',
      refresh_token: 'r',
      expires_at: new Date(1767225600000),
      refresh_expires_at: new Date(1769904000000),
      seller_id: '2000000001',
    });
    expect(readTokens({ access_token: 'a', refresh_token: 'r' })).toBeNull();
    expect(readTokens('a')).toBeNull();
  });
});
